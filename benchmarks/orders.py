"""The Pesanan masuk page with a big Shopee order export: how long the window stalls.

The page used to read the file on the GUI thread, so the window froze for the whole
preview; it now hands the preview to the app's task runner. Figures, on a fresh shop
of 50 products and an XLSX of ``ORDERS`` orders of 2 items (Shopee's columns and 35
more, as a real export has):

- the preview itself (``orders.preview_orders``, s): the freeze the page had before;
  floor: ``tabular.read_table`` of the same file, the bare read;
- the longest stall of the GUI thread while the page previews in the background
  (ms): the largest gap between ticks of a 10 ms timer, from ``load`` until the
  table is filled; floor: the same timer with no work, measured in the same run.
  Goal: at most 100 ms (a key press still answers at once).

    python -m benchmarks orders
"""

from __future__ import annotations

import itertools
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

Report = Callable[..., None]
ORDERS = 5_000
PRODUCTS = 50
EXTRA_COLUMNS = 35
TICK_MS = 10


def _shop(folder: Path):
    from shopdesk import catalog, profiles, stock, store

    os.environ["SHOPDESK_HOME"] = str(folder / "home")
    store.open_database()
    operator = profiles.create_operator(password="bench-operator-1")
    profiles.create_seller(
        operator, login="bench", display_name="Bench", pin="135790", shop_name="Bench"
    )
    session = profiles.seller_login(login="bench", pin="135790")
    for n in range(PRODUCTS):
        sku = f"BENCH-{n:04d}"
        catalog.create_product(session, name=f"Produk {n}", price=15_000, sku=sku)
        stock.receive(session, sku=sku, quantity=1_000_000)
    return session


def _export(path: Path) -> None:
    """A Shopee order export: its own headers first, then filler columns."""
    from openpyxl import Workbook

    from shopdesk.orders.formats import ORDER, PRICE, QUANTITY, SHOPEE, SKU, STATUS

    fields = (ORDER, STATUS, SKU, QUANTITY, PRICE)
    headers = [SHOPEE.headers[f][0] for f in fields]
    headers += [f"Kolom {i}" for i in range(EXTRA_COLUMNS)]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("orders")
    sheet.append(headers)
    filler = ["Jl. Raya Kledung 12, Temanggung"] * EXTRA_COLUMNS
    for order in range(ORDERS):
        for item in range(2):
            sku = f"BENCH-{(order + item) % PRODUCTS:04d}"
            sheet.append([f"2601{order:08d}AB", "Selesai", sku, 1 + item, 15_000, *filler])
    workbook.save(path)


def _longest_gap(app, until: Callable[[], bool], start: Callable[[], object]) -> float:
    """ms: the largest gap between ticks of a 10 ms timer from ``start()`` to ``until()``."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    ticks: list[float] = []

    def tick() -> None:
        ticks.append(time.perf_counter())
        if until():
            loop.quit()

    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(tick)
    ticks.append(time.perf_counter())
    start()
    timer.start()
    loop.exec()
    timer.stop()
    return max(b - a for a, b in itertools.pairwise(ticks)) * 1000


def run(report: Report) -> None:
    from PySide6.QtWidgets import QApplication

    from shopdesk import orders, store, tabular
    from shopdesk.orders.formats import all_headers
    from ui.context import AppContext
    from ui.pages.orders import OrdersPage
    from ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="shopdesk-bench-orders-") as tmp:
        folder = Path(tmp)
        session = _shop(folder)
        path = folder / "Order.all.xlsx"
        _export(path)

        started = time.perf_counter()
        tabular.read_table(path, columns=all_headers(), note_ignored=False)
        bare = time.perf_counter() - started
        started = time.perf_counter()
        preview = orders.preview_orders(session, path)
        whole = time.perf_counter() - started
        assert len(preview.rows) == 2 * ORDERS
        report(f"orders preview, {ORDERS} orders (GUI froze this long)", whole, bare, "s")

        runner = TaskRunner()
        page = OrdersPage(AppContext(session, runner))
        page.resize(1100, 650)
        page.show()
        app.processEvents()
        stall = _longest_gap(
            app, lambda: page.preview is not None and not page.bar.busy, lambda: page.load(path)
        )
        assert page.rows.rowCount() == 2 * ORDERS
        idle_until = time.perf_counter() + whole
        idle = _longest_gap(app, lambda: time.perf_counter() >= idle_until, lambda: None)
        report("longest GUI stall, preview in the background", stall, idle, "ms", goal="<= 100 ms")
        runner.wait()
        page.close()
        store.close_database()
