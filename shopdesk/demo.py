"""A realistic demo: the operator and two sellers of one village.

Demo credentials are printed on purpose: this shop exists to be tried.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from shopdesk import catalog, debts, profiles, sales, stock, store
from shopdesk.catalog import table_io
from shopdesk.clock import local_today
from shopdesk.i18n import _
from shopdesk.money import format_rupiah
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
        if login == EXPIRING[0]:
            yield receive_expiring_batch(session)
        if login == KASBON[0]:
            yield seed_kasbon(session)


# One customer of the coffee shop who took two packs and paid part: the kasbon.
KASBON = ("kopi", "Bu Warsini", "0812 2755 3311", "KOPI-0001", 2, 40_000)


@store.follows_session
def seed_kasbon(session: profiles.Session) -> str:
    _login, name, number, sku, quantity, paid = KASBON
    who = debts.add_customer(session, name=name, whatsapp=number, note=_("neighbour"))
    sales.record_sale(session, lines=[(sku, quantity)], paid=paid, customer=who.id)
    owed = debts.get_customer(session, who.id).balance
    return _("{shop}: {name} owes {amount} (kasbon).").format(
        shop=session.shop_name, name=name, amount=format_rupiah(owed)
    )


# Each demo seller's catalog, imported like a seller would import a spreadsheet.
CATALOGS = (("kopi", "catalog_kopi.csv"), ("madu", "catalog_madu.csv"))
# One batch about to expire, so the home page's expiry card and the Stock page's expiry
# list have something to show: (seller, SKU, batch code, units, days to expiry, age).
EXPIRING = ("kopi", "DODL-0001", "DDL-LAMA", 6, 9, 51)
PALETTE = (
    (0x8D, 0x5B, 0x3E), (0xC8, 0x8B, 0x2C), (0x5E, 0x8C, 0x61), (0xB5, 0x4A, 0x3A),
    (0x3F, 0x6E, 0x8C), (0x7A, 0x5C, 0x99), (0xD9, 0xA4, 0x41), (0x4E, 0x7D, 0x6B),
)  # fmt: skip


@store.follows_session
def seed_catalog(session: profiles.Session, path: Path) -> Iterator[str]:
    """Import a demo catalog and give every product a generated photo, so that its
    listing bundle is complete (the marketplaces refuse a listing without one)."""
    result = table_io.apply_import(session, path)
    yield _("{shop}: {products} products imported.").format(
        shop=session.shop_name, products=result.products_created
    )
    with tempfile.TemporaryDirectory(prefix="shopdesk-demo-") as folder:
        for product in catalog.list_products(session):
            image = Path(folder) / f"{product.id}.png"
            demo_photo(product.name, product.category, product.unit).save(image)
            catalog.add_photo(session, product_id=product.id, image_path=image)


@store.follows_session
def receive_expiring_batch(session: profiles.Session) -> str:
    _login, sku, code, units, days_left, age = EXPIRING
    today = local_today(session.timezone)
    stock.receive(
        session,
        sku=sku,
        quantity=units,
        batch_code=code,
        produced_on=today - timedelta(days=age),
        expires_on=today + timedelta(days=days_left),
    )
    return _("{shop}: batch {batch} of {sku} expires in {days} days.").format(
        shop=session.shop_name, batch=code, sku=sku, days=days_left
    )


def demo_photo(name: str, category: str, unit: str = "", size: int = 600) -> Image.Image:
    """A simple, honest product picture: a drawing of its pack (pouch, jar, bottle, box…,
    from the unit it is sold in) with the product's initial and name on the label. It
    shows what a listing photo is for without pretending to be a real photograph."""
    digest = hashlib.sha256(f"{category}/{name}".encode()).digest()
    base = PALETTE[digest[0] % len(PALETTE)]
    light = tuple(c + (255 - c) * 4 // 5 for c in base)  # the pack's colour, paled
    image = Image.new("RGB", (size, size), light)
    draw = ImageDraw.Draw(image)
    label = _draw_pack(draw, size, PACKS.get(unit, "box"), base)
    font_file = str(resource_path("fonts", "DejaVuSans-Bold.ttf"))
    left, top, right, bottom = label
    draw.rounded_rectangle(label, radius=size // 40, fill=(255, 255, 255))
    middle, height = (left + right) / 2, bottom - top
    initial = (name.strip()[:1] or "?").upper()
    big = ImageFont.truetype(font_file, size // 6)
    draw.text((middle, top + height * 0.38), initial, font=big, fill=base, anchor="mm")
    lines = _caption_lines(name, 2)
    width = (right - left) * 0.9
    points = size // 22
    small = ImageFont.truetype(font_file, points)
    while points > 8 and max(draw.textlength(line, font=small) for line in lines) > width:
        points -= 1
        small = ImageFont.truetype(font_file, points)
    for i, line in enumerate(lines):
        y = top + height * (0.72 + 0.14 * i - 0.07 * (len(lines) - 1))
        draw.text((middle, y), line, font=small, fill=base, anchor="mm")
    return image


def _caption_lines(name: str, most: int) -> list[str]:
    """The name in at most ``most`` lines of about equal length, split between words."""
    words = name.split() or ["?"]
    if len(words) == 1 or most == 1:
        return [" ".join(words)]
    cut = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(name) / 2))
    return [" ".join(words[:cut]), " ".join(words[cut:])]


# The pack each unit of the demo catalogs comes in; anything else is a box.
PACKS = {"bungkus": "pouch", "pak": "pouch", "karung": "pouch", "toples": "jar",
         "botol": "bottle", "kaleng": "jar", "lembar": "cloth"}  # fmt: skip
Box = tuple[float, float, float, float]


def _draw_pack(draw: ImageDraw.ImageDraw, size: int, pack: str, colour: tuple[int, ...]) -> Box:
    """Draw the pack; returns where its white label goes."""
    s = size / 100
    dark = tuple(max(0, c - 40) for c in colour)
    if pack == "pouch":
        draw.polygon([(28 * s, 20 * s), (72 * s, 20 * s), (78 * s, 88 * s), (22 * s, 88 * s)],
                     fill=colour)  # fmt: skip
        draw.rectangle((28 * s, 16 * s, 72 * s, 22 * s), fill=dark)  # the sealed top
        return (31 * s, 40 * s, 69 * s, 76 * s)
    if pack == "jar":
        draw.rounded_rectangle((34 * s, 14 * s, 66 * s, 24 * s), radius=2 * s, fill=dark)
        draw.rounded_rectangle((26 * s, 22 * s, 74 * s, 88 * s), radius=8 * s, fill=colour)
        return (30 * s, 38 * s, 70 * s, 76 * s)
    if pack == "bottle":
        draw.rectangle((44 * s, 8 * s, 56 * s, 18 * s), fill=dark)  # the cap
        draw.polygon([(44 * s, 18 * s), (56 * s, 18 * s), (66 * s, 34 * s), (34 * s, 34 * s)],
                     fill=colour)  # fmt: skip
        draw.rounded_rectangle((32 * s, 32 * s, 68 * s, 92 * s), radius=6 * s, fill=colour)
        return (34 * s, 46 * s, 66 * s, 80 * s)
    if pack == "cloth":
        draw.rectangle((16 * s, 26 * s, 84 * s, 80 * s), fill=colour)
        for x in range(20, 84, 8):  # a woven edge
            draw.line((x * s, 80 * s, x * s, 86 * s), fill=dark, width=max(1, int(s)))
        return (30 * s, 36 * s, 70 * s, 70 * s)
    draw.polygon([(20 * s, 30 * s), (36 * s, 18 * s), (84 * s, 18 * s), (68 * s, 30 * s)],
                 fill=dark)  # fmt: skip
    draw.rectangle((20 * s, 30 * s, 68 * s, 86 * s), fill=colour)
    draw.polygon([(68 * s, 30 * s), (84 * s, 18 * s), (84 * s, 74 * s), (68 * s, 86 * s)],
                 fill=dark)  # fmt: skip
    return (24 * s, 40 * s, 64 * s, 76 * s)
