"""The words of the command line, by stable code, in Chinese (the default) and English.

``t("guard.error", message=...)`` says a message in the language of the command line: an explicit
``--lang``, else the environment variable ``LANDKIT_LANG`` (``zh`` or ``en``; ``zh_CN``, ``en-US`` and
the like count as theirs), else Chinese. A code the catalogue lacks raises ``KeyError``: there is no
fallback to the other language (tests/test_i18n.py walks every help page and usage error in both).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence

from . import (
    en,
    en_errors,
    en_exchange,
    en_findings,
    en_lineage,
    en_money,
    en_pack,
    en_records,
    en_words,
    zh,
    zh_errors,
    zh_exchange,
    zh_findings,
    zh_lineage,
    zh_money,
    zh_pack,
    zh_records,
    zh_words,
)

LANGUAGES = ("zh", "en")
#: each language's catalogue, by part: the command line (zh.py), errors, the words of maps and
#: tables, of the ledgers and their records, of the meeting pack, of the survey-exchange text,
#: of the audit's findings; a code lives in one part only
PARTS: dict[str, tuple[dict[str, str], ...]] = {
    "zh": (
        zh.MESSAGES,
        zh_errors.MESSAGES,
        zh_words.MESSAGES,
        zh_records.MESSAGES,
        zh_pack.MESSAGES,
        zh_exchange.MESSAGES,
        zh_money.MESSAGES,
        zh_lineage.MESSAGES,
        zh_findings.MESSAGES,
    ),
    "en": (
        en.MESSAGES,
        en_errors.MESSAGES,
        en_words.MESSAGES,
        en_records.MESSAGES,
        en_pack.MESSAGES,
        en_exchange.MESSAGES,
        en_money.MESSAGES,
        en_lineage.MESSAGES,
        en_findings.MESSAGES,
    ),
}
CATALOGUES: dict[str, dict[str, str]] = {
    lang: {code: text for part in parts for code, text in part.items()} for lang, parts in PARTS.items()
}
ENV = "LANDKIT_LANG"


def language(explicit: str | None = None) -> str:
    """The language to speak: ``explicit`` (a --lang value), else ``LANDKIT_LANG``, else ``zh``.

    An explicit value that is not a language landkit speaks is a ValueError; an environment value
    that is not one (``LANDKIT_LANG=fr``) leaves the default, Chinese.
    """
    if explicit is not None:
        if explicit not in LANGUAGES:
            raise ValueError(f"unknown language {explicit!r}; landkit speaks {', '.join(LANGUAGES)}")
        return explicit
    chosen = os.environ.get(ENV, "").strip().lower().replace("-", "_").split("_")[0].split(".")[0]
    return chosen if chosen in LANGUAGES else "zh"


def t(code: str, lang: str | None = None, **fields: object) -> str:
    """The message ``code`` in ``lang`` (see ``language``), its ``{fields}`` filled in."""
    text = CATALOGUES[language(lang)][code]
    return text.format(**fields) if fields else text


def both(code: str | Sequence[str], rows: Iterable[Mapping[str, object]]) -> tuple[list[str], list[str]]:
    """Each finding's message ``code`` (one for all, or one per row) filled with its row's fields, in
    English and in Chinese (a finding's ``message`` and ``message_zh``): its words in one place. A
    field whose words differ by language is given as ``{"en": ..., "zh": ...}``."""
    rows = list(rows)
    codes = [code] * len(rows) if isinstance(code, str) else list(code)
    said: tuple[list[str], list[str]] = ([], [])
    for lang, out in zip(("en", "zh"), said, strict=True):
        texts = CATALOGUES[lang]
        for c, row in zip(codes, rows, strict=True):
            out.append(texts[c].format(**{k: v[lang] if isinstance(v, dict) else v for k, v in row.items()}))
    return said


def section(prefix: str, lang: str | None = None) -> dict[str, str]:
    """The catalogue's words under ``prefix.`` in ``lang``, by the rest of their code, fields unfilled
    (``section("map", "zh")["batch_n"]`` is ``第{n}批``): for code that looks words up in a table."""
    start = f"{prefix}."
    return {code[len(start) :]: text for code, text in CATALOGUES[language(lang)].items() if code.startswith(start)}


def gloss(code: str, vocabulary: Mapping[str, str], lang: str | None = None) -> str:
    """The Chinese name of a vocabulary's code (a status, a layer) to show in Chinese; nothing in
    English, where the code says it: the one place a code's name depends on the language."""
    return vocabulary.get(code, "") if language(lang) == "zh" else ""


def named(code: str, vocabulary: Mapping[str, str], lang: str | None = None) -> str:
    """A vocabulary's code as planners read it: its Chinese name in Chinese (已批复), the code itself in
    English (``approved``: what scripts and the JSON use); a code the vocabulary lacks as it is."""
    return gloss(code, vocabulary, lang) or code
