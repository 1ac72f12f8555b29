"""Listing bundles: prepare, validate, write, verify, re-target URLs.

A bundle is a folder (or a .zip of it) holding ``manifest.json``, ``images/``,
one file per chosen target, a static catalog site, ``catalog.pdf`` and
``products.json`` (everything, and the source ``set_url`` rebuilds targets
from, so photos are never processed again).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from shopdesk import __version__
from shopdesk.errors import StorageError, ValidationError
from shopdesk.export import feeds, sheets
from shopdesk.export.listing import ListingProduct, ListingVariant, ShopInfo
from shopdesk.export.manifest import (
    DAMAGE,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST_NAME,
    BundleReader,
    JsonObject,
    VerifyReport,
    open_bundle,
    read_manifest,
    sign,
    verify,
    verify_reader,
)
from shopdesk.export.pdf import CATALOG_FILE, cached_catalog_pdf
from shopdesk.export.photos import PhotoJob, PhotoResult, PhotoSettings, process_photos
from shopdesk.export.prepared import IMAGES_DIR, THUMBS_DIR, Context, PreparedProduct
from shopdesk.export.readme import readme
from shopdesk.export.site import site_files
from shopdesk.export.staging import FolderStage, Hook, ZipStage, remove_stale_partials
from shopdesk.export.text import (
    file_part,
    has_control,
    has_html,
    normalise_base_url,
    one_line,
    plain_text,
    slug,
    whatsapp_number,
)
from shopdesk.export.validate import (
    ERROR,
    TARGETS,
    WARNING,
    Issue,
    excluded_ids,
    validate,
)
from shopdesk.i18n import _
from shopdesk.safe_io import fsync_dir, storage_error

FEED_WRITERS: dict[str, Callable[..., feeds.TargetFile]] = {
    "shopify": feeds.shopify,
    "woocommerce": feeds.woocommerce,
    "meta": feeds.meta,
    "google": feeds.google,
    "generic": feeds.generic,
}
SHEET_TARGETS = ("shopee", "tokopedia")
# What reading a bundle's own data raises when its files were edited and the
# manifest signed again (it passes its checksums, yet holds anything).
UNREADABLE = (*DAMAGE, TypeError, AttributeError, RecursionError)
StageProgress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True)
class ExportOptions:
    targets: tuple[str, ...] = TARGETS
    cache_dir: Path | None = None  # processed photos; the app passes paths.cache_dir()/"photos"
    base_url: str = ""
    shopee_template: sheets.TemplateSource | None = None
    tokopedia_template: sheets.TemplateSource | None = None
    shopee_channels: frozenset[str] = frozenset()  # courier keys written Aktif
    as_zip: bool = False
    photo_settings: PhotoSettings = field(default_factory=PhotoSettings)
    bom_targets: frozenset[str] = frozenset()
    workers: int | None = None
    name: str = ""  # bundle name; made from the shop and the time when empty
    only: dict[str, frozenset[int]] | None = None  # per target: the product ids to take


@dataclass(frozen=True)
class Prepared:
    items: list[PreparedProduct]
    photos: list[PhotoResult]
    issues: list[Issue]
    included: dict[str, list[PreparedProduct]]
    context: Context

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.level == ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.level == WARNING]


@dataclass(frozen=True)
class ExportResult:
    path: Path
    bundle_id: str
    manifest: JsonObject
    issues: list[Issue]
    included: dict[str, int]  # target -> products written
    photos_processed: int
    photos_cached: int


def parse_targets(text: str | Iterable[str]) -> tuple[str, ...]:
    names = text.split(",") if isinstance(text, str) else list(text)
    chosen: list[str] = []
    for raw in names:
        name = raw.strip().lower()
        if not name:
            continue
        if name in ("all", "*"):
            return TARGETS
        if name == "tiktok":
            name = "tokopedia"
        if name not in TARGETS:
            raise ValidationError(
                _("Unknown target {name}. Choose from: {choices}.").format(
                    name=name, choices=", ".join(TARGETS)
                )
            )
        if name not in chosen:
            chosen.append(name)
    if not chosen:
        raise ValidationError(_("Choose at least one target, e.g. --targets shopee,meta."))
    return tuple(chosen)


# --- preparing ----------------------------------------------------------------


def _unique(base: str, taken: set[str]) -> str:
    name, n = base, 2
    while name.lower() in taken:
        name = f"{base}-{n}"
        n += 1
    taken.add(name.lower())
    return name


def _context(shop: ShopInfo, base_url: str, options: ExportOptions) -> tuple[Context, list[Issue]]:
    issues: list[Issue] = []
    digits = ""
    if shop.whatsapp:
        try:
            digits = whatsapp_number(shop.whatsapp)
        except ValidationError as exc:
            issues.append(Issue("site", WARNING, exc.message))
    else:
        issues.append(
            Issue(
                "site",
                WARNING,
                _(
                    "The shop has no WhatsApp number, so the catalog has no order buttons. "
                    "Set it in the shop settings."
                ),
            )
        )
    created = datetime.now(UTC).replace(microsecond=0)
    extra: dict[str, object] = {
        "whatsapp_digits": digits,
        "shopee_channels": sorted(options.shopee_channels),
    }
    extra.update({f"bom_{t}": True for t in options.bom_targets})
    return Context(shop, base_url, created.isoformat().replace("+00:00", "Z"), extra), issues


def prepare(
    products: Sequence[ListingProduct],
    *,
    shop: ShopInfo,
    options: ExportOptions,
    progress: StageProgress | None = None,
) -> Prepared:
    """Process photos (cached), clean texts and validate every target; writes nothing else."""
    if options.cache_dir is None:
        raise ValidationError(_("No folder for the photo cache was given."))
    check_templates(options)
    base_url = normalise_base_url(options.base_url)
    ctx, issues = _context(shop, base_url, options)
    handles: set[str] = set()
    stems: set[str] = set()
    jobs: list[PhotoJob] = []
    plan: list[tuple[ListingProduct, str, list[int]]] = []
    for product in products:
        stem_base = file_part(product.sku) if product.sku else f"P{product.product_id}"
        handle = _unique(slug(product.sku) or f"produk-{product.product_id}", handles)
        indexes = []
        stem = _unique(stem_base, stems)
        for position, source in enumerate(product.photos, start=1):
            indexes.append(len(jobs))
            jobs.append(PhotoJob(Path(source), f"{stem}-{position}"))
        plan.append((product, handle, indexes))
    photos = process_photos(
        jobs,
        cache_dir=options.cache_dir,
        settings=options.photo_settings,
        workers=options.workers,
        progress=(lambda done, total: progress("photos", done, total)) if progress else None,
    )
    items = [_prepared(product, handle, [photos[i] for i in idx]) for product, handle, idx in plan]
    checked = validate(items, options.targets, base_url=base_url)
    if options.only is not None:  # changed-only: problems of products this export leaves alone
        checked = [
            i
            for i in checked
            if i.product_id is None or i.product_id in options.only.get(i.target, frozenset())
        ]
    issues.extend(checked)
    included = {}
    for target in options.targets:
        out = excluded_ids(issues, target)
        allowed = options.only.get(target, frozenset()) if options.only is not None else None
        included[target] = [
            i
            for i in items
            if i.product.product_id not in out
            and i.product.variants
            and (allowed is None or i.product.product_id in allowed)
        ]
    return Prepared(items, photos, issues, included, ctx)


def _prepared(product: ListingProduct, handle: str, photos: list[PhotoResult]) -> PreparedProduct:
    description = product.description or ""
    cleaned = has_html(description) or "\t" in description or has_control(description)
    good = [p for p in photos if p.ok]
    return PreparedProduct(
        product=product,
        name=one_line(product.name),
        description=plain_text(description),
        handle=handle,
        images=tuple(f"{IMAGES_DIR}/{p.job.name}.jpg" for p in good),
        thumbs=tuple(f"{THUMBS_DIR}/{p.job.name}.jpg" for p in good),
        photo_problems=tuple(p.error for p in photos if not p.ok),
        photo_notes=tuple(p.warning for p in good if p.warning),
        description_cleaned=cleaned,
    )


# --- writing targets ------------------------------------------------------------


def _target_files(
    prepared_by_target: dict[str, list[PreparedProduct]],
    ctx: Context,
    *,
    templates: dict[str, sheets.TemplateSource | None],
    existing: dict[str, tuple[bytes, int]] | None = None,
) -> tuple[list[feeds.TargetFile], dict[str, JsonObject]]:
    files: list[feeds.TargetFile] = []
    meta: dict[str, JsonObject] = {}
    for target, items in prepared_by_target.items():
        info: dict[str, object] = {"product_ids": [i.product.product_id for i in items]}
        if target in SHEET_TARGETS:
            writer = sheets.WRITERS[target]
            if existing and target in existing:
                data, first_row = existing[target]
                out, layout = writer(items, ctx, workbook_bytes=data, first_row=first_row)
            else:
                out, layout = writer(items, ctx, template=templates.get(target))
            info["layout"] = {
                "sheet": layout.sheet,
                "first_row": layout.first_row,
                "from_template": layout.from_template or bool(existing),
                "weight_unit": layout.weight_unit,
                "channels": sorted(sheets.chosen_channels(ctx) & set(layout.channels)),
            }
        else:
            out = FEED_WRITERS[target](items, ctx)
        info.update(file=out.name, rows=out.rows, products=len(items))
        files.append(out)
        meta[target] = info
    return files, meta


def check_templates(options: ExportOptions) -> None:
    """Open the templates before anything is written: a wrong file stops early, and so
    does a Shopee template whose courier columns would all be Nonaktif."""
    for target, source in (
        ("shopee", options.shopee_template),
        ("tokopedia", options.tokopedia_template),
    ):
        if source is None or target not in options.targets:
            continue
        if isinstance(source, str):
            source = Path(source)
        wb = sheets.open_template(source, "Shopee" if target == "shopee" else "Tokopedia")
        if target == "tokopedia":
            sheets.tokopedia_layout(wb, source)
            continue
        layout = sheets.shopee_layout(wb, source)
        if layout.channels and not options.shopee_channels & set(layout.channels):
            raise ValidationError(
                _(
                    "Shopee refuses products without an active courier. Choose at least one "
                    "courier on the Export page (Couriers…) or with shopdesk marketplace "
                    "couriers: {names}."
                ).format(names=", ".join(layout.channels.values()))
            )


def _check_out_dir(out_dir: Path) -> Path:
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise storage_error(OSError(errno.ENOENT, "not a folder"), out_dir)
    try:  # a real write tells read-only media from missing rights
        fd, probe = tempfile.mkstemp(prefix=".shopdesk-probe-", dir=out_dir)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise storage_error(exc, out_dir) from exc
    return out_dir


def bundle_name(shop: ShopInfo, created_at: str) -> str:
    stamp = created_at.replace("-", "").replace(":", "").replace("T", "-").rstrip("Z")
    return f"listing-{slug(shop.name) or 'toko'}-{stamp[:15]}"


def export_bundle(
    products: Sequence[ListingProduct],
    *,
    shop: ShopInfo,
    out_dir: Path,
    options: ExportOptions,
    on_staged: Hook | None = None,
    progress: StageProgress | None = None,
) -> ExportResult:
    """Write a verified bundle into ``out_dir``; nothing carries its name unless it is whole.

    ``on_staged`` is called with the temporary path after flushing and before the
    read-back check (tests use it to damage a file at the worst moment).
    ``progress(stage, done, total)`` reports "photos", then "writing" and "verifying".
    """
    out_dir = _check_out_dir(out_dir)
    remove_stale_partials(out_dir)
    prepared = prepare(products, shop=shop, options=options, progress=progress)
    ctx = prepared.context
    name = options.name or bundle_name(shop, ctx.created_at)
    stage_class = ZipStage if options.as_zip else FolderStage
    try:
        stage = stage_class(out_dir, name)
    except OSError as exc:
        raise storage_error(exc, out_dir) from exc
    try:
        bundle_id = uuid.uuid4().hex
        if progress:
            progress("writing", 0, 1)
        manifest = _write_all(stage, prepared, options, bundle_id)
        if progress:
            progress("verifying", 0, 1)
        path = stage.finish(sign(manifest), on_staged)
    except OSError as exc:
        stage.abort()
        raise storage_error(exc, out_dir / name) from exc
    except BaseException:
        stage.abort()
        raise
    processed = sum(1 for p in prepared.photos if p.ok and not p.from_cache)
    return ExportResult(
        path=path,
        bundle_id=bundle_id,
        manifest=manifest,
        issues=prepared.issues,
        included={t: len(v) for t, v in prepared.included.items()},
        photos_processed=processed,
        photos_cached=sum(1 for p in prepared.photos if p.ok and p.from_cache),
    )


def _write_all(
    stage: FolderStage | ZipStage, prepared: Prepared, options: ExportOptions, bundle_id: str
) -> JsonObject:
    ctx = prepared.context
    listed = [i for i in prepared.items if i.product.variants]
    for photo in prepared.photos:
        if photo.image is not None and photo.thumb is not None:  # photo.ok
            stage.add_file(
                f"{IMAGES_DIR}/{photo.job.name}.jpg", photo.image, photo.sha256, photo.size_bytes
            )
            stage.add_file(
                f"{THUMBS_DIR}/{photo.job.name}.jpg",
                photo.thumb,
                photo.thumb_sha256,
                photo.thumb_bytes,
            )
    templates = {"shopee": options.shopee_template, "tokopedia": options.tokopedia_template}
    files, target_meta = _target_files(prepared.included, ctx, templates=templates)
    for out in files:
        stage.add_bytes(out.name, out.data)
    for out in site_files(listed, ctx):
        stage.add_bytes(out.name, out.data)
    thumb_hashes = {
        f"{THUMBS_DIR}/{p.job.name}.jpg": p.thumb_sha256 for p in prepared.photos if p.ok
    }
    pdf = cached_catalog_pdf(
        listed,
        ctx,
        stage.local_path,
        thumb_hashes=thumb_hashes,
        cache_folder=Path(options.cache_dir or ".") / "_catalog",
    )
    stage.add_bytes(CATALOG_FILE, pdf)
    for target, info in target_meta.items():
        out_ids = excluded_ids(prepared.issues, target)
        info["excluded"] = sorted(out_ids)
    issues = [i.as_dict() for i in prepared.issues]
    data = feeds.generic_json(listed, ctx, issues=issues, targets=target_meta)
    stage.add_bytes(data.name, data.data)
    note = readme(ctx, target_meta)
    stage.add_bytes(note.name, note.data)
    return _manifest(ctx, bundle_id, listed, target_meta, options, stage.files)


def _manifest(
    ctx: Context,
    bundle_id: str,
    listed: Sequence[PreparedProduct],
    target_meta: dict[str, JsonObject],
    options: ExportOptions,
    files: dict[str, JsonObject],
) -> JsonObject:
    settings = options.photo_settings
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "bundle_id": bundle_id,
        "app": {"name": "ShopDesk", "version": __version__},
        "created_at": ctx.created_at,
        "shop": {
            "name": ctx.shop.name,
            "whatsapp": ctx.shop.whatsapp,
            "address": ctx.shop.address,
            "shop_id": ctx.shop.shop_id,
        },
        "base_url": ctx.base_url,
        "product_count": len(listed),
        "product_ids": [i.product.product_id for i in listed],
        "targets": target_meta,
        "photo_settings": {"size": settings.size, "quality": settings.quality},
        "files": {name: dict(entry) for name, entry in sorted(files.items())},
    }


# --- existing bundles -------------------------------------------------------------


def _from_record(record: JsonObject) -> PreparedProduct:
    product = ListingProduct(
        product_id=record["product_id"],
        sku=record["sku"],
        name=record["name"],
        variants=tuple(
            ListingVariant(
                sku=v["sku"],
                price=int(v["price"]),
                stock=int(v["stock"]),
                options=tuple(v["options"]),
                barcode=v.get("barcode", ""),
            )
            for v in record["variants"]
        ),
        category=record.get("category", ""),
        description=record.get("description", ""),
        unit=record.get("unit", ""),
        weight_g=record.get("weight_g", 0),
        length_cm=record.get("length_cm", 0),
        width_cm=record.get("width_cm", 0),
        height_cm=record.get("height_cm", 0),
        option_names=tuple(record.get("option_names", ())),
        category_codes=dict(record.get("category_codes", {})),
        dangerous=bool(record.get("dangerous", False)),
        preorder_days=int(record.get("preorder_days", 0)),
        updated_at=datetime.fromisoformat(record["updated_at"])
        if record.get("updated_at")
        else None,
    )
    return PreparedProduct(
        product=product,
        name=record["name"],
        description=record.get("description", ""),
        handle=record["handle"],
        images=tuple(record.get("images", ())),
        thumbs=tuple(record.get("thumbs", ())),
    )


def _require_intact(report: VerifyReport) -> None:
    if not report.ok:
        raise StorageError(
            _("The bundle {path} is damaged ({problems}). Export it again.").format(
                path=report.bundle, problems="; ".join(p.message for p in report.problems[:5])
            )
        )


def set_url(bundle: Path, base_url: str, *, on_staged: Hook | None = None) -> ExportResult:
    """Fill the URLs of an existing bundle's sheets and feeds; photos are not touched."""
    bundle = Path(bundle)
    base = normalise_base_url(base_url)
    if not base:
        raise ValidationError(_("Give the public base URL, e.g. https://example.com/shop."))
    reader = open_bundle(bundle)
    try:
        report = verify_reader(reader)
        _require_intact(report)
        manifest = report.manifest
        listing = json.loads(reader.read(feeds.GENERIC_JSON).decode("utf-8"))
        existing = {
            t: (reader.read(info["file"]), info["layout"]["first_row"])
            for t, info in manifest["targets"].items()
            if t in SHEET_TARGETS
        }
        return _rewrite(bundle, reader, manifest, listing, existing, base, on_staged)
    except UNREADABLE as exc:  # intact, but edited and signed again by hand
        raise ValidationError(
            _("The bundle {path} holds data that ShopDesk cannot read. Export it again.").format(
                path=bundle
            ),
            detail=repr(exc),
        ) from exc
    finally:
        reader.close()


