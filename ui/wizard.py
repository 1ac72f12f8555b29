"""First run: operator password, first seller, shop details with logo, label paper.

Also the operator's "add a seller" dialog, which reuses the seller and shop forms.
Everything is validated and saved by ``shopdesk.profiles``; messages come from there.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from shopdesk import profiles, settings
from shopdesk.errors import ShopDeskError, ValidationError
from shopdesk.i18n import _
from ui.widgets.files import IMAGES, choose_open_file


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("errorText")
    label.setWordWrap(True)
    return label


def _password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class SellerForm(QWidget):
    """Name, short login name and PIN (twice)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.display_name = QLineEdit()
        self.display_name.setPlaceholderText(_("e.g. Sri Wahyuni"))
        self.login = QLineEdit()
        self.login.setPlaceholderText(_("e.g. sri (small letters, no spaces)"))
        self.pin = _password_field()
        self.pin.setPlaceholderText(_("at least 6 digits"))
        self.pin2 = _password_field()
        form = QFormLayout(self)
        form.addRow(_("Seller's name"), self.display_name)
        form.addRow(_("Short name for logging in"), self.login)
        form.addRow(_("PIN"), self.pin)
        form.addRow(_("PIN again"), self.pin2)
        self.display_name.textEdited.connect(self._suggest_login)

    def _suggest_login(self, text: str) -> None:
        if not self.login.isModified():
            first = text.strip().split(" ")[0].lower()
            self.login.setText("".join(ch for ch in first if ch.isalnum()))

    def check(self) -> None:
        if self.pin.text() != self.pin2.text():
            raise ValidationError(_("The two PINs are not the same. Type them again."))


