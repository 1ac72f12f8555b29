"""A realistic demo: the operator and two sellers of one village.

Demo credentials are printed on purpose: this shop exists to be tried.
"""

from __future__ import annotations

from collections.abc import Iterator

from shopdesk import profiles
from shopdesk.i18n import _

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
