"""One PC of ``benchmarks.postgres``'s "PCs selling at once": opens its store and logs its
seller in, prints ``ready``, waits for a line on its input (sent to every PC once all are
ready: a seller's login holds every shop's writes while it checks the PIN, so no PC may
still be logging in while others sell), sells the lines of a file, and prints its start
and end (wall clock).

    python -m benchmarks.postgres_pc app|raw|sqlite URL-or-PATH SHOP LOGIN LINES
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def main(mode: str, target: str, shop: int, login: str, lines_file: str) -> None:
    rows = [line.split("\t") for line in Path(lines_file).read_text().splitlines()]
    sales = [rows[i : i + 3] for i in range(0, len(rows), 3)]
    sell = _seller(mode, target, shop, login)
    print("ready", flush=True)
    sys.stdin.readline()
    started = time.time()
    for sale in sales:
        sell(sale)
    print(started, time.time())


def _seller(mode: str, target: str, shop: int, login: str):  # type: ignore[no-untyped-def]
    if mode == "raw":
        from benchmarks.postgres import raw_sale
        from benchmarks.server_shop import raw_connection

        con = raw_connection(target, shop)
        return lambda sale: raw_sale(con, shop, [int(v) for _s, v, _b in sale])
    from benchmarks import dataset, server_shop
    from shopdesk import profiles, sales, store

    if mode == "app":
        with server_shop.on_server(target):
            store.open_database()
    else:
        store.open_database(Path(target))
    session = profiles.seller_login(login=login, pin=dataset.PIN)
    assert session.shop_id == shop
    store.set_shop_scope(shop)
    return lambda sale: sales.record_sale(session, lines=[(s, 1) for s, _v, _b in sale])


if __name__ == "__main__":
    mode, target, shop, login, lines = sys.argv[1:6]
    main(mode, target, int(shop), login, lines)
