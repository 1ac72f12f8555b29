"""The big shop on PostgreSQL beside SQLite (issue 14 point 10, issue 18 point 6).

    python -m benchmarks postgres

A throwaway cluster of its own (``tests/pg_cluster.py``: a temporary folder, localhost, a
free port, an unprivileged account; durable: commits flushed to disk as SQLite's are), the
big shop loaded into it by ``benchmarks.server_shop`` (same rows as the SQLite file). Each
server figure has its floor, the same work with bare psycopg on the same server, taken in
turn with it; SQLite's figure (the app on the SQLite copy of the same shop) is measured in
the same run and printed on the next line. Without PostgreSQL installed the run says so and
measures nothing. The 4 PCs' ratio is a rate's: below 1 means slower than the floor.

- search, first 200 matches (median of ``RUNS``) vs the raw ``tsvector`` query;
- a 3-line sale (median and p95 of ``SALES``) vs the same rows written with psycopg;
- 4 PCs selling at once (4 processes, ``PC_SALES`` sales each, one shop): sales per second,
  vs 4 processes writing the same rows with psycopg;
- rebuild of the on-hand caches from 1M movements vs a raw ``GROUP BY``;
- import of 10,000 CSV rows into an empty shop vs psycopg inserting the rows it wrote.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import dataset, server_shop
from benchmarks.stock import stocked_variants
from benchmarks.timing import interleaved, median, ms, p95

RUNS = 20
SALES = 40
PC_SALES = 25
PCS = 4
REPEATS = 5
ROUNDS = 5
QUERIES = {"one word": "kopi", "two word prefixes": "kerip bal", "single letter": "k"}

Report = Callable[..., None]


def run(report: Report) -> None:
    from tests import pg_cluster

    bin_dir = pg_cluster.binaries()
    if bin_dir is None:
        print("# postgres: PostgreSQL is not installed (no pg_ctl in /usr/lib/postgresql/*/bin "
              "or SHOPDESK_PG_BIN), so no PostgreSQL figures", flush=True)  # fmt: skip
        return
    old_home = os.environ.get("SHOPDESK_HOME")
    cluster = pg_cluster.Cluster(bin_dir, durable=True)
    try:
        with tempfile.TemporaryDirectory(prefix="shopdesk-bench-pg-") as folder:
            os.environ["SHOPDESK_HOME"] = folder
            cluster.start()
            info = dataset.fresh_copy(folder)
            url, seconds = server_shop.load(cluster, info.path)
            report("postgres: load the big shop (COPY + search rebuild)", seconds, None, "s")
            Bench(report, cluster, url, info, Path(folder)).all()
    finally:
        cluster.remove()
        if old_home is None:
            os.environ.pop("SHOPDESK_HOME", None)
        else:
            os.environ["SHOPDESK_HOME"] = old_home


def raw_sale(con: Any, shop: int, variants: list[int]) -> None:
    """A 3-line sale with bare psycopg: the rows ``stock._raw_sale`` writes, and what the
    app must do besides on a server: the shop's sales one after another (its write lock),
    each variant locked and its sellable lots read (fresh first, none past expiry) before
    its stock leaves the first of them, the sale's total, its audit row."""
    with con.transaction():
        con.execute("SELECT pg_advisory_xact_lock(%s)", (shop,))
        number = con.execute(
            "SELECT COALESCE(MAX(number), 0) + 1 FROM sale WHERE shop_id = %s", (shop,)
        ).fetchone()[0]
        sale = con.execute(
            "INSERT INTO sale (shop_id, number, at, total) "
            "VALUES (%s, %s, '2026-01-01', 0) RETURNING id",
            (shop, number),
        ).fetchone()[0]
        total = 0
        for variant in variants:
            (price,) = con.execute(
                "SELECT price FROM variant WHERE id = %s FOR UPDATE", (variant,)
            ).fetchone()
            lot = con.execute(_SELLABLE, (variant,)).fetchone()[0]
            line = con.execute(
                "INSERT INTO sale_line (sale_id, variant_id, quantity, unit_price) "
                "VALUES (%s, %s, 1, %s) RETURNING id",
                (sale, variant, price),
            ).fetchone()[0]
            con.execute(
                "INSERT INTO movement (shop_id, variant_id, batch_id, reason, quantity, at, "
                "sale_line_id) VALUES (%s, %s, %s, 'sold', -1, '2026-01-01', %s)",
                (shop, variant, lot or None, line),
            )
            con.execute(
                "UPDATE lot_stock SET on_hand = on_hand - 1 WHERE variant_id = %s AND lot = %s",
                (variant, lot),
            )
            total += price
        con.execute("UPDATE sale SET total = %s WHERE id = %s", (total, sale))
        con.execute(
            "INSERT INTO audit_log (at, shop_id, actor, action, detail) "
            "VALUES ('2026-01-01', %s, 'bench', 'sale.record', '{}')",
            (shop,),
        )


