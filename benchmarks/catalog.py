"""Catalog speed: ``python -m benchmarks catalog`` or ``python -m benchmarks.catalog``.

- search returning the first 200 matches on the big shop (100,000 products,
  150,000 variants, 1,000,000 movements; see ``dataset.py``), per query kind,
  against the floor of the raw indexed FTS5 query for the same words;
- counting the matches (what a lazy UI list asks first);
- importing 10,000 CSV rows into an empty shop (preview, then apply with
  opening stock through the ledger), against the 5 s goal;
- the database size on disk.
"""

from __future__ import annotations

import csv
import os
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks import dataset

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
RUNS = 15
IMPORT_ROWS = 10_000
IMPORT_GOAL_S = 5.0


def _median_ms(func, runs: int = RUNS) -> float:
    func()  # warm the page cache and the statement cache
    times = []
    for _run in range(runs):
        started = time.perf_counter()
        func()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def bench_search(report) -> None:
    from shopdesk import store
    from shopdesk.catalog import search

    info = dataset.big_shop()
    store.open_database(info.path, migrate=False)
    session = dataset.session_for(info)
    con = store.database.connection()
    try:
        worst = 0.0
        for label, text in QUERIES.items():
            words = search.words_of(text)
            if words:
                raw_sql = "SELECT rowid FROM search_index WHERE search_index MATCH ? LIMIT 200"
                raw_args: tuple = (search.TEXT.query(words),)
            else:
                raw_sql = "SELECT id FROM variant WHERE shop_id = ? LIMIT 200"
                raw_args = (info.shop_id,)
            floor = _median_ms(lambda s=raw_sql, a=raw_args: con.execute(s, a).fetchall())
            value = _median_ms(lambda t=text: search.search(session, t, limit=200))
            worst = max(worst, value)
            report(f"search 200: {label}", value, floor, "ms")
        for label, text in (("one word", "kopi"), ("single letter", "k")):
            value = _median_ms(lambda t=text: search.count(session, t))
            report(f"search count: {label}", value, None, "ms")
        report("search 200: worst query (goal 30 ms)", worst, 30.0, "ms")
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
    from shopdesk import profiles, store
    from shopdesk.catalog import table_io

    with tempfile.TemporaryDirectory(prefix="shopdesk-bench-") as folder:
        os.environ["SHOPDESK_HOME"] = folder
        store.open_database()
        try:
            op = profiles.create_operator(password="bench-operator")
            profiles.create_seller(op, login="impor", display_name="I", pin="123456", shop_name="I")
            session = profiles.seller_login(login="impor", pin="123456")
            source = Path(folder) / "katalog.csv"
            write_import_file(source)
            started = time.perf_counter()
            preview = table_io.preview_import(session, source)
            preview_s = time.perf_counter() - started
            assert preview.ok, preview.rejected[:3]
            started = time.perf_counter()
            result = table_io.apply_import(session, source)
            apply_s = time.perf_counter() - started
            assert result.variants_created == IMPORT_ROWS
            report("import 10,000 CSV rows: preview", preview_s, IMPORT_GOAL_S, "s")
            report("import 10,000 CSV rows: apply (goal 5 s)", apply_s, IMPORT_GOAL_S, "s")
        finally:
            store.close_database()


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
        report("dataset: build the big shop (goal 60 s)", info.seconds, 60.0, "s")
    bench_search(report)
    bench_import(report)
    bench_size(report)


if __name__ == "__main__":
    from benchmarks.__main__ import report

    run(report)
