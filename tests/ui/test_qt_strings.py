"""Qt's own strings (standard buttons, context menus, the Qt file and print dialogs) follow
the app's language: Indonesian from resources/i18n/id/qt.po, English untouched."""

from __future__ import annotations

import re
import sys

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QFileSystemModel,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
)

from shopdesk import i18n

QT_PO = i18n.catalog_dir("id") / "qt.po"
PLACEHOLDER = re.compile(r"%\d|%n")


@pytest.fixture
def language(qapp):
    """``language(code)`` installs a language as the app does; restored afterwards."""
    from ui.language import install_language

    saved_language, saved_locale = i18n.get_language(), QLocale()
    yield install_language
    install_language("en")  # takes our Qt translator out again
    i18n.set_language(saved_language)
    QLocale.setDefault(saved_locale)


def texts(actions) -> list[str]:
    """Menu texts without the shortcut Qt appends after a tab, separators left out."""
    return [a.text().split("\t")[0] for a in actions if not a.isSeparator()]


def message_box_buttons() -> dict[QMessageBox.StandardButton, str]:
    box = QMessageBox(QMessageBox.Icon.Question, "t", "?")
    wanted = (
        QMessageBox.StandardButton.Yes,
        QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Cancel,
    )
    for button in wanted:
        box.addButton(button)
    return {button: box.button(button).text() for button in wanted}


def qt_file_dialog(qtbot, mode=QFileDialog.AcceptMode.AcceptOpen) -> QFileDialog:
    dialog = QFileDialog(None, "t")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setAcceptMode(mode)
    qtbot.addWidget(dialog)
    return dialog


def label(dialog, name: str) -> str:
    return dialog.findChild(QLabel, name).text()


def accept_text(dialog: QFileDialog) -> str:
    box = dialog.findChild(QDialogButtonBox, "buttonBox")
    role = QDialogButtonBox.ButtonRole.AcceptRole
    return next(b.text() for b in box.buttons() if box.buttonRole(b) == role)


def headers(dialog: QFileDialog) -> list[str]:
    model = dialog.findChild(QFileSystemModel)
    return [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)]


def test_message_box_buttons_in_indonesian(language):
    language("id")
    assert list(message_box_buttons().values()) == ["&Ya", "&Tidak", "Batal"]


def test_line_edit_menu_in_indonesian(language, qtbot):
    language("id")
    edit = QLineEdit("beras")
    qtbot.addWidget(edit)
    menu = edit.createStandardContextMenu()
    expected = ["&Urungkan", "U&langi", "&Potong", "&Salin", "&Tempel", "Hapus", "Pilih Semua"]
    assert texts(menu.actions()) == expected


def test_text_edit_menu_in_indonesian(language, qtbot):
    language("id")
    edit = QPlainTextEdit("beras")
    qtbot.addWidget(edit)
    menu = edit.createStandardContextMenu()
    assert "&Salin" in texts(menu.actions())
    assert "Pilih Semua" in texts(menu.actions())


def test_button_box_in_indonesian(language, qtbot):
    language("id")
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok
        | QDialogButtonBox.StandardButton.Cancel
        | QDialogButtonBox.StandardButton.Save
    )
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Ok).text() == "OK"
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Batal"
    assert box.button(QDialogButtonBox.StandardButton.Save).text() == "Simpan"


def test_qt_file_dialog_in_indonesian(language, qtbot):
    language("id")
    dialog = qt_file_dialog(qtbot)
    assert label(dialog, "lookInLabel") == "&Lihat di:"
    assert label(dialog, "fileNameLabel") == "&Nama file:"
    assert label(dialog, "fileTypeLabel") == "&Jenis file:"
    assert accept_text(dialog) == "&Buka"
    assert headers(dialog) == ["Nama", "Ukuran", "Jenis", "Tanggal Diubah"]
    saving = qt_file_dialog(qtbot, QFileDialog.AcceptMode.AcceptSave)
    assert accept_text(saving) == "&Simpan"
    assert saving.windowTitle() == "t"


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="native print dialog there")
def test_qt_print_dialog_in_indonesian(language, qtbot):
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
    from PySide6.QtWidgets import QAbstractButton

    language("id")
    printer = QPrinter()
    dialog = QPrintDialog(printer)
    qtbot.addWidget(dialog)
    buttons = dialog.findChildren(QAbstractButton)
    named = {b.objectName(): b.text() for b in buttons if b.objectName()}
    assert named["printAll"] == "Cetak semua"
    assert named["properties"] == "P&roperti"
    assert "&Cetak" in [b.text() for b in buttons]


