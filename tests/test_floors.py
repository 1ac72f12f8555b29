"""The floors of docs/architecture.md, kept by reading every import of the core.

A unit is a package of ``shopdesk`` (``store``, ``catalog`` ...) or a flat module
(``sales``); ``FLOORS`` lists them from the ground up. A unit imports only units
of lower floors, flat modules of its own floor, and itself. Across units, code
imports only what the target package's face (``__init__.__all__``) names, and no
file imports or uses another file's underscore names. Function-level imports
count as much as top-level ones. The file graph has no circle.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "shopdesk"

FLOORS: list[tuple[str, ...]] = [
    (  # base: no database, no session
        "__init__", "errors", "clock", "paths", "i18n", "money", "codes", "validators",
        "safe_io", "media", "tabular", "instance_lock", "logging_setup", "fonts", "drives",
        "dates", "lean_imports", "lazy_faces",
    ),
    ("store",),  # the database engine, models and schema: the one engine seam
    ("audit", "profiles", "settings", "media_store"),  # who is working, what they did; images
    ("stock", "backup", "debts"),
    ("catalog",),
    ("sales", "reports", "debt_reports", "doctor", "demo", "opener", "moving", "first_steps",
     "server_link"),
    ("labels", "export", "orders", "receipts"),
    ("cli",),
    ("__main__",),
]  # fmt: skip
FLOOR_OF = {unit: n for n, units in enumerate(FLOORS) for unit in units}
PACKAGES = {p.name for p in CORE.iterdir() if (p / "__init__.py").is_file()}
# Packages with a face; labels/ and export/ keep their modules open to the CLI and the UI.
FACED = ("store", "stock", "catalog", "backup", "debts")
GETTEXT = ("_", "N_")  # the message markers are meant to be imported


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def _unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _core_files() -> list[Path]:
    return sorted(CORE.rglob("*.py"))


def _imports(path: Path) -> list[tuple[str, list[str], int]]:
    """(module, names, line) of every ``shopdesk`` import in the file, at any depth."""
    found = []
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path.parent)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, module] if module else base)
            if module.split(".")[0] == "shopdesk":
                found.append((module, [a.name for a in node.names], node.lineno))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "shopdesk":
                    found.append((alias.name, [], node.lineno))
    return found


def _targets(module: str, names: list[str]) -> list[str]:
    """The modules an import reaches: ``from shopdesk import stock`` reaches shopdesk.stock."""
    out = []
    for name in names or [""]:
        sub = f"{module}.{name}" if name else module
        out.append(
            sub
            if (ROOT / sub.replace(".", "/")).with_suffix(".py").exists()
            or (ROOT / sub.replace(".", "/") / "__init__.py").exists()
            else module
        )
    return out  # fmt: skip


def test_every_core_unit_has_a_floor():
    units = {p.stem for p in CORE.glob("*.py")} | PACKAGES
    assert sorted(units - set(FLOOR_OF)) == []


def _floor_breaches() -> list[str]:
    wrong = []
    for path in _core_files():
        here = _unit(_module_name(path))
        for module, names, line in _imports(path):
            for target in sorted(set(_targets(module, names))):
                there = _unit(target)
                if there == here or target == "shopdesk":
                    continue
                same_floor_flat = FLOOR_OF[there] == FLOOR_OF[here] and there not in PACKAGES
                if FLOOR_OF[there] > FLOOR_OF[here] or (
                    FLOOR_OF[there] == FLOOR_OF[here] and not same_floor_flat
                ):
                    wrong.append(f"{path.relative_to(ROOT)}:{line} {here} -> {there}")
    return wrong


def test_each_unit_imports_only_lower_floors():
    assert _floor_breaches() == []


def test_the_floor_check_catches_an_upward_import(monkeypatch):
    """The check above can fail: a core module that imported the CLI would be caught."""
    real = _imports

    def planted(path: Path):
        extra = [("shopdesk.cli", ["main"], 1)] if path.name == "money.py" else []
        return real(path) + extra

    monkeypatch.setitem(globals(), "_imports", planted)
    assert any("money.py:1 money -> cli" in w for w in _floor_breaches())


def _face_breaches() -> list[str]:
    wrong = []
    for path in _core_files():
        here = _unit(_module_name(path))
        for module, names, line in _imports(path):
            parts = module.split(".")
            if len(parts) < 2 or parts[1] not in FACED or parts[1] == here:
                continue
            face = importlib.import_module(".".join(parts[:2]))
            public = set(getattr(face, "__all__", ()))
            reached = [".".join(parts[2:3])] if len(parts) > 2 else names
            wrong += [
                f"{path.relative_to(ROOT)}:{line} {module}: {name}"
                for name in reached
                if name not in public
            ]
    return wrong


def test_other_units_use_only_a_packages_face():
    assert _face_breaches() == []


def _private_uses() -> list[str]:
    """``from x import _name`` and ``module._name`` across files of the core and the UI."""
    wrong = []
    for path in [*_core_files(), *sorted((ROOT / "ui").rglob("*.py"))]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                ("shopdesk", "ui")
            ):
                for alias in node.names:
                    modules.add(alias.asname or alias.name)
                    if alias.name.startswith("_") and alias.name not in (*GETTEXT, "__version__"):
                        wrong.append(f"{path.relative_to(ROOT)}:{node.lineno} {alias.name}")
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in modules
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value.id}.{node.attr}")
    return wrong


def test_no_file_uses_another_files_private_names():
    assert _private_uses() == []


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in _core_files():
        here = _module_name(path)
        graph[here] = set()
        for module, names, _line in _imports(path):
            graph[here].update(t for t in _targets(module, names) if t != here)
    return graph


def _circle(graph: dict[str, set[str]]) -> list[str]:
    """One import circle of the graph, or [] (depth-first search, white/grey/black)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        stack.pop()
        return []

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return []


def test_the_core_has_no_import_circle():
    assert _circle(_graph()) == []


@pytest.mark.parametrize(
    ("graph", "circular"),
    [({"a": {"b"}, "b": {"c"}, "c": {"a"}}, True), ({"a": {"b"}, "b": {"c"}, "c": set()}, False)],
)
def test_the_circle_search_finds_a_planted_circle(graph, circular):
    assert bool(_circle(graph)) is circular
