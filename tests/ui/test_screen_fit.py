"""The screen (issue 16, point 10): at 1366x768 and at 125 % nothing is cut and the first
window is never larger than the screen. Geometry, not pixels: widget sizes against the
size the text needs (fontMetrics), and the window's least size against the room there is.

At 125 % a 1366x768 screen is 1093x614 logical pixels; a maximized window keeps about
1093x559 of them after the taskbar and its own title bar (``SMALL``). Qt lays out in
logical pixels, so the offscreen window at that size is what the seller sees at 125 %.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import combinations

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel

SMALL = QSize(1093, 559)  # 1366x768 at 125 %, less the taskbar and the title bar
FULL = QSize(1366, 697)  # 1366x768 at 100 %, less the same


def fits(size: QSize, room: QSize) -> bool:
    return size.width() <= room.width() and size.height() <= room.height()


@pytest.fixture(autouse=True)
def app_look(qapp):
    """The app's own font size and style sheet (ui.app.make_application), restored after."""
    from ui.style import BASE_POINT_SIZE, STYLESHEET

    font, sheet = qapp.font(), qapp.styleSheet()
    bigger = qapp.font()
    bigger.setPointSizeF(BASE_POINT_SIZE)
    qapp.setFont(bigger)
    qapp.setStyleSheet(STYLESHEET)
    yield
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)


def settle(window, size: QSize) -> None:
    """The window held at ``size``, as a maximized window is held by the screen."""
    window.setFixedSize(size)
    for _ in range(3):
        QApplication.processEvents()


def cut_texts(root) -> list[str]:
    """Visible one-line labels and buttons whose text is wider than the widget."""
    cut = []
    for label in root.findChildren(QLabel):
        text = label.text()
        if not label.isVisible() or label.wordWrap() or not text or "<" in text:
            continue
        width = max(label.fontMetrics().horizontalAdvance(line) for line in text.split("\n"))
        if width > label.contentsRect().width():
            cut.append(f"label {text!r}: {width} > {label.contentsRect().width()}")
    for button in root.findChildren(QAbstractButton):
        text = button.text().replace("&", "")
        if not button.isVisible() or not text:
            continue
        needed = button.fontMetrics().horizontalAdvance(text)
        if needed > button.contentsRect().width():
            cut.append(f"button {text!r}: {needed} > {button.contentsRect().width()}")
    return cut


@pytest.mark.parametrize("size", [SMALL, FULL], ids=["125%", "100%"])
def test_pin_pad_keys_whole_and_apart(qtbot, window, seller, size):
    window.start.choose("kopi")
    settle(window, size)
    pad = window.start.pad
    assert fits(window.minimumSizeHint(), SMALL), window.minimumSizeHint()
    keys = list(pad.keys.values())
    for a, b in combinations(keys, 2):
        assert not a.geometry().intersects(b.geometry()), (a.text(), b.text())
    for key in keys:
        assert key.height() >= key.minimumSizeHint().height(), key.text()
        assert key.geometry().bottom() < pad.height()
    assert cut_texts(window.start) == []


@pytest.mark.parametrize("size", [SMALL, FULL], ids=["125%", "100%"])
def test_every_page_fits_and_cuts_no_text(qtbot, logged_in, size):
    settle(logged_in, size)
    problems = {}
    for spec in logged_in.workspace.specs:
        page = logged_in.workspace.open_page(spec.key)
        settle(logged_in, size)
        logged_in.tasks.wait(10000)
        QApplication.processEvents()
        if not fits(logged_in.minimumSizeHint(), SMALL):
            problems[spec.key] = f"window needs {logged_in.minimumSizeHint()}"
        scroll = page.parentWidget().parentWidget()  # the page's scroll area
        if not fits(page.minimumSizeHint(), scroll.size()):  # whole, with no scrolling
            problems[spec.key] = f"page needs {page.minimumSizeHint()} in {scroll.size()}"
        # Never sideways; up and down only on a new shop's home page at 125 %, where the
        # first steps sit above every card (known: 552 px of 485 with the kasbon card).
        crowded = size == SMALL and spec.key == "home" and page.first_steps.isVisible()
        bars = [scroll.horizontalScrollBar()] + ([] if crowded else [scroll.verticalScrollBar()])
        if any(bar.isVisible() for bar in bars):
            problems[spec.key] = f"scrolls: page {page.size()} in {scroll.size()}"
        cut = cut_texts(page) + cut_texts(logged_in.workspace.sidebar.parentWidget())
        if cut:
            problems[spec.key] = cut
    assert problems == {}


def test_the_charts_last_date_is_whole(qtbot):
    from ui.widgets.charts import BarChart

    chart = BarChart()
    qtbot.addWidget(chart)
    today = date(2026, 12, 6)
    chart.set_points([(today - timedelta(days=29 - i), 1000 * i) for i in range(30)])
    for width in (360, 520, 700, 1000):
        chart.resize(width, 220)
        labels = chart.day_labels()
        assert labels[-1][1] == "06/12"
        for rect, text in labels:
            assert chart.rect().toRectF().contains(rect), (width, text, rect)
            assert rect.width() >= chart.fontMetrics().horizontalAdvance(text)


def test_a_bigger_screens_window_opens_maximized(qtbot, home):
    from PySide6.QtCore import QRect

    from ui.local_settings import ui_settings
    from ui.main_window import MainWindow

    screen = QApplication.primaryScreen().availableGeometry()
    big = MainWindow()
    qtbot.addWidget(big)
    big.setGeometry(QRect(0, 0, screen.width() + 600, screen.height() + 400))
    ui_settings().setValue("window/geometry", big.saveGeometry())
    window = MainWindow()
    qtbot.addWidget(window)
    window.show_start()
    window.show_with_saved_geometry()
    QApplication.processEvents()
    assert window.width() <= screen.width() and window.height() <= screen.height()


def test_product_names_in_the_list_are_whole_or_told(qtbot, logged_in):
    from PySide6.QtCore import Qt

    from tests.stock_factories import make_product

    session = logged_in.ctx.session
    usual = "Keripik Singkong - Pedas Daun Jeruk"  # the demo's longest name
    odd = "Keripik Singkong Balado Pedas Daun Jeruk Purut Khas Temanggung Kemasan Besar"
    make_product(session, name=usual)
    make_product(session, name=odd)
    page = logged_in.workspace.open_page("products")
    logged_in.ctx.notify("products")
    settle(logged_in, SMALL)
    qtbot.waitUntil(lambda: page.model.rowCount() >= 2, timeout=10000)
    view, model = page.table, page.model
    names = {model.index(r, 0).data(): r for r in range(model.rowCount())}
    needed = view.fontMetrics().horizontalAdvance(usual) + 12  # the cell's own margins
    assert view.columnWidth(0) >= needed, (view.columnWidth(0), needed)
    tip = model.index(names[odd], 0).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == odd  # too long for any column: the whole name on hover