def test_wizard_spin_box_and_gnome_strings_in_indonesian(language):
    language("id")
    translate = QCoreApplication.translate
    assert translate("QWizard", "&Next >") == "&Lanjut >"
    assert translate("QAbstractSpinBox", "&Step up") == "&Naikkan"
    assert translate("QGnomeTheme", "&Cancel") == "&Batal"
    assert translate("QLineEdit", "not a Qt string") == "not a Qt string"


def test_english_stays_english(language, qtbot):
    language("id")
    language("en")  # switching back (a seller logs in with English) takes ours out
    assert list(message_box_buttons().values()) == ["&Yes", "&No", "Cancel"]
    edit = QLineEdit("rice")
    qtbot.addWidget(edit)
    assert texts(edit.createStandardContextMenu().actions())[:2] == ["&Undo", "&Redo"]
    dialog = qt_file_dialog(qtbot)
    assert label(dialog, "lookInLabel") == "&Look in:"
    assert accept_text(dialog) == "&Open"
    assert headers(dialog) == ["Name", "Size", "Type", "Date Modified"]


def entries() -> list[tuple[str, str, str]]:
    from babel.messages.pofile import read_po

    with open(QT_PO, "rb") as handle:
        return [(m.context, m.id, m.string) for m in read_po(handle) if m.id]


def test_qt_catalog_is_complete_and_keeps_mnemonics_and_placeholders():
    rows = entries()
    assert len(rows) > 150
    assert all(context for context, _id, _text in rows), "every entry names its Qt context"
    assert [(c, s) for c, s, text in rows if not text.strip()] == []
    bad_mnemonic = [
        (c, s, t) for c, s, t in rows if t.count("&") != (1 if "&" in s else 0) or "&&" in s
    ]
    assert bad_mnemonic == []
    bad_placeholder = [
        (c, s)
        for c, s, t in rows
        if sorted(PLACEHOLDER.findall(s)) != sorted(PLACEHOLDER.findall(t))
    ]
    assert bad_placeholder == []


def test_own_reader_keeps_the_qt_contexts():
    catalog = i18n.load_context_catalog("id", "qt")
    rows = entries()
    assert len(catalog) == len(rows), "no context and source text twice"
    assert catalog == {c + i18n.CONTEXT_SEP + s: t for c, s, t in rows}
    assert not any(i18n.CONTEXT_SEP in key for key in i18n.load_catalog("id"))


def standard_button_texts(language_code: str, install) -> dict[str, str]:
    install(language_code)
    buttons = QDialogButtonBox.StandardButton
    every = [b for b in buttons if b not in (buttons.NoButton,)]
    box = QDialogButtonBox()
    for button in every:
        box.addButton(button)
    return {button.name: box.button(button).text() for button in every}


def test_every_standard_button_speaks_indonesian(language):
    english = standard_button_texts("en", language)
    indonesian = standard_button_texts("id", language)
    assert len(indonesian) == 18
    same = sorted(name for name in indonesian if indonesian[name] == english[name])
    assert same == ["Ok"], "only OK is the same word in Indonesian"
    assert indonesian["Cancel"] == "Batal" and indonesian["Open"] == "Buka"
    assert indonesian["Yes"] == "&Ya" and indonesian["No"] == "&Tidak"
    assert indonesian["Save"] == "Simpan" and indonesian["Discard"] == "Buang"


def test_the_indonesian_qt_catalog_is_complete():
    """Every message of the covered Qt contexts that this PySide6 can show is in qt.po."""
    from tests.qt_sources import COVERED, missing, qt_messages

    reference = qt_messages()
    assert sum(len(reference.get(c, ())) for c in COVERED) > 400
    catalog = i18n.load_context_catalog("id", "qt")
    assert missing(catalog, i18n.CONTEXT_SEP) == []


def test_progress_input_and_error_dialogs_in_indonesian(language, qtbot):
    from PySide6.QtWidgets import QInputDialog, QProgressDialog

    language("id")
    progress = QProgressDialog()
    qtbot.addWidget(progress)
    assert [b.text() for b in progress.findChildren(QPushButton)] == ["Batal"]
    asking = QInputDialog()
    qtbot.addWidget(asking)
    asking.setOption(QInputDialog.InputDialogOption.NoButtons, False)
    asking.show()
    texts_now = sorted(b.text() for b in asking.findChildren(QPushButton))
    assert texts_now == ["Batal", "OK"]
    translate = QCoreApplication.translate
    assert translate("QPrintPreviewDialog", "Zoom in") == "Perbesar"
    assert translate("QPageSize", "Executive (7.25 x 10.5 in)") == "Eksekutif (7,25 x 10,5 in)"
