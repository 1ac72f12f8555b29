"""The catalog: products and variants of one seller's shop.

Categories (``categories``), photos (``photos``) and the listing outbox
(``listing_outbox``) live in their own modules; their public names are
re-exported here, so ``catalog.add_photo`` and the like keep working.

Every function takes the seller's ``Session`` first and reads or writes only
rows of ``session.shop_id``; a product or SKU of another shop is "not found".
Each write is one ``store.transaction()`` (BEGIN IMMEDIATE) with its audit row,
and marks the product's listing as waiting for every export target
(``mark_listing_changed``) in the same transaction.

A product always has at least one variant: a product without options has one
*default* variant (empty option values) that carries its SKU, price, cost,
barcode and stock. Up to two option names (``Rasa``, ``Ukuran``), as
marketplaces allow. A product with history is archived, never deleted.
The search index follows these tables through triggers (``migrations`` step 3).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from shopdesk import audit, stock, store
from shopdesk.catalog.categories import (
    CategoryCache,
    CategoryInfo,
    category_names,
    create_category,
    list_categories,
    rename_category,
)
from shopdesk.catalog.outbox import LISTING_TARGETS, mark_listing_changed, waiting_products
from shopdesk.catalog.photos import (
    MAX_PHOTOS,
    THUMB_SIZES,
    PhotoInfo,
    add_photo,
    photos_by_product,
    remove_photo,
    reorder_photos,
    thumbnail,
)
from shopdesk.catalog.rows import product_row, touch_product, variant_row
from shopdesk.clock import utcnow
from shopdesk.codes import normalize_barcode, normalize_sku, option_suffix, sku_prefix
from shopdesk.errors import ValidationError
from shopdesk.i18n import _
from shopdesk.money import parse_rupiah
from shopdesk.profiles import Session, require_seller
from shopdesk.store.models import (
    Batch,
    Category,
    ListingState,
    Movement,
    Photo,
    Product,
    SaleLine,
    StockCountLine,
    Variant,
)
from shopdesk.validators import check_text, normalize_pirt

UNITS = (
    "pcs", "bungkus", "botol", "toples", "kotak", "karung", "kaleng", "pak", "lembar",
    "butir", "sachet", "ikat", "kg", "gram", "liter", "ml",
)  # fmt: skip
MAX_WEIGHT_G = 1_000_000
MAX_DIMENSION_CM = 1_000
MAX_SHELF_LIFE_DAYS = 3_650
MAX_LOW_STOCK = 1_000_000

_TRUE = {"1", "true", "ya", "y", "yes", "iya", "halal", "benar"}
_FALSE = {"0", "false", "tidak", "t", "no", "n", "bukan", "tdk", ""}


# --- what the services return ------------------------------------------------


@dataclass(frozen=True)
class VariantInfo:
    id: int
    product_id: int
    sku: str
    product_name: str
    option1_value: str
    option2_value: str
    name: str  # display name: "Keripik Singkong - Balado"
    price: int
    cost: int
    barcode: str
    on_hand: int
    low_stock: int
    unit: str
    shelf_life_days: int
    archived: bool
    position: int = 0
    category: str = ""

    @property
    def options(self) -> tuple[str, ...]:
        return tuple(v for v in (self.option1_value, self.option2_value) if v)

    @property
    def is_low(self) -> bool:
        return self.on_hand <= 0 or (self.low_stock > 0 and self.on_hand <= self.low_stock)


@dataclass(frozen=True)
class ProductInfo:
    id: int
    name: str
    category: str
    unit: str
    description: str
    weight_g: int
    length_cm: int
    width_cm: int
    height_cm: int
    is_food: bool
    netto: str
    composition: str
    storage: str
    shelf_life_days: int
    pirt_number: str
    halal: bool
    option1_name: str
    option2_name: str
    listing_url: str
    archived: bool
    created_at: datetime
    updated_at: datetime
    variants: tuple[VariantInfo, ...] = ()
    photos: tuple[PhotoInfo, ...] = ()

    @property
    def option_names(self) -> tuple[str, ...]:
        return tuple(n for n in (self.option1_name, self.option2_name) if n)

    @property
    def active_variants(self) -> tuple[VariantInfo, ...]:
        return tuple(v for v in self.variants if not v.archived)

    @property
    def sku(self) -> str:
        """The parent SKU: the common stem of the variants' SKUs (KRPK-0001)."""
        return parent_sku([v.sku for v in self.variants])

    @property
    def price(self) -> int:
        prices = [v.price for v in self.active_variants or self.variants]
        return min(prices) if prices else 0

    @property
    def on_hand(self) -> int:
        return sum(v.on_hand for v in self.variants)


