"""Released migration steps are frozen: a file of any schema must upgrade the same
way forever, so a step's code never changes once released; a change is a new step.

Each released step has a SHA-256 below over its source and what it uses from
shopdesk/store/migrations.py: the source of the helper functions it calls
(``_run``, ``append_only``) and the value of the SQL constants it runs
(``STEP_3_SQL``: its value, so the helpers that built it count too). Full-line
comments are left out; everything else counts, docstrings included.

Releasing a new step: make its schema file (tests/fixtures/README.md), run this
test, and paste the line its failure prints into FROZEN.
"""

from __future__ import annotations

import hashlib
import inspect
import types

import pytest

from shopdesk.store import migrations

FROZEN = {
    "step_1_profiles": "0e0aacd284e6f5f8a1d5ffa24617a52a9fbb052772bc27330f6c8eae391ebf14",
    "step_2_inventory": "32068bb2604a27297a3183a189514e6c7fa3d5dff954ca3a6b06a840d9c25438",
    "step_3_search": "5934726129fdb8bf0bc90fa4eb15e81e69c1cd1ca200514ee897cf1aa51b17ec",
    "step_4_lot_stock": "6e66fc213bcef30b8af5a06f7786eec20ec89255199ea755cf7bf59d070bcfd2",
    "step_5_external_orders": "60d810aac6fc7e7cfe11e12ea4a26b587e8e9f04cb2a45e8f79f4e4a11070d3c",
    "step_6_marketplace": "5dd07ec4df5bfdfda31de4ce262cfa3025f47a8112d8b66fd9500559d20cf382",
    "step_7_debts": "f7390e737b4bb7843e449086a8deebf5cc2d998756c38fbe1a94957c0e733ca7",
    "step_8_media": "6738a35a0e0e3369642850347e47ca7ae17522feec79b079e8106ef639b9de97",
}


def _code_names(code: types.CodeType) -> set[str]:
    """Global names a function's code (nested comprehensions included) reads."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _code_names(const)
    return names


def _source(function: types.FunctionType) -> str:
    lines = inspect.getsource(function).splitlines()
    return "\n".join(line.rstrip() for line in lines if not line.lstrip().startswith("#"))


def _parts(function: types.FunctionType, seen: dict[str, str]) -> None:
    """The function's source, then each migrations helper or constant it uses."""
    seen[function.__name__] = _source(function)
    module = vars(migrations)
    for name in sorted(_code_names(function.__code__) - set(seen)):
        value = module.get(name)
        if isinstance(value, types.FunctionType) and value.__module__ == migrations.__name__:
            _parts(value, seen)
        elif isinstance(value, str | tuple | list):
            seen[name] = repr(value)


def step_digest(step: types.FunctionType) -> str:
    seen: dict[str, str] = {}
    _parts(step, seen)
    text = "\n".join(f"## {name}\n{part}" for name, part in seen.items())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_every_step_is_released_with_its_digest():
    names = [step.__name__ for step in migrations.STEPS]
    missing = [
        f'    "{step.__name__}": "{step_digest(step)}",'
        for step in migrations.STEPS
        if step.__name__ not in FROZEN
    ]
    assert not missing, (
        "New migration step without a frozen digest. Once its schema file is made "
        "(tests/fixtures/README.md), add to FROZEN in tests/test_frozen_migrations.py:\n"
        + "\n".join(missing)
    )
    assert names[: len(FROZEN)] == list(FROZEN), (
        "Released migration steps were removed or reordered: they are frozen, in order "
        f"{list(FROZEN)}. A change to the schema is a new step at the end."
    )


@pytest.mark.parametrize("name", FROZEN)
def test_released_step_is_unchanged(name):
    step = getattr(migrations, name, None)
    assert step is not None, f"Released migration step {name} is gone: released steps are frozen."
    assert step_digest(step) == FROZEN[name], (
        f"Migration step {name} (or a helper or SQL constant it uses) changed. Released steps "
        "are frozen: a database of that schema must upgrade the same way forever. Undo the "
        "change and write it as a new step at the end of STEPS (with its schema file and "
        "digest), leaving this one as it was."
    )
