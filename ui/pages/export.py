"""Ekspor: listing bundles for the marketplaces, written to a folder or a USB stick.

The same core calls as ``shopdesk export``: ``service.check_export`` (photos into
the cache, validation per target) and ``service.export_for_seller`` (write,
read back, rename, mark the outbox). The page then verifies the bundle under
its final name once more (``manifest.verify``) and only then says it is safe
to remove the stick.

Cancel works through the core's progress hook: the next report raises
``Cancelled``, the core drops its temporary bundle, and the outbox is only
marked after a whole bundle got its name, so a cancelled export leaves nothing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from shopdesk import drives
from shopdesk.errors import ShopDeskError
from shopdesk.export import marketplace, service
from shopdesk.export.bundle import ExportOptions, set_url
from shopdesk.export.manifest import verify
from shopdesk.export.validate import ERROR, TARGET_LABELS, TARGETS
from shopdesk.i18n import N_, _
from ui.context import AppContext
from ui.dialogs.marketplace import CouriersDialog, ProductDetailsDialog, StockUpdateDialog
from ui.pages.base import Page
from ui.widgets.drives import fill_stick_menu
from ui.widgets.feedback import FeedbackLabel, cell, heading, make_table
from ui.widgets.files import choose_folder, choose_open_file
from ui.widgets.task_bar import TaskBar, run_owned

DEFAULT_TARGETS = ("shopee", "meta", "generic")
SAFE_STYLE = (
    "QFrame#safeBanner { background: #e6f1ea; border: 2px solid #2f6f4f; border-radius: 8px; }"
)
WARN_COLOR = QColor("#8a4500")
ERROR_COLOR = QColor("#b3261e")


class SafeBanner(QFrame):
    """The big green banner, shown only for a bundle verified under its name: "Aman dicabut"
    on a removable drive, "Bundel siap" on the PC's own disk (nothing to pull out there)."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("safeBanner")
        self.setStyleSheet(SAFE_STYLE)
        self.title = QLabel()
        self.title.setObjectName("safeTitle")
        self.title.setStyleSheet("font-size: 15pt; font-weight: bold; color: #1f6f3f;")
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        icon = QLabel()
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton).pixmap(32, 32)
        )
        text = QVBoxLayout()
        text.addWidget(self.title)
        text.addWidget(self.detail)
        layout = QHBoxLayout(self)
        layout.addWidget(icon)
        layout.addLayout(text, 1)
        self.setVisible(False)

    def show_written(self, path: Path, files: int, removable: bool) -> None:
        if removable:
            self.title.setText(_("Safe to remove"))
            text = _(
                "The bundle was written and checked file by file ({files} files). "
                "You can remove the stick now.\n{path}"
            )
        else:
            self.title.setText(_("Bundle ready"))
            text = _("The bundle was written and checked file by file ({files} files).\n{path}")
        self.detail.setText(text.format(files=files, path=path))
        self.setVisible(True)


def folder_problem(folder: Path) -> str:
    """Why a typed destination cannot take a bundle ("" when it can). A relative path
    would land in whatever folder the program was started from."""
    if not folder.is_absolute():
        return _("Type the whole path of the folder, such as {example}, or choose one.").format(
            example=Path.home() / "Documents"
        )
    if not folder.is_dir():
        return _("There is no folder {path}. Type an existing folder, or choose one.").format(
            path=folder
        )
    return ""


