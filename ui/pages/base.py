"""The base class of every page in the main window.

Contract:

- Build with ``Page(ctx)``; ``ctx`` is the ``ui.context.AppContext`` (session, tasks,
  ``changed`` signal, ``show_error``, ``navigate``). Keep it as ``self.ctx``.
- Class attributes:
    ``title``: English id of the sidebar and window title, marked with ``N_`` (the shell
      translates it with ``_`` at use);
    ``icon``: file name under ``resources/icons/`` (``.svg`` or ``.png``), optional;
    ``refresh_on``: the ``ctx.changed`` topics after which this page must re-read its data.
- ``refresh()``: re-read what the page shows from the core. The base class calls it when the
  page is first shown and, after a relevant ``changed`` topic, right away if the page is
  visible or else the next time it is shown. Keep it fast; use ``ctx.run`` for slow reads.
- ``show_item(item)``: optional; ``ctx.navigate(key, item)`` lands here (a product id...).
- ``primary_widget()``: optional; the widget that takes the keyboard focus when the page is
  opened (the scan/search field on most pages), so a barcode scan works right away.
- A page never starts threads itself, never keeps peewee objects, and holds no business rules.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from shopdesk.i18n import N_, _
from ui.context import AppContext


class Page(QWidget):
    title: str = N_("Page")
    icon: str = ""
    refresh_on: tuple[str, ...] = ()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._stale = True
        ctx.changed.connect(self._on_changed)

    def page_title(self) -> str:
        return _(self.title)

    def heightForWidth(self, width: int) -> int:  # Qt name
        """The least height at ``width``: the page's scroll area (ui.workspace.page_scroll)
        sizes a page with word-wrapped text by this, and Qt's answer is the preferred height,
        which made a page that fits scroll (the Ekspor page at 125 %)."""
        layout = self.layout()
        if layout is None or not layout.hasHeightForWidth():
            return super().heightForWidth(width)
        return layout.totalMinimumHeightForWidth(width)

    def refresh(self) -> None:
        """Re-read the shown data from the core (override)."""

    def show_item(self, item: object) -> None:
        """Open one item (a product id, a batch...) sent by ``ctx.navigate`` (override)."""

    def primary_widget(self) -> QWidget | None:
        return None

    def mark_stale(self) -> None:
        self._stale = True
        if self.isVisible():
            self._refresh_now()

    def _on_changed(self, topics: tuple[str, ...]) -> None:
        if any(topic in self.refresh_on for topic in topics):
            self.mark_stale()

    def _refresh_now(self) -> None:
        self._stale = False
        try:
            self.refresh()
        except Exception as exc:  # a failed read shows a message, never a traceback
            self.ctx.show_error(exc, self)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self._refresh_now()
