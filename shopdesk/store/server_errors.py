"""What a PostgreSQL server's failures mean: a conflict with another PC's
transaction (safe to run again), or the server gone (unreachable, or the
connection broken mid-work), and the seller's message for it. Apart from
``server`` so that the connection itself (``postgres``) can use it too."""

from __future__ import annotations

import psycopg

from shopdesk.errors import DatabaseError
from shopdesk.i18n import _

# SQLSTATEs: a conflict with another PC's transaction, safe to run again.
RETRY_STATES = {"40001", "40P01"}  # serialization_failure, deadlock_detected


def root_error(exc: BaseException) -> BaseException:
    """The driver's error under peewee's wrapper."""
    seen: BaseException | None = exc
    for _step in range(10):
        if seen is None or isinstance(seen, psycopg.Error):
            return seen or exc
        seen = seen.__cause__ or seen.__context__
    return exc


def sqlstate(exc: BaseException) -> str:
    root = root_error(exc)
    return (getattr(root, "sqlstate", None) or "") if isinstance(root, psycopg.Error) else ""


# SQLSTATEs of a value the server cannot take (a photo past its limits):
# program_limit_exceeded, out_of_memory.
TOO_LARGE_STATES = {"54000", "53200"}


def is_too_large(exc: BaseException) -> bool:
    return sqlstate(exc) in TOO_LARGE_STATES


def too_large_error(exc: BaseException) -> DatabaseError:
    return DatabaseError(
        _(
            "The database server cannot take something this large (a photo or a file), "
            "so nothing was saved. Use a smaller photo, under 40 MB."
        ),
        detail=f"{type(exc).__name__}: {exc}",
    )


def is_retryable(exc: BaseException) -> bool:
    return sqlstate(exc) in RETRY_STATES


def is_gone(exc: BaseException) -> bool:
    """The server could not be reached or the connection broke."""
    root = root_error(exc)
    state = sqlstate(exc)
    return isinstance(root, psycopg.OperationalError) and (
        not state or state.startswith("08") or state.startswith("57P")
    )


def gone_error(exc: BaseException) -> DatabaseError:
    return DatabaseError(
        _(
            "The connection to the database server was lost, so nothing was saved. "
            "Check the network and the server PC, then try again."
        ),
        detail=f"{type(exc).__name__}: {exc}",
    )
