"""A data folder with rows in every table, made through the real services: what a
copy of a whole database (moving onto a server and back, a server's backup) must
carry. A model added later without rows here fails ``tests/test_copying.py``:
add a line that writes one of its rows."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from shopdesk import catalog, debts, profiles, sales, settings, stock
from shopdesk.catalog import categories, photos
from shopdesk.export import marketplace, mass_update, service
from shopdesk.export.bundle import ExportOptions
from shopdesk.stock import stocktake
from tests.export.marketplace_files import shopee_basic, shopee_sales_info


def _image(path: Path, colour: str) -> Path:
    Image.new("RGB", (64, 48), colour).save(path)
    return path


def fill(operator, seller, seller_b, work: Path) -> None:
    """Two shops with categories, products, photos, a logo, batches, sales, a void,
    a customer with a kasbon, a voided payment, a stocktake, settings, an exported
    bundle and their audit rows."""
    work.mkdir(parents=True, exist_ok=True)
    settings.put(operator, "idle_lock_minutes", 7)
    for n, session in enumerate((seller, seller_b)):
        settings.put(session, "label_paper", "a4-3x8")
        categories.create_category(session, name=f"Kategori {n}")
        info = catalog.create_product(
            session, name=f"Keripik Singkong {n}", price=12_500 + n, cost=8_000, sku=f"K-{n}"
        )
        catalog.create_product(session, name=f"Kopi Bubuk {n}", price=30_000, sku=f"B-{n}")
        photos.add_photo(session, product_id=info.id, image_path=_image(work / f"p{n}.png", "red"))
        profiles.set_shop_logo(session, image_path=_image(work / f"l{n}.png", "blue"))
        stock.receive(
            session, sku=f"K-{n}", quantity=40, batch_code=f"LOT{n}", expires_on="2099-01-01"
        )
        stock.receive(session, sku=f"B-{n}", quantity=25)
        sales.record_sale(session, lines=[(f"K-{n}", 3), (f"B-{n}", 1)])
        voided = sales.record_sale(session, lines=[(f"B-{n}", 2)])
        sales.void_sale(session, number=voided.number, reason="salah input")
        sales.record_sale(  # an imported marketplace order keeps its number
            session, lines=[(f"K-{n}", 1)], channel="shopee", external_order=f"24120{n}ABC"
        )
        buyer = debts.add_customer(session, name=f"Bu Sri {n}", whatsapp=f"08122700999{n}")
        sales.record_sale(session, lines=[(f"K-{n}", 2)], paid=5_000, customer=buyer.id)
        paid = debts.record_payment(session, customer=buyer.id, amount=3_000)
        debts.void_payment(session, number=paid.number, reason="salah catat")
        stocktake.start_count(session, skus=[f"B-{n}"])
        stocktake.enter_count(session, sku=f"B-{n}", counted=20)
        stocktake.post_count(session)
        template = shopee_basic(work / f"shopee{n}.xlsx")
        marketplace.set_template(session, target="shopee", path=template)
        marketplace.set_detail(session, product_id=info.id, dangerous=True, preorder_days=5)
        listing = [(f"12345{n}", "Keripik", 0, "", "", f"K-{n}", 12_500, 1)]
        listed = shopee_sales_info(work / f"list{n}.xlsx", listing)
        mass_update.import_list(session, target="shopee", path=listed)
    options = ExportOptions(cache_dir=work / "cache", workers=1, targets=("generic",), as_zip=True)
    (work / "stick").mkdir(exist_ok=True)
    service.export_for_seller(seller, out_dir=work / "stick", options=options)
