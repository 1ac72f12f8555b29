"""peewee models only. The schema itself is built by ``migrations.py``.

Every row a seller owns carries its ``shop``; services filter on it. Money is
``IntegerField`` rupiah; quantities are integers. Times are UTC.
"""

from __future__ import annotations

import peewee as pw

from shopdesk.store.engine import database


class BaseModel(pw.Model):
    # For the type checker only: peewee adds the ``id`` primary key (LotStock
    # has a composite key instead), and each foreign key ``x`` reads its raw id
    # as ``x_id`` (declared under each key below).
    id: pw.AutoField[int]

    class Meta:
        database = database
        legacy_table_names = False


class Operator(BaseModel):
    """The village admin: manages profiles and PC-wide backups, never reads shop data."""

    username = pw.TextField(unique=True)
    password_hash = pw.TextField()
    failed_attempts = pw.IntegerField(default=0)
    next_attempt_at = pw.DateTimeField(null=True)
    created_at = pw.DateTimeField()


class Shop(BaseModel):
    name = pw.TextField()
    owner_name = pw.TextField(default="")
    address = pw.TextField(default="")
    village = pw.TextField(default="")
    district = pw.TextField(default="")
    whatsapp = pw.TextField(default="")  # E.164, "+62812..."
    pirt_number = pw.TextField(default="")
    halal_cert_number = pw.TextField(default="")
    logo = pw.TextField(default="")  # a media row's filename (sha256.ext), or ""
    timezone = pw.TextField(default="WIB")
    sku_prefix_counter = pw.IntegerField(default=0)
    created_at = pw.DateTimeField()


class Seller(BaseModel):
    shop = pw.ForeignKeyField(Shop, unique=True, backref="sellers", on_delete="RESTRICT")
    shop_id: int
    login = pw.TextField(unique=True)  # short handle typed in the CLI: "kopi"
    display_name = pw.TextField()
    pin_hash = pw.TextField()
    recovery_hash = pw.TextField()
    failed_attempts = pw.IntegerField(default=0)
    next_attempt_at = pw.DateTimeField(null=True)
    disabled = pw.BooleanField(default=False)
    language = pw.TextField(default="id")
    created_at = pw.DateTimeField()


class AuditLog(BaseModel):
    """Append-only: triggers refuse UPDATE and DELETE."""

    at = pw.DateTimeField()
    shop = pw.ForeignKeyField(Shop, null=True, on_delete="RESTRICT")
    shop_id: int | None
    actor = pw.TextField()  # "seller:kopi", "operator:admin", "system"
    action = pw.TextField()
    detail = pw.TextField(default="")  # JSON

    class Meta:
        table_name = "audit_log"


class Setting(BaseModel):
    """Business settings; ``shop`` is NULL for settings of the whole PC."""

    shop = pw.ForeignKeyField(Shop, null=True, on_delete="CASCADE")
    shop_id: int | None
    key = pw.TextField()
    value = pw.TextField()

    class Meta:
        indexes = ((("shop", "key"), True),)


# --- catalog -------------------------------------------------------------


class Category(BaseModel):
    shop = pw.ForeignKeyField(Shop, on_delete="RESTRICT")
    shop_id: int
    name = pw.TextField()

    class Meta:
        indexes = ((("shop", "name"), True),)


class Product(BaseModel):
    shop = pw.ForeignKeyField(Shop, on_delete="RESTRICT")
    shop_id: int
    name = pw.TextField()
    category = pw.ForeignKeyField(Category, null=True, on_delete="SET NULL")
    category_id: int | None
    unit = pw.TextField(default="pcs")
    description = pw.TextField(default="")
    weight_g = pw.IntegerField(default=0)
    length_cm = pw.IntegerField(default=0)
    width_cm = pw.IntegerField(default=0)
    height_cm = pw.IntegerField(default=0)
    is_food = pw.BooleanField(default=True)
    netto = pw.TextField(default="")  # "250 g" as printed
    composition = pw.TextField(default="")
    storage = pw.TextField(default="")
    shelf_life_days = pw.IntegerField(default=0)
    pirt_number = pw.TextField(default="")  # when it differs from the shop's
    halal = pw.BooleanField(default=False)
    option1_name = pw.TextField(default="")
    option2_name = pw.TextField(default="")
    listing_url = pw.TextField(default="")
    archived = pw.BooleanField(default=False)
    created_at = pw.DateTimeField()
    updated_at = pw.DateTimeField()


