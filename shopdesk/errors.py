"""Errors a seller can read.

Every error raised by the core is a ``ShopDeskError`` whose message is already
translated and says what happened and what to do. The CLI prints it as one
line; the UI shows it in a dialog. Anything else is a bug and is logged.
"""

from __future__ import annotations


class ShopDeskError(Exception):
    """A failure the user can understand and act on."""

    exit_code = 1

    def __init__(self, message: str, *, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail  # technical detail for a helper, shown on request

    def __str__(self) -> str:
        return self.message


class ValidationError(ShopDeskError):
    """Input that cannot be accepted (a price, a phone number, a field)."""

    exit_code = 2


class NotFoundError(ShopDeskError):
    """An unknown seller, product, SKU, batch, paper..."""

    exit_code = 3


class AuthError(ShopDeskError):
    """Wrong PIN or password, disabled profile, missing rights."""

    exit_code = 4


class DatabaseError(ShopDeskError):
    """The database cannot be opened, read or written."""

    exit_code = 5


class StorageError(ShopDeskError):
    """A file or folder cannot be written: disk full, read-only, removed."""

    exit_code = 6
