"""Whose rows the database shows: one shop's, every shop's (said so), or none.

On a server, row-level security (``server_schema``) shows a connection only the
rows of the scope it carries (``postgres`` sets it before each statement), and it
fails closed: with no scope, a shop-owned table shows no row and takes none.

* A service that receives a seller's session works on that seller's shop for the
  call (``follows_session``), whichever thread runs it and whatever was set
  before: the scope follows the data, not the login.
* Work across shops says so (``all_shops``): the operator's commands, the
  schema, backups of everything, moving in and out, the health check, and the
  login desk (the picker and the PIN check read every shop's profiles).
* Otherwise the process's default applies (``set_shop``: a seller's CLI command
  or window; ``set_all``: the operator's command), which starts as none.

SQLite reads none of it (one PC's file; the app's filters keep shops apart there).
A module of its own, so that a SQLite PC keeps it without the PostgreSQL driver.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
from collections.abc import Callable, Generator, Iterator
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar, cast

NONE = ""  # no shop: a shop-owned table shows nothing
ALL = "*"  # every shop: work across shops, said so where it happens

_default = {"shop": NONE}
_current: ContextVar[str | None] = ContextVar("shopdesk_shop_scope", default=None)

P = ParamSpec("P")
R = TypeVar("R")


def set_shop(shop_id: int | None) -> None:
    """The process's default: ``shop_id``'s rows, or (None) no shop's."""
    _default["shop"] = NONE if shop_id is None else str(int(shop_id))


def set_all() -> None:
    """The process's default: every shop's rows (the operator's command)."""
    _default["shop"] = ALL


def shop() -> str:
    """The scope in force here: ``NONE``, ``ALL`` or a shop's id as text."""
    current = _current.get()
    return _default["shop"] if current is None else current


@contextlib.contextmanager
def scoped(value: str) -> Iterator[None]:
    token = _current.set(value)
    try:
        yield
    finally:
        _current.reset(token)


def for_shop(shop_id: int) -> contextlib.AbstractContextManager[None]:
    """The block works on ``shop_id``'s rows only."""
    return scoped(str(int(shop_id)))


def all_shops() -> contextlib.AbstractContextManager[None]:
    """The block works across shops (the operator's, the schema's, the checks')."""
    return scoped(ALL)


def across_shops(func: Callable[P, R]) -> Callable[P, R]:
    """``func`` works across shops (the login desk: every shop's profiles)."""

    @functools.wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with scoped(ALL):
            return func(*args, **kwargs)

    return run


def of_session(owner: object) -> str | None:
    """The scope a session stands for: a seller's shop; the operator's, every shop."""
    if owner is None:
        return None
    shop_id = getattr(owner, "shop_id", None)
    if isinstance(shop_id, int):
        return str(shop_id)
    if hasattr(owner, "operator_id"):
        return ALL
    return None


def _session_slot(func: Callable[..., Any]) -> tuple[int, str]:
    """Where ``func`` takes its session: the first parameter annotated ``…Session``,
    else its first parameter (a viewer: a session by another name). Read from the
    function itself under other decorators (``retried`` passes the arguments on)."""
    func = inspect.unwrap(func)
    code = func.__code__
    names = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
    notes = func.__annotations__
    for index, name in enumerate(names):
        if "Session" in str(notes.get(name, "")):
            return (index if index < code.co_argcount else -1), name
    if not code.co_argcount:
        raise TypeError(f"{func.__qualname__} takes no session")
    return 0, names[0]


def follows_session(func: Callable[P, R]) -> Callable[P, R]:
    """``func`` (a service taking a session) runs on its session's shop, or across
    shops for the operator's session. A generator is scoped at each step, so the
    rows it yields later are read under the same scope."""
    index, name = _session_slot(func)

    def scope_of(args: tuple[Any, ...], kwargs: dict[str, Any]) -> str | None:
        session = args[index] if 0 <= index < len(args) else kwargs.get(name)
        return of_session(session)

    if inspect.isgeneratorfunction(inspect.unwrap(func)):
        generator = cast(Callable[..., Generator[Any, Any, Any]], func)

        @functools.wraps(func)
        def stepwise(*args: Any, **kwargs: Any) -> Generator[Any, Any, Any]:
            value = scope_of(args, kwargs)
            inner = generator(*args, **kwargs)
            sent: Any = None
            while True:
                with contextlib.nullcontext() if value is None else scoped(value):
                    try:
                        item = inner.send(sent)
                    except StopIteration as stop:
                        return stop.value
                sent = yield item

        stepwise.__shop_scoped__ = True  # type: ignore[attr-defined]
        return cast(Callable[P, R], stepwise)

    @functools.wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        value = scope_of(args, kwargs)
        if value is None:
            return func(*args, **kwargs)
        with scoped(value):
            return func(*args, **kwargs)

    run.__shop_scoped__ = True  # type: ignore[attr-defined]
    return run
