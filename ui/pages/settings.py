"""Pengaturan: shop details, language, idle lock (operator), label paper and calibration,
base URL for listings. Every value is checked and saved by the core."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from shopdesk import profiles, server_link, settings
from shopdesk.errors import ShopDeskError
from shopdesk.i18n import N_, _
from ui.context import AppContext
from ui.dialogs.server_tab import place_text
from ui.pages.base import Page
from ui.start import initials_pixmap, logo_pixmap
from ui.widgets.files import GLABELS, IMAGES, choose_open_file, choose_save_pdf

LANGUAGES = (("id", "Bahasa Indonesia"), ("en", "English"))
# The shop field behind a label field (shopdesk.labels.notices.FIELD_OWNERS: SHOP).
SHOP_FIELD_OF_LABEL = {
    "producer_name": "name",
    "producer_address": "address",
    "halal": "halal_cert_number",
    "pirt": "pirt_number",
}


class SettingsPage(Page):
    title = N_("Settings")
    refresh_on = ("settings", "shop")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        body = QWidget()
        columns = QBoxLayout(QBoxLayout.Direction.LeftToRight, body)
        self.columns = columns
        columns.setContentsMargins(0, 0, 8, 0)
        left = QVBoxLayout()
        right = QVBoxLayout()
        left.addWidget(self._shop_box())
        left.addStretch(1)
        right.addWidget(self._app_box())
        right.addWidget(self._labels_box())
        right.addWidget(self._listing_box())
        right.addStretch(1)
        columns.addLayout(left, 1)
        columns.addSpacing(12)
        columns.addLayout(right, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        self.message = QLabel()
        self.message.setObjectName("subtitle")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)

    def show_item(self, item: object) -> None:
        """``navigate("settings", field)``: the cursor in that shop field (the Label page
        sends a seller here for a label's producer, address or halal number)."""
        key = SHOP_FIELD_OF_LABEL.get(str(item), str(item))
        field = self.shop_fields.get(key)
        if field is not None:
            field.setFocus()
            field.selectAll()

    def resizeEvent(self, event) -> None:
        """Two columns on a wide window; one under the other when the text is large."""
        super().resizeEvent(event)
        wide = self.width() >= 70 * self.fontMetrics().averageCharWidth() * 2
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self.columns.direction() != direction:
            self.columns.setDirection(direction)

    # --- boxes -----------------------------------------------------------

    def _shop_box(self) -> QGroupBox:
        box = QGroupBox(_("Shop"))
        self.shop_fields: dict[str, QLineEdit] = {}
        form = QFormLayout(box)
        self.logo = QLabel()
        logo_button = QPushButton(_("Change logo…"))
        logo_button.clicked.connect(self.choose_logo)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo)
        logo_row.addWidget(logo_button)
        logo_row.addStretch(1)
        form.addRow(_("Logo"), logo_row)
        labels = {
            "name": _("Shop name"),
            "owner_name": _("Owner"),
            "whatsapp": _("WhatsApp number"),
            "address": _("Address"),
            "village": _("Village"),
            "district": _("District"),
            "pirt_number": _("P-IRT No."),
            "halal_cert_number": _("Halal certificate"),
        }
        for key, label in labels.items():
            field = QLineEdit()
            self.shop_fields[key] = field
            form.addRow(label, field)
        self.timezone = QComboBox()
        for zone in ("WIB", "WITA", "WIT"):
            self.timezone.addItem(zone, zone)
        form.addRow(_("Time zone"), self.timezone)
        save = QPushButton(_("Save shop details"))
        save.setProperty("primary", True)
        save.clicked.connect(self.save_shop)
        form.addRow(save)
        self.save_shop_button = save
        return box

    def _app_box(self) -> QGroupBox:
        box = QGroupBox(_("This PC"))
        self.language = QComboBox()
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.language.activated.connect(self.change_language)
        self.idle = QDoubleSpinBox()
        self.idle.setDecimals(0)
        self.idle.setRange(1, 240)
        self.idle.setSuffix(" " + _("minutes"))
        idle_save = QPushButton(_("Save (operator)"))
        idle_save.clicked.connect(self.save_idle)
        idle_row = QHBoxLayout()
        idle_row.addWidget(self.idle)
        idle_row.addWidget(idle_save)
        add_seller = QPushButton(_("Add a seller (operator)…"))
        add_seller.clicked.connect(self.add_seller)
        form = QFormLayout(box)
        self.data_place = QLabel(place_text(server_link.where()))
        self.data_place.setWordWrap(True)
        form.addRow(_("Data lives"), self.data_place)
        form.addRow(_("My language"), self.language)
        form.addRow(_("Lock when nobody works for"), idle_row)
        form.addRow(add_seller)
        return box

    def _labels_box(self) -> QGroupBox:
        box = QGroupBox(_("Labels"))
        self.paper = QComboBox()
        self.paper.activated.connect(self._paper_changed)
        self.printer = QLineEdit()
        self.printer.setPlaceholderText(_("empty: the default printer"))
        self.offset_x = self._offset_box()
        self.offset_y = self._offset_box()
        save = QPushButton(_("Save label settings"))
        save.clicked.connect(self.save_labels)
        page = QPushButton(_("Calibration page as PDF…"))
        page.clicked.connect(self.save_calibration_page)
        self.glabels_button = QPushButton(_("Add papers from gLabels…"))
        self.glabels_button.setToolTip(
            _("A gLabels template or label file (compressed or not) with the paper you use")
        )
        self.glabels_button.clicked.connect(self.import_glabels)
        buttons = QHBoxLayout()
        buttons.addWidget(save)
        buttons.addWidget(page)
        form = QFormLayout(box)
        form.addRow(_("Label paper"), self.paper)
        form.addRow(_("Printer name"), self.printer)
        form.addRow(_("Move print right by"), self.offset_x)
        form.addRow(_("Move print down by"), self.offset_y)
        form.addRow(buttons)
        form.addRow(self.glabels_button)
        return box

    def _offset_box(self) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setRange(-20.0, 20.0)
        box.setDecimals(1)
        box.setSingleStep(0.5)
        box.setSuffix(" mm")
        return box

    def _listing_box(self) -> QGroupBox:
        box = QGroupBox(_("Online listings"))
        self.base_url = QLineEdit()
        self.base_url.setPlaceholderText("https://tokoku.example/foto/")
        save = QPushButton(_("Save"))
        save.clicked.connect(self.save_base_url)
        row = QHBoxLayout()
        row.addWidget(self.base_url, 1)
        row.addWidget(save)
        form = QFormLayout(box)
        form.addRow(_("Base URL of photos"), row)
        return box

    # --- reading ---------------------------------------------------------

    def refresh(self) -> None:
        s = self.ctx.session
        info = profiles.shop_info(s)
        for key, field in self.shop_fields.items():
            field.setText(getattr(info, key))
        self.timezone.setCurrentIndex(max(self.timezone.findData(info.timezone), 0))
        self.logo.setPixmap(logo_pixmap(info.logo, 48) or initials_pixmap(info.name, 48))
        self.language.setCurrentIndex(max(self.language.findData(s.language), 0))
        self.idle.setValue(float(settings.get(None, "idle_lock_minutes") or 5))
        self.paper.clear()
        for paper_id, name in _papers():
            self.paper.addItem(name, paper_id)
        current = settings.get(s, "label_paper")
        self.paper.setCurrentIndex(max(self.paper.findData(current), 0))
        self.printer.setText(settings.get(s, "label_printer") or "")
        self._load_offset()
        self.base_url.setText(settings.get(s, "listing_base_url") or "")

    def _load_offset(self) -> None:
        from shopdesk.labels.calibration import DEFAULT_PRINTER, CalibrationStore
        from shopdesk.labels.service import labels_dir

        try:
            offset = CalibrationStore(labels_dir()).get(
                self.paper.currentData() or "", self.printer.text().strip() or DEFAULT_PRINTER
            )
        except ShopDeskError as exc:
            self.message.setText(exc.message)
            return
        self.offset_x.setValue(offset.x_mm)
        self.offset_y.setValue(offset.y_mm)

    def _paper_changed(self, _index: int) -> None:
        self._load_offset()

    # --- saving ----------------------------------------------------------

    def _done(self, text: str) -> None:
        self.message.setText(text)

    def save_shop(self) -> None:
        fields = {key: field.text() for key, field in self.shop_fields.items()}
        fields["timezone"] = self.timezone.currentData()
        try:
            info = profiles.update_shop(self.ctx.session, **fields)
        except ShopDeskError as exc:
            self.ctx.show_error(exc, self)
            return
        self.ctx.session = replace(self.ctx.session, shop_name=info.name, timezone=info.timezone)
        self.ctx.notify("shop")
        self._done(_("Shop details saved."))

    def import_glabels(self) -> None:
        """The papers of a gLabels file become the seller's own (``labels import-glabels``)."""
        from shopdesk.labels.glabels import import_file
        from shopdesk.labels.service import user_papers_dir

        path = choose_open_file(self, "glabels", _("Add papers from gLabels"), _(GLABELS))
        if path is None:
            return
        try:
            result = import_file(path, user_papers_dir())
        except ShopDeskError as exc:
            self.ctx.show_error(exc, self)
            return
        self.ctx.notify("settings")  # the Label page lists the new papers
        names = ", ".join(p.name for p in result.papers[:3])
        self._done(
            _("{count} label papers added, such as {names}. Choose one under Label paper.").format(
                count=len(result.papers), names=names
            )
        )

    def choose_logo(self) -> None:
        path = choose_open_file(self, "logo", _("Choose logo"), _(IMAGES))
        if path is None:
            return
        try:
            profiles.set_shop_logo(self.ctx.session, image_path=path)
        except ShopDeskError as exc:
            self.ctx.show_error(exc, self)
            return
        self.ctx.notify("shop")

    def change_language(self, _index: int = 0) -> None:
        language = self.language.currentData()
        if language == self.ctx.session.language:
            return
        try:
            profiles.set_language(self.ctx.session, language=language)
        except ShopDeskError as exc:
            self.ctx.show_error(exc, self)
            return
        self.ctx.request_rebuild(replace(self.ctx.session, language=language))

    def save_idle(self) -> None:
        from ui.wizard import ask_operator

        op = ask_operator(self)
        if op is None:
            return
        try:
            settings.put(op, "idle_lock_minutes", int(self.idle.value()))
        except ShopDeskError as exc:
            self.ctx.show_error(exc, self)
            return
        self.ctx.notify("settings")
        self._done(
            _("ShopDesk now locks after {n} minutes without use.").format(n=int(self.idle.value()))
        )

    def add_seller(self) -> None:
        from ui.wizard import add_seller

        add_seller(self)

    def save_labels(self) -> None:
        from shopdesk.labels.calibration import DEFAULT_PRINTER, CalibrationStore, Offset
        from shopdesk.labels.service import labels_dir

        s = self.ctx.session
        printer = self.printer.text().strip()
        try:
            settings.put(s, "label_paper", self.paper.currentData())
            settings.put(s, "label_printer", printer)
            CalibrationStore(labels_dir()).set(
                self.paper.currentData(),
                printer or DEFAULT_PRINTER,
                Offset(self.offset_x.value(), self.offset_y.value()),
            )
        except ShopDeskError as exc:
            self.ctx.show_error(exc, self)
            return
        self.ctx.notify("settings")
        self._done(_("Label settings saved."))

    def save_calibration_page(self) -> None:
        from shopdesk.labels.calibration import Offset, render_calibration
        from shopdesk.labels.papers import get_paper
        from shopdesk.labels.service import user_papers_dir

        target = choose_save_pdf(self, "labels", "kalibrasi.pdf")
        if target is None:
            return
        paper_id = self.paper.currentData()
        offset = Offset(self.offset_x.value(), self.offset_y.value())

        def work(_ctl):
            return render_calibration(get_paper(paper_id, user_papers_dir()), target, offset)

        self.ctx.run(
            work,
            on_done=lambda _r: self._done(_("Calibration page saved: {path}").format(path=target)),
            parent=self,
        )

    def save_base_url(self) -> None:
        try:
            settings.put(self.ctx.session, "listing_base_url", self.base_url.text().strip())
        except ShopDeskError as exc:
            self.ctx.show_error(exc, self)
            return
        self.ctx.notify("settings")
        self._done(_("Base URL saved."))


def _papers() -> list[tuple[str, str]]:
    """The shipped papers and the seller's own (gLabels imports, added papers)."""
    from shopdesk.labels.papers import list_papers
    from shopdesk.labels.service import user_papers_dir

    try:
        return [(p.id, p.name) for p in list_papers(user_papers_dir())]
    except ShopDeskError:  # a broken paper file must not close the page
        from ui.wizard import paper_choices

        return paper_choices()
