"""One PC of ``benchmarks.postgres``'s "PCs selling at once": sells the lines of a file,
starting at an agreed moment, and prints its start and end (wall clock).

    python -m benchmarks.postgres_pc app|raw|sqlite URL-or-PATH SHOP LINES START_AT
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def main(mode: str, target: str, shop: int, lines_file: str, start_at: float) -> None:
    rows = [line.split("\t") for line in Path(lines_file).read_text().splitlines()]
    sales = [rows[i : i + 3] for i in range(0, len(rows), 3)]
    sell = _seller(mode, target, shop)
    time.sleep(max(0.0, start_at - time.time()))
    started = time.time()
    for sale in sales:
        sell(sale)
    print(started, time.time())


def _seller(mode: str, target: str, shop: int):  # type: ignore[no-untyped-def]
    if mode == "raw":
        from benchmarks.postgres import _raw, raw_sale

        con = _raw(target, shop)
        return lambda sale: raw_sale(con, shop, [(int(v), int(b)) for _s, v, b in sale])
    from benchmarks import server_shop
    from shopdesk import sales, store

    if mode == "app":
        with server_shop.on_server(target):
            store.open_database()
    else:
        store.open_database(Path(target))
    store.set_shop_scope(shop)
    session = _session(shop)
    return lambda sale: sales.record_sale(session, lines=[(s, 1) for s, _v, _b in sale])


def _session(shop: int):  # type: ignore[no-untyped-def]
    from benchmarks import dataset
    from shopdesk import store
    from shopdesk.profiles import Session

    seller = store.database.execute_sql(
        "SELECT id FROM seller WHERE login = ?", (dataset.LOGIN,)
    ).fetchone()[0]
    return Session(seller, shop, dataset.LOGIN, "Toko Besar", "Toko Besar Desa", "WIB", "id")


if __name__ == "__main__":
    mode, target, shop, lines, start_at = sys.argv[1:6]
    main(mode, target, int(shop), lines, float(start_at))
