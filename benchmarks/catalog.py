"""Catalog speed: ``python -m benchmarks catalog`` or ``python -m benchmarks.catalog``.

Every figure has its floor measured in the same run, the two taken in turn:
- search returning the first 200 matches on the big shop (100,000 products,
  150,000 variants, 1,000,000 movements; see ``dataset.py``), per query kind,
  median and p95 of ``RUNS``, against the raw indexed FTS5 query for the same
  words (the first 200 rows of the variant table for an empty text); goal:
  at most 30 ms for the worst query;
- counting the matches (what a lazy UI list asks first), against a raw
  ``COUNT(*)`` of the same FTS5 match;
- importing 10,000 CSV rows into an empty shop (preview, then apply with
  opening stock through the ledger), median of ``IMPORT_RUNS``, against bare
  sqlite3 reading the same file with ``csv`` and inserting the rows the import
  wrote (products, variants, movements, on-hand cache, listing marks) with
  ``executemany`` in one transaction into the same empty shop, the search
  index filled the fastest bare way (the insert trigger dropped in that
  transaction, one ``INSERT ... SELECT`` after the rows, the trigger put
  back), synchronous FULL in WAL as the app writes, after the backup every
  import must make first (data-safety.md), done bare: SQLite's online backup
  API into a file, fsync, ``PRAGMA integrity_check`` of the copy (the check the
  app runs on its backup read back); goal: at most 1 s;
- the database size on disk.
"""

from __future__ import annotations

import csv
import os
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from benchmarks import dataset
from benchmarks.timing import interleaved, median, ms, p95

QUERIES = {
    "one word": "kopi",
    "two word prefixes": "kerip bal",
    "three words any order": "temanggung robusta kop",
    "short prefix (2 letters)": "ke",
    "single letter": "k",
    "exact SKU": "KOPI-000040",
    "exact barcode": dataset._ean13(1001),
    "empty text (list all)": "",
}
RUNS = 20
COUNT_SQL = "SELECT COUNT(*) FROM search_index WHERE search_index MATCH ?"
IMPORT_ROWS = 10_000
IMPORT_RUNS = 5


def bench_search(report) -> None:
    from shopdesk import store
    from shopdesk.catalog import search

    info = dataset.big_shop()
    store.open_database(info.path, migrate=False)
    session = dataset.session_for(info)
    con = store.database.connection()
    try:
        worst: tuple[float, float, str] = (0.0, 0.0, "")
        for label, text in QUERIES.items():
            words = search.words_of(text)
            if words:
                raw_sql = "SELECT rowid FROM search_index WHERE search_index MATCH ? LIMIT 200"
                raw_args: tuple = (search.TEXT.query(words),)
            else:
                raw_sql = "SELECT id FROM variant WHERE shop_id = ? LIMIT 200"
                raw_args = (info.shop_id,)
            app, raw = (
                ms(t)
                for t in interleaved(
                    RUNS,
                    lambda t=text: search.search(session, t, limit=200),
                    lambda s=raw_sql, a=raw_args: con.execute(s, a).fetchall(),
                )
            )
            report(f"search 200: {label}", median(app), median(raw), "ms")
            report(f"search 200: {label} (p95)", p95(app), p95(raw), "ms")
            worst = max(worst, (p95(app), p95(raw), label))
        for label, text in (("one word", "kopi"), ("single letter", "k")):
            match = search.TEXT.query(search.words_of(text))
            app, raw = (
                ms(t)
                for t in interleaved(
                    RUNS,
                    lambda t=text: search.count(session, t),
                    lambda m=match: con.execute(COUNT_SQL, (m,)).fetchone(),
                )
            )
            report(f"search count: {label}", median(app), median(raw), "ms")
        report(f"search 200: worst p95 ({worst[2]})", worst[0], worst[1], "ms", goal="<= 30 ms")
    finally:
        store.close_database()


def write_import_file(path: Path, rows: int = IMPORT_ROWS) -> None:
    """Rows as a seller's spreadsheet has them: 1 in 4 products has 3 flavours."""
    header = ["sku", "name", "category", "variant_name", "variant_option", "unit", "price",
              "cost", "stock", "weight_g", "netto", "shelf_life_days", "halal", "barcode",
              "description"]  # fmt: skip
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        written = product = 0
        while written < rows:
            product += 1
            food = dataset.FOODS[product % len(dataset.FOODS)]
            kind = dataset.KINDS[product % len(dataset.KINDS)]
            name = f"{food} {kind} {dataset.PLACES[product % len(dataset.PLACES)]} {product}"
            flavours = dataset.FLAVOURS[: min(3, rows - written)] if product % 4 == 0 else [""]
            for flavour in flavours:
                written += 1
                writer.writerow(
                    ["", name, food, "Rasa" if flavour else "", flavour, "bungkus",
                     f"Rp {15 + product % 50}.000", 9000, product % 30, 250, "250 g", 180,
                     "ya", dataset._ean13(500_000 + written), "Dibuat di desa."]
                )  # fmt: skip