class ShopForm(QWidget):
    """Shop details: name, owner, WhatsApp, address, time zone, logo."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shop_name = QLineEdit()
        self.shop_name.setPlaceholderText(_("e.g. Kopi Sindoro"))
        self.owner_name = QLineEdit()
        self.whatsapp = QLineEdit()
        self.whatsapp.setPlaceholderText("0812 3456 7890")
        self.address = QLineEdit()
        self.village = QLineEdit()
        self.district = QLineEdit()
        self.timezone = QComboBox()
        for zone in ("WIB", "WITA", "WIT"):
            self.timezone.addItem(zone, zone)
        self.logo_path = ""
        self.logo_button = QPushButton(_("Choose logo…"))
        self.logo_button.clicked.connect(self._choose_logo)
        self.logo_label = QLabel(_("No logo"))
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_button)
        logo_row.addWidget(self.logo_label, 1)
        form = QFormLayout(self)
        form.addRow(_("Shop name"), self.shop_name)
        form.addRow(_("Owner"), self.owner_name)
        form.addRow(_("WhatsApp number"), self.whatsapp)
        form.addRow(_("Address"), self.address)
        form.addRow(_("Village"), self.village)
        form.addRow(_("District"), self.district)
        form.addRow(_("Time zone"), self.timezone)
        form.addRow(_("Logo"), logo_row)

    def _choose_logo(self) -> None:
        path = choose_open_file(self, "logo", _("Choose logo"), _(IMAGES))
        if path:
            self.set_logo(str(path))

    def set_logo(self, path: str) -> None:
        self.logo_path = path
        self.logo_label.setText(Path(path).name)

    def fields(self) -> dict[str, str]:
        return {
            "owner_name": self.owner_name.text(),
            "whatsapp": self.whatsapp.text(),
            "address": self.address.text(),
            "village": self.village.text(),
            "district": self.district.text(),
            "timezone": self.timezone.currentData(),
        }


def create_seller_with_shop(
    op: profiles.OperatorSession, seller: SellerForm, shop: ShopForm
) -> tuple[profiles.Session, str]:
    """Create the profile, then log in once to store the logo. Returns (session, recovery)."""
    seller.check()
    _profile, code = profiles.create_seller(
        op,
        login=seller.login.text(),
        display_name=seller.display_name.text(),
        pin=seller.pin.text(),
        shop_name=shop.shop_name.text(),
        **shop.fields(),
    )
    login = seller.login.text().strip().lower()
    session = profiles.seller_login(login=login, pin=seller.pin.text())
    if shop.logo_path:
        profiles.set_shop_logo(session, image_path=Path(shop.logo_path))
    return session, code


class _Page(QWizardPage):
    """A title, its help text and the page's fields.

    The help is a word-wrapped label in the page, not Qt's subtitle: the classic
    style's subtitle is one line and cut the longer ones ("… Minimal 8").
    """

    def __init__(self, title: str, help_text: str, body: QWidget) -> None:
        super().__init__()
        self.setTitle(title)
        self.help = QLabel(help_text)
        self.help.setObjectName("wizardHelp")
        self.help.setWordWrap(True)
        self.help.setVisible(bool(help_text))
        self.error = _error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.help)
        layout.addWidget(body)
        layout.addStretch(1)
        layout.addWidget(self.error)


class FirstRunWizard(QWizard):
    """Shown when no operator exists yet. ``session`` holds the first seller afterwards."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Welcome to ShopDesk"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setMinimumSize(640, 520)
        self.setButtonText(QWizard.WizardButton.NextButton, _("Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, _("< Back"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("Start"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Cancel"))
        self.session: profiles.Session | None = None
        self.recovery_code = ""
        self._op: profiles.OperatorSession | None = None

        # 1. operator
        op_body = QWidget()
        self.password = _password_field()
        self.password2 = _password_field()
        form = QFormLayout(op_body)
        form.addRow(_("Operator password"), self.password)
        form.addRow(_("Password again"), self.password2)
        self.page_operator = _Page(
            _("Operator (village admin)"),
            _(
                "The operator adds and disables sellers and makes backups of the whole PC, "
                "but cannot see any shop's products or sales. At least 8 characters."
            ),
            op_body,
        )
        # 2. seller
        self.seller_form = SellerForm()
        self.page_seller = _Page(
            _("First seller"),
            _("Each seller has a PIN. Sellers on this PC never see each other's data."),
            self.seller_form,
        )
        # 3. shop
        self.shop_form = ShopForm()
        self.page_shop = _Page(
            _("Shop details"),
            _("These appear on labels and listings. The WhatsApp number lets buyers reach you."),
            self.shop_form,
        )
        # 4. label paper
        paper_body = QWidget()
        self.paper = QComboBox()
        for paper_id, name in paper_choices():
            self.paper.addItem(name, paper_id)
        # The default paper, not the first of the list: the food label fits it whole.
        self.paper.setCurrentIndex(max(0, self.paper.findData(settings.DEFAULTS["label_paper"])))
        paper_form = QFormLayout(paper_body)
        paper_form.addRow(_("Label paper"), self.paper)
        self.page_paper = _Page(
            _("Label paper"),
            _("The paper you print labels on. You can change it later in Settings."),
            paper_body,
        )
        self.page_paper.setCommitPage(True)  # the profile is created when leaving it
        # 5. done: recovery code
        done_body = QWidget()
        self.code_label = QLabel()
        self.code_label.setObjectName("screenTitle")
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        done_text = QLabel(
            _(
                "Write this recovery code on paper and keep it safe. It lets the seller set "
                "a new PIN if they forget it. It is shown only once."
            )
        )
        done_text.setWordWrap(True)
        steps_text = QLabel(
            _(
                "Then, after Start, the home page leads you through your first steps:\n"
                "1. Add a product (a name and a price are enough).\n"
                "2. Receive stock, with its production and expiry dates.\n"
                "3. Print labels for it.\n"
                "4. Make your first sale."
            )
        )
        steps_text.setObjectName("firstStepsText")
        steps_text.setWordWrap(True)
        done_layout = QVBoxLayout(done_body)
        done_layout.addWidget(done_text)
        done_layout.addWidget(self.code_label)
        done_layout.addSpacing(12)
        done_layout.addWidget(steps_text)
        self.page_done = _Page(_("Ready"), "", done_body)

        for page in (
            self.page_operator,
            self.page_seller,
            self.page_shop,
            self.page_paper,
            self.page_done,
        ):
            self.addPage(page)

    def validateCurrentPage(self) -> bool:  # Qt name
        page = self.currentPage()
        page.error.clear()
        try:
            self._validate(page)
        except ShopDeskError as exc:
            page.error.setText(exc.message)
            return False
        return super().validateCurrentPage()

    def _validate(self, page: QWizardPage) -> None:
        from shopdesk.validators import check_login, check_password, check_pin

        if page is self.page_operator:
            if self.password.text() != self.password2.text():
                raise ValidationError(_("The two passwords are not the same. Type them again."))
            check_password(self.password.text())
        elif page is self.page_seller:
            check_login(self.seller_form.login.text())
            check_pin(self.seller_form.pin.text())
            self.seller_form.check()
            if not self.seller_form.display_name.text().strip():
                raise ValidationError(_("Write the seller's name."))
        elif page is self.page_shop:
            if not self.shop_form.shop_name.text().strip():
                raise ValidationError(_("Write the shop's name."))
            from shopdesk.validators import normalize_whatsapp

            normalize_whatsapp(self.shop_form.whatsapp.text())
        elif page is self.page_paper and self.session is None:
            self._create()

    def _create(self) -> None:
        if self._op is None:
            self._op = profiles.create_operator(password=self.password.text())
        self.session, self.recovery_code = create_seller_with_shop(
            self._op, self.seller_form, self.shop_form
        )
        if self.paper.currentData():
            settings.put(self.session, "label_paper", self.paper.currentData())
        self.code_label.setText(self.recovery_code)