_SELLABLE = (
    "SELECT l.lot FROM lot_stock l LEFT JOIN batch b ON b.id = l.lot "
    "WHERE l.variant_id = %s AND l.on_hand > 0 AND (b.expires_on IS NULL "
    "OR b.expires_on >= CURRENT_DATE) ORDER BY b.expires_on NULLS LAST, l.lot LIMIT 1"
)


# The search's floor: the same 200 rows with bare psycopg, each statement the plainest
# that does the work the app's search must do on this schema: look the text up as an
# exact code, fold it into a prefix query, count the index's matches up to 3,001 (more
# come in index order, fewer A-Z: the app's rule on both engines), then the rows.
_FOLD = "SELECT search_query(%s)::text"
_CODES = (
    "SELECT id FROM variant WHERE shop_id = %(shop)s AND (sku = upper(%(code)s) "
    "OR barcode = %(code)s)"
)
_MATCHES = (
    "SELECT COUNT(*) FROM (SELECT 1 FROM search_index WHERE words @@ %s::tsquery LIMIT 3001) m"
)
_ROWS = (
    "SELECT v.id, v.product_id, v.sku, p.name, v.option1_value, v.option2_value, "
    "COALESCE(c.name, ''), p.unit, v.price, "
    "COALESCE((SELECT SUM(on_hand) FROM lot_stock WHERE variant_id = v.id), 0), "
    "v.low_stock, v.barcode, v.archived | p.archived "
    "FROM search_index s JOIN variant v ON v.id = s.variant_id "
    "JOIN product p ON p.id = v.product_id LEFT JOIN category c ON c.id = p.category_id "
    "WHERE s.words @@ %(q)s::tsquery AND v.shop_id = %(shop)s AND p.shop_id = %(shop)s "
    "AND v.archived = 0 AND p.archived = 0 AND v.id != ALL(%(exact)s) "
)
_BY_INDEX = "ORDER BY s.variant_id LIMIT 200"
_BY_NAME = "ORDER BY lower(p.name), p.id, v.position, v.id LIMIT 200"


def raw_search(con: Any, shop: int, text: str) -> list[int]:
    """The variant ids of the app's first 200 rows for ``text`` (words only: no
    archived exact codes, as the benchmark's queries are)."""
    exact = [i for (i,) in con.execute(_CODES, {"shop": shop, "code": text.strip()})]
    query = con.execute(_FOLD, (text,)).fetchone()[0]
    broad = con.execute(_MATCHES, (query,)).fetchone()[0] > 3000
    rows = con.execute(
        _ROWS + (_BY_INDEX if broad else _BY_NAME), {"q": query, "shop": shop, "exact": exact}
    ).fetchall()
    return exact + [row[0] for row in rows][: 200 - len(exact)]


# The rebuild's floor: the work ``stock.rebuild`` must do, in one statement and a count,
# under the shop's write lock: every lot's sum over the ledger, the cached figures that
# differ from it rewritten (none in a healthy shop), and the non-zero cached rows counted
# (more than the sums would be strays).
_REBUILD = (
    "WITH sums AS (SELECT variant_id, COALESCE(batch_id, 0) AS lot, SUM(quantity) AS q "
    "FROM movement WHERE shop_id = %(shop)s GROUP BY variant_id, batch_id "
    "HAVING SUM(quantity) != 0), "
    "fixed AS (INSERT INTO lot_stock (variant_id, lot, shop_id, on_hand) "
    "SELECT l.variant_id, l.lot, %(shop)s, l.q FROM sums l "
    "LEFT JOIN lot_stock c ON c.variant_id = l.variant_id AND c.lot = l.lot "
    "WHERE COALESCE(c.on_hand, 0) != l.q OR c.shop_id != %(shop)s "
    "ON CONFLICT (variant_id, lot) DO UPDATE SET on_hand = excluded.on_hand, "
    "shop_id = excluded.shop_id RETURNING 1) "
    "SELECT (SELECT COUNT(*) FROM sums), (SELECT COUNT(*) FROM fixed), "
    "(SELECT COUNT(*) FROM lot_stock WHERE shop_id = %(shop)s AND on_hand != 0)"
)