class ExportPage(Page):
    title = N_("Export")
    refresh_on = ("products", "exports", "settings", "shop", "stock")
    product_requested = Signal(int)  # a product that needs fixing; the shell opens its editor

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.folder: Path | None = None
        self.result = None
        self.product_requested.connect(lambda pid: self.ctx.navigate("products", pid))

        self.targets: dict[str, QCheckBox] = {}
        self.waiting: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        for i, target in enumerate(TARGETS):
            box = QCheckBox(TARGET_LABELS[target].split(" (")[0])  # "Meta", full in tooltip
            box.setToolTip(TARGET_LABELS[target])
            box.setChecked(target in DEFAULT_TARGETS)
            box.toggled.connect(self._targets_changed)
            count = QLabel()
            count.setStyleSheet("color: #4a5a50;")
            self.targets[target] = box
            self.waiting[target] = count
            row, col = i % 3, (i // 3) * 2
            grid.addWidget(box, row, col)
            grid.addWidget(count, row, col + 1)
        grid.setColumnStretch(6, 1)
        self.changed_only = QCheckBox(_("Only listings changed since the last bundle"))
        self.changed_only.setChecked(True)
        self.as_zip = QCheckBox(_("One .zip file"))
        self.base_url = QLineEdit()
        self.base_url.setPlaceholderText(_("https://… where the bundle folder will be online"))
        self.base_url.setToolTip(
            _("The sheets link to the photos under this address. Upload the bundle folder there.")
        )
        self.base_url_button = QPushButton(_("Save address"))
        self.base_url_button.clicked.connect(self.save_base_url)
        self.fill_links_button = QPushButton(_("Fill links in a bundle…"))
        self.fill_links_button.setToolTip(
            _("Put this address into a bundle written before, without exporting again")
        )
        self.fill_links_button.clicked.connect(self.fill_links)
        self.template_buttons = {t: QPushButton() for t in marketplace.UPLOAD_TARGETS}
        for target, button in self.template_buttons.items():
            button.clicked.connect(lambda _c=False, t=target: self.choose_template(t))
        self.couriers_button = QPushButton(_("Couriers…"))
        self.couriers_button.clicked.connect(self.open_couriers)
        self.details_button = QPushButton(_("Product details…"))
        self.details_button.setToolTip(
            _("Produk Berbahaya, pre-order days and category codes per product")
        )
        self.details_button.clicked.connect(self.open_details)
        self.update_button = QPushButton(_("Stock and prices…"))
        self.update_button.setToolTip(
            _("Bring in the marketplace's product list, write its mass-update file")
        )
        self.update_button.clicked.connect(self.open_stock_update)

        self.issues = make_table(
            [_("Level"), _("Target"), _("Product"), _("What to fix")], stretch=3
        )
        header = self.issues.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.issues.setColumnWidth(1, 230)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.issues.setWordWrap(True)
        self.issues.itemDoubleClicked.connect(lambda _item: self.open_selected())
        self.issues.itemSelectionChanged.connect(self._selection)
        self.issue_summary = QLabel(_("Press “Check first” to see what each marketplace refuses."))
        self.issue_summary.setWordWrap(True)
        self.open_button = QPushButton(_("Open the product to fix it"))
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_selected)

        self.folder_field = QLineEdit()
        self.folder_field.setPlaceholderText(_("Type a folder, or choose a folder or a USB stick"))
        self.folder_field.textChanged.connect(self._typed_folder)
        self.folder_button = QPushButton(_("Choose folder or stick…"))
        self.folder_button.clicked.connect(self.choose_output)
        self.stick_button = QPushButton()
        self.stick_button.setText(_("USB stick"))
        self.stick_button.setToolTip(_("Sticks plugged into this PC"))
        self.stick_menu = QMenu(self.stick_button)
        self.stick_menu.aboutToShow.connect(self._fill_sticks)
        self.stick_button.setMenu(self.stick_menu)
        self.check_button = QPushButton(_("Check first"))
        self.check_button.clicked.connect(self.check)
        self.export_button = QPushButton(_("Export (Ctrl+E)"))
        self.export_button.setProperty("primary", True)
        self.export_button.setShortcut(QKeySequence("Ctrl+E"))
        self.export_button.clicked.connect(self.export)
        self.bar = TaskBar()
        self.banner = SafeBanner()
        self.feedback = FeedbackLabel()
        self._layout(grid)

    def _layout(self, grid: QGridLayout) -> None:
        options = QHBoxLayout()
        options.addWidget(self.changed_only)
        options.addWidget(self.as_zip)
        options.addStretch(1)
        for button in self.template_buttons.values():  # here: one row of six was too wide
            options.addWidget(button)  # for 1366x768 at 125 %
        market = QHBoxLayout()
        market.addWidget(self.couriers_button)
        market.addWidget(self.details_button)
        market.addWidget(self.update_button)
        market.addStretch(1)
        photos = QHBoxLayout()
        photos.addWidget(QLabel(_("Photo address")))
        photos.addWidget(self.base_url, 1)
        photos.addWidget(self.base_url_button)
        photos.addWidget(self.fill_links_button)
        issues_head = QHBoxLayout()
        issues_head.addWidget(heading(_("Check before writing")))
        issues_head.addWidget(self.issue_summary, 1)
        issues_head.addWidget(self.open_button)
        folder = QHBoxLayout()
        folder.addWidget(QLabel(_("Write to")))
        folder.addWidget(self.folder_field, 1)
        folder.addWidget(self.stick_button)
        folder.addWidget(self.folder_button)
        actions = QHBoxLayout()
        actions.addWidget(self.feedback, 1)
        actions.addWidget(self.check_button)
        actions.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(heading(_("Targets (listings waiting)")))
        layout.addLayout(grid)
        layout.addLayout(options)
        layout.addLayout(market)
        layout.addLayout(photos)
        layout.addLayout(issues_head)
        self.issues.setMinimumHeight(110)  # the page fits 1366x768 at 125 %
        layout.addWidget(self.issues, 1)
        layout.addLayout(folder)
        layout.addWidget(self.bar)
        layout.addWidget(self.banner)
        layout.addLayout(actions)
        self.setTabOrder(self.targets[TARGETS[-1]], self.changed_only)
        self.setTabOrder(self.changed_only, self.as_zip)
        self.setTabOrder(self.as_zip, self.issues)
        self.setTabOrder(self.issues, self.open_button)
        self.setTabOrder(self.open_button, self.stick_button)
        self.setTabOrder(self.stick_button, self.folder_button)
        self.setTabOrder(self.folder_button, self.check_button)
        self.setTabOrder(self.check_button, self.export_button)

    def primary_widget(self) -> QWidget:
        return self.targets[TARGETS[0]]

    # --- reading ------------------------------------------------------------------

    def refresh(self) -> None:
        for count in service.waiting_counts(self.ctx.session):
            label = self.waiting[count.target]
            label.setText(_("{waiting} waiting").format(waiting=count.waiting))
            label.setToolTip(
                _("{waiting} of {total} waiting").format(waiting=count.waiting, total=count.total)
            )
        self.base_url.setText(marketplace.base_url(self.ctx.session))
        self._show_templates()
        self._buttons()

    def _show_templates(self) -> None:
        for target, button in self.template_buttons.items():
            saved = marketplace.template(self.ctx.session, target)
            name = marketplace.TARGET_NAMES[target].split(" /")[0]
            button.setText(
                _("{target} template ✓").format(target=name)
                if saved
                else _("{target} template…").format(target=name)
            )
            button.setToolTip(
                _("Kept for this shop: {file}. Click to choose another.").format(
                    file=saved.filename
                )
                if saved
                else _("The mass-upload template downloaded from the seller centre")
            )
        info = marketplace.template_info(self.ctx.session, "shopee")
        active = [c.name for c in info.couriers if c.active] if info else []
        self.couriers_button.setEnabled(bool(info and info.couriers))
        self.couriers_button.setToolTip(
            _("Written Aktif for Shopee: {names}").format(names=", ".join(active))
            if active
            else _("Choose your Shopee template first: the couriers are its columns.")
            if not (info and info.couriers)
            else _("No courier chosen yet: Shopee refuses products without one.")
        )
        self.couriers_button.setText(
            _("Couriers ({count})").format(count=len(active)) if active else _("Couriers…")
        )

    def chosen_targets(self) -> tuple[str, ...]:
        return tuple(t for t, box in self.targets.items() if box.isChecked())

    def options(self) -> ExportOptions:
        return ExportOptions(
            targets=self.chosen_targets(),
            as_zip=self.as_zip.isChecked(),
        )

    def _targets_changed(self) -> None:
        self.banner.setVisible(False)
        self._buttons()

    def _buttons(self) -> None:
        idle = not self.bar.busy
        any_target = bool(self.chosen_targets())
        self.check_button.setEnabled(idle and any_target)
        self.export_button.setEnabled(idle and any_target and self.folder is not None)
        self.folder_button.setEnabled(idle)

    # --- choices ----------------------------------------------------------------------

    def choose_output(self) -> None:
        folder = choose_folder(self, "export", _("Choose the folder or USB stick for the bundle"))
        if folder is not None:
            self.set_folder(folder)

    def _fill_sticks(self) -> None:
        fill_stick_menu(self.stick_menu, self.set_folder)

    def set_folder(self, folder: Path) -> None:
        self.folder_field.setText(str(folder))

    def _typed_folder(self, text: str) -> None:
        text = text.strip()
        self.folder = Path(text).expanduser() if text else None
        self.banner.setVisible(False)
        self._buttons()

    def choose_template(self, target: str) -> None:
        chosen = choose_open_file(
            self,
            "templates",
            _("Choose the {target} template").format(target=TARGET_LABELS[target]),
            _("Excel files (*.xlsx)"),
        )
        if chosen is not None:
            self.set_template(target, chosen)

    def set_template(self, target: str, path: Path) -> None:
        """Keep the seller's template for this shop (a copy: the stick may go)."""
        try:
            info = marketplace.set_template(self.ctx.session, target=target, path=path)
        except ShopDeskError as exc:
            self.feedback.error(exc.message)
            return
        self._show_templates()
        note = _("{file} is kept for this shop: every bundle fills it.").format(file=info.filename)
        if info.couriers and not any(c.active for c in info.couriers):
            note += " " + _("Now choose its couriers (Couriers…).")
        self.feedback.note(note)

    def open_couriers(self) -> None:
        if CouriersDialog(self.ctx.session, self).exec():
            self._show_templates()

    def open_details(self) -> None:
        if ProductDetailsDialog(self.ctx.session, self).exec():
            self.ctx.notify("products")

    def open_stock_update(self) -> None:
        StockUpdateDialog(self.ctx.session, self).exec()

    def save_base_url(self) -> bool:
        try:
            url = marketplace.set_base_url(self.ctx.session, self.base_url.text())
        except ShopDeskError as exc:
            self.feedback.error(exc.message)
            return False
        self.base_url.setText(url)
        self.feedback.note(
            _("Photo links now start with {url}.").format(url=url)
            if url
            else _("No photo address: the link columns stay empty.")
        )
        return True

    def fill_links(self) -> None:
        if not self.save_base_url() or not self.base_url.text():
            return
        bundle = choose_folder(self, "export", _("Choose the bundle folder to fill"))
        if bundle is not None:
            self.fill_links_in(bundle)

    def fill_links_in(self, bundle: Path) -> None:
        try:
            result = set_url(bundle, self.base_url.text())
        except ShopDeskError as exc:
            self.feedback.error(exc.message)
            return
        self.feedback.note(
            _("The links of {path} now start with {url}.").format(
                path=result.path, url=result.manifest["base_url"]
            )
        )

    # --- the list of problems ------------------------------------------------------------

    def show_issues(self, issues) -> None:
        """One row per product and message; the targets it concerns in one cell."""
        grouped: dict[tuple, list[str]] = {}
        first: dict[tuple, object] = {}
        for issue in issues:
            key = (issue.product_id or 0, issue.sku, issue.name, issue.level, issue.message)
            grouped.setdefault(key, []).append(TARGET_LABELS.get(issue.target, issue.target))
            first.setdefault(key, issue)
        keys = sorted(grouped, key=lambda k: (k[3] != ERROR, k[0], k[4]))
        self.issues.setRowCount(len(keys))
        for r, key in enumerate(keys):
            issue = first[key]
            level = cell(_("must fix") if issue.level == ERROR else _("note"), data=issue)
            level.setForeground(ERROR_COLOR if issue.level == ERROR else WARN_COLOR)
            self.issues.setItem(r, 0, level)
            self.issues.setItem(r, 1, cell(", ".join(dict.fromkeys(grouped[key]))))
            who = f"{issue.name} ({issue.sku})" if issue.sku else issue.name
            self.issues.setItem(r, 2, cell(who or _("all products")))
            self.issues.setItem(r, 3, cell(issue.message))
        self.issues.resizeRowsToContents()
        errors = sum(1 for k in keys if k[3] == ERROR)
        self.issue_summary.setText(
            _(
                "{errors} to fix (those products are left out of that target), {notes} notes."
            ).format(errors=errors, notes=len(keys) - errors)
            if keys
            else _("No problems found.")
        )
        self._selection()

    def selected_product(self) -> int | None:
        row = self.issues.currentRow()
        item = self.issues.item(row, 0) if row >= 0 else None
        issue = item.data(Qt.ItemDataRole.UserRole) if item else None
        return issue.product_id if issue else None

    def _selection(self) -> None:
        self.open_button.setEnabled(self.selected_product() is not None)

    def open_selected(self) -> None:
        product_id = self.selected_product()
        if product_id is not None:
            self.product_requested.emit(product_id)

    # --- work ---------------------------------------------------------------------------

    def _start(self, work, text: str, on_done) -> None:
        self.banner.setVisible(False)
        self.feedback.note("")

        def cancelled() -> None:
            self.feedback.note(_("Cancelled. Nothing was written and nothing was marked."))

        task = run_owned(self.ctx, self, work, on_done=on_done, on_cancelled=cancelled)
        self.bar.attach(task, text)
        task.finished.connect(self._buttons)
        self._buttons()

    def check(self) -> None:
        session, options, changed = self.ctx.session, self.options(), self.changed_only.isChecked()

        def work(ctl):
            ctl.progress(0, 0, _("Preparing photos and checking every target…"))
            return service.check_export(session, options=options, changed_only=changed)

        def done(prepared) -> None:
            self.show_issues(prepared.issues)
            counts = ", ".join(
                _("{target}: {count}").format(target=TARGET_LABELS[t], count=len(v))
                for t, v in prepared.included.items()
            )
            self.feedback.note(_("Ready to write — {counts}.").format(counts=counts))

        self._start(work, _("Checking…"), done)

    def export(self) -> None:
        if self.folder is None:
            self.choose_output()
            if self.folder is None:
                return
        problem = folder_problem(self.folder)
        if problem:
            self.feedback.error(problem)
            self.folder_field.setFocus()
            return
        session, options, changed = self.ctx.session, self.options(), self.changed_only.isChecked()
        folder = self.folder
        stages = {
            "photos": (0, 80, _("Preparing photos… {done} of {total}")),
            "writing": (80, 90, _("Writing the bundle…")),
            "verifying": (90, 96, _("Reading the bundle back…")),
        }

        def work(ctl):
            def progress(stage: str, done: int, total: int) -> None:
                ctl.check()  # Cancel stops here; a bundle cut short never gets its name
                low, high, text = stages.get(stage, (0, 96, ""))
                share = done / total if total else 0
                ctl.progress(
                    low + int((high - low) * share), 100, text.format(done=done, total=total)
                )

            ctl.progress(0, 100, _("Preparing photos and checking every target…"))
            result = service.export_for_seller(
                session, out_dir=folder, options=options, changed_only=changed, progress=progress
            )
            ctl.progress(97, 100, _("Verifying the bundle on the stick…"))
            return result, verify(result.path), drives.is_removable(folder)

        self._start(work, _("Exporting…"), self._exported)

    def _exported(self, outcome) -> None:
        result, report, removable = outcome
        self.result = result
        self.show_issues(result.issues)
        self.ctx.notify("exports")
        if not report.ok:
            names = ", ".join(p.path for p in report.problems if p.kind != "unexpected")
            self.feedback.error(
                _(
                    "The bundle on the stick does not match what was written ({names}). "
                    "Do not remove the stick yet: export again."
                ).format(names=names)
            )
            return
        counts = ", ".join(
            _("{target}: {count}").format(target=TARGET_LABELS[t], count=n)
            for t, n in result.included.items()
        )
        self.banner.show_written(result.path, report.checked, removable)
        self.feedback.ok(_("Export finished: {counts}.").format(counts=counts))


__all__ = ["ExportPage"]
