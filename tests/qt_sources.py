"""Qt's own source texts, by context, read from a Qt catalog PySide6 ships.

PySide6 has no Indonesian Qt catalog, so ``resources/i18n/id/qt.po`` is hand-kept. Its
yardstick is the German ``qtbase_de.qm`` of the installed PySide6: a ``.qm`` file keeps
each message's context and English source text (tags 7 and 6 of its message block), so
this lists exactly what the running Qt can ask, version for version.

    python -m tests.qt_sources      print the covered messages qt.po lacks, as .po stubs
"""

from __future__ import annotations

import struct
from collections import defaultdict
from pathlib import Path

import PySide6

# The contexts whose strings a seller can meet in ShopDesk's widgets: standard buttons and
# message boxes, line and text edit menus, spin boxes, the Qt file, print, page set-up,
# print preview, colour, font and input dialogs, wizards, tabs and scroll bars.
# Not covered, on purpose: QShortcut (key names such as Ctrl, Shift, Del and Enter stay
# as printed on the keycaps of Indonesian keyboards), macOS-only menus, database drivers,
# network, D-Bus and accessibility-only contexts.
COVERED = (
    "QPlatformTheme", "QDialogButtonBox", "QMessageBox", "QErrorMessage", "QInputDialog",
    "QProgressDialog", "QDialog", "QLineEdit", "QWidgetTextControl",
    "QUnicodeControlCharacterMenu", "QAbstractSpinBox", "QComboBox", "QKeySequenceEdit",
    "QFileDialog", "QFileSystemModel", "QAbstractFileIconProvider", "QGnomeTheme",
    "QWizard", "QTabBar", "QScrollBar", "QPrintDialog", "QPrintWidget",
    "QPrintPropertiesDialog", "QPrintPropertiesWidget", "QPrintSettingsOutput",
    "QPageSetupWidget", "QPrintPreviewDialog", "QPageSize", "QColorDialog", "QFontDialog",
)  # fmt: skip
REFERENCE = Path(PySide6.__file__).parent / "Qt" / "translations" / "qtbase_de.qm"
_MESSAGES, _END, _OBSOLETE, _SOURCE, _CONTEXT = 0x69, 1, 5, 6, 7


def _message_block(data: bytes) -> bytes:
    pos = 16  # after the magic number
    while pos < len(data):
        tag = data[pos]
        (length,) = struct.unpack(">I", data[pos + 1 : pos + 5])
        if tag == _MESSAGES:
            return data[pos + 5 : pos + 5 + length]
        pos += 5 + length
    raise ValueError("no message block")


def qt_messages(qm: Path = REFERENCE) -> dict[str, set[str]]:
    """context -> Qt's source texts, from one ``.qm`` catalog."""
    block = _message_block(qm.read_bytes())
    found: dict[str, set[str]] = defaultdict(set)
    fields: dict[int, bytes] = {}
    pos = 0
    while pos < len(block):
        tag = block[pos]
        pos += 1
        if tag == _END:
            if _CONTEXT in fields and _SOURCE in fields:
                found[fields[_CONTEXT].decode()].add(fields[_SOURCE].decode())
            fields = {}
            continue
        if tag == _OBSOLETE:
            continue
        (length,) = struct.unpack(">I", block[pos : pos + 4])
        pos += 4
        length = 0 if length == 0xFFFFFFFF else length
        fields[tag] = block[pos : pos + length]
        pos += length
    return dict(found)


def missing(catalog: dict[str, str], sep: str) -> list[tuple[str, str]]:
    """(context, source) of the covered contexts without an entry in ``catalog``."""
    qt = qt_messages()
    return sorted(
        (context, source)
        for context in COVERED
        for source in qt.get(context, ())
        if context + sep + source not in catalog
    )


if __name__ == "__main__":
    import json

    from shopdesk import i18n

    for context, source in missing(i18n.load_context_catalog("id", "qt"), i18n.CONTEXT_SEP):
        print(f'msgctxt "{context}"\nmsgid {json.dumps(source, ensure_ascii=False)}\nmsgstr ""\n')