def raw_rebuild(con: Any, shop: int) -> int:
    """The cached figures a rebuild fixed (0: the shop is healthy, as the benchmark's is)."""
    with con.transaction():
        con.execute("SELECT pg_advisory_xact_lock(%s)", (shop,))
        sums, fixed, cached = con.execute(_REBUILD, {"shop": shop}).fetchone()
    assert cached == sums, "strays in the cache"
    return int(fixed)


class Bench:
    def __init__(self, report: Report, cluster: Any, url: str, info: Any, home: Path) -> None:
        self.report, self.cluster, self.url, self.info, self.home = report, cluster, url, info, home
        self.session = dataset.session_for(info)
        # SQLite's sales, the server's and the floor's; the big shop's PC in 4 shops too.
        sales = SALES * 3 + PCS * PC_SALES * (1 + 2 * ROUNDS) + PC_SALES * (1 + 2 * ROUNDS)
        self.picked = stocked_variants(info.path, sales * 3, random.Random(29))

    def take(self, count: int) -> list[tuple[str, int, int]]:
        taken, self.picked = self.picked[:count], self.picked[count:]
        assert len(taken) == count, "not enough stocked variants picked"
        return taken

    def open(self, server: bool) -> None:
        from shopdesk import store

        store.close_database()
        if server:
            with server_shop.on_server(self.url):
                store.open_database()
        else:
            store.open_database(self.info.path)
        store.set_shop_scope(self.info.shop_id)

    def pair(
        self,
        name: str,
        server: list[float],
        floor: list[float],
        sqlite: float,
        unit: str,
        figure: Callable[[list[float]], float] = median,
        **goal: str,
    ) -> None:
        self.report(f"postgres: {name}", figure(server), figure(floor), unit, **goal)
        self.report(f"  sqlite: {name}", sqlite, None, unit)

    def all(self) -> None:
        from shopdesk import store

        for part in (self.search, self.sale, self.pcs, self.rebuild, self.imports):
            try:
                part()
            except Exception as exc:  # one broken figure must not hide the others
                print(f"# postgres: {part.__name__} failed: {type(exc).__name__}: {exc}")
            finally:
                store.close_database()

    def search(self) -> None:
        from shopdesk.catalog import search

        sqlite: dict[str, tuple[float, float]] = {}
        self.open(False)
        for label, text in QUERIES.items():
            (times,) = interleaved(RUNS, lambda t=text: search.search(self.session, t, limit=200))
            sqlite[label] = (median(ms(times)), p95(ms(times)))
        self.open(True)
        con = server_shop.raw_connection(self.url, self.info.shop_id)
        try:
            for label, text in QUERIES.items():
                app, raw = (
                    ms(t)
                    for t in interleaved(
                        RUNS,
                        lambda t=text: search.search(self.session, t, limit=200),
                        lambda t=text: raw_search(con, self.info.shop_id, t),
                    )
                )
                assert raw_search(con, self.info.shop_id, text) == [
                    r.variant_id for r in search.search(self.session, text, limit=200)
                ], f"the floor of {text!r} found other rows"
                self.pair(f"search 200: {label}", app, raw, sqlite[label][0], "ms")
                self.pair(f"search 200: {label} (p95)", app, raw, sqlite[label][1], "ms", p95)
        finally:
            con.close()

    def _app_sales(self, count: int) -> list[float]:
        from shopdesk import sales

        times = []
        for _sale in range(count):
            lines = [(sku, 1) for sku, _v, _b in self.take(3)]
            started = time.perf_counter()
            sales.record_sale(self.session, lines=lines, payment="cash")
            times.append((time.perf_counter() - started) * 1000)
        return times

    def sale(self) -> None:
        from shopdesk import sales

        self.open(False)
        sqlite = self._app_sales(SALES)
        self.open(True)
        con = server_shop.raw_connection(self.url, self.info.shop_id)
        app, raw = [], []
        try:
            for _sale in range(SALES):  # the app and the floor in turn
                lines = [(sku, 1) for sku, _v, _b in self.take(3)]
                started = time.perf_counter()
                sales.record_sale(self.session, lines=lines, payment="cash")
                app.append((time.perf_counter() - started) * 1000)
                rows = [v for _s, v, _b in self.take(3)]
                started = time.perf_counter()
                raw_sale(con, self.info.shop_id, rows)
                raw.append((time.perf_counter() - started) * 1000)
        finally:
            con.close()
        self.pair("record a 3-line sale (median)", app, raw, median(sqlite), "ms",
                  goal="<= 20 ms")  # fmt: skip
        self.pair("record a 3-line sale (p95)", app, raw, p95(sqlite), "ms", p95,
                  goal="<= 20 ms")  # fmt: skip

    def _together(self, mode: str, pcs: list[tuple[int, str, list[tuple[str, int, int]]]]) -> float:
        """Sales per second of processes selling at once (``benchmarks.postgres_pc``), one
        per (shop, seller's login, lines to sell)."""
        from shopdesk import store

        store.close_database()
        folder = Path(tempfile.mkdtemp(prefix="pcs-", dir=self.home))
        runs = []
        for pc, (shop, login, lines) in enumerate(pcs):
            listed = folder / f"pc{pc}.txt"
            listed.write_text("\n".join(f"{s}\t{v}\t{b}" for s, v, b in lines))
            runs.append(subprocess.Popen(
                [sys.executable, "-m", "benchmarks.postgres_pc", mode,
                 self.url if mode != "sqlite" else str(self.info.path),
                 str(shop), login, str(listed)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env={**os.environ},
            ))  # fmt: skip
        for process in runs:  # every PC connected and logged in
            assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        for process in runs:  # then all start at once
            assert process.stdin is not None
            process.stdin.write("go\n")
            process.stdin.flush()
        spans = []
        for process in runs:
            out, _err = process.communicate(timeout=600)
            if process.returncode != 0:
                raise RuntimeError(f"a {mode} PC failed")
            spans.append(tuple(float(x) for x in out.split()))
        sold = sum(len(lines) for _s, _l, lines in pcs) // 3
        return sold / (max(end for _s, end in spans) - min(s for s, _e in spans))

    def _one_shop(self) -> list[tuple[int, str, list[tuple[str, int, int]]]]:
        return [(self.info.shop_id, dataset.LOGIN, self.take(PC_SALES * 3)) for _pc in range(PCS)]

    def _own_shops(self, shops: list[Any]) -> list[tuple[int, str, list[tuple[str, int, int]]]]:
        big = (self.info.shop_id, dataset.LOGIN, self.take(PC_SALES * 3))
        return [big, *((s.shop_id, s.login, s.take(PC_SALES * 3)) for s in shops)]

    def _shops(self, server: bool) -> list[Any]:
        from benchmarks import postgres_shops
        from shopdesk import store

        self.open(server)
        try:
            return postgres_shops.add_shops()
        finally:
            store.close_database()

    def pcs(self) -> None:
        sqlite_shops, server_shops = self._shops(False), self._shops(True)
        sqlite = self._together("sqlite", self._one_shop())
        sqlite_own = self._together("sqlite", self._own_shops(sqlite_shops))
        one: tuple[list[float], list[float]] = ([], [])
        own: tuple[list[float], list[float]] = ([], [])
        for _round in range(ROUNDS):  # in turn
            for mode, figures in (("app", 0), ("raw", 1)):
                one[figures].append(self._together(mode, self._one_shop()))
                own[figures].append(self._together(mode, self._own_shops(server_shops)))
        self.pair(f"{PCS} PCs selling at once, one shop (sales/s, higher is better)", *one,
                  sqlite, "/s")  # fmt: skip
        self.pair(f"{PCS} PCs selling at once, {PCS} shops (sales/s, higher is better)", *own,
                  sqlite_own, "/s")  # fmt: skip

    def rebuild(self) -> None:
        from shopdesk import stock

        self.open(False)
        (sqlite,) = interleaved(REPEATS, lambda: stock.rebuild(self.session))
        self.open(True)
        con = server_shop.raw_connection(self.url, self.info.shop_id)
        try:
            app, raw = (
                ms(t)
                for t in interleaved(
                    REPEATS,
                    lambda: stock.rebuild(self.session),
                    lambda: raw_rebuild(con, self.info.shop_id),
                )
            )
        finally:
            con.close()
        self.pair("rebuild all on-hand from 1M movements", app, raw, median(ms(sqlite)), "ms",
                  goal="<= 1.5x")  # fmt: skip

    def imports(self) -> None:
        from benchmarks import postgres_import

        app, floor, sqlite = postgres_import.measure(self.cluster, self.home)
        self.pair("import 10,000 CSV rows (preview + apply)", app, floor, sqlite, "s",
                  goal="<= 1 s")  # fmt: skip


if __name__ == "__main__":
    from benchmarks.__main__ import report

    run(report)
