"""Start ShopDesk's window: ``shopdesk-gui`` or ``python -m ui.app``.

Order: QApplication, language, excepthook, single-instance lock, then the login window
first: its sellers are read from the file alone (``store.glance``), the window is painted,
and the data is opened right behind it (the same opening, checks and messages; a click
waits for it). Where the data must be opened first (a server, a new, foreign or older file,
no operator yet: the first-run wizard) it is opened before the window, as always. Then the
file check in the background and, later, a backup on open.

Flags:
  --self-test         open the window, log in as the demo seller (kopi / 123456), visit every
                      page and quit with status 0 (packaging smoke test; a brand-new data
                      folder gets the demo shop first).
  --startup-probe     print "startup-shown <seconds>" once the login window is shown, then
                      "startup-ready <seconds>" once the data is open behind it, and quit
                      (also SHOPDESK_STARTUP_PROBE=1); used by benchmarks/startup.py. A data
                      folder without an operator prints "startup-wizard ..." and quits with 4
                      instead of opening the first-run wizard (a benchmark would wait for ever).
  --lang id|en        language before any seller logs in (else the PC setting, else id).

Heavy modules (reportlab, openpyxl, PIL, the pages) are imported only when needed so the
login window comes up fast.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from dataclasses import dataclass

# The core modules of the login window come before PySide6: PySide6 reads the source of
# every module imported after it (its ``__feature__`` check, ~0.2 ms a module).
from shopdesk import APP_NAME, i18n, instance_lock, paths
from shopdesk.errors import ShopDeskError
from shopdesk.store import glance

# isort: split
from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication

from ui.language import install_language

_START = time.perf_counter()
DEMO_LOGIN, DEMO_PIN = "kopi", "123456"
BACKUP_DELAY_MS = 1500


def process_seconds() -> float:
    """Seconds since this process started (Linux: from /proc; else since this import)."""
    try:
        with open("/proc/self/stat") as handle:
            start_ticks = int(handle.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime") as handle:
            uptime = float(handle.read().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.perf_counter() - _START


def show_fatal(exc: ShopDeskError) -> None:
    """A failure before any window: the seller's message, the detail for a helper."""
    from ui.errors import show_error

    show_error(exc).setWindowTitle(APP_NAME)


