"""The copy of a whole database (``store.copying``): every model travels, in one
transaction on the target that commits only when the figures match."""

from __future__ import annotations

import pytest

from shopdesk import store
from shopdesk.errors import DatabaseError
from shopdesk.store import copying, engine, models
from tests import every_table


@pytest.fixture
def full(operator, seller, seller_b, tmp_path):
    """The open database of a data folder with rows in every table."""
    every_table.fill(operator, seller, seller_b, tmp_path / "work")
    return store.database.obj


def _fresh(path):
    db = engine.connect(path)
    db.connect()
    store.migrations.migrate(db)
    return db


def _counts(db):
    return {m._meta.table_name: m.select().bind(db).count() for m in models.ALL_MODELS}


def test_every_table_of_the_schema_has_a_model(home):
    """A table added by a migration without a model would stay behind in a copy."""
    assert copying.uncovered_tables(store.database.obj) == []
    assert {m._meta.table_name for m in copying.copied_models()} == {
        m._meta.table_name for m in models.ALL_MODELS
    }


def test_every_model_has_rows_in_the_full_data_folder(full):
    """Every model is really copied by the tests below: a new model needs rows in
    tests/every_table.py."""
    empty = [t for t, n in _counts(full).items() if n == 0]
    assert empty == [], f"add rows of {empty} to tests/every_table.py"


def test_copy_carries_every_row_and_verifies(full, tmp_path):
    target = _fresh(tmp_path / "copy.sqlite3")
    figures = copying.copy_database(full, target)
    assert _counts(target) == _counts(full)
    assert figures == copying.figures(full) == copying.figures(target)
    assert figures.ledger_drift == 0
    assert set(figures.sums["sale"]) == {1, 2}  # money per shop
    # The engine's own index is rebuilt by the target: the search finds the copied rows.
    found = target.execute_sql(
        "SELECT count(*) FROM variant v JOIN product p ON p.id = v.product_id "
        "WHERE p.name LIKE 'Kopi%'"
    ).fetchone()[0]
    assert found == 2
    target.close()


def test_a_target_with_rows_is_refused(full, tmp_path):
    target = _fresh(tmp_path / "copy.sqlite3")
    copying.copy_database(full, target)
    before = _counts(target)
    with pytest.raises(DatabaseError, match="tidak kosong"):
        copying.copy_database(full, target)
    assert _counts(target) == before


def test_a_failure_midway_leaves_the_target_empty(full, tmp_path, monkeypatch):
    target = _fresh(tmp_path / "copy.sqlite3")
    real = copying._insert
    calls = []

    def failing(model, db, rows, fields):
        calls.append(model)
        if model is models.Movement:
            raise OSError("cable pulled")
        real(model, db, rows, fields)

    monkeypatch.setattr(copying, "_insert", failing)
    with pytest.raises(OSError):
        copying.copy_database(full, target)
    assert models.Sale in calls  # rows had gone in before the failure
    assert copying.holds_rows(target) == []


def test_a_copy_that_does_not_match_is_rolled_back(full, tmp_path, monkeypatch):
    target = _fresh(tmp_path / "copy.sqlite3")
    real = copying._insert

    def lossy(model, db, rows, fields):
        real(model, db, rows[:-1] if model is models.Setting else rows, fields)

    monkeypatch.setattr(copying, "_insert", lossy)
    with pytest.raises(copying.CopyMismatchError) as caught:
        copying.copy_database(full, target)
    assert "setting: " in caught.value.detail
    assert copying.holds_rows(target) == []


def test_a_table_without_a_model_is_refused(full, tmp_path):
    target = _fresh(tmp_path / "copy.sqlite3")
    full.execute_sql("CREATE TABLE kasbon_new (id INTEGER PRIMARY KEY, amount INTEGER)")
    try:
        with pytest.raises(DatabaseError, match="kasbon_new"):
            copying.copy_database(full, target)
        assert copying.holds_rows(target) == []
    finally:
        full.execute_sql("DROP TABLE kasbon_new")
