"""Retake the screenshots in docs/screenshots/ at 1366x768 with the demo shop.

    .venv/bin/python tools/screenshots.py            # re-runs itself under xvfb-run if needed
    .venv/bin/python tools/screenshots.py home products
    QT_SCALE_FACTOR=1.25 .venv/bin/python tools/screenshots.py home   # 125% check: *-125.png

Uses a fresh demo data folder (``shopdesk demo``) unless SHOPDESK_HOME is set. Every page
of the sidebar is shot; add dialogs to ``DIALOGS`` (name -> function(window) -> widget).
The walk-through from an empty folder (``docs/screenshots/walk-*.png``) is
tools/walkthrough.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
SIZE = (1366, 768)
sys.path.insert(0, str(ROOT))


def _reexec_under_xvfb() -> None:
    if os.environ.get("DISPLAY") or os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        return
    xvfb = shutil.which("xvfb-run")
    if not xvfb:
        sys.exit("No display: install xvfb (apt-get install -y xvfb) or set QT_QPA_PLATFORM.")
    args = [xvfb, "-a", "-s", f"-screen 0 {SIZE[0]}x{SIZE[1]}x24", sys.executable, *sys.argv]
    sys.exit(subprocess.call(args))


def _demo_home() -> None:
    if os.environ.get("SHOPDESK_HOME"):
        return
    home = Path(tempfile.mkdtemp(prefix="shopdesk-shots-"))
    os.environ["SHOPDESK_HOME"] = str(home)
    from shopdesk.cli import main as cli

    cli(["demo"])


def _settle(app, ms: int = 150) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    app.processEvents()


SCALE = float(os.environ.get("QT_SCALE_FACTOR") or 1)
SUFFIX = "" if SCALE == 1 else f"-{round(SCALE * 100)}"


def _save(widget, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}{SUFFIX}.png"
    widget.grab().save(str(path))
    print(path.relative_to(ROOT))


def _product_editor(window):
    from ui.dialogs.product_editor import ProductEditor

    page = window.workspace.open_page("products")
    row = page.model.row_at(0)
    return ProductEditor(window.ctx.session, row.product_id if row else None, window)


def _error_dialog(window):
    from shopdesk.errors import ValidationError
    from ui.errors import ErrorDialog

    exc = ValidationError(
        "Harga “15.00.0” tidak bisa dibaca. Tulis seperti 15000, 15.000 atau 15rb.",
        detail="ValidationError: parse_rupiah('15.00.0')",
    )
    dialog = ErrorDialog(exc.message, exc.detail, window)
    dialog.detail_button.setChecked(True)
    return dialog


def _prepare(session) -> None:
    """Data the pages show best with: a month of sales (through the core) and a backup."""
    import random
    from datetime import UTC, datetime, timedelta

    from shopdesk import backup, sales
    from shopdesk.catalog import search

    if len(sales.list_sales(session)) < 10:  # the demo may hold a sale or two of its own
        rows = [r for r in search.search(session, "", limit=40) if r.on_hand > 5]
        rng = random.Random(4)
        now = datetime.now(UTC)
        for day in range(29, -1, -1):
            for _sale in range(rng.randint(0, 3)):
                row = rng.choice(rows)
                at = now - timedelta(days=day, hours=rng.randint(0, 5))
                sales.record_sale(session, lines=[(row.sku, 1)], at=at, allow_negative=True)
    if not backup.list_backups(session):
        backup.backup_now(session)


def _operator_dialog(window):
    """The operator's dialog with a whole-PC backup made by hand (through the core)."""
    from shopdesk import backup, profiles
    from shopdesk.demo import OPERATOR_PASSWORD
    from ui.dialogs.operator import OperatorDialog

    op = profiles.operator_login(password=OPERATOR_PASSWORD)
    made = [(i.kind, i.reason) for _p, i in backup.list_backups(op) if hasattr(i, "kind")]
    if ("full", "manual") not in made:
        backup.backup_now(op)
    dialog = OperatorDialog(op, window.tasks, window)
    dialog.resize(1000, 680)
    return dialog


