"""A realistic demo: the operator and two sellers of one village.

Demo credentials are printed on purpose: this shop exists to be tried.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from shopdesk import catalog, profiles
from shopdesk.catalog import table_io
from shopdesk.i18n import _
from shopdesk.paths import resource_path

OPERATOR_PASSWORD = "operator-demo"
SELLERS = (
    {
        "login": "kopi",
        "display_name": "Sri Wahyuni",
        "pin": "123456",
        "shop_name": "Kopi & Gula Sindoro",
        "owner_name": "Sri Wahyuni",
        "address": "Jl. Raya Kledung No. 12, Temanggung, Jawa Tengah",
        "village": "Kledung",
        "district": "Temanggung",
        "whatsapp": "0812 2700 1234",
        "pirt_number": "2063201010123-28",
        "halal_cert_number": "ID33110000123450224",
        "timezone": "WIB",
    },
    {
        "login": "madu",
        "display_name": "Made Sudarsana",
        "pin": "654321",
        "shop_name": "Madu Hutan Bangli",
        "owner_name": "Made Sudarsana",
        "address": "Banjar Kayuamba, Bangli, Bali",
        "village": "Kayuamba",
        "district": "Bangli",
        "whatsapp": "+62 813 3800 5678",
        "pirt_number": "",
        "halal_cert_number": "",
        "timezone": "WITA",
    },
)


def seed() -> Iterator[str]:
    """Create the demo PC; yields lines that tell how to log in."""
    op = profiles.create_operator(password=OPERATOR_PASSWORD)
    yield _("Operator password: {password}").format(password=OPERATOR_PASSWORD)
    for spec in SELLERS:
        fields = dict(spec)
        login, pin = fields.pop("login"), fields.pop("pin")
        profiles.create_seller(
            op,
            login=login,
            display_name=fields.pop("display_name"),
            pin=pin,
            shop_name=fields.pop("shop_name"),
            **fields,
        )
        yield _("Seller {login}, PIN {pin}").format(login=login, pin=pin)
    for login, filename in CATALOGS:
        spec = next(s for s in SELLERS if s["login"] == login)
        session = profiles.seller_login(login=login, pin=str(spec["pin"]))
        yield from seed_catalog(session, resource_path("demo", filename))


# Each demo seller's catalog, imported like a seller would import a spreadsheet.
CATALOGS = (("kopi", "catalog_kopi.csv"), ("madu", "catalog_madu.csv"))
PALETTE = (
    (0x8D, 0x5B, 0x3E), (0xC8, 0x8B, 0x2C), (0x5E, 0x8C, 0x61), (0xB5, 0x4A, 0x3A),
    (0x3F, 0x6E, 0x8C), (0x7A, 0x5C, 0x99), (0xD9, 0xA4, 0x41), (0x4E, 0x7D, 0x6B),
)  # fmt: skip
DEMO_PHOTOS = 8  # products per shop that get a photo


def seed_catalog(session: profiles.Session, path: Path) -> Iterator[str]:
    """Import a demo catalog and give the first products a generated photo."""
    result = table_io.apply_import(session, path)
    yield _("{shop}: {products} products imported.").format(
        shop=session.shop_name, products=result.products_created
    )
    with tempfile.TemporaryDirectory(prefix="shopdesk-demo-") as folder:
        for product in catalog.list_products(session)[:DEMO_PHOTOS]:
            image = Path(folder) / f"{product.id}.png"
            demo_photo(product.name, product.category).save(image)
            catalog.add_photo(session, product_id=product.id, image_path=image)


def demo_photo(name: str, category: str, size: int = 600) -> Image.Image:
    """A simple, pleasant product picture: a coloured card with the initial."""
    digest = hashlib.sha256(f"{category}/{name}".encode()).digest()
    base = PALETTE[digest[0] % len(PALETTE)]
    light = tuple(min(255, c + 90) for c in base)
    image = Image.new("RGB", (size, size), light)
    draw = ImageDraw.Draw(image)
    margin = size // 10
    draw.rounded_rectangle(
        (margin, margin, size - margin, size - margin), radius=size // 12, fill=base
    )
    font_file = resource_path("fonts", "DejaVuSans-Bold.ttf")
    big = ImageFont.truetype(str(font_file), size // 2)
    small = ImageFont.truetype(str(font_file), size // 16)
    initial = (name.strip()[:1] or "?").upper()
    draw.text((size / 2, size * 0.45), initial, font=big, fill=(255, 255, 255), anchor="mm")
    caption = name if len(name) <= 26 else name[:25] + "…"
    draw.text((size / 2, size * 0.78), caption, font=small, fill=(255, 255, 255), anchor="mm")
    return image
