"""The command line in the planner's language: help pages, click's own words and usage errors.

Every help text is a code of the catalogue (landkit/i18n), resolved when the help is formatted, in
the language of the command line (``cli_language``): ``--lang`` typed on it, else ``LANDKIT_LANG``,
else Chinese. Click's words ("Usage:", "Options:", "Show this message and exit.") come from the
formatter and the classes here; click's usage errors are said again from their fields
(``usage_message``). Nothing here changes click for anyone else: only these classes do it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

import click
from click import exceptions

from ..i18n import LANGUAGES, language, t

_LANG = "landkit.lang"


def cli_language(ctx: click.Context | None) -> str:
    """The language of this command line: --lang typed on it, else LANDKIT_LANG, else zh."""
    return language(ctx.meta.get(_LANG) if ctx is not None else None)


def lang_typed(args: Sequence[str]) -> str | None:
    """The value of a ``--lang`` among the words typed (before ``--``), when it is a language."""
    found = None
    for i, word in enumerate(args):
        if word == "--":
            break
        value = args[i + 1] if word == "--lang" and i + 1 < len(args) else word.partition("=")[2]
        if (word == "--lang" or word.startswith("--lang=")) and value in LANGUAGES:
            found = value
    return found


# -- wrapping by what a terminal shows: a Chinese character takes two columns --------------------

_CLOSING = set("，。、；：？！）》」』】,.;:?!)]/")
_OPENING = set("（《「『【")


def _wide(c: str) -> bool:
    return unicodedata.east_asian_width(c) in "WF"


def columns(text: str) -> int:
    """How many terminal columns ``text`` takes (East Asian wide and full-width characters take two)."""
    return sum(2 if _wide(c) else 1 for c in text)


def _pieces(text: str) -> list[str]:
    """Spaces, runs of narrow characters, and single wide characters (a line may break after any)."""
    pieces: list[str] = []
    for word in re.findall(r"\s+|\S+", text):
        if word.isspace() or not any(_wide(c) for c in word):
            pieces.append(word)
            continue
        for c in word:
            if pieces and not _wide(c) and not pieces[-1].isspace() and not _wide(pieces[-1][-1]):
                pieces[-1] += c
            else:
                pieces.append(c)
    return pieces


def wrap(text: str, width: int) -> list[str]:
    """One line of text broken into lines of at most ``width`` columns: between words, or between
    two Chinese characters, never before a closing punctuation mark."""
    lines: list[str] = []
    line = ""
    pieces = _pieces(text)
    for i, piece in enumerate(pieces):
        tail, j = piece, i + 1  # the piece with the closing marks that must stay with it
        while j < len(pieces) and pieces[j][0] in _CLOSING:
            tail, j = tail + pieces[j], j + 1
        if line.strip() and not piece.isspace() and piece[0] not in _CLOSING and columns(line + tail) > width:
            kept = line.rstrip()
            carried = kept[-1] if kept[-1] in _OPENING and len(kept) > 1 else ""  # an opening mark goes along
            lines.append(kept[: len(kept) - len(carried)])
            line = carried
        if line or not piece.isspace():
            line += piece
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


class HelpFormatter(click.HelpFormatter):
    """click's formatter, speaking ``lang``: its headings and usage prefix from the catalogue, and
    text wrapped by terminal columns (a line of Chinese is twice as wide as its length)."""

    def __init__(self, *args: Any, lang: str = "zh", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lang = lang

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            said = t("click.usage", self.lang)
            prefix = said if said.endswith("：") else said + " "
        super().write_usage(prog, args, prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{t(_HEADINGS[heading], self.lang)}\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        for line in text.splitlines():
            for part in wrap(line, max(self.width - self.current_indent, 20)) if line.strip() else [""]:
                self.write(f"{indent}{part}\n" if part else "\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first = min(max((columns(term) for term, _ in rows), default=0), col_max) + col_spacing
        room = max(self.width - self.current_indent - first, 20)
        for term, text in rows:
            self.write(f"{'':>{self.current_indent}}{term}")
            if not text:
                self.write("\n")
                continue
            if columns(term) <= first - col_spacing:
                self.write(" " * (first - columns(term)))
            else:
                self.write("\n" + " " * (self.current_indent + first))
            lines = wrap(text, room)
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(" " * (self.current_indent + first) + line + "\n")


class Context(click.Context):
    """A context whose help pages speak the command line's language."""

    formatter_class = HelpFormatter

    def make_formatter(self) -> click.HelpFormatter:
        return HelpFormatter(width=self.terminal_width, max_width=self.max_content_width, lang=cli_language(self))