class Variant(BaseModel):
    shop = pw.ForeignKeyField(Shop, on_delete="RESTRICT")
    shop_id: int
    product = pw.ForeignKeyField(Product, backref="variants", on_delete="RESTRICT")
    product_id: int
    sku = pw.TextField()
    option1_value = pw.TextField(default="")
    option2_value = pw.TextField(default="")
    price = pw.IntegerField(default=0)  # rupiah
    cost = pw.IntegerField(default=0)  # rupiah
    barcode = pw.TextField(default="")
    low_stock = pw.IntegerField(default=0)
    position = pw.IntegerField(default=0)
    archived = pw.BooleanField(default=False)
    updated_at = pw.DateTimeField()

    class Meta:
        indexes = ((("shop", "sku"), True), (("shop", "barcode"), False))


class Photo(BaseModel):
    shop = pw.ForeignKeyField(Shop, on_delete="RESTRICT")
    shop_id: int
    product = pw.ForeignKeyField(Product, backref="photos", on_delete="CASCADE")
    product_id: int
    position = pw.IntegerField(default=0)
    filename = pw.TextField()  # a media row's filename: "<sha256>.<ext>"
    width = pw.IntegerField(default=0)
    height = pw.IntegerField(default=0)


# --- stock ---------------------------------------------------------------


class Batch(BaseModel):
    shop = pw.ForeignKeyField(Shop, on_delete="RESTRICT")
    shop_id: int
    variant = pw.ForeignKeyField(Variant, backref="batches", on_delete="RESTRICT")
    variant_id: int
    code = pw.TextField()  # production code printed on the label
    produced_on = pw.DateField(null=True)
    expires_on = pw.DateField(null=True)
    quantity = pw.IntegerField(default=0)  # made in this run
    created_at = pw.DateTimeField()

    class Meta:
        indexes = ((("variant", "code"), True), (("shop", "expires_on"), False))


# The on-hand cache, written by shopdesk/stock/cache.py only, in the
# transaction of the movement: per variant and lot (a batch id, or 0 for stock
# tied to no batch). A lot without a row has nothing on hand; a variant's
# figure is the sum of its lots. Read it through ``shopdesk.stock.cache``.
class LotStock(BaseModel):
    variant_id = pw.IntegerField()
    lot = pw.IntegerField()
    shop_id = pw.IntegerField()
    on_hand = pw.IntegerField(default=0)

    class Meta:
        table_name = "lot_stock"
        primary_key = pw.CompositeKey("variant_id", "lot")
        without_rowid = True


class StockCount(BaseModel):
    """A stocktake (stock opname)."""

    shop = pw.ForeignKeyField(Shop, on_delete="RESTRICT")
    shop_id: int
    status = pw.TextField(default="open")  # open, posted, cancelled
    note = pw.TextField(default="")
    started_at = pw.DateTimeField()
    posted_at = pw.DateTimeField(null=True)


class StockCountLine(BaseModel):
    count = pw.ForeignKeyField(StockCount, backref="lines", on_delete="CASCADE")
    count_id: int
    variant = pw.ForeignKeyField(Variant, on_delete="RESTRICT")
    variant_id: int
    counted = pw.IntegerField(null=True)
    expected = pw.IntegerField(null=True)  # on hand at the moment of counting
    counted_at = pw.DateTimeField(null=True)

    class Meta:
        indexes = ((("count", "variant"), True),)


class Customer(BaseModel):
    """A shop's customer: who a sale on credit (kasbon) is owed by."""

    shop = pw.ForeignKeyField(Shop, on_delete="RESTRICT")
    shop_id: int
    name = pw.TextField()
    whatsapp = pw.TextField(default="")  # E.164, "+62812...", or empty
    note = pw.TextField(default="")
    archived = pw.BooleanField(default=False)
    created_at = pw.DateTimeField()


