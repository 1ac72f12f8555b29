"""A package's face whose names load their modules on first use.

The store and the backup package are imported by every start of the app and every
command, yet most of their modules serve only some of them (peewee and the models
after the login window, the PostgreSQL driver only on a server, restore only when
restoring). Their ``__init__`` names where each public name lives and hands this
module's ``loader`` to Python as the package's ``__getattr__``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping

# name -> (module inside the package, attribute of that module; "" for the module itself)
Where = Mapping[str, tuple[str, str]]


def loader(package: str, where: Where, namespace: dict[str, object]) -> Callable[[str], object]:
    """The package's ``__getattr__``: loads a name's module, keeps the name in the
    package (later uses skip this), and raises AttributeError for an unknown name."""

    def load(name: str) -> object:
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module_name, attribute = where[name]
        module = importlib.import_module(f"{package}.{module_name}")
        value = getattr(module, attribute) if attribute else module
        namespace[name] = value
        # Importing a module binds the package's name of that module to it; where the
        # face gives that name to a function of the module (backup's ``restore``),
        # the name is the function again.
        clash = where.get(module_name)
        if clash is not None and clash[0] == module_name and clash[1]:
            namespace[module_name] = getattr(module, clash[1])
        return value

    return load