def _rewrite(
    bundle: Path,
    reader: BundleReader,
    manifest: JsonObject,
    listing: JsonObject,
    existing: dict[str, tuple[bytes, int]],
    base: str,
    on_staged: Hook | None,
) -> ExportResult:
    items = {r["product_id"]: _from_record(r) for r in listing["products"]}
    shop = ShopInfo(**manifest["shop"])
    digits = ""
    if shop.whatsapp:
        with contextlib.suppress(ValidationError):
            digits = whatsapp_number(shop.whatsapp)
    channels = manifest["targets"].get("shopee", {}).get("layout", {}).get("channels", [])
    options: dict[str, object] = {"whatsapp_digits": digits, "shopee_channels": list(channels)}
    ctx = Context(shop, base, manifest["created_at"], options)
    by_target = {
        t: [items[pid] for pid in info["product_ids"] if pid in items]
        for t, info in manifest["targets"].items()
    }
    files, target_meta = _target_files(by_target, ctx, templates={}, existing=existing)
    for target, info in target_meta.items():
        info["excluded"] = manifest["targets"][target].get("excluded", [])
    changed = {f.name: f.data for f in files}
    data = feeds.generic_json(
        list(items.values()), ctx, issues=listing.get("issues", []), targets=target_meta
    )
    changed[data.name] = data.data
    note = readme(ctx, target_meta)
    changed[note.name] = note.data
    for page in site_files(list(items.values()), ctx):  # product pages gain link previews
        changed[page.name] = page.data
    out_dir = bundle.parent
    as_zip = not bundle.is_dir()
    stage = (ZipStage if as_zip else FolderStage)(out_dir, f".{bundle.stem}.set-url")
    try:
        for name in manifest["files"]:
            if name == MANIFEST_NAME or name in changed:
                continue
            entry = manifest["files"][name]
            if isinstance(stage, ZipStage):
                stage.add_bytes(name, reader.read(name))
            else:
                stage.add_link(
                    name, bundle.joinpath(*name.split("/")), entry["sha256"], entry["size"]
                )
        for name, payload in changed.items():
            stage.add_bytes(name, payload)
        new_manifest = {**manifest, "base_url": base, "targets": target_meta}
        new_manifest["files"] = {n: dict(e) for n, e in sorted(stage.files.items())}
        new_manifest.pop("manifest_sha256", None)
        new_manifest["url_set_at"] = datetime.now(UTC).replace(microsecond=0).isoformat()
        temp_path = stage.finish(sign(new_manifest), on_staged)
    except OSError as exc:
        stage.abort()
        raise storage_error(exc, bundle) from exc
    except BaseException:
        stage.abort()
        raise
    _swap(temp_path, bundle)
    return ExportResult(bundle, manifest["bundle_id"], new_manifest, [], {}, 0, 0)


