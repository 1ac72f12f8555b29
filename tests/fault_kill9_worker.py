"""Fork server for the kill -9 test (``tests/test_fault_kill9.py``).

Imports the core once, then for every line ``<seed> <ack-file>`` on stdin
forks a fresh child that opens the database and runs real core operations
(sales, stock in, stocktake posts) until it is killed. After each commit the
child appends ``ACK <kind> <id>`` to the ack file with one ``os.write`` (kept by
the kernel even when the process is killed a moment later). Forking keeps a new
child per kill cheap: no interpreter start, no imports.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import sys
import traceback

from shopdesk import opener, sales, stock
from shopdesk.errors import ShopDeskError
from shopdesk.profiles import Session
from shopdesk.stock import stocktake


def work(seed: int, ack_path: str, session: Session, skus: list[str]) -> None:
    rng = random.Random(seed)
    fd = os.open(ack_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    def ack(kind: str, ident: int) -> None:
        os.write(fd, f"ACK {kind} {ident}\n".encode())

    opener.open_data()
    with contextlib.suppress(ShopDeskError):
        stocktake.cancel_count(session)  # one left open by a killed brother
    while True:
        sku = rng.choice(skus)
        roll = rng.random()
        if roll < 0.45:
            sale = sales.record_sale(session, lines=[(sku, rng.randint(1, 3))], allow_negative=True)
            ack("sale", sale.number)
        elif roll < 0.8:
            move = stock.receive(session, sku=sku, quantity=rng.randint(5, 20))
            ack("move", move.id)
        else:
            stocktake.start_count(session, skus=[sku])
            stocktake.enter_count(session, sku=sku, counted=rng.randint(0, 40))
            ack("count", stocktake.post_count(session).count_id)


def main() -> None:
    config = json.loads(sys.argv[1])
    session = Session(**config["session"])
    for line in sys.stdin:
        seed, ack_path = line.split()
        pid = os.fork()
        if pid == 0:
            try:
                work(int(seed), ack_path, session, config["skus"])
            except BaseException:
                traceback.print_exc()
            os._exit(3)
        print(pid, flush=True)
        _pid, status = os.waitpid(pid, 0)
        print(f"reaped {status}", flush=True)


if __name__ == "__main__":
    main()
