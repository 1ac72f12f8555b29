# peewee's stubs leave Database.execute_sql untyped.
# mypy: disable-error-code="no-untyped-call"
"""Every row of every table from one open database into another, and the
figures that prove the copy whole: the one primitive under moving a data folder
onto a server and back, and under backups of a server's data.

The copy is generic over the models (``models.ALL_MODELS``, parents before
children, each table in key order, primary keys kept), so a table added by a
later migration travels without a change here; a table of the schema without
a model is refused by name (``uncovered_tables``) rather than left behind.
It runs inside one transaction on the target, which must hold no rows, and
commits only when the target's figures equal the source's: row count and a
digest of the rows of each table, the sums of every number column per shop
(money and quantities), and the stock cache against the ledger. Any failure
rolls back, and the target holds no rows again.

Both databases are open peewee databases of either engine; the source is read
in one snapshot (one read transaction).
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import peewee
import psycopg
from peewee import sort_models  # type: ignore[attr-defined]

from shopdesk.errors import DatabaseError
from shopdesk.i18n import _
from shopdesk.store import models, scope
from shopdesk.store.failures import translate_error

# Rows per INSERT: under SQLite's and PostgreSQL's caps on bound values.
BATCH = 400
# Number columns that are not amounts: keys and positions.
_NOT_AMOUNTS = {"id", "position", "lot", "number", "failed_attempts", "sku_prefix_counter"}
# Tables an engine keeps for itself (the full-text index and its parts on
# SQLite, the schema version on PostgreSQL): rebuilt by the target, never copied.
_ENGINE_TABLES = ("search_index", "schema_version")

Model = type[models.BaseModel]
# What the engines raise: peewee's wrappers, and the drivers' own errors.
ENGINE_ERRORS = (peewee.PeeweeException, sqlite3.Error, psycopg.Error)


class CopyMismatchError(DatabaseError):
    """The target's figures differ from the source's after the copy (rolled back)."""


@dataclass(frozen=True)
class Figures:
    """What a copy must carry over unchanged."""

    rows: dict[str, int]  # table: row count
    digests: dict[str, str]  # table: SHA-256 of its rows in key order
    sums: dict[str, dict[int, tuple[int, ...]]]  # table: shop: sums of its number columns
    ledger_drift: int  # lots whose cache differs from the ledger

    def differ_from(self, other: Figures) -> list[str]:
        """What differs between two databases' figures, table by table."""
        found = [
            f"{t}: {self.rows.get(t)} rows, {other.rows.get(t)} copied"
            for t in sorted(set(self.rows) | set(other.rows))
            if self.rows.get(t) != other.rows.get(t)
        ]
        found += [
            f"{t}: rows differ"
            for t in sorted(self.digests)
            if self.digests[t] != other.digests.get(t) and self.rows.get(t) == other.rows.get(t)
        ]
        found += [
            f"{t}: sums per shop differ" for t in self.sums if self.sums[t] != other.sums.get(t)
        ]
        if self.ledger_drift != other.ledger_drift:
            found.append(f"ledger: {self.ledger_drift} drifting lots, {other.ledger_drift} copied")
        return found


def copied_models() -> list[Model]:
    """Every model, parents before children (the order rows must go in)."""
    ordered: list[Model] = sort_models(models.ALL_MODELS)
    return ordered


def engine_table(name: str) -> bool:
    return any(name == t or name.startswith(f"{t}_") for t in _ENGINE_TABLES)


def uncovered_tables(db: peewee.Database) -> list[str]:
    """Tables of ``db`` that no model names: rows a copy would leave behind."""
    known = {m._meta.table_name for m in models.ALL_MODELS}  # noqa: SLF001 - peewee's public meta
    return sorted(t for t in db.get_tables() if t not in known and not engine_table(t))


def _keys(model: Model) -> list[peewee.Field]:
    meta = model._meta  # noqa: SLF001 - peewee's public meta
    if isinstance(meta.primary_key, peewee.CompositeKey):
        return [meta.fields[name] for name in meta.primary_key.field_names]
    key = meta.primary_key
    assert isinstance(key, peewee.Field)  # every model has a key
    return [key]


def _fields(model: Model) -> list[peewee.Field]:
    return list(model._meta.sorted_fields)  # noqa: SLF001 - peewee's public meta


