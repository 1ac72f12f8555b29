"""Screenshots of the Stok, Penjualan, Label and Ekspor pages in use, at 1366x768.

    .venv/bin/python tools/screenshots_pages.py             # under xvfb-run when needed
    .venv/bin/python tools/screenshots_pages.py --scale 1.25   # Windows' 125% scaling
    .venv/bin/python tools/screenshots_pages.py sales labels   # only these scenes

Starts from the demo shop (``shopdesk demo``) in a temporary data folder, then does
what a seller does (stock in, sales, a stocktake, labels, an export) so every screen
shows real data. Files: ``docs/screenshots/pages-<scene>[-125].png``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools import screenshots as base  # noqa: E402  (after the path is set)

SIZE = base.SIZE


def _scale_from_argv(argv: list[str]) -> tuple[str, list[str]]:
    if "--scale" in argv:
        i = argv.index("--scale")
        scale = argv[i + 1]
        os.environ["QT_SCALE_FACTOR"] = scale
        return scale, argv[:i] + argv[i + 2 :]
    return os.environ.get("QT_SCALE_FACTOR", ""), argv


class Shooter:
    def __init__(self, app, window, suffix: str, wanted: list[str]) -> None:
        self.app, self.window, self.suffix, self.wanted = app, window, suffix, wanted

    def want(self, name: str) -> bool:
        return not self.wanted or any(w in name for w in self.wanted)

    def settle(self, ms: int = 250) -> None:
        self.window.tasks.wait(60000)
        base._settle(self.app, ms)
        self.window.tasks.wait(60000)
        base._settle(self.app, 50)

    def shot(self, widget, name: str) -> None:
        self.settle()
        base._save(widget, f"pages-{name}{self.suffix}")


def _activity(session) -> dict:
    """Stock in, a few sales and what the scenes need, like a morning in the shop."""
    from shopdesk import catalog, sales, stock

    variants = [v for v in catalog.list_variants(session) if v.barcode][:6]
    food = next((v for v in variants if v.shelf_life_days), variants[0])
    stock.receive(session, sku=food.sku, quantity=24, note="produksi pagi")
    for sku_list, payment, channel in (
        ([(variants[0].sku, 2), (variants[1].sku, 1)], "cash", "direct"),
        ([(variants[2].sku, 3)], "qris", "whatsapp"),
        ([(variants[1].sku, 1), (variants[3].sku, 2)], "transfer", "shopee"),
    ):
        sales.record_sale(
            session, lines=sku_list, payment=payment, channel=channel, allow_negative=True
        )
    stock.remove(
        session,
        sku=variants[4].sku,
        quantity=1,
        reason="damaged",
        note="kemasan sobek",
        allow_negative=True,
    )
    return {"variants": variants, "food": food}


def scenes(s: Shooter, data: dict) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from shopdesk import stock
    from shopdesk.stock import stocktake

    ws = s.window.workspace
    variants, food = data["variants"], data["food"]

    if s.want("stock"):
        page = ws.open_page("stock")
        page.tabs.setCurrentWidget(page.stock_in)
        page.stock_in.choose(food.sku)
        page.stock_in.quantity.setValue(36)
        s.shot(s.window, "stock-in")
        page.tabs.setCurrentWidget(page.stock_out)
        page.stock_out.choose(variants[1].sku)
        page.stock_out.reason.setCurrentIndex(1)
        s.shot(s.window, "stock-out")
        page.tabs.setCurrentWidget(page.history)
        s.shot(s.window, "stock-history")
        page.tabs.setCurrentWidget(page.count)
        s.shot(s.window, "stocktake-start")
        page.count.start()
        for v in (variants[0], variants[0], variants[2], variants[0]):
            QTest.keyClicks(page.count.count_panel.scan, v.barcode)
            QTest.keyClick(page.count.count_panel.scan, Qt.Key.Key_Return)
        s.shot(s.window, "stocktake-count")
        page.count.review()
        s.shot(s.window, "stocktake-review")
        stocktake.cancel_count(s.window.ctx.session)

    if s.want("sales"):
        page = ws.open_page("sales")
        page.tabs.setCurrentWidget(page.checkout)
        for v in (variants[0], variants[2], variants[0], variants[3]):
            page.checkout.add_sku(v.sku)
        QTest.keyClicks(page.checkout.picker.edit, variants[1].product_name.split()[0].lower())
        s.shot(s.window, "sales-cashier")
        page.checkout.picker.clear()
        page.tabs.setCurrentWidget(page.summary)
        s.shot(s.window, "sales-summary")

    if s.want("labels"):
        page = ws.open_page("labels")
        batch = stock.batches(s.window.ctx.session, sku=food.sku)[0]
        page.add_sku(food.sku, batch.code)
        page.add_sku(variants[2].sku)
        page.design.setCurrentIndex(page.design.findData("packaging"))
        page.update_preview()
        s.shot(s.window, "labels")
        from ui.pages.labels_calibration import CalibrationDialog

        dialog = CalibrationDialog(page.ctx, page.current_paper(), "default", s.window)
        dialog.show()
        s.shot(dialog, "labels-calibration")
        dialog.close()

    if s.want("export"):
        page = ws.open_page("export")
        page.check()
        s.shot(s.window, "export-check")
        folder = Path(tempfile.mkdtemp(prefix="stick-"))
        page.set_folder(folder)
        page.export()
        s.shot(s.window, "export-done")


def main(argv: list[str]) -> int:
    scale, wanted = _scale_from_argv(argv)
    base._reexec_under_xvfb()
    base._demo_home()
    from shopdesk import opener
    from ui import errors
    from ui.app import install_language, make_application
    from ui.main_window import MainWindow
    from ui.widgets import ask

    app = make_application([sys.argv[0]])
    install_language("id")
    opener.open_data()
    errors.set_modal(False)
    ask.set_answer(True)
    window = MainWindow()
    factor = float(scale or 1)
    # The screen stays 1366x768 pixels; at 125% it holds 1093x614 logical pixels.
    window.resize(round(SIZE[0] / factor), round(SIZE[1] / factor))
    window.show_start()
    window.show()
    base._settle(app)
    window.start.choose("kopi")
    window.start.try_login("123456")
    base._settle(app)
    data = _activity(window.ctx.session)
    scenes(Shooter(app, window, "", wanted), data)  # base._save adds "-125" when scaled
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