class Sale(BaseModel):
    shop = pw.ForeignKeyField(Shop, on_delete="RESTRICT")
    shop_id: int
    number = pw.IntegerField()  # per shop, 1, 2, 3...
    at = pw.DateTimeField()
    payment = pw.TextField(default="cash")
    channel = pw.TextField(default="direct")
    total = pw.IntegerField(default=0)
    note = pw.TextField(default="")
    voided_at = pw.DateTimeField(null=True)
    void_reason = pw.TextField(default="")
    external_order = pw.TextField(default="")  # the marketplace's order number, if any
    customer = pw.ForeignKeyField(Customer, null=True, on_delete="RESTRICT")
    customer_id: int | None

    class Meta:
        indexes = ((("shop", "number"), True), (("shop", "at"), False))


class SaleLine(BaseModel):
    sale = pw.ForeignKeyField(Sale, backref="lines", on_delete="RESTRICT")
    sale_id: int
    variant = pw.ForeignKeyField(Variant, on_delete="RESTRICT")
    variant_id: int
    quantity = pw.IntegerField()
    unit_price = pw.IntegerField()
    discount = pw.IntegerField(default=0)  # rupiah off the line
    unit_cost = pw.IntegerField(default=0)


class Movement(BaseModel):
    """The stock ledger. Append-only: triggers refuse UPDATE and DELETE."""

    shop = pw.ForeignKeyField(Shop, on_delete="RESTRICT")
    shop_id: int
    variant = pw.ForeignKeyField(Variant, on_delete="RESTRICT")
    variant_id: int
    batch = pw.ForeignKeyField(Batch, null=True, on_delete="RESTRICT")
    batch_id: int | None
    reason = pw.TextField()  # see shopdesk.stock REASONS
    quantity = pw.IntegerField()  # signed
    note = pw.TextField(default="")
    actor = pw.TextField(default="")
    at = pw.DateTimeField()
    reverses = pw.ForeignKeyField("self", null=True, unique=True, on_delete="RESTRICT")
    reverses_id: int | None
    sale_line = pw.ForeignKeyField(SaleLine, null=True, on_delete="RESTRICT")
    sale_line_id: int | None
    count = pw.ForeignKeyField(StockCount, null=True, on_delete="RESTRICT")
    count_id: int | None


class DebtEntry(BaseModel):
    """The debt ledger (kasbon). Append-only: triggers refuse UPDATE and DELETE.

    ``amount`` is signed: a sale's unpaid rest adds, a payment's share of one
    sale takes off, a void reverses one entry. Written by shopdesk/debts only.
    """

    shop = pw.ForeignKeyField(Shop, on_delete="RESTRICT")
    shop_id: int
    customer = pw.ForeignKeyField(Customer, on_delete="RESTRICT")
    customer_id: int
    sale = pw.ForeignKeyField(Sale, null=True, on_delete="RESTRICT")
    sale_id: int | None
    kind = pw.TextField()  # see shopdesk.debts KINDS
    amount = pw.IntegerField()
    payment_number = pw.IntegerField(null=True)  # per shop; the rows of one payment share it
    method = pw.TextField(default="")
    note = pw.TextField(default="")
    actor = pw.TextField(default="")
    at = pw.DateTimeField()
    reverses = pw.ForeignKeyField("self", null=True, unique=True, on_delete="RESTRICT")
    reverses_id: int | None

    class Meta:
        table_name = "debt_entry"


# The balance cache, written by shopdesk/debts/cache.py only, in the
# transaction of each entry. A customer without a row owes nothing.
class CustomerBalance(BaseModel):
    customer = pw.ForeignKeyField(Customer, primary_key=True, on_delete="RESTRICT")
    customer_id: int
    shop = pw.ForeignKeyField(Shop, on_delete="RESTRICT")
    shop_id: int
    balance = pw.IntegerField()

    class Meta:
        table_name = "customer_balance"


# --- listings ------------------------------------------------------------