Fields = list[peewee.Field]
# Per model, the fields a copy carries: those whose column both databases have.
# A server still at an older schema (its backup before an upgrade) has fewer
# columns, or lacks a newer table (no entry: nothing to carry).
Shape = dict[Model, Fields]


def shape(*dbs: peewee.Database) -> Shape:
    """The columns every one of ``dbs`` has, per model."""
    found: Shape = {}
    for model in copied_models():
        table = model._meta.table_name  # noqa: SLF001 - peewee's public meta
        columns = [{c.name for c in db.get_columns(table)} for db in dbs]
        fields = [f for f in _fields(model) if all(f.column_name in c for c in columns)]
        if all(columns) and fields:
            found[model] = fields
    return found


def _rows(model: Model, db: peewee.Database, fields: Fields) -> Iterator[tuple[Any, ...]]:
    """The table's rows as Python values (each engine's own conversions), in key order."""
    query = model.select(*fields).order_by(*_keys(model)).tuples()
    yield from query.bind(db).iterator()


def _plain(value: object) -> object:
    """One value as both engines read it back (bytes for blobs, naive UTC times)."""
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.astimezone(datetime.UTC).replace(tzinfo=None)
    return value


class _Digest:
    def __init__(self) -> None:
        self.hash = hashlib.sha256()
        self.count = 0

    def add(self, row: Sequence[object]) -> None:
        self.hash.update(repr(tuple(_plain(v) for v in row)).encode())
        self.count += 1


def _insert(model: Model, db: peewee.Database, rows: list[tuple[Any, ...]], fields: Fields) -> None:
    model.insert_many(rows, fields=fields).bind(db).as_rowcount().execute()


def _copy_table(
    model: Model, source: peewee.Database, target: peewee.Database, fields: Fields
) -> _Digest:
    digest = _Digest()
    batch: list[tuple[Any, ...]] = []
    for row in _rows(model, source, fields):
        digest.add(row)
        batch.append(row)
        if len(batch) >= BATCH:
            _insert(model, target, batch, fields)
            batch = []
    if batch:
        _insert(model, target, batch, fields)
    return digest


def _table_digest(model: Model, db: peewee.Database, fields: Fields) -> _Digest:
    digest = _Digest()
    for row in _rows(model, db, fields):
        digest.add(row)
    return digest


def _amount_columns(fields: Fields) -> list[str]:
    return [
        f.column_name
        for f in fields
        if isinstance(f, peewee.IntegerField)
        and not isinstance(f, peewee.ForeignKeyField | peewee.AutoField)
        and f.column_name not in _NOT_AMOUNTS
        and not f.column_name.endswith("_id")
    ]


def _sums(model: Model, db: peewee.Database, fields: Fields) -> dict[int, tuple[int, ...]] | None:
    """Per shop, the sum of each number column (rupiah, quantities); None for
    tables that belong to no shop."""
    columns = _amount_columns(fields)
    names = {f.column_name for f in fields}
    if "shop_id" not in names or not columns:
        return None
    table = model._meta.table_name  # noqa: SLF001 - peewee's public meta
    sums = ", ".join(f'COALESCE(SUM("{c}"), 0)' for c in columns)
    sql = f'SELECT shop_id, {sums} FROM "{table}" GROUP BY shop_id ORDER BY shop_id'
    return {int(r[0] or 0): tuple(int(v) for v in r[1:]) for r in db.execute_sql(sql).fetchall()}


# Lots whose cached figure differs from the sum of their ledger rows; plain SQL
# both engines run (``stock.integrity`` is the shop's own check and repair).
_LEDGER_DRIFT = """
SELECT COUNT(*) FROM (
  SELECT variant_id, lot FROM (
    SELECT variant_id, lot, on_hand AS q FROM lot_stock
    UNION ALL SELECT variant_id, COALESCE(batch_id, 0), -quantity FROM movement
  ) AS both_sides GROUP BY variant_id, lot HAVING SUM(q) != 0
) AS drifting
"""


def _ledger_drift(db: peewee.Database) -> int:
    return int(db.execute_sql(_LEDGER_DRIFT).fetchone()[0])


def _figures(db: peewee.Database, digests: dict[str, _Digest], carried: Shape) -> Figures:
    sums = {}
    for model, fields in carried.items():
        table = model._meta.table_name  # noqa: SLF001 - peewee's public meta
        found = _sums(model, db, fields) if table in digests else None
        if found is not None:
            sums[table] = found
    return Figures(
        rows={t: d.count for t, d in digests.items()},
        digests={t: d.hash.hexdigest() for t, d in digests.items()},
        sums=sums,
        ledger_drift=_ledger_drift(db),
    )


