"""The one engine seam: ``shopdesk/store/`` is the only place that knows which
database engine runs, and the UI never touches the models or peewee.

Code is read as Python reads it (``ast``): imports, and the strings the code
uses (f-string parts included). Comments and docstrings may name the engine.
Each scan is shown to catch a planted example, so neither test passes by
scanning nothing.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "shopdesk"
STORE = CORE / "store"
UI = ROOT / "ui"

# SQL only SQLite speaks: its settings and checks, its full-text tables, its
# triggers, its catalog and its file commands; the FTS table ``search_index`` too.
ENGINE_SQL = re.compile(
    r"\bPRAGMA\b|\bfts5\b|\bCREATE\s+(?:TEMP\w*\s+)?TRIGGER\b|\bDROP\s+TRIGGER\b"
    r"|\bsqlite_master\b|\bATTACH\s+DATABASE\b|\bVACUUM\b|\bsearch_index\b",
    re.IGNORECASE,
)
# The full-text match operator (``search_index MATCH ?``); upper case only, so that
# messages such as "does not match" are not taken for SQL.
FULLTEXT_MATCH = re.compile(r"\bMATCH\s+[?:]")
ENGINE_MODULES = {"sqlite3", "_sqlite3", "apsw", "pysqlite2", "pysqlite3"}


def _words(tree: ast.AST) -> set[int]:
    """Bare string statements (docstrings and the like): prose, not code."""
    return {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    }


def _top(module: str) -> str:
    return module.split(".")[0]


def engine_leaks(source: str, name: str = "<planted>") -> list[str]:
    """Engine modules imported and engine SQL used by the code in ``source``."""
    tree = ast.parse(source)
    prose = _words(tree)
    found = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import):
            found += [
                f"{name}:{line} import {a.name}"
                for a in node.names
                if _top(a.name) in ENGINE_MODULES
            ]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            if _top(node.module or "") in ENGINE_MODULES:
                found.append(f"{name}:{line} from {node.module} import")
        elif (
            isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in prose
        ):
            if node.value in ENGINE_MODULES:  # importlib.import_module("sqlite3")
                found.append(f"{name}:{line} {node.value!r}")
            elif match := ENGINE_SQL.search(node.value) or FULLTEXT_MATCH.search(node.value):
                found.append(f"{name}:{line} {match.group(0)!r} in {node.value[:60]!r}")
    return found


def _core_outside_store() -> list[Path]:
    return sorted(p for p in CORE.rglob("*.py") if STORE not in p.parents)


def test_engine_specific_code_stays_in_store():
    files = _core_outside_store()
    assert len(files) > 50  # the scan reads the core, not an empty list
    leaks = [
        leak
        for path in files
        for leak in engine_leaks(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    ]
    assert leaks == []


@pytest.mark.parametrize(
    "planted",
    [
        "import sqlite3",
        "import sqlite3 as lite",
        "from sqlite3 import connect",
        "import apsw",
        "import importlib\nimportlib.import_module('sqlite3')",
        "con.execute('PRAGMA user_version')",
        "con.execute(f'pragma {schema}.table_info(\"{table}\")')",
        "SQL = 'CREATE VIRTUAL TABLE t USING fts5(name)'",
        "SQL = ('CREATE TRIGGER t_no_update BEFORE UPDATE ON t '\n       'BEGIN SELECT 1; END')",
        "def f(con):\n    con.execute('SELECT name FROM sqlite_master')",
        "con.execute('VACUUM')",
        "condition = 'search_index MATCH ?'",
    ],
)
def test_the_engine_scan_catches_planted_code(planted):
    assert engine_leaks(planted)


def test_the_engine_scan_reads_code_not_prose():
    prose = '''"""Uses PRAGMA user_version, an fts5 table and sqlite3."""
# PRAGMA integrity_check; import sqlite3
import json


def f():
    """CREATE TRIGGER in a docstring is prose."""
    return json.dumps({"file": "shopdesk.sqlite3", "why": "the checksum does not match"})
'''
    assert engine_leaks(prose) == []


def test_the_engine_scan_catches_a_line_planted_in_a_real_module():
    path = CORE / "backup" / "create.py"
    source = path.read_text(encoding="utf-8")
    assert engine_leaks(source) == []
    assert engine_leaks(source + "\nimport sqlite3\n")
    assert engine_leaks(source + "\nSTEP = 'PRAGMA user_version = 5'\n")


def test_the_engine_code_is_found_inside_store():
    """The scan sees the real engine code where it belongs."""
    for name in ("engine.py", "files.py", "structure.py", "fulltext.py", "migrations.py"):
        assert engine_leaks((STORE / name).read_text(encoding="utf-8")), name


# --- the UI never touches the models or peewee ----------------------------------

MODEL_MODULES = ("peewee", "playhouse", "shopdesk.store.models")  # playhouse: peewee's extras


def _is_model_module(module: str) -> bool:
    return any(module == m or module.startswith(m + ".") for m in MODEL_MODULES)


def model_leaks(source: str, name: str = "<planted>") -> list[str]:
    """Imports of peewee or of the store's models (or names from them) in ``source``,
    and ``store.models`` reached through the store's face."""
    tree = ast.parse(source)
    prose = _words(tree)
    store_names: set[str] = set()  # local names bound to shopdesk.store
    found = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _is_model_module(alias.name):
                    found.append(f"{name}:{line} import {alias.name}")
                elif alias.name == "shopdesk.store" and alias.asname:
                    store_names.add(alias.asname)
        elif isinstance(node, ast.ImportFrom) and not node.level:
            module = node.module or ""
            for alias in node.names:
                full = f"{module}.{alias.name}"
                if _is_model_module(module) or _is_model_module(full):
                    found.append(f"{name}:{line} from {module} import {alias.name}")
                elif full == "shopdesk.store":
                    store_names.add(alias.asname or alias.name)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in prose
            and node.value in MODEL_MODULES
        ):
            found.append(f"{name}:{line} {node.value!r}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "models":
            dotted = ast.unparse(node.value)
            if dotted in store_names or dotted == "shopdesk.store":
                found.append(f"{name}:{node.lineno} {dotted}.models")
    return found


def test_the_ui_uses_neither_peewee_nor_the_models():
    files = sorted(UI.rglob("*.py"))
    assert len(files) > 20
    leaks = [
        leak
        for path in files
        for leak in model_leaks(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    ]
    assert leaks == []


@pytest.mark.parametrize(
    "planted",
    [
        "import peewee",
        "import peewee as pw",
        "from peewee import fn",
        "from playhouse.shortcuts import model_to_dict",
        "import shopdesk.store.models",
        "from shopdesk.store.models import Product",
        "from shopdesk.store.models import Product as P",
        "from shopdesk.store import models",
        "from shopdesk.store import database, models as m",
        "from shopdesk import store\nrows = store.models.Product.select()",
        "import shopdesk.store as st\nst.models.Variant",
        "import shopdesk\nshopdesk.store.models.Shop",
        "import importlib\nimportlib.import_module('shopdesk.store.models')",
    ],
)
def test_the_ui_scan_catches_planted_imports(planted):
    assert model_leaks(planted)


def test_the_ui_scan_lets_the_store_face_through():
    allowed = '''"""A page never keeps peewee objects (shopdesk.store.models)."""
from shopdesk import backup, store
from shopdesk.store import close_database

store.close_database()
close_database()
'''
    assert model_leaks(allowed) == []


def test_the_ui_scan_catches_a_line_planted_in_a_real_module():
    path = UI / "app.py"
    source = path.read_text(encoding="utf-8")
    assert model_leaks(source) == []
    assert model_leaks(source + "\nfrom shopdesk.store.models import Seller\n")