def _marketplace_ready(window) -> Path:
    """A Shopee template kept for the shop, one courier ticked (through the core); the
    template is built from its documented headers (tests/fixtures/marketplace)."""
    from shopdesk.export import marketplace
    from tests.export.marketplace_files import shopee_basic

    work = Path(tempfile.mkdtemp(prefix="shopdesk-shots-market-"))
    session = window.ctx.session
    if marketplace.template(session, "shopee") is None:
        path = shopee_basic(work / "Shopee_mass_upload_basic_template.xlsx")
        marketplace.set_template(session, target="shopee", path=path)
        marketplace.set_couriers(session, chosen=["Reguler (Cashless)", "Hemat Kargo"])
    return work


def _couriers_dialog(window):
    from ui.dialogs.marketplace import CouriersDialog

    _marketplace_ready(window)
    return CouriersDialog(window.ctx.session, window)


def _details_dialog(window):
    from ui.dialogs.marketplace import ProductDetailsDialog

    _marketplace_ready(window)
    return ProductDetailsDialog(window.ctx.session, window)


def _update_dialog(window):
    from shopdesk import catalog
    from tests.export.marketplace_files import shopee_sales_info
    from ui.dialogs.marketplace import StockUpdateDialog

    work = _marketplace_ready(window)
    variants = catalog.list_variants(window.ctx.session)[:6]
    rows = [
        (f"2233445{n}", v.product_name, 0, "", "", v.sku, v.price, 1)
        for n, v in enumerate(variants)
    ]
    rows.append(("9988776", "Listing lama", 0, "", "", "LAMA-01", 10000, 1))
    dialog = StockUpdateDialog(window.ctx.session, window)
    dialog.open_list(shopee_sales_info(work / "mass_update_sales_info.xlsx", rows))
    return dialog


DIALOGS: dict[str, Callable] = {
    "dialog-product-editor": _product_editor,
    "dialog-error": _error_dialog,
    "operator": _operator_dialog,
    "dialog-marketplace-couriers": _couriers_dialog,
    "dialog-marketplace-details": _details_dialog,
    "dialog-marketplace-update": _update_dialog,
}


def main(wanted: list[str]) -> int:
    _reexec_under_xvfb()
    _demo_home()
    from PySide6.QtWidgets import QApplication

    from shopdesk import opener
    from ui import errors
    from ui.app import install_language, make_application
    from ui.main_window import MainWindow

    app = make_application([sys.argv[0]])
    install_language("id")
    opener.open_data()
    errors.set_modal(False)
    window = MainWindow()
    window.resize(round(SIZE[0] / SCALE), round(SIZE[1] / SCALE))  # the whole 1366x768 screen
    window.show_start()
    window.show()
    _settle(app)

    def want(name: str) -> bool:
        return not wanted or any(w in name for w in wanted)

    if want("start"):
        _save(window, "01-start-picker")
        window.start.choose("kopi")
        window.start.pad.field.setText("12")
        _settle(app)
        _save(window, "02-start-pin")
        window.start.pad.show_message("PIN salah.")
        _settle(app)
    window.start.choose("kopi")
    window.start.try_login("123456")
    _settle(app)
    _prepare(window.ctx.session)
    window.ctx.notify("sales", "stock", "backups")
    for number, spec in enumerate(window.workspace.specs, start=3):
        name = f"{number:02d}-page-{spec.key}"
        if want(name):
            window.workspace.open_page(spec.key)
            _settle(app, 100)
            window.tasks.wait(30000)  # figures read in the background
            _settle(app, 300)
            _save(window, name)
    for name, make in DIALOGS.items():
        if want(name):
            dialog = make(window)
            dialog.show()
            _settle(app, 300)
            _save(dialog, name)
            dialog.close()
    if want("wizard"):
        _wizard_shot(app)
    window.close()
    QApplication.processEvents()
    return 0


def _wizard_shot(app) -> None:
    from ui.wizard import FirstRunWizard

    wizard = FirstRunWizard()
    wizard.show()
    wizard.password.setText("rahasia-operator")
    wizard.password2.setText("rahasia-operator")
    wizard.next()
    wizard.seller_form.display_name.setText("Sri Wahyuni")
    wizard.seller_form.login.setText("sri")
    wizard.seller_form.pin.setText("135790")
    wizard.seller_form.pin2.setText("135790")
    _settle(app)
    _save(wizard, "20-first-run-wizard-seller")
    wizard.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
