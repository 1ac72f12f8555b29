"""Calls into core services that are still landing, in one place.

Each function returns ``None`` while the core does not offer the service yet, so the shell
can show "-" instead of failing. No business rules here: only which core call to make.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from shopdesk.profiles import Session


def optional_core(name: str) -> ModuleType | None:
    """A core module that another engineer may not have landed yet."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            return None
        raise


def _call(module: str, func: str, *args, **kwargs):
    found = optional_core(module)
    target = getattr(found, func, None) if found else None
    return target(*args, **kwargs) if target else None


def listings_waiting(session: Session) -> int | None:
    """How many products have listing changes not yet in a bundle (for any target)."""
    counted = _call("shopdesk.export.status", "listings_waiting", session)
    if counted is not None:
        return counted
    from shopdesk import catalog

    waiting: set[int] = set()
    for target in catalog.LISTING_TARGETS:
        waiting.update(catalog.waiting_products(session, target=target))
    return len(waiting)