# -- options and arguments whose help is a catalogue code -------------------------------------------


class Option(click.Option):
    """An option whose ``help`` is a catalogue code, said (with its default, range, "required")
    in the command line's language."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        record = super().get_help_record(ctx)
        if record is None:
            return None
        lang = cli_language(ctx)
        extra = self.get_help_extra(ctx)
        items = []
        if "envvars" in extra:
            items.append(t("click.envvar", lang, names=", ".join(extra["envvars"])))
        if "default" in extra:
            items.append(t("click.default", lang, value=extra["default"]))
        if "range" in extra:
            items.append(extra["range"])
        if "required" in extra:
            items.append(t("click.required", lang))
        said = t(self.help, lang) if self.help else ""
        if items:
            said = f"{said}  [{t('click.separator', lang).join(items)}]".strip()
        return record[0], said


class Argument(click.Argument):
    """An argument whose ``help`` is a catalogue code."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str]:
        return self.make_metavar(ctx), t(self.help, cli_language(ctx)) if self.help else ""


def option(*decls: str, **attrs: Any) -> Any:
    """``click.option`` with landkit's Option: ``help`` is a catalogue code."""
    return click.option(*decls, cls=Option, **attrs)


def argument(*decls: str, **attrs: Any) -> Any:
    """``click.argument`` with landkit's Argument: ``help`` is a catalogue code."""
    return click.argument(*decls, cls=Argument, **attrs)


# -- commands and the group -----------------------------------------------------------------------

#: click's own help texts (on --help and --version), as the catalogue says them
_CLICK_HELP = {"Show this message and exit.": "click.help", "Show the version and exit.": "click.version"}
#: the headings click writes, as the catalogue names them
_HEADINGS = {"Options": "click.options", "Commands": "click.commands", "Positional arguments": "click.arguments"}
_METAVARS = {"[OPTIONS]": "click.options_metavar", "COMMAND [ARGS]...": "click.command_metavar"}


