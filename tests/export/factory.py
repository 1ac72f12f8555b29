"""Realistic listing data and real photo files for the export tests and benchmark."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PIL import Image, ImageDraw

from shopdesk.export.listing import ListingProduct, ListingVariant, ShopInfo

SHOP = ShopInfo(
    name="Kopi Sindoro",
    whatsapp="081227001234",
    address="Jl. Raya Kledung 12, Temanggung",
    shop_id=1,
)

COLOURS = [(164, 98, 52), (214, 168, 72), (120, 150, 60), (200, 80, 60), (90, 110, 160)]


def make_photo(
    path: Path,
    size: tuple[int, int] = (1200, 900),
    *,
    colour: tuple[int, int, int] = (164, 98, 52),
    label: str = "",
    fmt: str = "JPEG",
    mode: str = "RGB",
    orientation: int | None = None,
    quality: int = 88,
) -> Path:
    """A photo-like picture: a background, a 'product' shape and a label."""
    width, height = size
    im = Image.new("RGB", size, (235, 230, 220))
    draw = ImageDraw.Draw(im)
    for y in range(0, height, max(1, height // 24)):
        shade = 215 + (y * 30) // max(height, 1)
        draw.rectangle([0, y, width, y + height // 24], fill=(shade, shade - 6, shade - 14))
    draw.ellipse(
        [width * 0.25, height * 0.2, width * 0.75, height * 0.85], fill=colour, outline=(40, 30, 20)
    )
    if label:
        draw.text((width * 0.05, height * 0.05), label, fill=(20, 20, 20))
    path.parent.mkdir(parents=True, exist_ok=True)
    if mode != "RGB":
        im = im.convert(mode)
    kwargs: dict = {}
    if fmt == "JPEG":
        kwargs["quality"] = quality
        if orientation:
            exif = Image.Exif()
            exif[0x0112] = orientation
            kwargs["exif"] = exif.tobytes()
    im.save(path, fmt, **kwargs)
    return path


def sample_products(photo_dir: Path) -> list[ListingProduct]:
    """A village shop's catalog: simple products, one-tier and two-tier variants."""
    stamp = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)

    def photos(stem: str, count: int, colour_index: int) -> tuple[Path, ...]:
        return tuple(
            make_photo(
                photo_dir / f"{stem}-{i}.jpg",
                colour=COLOURS[(colour_index + i) % len(COLOURS)],
                label=f"{stem} {i}",
            )
            for i in range(1, count + 1)
        )

    return [
        ListingProduct(
            product_id=1,
            sku="KOPI-0001",
            name="Kopi Robusta Temanggung Bubuk",
            variants=(ListingVariant("KOPI-0001", 35000, 40, barcode="2000000000015"),),
            category="Kopi",
            description=(
                "Kopi robusta petik merah dari lereng Gunung Sindoro, disangrai sedang dan "
                "digiling halus. Cocok untuk kopi tubruk."
            ),
            unit="bungkus",
            weight_g=270,
            length_cm=15,
            width_cm=10,
            height_cm=5,
            photos=photos("kopi1", 3, 0),
            category_codes={"shopee": "100636", "tokopedia": "2731"},
            updated_at=stamp,
        ),
        ListingProduct(
            product_id=2,
            sku="KOPI-0002",
            name="Kopi Arabika Gayo Biji Sangrai",
            variants=(ListingVariant("KOPI-0002", 85000, 15, barcode="2000000000022"),),
            category="Kopi",
            description=(
                "Arabika Gayo sangrai medium, aroma buah dan cokelat. Dikirim dalam bentuk biji."
            ),
            unit="bungkus",
            weight_g=270,
            photos=photos("kopi2", 1, 1),
            updated_at=stamp,
        ),
        ListingProduct(
            product_id=3,
            sku="KRPK-0001",
            name="Keripik Singkong",
            variants=(
                ListingVariant("KRPK-0001-ORI", 15000, 80, ("Original",), "2000000000091"),
                ListingVariant("KRPK-0001-BAL", 16000, 60, ("Balado",), "2000000000107"),
                ListingVariant("KRPK-0001-PED", 16000, 35, ("Pedas Daun Jeruk",), "2000000000114"),
            ),
            option_names=("Rasa",),
            category="Keripik",
            description="Keripik singkong tipis dan renyah, digoreng dengan minyak kelapa.",
            unit="bungkus",
            weight_g=220,
            photos=photos("krpk1", 2, 2),
            updated_at=stamp,
        ),
        ListingProduct(
            product_id=4,
            sku="BTK-0001",
            name="Kain Batik Tulis Pewarna Alam",
            variants=(
                ListingVariant("BTK-0001-BR-S", 1200000, 2, ("Coklat", "2 m")),
                ListingVariant("BTK-0001-BR-L", 1500000, 1, ("Coklat", "2,5 m")),
                ListingVariant("BTK-0001-BL-S", 1250000, 0, ("Biru", "2 m")),
            ),
            option_names=("Warna", "Panjang"),
            category="Kerajinan",
            description="Batik tulis motif parang dengan pewarna alam dari kulit kayu.",
            unit="lembar",
            weight_g=450,
            photos=photos("btk1", 2, 3),
            updated_at=stamp,
        ),
        ListingProduct(
            product_id=5,
            sku="0TLR-0001",
            name="Telur Ayam Kampung",
            variants=(ListingVariant("0TLR-0001", 2500, 300),),
            category="Telur",
            description="Telur ayam kampung segar dari peternakan warga, dipanen setiap pagi.",
            unit="butir",
            weight_g=60,
            photos=photos("tlr1", 1, 4),
            updated_at=stamp,
        ),
    ]
