"""A big shop for benchmarks: 100,000 products, 150,000 variants, 1,000,000 movements.

``build_big_shop(path)`` migrates a new file the way the app does, then fills
it with raw ``sqlite3`` ``executemany`` (one transaction, triggers on, so the
search index is kept as in the app). On-hand caches of variants and batches
equal the ledger, no batch is below zero. ``big_shop()`` keeps one copy under
``.benchmarks-data/`` (outside git) and returns it; ``fresh_copy(folder)``
gives a writable copy for benchmarks that write (sales, rebuilds).

    python -m benchmarks.dataset            build (or reuse) the cached shop
"""

from __future__ import annotations

import contextlib
import os
import random
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".benchmarks-data"
GENERATOR = 4  # bump when the generated data or the schema's step changes
LOGIN, PIN = "besar", "123456"
OPERATOR_PASSWORD = "bench-operator"
PRODUCTS = 100_000
VARIANTS = 150_000
MOVEMENTS = 1_000_000

FOODS = (
    "Kopi", "Keripik", "Gula", "Madu", "Sambal", "Emping", "Rengginang", "Dodol", "Teh",
    "Jahe", "Beras", "Telur", "Minyak", "Kacang", "Tempe", "Kerupuk", "Abon", "Bawang",
    "Cokelat", "Kue", "Selai", "Sirup", "Tepung", "Terasi", "Petis", "Bumbu", "Rempeyek",
    "Wajik", "Jenang", "Lanting", "Opak", "Getuk", "Serundeng", "Manisan", "Asinan",
    "Pisang", "Singkong", "Ubi", "Jagung", "Salak",
)  # fmt: skip
KINDS = (
    "Robusta", "Arabika", "Aren", "Semut", "Hutan", "Klanceng", "Bawang", "Teri",
    "Melinjo", "Ketan", "Durian", "Kelor", "Merah", "Kampung", "Mete", "Mendoan", "Sapi",
    "Goreng", "Kelapa", "Pandan", "Gula Jawa", "Original", "Pedas", "Manis", "Asin",
)  # fmt: skip
PLACES = (
    "Temanggung", "Gayo", "Kintamani", "Toraja", "Garut", "Malang", "Medan", "Bangli",
    "Sumbawa", "Wonosobo", "Pandeglang", "Wakatobi", "Banyuwangi", "Kudus", "Solo",
    "Kebumen", "Lombok", "Flores", "Bukittinggi", "Pontianak",
)  # fmt: skip
SIZES = ("100 g", "150 g", "200 g", "250 g", "500 g", "1 kg", "250 ml", "500 ml")
FLAVOURS = ("Original", "Balado", "Pedas", "Keju", "Jagung Bakar", "Rumput Laut")


@dataclass(frozen=True)
class BigShop:
    path: Path
    shop_id: int
    seller_id: int
    login: str
    pin: str
    products: int
    variants: int
    movements: int
    batches: int
    seconds: float  # to build (0 when reused)


def _ean13(serial: int) -> str:
    from shopdesk.codes import ean13_check_digit

    first12 = f"20{serial:010d}"
    return first12 + str(ean13_check_digit(first12))


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def _migrate(path: Path) -> None:
    from shopdesk import store

    store.open_database(path)
    store.close_database()


def _seller_rows(con: sqlite3.Connection, now: str) -> tuple[int, int]:
    from argon2 import PasswordHasher, Type

    cheap = PasswordHasher(time_cost=1, memory_cost=256, parallelism=1, type=Type.ID)
    # The village operator: without one the app opens the first-run wizard, not the login
    # window, and a start-up benchmark would wait for a window that never comes.
    con.execute(
        "INSERT INTO operator (username, password_hash, created_at) VALUES ('admin', ?, ?)",
        (cheap.hash(OPERATOR_PASSWORD), now),
    )
    ids = []
    for login, name in ((LOGIN, "Toko Besar Desa"), ("kecil", "Toko Kecil")):
        shop = con.execute(
            "INSERT INTO shop (name, timezone, created_at) VALUES (?, 'WIB', ?)", (name, now)
        ).lastrowid
        seller = con.execute(
            "INSERT INTO seller (shop_id, login, display_name, pin_hash, recovery_hash, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (shop, login, name, cheap.hash(PIN), cheap.hash("RECOVERY"), now),
        ).lastrowid
        ids.append((shop, seller))
    return ids[0]


