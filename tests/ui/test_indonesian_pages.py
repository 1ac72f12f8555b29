"""Indonesian on the pages (issue 16, point 9): the Label page's paper names and printer
line, the backups list's "Berkas" column, the settings form's "Nomor P-IRT"."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel


def test_label_page_papers_and_printer_line(qtbot, logged_in):
    page = logged_in.workspace.open_page("labels")
    names = [page.paper.itemText(i) for i in range(page.paper.count())]
    assert "A4, 40 per lembar, 52,5 × 29,7 mm, tepi ke tepi" in names
    assert "Gulungan thermal 40 × 30 mm, 203 dpi" in names
    assert not [n for n in names if "sheet" in n or "Thermal" in n or "edge" in n]
    assert page.offset_label.text() == "printer bawaan: geser x +0,0 mm, y +0,0 mm"


def test_backups_list_says_berkas(qtbot, logged_in):
    page = logged_in.workspace.open_page("backups")
    table = page.table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers[-1] == "Berkas" and "File" not in headers


def test_settings_form_labels_start_with_a_capital(qtbot, logged_in):
    page = logged_in.workspace.open_page("settings")
    labels = []
    for form in page.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            if item is not None and isinstance(item.widget(), QLabel):
                labels.append(item.widget().text())
    assert "Nomor P-IRT" in labels
    assert [text for text in labels if text and text[0].islower()] == []
