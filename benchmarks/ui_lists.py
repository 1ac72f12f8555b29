"""The product list of a 100,000-product shop: open and filter-per-keystroke times.

Opening = building the Produk page (lazy model over ``search.count`` + the first window of
``search.search``) and showing it; filtering = one keystroke's query and repaint. The floor
is the core search alone (``count`` + first window) for the same text, measured in the same
run, so the ratio is the UI's own cost. Goals: open <= 300 ms, filter <= 50 ms per key.

    python -m benchmarks ui_lists
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

Report = Callable[[str, float, float | None, str], None]
TYPED = "kopi robusta temanggung"
SCAN = None  # a barcode of the big shop, read at run time
OPEN_RUNS = 5


def _ms(seconds: float) -> float:
    return seconds * 1000


def run(report: Report) -> None:
    """Figures in ms; the floor is the core's search for the same text in the same run."""
    from PySide6.QtWidgets import QApplication

    from benchmarks import dataset
    from shopdesk import store
    from shopdesk.catalog import search
    from ui.context import AppContext
    from ui.models.product_list import PAGE
    from ui.pages.products import ProductsPage
    from ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication([])
    shop = dataset.big_shop()
    store.open_database(shop.path)
    session = dataset.session_for(shop)
    ctx = AppContext(session, TaskRunner())

    def core(text: str) -> None:
        # what the list needs per keystroke: the first window (the total is counted in
        # the background once typing pauses; see ui/pages/products.py)
        search.search(session, text, limit=PAGE, offset=0)

    core("")  # warm SQLite's page cache for both sides alike
    open_ui, open_core = [], []
    for _ in range(OPEN_RUNS):
        started = time.perf_counter()
        page = ProductsPage(ctx)
        page.resize(1100, 650)
        page.show()
        app.processEvents()
        open_ui.append(time.perf_counter() - started)
        assert page.model.rowCount() > 0
        page.close()
        page.deleteLater()
        app.processEvents()
        started = time.perf_counter()
        core("")
        open_core.append(time.perf_counter() - started)
    report(
        "ui_lists: open product list (100k products)",
        _ms(statistics.median(open_ui)),
        _ms(statistics.median(open_core)),
        "ms",
    )

    page = ProductsPage(ctx)
    page.resize(1100, 650)
    page.show()
    app.processEvents()
    keys_ui, keys_core = [], []
    for end in range(1, len(TYPED) + 1):
        text = TYPED[:end]
        started = time.perf_counter()
        page.search.setText(text)
        page.apply_search()  # what the typing pause triggers
        app.processEvents()
        keys_ui.append(time.perf_counter() - started)
        started = time.perf_counter()
        core(text)
        keys_core.append(time.perf_counter() - started)
    report(
        "ui_lists: filter per keystroke (median)",
        _ms(statistics.median(keys_ui)),
        _ms(statistics.median(keys_core)),
        "ms",
    )
    worst = max(range(len(keys_ui)), key=keys_ui.__getitem__)
    report(
        f"ui_lists: filter per keystroke (worst, '{TYPED[: worst + 1]}')",
        _ms(keys_ui[worst]),
        _ms(keys_core[worst]),
        "ms",
    )
    page.search.clear()
    page.apply_search()
    some = page.model.row_at(page.model.rowCount() - 1)
    code = some.barcode or some.sku
    started = time.perf_counter()
    page.search.setText(code)
    page.find_now()
    app.processEvents()
    scan_ui = time.perf_counter() - started
    assert page.current_row() is not None and page.current_row().exact
    started = time.perf_counter()
    core(code)
    report(
        "ui_lists: scan a barcode in the list",
        _ms(scan_ui),
        _ms(time.perf_counter() - started),
        "ms",
    )
    # scrolling down reads the next window only
    page.search.clear()
    page.apply_search()
    started = time.perf_counter()
    page.table.scrollToBottom()
    app.processEvents()
    report(
        "ui_lists: scroll to the end of the loaded rows",
        _ms(time.perf_counter() - started),
        None,
        "ms",
    )
    started = time.perf_counter()
    total = search.count(session, "")
    report(
        "ui_lists: core count of all rows (background)",
        _ms(time.perf_counter() - started),
        None,
        "ms",
    )
    assert total >= 100_000
    ctx.tasks.wait(60_000)
    store.close_database()


if __name__ == "__main__":
    from benchmarks.__main__ import report

    run(report)