def _catalog(con: sqlite3.Connection, shop: int, rng: random.Random, now: str):
    """Products and variants; returns [(variant_id, shelf_life_days)]."""
    categories = {}
    for food in FOODS:
        categories[food] = con.execute(
            "INSERT INTO category (shop_id, name) VALUES (?, ?)", (shop, food)
        ).lastrowid
    products, variants = [], []
    with_options = VARIANTS - PRODUCTS  # products with 3 variants: 2 extra each
    multi = set(rng.sample(range(PRODUCTS), with_options // 2))
    vid = 0
    for pid in range(1, PRODUCTS + 1):
        food = FOODS[pid % len(FOODS)]
        name = f"{food} {rng.choice(KINDS)} {rng.choice(PLACES)} {rng.choice(SIZES)}"
        shelf = rng.choice((0, 30, 90, 180, 365))
        options = rng.sample(FLAVOURS, 3) if pid - 1 in multi else [""]
        products.append(
            (pid, shop, name, categories[food], "bungkus", rng.randint(50, 2000), shelf,
             "Rasa" if options[0] else "", 1 if shelf else 0, now, now)
        )  # fmt: skip
        for position, option in enumerate(options):
            vid += 1
            sku = f"{food[:4].upper()}-{pid:06d}" + (f"-{option[:3].upper()}" if option else "")
            price = rng.randrange(5_000, 200_000, 500)
            variants.append(
                (vid, shop, pid, sku, option, price, price * 6 // 10,
                 _ean13(vid) if vid % 2 else "", rng.choice((0, 5, 10)), position, now, shelf)
            )  # fmt: skip
    con.executemany(
        "INSERT INTO product (id, shop_id, name, category_id, unit, weight_g, shelf_life_days, "
        "option1_name, is_food, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        products,
    )
    return variants


def _ledger(variants, shop: int, rng: random.Random, start: datetime):
    """Batches (the last field is what is left of each) and movements per variant."""
    extra = set(rng.sample(range(len(variants)), MOVEMENTS - 6 * len(variants)))
    batches, movements = [], []
    bid = mid = 0
    for index, (vid, *_rest, shelf) in enumerate(variants):
        count = 6 + (index in extra)
        runs = 1 + index % 2
        stock = []
        for run in range(runs):
            bid += 1
            produced = start + timedelta(days=rng.randint(0, 300) + run * 30)
            expires = produced + timedelta(days=shelf) if shelf else None
            qty = rng.randint(60, 200)
            batches.append(
                [bid, shop, vid, f"P{produced:%y%m%d}-{run + 1}", produced.date().isoformat(),
                 expires.date().isoformat() if expires else None, qty, qty, _stamp(produced)]
            )  # fmt: skip
            mid += 1
            movements.append((mid, shop, vid, bid, "received", qty, _stamp(produced)))
            stock.append(len(batches) - 1)
        moment = start + timedelta(days=320)
        for _sale in range(count - runs):
            row = next(batches[i] for i in stock if batches[i][7] > 0)  # FEFO-ish: oldest first
            qty = min(rng.randint(1, 3), row[7])
            row[7] -= qty
            mid += 1
            moment += timedelta(minutes=rng.randint(5, 600))
            movements.append((mid, shop, vid, row[0], "sold", -qty, _stamp(moment)))
    return batches, movements


def build_big_shop(path: Path | str, *, seed: int = 7) -> BigShop:
    """Create the big shop at ``path`` (which must not exist); fast (< 60 s)."""
    started = time.perf_counter()
    path = Path(path)
    if path.exists():
        raise FileExistsError(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _migrate(path)
    rng = random.Random(seed)
    now = _stamp(datetime(2026, 1, 1))
    con = sqlite3.connect(path, isolation_level=None)
    try:
        # A generated file: speed over durability while it is built, WAL again after.
        con.execute("PRAGMA journal_mode = OFF")
        con.execute("PRAGMA synchronous = OFF")
        con.execute("PRAGMA cache_size = -200000")
        con.execute("BEGIN")
        shop, seller = _seller_rows(con, now)
        variants = _catalog(con, shop, rng, now)
        batches, movements = _ledger(variants, shop, rng, datetime(2025, 1, 1))
        con.executemany(
            "INSERT INTO variant (id, shop_id, product_id, sku, option1_value, price, cost, "
            "barcode, low_stock, position, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (v[:11] for v in variants),
        )
        con.executemany(
            "INSERT INTO batch (id, shop_id, variant_id, code, produced_on, expires_on, "
            "quantity, created_at) VALUES (?,?,?,?,?,?,?,?)",
            ((*b[:7], b[8]) for b in batches),
        )
        con.executemany(
            "INSERT INTO lot_stock (variant_id, lot, shop_id, on_hand) VALUES (?,?,?,?)",
            sorted((b[2], b[0], shop, b[7]) for b in batches if b[7]),
        )
        con.executemany(
            "INSERT INTO movement (id, shop_id, variant_id, batch_id, reason, quantity, at, "
            "actor) VALUES (?,?,?,?,?,?,?, 'seller:besar')",
            movements,
        )
        _small_shop(con, now)
        con.execute("COMMIT")
        con.execute("PRAGMA journal_mode = WAL")
    finally:
        con.close()
    return BigShop(
        path, shop, seller, LOGIN, PIN, PRODUCTS, len(variants), len(movements), len(batches),
        time.perf_counter() - started,
    )  # fmt: skip


def _small_shop(con: sqlite3.Connection, now: str) -> None:
    """A second seller's few products, so that shop filters have work to do."""
    shop = con.execute("SELECT id FROM shop WHERE name = 'Toko Kecil'").fetchone()[0]
    for index in range(100):
        pid = con.execute(
            "INSERT INTO product (shop_id, name, created_at, updated_at) VALUES (?, ?, ?, ?)",
            (shop, f"Kopi Kecil {index}", now, now),
        ).lastrowid
        con.execute(
            "INSERT INTO variant (shop_id, product_id, sku, price, updated_at) "
            "VALUES (?, ?, ?, 10000, ?)",
            (shop, pid, f"KCL-{index:04d}", now),
        )


def _info(path: Path) -> BigShop:
    con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        shop, seller = con.execute(
            "SELECT shop_id, id FROM seller WHERE login = ?", (LOGIN,)
        ).fetchone()
        counts = [
            con.execute(f"SELECT COUNT(*) FROM {t} WHERE shop_id = ?", (shop,)).fetchone()[0]
            for t in ("product", "variant", "movement", "batch")
        ]
    finally:
        con.close()
    return BigShop(path, shop, seller, LOGIN, PIN, *counts, 0.0)


def cache_path() -> Path:
    from shopdesk.store import migrations

    return DATA / f"big-shop-s{migrations.LATEST_VERSION}-g{GENERATOR}.sqlite3"


@contextlib.contextmanager
def _build_lock() -> Iterator[None]:
    """One builder at a time: two benchmark runs started together share one build."""
    DATA.mkdir(parents=True, exist_ok=True)
    with open(DATA / ".big-shop.lock", "a+b") as handle:
        try:
            import fcntl
        except ImportError:  # Windows: no lock, build names are per process anyway
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _usable(path: Path) -> bool:
    try:
        _info(path)
    except (sqlite3.Error, TypeError):
        return False
    return True


def big_shop() -> BigShop:
    """The cached big shop (built on first use). Treat it as read-only."""
    path = cache_path()
    if path.exists() and _usable(path):
        return _info(path)
    with _build_lock():
        if path.exists() and _usable(path):
            return _info(path)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.building")
        temporary.unlink(missing_ok=True)
        info = build_big_shop(temporary)
        temporary.replace(path)
    return BigShop(path, *list(info.__dict__.values())[1:])


def fresh_copy(folder: Path | str, name: str = "shopdesk.sqlite3") -> BigShop:
    """A writable copy of the cached big shop in ``folder`` (SQLite backup API)."""
    source = big_shop()
    target = Path(folder) / name
    src = sqlite3.connect(source.path)
    dest = sqlite3.connect(target)
    try:
        src.backup(dest)
    finally:
        dest.close()
        src.close()
    return BigShop(target, *list(source.__dict__.values())[1:])


def session_for(info: BigShop):
    """The seller's session without the PIN check (benchmarks time services, not argon2)."""
    from shopdesk.profiles import Session

    return Session(
        info.seller_id, info.shop_id, LOGIN, "Toko Besar", "Toko Besar Desa", "WIB", "id"
    )


if __name__ == "__main__":
    shop = big_shop()
    print(shop)
