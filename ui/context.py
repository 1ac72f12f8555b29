"""The ``AppContext`` handed to every page: who is logged in, how to run work, what changed.

Contract for pages (``ui.pages.base.Page``):

- ``ctx.session``: the logged-in seller's ``shopdesk.profiles.Session``. Pass it as the first
  argument of every core service. A page lives for ONE session: when the seller locks the app
  or another seller logs in, the shell throws away every page and builds new ones with a new
  context, so a page never has to forget another seller's data.
- ``ctx.tasks``: the ``ui.tasks.TaskRunner``. Anything slow (PDFs, exports, imports,
  backups, big queries) goes through ``ctx.tasks.start(work, on_done=..., on_error=...,
  on_progress=...)``; callbacks come back on the GUI thread. Shortcut: ``ctx.run(...)``.
  While work runs the idle lock waits; "Ganti penjual" cancels it (its ``on_done`` is then
  not called, so no callback reaches a page that is gone).
- ``ctx.changed``: a signal carrying the tuple of topic strings of one ``notify`` (see
  ``TOPICS``). After a write, call ``ctx.notify("stock")`` (or several topics); every page
  whose ``refresh_on`` holds one of the topics refreshes once (when visible; otherwise when
  next shown).
- ``ctx.show_error(exc, parent)``: the one way to tell the seller something failed. A
  ``ShopDeskError`` shows its translated message; anything else is logged and shown as a
  friendly message. Both have a copyable "Detail" for a helper. Never show a traceback.
- ``ctx.navigate(page, item=None)``: ask the shell to open another page (keys in ``PAGES``),
  optionally with an item for that page's ``show_item(item)`` (for example the Ekspor page
  opens a product that needs fixing: ``ctx.navigate("products", product_id)``).
- ``ctx.request_rebuild(session)``: ask the shell to rebuild every page for an updated
  session (after the seller changed the language).
- ``ctx.activity()``: pages with their own long input loops may call it to keep the idle lock
  away; ordinary mouse and key events already count.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import QWidget

    from shopdesk.profiles import Session
    from ui.tasks import Task, TaskControl, TaskRunner

# What ``changed`` may carry. Pages listen to the ones they show.
TOPICS = (
    "products",  # products, variants, photos, categories, prices
    "stock",  # movements, batches, stocktakes
    "sales",  # sales and voids
    "debts",  # kasbon: debt entries, payments and their voids
    "customers",  # customers added or edited
    "labels",  # label jobs printed or saved
    "exports",  # listing bundles built or marked uploaded
    "backups",  # backups made or restored
    "settings",  # any business setting (idle time, label paper, base URL...)
    "shop",  # shop details, logo, language
)

# Page keys for ``navigate``, in sidebar order.
PAGES = (
    "home",
    "products",
    "stock",
    "sales",
    "orders",
    "debts",
    "labels",
    "export",
    "backups",
    "audit",
    "settings",
)


class AppContext(QObject):
    """Everything a page may use. Built by the shell for one logged-in seller."""

    changed = Signal(tuple)  # the topics of one ``notify``: a listener reacts once
    navigate_requested = Signal(str, object)
    activity_seen = Signal()
    rebuild_requested = Signal(object)

    def __init__(self, session: Session, tasks: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.tasks = tasks

    def notify(self, *topics: str) -> None:
        """Tell every page that data of these topics changed."""
        for topic in topics:
            if topic not in TOPICS:
                raise ValueError(f"unknown change topic {topic!r}; add it to TOPICS")
        self.changed.emit(topics)

    def run(
        self,
        work: Callable[[TaskControl], Any],
        *,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> Task:
        """Run ``work`` off the GUI thread; errors without ``on_error`` go to ``show_error``."""
        return self.tasks.start(
            work,
            on_done=on_done,
            on_error=on_error or (lambda exc: self.show_error(exc, parent)),
            on_progress=on_progress,
            on_cancelled=on_cancelled,
        )

    def show_error(self, exc: BaseException, parent: QWidget | None = None) -> None:
        from ui.errors import show_error

        show_error(exc, parent)

    def navigate(self, page: str, item: object = None) -> None:
        if page not in PAGES:
            raise ValueError(f"unknown page {page!r}")
        self.navigate_requested.emit(page, item)

    def request_rebuild(self, session: Session) -> None:
        self.rebuild_requested.emit(session)

    def activity(self) -> None:
        self.activity_seen.emit()