class ListingState(BaseModel):
    """The outbox: which product waits for which export target."""

    shop = pw.ForeignKeyField(Shop, on_delete="RESTRICT")
    shop_id: int
    product = pw.ForeignKeyField(Product, on_delete="CASCADE")
    product_id: int
    target = pw.TextField()
    waiting = pw.BooleanField(default=True)
    changed_at = pw.DateTimeField()
    exported_bundle = pw.TextField(default="")
    exported_at = pw.DateTimeField(null=True)

    class Meta:
        table_name = "listing_state"
        indexes = ((("product", "target"), True), (("shop", "target", "waiting"), False))


class Bundle(BaseModel):
    shop = pw.ForeignKeyField(Shop, on_delete="RESTRICT")
    shop_id: int
    bundle_id = pw.TextField(unique=True)
    path = pw.TextField()
    targets = pw.TextField()
    product_count = pw.IntegerField(default=0)
    created_at = pw.DateTimeField()
    verified_at = pw.DateTimeField(null=True)


class BytesField(pw.BlobField):
    """Plain bytes in and out on either engine: peewee's BlobField wraps values in the
    binary type of the engine the models were first bound to, which the other refuses
    (a copy between SQLite and a server writes through both)."""

    def db_value(self, value: object) -> bytes | None:
        return None if value is None else bytes(value)  # type: ignore[call-overload]

    def python_value(self, value: object) -> bytes | None:
        return None if value is None else bytes(value)  # type: ignore[call-overload]


class ListingTemplate(BaseModel):
    """A marketplace file the seller downloaded (an upload template, or the product
    list a mass update starts from), kept whole per shop and kind."""

    shop = pw.ForeignKeyField(Shop, on_delete="RESTRICT")
    shop_id: int
    kind = pw.TextField()  # "shopee", "tokopedia", "shopee-update", "tokopedia-update"
    filename = pw.TextField()
    data = BytesField()
    sha256 = pw.TextField()
    added_at = pw.DateTimeField()

    class Meta:
        table_name = "listing_template"
        indexes = ((("shop", "kind"), True),)


class Media(BaseModel):
    """A photo or logo of a shop, its bytes whole: one row per shop, kind and content
    (``shopdesk.media_store`` writes and reads them)."""

    shop = pw.ForeignKeyField(Shop, on_delete="RESTRICT")
    shop_id: int
    kind = pw.TextField()  # "photos" or "logos"
    filename = pw.TextField()  # "<sha256>.<ext>", as photo.filename and shop.logo name it
    sha256 = pw.TextField()
    size = pw.IntegerField()
    data = BytesField()
    added_at = pw.DateTimeField()

    class Meta:
        indexes = ((("shop", "kind", "filename"), True),)


class ListingDetail(BaseModel):
    """What a marketplace asks of a product beyond the catalog."""

    shop = pw.ForeignKeyField(Shop, on_delete="RESTRICT")
    shop_id: int
    product = pw.ForeignKeyField(Product, unique=True, on_delete="CASCADE")
    product_id: int
    dangerous = pw.BooleanField(default=False)
    preorder_days = pw.IntegerField(default=0)
    shopee_category = pw.TextField(default="")
    tokopedia_category = pw.TextField(default="")

    class Meta:
        table_name = "listing_detail"


class MarketplaceLink(BaseModel):
    """A variant's listing on a marketplace: product (item) and variation ids."""

    shop = pw.ForeignKeyField(Shop, on_delete="RESTRICT")
    shop_id: int
    variant = pw.ForeignKeyField(Variant, on_delete="CASCADE")
    variant_id: int
    target = pw.TextField()
    item_id = pw.TextField()
    model_id = pw.TextField(default="")
    listed_price = pw.IntegerField(null=True)
    listed_stock = pw.IntegerField(null=True)
    imported_at = pw.DateTimeField()

    class Meta:
        table_name = "marketplace_link"
        indexes = ((("variant", "target"), True), (("shop", "target"), False))


ALL_MODELS = [
    Operator,
    Shop,
    Seller,
    AuditLog,
    Setting,
    Category,
    Product,
    Variant,
    Photo,
    Batch,
    LotStock,
    StockCount,
    StockCountLine,
    Customer,
    Sale,
    SaleLine,
    Movement,
    DebtEntry,
    CustomerBalance,
    ListingState,
    Bundle,
    ListingTemplate,
    ListingDetail,
    MarketplaceLink,
    Media,
]
