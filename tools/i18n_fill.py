"""Fill Indonesian translations from a Python dict file: msgid -> msgstr.

    python tools/i18n_fill.py translations.py

The file defines ``T = {"English id": "Terjemahan", ...}``. Only empty
entries are filled, in whichever area file holds the id.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOG_DIR = Path(__file__).resolve().parent.parent / "resources" / "i18n" / "id"


def fill(translations: dict[str, str]) -> int:
    filled = 0
    for po in sorted(CATALOG_DIR.glob("*.po")):
        with open(po, "rb") as handle:
            catalog = read_po(handle, locale="id")
        changed = False
        for message in catalog:
            if message.id and not message.string and message.id in translations:
                message.string = translations[message.id]
                changed = True
                filled += 1
        if changed:
            with open(po, "wb") as handle:
                write_po(
                    handle,
                    catalog,
                    width=100,
                    omit_header=True,
                    sort_output=True,
                    include_lineno=False,
                )
    return filled


if __name__ == "__main__":
    table = runpy.run_path(sys.argv[1])["T"]
    print(f"{fill(table)} translations filled")
