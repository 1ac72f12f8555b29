"""Labels for a logged-in seller: content from the catalog, batches and shop details.

Every read goes through the catalog, inventory and profile services, which
filter by ``session.shop_id``; nothing here takes a shop from the caller.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import cast

from shopdesk import catalog, first_steps, profiles, settings, stock, store
from shopdesk.codes import is_valid_ean13
from shopdesk.errors import NotFoundError, ValidationError
from shopdesk.i18n import _
from shopdesk.labels.barcodes import IN_STORE_PREFIX, next_in_store_ean13
from shopdesk.labels.calibration import DEFAULT_PRINTER, CalibrationStore
from shopdesk.labels.content import LabelContent
from shopdesk.labels.designs import customize, get_design
from shopdesk.labels.job import LabelItem, PrintJob, prepare_job
from shopdesk.labels.papers import ROLL, get_paper, labels_dir, user_papers_dir
from shopdesk.labels.pdf import RenderResult, render_pdf
from shopdesk.labels.tspl import render_tspl
from shopdesk.profiles import Session, require_seller
from shopdesk.store.models import Product, Variant

MAX_COPIES = 10_000


def _address(shop: profiles.ShopInfo) -> str:
    parts = [shop.address, shop.village, shop.district]
    seen: list[str] = []
    for part in parts:
        part = part.strip()
        if part and not any(part.lower() in s.lower() for s in seen):
            seen.append(part)
    return ", ".join(seen)


@store.follows_session
def _find_batch(session: Session, sku: str, code: str) -> stock.BatchInfo:
    wanted = code.strip().upper()
    for batch in stock.batches(session, sku=sku, include_empty=True):
        if batch.code.upper() == wanted:
            return batch
    raise NotFoundError(
        _(
            "{sku} has no batch with the code “{code}”. See the batches with: shopdesk stock show"
        ).format(sku=sku, code=code)
    )


@store.follows_session
def label_content(
    session: Session, *, sku: str, batch: stock.BatchInfo | None = None
) -> LabelContent:
    """What a label of one variant says, from the catalog and the shop details."""
    session = require_seller(session)
    variant = catalog.get_variant(session, sku)
    product = catalog.get_product(session, variant.product_id)
    shop = profiles.shop_info(session)
    shelf_life = variant.shelf_life_days or product.shelf_life_days or None
    produced = batch.produced_on if batch else None
    expires = batch.expires_on if batch else None
    if expires is None and produced is not None and shelf_life:
        expires = produced + timedelta(days=shelf_life)
    barcode = variant.barcode if is_valid_ean13(variant.barcode) else ""
    return LabelContent(
        sku=variant.sku,
        name=product.name,
        variant=" / ".join(variant.options),
        price=variant.price or None,
        netto=product.netto,
        composition=product.composition,
        producer_name=shop.name,
        producer_address=_address(shop),
        pirt=(product.pirt_number or shop.pirt_number) if product.is_food else "",
        halal_cert=shop.halal_cert_number if product.halal else "",
        halal=product.halal,
        production_code=batch.code if batch else "",
        production_date=produced,
        best_before=expires,
        shelf_life_days=shelf_life,
        ean13=barcode,
        shop_name=shop.name,
        shop_address=_address(shop),
        whatsapp=shop.whatsapp,
        listing_url=product.listing_url,
        is_food=product.is_food,
    )


@store.follows_session
def label_items(
    session: Session,
    *,
    skus: Sequence[str],
    batch_code: str | None = None,
    copies: int | None = None,
) -> list[LabelItem]:
    """Labels to print: ``copies`` per variant, or one per unit made in a batch."""
    session = require_seller(session)
    if not skus:
        raise ValidationError(_("Name at least one SKU to print labels for."))
    if batch_code and len(skus) != 1:
        raise ValidationError(_("A batch belongs to one SKU: print one SKU with --batch."))
    if copies is not None and not 1 <= copies <= MAX_COPIES:
        raise ValidationError(
            _("The number of copies must be between 1 and {limit}.").format(limit=MAX_COPIES)
        )
    items: list[LabelItem] = []
    for sku in _expand(session, skus):
        batch = _find_batch(session, sku, batch_code) if batch_code else None
        content = label_content(session, sku=sku, batch=batch)
        count = copies
        if count is None:
            count = (batch.quantity or batch.on_hand) if batch else 1
        if count < 1:
            raise ValidationError(
                _("Batch {code} has no units; give the number of labels with --copies.").format(
                    code=batch_code
                )
            )
        items.append(LabelItem(content, min(count, MAX_COPIES)))
    return items


@store.follows_session
def _expand(session: Session, skus: Sequence[str]) -> list[str]:
    """Variant SKUs; a product's own SKU (KRPK-0001) stands for all its variants."""
    out: list[str] = []
    for sku in skus:
        try:
            out.append(catalog.get_variant(session, sku).sku)
        except NotFoundError:
            wanted = sku.strip().upper()
            products = [p for p in catalog.list_products(session) if p.sku == wanted]
            if len(products) != 1 or not products[0].active_variants:
                raise
            out.extend(v.sku for v in products[0].active_variants)
    return out


