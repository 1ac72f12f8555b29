"""Shared pieces of the label tests: realistic contents, rendering, decoding."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import pypdfium2 as pdfium
import zxingcpp

from shopdesk.labels.content import LabelContent
from shopdesk.labels.job import PrintJob
from shopdesk.labels.units import PT_PER_MM

DPI = 200
WHATSAPP = "0812-2700-1234"

PRODUCTS = [
    LabelContent(
        sku="KOPI-0001",
        name="Kopi Robusta Temanggung Bubuk",
        price=35000,
        netto="250 g",
        composition="Biji kopi robusta sangrai 100%",
        producer_name="Kopi Sindoro",
        producer_address="Jl. Raya Kledung 12, Temanggung, Jawa Tengah",
        pirt="2063201010123-28",
        halal_cert="ID33110000123450224",
        production_code="KR2611A",
        production_date=date(2026, 11, 2),
        best_before=date(2027, 11, 2),
        ean13="2000000000015",
        shop_name="Kopi Sindoro",
        whatsapp=WHATSAPP,
    ),
    LabelContent(
        sku="GULA-0001",
        name="Gula Aren Cetak",
        variant="Batok kecil",
        price=25000,
        netto="1 kg",
        composition="Nira aren murni",
        producer_name="KWT Sari Aren",
        producer_address="Desa Wonosari, Temanggung",
        pirt="2063201010123-28",
        production_code="GA2611",
        production_date=date(2026, 11, 20),
        best_before=date(2027, 1, 20),
        shop_name="Kopi Sindoro",
        whatsapp=WHATSAPP,
        listing_url="https://kopisindoro.example/gula-aren",
    ),
    LabelContent(
        sku="K7",
        name="Keripik Tempe Pedas",
        variant="Level 3",
        price=12500,
        netto="100 g",
        composition="Tempe kedelai, tepung beras, bawang putih, cabai, garam, minyak sawit",
        producer_name="Bu Tini",
        producer_address="Dusun Krajan RT 02/RW 01, Kledung",
        pirt="5063201020456-29",
        production_code="KT-26-47",
        production_date=date(2026, 11, 25),
        best_before=date(2027, 1, 10),
        ean13="2000000000046",
        shop_name="Kopi Sindoro",
        whatsapp=WHATSAPP,
    ),
    LabelContent(
        sku="TAS-0003",
        name="Tas Anyaman Pandan",
        price=85000,
        shop_name="Kopi Sindoro",
        whatsapp=WHATSAPP,
        is_food=False,
    ),
]


@dataclass(frozen=True)
class Found:
    format: str
    text: str
    corners_mm: tuple[tuple[float, float], ...]  # from the page's top-left corner


def render_page(pdf_bytes: bytes, index: int = 0, dpi: int = DPI):
    pdf = pdfium.PdfDocument(io.BytesIO(pdf_bytes))
    page = pdf[index]
    image = page.render(scale=dpi / 72, grayscale=True).to_pil()
    return pdf, page, image


def decode(image, dpi: int = DPI) -> list[Found]:
    names = {
        zxingcpp.BarcodeFormat.QRCode: "QRCode",
        zxingcpp.BarcodeFormat.EAN13: "EAN13",
        zxingcpp.BarcodeFormat.Code128: "Code128",
    }
    found = []
    for result in zxingcpp.read_barcodes(image, formats=list(names)):
        pos = result.position
        corners = tuple(
            (p.x * 25.4 / dpi, p.y * 25.4 / dpi)
            for p in (pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left)
        )
        found.append(Found(names.get(result.format, str(result.format)), result.text, corners))
    return found


def label_rects_for(job: PrintJob) -> list[tuple[int, tuple[float, float, float, float]]]:
    """(plan index, (x, y, w, h) in mm from the top-left) for the labels of page 1."""
    rects = job.paper.label_rects()
    out = []
    for i, _plan in enumerate(job.plans):
        position = job.skip + i
        if position >= len(rects):
            break
        r = rects[position]
        out.append((i, (r.x_mm, r.y_mm, r.width_mm, r.height_mm)))
    return out


def inside(point: tuple[float, float], rect: tuple[float, float, float, float], tol=0.3) -> bool:
    x, y = point
    rx, ry, rw, rh = rect
    return rx - tol <= x <= rx + rw + tol and ry - tol <= y <= ry + rh + tol


def char_boxes_mm(
    page, page_height_mm: float
) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Every printed character with its box (left, top, right, bottom) in mm from top-left."""
    textpage = page.get_textpage()
    out = []
    for i in range(textpage.count_chars()):
        text = textpage.get_text_range(i, 1)
        if not text.strip():
            continue
        left, bottom, right, top = textpage.get_charbox(i)
        out.append(
            (
                text,
                (
                    left / PT_PER_MM,
                    page_height_mm - top / PT_PER_MM,
                    right / PT_PER_MM,
                    page_height_mm - bottom / PT_PER_MM,
                ),
            )
        )
    return out