def parent_sku(skus: list[str]) -> str:
    if not skus:
        return ""
    if len(skus) == 1:
        return skus[0]
    stem = skus[0]
    for sku in skus[1:]:
        while not sku.startswith(stem):
            stem = stem[:-1]
    stem = stem.rstrip("-._/")
    return stem if len(stem) >= 3 else skus[0]


def display_name(product_name: str, *options: str) -> str:
    values = [o for o in options if o]
    return f"{product_name} - {' / '.join(values)}" if values else product_name


# --- field checks ------------------------------------------------------------


def whole_number(value: object, *, field: str, high: int) -> int:
    if isinstance(value, bool):
        raise ValidationError(_("{field} must be a whole number.").format(field=field))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"\d{1,3}(\.\d{3})+", text):  # 1.050 written the Indonesian way
            text = text.replace(".", "")
        if not text:
            return 0
        if not re.fullmatch(r"\d{1,10}", text):
            raise ValidationError(
                _("{field}: “{text}” is not a whole number.").format(field=field, text=text[:40])
            )
        value = int(text)
    if not isinstance(value, int):
        raise ValidationError(_("{field} must be a whole number.").format(field=field))
    if not 0 <= value <= high:
        raise ValidationError(
            _("{field} must be between 0 and {high}.").format(field=field, high=high)
        )
    return value


