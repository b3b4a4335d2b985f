"""The errors landkit raises: one small tree, each also a builtin so callers can catch either."""

from __future__ import annotations


class LandkitError(Exception):
    """Base class of every error landkit raises on purpose."""


class DataError(LandkitError, ValueError):
    """A file or layer cannot be used as it is (damaged, wrong format, missing layer)."""


class CRSError(DataError):
    """A layer has no CRS, or coordinates that cannot be in the CRS it declares."""


class LedgerError(DataError):
    """An event the ledger refuses: unknown parcel or status, a forbidden transition, a date out of order."""


class SchemaError(DataError):
    """A project does not follow the project-file contract; ``problems`` lists every finding."""

    def __init__(self, message: str, problems: list | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class LayerExistsError(LandkitError, FileExistsError):
    """A write would replace an existing layer or file without ``overwrite=True``."""


class ProjectLockedError(LandkitError, BlockingIOError):
    """Another process is writing the same project file."""


class LandkitWarning(UserWarning):
    """A result that is not wrong but suspect: a planar area far from its meridian, say."""