def _swap(new: Path, old: Path) -> None:
    """Put the re-signed bundle in place of the old one."""
    try:
        if new.is_dir():
            parked = old.with_name(f".{old.name}.old-{uuid.uuid4().hex[:8]}")
            os.rename(old, parked)
            os.rename(new, old)
            fsync_dir(old.parent)  # both names kept before the old files go
            shutil.rmtree(parked, ignore_errors=True)
        else:
            os.replace(new, old)
            fsync_dir(old.parent)  # the new bundle keeps its name after a power cut
    except OSError as exc:
        raise storage_error(exc, old) from exc


def show(bundle: Path) -> JsonObject:
    """What a bundle holds, and whether it is intact."""
    report = verify(Path(bundle))
    manifest = report.manifest
    return {
        "path": str(bundle),
        "ok": report.ok,
        "problems": [p.message for p in report.problems],
        "bundle_id": manifest.get("bundle_id"),
        "shop": manifest.get("shop", {}).get("name"),
        "created_at": manifest.get("created_at"),
        "base_url": manifest.get("base_url"),
        "product_count": manifest.get("product_count"),
        "targets": {
            t: {"file": i.get("file"), "products": i.get("products"), "rows": i.get("rows")}
            for t, i in manifest.get("targets", {}).items()
        },
        "files": len(manifest.get("files", {})),
        "bytes": sum(e["size"] for e in manifest.get("files", {}).values()),
    }


__all__ = [
    "ExportOptions",
    "ExportResult",
    "Prepared",
    "bundle_name",
    "export_bundle",
    "parse_targets",
    "prepare",
    "read_manifest",
    "set_url",
    "show",
    "verify",
]
