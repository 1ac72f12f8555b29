"""Label designs as data (``resources/labels/designs/*.json``).

A design lists text blocks (templates over the label's fields, with a size
factor, bold, a line limit and whether food law makes them mandatory), an
optional QR code (which payloads, where, how large, a caption) and an
optional barcode. The captions are Indonesian on purpose: food labels sold
in Indonesia must be in Bahasa Indonesia whatever language the app shows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from shopdesk.errors import NotFoundError, ValidationError
from shopdesk.i18n import _
from shopdesk.labels.payloads import KINDS
from shopdesk.paths import resource_path

PLACEMENTS = ("auto", "right", "bottom", "center")
SYMBOLOGIES = ("ean13", "code128", "auto")


@dataclass(frozen=True)
class BlockSpec:
    key: str
    text: str
    requires: tuple[str, ...] = ()
    scale: float = 1.0
    bold: bool = False
    max_lines: int = 0
    mandatory: bool = False
    badge: str = ""


@dataclass(frozen=True)
class QrSpec:
    payloads: tuple[str, ...]
    placement: str = "auto"
    max_share: float = 0.4
    required: bool = False
    caption: str = ""


@dataclass(frozen=True)
class BarcodeSpec:
    symbology: str = "auto"
    height_mm: float = 8.0
    required: bool = False


@dataclass(frozen=True)
class Design:
    id: str
    name: str
    description: str
    food: bool
    max_pt: float
    blocks: tuple[BlockSpec, ...]
    qr: QrSpec | None
    barcode: BarcodeSpec | None


def design_from_json(data: dict[str, Any], *, source: str = "builtin") -> Design:
    try:
        qr = data.get("qr")
        barcode = data.get("barcode")
        design = Design(
            id=str(data["id"]),
            name=str(data.get("name") or data["id"]),
            description=str(data.get("description", "")),
            food=bool(data.get("food", False)),
            max_pt=float(data.get("max_pt", 12)),
            blocks=tuple(
                BlockSpec(
                    key=str(b["key"]),
                    text=str(b["text"]),
                    requires=tuple(b.get("requires", ())),
                    scale=float(b.get("scale", 1.0)),
                    bold=bool(b.get("bold", False)),
                    max_lines=int(b.get("max_lines", 0)),
                    mandatory=bool(b.get("mandatory", False)),
                    badge=str(b.get("badge", "")),
                )
                for b in data.get("blocks", ())
            ),
            qr=None
            if not qr
            else QrSpec(
                payloads=tuple(qr["payloads"]),
                placement=str(qr.get("placement", "auto")),
                max_share=float(qr.get("max_share", 0.4)),
                required=bool(qr.get("required", False)),
                caption=str(qr.get("caption", "")),
            ),
            barcode=None
            if not barcode
            else BarcodeSpec(
                symbology=str(barcode.get("symbology", "auto")),
                height_mm=float(barcode.get("height_mm", 8.0)),
                required=bool(barcode.get("required", False)),
            ),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationError(
            _("The design file {source} is not valid: {problem}.").format(
                source=source, problem=exc
            )
        ) from exc
    if design.qr and (
        design.qr.placement not in PLACEMENTS or any(k not in KINDS for k in design.qr.payloads)
    ):
        raise ValidationError(
            _("The design file {source} has an unknown QR setting.").format(source=source)
        )
    if design.barcode and design.barcode.symbology not in SYMBOLOGIES:
        raise ValidationError(
            _("The design file {source} has an unknown barcode type.").format(source=source)
        )
    return design


def builtin_designs_dir() -> Path:
    return resource_path("labels", "designs")


def list_designs() -> list[Design]:
    designs = []
    for path in sorted(builtin_designs_dir().glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        designs.append(design_from_json(data, source=path.name))
    return designs


def get_design(design_id: str) -> Design:
    for design in list_designs():
        if design.id == design_id:
            return design
    raise NotFoundError(
        _("Unknown label design “{design}”. See the list with: shopdesk labels designs").format(
            design=design_id
        )
    )


def customize(
    design: Design, *, price: bool = True, qr: bool = True, barcode: bool = True
) -> Design:
    """The design without the parts a seller switched off for this print run."""
    blocks = design.blocks if price else tuple(b for b in design.blocks if b.key != "price")
    return replace(
        design,
        blocks=blocks,
        qr=design.qr if qr else None,
        barcode=design.barcode if barcode else None,
    )
