"""README.txt of a bundle: what each file is for and what to do with it."""

from __future__ import annotations

from shopdesk.export.feeds import TargetFile
from shopdesk.export.manifest import JsonObject
from shopdesk.export.prepared import Context
from shopdesk.export.validate import TARGET_LABELS
from shopdesk.i18n import _

README_FILE = "README.txt"


def readme(ctx: Context, targets: dict[str, JsonObject]) -> TargetFile:
    lines = [
        _("Listing bundle of {shop}, made {time} (UTC).").format(
            shop=ctx.shop.name, time=ctx.created_at
        ),
        "",
        _("Files:"),
        "  index.html  " + _("the catalog site: open it, or upload the whole folder to a web host"),
        "  catalog.pdf  " + _("price list with photos to share on WhatsApp"),
        "  images/  " + _("the photos, square JPEG, named by SKU"),
        "  products.json  " + _("everything, for other programs"),
        "  manifest.json  " + _("size and checksum of every file"),
    ]
    for target, info in targets.items():
        lines.append(
            "  "
            + _("{file}  for {target} ({count} products)").format(
                file=info["file"], target=TARGET_LABELS.get(target, target), count=info["products"]
            )
        )
    lines += ["", _("Before uploading:")]
    if ctx.base_url:
        lines.append(
            "- "
            + _("Upload this folder to {url} first: the sheets link to the photos there.").format(
                url=ctx.base_url
            )
        )
    else:
        lines.append(
            "- "
            + _(
                "The sheets have no photo links yet. Upload this folder to a web host, then in "
                "ShopDesk open Export, type the web address under Photo address, save it, and "
                "press Fill links in a bundle (or export again: the photos come from the cache)."
            )
        )
    lines.append(
        "- "
        + _(
            "Do not open and save the CSV files in Excel: Excel changes long numbers and "
            "separators. Upload them as they are."
        )
    )
    lines.append(
        "- "
        + _(
            "ShopDesk read every file back after writing this bundle. Copy the whole folder "
            "when you move it."
        )
    )
    text = "\r\n".join(lines) + "\r\n"  # Notepad on older Windows wants CRLF
    return TargetFile(README_FILE, text.encode("utf-8"), 0)
