"""The cable-pull test's own world (``tests/test_server_gone.py``): run inside a
network namespace of its own (``unshare -n``), so that dropping every packet of
its loopback (``tc qdisc ... blackhole``: sent, never answered, as with a pulled
cable) touches nothing else on the machine. It starts a PostgreSQL server there,
sells through the app, pulls the cable between two sales and in the middle of
one, puts it back, and prints what the seller saw as JSON lines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def sh(*args: str) -> None:
    subprocess.run(list(args), check=True, capture_output=True)


def cable(pulled: bool) -> None:
    sh(
        "tc",
        "qdisc",
        "add" if pulled else "del",
        "dev",
        "lo",
        "root",
        *(("blackhole",) if pulled else ()),
    )


def say(**what: object) -> None:
    print(json.dumps(what), flush=True)


def main() -> None:
    cfg = json.loads(sys.argv[1])
    sh("ip", "link", "set", "lo", "up")
    options = f"-p 5432 -k {cfg['root']} -c listen_addresses=127.0.0.1"
    sh(
        *cfg["as_user"],
        cfg["pg_ctl"],
        "-D",
        cfg["data"],
        "-o",
        options,
        "-l",
        cfg["log"],
        "-w",
        "start",
    )
    try:
        run(cfg)
    finally:
        subprocess.run(
            [*cfg["as_user"], cfg["pg_ctl"], "-D", cfg["data"], "-m", "immediate", "stop"]
        )


def run(cfg: dict) -> None:
    import psycopg

    admin = "postgresql://postgres@127.0.0.1:5432/postgres"
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute("CREATE ROLE shopdesk_app LOGIN")
        con.execute("CREATE DATABASE shop OWNER shopdesk_app")
    os.environ["SHOPDESK_DATABASE_URL"] = "postgresql://shopdesk_app@127.0.0.1:5432/shop"
    os.environ["SHOPDESK_HOME"] = cfg["home"]
    os.environ["SHOPDESK_FAST_HASH"] = "1"
    from shopdesk import audit, catalog, i18n, profiles, sales, stock, store
    from shopdesk.errors import ShopDeskError

    i18n.set_language("id")
    store.open_database()
    op = profiles.create_operator(password="rahasia-operator")
    profiles.create_seller(op, login="kopi", display_name="Sri", pin="111111", shop_name="Kopi")
    seller = profiles.seller_login(login="kopi", pin="111111")
    catalog.create_product(seller, name="Kopi Bubuk", price=10_000, sku="KOPI")
    stock.receive(seller, sku="KOPI", quantity=100)

    def sell(step: str) -> None:
        started = time.monotonic()
        try:
            sale = sales.record_sale(seller, lines=[("KOPI", 1)])
            say(step=step, saved=sale.number, seconds=round(time.monotonic() - started))
        except ShopDeskError as exc:
            say(step=step, message=exc.message, seconds=round(time.monotonic() - started))

    sell("before")
    cable(pulled=True)  # between two sales
    sell("pulled")
    cable(pulled=False)
    sell("back")
    real = audit.record

    def pull_then_record(*args: object, **kwargs: object) -> None:
        cable(pulled=True)  # the sale's rows went to the server; its end does not
        real(*args, **kwargs)  # type: ignore[arg-type]

    audit.record = pull_then_record  # type: ignore[assignment]
    sell("pulled mid-sale")
    audit.record = real  # type: ignore[assignment]
    cable(pulled=False)
    sell("back again")
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/shop", autocommit=True) as con:
        numbers = [r[0] for r in con.execute("SELECT number FROM sale ORDER BY number")]
        on_hand = con.execute("SELECT sum(on_hand) FROM lot_stock").fetchone()[0]
    say(step="server", numbers=numbers, on_hand=int(on_hand))


if __name__ == "__main__":
    main()
