"""The exception family of reslens: every domain error is a ``ReslensError``."""

from __future__ import annotations


class ReslensError(Exception):
    """Base class of every error reslens raises on purpose."""


class SourceError(ReslensError):
    """A source file could not be read or parsed (the message names the file)."""


class RefError(ReslensError):
    """A paragraph or resolution reference could not be understood.

    (Not ``ReferenceError``: that name is a Python builtin.)"""


class NotFoundError(ReslensError):
    """A resolution or paragraph that was asked for is not in the store."""


class StoreError(ReslensError):
    """The index directory is missing, corrupted or of another schema."""


class FetchError(ReslensError):
    """A source archive could not be fetched, verified or extracted safely."""


class MissingExtraError(ReslensError):
    """An optional dependency is not installed; the message names the extra."""

    def __init__(self, package: str, extra: str) -> None:
        super().__init__(
            f"{package} is not installed; install it with: pip install 'reslens[{extra}]'"
        )
        self.package = package
        self.extra = extra


__all__ = [
    "FetchError",
    "MissingExtraError",
    "NotFoundError",
    "RefError",
    "ReslensError",
    "SourceError",
    "StoreError",
]
