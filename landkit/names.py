"""Places found by what a planner calls them: a village or community by its code, its name with or
without its suffix (露峰 = 露峰社区, 沈庄 = 沈庄村) or its name in pinyin (Lufeng).

:func:`match_name` finds the one row a key names in a table of named places; :func:`find_village`
and :func:`find_community` find them in a project's layers. A key that names none or several is a
coded :class:`~landkit.errors.DataError` that says what there is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Literal

from .errors import DataError

if TYPE_CHECKING:
    import pandas as pd

#: Suffixes a name may be given with or without: 露峰 is 露峰社区, 沈庄 is 沈庄村.
NAME_SUFFIXES = ("社区", "村委会", "居委会", "村", "小区", "安置区")
#: A message lists at most this many places, then says how many there are in all.
SHOWN = 10


def _bare(name: str) -> str:
    """A name without its suffix (社区, 村 …) and surrounding blanks."""
    name = str(name).strip()
    for suffix in NAME_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _letters(text: str) -> str:
    """Latin letters only, lower case, tone marks dropped: "Lǔ Fēng" and "lu-feng" are "lufeng"."""
    text = unicodedata.normalize("NFKD", str(text)).casefold()
    return "".join(c for c in text if "a" <= c <= "z")


def match_name(table: pd.DataFrame, key, *, what: Literal["village", "community"]) -> Hashable:
    """The index (id or code) of the one row of ``table`` that ``key`` names.

    Tried in turn, the first that finds anything decides: the id or code (any case), the name,
    the name with or without its suffix (露峰 = 露峰社区, 沈庄 = 沈庄村), and pinyin without tones,
    spaces or case (Lufeng, lu feng, Lufeng Shequ; needs the ``pypinyin`` package). A key that
    names two rows is refused with both; one that names none with the first rows there are
    (:data:`SHOWN`) and their number.
    """
    names = table["name"].tolist() if "name" in table else [""] * len(table)
    return table.index[resolve(key, list(table.index), names, what=what)]


def resolve(key, ids: Sequence, names: Sequence, *, what: Literal["village", "community"]) -> int:
    """The position in ``ids`` of the one place ``key`` names, as :func:`match_name` finds it, on plain
    lists (no pandas: ``landkit record`` resolves a village's name without loading it)."""
    text = str(key).strip()
    codes = [str(i) for i in ids]
    said = ["" if n is None or n != n else str(n).strip() for n in names]

    def listed(hits: list[int]) -> str:
        shown = [f"{codes[i]} ({said[i]})" for i in hits[:SHOWN]]
        return ", ".join(shown + (["…"] if len(hits) > SHOWN else []))

    def tests():
        yield [c.casefold() == text.casefold() for c in codes]
        yield [n == text for n in said]
        bare = _bare(text)
        yield [_bare(n) == bare for n in said]
        wanted = _letters(text)
        if wanted and not re.search(r"[\u3400-\u9fff]", text):
            try:
                from pypinyin import lazy_pinyin
            except ImportError:
                raise DataError(code="names.needs_pypinyin", key=text) from None
            spelt = lambda n: _letters("".join(lazy_pinyin(n)))  # noqa: E731
            yield [wanted in (spelt(n), spelt(_bare(n))) for n in said]

    for hit in tests():
        found = [i for i, h in enumerate(hit) if h]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise DataError(code=f"names.ambiguous_{what}", key=text, names=listed(found))
    raise DataError(code=f"names.no_{what}", key=text, count=len(codes), names=listed(list(range(len(codes)))))


def find_community(communities: pd.DataFrame | None, key: str):
    """Return the id of the community that ``key`` names (see :func:`match_name`); say which exist otherwise."""
    if communities is None or not len(communities):
        raise DataError(code="names.no_communities", key=key)
    return match_name(communities, key, what="community")


def find_village(villages: pd.DataFrame | None, key: str):
    """Return the code of the village that ``key`` names (see :func:`match_name`); say which exist otherwise."""
    if villages is None or not len(villages):
        raise DataError(code="names.no_villages", key=key)
    return match_name(villages, key, what="village")
