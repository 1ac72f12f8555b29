"""peewee without its PostgreSQL driver until something asks for that driver.

peewee imports psycopg whenever it is installed: about 85 ms of a 250 ms start of the
app on a 2-core PC, on a PC that only ever opens its SQLite file. ``install()`` (run by
``shopdesk/__init__.py``) hides psycopg while peewee loads; the moment anything imports
psycopg itself (the PostgreSQL store), peewee is handed the driver and the names it
takes from it, exactly as its own import would have set them, so its PostgreSQL support
works as before.
"""

from __future__ import annotations

import sys

# Nothing but sys at run time: this runs in every ``import shopdesk``, and importlib.abc
# alone brings importlib.resources, pathlib, tempfile and typing (30 ms where no site
# module loaded them before: the frozen build).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from importlib.abc import Loader
    from importlib.machinery import ModuleSpec
    from types import ModuleType
else:
    Loader = object  # a loader and a finder are protocols: no base class needed

DRIVER = "psycopg"


class _Wrapped(Loader):
    """The real loader, with something done around the module's code."""

    def __init__(self, loader: Loader, name: str) -> None:
        self.loader = loader
        self.name = name

    def __getattr__(self, name: str) -> object:  # get_source, get_filename, ...
        return getattr(self.loader, name)

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return self.loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        if self.name == "peewee" and DRIVER not in sys.modules:
            sys.modules[DRIVER] = None  # type: ignore[assignment]  # import -> ImportError
            try:
                self.loader.exec_module(module)
            finally:
                del sys.modules[DRIVER]
        else:
            self.loader.exec_module(module)
            if self.name == DRIVER:
                give_peewee_its_driver()


class _Finder:
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname not in ("peewee", DRIVER):
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None:
                    spec.loader = _Wrapped(spec.loader, fullname)
                return spec
        return None


def give_peewee_its_driver() -> None:
    """Set in peewee what its own ``import psycopg`` block sets, when it loaded without:
    its module's names and the constants its psycopg 3 adapter's class reads from them."""
    peewee = sys.modules.get("peewee")
    if peewee is None or getattr(peewee, "psycopg", None) is not None:
        return
    import psycopg
    from psycopg.pq import TransactionStatus
    from psycopg.types.json import Json, Jsonb

    peewee.psycopg = psycopg  # type: ignore[attr-defined]
    peewee.TransactionStatus = TransactionStatus  # type: ignore[attr-defined]
    peewee.Json_pg3 = Json  # type: ignore[attr-defined]
    peewee.Jsonb_pg3 = Jsonb  # type: ignore[attr-defined]
    # and what its psycopg 3 adapter's class took from the driver when it was defined
    adapter = peewee.Psycopg3Adapter
    adapter.txn_idle = TransactionStatus.IDLE
    adapter.txn_inerror = TransactionStatus.INERROR
    adapter.txn_unknown = TransactionStatus.UNKNOWN


def install() -> None:
    """Once, before peewee is first imported (later it changes nothing)."""
    if "peewee" not in sys.modules and not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