class _Said(click.Command):
    """What a landkit command says about itself: ``help`` is a code of the catalogue (``cmd.NAME``,
    with ``.short`` for the list of commands and ``.help`` for the command's page)."""

    context_class = Context

    def __init__(self, name: str | None, *args: Any, help: str | None = None, **kwargs: Any) -> None:
        super().__init__(name, *args, **kwargs)
        self.code = help

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        typed = lang_typed(args)
        if typed is not None:  # before --help is acted on: the help speaks the language asked for
            ctx.meta[_LANG] = typed
        return super().parse_args(ctx, args)

    def get_short_help_str(self, limit: int = 45, lang: str | None = None) -> str:
        return t(f"{self.code}.short", lang) if self.code else super().get_short_help_str(limit)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        lang = cli_language(ctx)
        pieces = [t(_METAVARS[p], lang) if p in _METAVARS else p for p in self.collect_usage_pieces(ctx)]
        formatter.write_usage(ctx.command_path, " ".join(pieces))

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if self.code:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(t(f"{self.code}.help", cli_language(ctx)))

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is not None and not isinstance(param, click.Argument):
                said = record[1]
                if said in _CLICK_HELP:  # click's own --help
                    said = t(_CLICK_HELP[said], cli_language(ctx))
                rows.append((record[0], said))
        if rows:
            with formatter.section("Options"):
                formatter.write_dl(rows)

    def format_arguments(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        args = [p for p in self.get_params(ctx) if isinstance(p, click.Argument)]
        if any(a.help for a in args):
            with formatter.section("Positional arguments"):
                formatter.write_dl([a.get_help_record(ctx) for a in args])


class Command(_Said):
    """A landkit command (see ``_Said``)."""


class Group(_Said, click.Group):
    """landkit's group: its commands are ``Command``, listed with their short help in the language."""

    command_class = Command

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        lang = cli_language(ctx)
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                short = command.get_short_help_str(lang=lang) if isinstance(command, _Said) else ""
                rows.append((name, short))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


# -- click's usage errors, said again from their fields ---------------------------------------------

_KINDS = {"File": "usage.kind.file", "Directory": "usage.kind.directory", "Path": "usage.kind.path"}
_PATH = r"(?P<kind>File|Directory|Path) (?P<name>'.*')"
#: click's messages (click formats them in English: it installs no translation) and their codes
_CLICK_MESSAGES = [
    (r"(?P<value>.+) is not in the range (?P<range>.+)\.", "usage.not_in_range"),
    (r"(?P<value>.+) is not one of (?P<choices>.+)\.", "usage.not_a_choice"),
    (r"(?P<value>.+) is not (?P<choices>'[^']*')\.", "usage.not_a_choice"),
    (r"(?P<value>.+) is not a valid integer(?: range)?\.", "usage.not_an_integer"),
    (r"(?P<value>.+) is not a valid float(?: range)?\.", "usage.not_a_number"),
    (_PATH + r" does not exist\.", "usage.path_missing"),
    (_PATH + r" is a directory\.", "usage.path_is_dir"),
    (_PATH + r" is a file\.", "usage.path_is_file"),
    (_PATH + r" is not readable\.", "usage.path_unreadable"),
    (r"Option (?P<name>'.+') requires an argument\.", "usage.needs_value"),
    (r"Option (?P<name>'.+') requires (?P<count>\d+) arguments\.", "usage.needs_values"),
    (r"Option (?P<name>'.+') does not take a value\.", "usage.takes_no_value"),
    (r"Got unexpected extra arguments? \((?P<args>.*)\)", "usage.extra_args"),
    (r"Missing command\.", "usage.missing_command"),
]


def _said_again(message: str, lang: str) -> str:
    """One of click's messages in ``lang``; one this table does not know, as click said it."""
    for pattern, code in _CLICK_MESSAGES:
        found = re.fullmatch(pattern, message.strip(), re.DOTALL)
        if found:
            fields = found.groupdict()
            if "kind" in fields:
                fields["kind"] = t(_KINDS[fields["kind"]], lang)
            return t(code, lang, **fields)
    return t("usage.other", lang, message=message)


def _hint(exc: exceptions.BadParameter) -> str | None:
    if exc.param_hint is not None:
        hints: Iterable[str] = [exc.param_hint] if isinstance(exc.param_hint, str) else exc.param_hint
        return " / ".join(h if h.startswith("'") else repr(h) for h in hints)
    return exc.param.get_error_hint(exc.ctx) if exc.param is not None else None


def usage_message(exc: click.UsageError, lang: str) -> str:
    """A usage error of click's, one line, in ``lang``."""
    if isinstance(exc, exceptions.NoSuchOption | exceptions.NoSuchCommand):
        name = exc.option_name if isinstance(exc, exceptions.NoSuchOption) else exc.command_name
        code = "usage.no_such_option" if isinstance(exc, exceptions.NoSuchOption) else "usage.no_such_command"
        said = t(code, lang, name=repr(name))
        if exc.possibilities:
            said += t("usage.did_you_mean", lang, names=", ".join(map(repr, sorted(exc.possibilities))))
        return said
    if isinstance(exc, exceptions.MissingParameter):
        kind = exc.param_type or (exc.param.param_type_name if exc.param is not None else "parameter")
        missing = {"argument": "usage.missing_argument", "option": "usage.missing_option"}
        return t(missing.get(kind, "usage.missing_parameter"), lang, name=_hint(exc) or "")
    if isinstance(exc, exceptions.BadParameter):
        hint, message = _hint(exc), _said_again(exc.message, lang)
        if hint is None:
            return t("usage.invalid_value_plain", lang, message=message)
        return t("usage.invalid_value", lang, param=hint, message=message)
    return _said_again(exc.message, lang)
