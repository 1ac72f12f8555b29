"""Extract every translatable message and update the Indonesian catalogs.

    python tools/i18n_update.py          add new messages (empty msgstr), drop stale ones
    python tools/i18n_update.py --check  exit 1 and list messages without a translation

Each message goes to the catalog of the area of the first file that uses it
(see ``AREAS``), so parts of the app keep separate files. Hand-kept catalogs
(``shopdesk.i18n.HAND_KEPT``: ``qt.po``, Qt's own strings by Qt context) are not
extracted, rewritten or deleted here; ``--check`` lists their untranslated entries too.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shopdesk.i18n import HAND_KEPT  # noqa: E402

CATALOG_DIR = ROOT / "resources" / "i18n" / "id"
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
# First matching prefix wins.
AREAS = [
    ("shopdesk/labels", "labels"),
    ("shopdesk/export", "export"),
    ("shopdesk/cli/export.py", "export"),  # the export commands speak the export catalog
    ("shopdesk/cli/marketplace.py", "export"),
    ("shopdesk/cli", "cli"),
    ("dev.py", "cli"),  # the developer's entry point speaks with the command line
    ("ui", "ui"),
    ("shopdesk", "core"),
]


def area_of(path: str) -> str:
    for prefix, area in AREAS:
        if path.startswith(prefix):
            return area
    return "core"


def extract() -> dict[str, dict[str, list[tuple[str, int]]]]:
    """area -> msgid -> locations"""
    found: dict[str, tuple[str, list[tuple[str, int]]]] = {}
    messages = [
        (f"{folder}/{filename}", lineno, message)
        for folder in ("shopdesk", "ui")
        for filename, lineno, message, _comments, _ctx in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS
        )
    ]
    messages += [
        ("dev.py", lineno, message)
        for lineno, message, _comments, _ctx in extract_from_file(
            "python", ROOT / "dev.py", keywords=KEYWORDS
        )
    ]
    for rel, lineno, message in messages:
        for msgid in message if isinstance(message, tuple) else (message,):
            if not msgid:
                continue
            area, locs = found.setdefault(msgid, (area_of(rel), []))
            locs.append((rel, lineno))
    by_area: dict[str, dict[str, list[tuple[str, int]]]] = {}
    for msgid, (area, locs) in found.items():
        by_area.setdefault(area, {})[msgid] = locs
    return by_area


def load(area: str) -> Catalog:
    path = CATALOG_DIR / f"{area}.po"
    if path.exists():
        with open(path, "rb") as handle:
            return read_po(handle, locale="id")
    return Catalog(locale="id", project="ShopDesk")


def existing_translations() -> dict[str, str]:
    known: dict[str, str] = {}
    for po in CATALOG_DIR.glob("*.po"):
        if po.stem in HAND_KEPT:
            continue  # Qt's ids ("Cancel" in a Qt context) must not stand in for ours
        with open(po, "rb") as handle:
            for message in read_po(handle, locale="id"):
                if message.id and message.string:
                    known[str(message.id)] = str(message.string)
    return known


def update() -> None:
    CATALOG_DIR.mkdir(parents=True, exist_ok=True)
    known = existing_translations()
    for area, messages in sorted(extract().items()):
        catalog = Catalog(locale="id", project="ShopDesk", fuzzy=False)
        for msgid, locs in sorted(messages.items()):
            catalog.add(msgid, known.get(msgid, ""), locations=sorted(set(locs))[:3])
        path = CATALOG_DIR / f"{area}.po"
        with open(path, "wb") as handle:
            write_po(
                handle, catalog, width=100, omit_header=True, sort_output=True, include_lineno=False
            )
    for po in CATALOG_DIR.glob("*.po"):
        if po.stem not in {area for _p, area in AREAS} and po.stem not in HAND_KEPT:
            po.unlink()


def missing() -> list[str]:
    known = existing_translations()
    gaps = sorted(
        msgid for messages in extract().values() for msgid in messages if msgid not in known
    )
    return gaps + hand_kept_gaps()


def hand_kept_gaps() -> list[str]:
    """Entries of the hand-kept catalogs without a translation, as ``qt.po: [context] id``."""
    gaps = []
    for name in HAND_KEPT:
        path = CATALOG_DIR / f"{name}.po"
        if not path.exists():
            continue
        with open(path, "rb") as handle:
            for message in read_po(handle, locale="id"):
                if message.id and not message.string:
                    gaps.append(f"{name}.po: [{message.context}] {message.id}")
    return gaps


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if args.check:
        gaps = missing()
        for msgid in gaps:
            print(msgid)
        return 1 if gaps else 0
    update()
    gaps = missing()
    print(f"{len(gaps)} messages without an Indonesian translation")
    return 0


if __name__ == "__main__":
    sys.exit(main())
