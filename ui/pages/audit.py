"""Aktivitas: the shop's activity log (sales, stock, imports, exports, logins...), read-only."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from shopdesk.clock import local_today
from shopdesk.i18n import N_, _
from ui.context import TOPICS, AppContext
from ui.pages.base import Page
from ui.widgets.audit_view import AuditView
from ui.widgets.feedback import note_label


class AuditPage(Page):
    title = N_("Activity")
    refresh_on = TOPICS  # every write leaves an entry

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.view = AuditView(ctx.session, today=local_today(ctx.session.timezone))
        layout = QVBoxLayout(self)
        layout.addWidget(
            note_label(
                _(
                    "Everything done in this shop, newest first: sales, stock, imports, "
                    "exports, logins and backups. Nothing here can be changed."
                )
            )
        )
        layout.addWidget(self.view, 1)

    def refresh(self) -> None:
        self.view.reload()

    def primary_widget(self) -> QWidget:
        return self.view.action
