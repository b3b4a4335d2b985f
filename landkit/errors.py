"""The errors landkit raises: one small tree, each also a builtin so callers can catch either.

An error or warning made from a catalogue code says itself in either language:
``DataError(code="io.no_such_file", path=shown)`` reads in English as ``str(exc)`` (for scripts and
logs) and in the command line's language as ``exc.text()`` (Chinese by default, see
:mod:`landkit.i18n`). Its ``code`` and ``fields`` are for callers that decide on an error: nothing
matches on the text.
"""

from __future__ import annotations


class _Said:
    """What a coded error or warning shares: a catalogue code, its fields, the text in a language."""

    code: str | None
    fields: dict

    def _coded(self, args: tuple, code: str | None, fields: dict) -> tuple:
        self.code, self.fields = code, fields
        if code is not None and not args:
            from .i18n import t

            args = (t(code, "en", **_in(fields, "en")),)
        return args

    def text(self, lang: str | None = None) -> str:
        """The message in ``lang`` (``None``: the command line's language); the English text of an
        error made without a code. A field that is itself said (a nested error) is said in ``lang`` too."""
        if self.code is None:
            return str(self)
        from .i18n import t

        return t(self.code, lang, **_in(self.fields, lang))


def _in(fields: dict, lang: str | None) -> dict:
    """The fields, a nested coded error or warning among them said in the same language."""
    return {k: v.text(lang) if isinstance(v, _Said) else v for k, v in fields.items()}


class LandkitError(_Said, Exception):
    """Base class of every error landkit raises on purpose."""

    def __init__(self, *args: object, code: str | None = None, **fields: object) -> None:
        super().__init__(*self._coded(args, code, fields))


class DataError(LandkitError, ValueError):
    """A file or layer cannot be used as it is (damaged, wrong format, missing layer)."""


class CRSError(DataError):
    """A layer has no CRS, or coordinates that cannot be in the CRS it declares."""


class LedgerError(DataError):
    """An event the ledger refuses: unknown parcel or status, a forbidden transition, a date out of order."""


class SchemaError(DataError):
    """A project does not follow the project-file contract; ``problems`` lists every finding."""

    def __init__(self, message: str | None = None, problems: list | None = None, **coded: object) -> None:
        super().__init__(*(() if message is None else (message,)), **coded)  # type: ignore[arg-type]
        self.problems = problems or []


class LayerExistsError(LandkitError, FileExistsError):
    """A write would replace an existing layer or file without ``overwrite=True``."""


class ProjectLockedError(LandkitError, BlockingIOError):
    """Another process is writing the same project file."""


class Phrase(_Said):
    """A coded part of a message (a reason, a place), given as a field of another: said in its language."""

    def __init__(self, code: str, **fields: object) -> None:
        self._coded((), code, fields)

    def __str__(self) -> str:
        return self.text("en")


class LandkitWarning(_Said, UserWarning):
    """A result that is not wrong but suspect: a planar area far from its meridian, say."""

    def __init__(self, *args: object, code: str | None = None, **fields: object) -> None:
        super().__init__(*self._coded(args, code, fields))