def paper_choices() -> list[tuple[str, str]]:
    try:
        from shopdesk.labels.papers import list_papers

        return [(p.id, p.name) for p in list_papers()]
    except Exception:  # a broken paper file must not stop the first run
        default = settings.DEFAULTS["label_paper"]
        return [(default, default)]


class AddSellerDialog(QDialog):
    """The operator adds another seller (after typing the operator password)."""

    def __init__(self, op: profiles.OperatorSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Add a seller"))
        self.op = op
        self.session: profiles.Session | None = None
        self.recovery_code = ""
        self.seller_form = SellerForm()
        self.shop_form = ShopForm()
        self.error = _error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.seller_form)
        layout.addWidget(self.shop_form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def save(self) -> None:
        try:
            self.session, self.recovery_code = create_seller_with_shop(
                self.op, self.seller_form, self.shop_form
            )
        except ShopDeskError as exc:
            self.error.setText(exc.message)
            return
        self.accept()


class OperatorPasswordDialog(QDialog):
    """The operator password; ``op`` holds the session once the core accepted it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Operator"))
        self.op: profiles.OperatorSession | None = None
        self.field = _password_field()
        self.error = _error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        form = QFormLayout(self)
        form.addRow(QLabel(_("This needs the operator (village admin).")))
        form.addRow(_("Operator password"), self.field)
        form.addRow(self.error)
        form.addRow(buttons)
        buttons.accepted.connect(self.check)
        buttons.rejected.connect(self.reject)

    def check(self) -> None:
        try:
            self.op = profiles.operator_login(password=self.field.text())
        except ShopDeskError as exc:
            self.error.setText(exc.message)
            self.field.clear()
            return
        self.accept()


def ask_operator(parent: QWidget | None = None) -> profiles.OperatorSession | None:
    """Ask the operator password; None when cancelled. Wrong passwords say so."""
    dialog = OperatorPasswordDialog(parent)
    dialog.exec()
    return dialog.op if dialog.result() == QDialog.DialogCode.Accepted else None


def show_recovery_code(code: str, parent: QWidget | None = None) -> None:
    """The new seller's recovery code, shown once, selectable for copying."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(_("Recovery code"))
    text = QLabel(
        _(
            "Write this recovery code on paper and keep it safe. It lets the seller set "
            "a new PIN if they forget it. It is shown only once."
        )
    )
    text.setWordWrap(True)
    code_label = QLabel(code)
    code_label.setObjectName("screenTitle")
    code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
    buttons.accepted.connect(dialog.accept)
    layout = QVBoxLayout(dialog)
    layout.addWidget(text)
    layout.addWidget(code_label)
    layout.addWidget(buttons)
    dialog.exec()


def add_seller(parent: QWidget | None = None) -> bool:
    """Operator password, the new seller's form, then their recovery code; True when added."""
    op = ask_operator(parent)
    if op is None:
        return False
    return add_seller_as(op, parent)


def add_seller_as(op: profiles.OperatorSession, parent: QWidget | None = None) -> bool:
    """The new seller's form, then their recovery code, for an operator already known."""
    dialog = AddSellerDialog(op, parent)
    if not dialog.exec():
        return False
    show_recovery_code(dialog.recovery_code, parent)
    return True


class ResetPinDialog(QDialog):
    """Recovery code and a new PIN twice; the core checks the code and counts failures."""

    def __init__(self, login: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("New PIN"))
        self.login = login
        self.new_code = ""
        self.code = QLineEdit()
        self.code.setPlaceholderText("XXXX-XXXX-XXXX")
        self.pin = _password_field()
        self.pin2 = _password_field()
        self.error = _error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(QLabel(_("Type the recovery code you wrote down, then a new PIN.")))
        form.addRow(_("Recovery code"), self.code)
        form.addRow(_("New PIN"), self.pin)
        form.addRow(_("PIN again"), self.pin2)
        form.addRow(self.error)
        form.addRow(buttons)

    def save(self) -> None:
        if self.pin.text() != self.pin2.text():
            self.error.setText(_("The two PINs are not the same. Type them again."))
            return
        try:
            self.new_code = profiles.reset_pin(
                login=self.login, recovery_code=self.code.text(), new_pin=self.pin.text()
            )
        except ShopDeskError as exc:
            self.error.setText(exc.message)
            return
        self.accept()
