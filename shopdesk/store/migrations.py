# peewee's stubs leave Database.execute_sql untyped, and the frozen steps below
# must keep their exact text, so that one check is off in this file only.
# mypy: disable-error-code="no-untyped-call"
"""Schema upgrades, one documented step per ``PRAGMA user_version``.

Each step runs in one transaction together with the new ``user_version``, after
the caller's ``before_upgrade`` hook (the app's opener makes a verified backup there). Steps hold
frozen SQL (never the current models) so that an old file upgrades the same way
forever. This SQL is SQLite's; a PostgreSQL twin would sit beside each step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from shopdesk.errors import DatabaseError
from shopdesk.i18n import _

if TYPE_CHECKING:  # loaded by whoever opened a database; ``LATEST_VERSION`` alone needs neither
    import peewee

Step = Callable[["peewee.Database"], None]


def _run(db: peewee.Database, script: str) -> None:
    for statement in script.split(";\n"):
        if statement.strip():
            db.execute_sql(statement)


def append_only(table: str) -> str:
    """Triggers that make a table append-only (ledger, audit log)."""
    return f"""
CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;
CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;
"""


def step_1_profiles(db: peewee.Database) -> None:
    """Operator, shops with their sellers, settings and the append-only audit log."""
    _run(
        db,
        """
CREATE TABLE operator (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at DATETIME,
    created_at DATETIME NOT NULL
);
CREATE TABLE shop (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    owner_name TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    village TEXT NOT NULL DEFAULT '',
    district TEXT NOT NULL DEFAULT '',
    whatsapp TEXT NOT NULL DEFAULT '',
    pirt_number TEXT NOT NULL DEFAULT '',
    halal_cert_number TEXT NOT NULL DEFAULT '',
    logo TEXT NOT NULL DEFAULT '',
    timezone TEXT NOT NULL DEFAULT 'WIB',
    sku_prefix_counter INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL
);
CREATE TABLE seller (
    id INTEGER PRIMARY KEY,
    shop_id INTEGER NOT NULL UNIQUE REFERENCES shop(id) ON DELETE RESTRICT,
    login TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    pin_hash TEXT NOT NULL,
    recovery_hash TEXT NOT NULL,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at DATETIME,
    disabled INTEGER NOT NULL DEFAULT 0,
    language TEXT NOT NULL DEFAULT 'id',
    created_at DATETIME NOT NULL
);
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at DATETIME NOT NULL,
    shop_id INTEGER REFERENCES shop(id) ON DELETE RESTRICT,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_shop_at ON audit_log(shop_id, at);
