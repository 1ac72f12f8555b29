"""What one label says, as plain data the renderer turns into ink.

The service builds these from the catalog; tests and scripts build them
directly. Dates are ``datetime.date``; money is integer rupiah.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shopdesk.money import format_rupiah

# The regulation allows month and year only when the shelf life is above 3 months.
SHORT_SHELF_LIFE_DAYS = 90


@dataclass(frozen=True)
class LabelContent:
    sku: str
    name: str
    variant: str = ""
    price: int | None = None
    netto: str = ""
    composition: str = ""
    producer_name: str = ""
    producer_address: str = ""
    pirt: str = ""
    halal_cert: str = ""  # empty: the shop holds no halal certificate, so no mark
    halal: bool = False  # the product is marked halal (a mark without a number is a warning)
    production_code: str = ""
    production_date: date | None = None
    best_before: date | None = None
    shelf_life_days: int | None = None
    ean13: str = ""
    shop_name: str = ""
    shop_address: str = ""
    whatsapp: str = ""  # the shop's number as typed or stored (+62...)
    listing_url: str = ""
    is_food: bool = True

    def shelf_life(self) -> int | None:
        if self.production_date and self.best_before:
            return (self.best_before - self.production_date).days
        return self.shelf_life_days

    def best_before_text(self) -> str:
        """Day-month-year for short shelf lives, month-year allowed above 3 months."""
        if self.best_before is None:
            return ""
        life = self.shelf_life()
        if life is not None and life > SHORT_SHELF_LIFE_DAYS:
            return self.best_before.strftime("%m-%Y")
        return self.best_before.strftime("%d-%m-%Y")

    def production_date_text(self) -> str:
        return self.production_date.strftime("%d-%m-%Y") if self.production_date else ""

    def price_text(self) -> str:
        return format_rupiah(self.price) if self.price is not None else ""

    def fields(self) -> dict[str, str]:
        """Every value a design may place, as text (empty when unknown)."""
        return {
            "sku": self.sku,
            "name": self.name,
            "variant": self.variant,
            "price": self.price_text(),
            "netto": self.netto,
            "composition": self.composition,
            "producer_name": self.producer_name or self.shop_name,
            "producer_address": self.producer_address or self.shop_address,
            "pirt": self.pirt,
            "halal_cert": self.halal_cert,
            "production_code": self.production_code,
            "production_date": self.production_date_text(),
            "best_before": self.best_before_text(),
            "ean13": self.ean13,
            "shop_name": self.shop_name,
        }