def bench_import(report) -> None:
    from shopdesk import paths, profiles, store
    from shopdesk.catalog import table_io

    old_home = os.environ.get("SHOPDESK_HOME")
    with tempfile.TemporaryDirectory(prefix="shopdesk-bench-") as folder:
        os.environ["SHOPDESK_HOME"] = folder
        try:
            store.open_database()
            op = profiles.create_operator(password="bench-operator")
            profiles.create_seller(op, login="impor", display_name="I", pin="123456", shop_name="I")
            store.close_database()
            empty = Path(folder) / "empty.sqlite3"
            shutil.copyfile(paths.database_path(), empty)
            source = Path(folder) / "katalog.csv"
            write_import_file(source)
            session = None
            written: dict[str, list[tuple]] = {}

            def fresh() -> None:
                nonlocal session
                store.close_database()
                shutil.copyfile(empty, paths.database_path())
                store.open_database()
                session = profiles.seller_login(login="impor", pin="123456")

            def preview() -> None:
                assert table_io.preview_import(session, source).ok

            def apply() -> None:
                result = table_io.apply_import(session, source)
                assert result.variants_created == IMPORT_ROWS

            def floor() -> None:
                _bare_import(empty, folder, source, written)

            fresh()
            apply()
            written.update(_rows_written(paths.database_path()))
            times: list[list[float]] = [[], [], []]
            for _run in range(IMPORT_RUNS):
                fresh()
                for index, work in enumerate((preview, apply, floor)):
                    started = time.perf_counter()
                    work()
                    times[index].append(time.perf_counter() - started)
            previews, applies, floors = (median(t) for t in times)
            report("import 10,000 CSV rows: preview", previews, floors, "s")
            report("import 10,000 CSV rows: apply", applies, floors, "s", goal="<= 1 s")
            report(
                "import 10,000 CSV rows: preview + apply",
                previews + applies,
                floors,
                "s",
                goal="<= 1 s",
            )
        finally:
            store.close_database()
            if old_home is None:
                os.environ.pop("SHOPDESK_HOME", None)
            else:
                os.environ["SHOPDESK_HOME"] = old_home


# The tables an import writes, in the order their foreign keys need.
_IMPORTED = ("category", "product", "variant", "movement", "lot_stock", "listing_state")


def _rows_written(path: Path) -> dict[str, list[tuple]]:
    """Every row of the tables an import fills (the shop was empty before it)."""
    con = sqlite3.connect(path)
    try:
        return {t: con.execute(f"SELECT * FROM {t}").fetchall() for t in _IMPORTED}
    finally:
        con.close()


def _bare_import(empty: Path, folder: str, source: Path, rows: dict[str, list[tuple]]) -> None:
    """The floor: a copy of the empty shop, the CSV read with ``csv``, the same rows
    inserted with ``executemany`` in one transaction and their search rows with one
    ``INSERT ... SELECT`` (no trigger run per row), synchronous as the app writes."""
    target = Path(folder) / "floor.sqlite3"
    shutil.copyfile(empty, target)
    _bare_backup(target, Path(folder) / "floor-backup.sqlite3")
    with open(source, newline="", encoding="utf-8-sig") as handle:
        assert sum(1 for _row in csv.reader(handle, delimiter=";")) == IMPORT_ROWS + 1
    con = sqlite3.connect(target, isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode = WAL")
        con.execute("PRAGMA synchronous = FULL")
        con.execute("PRAGMA foreign_keys = 1")
        con.execute("BEGIN IMMEDIATE")
        (trigger,) = con.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'variant_search_ai'"
        ).fetchone()
        con.execute("DROP TRIGGER variant_search_ai")
        for table in _IMPORTED:
            if rows[table]:
                marks = ", ".join("?" * len(rows[table][0]))
                con.executemany(f"INSERT INTO {table} VALUES ({marks})", rows[table])
        con.execute(
            "INSERT INTO search_index (rowid, name, codes) SELECT v.id, "
            "p.name || ' ' || v.option1_value || ' ' || v.option2_value, "
            "v.sku || ' ' || v.barcode FROM variant v JOIN product p ON p.id = v.product_id"
        )
        con.execute(trigger)
        con.execute("COMMIT")
    finally:
        con.close()


def _bare_backup(source: Path, copy: Path) -> None:
    """A verified copy made bare: the online backup API, fsync, an integrity check of it."""
    copy.unlink(missing_ok=True)
    src, dest = sqlite3.connect(source), sqlite3.connect(copy)
    try:
        src.backup(dest)
    finally:
        dest.close()
        src.close()
    with open(copy, "rb") as handle:
        os.fsync(handle.fileno())
    check = sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)
    try:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        check.close()


def bench_size(report) -> None:
    info = dataset.big_shop()
    size_mb = info.path.stat().st_size / 1024 / 1024
    report("database size: big shop", size_mb, None, "MB")
    import sqlite3

    con = sqlite3.connect(f"{info.path.as_uri()}?mode=ro", uri=True)
    try:
        try:
            index = con.execute(
                "SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'search_index%'"
            ).fetchone()[0]
            report("database size: search index share", index / 1024 / 1024, size_mb, "MB")
        except sqlite3.OperationalError:
            pass  # dbstat is not compiled into every SQLite
    finally:
        con.close()


def run(report) -> None:
    info = dataset.big_shop()
    if info.seconds:
        report("dataset: build the big shop", info.seconds, None, "s", goal="<= 60 s")
    bench_search(report)
    bench_import(report)
    bench_size(report)


if __name__ == "__main__":
    from benchmarks.__main__ import report

    run(report)
