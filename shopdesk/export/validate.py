"""Checks before writing, per target: what each marketplace refuses.

Each problem names the product and says what to fix. An error leaves that
product out of that target only; a warning is shown but does not block.
The limits come from ``docs/marketplaces.md`` (shared docs).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from shopdesk.catalog import LISTING_TARGETS
from shopdesk.export.listing import ListingVariant
from shopdesk.export.prepared import PreparedProduct
from shopdesk.export.text import has_emoji
from shopdesk.i18n import N_, _

ERROR = "error"
WARNING = "warning"

# The catalog's outbox keeps a waiting mark per target, so it owns the list.
TARGETS = LISTING_TARGETS
TARGET_LABELS = {
    "shopee": "Shopee",
    "tokopedia": "Tokopedia/TikTok Shop",
    "shopify": "Shopify",
    "woocommerce": "WooCommerce",
    "meta": "Meta (Facebook/Instagram/WhatsApp)",
    "google": "Google Merchant Center",
    "generic": "CSV/JSON",
}


@dataclass(frozen=True)
class Issue:
    target: str
    level: str  # ERROR or WARNING
    message: str  # translated, says what to fix
    product_id: int | None = None  # None: about the whole target
    sku: str = ""
    name: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "target": self.target,
            "level": self.level,
            "product_id": self.product_id,
            "sku": self.sku,
            "name": self.name,
            "message": self.message,
        }


@dataclass(frozen=True)
class Rules:
    name_min: int = 1
    name_max: int = 0  # 0: no limit
    desc_min: int = 0
    desc_max: int = 0
    photos_min: int = 0
    photos_max: int = 0  # more are left out with a warning
    price_min: int = 1
    price_max: int = 0
    stock_min: int = 0
    stock_max: int = 0
    weight_max_g: int = 0
    needs_weight: bool = False
    emoji: str = ""  # ERROR, WARNING or "" (allowed)
    tiers: int = 2
    option_name_max: int = 0
    option_value_max: int = 0
    options_per_tier: int = 0
    sku_max: int = 0
    uses_urls: bool = True
    needs_category_code: bool = False
    comma_in_options: str = ""


RULES: dict[str, Rules] = {
    "shopee": Rules(
        name_min=5,
        name_max=255,
        desc_min=20,
        desc_max=3000,
        photos_min=1,
        photos_max=9,
        price_min=99,
        price_max=150_000_000,
        weight_max_g=500_000,
        needs_weight=True,
        emoji=ERROR,
        option_name_max=14,
        option_value_max=20,
        options_per_tier=20,
        needs_category_code=True,
    ),
    "tokopedia": Rules(
        name_max=70,
        desc_max=2000,
        photos_min=1,
        photos_max=5,
        price_min=100,
        stock_min=1,
        stock_max=999_999,
        needs_weight=True,
        emoji=ERROR,
        sku_max=50,
        needs_category_code=True,
    ),
    "shopify": Rules(name_max=255, photos_max=250, tiers=3),
    "woocommerce": Rules(comma_in_options=ERROR),
    "meta": Rules(
        name_max=200,
        desc_min=1,
        desc_max=9999,
        photos_min=1,
        photos_max=21,
        emoji=WARNING,
        sku_max=100,
    ),
    "google": Rules(
        name_max=150,
        desc_min=1,
        desc_max=5000,
        photos_min=1,
        photos_max=11,
        emoji=ERROR,
        sku_max=50,
    ),
    "generic": Rules(price_min=0, uses_urls=False),
}

# Message templates are marked here and translated where they are used.
MSG_NAME_LONG = N_(
    "The name has {length} characters; {target} takes at most {limit}. Shorten the name."
)
MSG_NAME_SHORT = N_(
    "The name has {length} characters; {target} needs at least {limit}. Write a longer name."
)
MSG_DESC_LONG = N_(
    "The description has {length} characters; {target} takes at most {limit}. Shorten it."
)
MSG_DESC_SHORT = N_(
    "The description has {length} characters; {target} needs at least {limit}. "
    "Describe the product in more words."
)


def validate(
    items: Sequence[PreparedProduct], targets: Iterable[str], *, base_url: str
) -> list[Issue]:
    """Every problem of every product for every chosen target."""
    issues: list[Issue] = []
    duplicates = _duplicate_skus(items)
    for target in targets:
        rules = RULES[target]
        if rules.uses_urls and not base_url:
            issues.append(
                Issue(
                    target,
                    WARNING,
                    _(
                        "No public base URL is set, so the image and product link columns are "
                        "empty. Upload the bundle's site to a web host, then run "
                        "'shopdesk bundle set-url' with its address."
                    ),
                )
            )
        for item in items:
            for level, message in _check(item, target, duplicates):
                issues.append(
                    Issue(
                        target, level, message, item.product.product_id, item.product.sku, item.name
                    )
                )
    return issues


def excluded_ids(issues: Iterable[Issue], target: str) -> set[int]:
    return {
        i.product_id
        for i in issues
        if i.target == target and i.level == ERROR and i.product_id is not None
    }


def _duplicate_skus(items: Sequence[PreparedProduct]) -> set[str]:
    counts = Counter(v.sku for item in items for v in item.product.variants if v.sku)
    counts.update(item.product.sku for item in items if item.product.has_variants)
    return {sku for sku, n in counts.items() if n > 1}


def _check(item: PreparedProduct, target: str, duplicates: set[str]) -> Iterable[tuple[str, str]]:
    rules, label = RULES[target], TARGET_LABELS[target]
    yield from _check_text(item, rules, label, target)
    yield from _check_photos(item, rules, label)
    yield from _check_variants(item, rules, label, duplicates)
    yield from _check_shipping(item, rules, label)


def _check_text(
    item: PreparedProduct, rules: Rules, label: str, target: str
) -> Iterable[tuple[str, str]]:
    length = len(item.name)
    if not item.name:
        yield ERROR, _("The product has no name. Give it a name.")
    elif rules.name_max and length > rules.name_max:
        yield ERROR, _(MSG_NAME_LONG).format(length=length, target=label, limit=rules.name_max)
    elif length < rules.name_min:
        yield ERROR, _(MSG_NAME_SHORT).format(length=length, target=label, limit=rules.name_min)
    if rules.emoji and has_emoji(item.name):
        if rules.emoji == ERROR:
            yield (
                ERROR,
                _("Emoji in product names are refused. Remove them from the name."),
            )
        else:
            yield (
                WARNING,
                _("Products with emoji in the name may be hidden. Consider removing them."),
            )
    desc = len(item.description)
    if rules.desc_max and desc > rules.desc_max:
        yield ERROR, _(MSG_DESC_LONG).format(length=desc, target=label, limit=rules.desc_max)
    elif desc < rules.desc_min:
        if desc == 0:
            yield (
                ERROR,
                _("A description is needed. Write a few sentences about the product."),
            )
        else:
            yield ERROR, _(MSG_DESC_SHORT).format(length=desc, target=label, limit=rules.desc_min)
    if item.description_cleaned:
        yield (
            WARNING,
            _(
                "The description contained HTML, tabs or control characters; they were removed and "
                "plain text was written. Check that it still reads well."
            ),
        )
    if not item.product.category:
        yield WARNING, _("The product has no category. Choose one so buyers can find it.")
    elif rules.needs_category_code and not item.product.category_codes.get(target):
        yield (
            WARNING,
            _(
                "The marketplace's own category code for {category} is needed. Fill in the "
                "category column in the sheet before uploading."
            ).format(category=item.product.category),
        )


def _check_photos(item: PreparedProduct, rules: Rules, label: str) -> Iterable[tuple[str, str]]:
    for problem in item.photo_problems:
        yield WARNING, problem
    for note in item.photo_notes:
        yield WARNING, note
    count = len(item.images)
    if count < rules.photos_min:
        yield (
            ERROR,
            _("At least one photo is needed. Add a photo of the product."),
        )
    elif rules.photos_max and count > rules.photos_max:
        yield (
            WARNING,
            _(
                "The product has {count} photos; {target} takes {limit}, so the rest are left out."
            ).format(count=count, target=label, limit=rules.photos_max),
        )


def _check_variants(
    item: PreparedProduct, rules: Rules, label: str, duplicates: set[str]
) -> Iterable[tuple[str, str]]:
    product = item.product
    if not product.variants:
        yield ERROR, _("The product has no price or SKU yet. Add at least one variant.")
        return
    if product.has_variants and product.sku in duplicates:
        yield ERROR, _sku_used_twice(product.sku)
    tiers = len(product.option_names)
    if tiers > rules.tiers:
        yield (
            ERROR,
            _("{target} takes at most {limit} variant levels; this product has {count}.").format(
                target=label, limit=rules.tiers, count=tiers
            ),
        )
    yield from _check_options(item, rules, label)
    for variant in product.variants:
        if not variant.sku:
            yield ERROR, _("A variant has no SKU. Give every variant a SKU.")
        elif variant.sku in duplicates:
            yield ERROR, _sku_used_twice(variant.sku)
        elif rules.sku_max and len(variant.sku) > rules.sku_max:
            yield (
                ERROR,
                _(
                    "The SKU {sku} is longer than {limit} characters for {target}. Shorten it."
                ).format(sku=variant.sku, limit=rules.sku_max, target=label),
            )
        yield from _check_price(variant.sku, variant.price, variant.stock, rules, label)
    yield from _check_stock(product.variants, rules, label)


def _sku_used_twice(sku: str) -> str:
    return _("The SKU {sku} is used twice. Give each product its own SKU.").format(sku=sku)


def _check_options(item: PreparedProduct, rules: Rules, label: str) -> Iterable[tuple[str, str]]:
    product = item.product
    for tier, option_name in enumerate(product.option_names):
        if rules.option_name_max and len(option_name) > rules.option_name_max:
            yield (
                ERROR,
                _(
                    "The variant name {option} is longer than {limit} characters for {target}. "
                    "Shorten it."
                ).format(option=option_name, limit=rules.option_name_max, target=label),
            )
        values = {v.options[tier] for v in product.variants if len(v.options) > tier}
        if rules.options_per_tier and len(values) > rules.options_per_tier:
            yield (
                ERROR,
                _(
                    "{target} takes at most {limit} options for {option}; this product has {count}."
                ).format(
                    target=label,
                    limit=rules.options_per_tier,
                    option=option_name,
                    count=len(values),
                ),
            )
        for value in sorted(values):
            if rules.option_value_max and len(value) > rules.option_value_max:
                yield (
                    ERROR,
                    _(
                        "The option {value} is longer than {limit} characters for {target}. "
                        "Shorten it."
                    ).format(value=value, limit=rules.option_value_max, target=label),
                )
            if rules.comma_in_options and "," in value:
                yield (
                    ERROR,
                    _(
                        "The option {value} contains a comma, which {target} reads as two options. "
                        "Remove the comma."
                    ).format(value=value, target=label),
                )
    for variant in product.variants:
        if len(variant.options) != len(product.option_names):
            yield (
                ERROR,
                _(
                    "The variant {sku} does not have a value for every variant name. Complete it."
                ).format(sku=variant.sku),
            )


def _check_price(
    sku: str, price: int, stock: int, rules: Rules, label: str
) -> Iterable[tuple[str, str]]:
    if price < rules.price_min:
        yield (
            ERROR,
            _(
                "The price of {sku} is {price}; {target} needs at least {limit}. Correct the price."
            ).format(sku=sku, price=price, target=label, limit=rules.price_min),
        )
    elif rules.price_max and price > rules.price_max:
        yield (
            ERROR,
            _(
                "The price of {sku} is {price}; {target} takes at most {limit}. Correct the price."
            ).format(sku=sku, price=price, target=label, limit=rules.price_max),
        )
    if rules.stock_max and stock > rules.stock_max:
        yield (
            WARNING,
            _("The stock of {sku} is above {limit}; {limit} is written for {target}.").format(
                sku=sku, limit=rules.stock_max, target=label
            ),
        )


def _check_stock(
    variants: Sequence[ListingVariant], rules: Rules, label: str
) -> Iterable[tuple[str, str]]:
    """Below the target's minimum stock: the variant is left out; all of them: the product."""
    low = [v for v in variants if v.stock < rules.stock_min]
    if not low:
        return
    if len(low) == len(variants):
        yield (
            ERROR,
            _(
                "{target} lists only what is in stock (at least {limit}); this product has "
                "none. Add stock or leave the product out."
            ).format(target=label, limit=rules.stock_min),
        )
        return
    for variant in low:
        yield (
            WARNING,
            _(
                "{sku} is sold out; {target} needs a stock of at least {limit}, so this variant "
                "is left out there."
            ).format(sku=variant.sku, target=label, limit=rules.stock_min),
        )


def _check_shipping(item: PreparedProduct, rules: Rules, label: str) -> Iterable[tuple[str, str]]:
    product = item.product
    if rules.needs_weight and product.weight_g <= 0:
        yield (
            ERROR,
            _("The packed weight is needed. Enter the weight in grams."),
        )
    elif rules.weight_max_g and product.weight_g > rules.weight_max_g:
        yield (
            ERROR,
            _("The weight {weight} g is above what {target} takes. Check the weight.").format(
                weight=product.weight_g, target=label
            ),
        )
    dims = (product.length_cm, product.width_cm, product.height_cm)
    if any(dims) and not all(dims):
        yield (
            WARNING,
            _(
                "Only some of length, width and height are filled in; the size is left out. "
                "Fill in all three."
            ),
        )