def figures(db: peewee.Database) -> Figures:
    """The figures of one database, read in one snapshot."""
    with scope.all_shops(), reading(db):
        carried = shape(db)
        digests = {
            m._meta.table_name: _table_digest(m, db, fields)  # noqa: SLF001 - peewee's meta
            for m, fields in carried.items()
        }
        return _figures(db, digests, carried)


@contextlib.contextmanager
def reading(db: peewee.Database) -> Iterator[None]:
    """One snapshot of ``db`` for the whole read: PostgreSQL's REPEATABLE READ
    (its default, READ COMMITTED, sees each statement's own moment); SQLite's
    read transaction already is one."""
    if db.in_transaction():
        yield
    elif isinstance(db, peewee.PostgresqlDatabase):
        with db.atomic(isolation_level="REPEATABLE READ"):
            yield
    else:
        with db.atomic():
            yield


def _reset_sequences(db: peewee.Database) -> None:
    """PostgreSQL hands out ids from sequences, which copied rows did not move:
    each goes on after its table's highest id. SQLite takes max + 1 by itself."""
    if not isinstance(db, peewee.PostgresqlDatabase):
        return
    for model in copied_models():
        key = model._meta.primary_key  # noqa: SLF001 - peewee's public meta
        if not isinstance(key, peewee.AutoField):
            continue
        table = model._meta.table_name  # noqa: SLF001 - peewee's public meta
        db.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{key.column_name}'), "
            f'COALESCE(MAX("{key.column_name}"), 0) + 1, false) FROM "{table}"'
        )


def refuse_uncovered(db: peewee.Database) -> None:
    missing = uncovered_tables(db)
    if missing:
        raise DatabaseError(
            _(
                "The database holds tables this ShopDesk does not know ({tables}); "
                "nothing was copied. Update ShopDesk first."
            ).format(tables=", ".join(missing))
        )


def holds_rows(db: peewee.Database) -> list[str]:
    """The tables of ``db`` that hold rows (none: it is empty)."""
    return [
        m._meta.table_name  # noqa: SLF001 - peewee's public meta
        for m, fields in shape(db).items()
        if m.select(*fields[:1]).bind(db).exists()
    ]


# A caller's own check of the target before the copy commits: what is wrong, if anything.
Check = Callable[[peewee.Database], list[str]]


def copy_database(
    source: peewee.Database,
    target: peewee.Database,
    *,
    leave_out: Iterable[Model] = (),
    check: Check | None = None,
) -> Figures:
    """Copy every row of ``source`` into the empty ``target`` (both at the app's
    schema), in one transaction on the target that commits only when the figures
    match and ``check`` finds nothing wrong; returns them. ``leave_out`` names
    models whose rows stay behind. An engine's failure (a server gone mid-way, a
    full disk) comes as its message."""
    try:
        return _copy(source, target, set(leave_out), check)
    except ENGINE_ERRORS as exc:
        raise translate_error(exc) from exc


def _copy(
    source: peewee.Database, target: peewee.Database, skipped: set[Model], check: Check | None
) -> Figures:
    refuse_uncovered(source)
    refuse_uncovered(target)
    # Every shop's rows in view, whatever the seller's scope (a server's row-level security).
    with scope.all_shops(), reading(source), target.atomic():
        if holds_rows(target):
            raise DatabaseError(
                _("The target database is not empty ({tables}); nothing was copied.").format(
                    tables=", ".join(holds_rows(target))
                )
            )
        carried = {m: f for m, f in shape(source, target).items() if m not in skipped}
        digests = {
            m._meta.table_name: _copy_table(m, source, target, f)  # noqa: SLF001 - peewee meta
            for m, f in carried.items()
        }
        _reset_sequences(target)
        want = _figures(source, digests, carried)
        got = _figures(
            target,
            {
                m._meta.table_name: _table_digest(m, target, f)  # noqa: SLF001 - peewee meta
                for m, f in carried.items()
            },
            carried,
        )
        differences = want.differ_from(got) + (check(target) if check else [])
        if differences:
            raise CopyMismatchError(
                _("The copy does not match its source; nothing was copied."),
                detail="; ".join(differences[:10]),
            )
    return got