def excepthook(kind, value, tb) -> None:
    """Uncaught exceptions: into the log, then a friendly dialog with copyable details."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, tb)
        return
    if _SELF_TEST or QApplication.instance() is None:
        from shopdesk.logging_setup import log_exception

        log_exception("uncaught", (kind, value, tb))
        traceback.print_exception(kind, value, tb)
        if _SELF_TEST:
            os._exit(1)
        return
    from ui.errors import show_error

    if value.__traceback__ is None:
        value = value.with_traceback(tb)
    show_error(value)  # logs anything that is not a ShopDeskError, with its traceback


_SELF_TEST = False


def open_database() -> bool:
    from shopdesk import opener

    try:
        opener.open_data(check_later=True)  # checked once the window is up: check_file
    except ShopDeskError as exc:
        show_fatal(exc)
        return False
    return True


def acquire_instance_lock():
    """One app per data folder: raises ``AlreadyRunningError`` with a clear message when
    another window has it; a stale lock after a crash is taken over by the OS lock."""
    return instance_lock.acquire()


def check_file(window, app: QApplication) -> None:
    """The file check left for after the window (its time grows with the shop): a
    damaged file gets the same message as before the window, and the app ends; no write
    happens before it (``store.transaction`` waits for the check)."""
    from shopdesk import store

    def damaged(exc: BaseException) -> None:
        if isinstance(exc, ShopDeskError):
            show_fatal(exc)
        window.close()  # waits for any other background work, as closing always does
        app.exit(2)

    window.tasks.start(lambda _ctl: store.verify_opened(), on_error=damaged)


def start_backup_on_open(window) -> None:
    from shopdesk import backup

    def failed(exc: BaseException) -> None:
        window.statusBar().showMessage(str(exc), 15000)

    window.tasks.start(lambda _ctl: backup.backup_on_open(), on_error=failed)


@dataclass
class Options:
    self_test: bool = False
    startup_probe: bool = False
    lang: str | None = None


def parse_args(argv: list[str]) -> Options:
    """The three flags, read by hand: argparse alone costs ~15 ms of start-up."""
    options = Options(startup_probe=os.environ.get("SHOPDESK_STARTUP_PROBE") == "1")
    for index, arg in enumerate(argv):
        if arg == "--self-test":
            options.self_test = True
        elif arg == "--startup-probe":
            options.startup_probe = True
        elif arg.startswith("--lang"):
            value = arg.split("=", 1)[1] if "=" in arg else next(iter(argv[index + 1 :]), "")
            options.lang = value if value in i18n.LANGUAGES else None
    return options


def make_application(argv: list[str]) -> QApplication:
    QApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    from ui.style import BASE_POINT_SIZE, STYLESHEET

    font = app.font()
    font.setPointSizeF(BASE_POINT_SIZE)
    app.setFont(font)
    app.setStyleSheet(STYLESHEET)
    return app


def main(argv: list[str] | None = None) -> int:
    with paths.private_files():  # what the app creates in the data folder is this account's
        return _main(argv)


def _main(argv: list[str] | None) -> int:
    global _SELF_TEST
    argv = list(sys.argv if argv is None else argv)
    args = parse_args(argv[1:])
    _SELF_TEST = args.self_test
    app = make_application(argv)
    install_language(args.lang)
    sys.excepthook = excepthook
    try:
        lock = acquire_instance_lock()  # before the database: a second window changes nothing
    except ShopDeskError as exc:
        show_fatal(exc)
        return 3
    try:
        early = glance_first()
        if early is None:  # the data opened before the window, as a new or changed file needs
            if not open_database():
                return 2
            from shopdesk import settings

            install_language(args.lang or settings.get(None, "language"))
        else:
            install_language(args.lang or early.language)
        return run_window(app, args, early)
    finally:
        lock.release()
        from shopdesk import store

        store.close_database()


def glance_first() -> glance.Glance | None:
    """The login window's sellers, read before the database is opened (``store.glance``),
    so that the window comes first; None when the data must be opened first (a server, a
    new, foreign or older file, no operator yet: the first-run wizard)."""
    found = glance.glance()
    return found if found is not None and found.operator else None


def run_window(app: QApplication, args: Options, early: glance.Glance | None = None) -> int:
    from ui.main_window import MainWindow

    if early is None:
        from shopdesk import profiles

        if args.self_test and not profiles.operator_exists():
            from shopdesk import demo

            for line in demo.seed():
                print(line)
    window = MainWindow()
    if early is not None:
        window.show_start(early.sellers)
    elif not profiles.operator_exists():
        if args.startup_probe:  # a benchmark waits for the login window: say it never comes
            print("startup-wizard: no operator, the first-run wizard opens instead", flush=True)
            return 4
        if not first_run(window):
            return 0
    else:
        window.show_start()
    window.show_with_saved_geometry()
    backup = QTimer(window)  # started once the data is open, so it never slows the start
    backup.setSingleShot(True)
    backup.timeout.connect(lambda: start_backup_on_open(window))
    QTimer.singleShot(0, lambda: after_first_paint(window, app, args, early, backup))
    code = app.exec()
    backup.stop()  # an app that ended early (a damaged file) starts no backup afterwards
    return code


def after_first_paint(window, app: QApplication, args: Options, early, backup: QTimer) -> None:
    """Once the login window is painted: the data opened behind it (when the window came
    first), the file check in the background, the backup on open later."""
    # the window's first paint; a click waits for the data (the picker's buttons need it)
    app.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    if args.startup_probe:
        print(f"startup-shown {process_seconds():.4f}", flush=True)
    if early is not None and not open_behind(window):
        window.close()
        app.exit(2)
        return
    check_file(window, app)
    backup.start(BACKUP_DELAY_MS)
    if args.startup_probe:  # ready for a PIN: the data is open
        print(f"startup-ready {process_seconds():.4f}", flush=True)
        app.exit(0)
    if args.self_test:
        QTimer.singleShot(0, lambda: self_test(window))


def open_behind(window) -> bool:
    """Open the data behind the login window: the same opening, checks and messages as
    before a window (a failure ends the app); then the picker as ``profiles`` lists the
    sellers, should a seller have changed since the plain read or a logo be only in the
    database so far."""
    if not open_database():
        return False
    from ui.start import current_seats

    start, picker = window.start, window.start.picker
    if window.stack.currentWidget() is start and (
        picker.logos_missing or picker.shown != current_seats()
    ):
        window.show_start()
    return True


def first_run(window) -> bool:
    from ui.wizard import FirstRunWizard

    wizard = FirstRunWizard()
    if wizard.exec() != FirstRunWizard.DialogCode.Accepted or wizard.session is None:
        return False
    window.show_start()
    window.open_session(wizard.session)
    return True


def self_test(window) -> None:
    """Log in as the demo seller through the real start screen, open every page, quit 0."""
    from ui import errors

    app = QApplication.instance()
    errors.set_modal(False)
    try:
        window.start.choose(DEMO_LOGIN)
        window.start.pad.field.setText(DEMO_PIN)
        window.start.pad.submitted.emit(DEMO_PIN)
        if window.workspace is None:
            raise RuntimeError(f"login failed: {window.start.pad.message.text()}")
        for spec in window.workspace.specs:
            window.workspace.open_page(spec.key)
            app.processEvents()
        window.lock()
        shown = errors.last_dialog()
        if shown is not None:
            raise RuntimeError(f"error dialog shown: {shown.message_label.text()}")
        print("self-test ok", flush=True)
        app.exit(0)
    except Exception:
        traceback.print_exc()
        app.exit(1)


if __name__ == "__main__":
    sys.exit(main())