CREATE TABLE setting (
    id INTEGER PRIMARY KEY,
    shop_id INTEGER REFERENCES shop(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL
);
CREATE UNIQUE INDEX setting_shop_key ON setting(ifnull(shop_id, 0), key)
"""
        + ";\n"
        + append_only("audit_log"),
    )


def step_2_inventory(db: peewee.Database) -> None:
    """Catalog (categories, products, variants, photos), batches, the stock
    ledger with its cache, stocktakes, sales, and the listing outbox."""
    _run(
        db,
        """
CREATE TABLE category (
    id INTEGER PRIMARY KEY,
    shop_id INTEGER NOT NULL REFERENCES shop(id) ON DELETE RESTRICT,
    name TEXT NOT NULL
);
CREATE UNIQUE INDEX category_shop_name ON category(shop_id, name);
CREATE TABLE product (
    id INTEGER PRIMARY KEY,
    shop_id INTEGER NOT NULL REFERENCES shop(id) ON DELETE RESTRICT,
    name TEXT NOT NULL,
    category_id INTEGER REFERENCES category(id) ON DELETE SET NULL,
    unit TEXT NOT NULL DEFAULT 'pcs',
    description TEXT NOT NULL DEFAULT '',
    weight_g INTEGER NOT NULL DEFAULT 0,
    length_cm INTEGER NOT NULL DEFAULT 0,
    width_cm INTEGER NOT NULL DEFAULT 0,
    height_cm INTEGER NOT NULL DEFAULT 0,
    is_food INTEGER NOT NULL DEFAULT 1,
    netto TEXT NOT NULL DEFAULT '',
    composition TEXT NOT NULL DEFAULT '',
    storage TEXT NOT NULL DEFAULT '',
    shelf_life_days INTEGER NOT NULL DEFAULT 0,
    pirt_number TEXT NOT NULL DEFAULT '',
    halal INTEGER NOT NULL DEFAULT 0,
    option1_name TEXT NOT NULL DEFAULT '',
    option2_name TEXT NOT NULL DEFAULT '',
    listing_url TEXT NOT NULL DEFAULT '',
    archived INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE INDEX product_shop ON product(shop_id, archived);
CREATE TABLE variant (
    id INTEGER PRIMARY KEY,
    shop_id INTEGER NOT NULL REFERENCES shop(id) ON DELETE RESTRICT,
    product_id INTEGER NOT NULL REFERENCES product(id) ON DELETE RESTRICT,
    sku TEXT NOT NULL,
    option1_value TEXT NOT NULL DEFAULT '',
    option2_value TEXT NOT NULL DEFAULT '',
    price INTEGER NOT NULL DEFAULT 0 CHECK (price >= 0),
    cost INTEGER NOT NULL DEFAULT 0 CHECK (cost >= 0),
    barcode TEXT NOT NULL DEFAULT '',
    low_stock INTEGER NOT NULL DEFAULT 0,
    on_hand INTEGER NOT NULL DEFAULT 0,
    position INTEGER NOT NULL DEFAULT 0,
    archived INTEGER NOT NULL DEFAULT 0,
    updated_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX variant_shop_sku ON variant(shop_id, sku);
CREATE INDEX variant_shop_barcode ON variant(shop_id, barcode);
CREATE INDEX variant_product ON variant(product_id);
CREATE TABLE photo (
    id INTEGER PRIMARY KEY,
    shop_id INTEGER NOT NULL REFERENCES shop(id) ON DELETE RESTRICT,
    product_id INTEGER NOT NULL REFERENCES product(id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    filename TEXT NOT NULL,
    width INTEGER NOT NULL DEFAULT 0,
    height INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX photo_product ON photo(product_id, position);
CREATE TABLE batch (
    id INTEGER PRIMARY KEY,
    shop_id INTEGER NOT NULL REFERENCES shop(id) ON DELETE RESTRICT,
    variant_id INTEGER NOT NULL REFERENCES variant(id) ON DELETE RESTRICT,
    code TEXT NOT NULL,
    produced_on DATE,
    expires_on DATE,
    quantity INTEGER NOT NULL DEFAULT 0,
    on_hand INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL,
    CHECK (expires_on IS NULL OR produced_on IS NULL OR expires_on >= produced_on)
);
CREATE UNIQUE INDEX batch_variant_code ON batch(variant_id, code);
CREATE INDEX batch_shop_expires ON batch(shop_id, expires_on);
CREATE TABLE stock_count (
    id INTEGER PRIMARY KEY,
    shop_id INTEGER NOT NULL REFERENCES shop(id) ON DELETE RESTRICT,
    status TEXT NOT NULL DEFAULT 'open',
    note TEXT NOT NULL DEFAULT '',
    started_at DATETIME NOT NULL,
    posted_at DATETIME
);
CREATE TABLE stock_count_line (
    id INTEGER PRIMARY KEY,
    count_id INTEGER NOT NULL REFERENCES stock_count(id) ON DELETE CASCADE,
    variant_id INTEGER NOT NULL REFERENCES variant(id) ON DELETE RESTRICT,
    counted INTEGER,
    expected INTEGER,
    counted_at DATETIME
);
CREATE UNIQUE INDEX stock_count_line_count_variant ON stock_count_line(count_id, variant_id);
CREATE TABLE sale (
    id INTEGER PRIMARY KEY,
    shop_id INTEGER NOT NULL REFERENCES shop(id) ON DELETE RESTRICT,
    number INTEGER NOT NULL,
    at DATETIME NOT NULL,
    payment TEXT NOT NULL DEFAULT 'cash',
    channel TEXT NOT NULL DEFAULT 'direct',
    total INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    voided_at DATETIME,
    void_reason TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX sale_shop_number ON sale(shop_id, number);
CREATE INDEX sale_shop_at ON sale(shop_id, at);
CREATE TABLE sale_line (
    id INTEGER PRIMARY KEY,
    sale_id INTEGER NOT NULL REFERENCES sale(id) ON DELETE RESTRICT,
    variant_id INTEGER NOT NULL REFERENCES variant(id) ON DELETE RESTRICT,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    unit_price INTEGER NOT NULL CHECK (unit_price >= 0),
    discount INTEGER NOT NULL DEFAULT 0,
    unit_cost INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sale_line_sale ON sale_line(sale_id);
CREATE INDEX sale_line_variant ON sale_line(variant_id);
CREATE TABLE movement (
    id INTEGER PRIMARY KEY,
    shop_id INTEGER NOT NULL REFERENCES shop(id) ON DELETE RESTRICT,
    variant_id INTEGER NOT NULL REFERENCES variant(id) ON DELETE RESTRICT,
    batch_id INTEGER REFERENCES batch(id) ON DELETE RESTRICT,
    reason TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    actor TEXT NOT NULL DEFAULT '',
    at DATETIME NOT NULL,
    reverses_id INTEGER UNIQUE REFERENCES movement(id) ON DELETE RESTRICT,
    sale_line_id INTEGER REFERENCES sale_line(id) ON DELETE RESTRICT,
    count_id INTEGER REFERENCES stock_count(id) ON DELETE RESTRICT
);
CREATE INDEX movement_variant ON movement(variant_id, at);
CREATE INDEX movement_shop_at ON movement(shop_id, at);
CREATE INDEX movement_batch ON movement(batch_id);
CREATE INDEX movement_sale_line ON movement(sale_line_id);
CREATE INDEX movement_ledger ON movement(shop_id, variant_id, batch_id, quantity);
CREATE TABLE listing_state (
    id INTEGER PRIMARY KEY,
    shop_id INTEGER NOT NULL REFERENCES shop(id) ON DELETE RESTRICT,
    product_id INTEGER NOT NULL REFERENCES product(id) ON DELETE CASCADE,
    target TEXT NOT NULL,
    waiting INTEGER NOT NULL DEFAULT 1,
    changed_at DATETIME NOT NULL,
    exported_bundle TEXT NOT NULL DEFAULT '',
    exported_at DATETIME
);
CREATE UNIQUE INDEX listing_state_product_target ON listing_state(product_id, target);
CREATE INDEX listing_state_waiting ON listing_state(shop_id, target, waiting);
CREATE TABLE bundle (
    id INTEGER PRIMARY KEY,
    shop_id INTEGER NOT NULL REFERENCES shop(id) ON DELETE RESTRICT,
    bundle_id TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    targets TEXT NOT NULL,
    product_count INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL,
    verified_at DATETIME
)
"""
        + ";\n"
        + append_only("movement"),
    )


# Step 3's SQL, frozen. FTS5 and triggers are SQLite's; the PostgreSQL twin is a
# tsvector column on variant (to_tsvector('simple', unaccent(...))) with a GIN index,
# kept by the same triggers written in PL/pgSQL (see shopdesk/store/fulltext.py).
_SEARCH_NAME = "{p}.name || ' ' || {v}.option1_value || ' ' || {v}.option2_value"
_SEARCH_CODES = "{v}.sku || ' ' || {v}.barcode"


def _search_insert(p: str, v: str) -> str:
    """The index row of variant ``v`` of product ``p`` (table names or new/old)."""
    return (
        f"INSERT INTO search_index (rowid, name, codes) SELECT {v}.id, "
        + _SEARCH_NAME.format(p=p, v=v)
        + ", "
        + _SEARCH_CODES.format(v=v)
    )


STEP_3_SQL = (
    # One row per variant (rowid = variant.id): the product name with the option
    # values, and the codes. unicode61 folds case and removes accents (level 2
    # also for letters like ø); prefix indexes make "kop*" and "ke*" cheap.
    "CREATE VIRTUAL TABLE search_index USING fts5(name, codes, "
    "tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3')",
    _search_insert("p", "v") + " FROM variant v JOIN product p ON p.id = v.product_id",
    "CREATE TRIGGER variant_search_ai AFTER INSERT ON variant BEGIN "
    + _search_insert("p", "new")
    + " FROM product p WHERE p.id = new.product_id; END",
    "CREATE TRIGGER variant_search_ad AFTER DELETE ON variant BEGIN "
    "DELETE FROM search_index WHERE rowid = old.id; END",
    "CREATE TRIGGER variant_search_au AFTER UPDATE OF sku, barcode, option1_value, "
    "option2_value, product_id ON variant BEGIN "
    "DELETE FROM search_index WHERE rowid = old.id; "
    + _search_insert("p", "new")
    + " FROM product p WHERE p.id = new.product_id; END",
    "CREATE TRIGGER product_search_au AFTER UPDATE OF name ON product BEGIN "
    "DELETE FROM search_index WHERE rowid IN (SELECT id FROM variant WHERE product_id = new.id); "
    + _search_insert("new", "v")
    + " FROM variant v WHERE v.product_id = new.id; END",
    # The product list and an empty search walk products by name.
    "CREATE INDEX product_shop_name ON product(shop_id, archived, name COLLATE NOCASE)",
    # Category filters and counts, and ON DELETE SET NULL of a category.
    "CREATE INDEX product_category ON product(category_id)",
)


def step_3_search(db: peewee.Database) -> None:
    """Full-text search over variants (product name, option values, SKU, barcode):
    an FTS5 table kept in step by triggers on variant and product, filled from
    the rows already there; and an index for listing products by name."""
    for statement in STEP_3_SQL:
        db.execute_sql(statement)


# Step 4's SQL, frozen. The on-hand caches leave the wide variant and batch
# rows for one narrow table of lots: a lot is a batch of a variant, or lot 0,
# its stock tied to no batch. A variant's figure is the sum of its lots (one
# key range); rebuilding every figure rewrites a few MB in key order instead
# of both wide tables (see docs/stock.md). A missing row means zero. No
# foreign keys: every insert would look up its parents, doubling the cost of
# a rebuild, and only shopdesk/stock/cache.py writes these rows.
STEP_4_SQL = (
    "CREATE TABLE lot_stock (variant_id INTEGER NOT NULL, lot INTEGER NOT NULL, "
    "shop_id INTEGER NOT NULL, on_hand INTEGER NOT NULL, PRIMARY KEY (variant_id, lot)) "
    "WITHOUT ROWID",
    "INSERT INTO lot_stock SELECT variant_id, id, shop_id, on_hand FROM batch WHERE on_hand != 0",
    "INSERT INTO lot_stock SELECT v.id, 0, v.shop_id, v.on_hand - COALESCE("
    "(SELECT SUM(b.on_hand) FROM batch b WHERE b.variant_id = v.id), 0) AS loose "
    "FROM variant v WHERE loose != 0",
    "ALTER TABLE variant DROP COLUMN on_hand",
    "ALTER TABLE batch DROP COLUMN on_hand",
)


def step_4_lot_stock(db: peewee.Database) -> None:
    """On-hand caches move to the narrow table lot_stock (per variant and batch,
    lot 0 for stock tied to no batch), keeping their figures."""
    for statement in STEP_4_SQL:
        db.execute_sql(statement)


# A marketplace order comes back as a sale once: its number is kept per channel,
# and the partial unique index refuses a second sale with the same one (counter
# sales keep an empty number and are not indexed).
STEP_5_SQL = (
    "ALTER TABLE sale ADD COLUMN external_order TEXT NOT NULL DEFAULT ''",
    "CREATE UNIQUE INDEX sale_external_order ON sale (shop_id, channel, external_order) "
    "WHERE external_order != ''",
)


def step_5_external_orders(db: peewee.Database) -> None:
    """Sales carry the marketplace's order number (``external_order``), unique per
    shop and channel, so that importing an order export twice records nothing twice."""
    for statement in STEP_5_SQL:
        db.execute_sql(statement)


def step_6_marketplace(db: peewee.Database) -> None:
    """Marketplace round trip: each shop's downloaded templates (kept in the file,
    so they survive the stick and travel in backups), per-product listing details
    (dangerous goods, pre-order days, category codes) and each variant's ids on a
    marketplace, matched by SKU from the product list the marketplace gives."""
    _run(
        db,
        """
CREATE TABLE listing_template (
    id INTEGER PRIMARY KEY,
    shop_id INTEGER NOT NULL REFERENCES shop(id) ON DELETE RESTRICT,
    kind TEXT NOT NULL,
    filename TEXT NOT NULL,
    data BLOB NOT NULL,
    sha256 TEXT NOT NULL,
    added_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX listing_template_shop_kind ON listing_template(shop_id, kind);
CREATE TABLE listing_detail (
    id INTEGER PRIMARY KEY,
    shop_id INTEGER NOT NULL REFERENCES shop(id) ON DELETE RESTRICT,
    product_id INTEGER NOT NULL UNIQUE REFERENCES product(id) ON DELETE CASCADE,
    dangerous INTEGER NOT NULL DEFAULT 0,
    preorder_days INTEGER NOT NULL DEFAULT 0,
    shopee_category TEXT NOT NULL DEFAULT '',
    tokopedia_category TEXT NOT NULL DEFAULT ''
);
CREATE INDEX listing_detail_shop ON listing_detail(shop_id);
CREATE TABLE marketplace_link (
    id INTEGER PRIMARY KEY,
    shop_id INTEGER NOT NULL REFERENCES shop(id) ON DELETE RESTRICT,
    variant_id INTEGER NOT NULL REFERENCES variant(id) ON DELETE CASCADE,
    target TEXT NOT NULL,
    item_id TEXT NOT NULL,
    model_id TEXT NOT NULL DEFAULT '',
    listed_price INTEGER,
    listed_stock INTEGER,
    imported_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX marketplace_link_variant_target ON marketplace_link(variant_id, target);
CREATE INDEX marketplace_link_shop ON marketplace_link(shop_id, target)
""",
    )


# Step 7's SQL, frozen. Customers of a shop, the customer of a sale, and the
# debt ledger (kasbon): append-only entries per customer and sale (a sale's
# unpaid rest, a payment's share of one sale, a void reversing one entry) with
# the balance cache customer_balance, written only by shopdesk/debts/cache.py.
STEP_7_SQL = """
CREATE TABLE customer (
    id INTEGER PRIMARY KEY,
    shop_id INTEGER NOT NULL REFERENCES shop(id) ON DELETE RESTRICT,
    name TEXT NOT NULL,
    whatsapp TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    archived INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL
);
CREATE INDEX customer_shop_name ON customer(shop_id, name COLLATE NOCASE);
CREATE INDEX customer_shop_whatsapp ON customer(shop_id, whatsapp);
ALTER TABLE sale ADD COLUMN customer_id INTEGER REFERENCES customer(id) ON DELETE RESTRICT;
CREATE INDEX sale_customer ON sale(customer_id);
CREATE TABLE debt_entry (
    id INTEGER PRIMARY KEY,
    shop_id INTEGER NOT NULL REFERENCES shop(id) ON DELETE RESTRICT,
    customer_id INTEGER NOT NULL REFERENCES customer(id) ON DELETE RESTRICT,
    sale_id INTEGER REFERENCES sale(id) ON DELETE RESTRICT,
    kind TEXT NOT NULL,
    amount INTEGER NOT NULL CHECK (amount != 0),
    payment_number INTEGER,
    method TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    actor TEXT NOT NULL DEFAULT '',
    at DATETIME NOT NULL,
    reverses_id INTEGER UNIQUE REFERENCES debt_entry(id) ON DELETE RESTRICT
);
CREATE INDEX debt_entry_customer ON debt_entry(customer_id, sale_id, amount);
CREATE INDEX debt_entry_sale ON debt_entry(sale_id);
CREATE INDEX debt_entry_shop_at ON debt_entry(shop_id, at);
CREATE INDEX debt_entry_payment ON debt_entry(shop_id, payment_number);
CREATE TABLE customer_balance (
    customer_id INTEGER PRIMARY KEY REFERENCES customer(id) ON DELETE RESTRICT,
    shop_id INTEGER NOT NULL REFERENCES shop(id) ON DELETE RESTRICT,
    balance INTEGER NOT NULL
)
"""


def step_7_debts(db: peewee.Database) -> None:
    """Customers, the customer of a sale, and the append-only debt ledger
    (kasbon) with its per-customer balance cache."""
    _run(db, STEP_7_SQL + ";\n" + append_only("debt_entry"))


# Step 8's SQL, frozen. Photos and logos in the database (before: files in each PC's
# media/ folder only), so that every PC of a server sees them and every copy of the
# data carries them: one row per shop, kind and content, the bytes whole, named by
# their SHA-256 ("<sha256>.<ext>", what photo.filename and shop.logo hold).
STEP_8_SQL = """
CREATE TABLE media (
    id INTEGER PRIMARY KEY,
    shop_id INTEGER NOT NULL REFERENCES shop(id) ON DELETE RESTRICT,
    kind TEXT NOT NULL CHECK (kind IN ('photos', 'logos')),
    filename TEXT NOT NULL,
    sha256 TEXT NOT NULL CHECK (substr(filename, 1, 64) = sha256),
    size INTEGER NOT NULL CHECK (size = length(data)),
    data BLOB NOT NULL,
    added_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX media_shop_kind_filename ON media(shop_id, kind, filename)
"""


def step_8_media(db: peewee.Database) -> None:
    """Photos and logos kept in the database, per shop, by kind and content. The
    files a PC already has are taken in by ``shopdesk.media_store.adopt_files``
    when the data is next opened (a step is SQL only)."""
    _run(db, STEP_8_SQL)


STEPS: list[Step] = [
    step_1_profiles,
    step_2_inventory,
    step_3_search,
    step_4_lot_stock,
    step_5_external_orders,
    step_6_marketplace,
    step_7_debts,
    step_8_media,
]
LATEST_VERSION = len(STEPS)


def on_server(db: peewee.Database) -> bool:
    """Whether ``db`` is a PostgreSQL server (the steps' twins run there)."""
    import peewee  # loaded already: ``db`` is one of its databases

    return isinstance(db, peewee.PostgresqlDatabase)


def user_version(db: peewee.Database) -> int:
    if on_server(db):
        from shopdesk.store import server_schema

        return server_schema.version(db)
    return int(db.execute_sql("PRAGMA user_version").fetchone()[0])


def _run_step(db: peewee.Database, version: int) -> None:
    """Step ``version + 1`` inside the caller's transaction, with its new version."""
    if on_server(db):
        from shopdesk.store import server_schema

        server_schema.run_step(db, STEPS[version], version + 1)
    else:
        STEPS[version](db)
        db.execute_sql(f"PRAGMA user_version = {version + 1}")


BeforeUpgrade = Callable[[int], object]


def migrate(
    db: peewee.Database,
    *,
    before_upgrade: BeforeUpgrade | None = None,
    upto: int = LATEST_VERSION,
) -> int:
    """Bring the database up to ``LATEST_VERSION`` (or ``upto``: a copy of a server
    that is still at an older schema); returns the version found.

    ``before_upgrade(found)`` runs first when an existing database is about to
    change: the opener passes a verified backup in (this layer knows no backups).
    """
    found = user_version(db)
    if found > LATEST_VERSION:
        raise DatabaseError(
            _(
                "This database was made by a newer ShopDesk (schema {found}, this app knows "
                "{known}). Install the newer ShopDesk; the file was not changed."
            ).format(found=found, known=LATEST_VERSION)
        )
    if 0 < found < upto and before_upgrade is not None:
        before_upgrade(found)
    for version in range(found, upto):
        with db.atomic():
            if on_server(db):
                from shopdesk.store import server_schema

                server_schema.lock(db)
            # Read again under the write lock: another program (the GUI and a
            # command started together) may have run this step meanwhile.
            if user_version(db) > version:
                continue
            _run_step(db, version)
    return found