def parse_bool(value: object, *, field: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    text = str(value if value is not None else "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValidationError(
        _("{field}: write ya or tidak, not “{text}”.").format(field=field, text=text[:40])
    )


def _price(value: object, *, field: str) -> int:
    try:
        return parse_rupiah(value)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise ValidationError(f"{field}: {exc.message}") from exc


def _url(value: object) -> str:
    text = check_text(str(value or ""), field=_("Listing link"), max_length=500)
    if text and not re.match(r"^https?://\S+$", text):
        raise ValidationError(_("The listing link must start with http:// or https://."))
    return text


def product_checks() -> dict[str, object]:
    """field -> checker(value) -> stored value (built per call: labels are translated)."""
    return {
        "category": lambda v: check_text(str(v or ""), field=_("Category"), max_length=60),
        "name": lambda v: check_text(str(v or ""), field=_("Name"), required=True, max_length=200),
        "unit": lambda v: check_text(str(v or ""), field=_("Unit"), max_length=20).lower() or "pcs",
        "description": lambda v: check_text(str(v or ""), field=_("Description"), max_length=5000),
        "weight_g": lambda v: whole_number(v, field=_("Weight (g)"), high=MAX_WEIGHT_G),
        "length_cm": lambda v: whole_number(v, field=_("Length (cm)"), high=MAX_DIMENSION_CM),
        "width_cm": lambda v: whole_number(v, field=_("Width (cm)"), high=MAX_DIMENSION_CM),
        "height_cm": lambda v: whole_number(v, field=_("Height (cm)"), high=MAX_DIMENSION_CM),
        "is_food": lambda v: parse_bool(v, field=_("Food")),
        "netto": lambda v: check_text(str(v or ""), field=_("Net content"), max_length=60),
        "composition": lambda v: check_text(str(v or ""), field=_("Composition"), max_length=1000),
        "storage": lambda v: check_text(str(v or ""), field=_("Storage"), max_length=300),
        "shelf_life_days": lambda v: whole_number(
            v, field=_("Shelf life (days)"), high=MAX_SHELF_LIFE_DAYS
        ),
        "pirt_number": lambda v: normalize_pirt(str(v or "")),
        "halal": lambda v: parse_bool(v, field=_("Halal")),
        "option1_name": lambda v: check_text(str(v or ""), field=_("Option name"), max_length=30),
        "option2_name": lambda v: check_text(str(v or ""), field=_("Option name"), max_length=30),
        "listing_url": _url,
    }


PRODUCT_FIELDS = (
    "name", "category", "unit", "description", "weight_g", "length_cm", "width_cm",
    "height_cm", "is_food", "netto", "composition", "storage", "shelf_life_days",
    "pirt_number", "halal", "option1_name", "option2_name", "listing_url",
)  # fmt: skip
VARIANT_FIELDS = (
    "sku", "option1_value", "option2_value", "price", "cost", "barcode", "low_stock",
    "position", "archived",
)  # fmt: skip


def check_product_fields(fields: Mapping[str, object]) -> dict[str, object]:
    """Validated product values (``category`` stays a name); unknown fields refused."""
    checks = product_checks()
    values: dict[str, object] = {}
    for key, value in fields.items():
        if key in checks:
            values[key] = checks[key](value)  # type: ignore[operator]
        else:
            raise ValidationError(_("Unknown product field: {field}").format(field=key))
    if values.get("option2_name") and "option1_name" in values and not values["option1_name"]:
        raise ValidationError(_("Give the first option a name before the second one."))
    return values


def check_variant_fields(fields: Mapping[str, object]) -> dict[str, object]:
    values: dict[str, object] = {}
    for key, value in fields.items():
        if key == "sku":
            values[key] = None if value in (None, "") else normalize_sku(str(value))
        elif key in ("option1_value", "option2_value"):
            values[key] = check_text(str(value or ""), field=_("Option value"), max_length=50)
        elif key == "price":
            values[key] = _price(value, field=_("Price"))
        elif key == "cost":
            values[key] = 0 if value in (None, "") else _price(value, field=_("Cost"))
        elif key == "barcode":
            values[key] = normalize_barcode(str(value or ""))
        elif key == "low_stock":
            values[key] = whole_number(value, field=_("Low-stock level"), high=MAX_LOW_STOCK)
        elif key == "position":
            values[key] = whole_number(value, field=_("Position"), high=10_000)
        elif key == "archived":
            values[key] = parse_bool(value, field=_("Archived"))
        else:
            raise ValidationError(_("Unknown variant field: {field}").format(field=key))
    return values


# --- reading -----------------------------------------------------------------


def _variant_info(v: Variant, p: Product, category: str, on_hand: int) -> VariantInfo:
    return VariantInfo(
        id=v.id,
        product_id=p.id,
        sku=v.sku,
        product_name=p.name,
        option1_value=v.option1_value,
        option2_value=v.option2_value,
        name=display_name(p.name, v.option1_value, v.option2_value),
        price=v.price,
        cost=v.cost,
        barcode=v.barcode,
        on_hand=on_hand,
        low_stock=v.low_stock,
        unit=p.unit,
        shelf_life_days=p.shelf_life_days,
        archived=bool(v.archived or p.archived),
        position=v.position,
        category=category,
    )


def _product_infos(shop_id: int, products: list[Product]) -> list[ProductInfo]:
    if not products:
        return []
    ids = [p.id for p in products]
    categories = category_names(shop_id)
    by_id = {p.id: p for p in products}
    variants: dict[int, list[VariantInfo]] = {pid: [] for pid in ids}
    for chunk in store.chunks(ids, 500):
        # The figure (sum of the variant's lots) in the same query: one pass.
        query = (
            Variant.select(Variant, stock.VARIANT_ON_HAND.alias("stock_on_hand"))
            .where((Variant.shop == shop_id) & Variant.product.in_(chunk))
            .order_by(Variant.product, Variant.position, Variant.id)
        )
        for v in query:
            p = by_id[v.product_id]
            category = categories.get(p.category_id, "")
            variants[p.id].append(_variant_info(v, p, category, v.stock_on_hand))
    photos = photos_by_product(shop_id, ids)
    return [
        ProductInfo(
            id=p.id,
            name=p.name,
            category=categories.get(p.category_id, ""),
            unit=p.unit,
            description=p.description,
            weight_g=p.weight_g,
            length_cm=p.length_cm,
            width_cm=p.width_cm,
            height_cm=p.height_cm,
            is_food=bool(p.is_food),
            netto=p.netto,
            composition=p.composition,
            storage=p.storage,
            shelf_life_days=p.shelf_life_days,
            pirt_number=p.pirt_number,
            halal=bool(p.halal),
            option1_name=p.option1_name,
            option2_name=p.option2_name,
            listing_url=p.listing_url,
            archived=bool(p.archived),
            created_at=p.created_at,
            updated_at=p.updated_at,
            variants=tuple(variants[p.id]),
            photos=tuple(photos[p.id]),
        )
        for p in products
    ]


def get_product(session: Session, product_id: int) -> ProductInfo:
    """A product with its variants and photos; NotFoundError outside the shop."""
    session = require_seller(session)
    return _product_infos(session.shop_id, [product_row(session, product_id)])[0]


def _one_variant_info(shop_id: int, v: Variant) -> VariantInfo:
    p = Product.get_by_id(v.product_id)
    category = category_names(shop_id).get(p.category_id, "")
    return _variant_info(v, p, category, stock.variant_on_hand(v.id))


def get_variant(session: Session, sku: str) -> VariantInfo:
    session = require_seller(session)
    return _one_variant_info(session.shop_id, variant_row(session, sku))


def find_by_code(session: Session, code: str) -> VariantInfo | None:
    """What a scanner or a typed code points at: exact SKU first, then barcode."""
    session = require_seller(session)
    raw = (code or "").strip()
    if not raw or len(raw) > 100:
        return None
    compact = "".join(raw.split())
    row = Variant.get_or_none((Variant.shop == session.shop_id) & (Variant.sku == raw.upper()))
    if row is None:
        row = (
            Variant.select()
            .where((Variant.shop == session.shop_id) & Variant.barcode.in_({raw, compact}))
            .order_by(Variant.archived, Variant.id)
            .first()
        )
    return None if row is None else _one_variant_info(session.shop_id, row)


def list_products(
    session: Session,
    *,
    include_archived: bool = False,
    category: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[ProductInfo]:
    """Products by name, each with variants and photos."""
    session = require_seller(session)
    query = Product.select().where(Product.shop == session.shop_id)
    if not include_archived:
        query = query.where(Product.archived == False)  # noqa: E712
    if category is not None:
        cat = Category.get_or_none((Category.shop == session.shop_id) & (Category.name == category))
        query = query.where(Product.category == (cat.id if cat else -1))
    query = query.order_by(Product.name, Product.id).offset(max(0, offset))
    if limit is not None:
        query = query.limit(max(0, limit))
    return _product_infos(session.shop_id, list(query))


def count_products(session: Session, *, include_archived: bool = False) -> int:
    session = require_seller(session)
    query = Product.select().where(Product.shop == session.shop_id)
    if not include_archived:
        query = query.where(Product.archived == False)  # noqa: E712
    return query.count()


def list_variants(
    session: Session, *, product_id: int | None = None, include_archived: bool = False
) -> list[VariantInfo]:
    session = require_seller(session)
    if product_id is not None:
        products = [product_row(session, product_id)]
    else:
        query = Product.select().where(Product.shop == session.shop_id)
        products = list(query.order_by(Product.name, Product.id))
    rows = [v for p in _product_infos(session.shop_id, products) for v in p.variants]
    return [v for v in rows if include_archived or not v.archived]


# --- writing helpers (call inside a transaction) ------------------------------


class SkuAllocator:
    """Readable SKUs (``KOPI-0001``) unique in one shop; also remembers SKUs
    taken earlier in the same transaction (an import).

    ``preload=True`` reads every SKU of the shop once, so that a big import
    asks the database nothing per row.
    """

    def __init__(self, shop_id: int, *, preload: bool = False) -> None:
        self.shop_id = shop_id
        self.counters: dict[str, int] = {}
        self.taken: set[str] = set()
        self.known: set[str] | None = None
        if preload:
            rows = store.database.execute_sql(
                "SELECT sku FROM variant WHERE shop_id = ?", (shop_id,)
            )
            self.known = {sku for (sku,) in rows}

    def exists(self, sku: str) -> bool:
        if sku in self.taken:
            return True
        if self.known is not None:
            return sku in self.known
        row = store.database.execute_sql(
            "SELECT 1 FROM variant WHERE shop_id = ? AND sku = ?", (self.shop_id, sku)
        ).fetchone()
        return row is not None

    def next(self, prefix: str) -> str:
        if prefix not in self.counters:
            pattern = re.compile(rf"^{re.escape(prefix)}-(\d+)")
            if self.known is not None:
                skus = [s for s in self.known if s.startswith(prefix + "-")]
            else:
                skus = [
                    sku
                    for (sku,) in store.database.execute_sql(
                        "SELECT sku FROM variant WHERE shop_id = ? AND substr(sku, 1, ?) = ?",
                        (self.shop_id, len(prefix) + 1, prefix + "-"),
                    )
                ]
            numbers = [int(m.group(1)) for s in skus if (m := pattern.match(s))]
            self.counters[prefix] = max(numbers, default=0)
        while True:
            self.counters[prefix] += 1
            sku = f"{prefix}-{self.counters[prefix]:04d}"
            if not self.exists(sku):
                return sku

    def claim(self, sku: str) -> str:
        if self.exists(sku):
            raise ValidationError(
                _("The SKU {sku} is already used in this shop. Choose another.").format(sku=sku)
            )
        self.taken.add(sku)
        return sku

    def unique_child(self, base: str, values: tuple[str, ...]) -> str:
        stem = "-".join([base, *(option_suffix(v) for v in values if v)])
        sku, n = stem, 1
        while self.exists(sku):
            n += 1
            sku = f"{stem}{n}"
        return sku


def _check_barcode_free(shop_id: int, barcode: str, *, except_id: int | None = None) -> None:
    if not barcode:
        return
    query = Variant.select().where((Variant.shop == shop_id) & (Variant.barcode == barcode))
    if except_id is not None:
        query = query.where(Variant.id != except_id)
    if query.exists():
        raise ValidationError(
            _("The barcode {code} is already on another product in this shop.").format(code=barcode)
        )


def _check_options(
    option1_name: str, option2_name: str, combos: list[tuple[str, str]], *, strict: bool
) -> None:
    """Option values fit the option names; no two variants alike."""
    if option2_name and not option1_name:
        raise ValidationError(_("Give the first option a name before the second one."))
    seen: set[tuple[str, str]] = set()
    for value1, value2 in combos:
        if (value1 and not option1_name) or (value2 and not option2_name):
            raise ValidationError(
                _(
                    "This product has no option name for the value “{value}”. "
                    "Name the option first (like Rasa or Ukuran)."
                ).format(value=value1 or value2)
            )
        if strict and ((option1_name and not value1) or (option2_name and not value2)):
            raise ValidationError(
                _("Each variant needs a value for {option}.").format(
                    option=option1_name if not value1 else option2_name
                )
            )
        key = (value1.casefold(), value2.casefold())
        if key in seen:
            raise ValidationError(
                _("Two variants have the same options: {options}.").format(
                    options=" / ".join(v for v in (value1, value2) if v) or "-"
                )
            )
        seen.add(key)


_PRODUCT_COLUMNS = (
    "name", "unit", "description", "weight_g", "length_cm", "width_cm", "height_cm",
    "is_food", "netto", "composition", "storage", "shelf_life_days", "pirt_number", "halal",
    "option1_name", "option2_name", "listing_url",
)  # fmt: skip
_PRODUCT_DEFAULTS: dict[str, object] = {
    "unit": "pcs", "description": "", "weight_g": 0, "length_cm": 0, "width_cm": 0,
    "height_cm": 0, "netto": "", "composition": "", "storage": "", "shelf_life_days": 0,
    "pirt_number": "", "halal": False, "option1_name": "", "option2_name": "",
    "listing_url": "",
}  # fmt: skip


def insert_product(
    session: Session,
    *,
    product: Mapping[str, object],
    variants: list[dict[str, object]],
    categories: CategoryCache,
    skus: SkuAllocator,
    check_barcodes: bool = True,
) -> tuple[int, list[int]]:
    """Insert one checked product with its checked variants; returns (id, variant ids).

    No transaction or audit of its own: ``create_product`` and the importer
    wrap it. ``product`` holds checked values (``category`` as a name);
    each variant holds checked values with ``sku`` None for a generated one.
    ``check_barcodes=False`` when the caller has checked them for the whole
    batch (the importer). Plain SQL: an import runs this 10,000 times and
    peewee's statement building cost more than the statements.
    """
    now = str(utcnow())
    values = {**_PRODUCT_DEFAULTS, **{k: v for k, v in product.items() if k != "category"}}
    if "is_food" not in values:
        values["is_food"] = bool(
            values.get("shelf_life_days") or values.get("composition") or values.get("pirt_number")
        )
    category_id = categories.id_for(str(product.get("category") or ""))
    o1, o2 = str(values["option1_name"]), str(values["option2_name"])
    if not variants:
        raise ValidationError(_("A product needs at least one variant."))
    _check_options(
        o1, o2, [(str(v["option1_value"]), str(v["option2_value"])) for v in variants], strict=True
    )
    for spec in variants:
        if spec.get("sku"):
            skus.claim(str(spec["sku"]))
    run = store.database.execute_sql
    row = [db_value(values[c]) for c in _PRODUCT_COLUMNS]
    product_id = run(
        f"INSERT INTO product (shop_id, category_id, created_at, updated_at, "
        f"{', '.join(_PRODUCT_COLUMNS)}) VALUES (?, ?, ?, ?, {', '.join('?' * len(row))})",
        (session.shop_id, category_id, now, now, *row),
    ).lastrowid
    base: str | None = None
    variant_ids: list[int] = []
    for position, spec in enumerate(variants):
        sku = spec.get("sku")
        if not sku:
            if base is None:
                base = skus.next(sku_prefix(str(product.get("category") or values["name"])))
            opts = (str(spec["option1_value"]), str(spec["option2_value"]))
            sku = base if not any(opts) else skus.unique_child(base, opts)
            skus.taken.add(str(sku))
        barcode = str(spec.get("barcode") or "")
        if check_barcodes:
            _check_barcode_free(session.shop_id, barcode)
        variant_ids.append(
            run(
                "INSERT INTO variant (shop_id, product_id, sku, option1_value, option2_value, "
                "price, cost, barcode, low_stock, position, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    session.shop_id,
                    product_id,
                    sku,
                    spec["option1_value"],
                    spec["option2_value"],
                    spec["price"],
                    spec.get("cost", 0),
                    barcode,
                    spec.get("low_stock", 0),
                    position,
                    now,
                ),
            ).lastrowid
        )
    return product_id, variant_ids


def db_value(value: object) -> object:
    return int(value) if isinstance(value, bool) else value


def _variant_specs(
    *,
    price: object,
    cost: object,
    sku: str | None,
    barcode: str,
    low_stock: object,
    variants: list[Mapping[str, object]] | None,
) -> list[dict[str, object]]:
    default = check_variant_fields(
        {"price": price, "cost": cost, "sku": sku, "barcode": barcode, "low_stock": low_stock}
    )
    if not variants:
        return [{**default, "option1_value": "", "option2_value": ""}]
    specs = []
    barcodes: set[str] = set()
    for given in variants:
        fields = {"option1_value": "", "option2_value": "", **given}
        fields.setdefault("price", default["price"])
        fields.setdefault("cost", default["cost"])
        fields.setdefault("low_stock", default["low_stock"])
        spec = check_variant_fields(fields)
        if spec.get("barcode"):
            if spec["barcode"] in barcodes:
                raise ValidationError(
                    _("The barcode {code} is given to two variants.").format(code=spec["barcode"])
                )
            barcodes.add(str(spec["barcode"]))
        specs.append(spec)
    return specs


# --- products ------------------------------------------------------------------


def create_product(
    session: Session,
    *,
    name: str,
    price: int | str,
    category: str = "",
    unit: str = "pcs",
    cost: int | str = 0,
    sku: str | None = None,
    barcode: str = "",
    low_stock: int = 0,
    option1_name: str = "",
    option2_name: str = "",
    variants: list[Mapping[str, object]] | None = None,
    description: str = "",
    weight_g: int = 0,
    length_cm: int = 0,
    width_cm: int = 0,
    height_cm: int = 0,
    is_food: bool | None = None,
    netto: str = "",
    composition: str = "",
    storage: str = "",
    shelf_life_days: int = 0,
    pirt_number: str = "",
    halal: bool = False,
    listing_url: str = "",
) -> ProductInfo:
    """Create a product with its variants (one default variant without options).

    ``variants``: dicts with ``option1_value``, ``option2_value`` and optional
    ``sku``, ``price``, ``cost``, ``barcode``, ``low_stock`` (the product's
    ``price``/``cost``/``low_stock`` are the defaults). Missing SKUs are made
    from the category (``KOPI-0001``, ``KRPK-0002-BAL``).
    """
    session = require_seller(session)
    fields: dict[str, object] = {
        "name": name,
        "category": category,
        "unit": unit,
        "description": description,
        "weight_g": weight_g,
        "length_cm": length_cm,
        "width_cm": width_cm,
        "height_cm": height_cm,
        "netto": netto,
        "composition": composition,
        "storage": storage,
        "shelf_life_days": shelf_life_days,
        "pirt_number": pirt_number,
        "halal": halal,
        "option1_name": option1_name,
        "option2_name": option2_name,
        "listing_url": listing_url,
    }
    if is_food is not None:
        fields["is_food"] = is_food
    values = check_product_fields(fields)
    if variants and not values["option1_name"]:
        raise ValidationError(_("Name the option of the variants first (like Rasa or Ukuran)."))
    specs = _variant_specs(
        price=price, cost=cost, sku=sku, barcode=barcode, low_stock=low_stock, variants=variants
    )
    with store.transaction():
        product_id, _ids = insert_product(
            session,
            product=values,
            variants=specs,
            categories=CategoryCache(session.shop_id),
            skus=SkuAllocator(session.shop_id),
        )
        mark_listing_changed(session, [product_id])
        info = get_product(session, product_id)
        audit.record(
            "product.create",
            actor=session.actor,
            shop_id=session.shop_id,
            product_id=product_id,
            skus=[v.sku for v in info.variants],
        )
    return info


def update_product(session: Session, product_id: int, /, **fields: object) -> ProductInfo:
    """Change product fields (see ``PRODUCT_FIELDS``); audited, listing marked."""
    session = require_seller(session)
    values = check_product_fields(fields)
    with store.transaction():
        row = product_row(session, product_id)
        changes = apply_product_changes(session, row, values)
        if changes:
            audit.record(
                "product.update",
                actor=session.actor,
                shop_id=session.shop_id,
                product_id=row.id,
                changes=changes,
            )
    return get_product(session, row.id)


def apply_product_changes(
    session: Session, row: Product, values: Mapping[str, object], *, categories=None
) -> dict[str, list[object]]:
    """Write the fields that differ; returns {field: [old, new]}. Inside a transaction."""
    updates: dict[str, object] = {}
    changes: dict[str, list[object]] = {}
    if "category" in values:
        categories = categories or CategoryCache(session.shop_id)
        new_id = categories.id_for(str(values["category"]))
        if new_id != row.category_id:
            names = category_names(session.shop_id)
            changes["category"] = [names.get(row.category_id, ""), values["category"]]
            updates["category"] = new_id
    for key, value in values.items():
        if key == "category":
            continue
        old = getattr(row, key)
        if isinstance(value, bool):
            old = bool(old)
        if old != value:
            updates[key] = value
            changes[key] = [old, value]
    if not updates:
        return {}
    if "option1_name" in updates or "option2_name" in updates:
        active = Variant.select().where(
            (Variant.product == row.id) & (Variant.archived == False)  # noqa: E712
        )
        o1 = str(values.get("option1_name", row.option1_name))
        o2 = str(values.get("option2_name", row.option2_name))
        combos = [(v.option1_value, v.option2_value) for v in active]
        if not o1 and len(combos) > 1:
            raise ValidationError(
                _("This product has several variants, so it needs an option name.")
            )
        _check_options(o1, o2, combos, strict=False)
    Product.update(updated_at=utcnow(), **updates).where(Product.id == row.id).execute()
    mark_listing_changed(session, [row.id])
    return changes


def archive_product(session: Session, product_id: int, *, archived: bool = True) -> ProductInfo:
    """Hide a product from lists, search and listings; its history stays."""
    session = require_seller(session)
    with store.transaction():
        row = product_row(session, product_id)
        if bool(row.archived) != archived:
            Product.update(archived=archived, updated_at=utcnow()).where(
                Product.id == row.id
            ).execute()
            mark_listing_changed(session, [row.id])
            audit.record(
                "product.archive" if archived else "product.unarchive",
                actor=session.actor,
                shop_id=session.shop_id,
                product_id=row.id,
            )
    return get_product(session, row.id)


def has_history(session: Session, product_id: int) -> bool:
    """True when any variant was ever stocked, sold, counted or batched."""
    session = require_seller(session)
    row = product_row(session, product_id)
    ids = [v.id for v in Variant.select(Variant.id).where(Variant.product == row.id)]
    if not ids:
        return False
    return any(
        model.select().where(model.variant.in_(ids)).exists()
        for model in (Movement, SaleLine, Batch, StockCountLine)
    )


def delete_product(session: Session, product_id: int) -> None:
    """Delete a product entered by mistake; one with any history is refused (archive it)."""
    session = require_seller(session)
    with store.transaction():
        row = product_row(session, product_id)
        if has_history(session, row.id):
            raise ValidationError(
                _(
                    "“{name}” has stock or sales history, so it cannot be deleted. "
                    "Archive it instead."
                ).format(name=row.name)
            )
        skus = [v.sku for v in Variant.select().where(Variant.product == row.id)]
        ListingState.delete().where(ListingState.product == row.id).execute()
        Photo.delete().where(Photo.product == row.id).execute()
        Variant.delete().where(Variant.product == row.id).execute()
        Product.delete().where(Product.id == row.id).execute()
        audit.record(
            "product.delete",
            actor=session.actor,
            shop_id=session.shop_id,
            product_id=row.id,
            name=row.name,
            skus=skus,
        )


# --- variants ------------------------------------------------------------------


def add_variant(
    session: Session,
    *,
    product_id: int,
    option1_value: str = "",
    option2_value: str = "",
    sku: str | None = None,
    price: int | str | None = None,
    cost: int | str | None = None,
    barcode: str = "",
    low_stock: int = 0,
) -> VariantInfo:
    """Add a variant to a product that has option names; price and cost default
    to the first variant's."""
    session = require_seller(session)
    with store.transaction():
        row = product_row(session, product_id)
        if not row.option1_name:
            raise ValidationError(
                _(
                    "“{name}” has no options yet. Give it an option name first "
                    "(like Rasa or Ukuran), then add variants."
                ).format(name=row.name)
            )
        first = Variant.select().where(Variant.product == row.id).order_by(Variant.position).first()
        spec = check_variant_fields(
            {
                "option1_value": option1_value,
                "option2_value": option2_value,
                "sku": sku,
                "price": price if price not in (None, "") else (first.price if first else 0),
                "cost": cost if cost not in (None, "") else (first.cost if first else 0),
                "barcode": barcode,
                "low_stock": low_stock,
            }
        )
        existing = Variant.select().where(
            (Variant.product == row.id) & (Variant.archived == False)  # noqa: E712
        )
        combos = [(v.option1_value, v.option2_value) for v in existing]
        combos.append((str(spec["option1_value"]), str(spec["option2_value"])))
        _check_options(row.option1_name, row.option2_name, combos, strict=False)
        _check_options(row.option1_name, row.option2_name, combos[-1:], strict=True)
        skus = SkuAllocator(session.shop_id)
        if spec["sku"]:
            new_sku = skus.claim(str(spec["sku"]))
        else:
            base = parent_sku([v.sku for v in Variant.select().where(Variant.product == row.id)])
            base = base or skus.next(sku_prefix(row.name))
            new_sku = skus.unique_child(
                base, (str(spec["option1_value"]), str(spec["option2_value"]))
            )
        _check_barcode_free(session.shop_id, str(spec["barcode"]))
        last = Variant.select().where(Variant.product == row.id).count()
        Variant.insert(
            shop=session.shop_id,
            product=row.id,
            sku=new_sku,
            option1_value=spec["option1_value"],
            option2_value=spec["option2_value"],
            price=spec["price"],
            cost=spec["cost"],
            barcode=spec["barcode"],
            low_stock=spec["low_stock"],
            position=last,
            updated_at=utcnow(),
        ).execute()
        touch_product(session, row.id)
        audit.record(
            "variant.create",
            actor=session.actor,
            shop_id=session.shop_id,
            product_id=row.id,
            sku=new_sku,
            price=spec["price"],
        )
    return get_variant(session, new_sku)


def update_variant(session: Session, sku: str, /, **fields: object) -> VariantInfo:
    """Change variant fields (see ``VARIANT_FIELDS``; ``sku=`` or ``new_sku=``
    renames); price and cost changes are audited with old and new values."""
    session = require_seller(session)
    if "new_sku" in fields:
        fields["sku"] = fields.pop("new_sku")
    values = check_variant_fields(fields)
    if "sku" in values and not values["sku"]:
        raise ValidationError(_("The SKU is empty. Leave it out to keep the current one."))
    with store.transaction():
        row = variant_row(session, sku)
        changes = apply_variant_changes(session, row, values)
        if changes:
            audit.record(
                "variant.update",
                actor=session.actor,
                shop_id=session.shop_id,
                product_id=row.product_id,
                sku=row.sku,
                changes=changes,
            )
            for key in ("price", "cost"):
                if key in changes:
                    audit.record(
                        f"variant.{key}",
                        actor=session.actor,
                        shop_id=session.shop_id,
                        sku=values.get("sku") or row.sku,
                        old=changes[key][0],
                        new=changes[key][1],
                    )
    return get_variant(session, str(values.get("sku") or row.sku))


def apply_variant_changes(
    session: Session,
    row: Variant,
    values: Mapping[str, object],
    *,
    skus: SkuAllocator | None = None,
) -> dict[str, list[object]]:
    """Write checked variant values that differ; {field: [old, new]}. Inside a transaction."""
    updates = {k: v for k, v in values.items() if getattr(row, k) != v}
    if "archived" in updates and bool(row.archived) == updates["archived"]:
        del updates["archived"]
    if not updates:
        return {}
    if "sku" in updates:
        (skus or SkuAllocator(session.shop_id)).claim(str(updates["sku"]))
    if "barcode" in updates:
        _check_barcode_free(session.shop_id, str(updates["barcode"]), except_id=row.id)
    if {"option1_value", "option2_value", "archived"} & set(updates):
        product = Product.get_by_id(row.product_id)
        others = Variant.select().where(
            (Variant.product == row.product_id)
            & (Variant.archived == False)  # noqa: E712
            & (Variant.id != row.id)
        )
        combos = [(v.option1_value, v.option2_value) for v in others]
        if not values.get("archived", row.archived):
            combos.append(
                (
                    str(values.get("option1_value", row.option1_value)),
                    str(values.get("option2_value", row.option2_value)),
                )
            )
        _check_options(product.option1_name, product.option2_name, combos, strict=False)
    Variant.update(updated_at=utcnow(), **updates).where(Variant.id == row.id).execute()
    touch_product(session, row.product_id)
    return {k: [getattr(row, k), v] for k, v in updates.items()}


__all__ = [
    "LISTING_TARGETS",
    "MAX_PHOTOS",
    "THUMB_SIZES",
    "CategoryCache",
    "CategoryInfo",
    "PhotoInfo",
    "ProductInfo",
    "VariantInfo",
    "add_photo",
    "add_variant",
    "archive_product",
    "count_products",
    "create_category",
    "create_product",
    "delete_product",
    "find_by_code",
    "get_product",
    "get_variant",
    "has_history",
    "list_categories",
    "list_products",
    "list_variants",
    "mark_listing_changed",
    "remove_photo",
    "rename_category",
    "reorder_photos",
    "thumbnail",
    "update_product",
    "update_variant",
    "waiting_products",
]
