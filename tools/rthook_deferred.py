"""Frozen build runtime hook: some of PyInstaller's runtime hooks run on first import.

PyInstaller runs a runtime hook for `inspect`, `pkgutil` and `multiprocessing` at every start
of a program that may import them: each imports its module (multiprocessing also pulls in
subprocess and threading; inspect opens base_library.zip), about 30 ms before the first line
of ShopDesk runs. `shopdesk-cli --version` took 1.9x its time from source because of them.
Here each such hook runs right after its module is first imported, before the importer gets
the module back, so the code that uses the module sees it exactly as patched as before.

build.spec takes those hooks out of the start, writes their sources into `DEFERRED` (module
name -> [(hook name, source)]) of a copy of this file and adds the copy as a custom runtime
hook, which PyInstaller runs before its own.
"""

from __future__ import annotations

import sys

DEFERRED: dict[str, list[tuple[str, str]]] = {}


def _run(name: str) -> None:
    """The hooks deferred to the import of module ``name``, once."""
    for hook, source in DEFERRED.pop(name, []):
        exec(compile(source, hook, "exec"), {"__name__": hook})


class _ThenRunHooks:
    """The module's own loader, then its deferred hooks."""

    def __init__(self, loader: object, name: str) -> None:
        self.loader = loader
        self.name = name

    def create_module(self, spec: object) -> object:
        return self.loader.create_module(spec)  # type: ignore[attr-defined]

    def exec_module(self, module: object) -> None:
        # The module keeps its real loader (get_source, resources), as without this hook.
        module.__loader__ = module.__spec__.loader = self.loader  # type: ignore[attr-defined]
        self.loader.exec_module(module)  # type: ignore[attr-defined]
        _run(self.name)


class _DeferredHooksFinder:
    """First in sys.meta_path: finds nothing itself; it wraps the loader of a deferred module.

    The hooks run when the module is executed, not when it is found: a mere
    ``importlib.util.find_spec`` leaves them waiting for the real import.
    """

    @staticmethod
    def find_spec(name: str, path: object = None, target: object = None) -> object:
        if name not in DEFERRED:
            return None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            if finder is _DeferredHooksFinder or find is None:
                continue
            spec = find(name, path, target)
            if spec is not None:
                spec.loader = _ThenRunHooks(spec.loader, name)
                return spec
        return None


def _install() -> None:
    for name in [name for name in DEFERRED if name in sys.modules]:  # already there: run now
        _run(name)
    sys.meta_path.insert(0, _DeferredHooksFinder)  # type: ignore[arg-type]


_install()