@dataclass(frozen=True)
class EanAssignment:
    sku: str
    barcode: str


@store.follows_session
def assign_in_store_ean13(
    session: Session, *, skus: Sequence[str] | None = None, dry_run: bool = False
) -> list[EanAssignment]:
    """Give in-store EAN-13 numbers (prefix 2) to variants that have no barcode.

    Numbers continue after the highest in-store number the shop already uses,
    so a number is never given twice. ``899`` numbers are never made up.
    """
    session = require_seller(session)
    wanted = {catalog.get_variant(session, sku).sku for sku in skus} if skus else None
    with store.transaction():
        query = (
            Variant.select(Variant.sku, Variant.barcode, Variant.archived, Product.archived)
            .join(Product)
            .where(Variant.shop == session.shop_id)
            .order_by(Variant.sku)
            .tuples()
        )
        # peewee's stubs type .tuples() rows as model instances.
        rows = list(cast(Iterable[tuple[str, str, bool, bool]], query))
        taken = [code for _sku, code, *_archived in rows if code.startswith(IN_STORE_PREFIX)]
        todo = [
            sku
            for sku, code, variant_archived, product_archived in rows
            if not code
            and (wanted is None or sku in wanted)
            and not (variant_archived or product_archived)  # as catalog's VariantInfo.archived
        ]
        codes = next_in_store_ean13(taken, len(todo)) if todo else []
        assignments = [EanAssignment(sku, code) for sku, code in zip(todo, codes, strict=True)]
        if not dry_run:
            for item in assignments:
                catalog.update_variant(session, item.sku, barcode=item.barcode)
    return assignments


@dataclass(frozen=True)
class PrintRequest:
    skus: tuple[str, ...]
    design_id: str = "packaging"
    paper_id: str | None = None  # None: the shop's label paper setting
    batch_code: str | None = None
    copies: int | None = None
    skip: int = 0
    qr_kind: str | None = None
    price: bool = True
    qr: bool = True
    barcode: bool = True


@store.follows_session
def prepare_print(session: Session, request: PrintRequest) -> PrintJob:
    """Lay out a print run; its ``warnings`` are for the seller to see before printing."""
    session = require_seller(session)
    paper_id = request.paper_id or settings.get(session, "label_paper")
    paper = get_paper(paper_id, user_papers_dir())
    design = customize(
        get_design(request.design_id),
        price=request.price,
        qr=request.qr,
        barcode=request.barcode,
    )
    items = label_items(
        session, skus=request.skus, batch_code=request.batch_code, copies=request.copies
    )
    return prepare_job(
        items, paper=paper, design=design, skip=request.skip, qr_kind=request.qr_kind
    )


@store.follows_session
def write_print(
    session: Session,
    job: PrintJob,
    path: Path,
    *,
    printer: str | None = None,
    tspl: bool = False,
    dpi: int | None = None,
    outlines: bool = False,
) -> RenderResult:
    """Write the PDF (or TSPL) with the printer's calibration offset for this paper."""
    session = require_seller(session)
    name = printer or settings.get(session, "label_printer") or DEFAULT_PRINTER
    offset = CalibrationStore(labels_dir()).get(job.paper.id, name).as_tuple()
    if tspl:
        if job.paper.kind != ROLL:
            raise ValidationError(
                _(
                    "TSPL is for thermal label rolls; “{paper}” is a sheet. Print a PDF instead."
                ).format(paper=job.paper.id)
            )
        size = render_tspl(job, path, offset_mm=offset, dpi=dpi)
        first_steps.mark_label_printed(session)
        return RenderResult(job.label_count, job.label_count, size, Path(path))
    result = render_pdf(job, path, offset_mm=offset, outlines=outlines)
    first_steps.mark_label_printed(session)
    return result
