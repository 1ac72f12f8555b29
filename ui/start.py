"""Who is at the PC: the profile picker and the PIN pad (mouse or keyboard).

The screen only calls ``shopdesk.profiles``; waits after wrong PINs and their
messages come from the core. At start-up the picker may show the sellers read before the
database was opened (``store.glance``): ``profiles`` and the models load behind the
window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from shopdesk import APP_NAME
from shopdesk.errors import ShopDeskError
from shopdesk.i18n import _

if TYPE_CHECKING:
    from collections.abc import Sequence

    from shopdesk.profiles import SellerProfile, Session
    from shopdesk.store.glance import Seat
    from ui.dialogs.operator import OperatorDialog
    from ui.tasks import TaskRunner

LOGO_SIZE = 64


def logo_pixmap(filename: str, size: int = LOGO_SIZE, *, cached: bool = False) -> QPixmap | None:
    """A shop logo: this PC's copy, taken from the data once (without importing Pillow).
    ``cached``: only a copy this PC has already (the database is not open yet)."""
    if not filename:
        return None
    from shopdesk import media_store  # hashing and file code: only for a shop with a logo

    try:
        path = (
            media_store.cached_file("logos", filename)
            if cached
            else media_store.local_file("logos", filename)
        )
    except ShopDeskError:
        return None
    if path is None:
        return None
    pix = QPixmap(str(path))
    if pix.isNull():
        return None
    return pix.scaled(
        size, size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )


def initials_pixmap(text: str, size: int = LOGO_SIZE) -> QPixmap:
    from PySide6.QtGui import QColor, QFont, QPainter

    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(QColor("#2f6f4f"))
    p.setPen(Qt.PenStyle.NoPen)
    p.drawEllipse(0, 0, size, size)
    font = QFont()
    font.setPixelSize(int(size * 0.4))
    font.setBold(True)
    p.setFont(font)
    p.setPen(QColor("white"))
    words = [w for w in text.split() if w[0].isalnum()]
    letters = "".join(w[0] for w in words[:2]).upper() or "?"
    p.drawText(pix.rect(), Qt.AlignmentFlag.AlignCenter, letters)
    p.end()
    return pix


class ProfileButton(QPushButton):
    """Enter opens the profile too (outside dialogs a QPushButton takes only Space)."""

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.click()
            return
        super().keyPressEvent(event)


class ProfilePicker(QWidget):
    """Large buttons with each shop's logo and name."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel(_("Who is selling today?"))
        title.setObjectName("screenTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint = QLabel(_("Choose your shop, then type your PIN."))
        hint.setObjectName("subtitle")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._grid_host = QWidget()
        self._grid = QGridLayout(self._grid_host)
        self._grid.setSpacing(16)
        self._grid.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self._grid_host)
        scroll.setStyleSheet("background: transparent;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 60, 40, 20)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addSpacing(16)
        layout.addWidget(scroll, 1)
        self.buttons: dict[str, QWidget] = {}
        self.shown: tuple[Seat, ...] = ()
        self.logos_missing = False  # a logo not on this PC yet: shown once the data is open

    def load(self, sellers: Sequence[Seat] | None = None) -> None:
        """The buttons of ``sellers`` (read before the database was opened), else of the
        sellers ``profiles`` lists now."""
        for button in self.buttons.values():
            button.deleteLater()
        self.buttons.clear()
        self.shown = tuple(current_seats() if sellers is None else sellers)
        self.logos_missing = False
        columns = 3 if len(self.shown) > 4 else 2
        for index, seat in enumerate(self.shown):
            button = self._button(seat, early=sellers is not None)
            self._grid.addWidget(button, index // columns, index % columns)
            self.buttons[seat.login] = button
        if self.shown:
            next(iter(self.buttons.values())).setFocus()
        else:
            empty = QLabel(_("No seller yet. The operator adds sellers with the button below."))
            empty.setObjectName("subtitle")
            self._grid.addWidget(empty, 0, 0)
            self.buttons[""] = empty  # removed with the buttons on the next load

    def _button(self, profile: Seat, *, early: bool) -> QPushButton:
        text = f"{profile.shop_name}\n{profile.display_name}".replace("&", "&&")
        button = ProfileButton(text)
        button.setObjectName("profileButton")
        button.setMinimumSize(300, 96)
        button.setMaximumWidth(460)
        logo = logo_pixmap(profile.logo, cached=early)
        self.logos_missing |= bool(profile.logo) and logo is None and early
        pix = logo or initials_pixmap(profile.shop_name)
        button.setIcon(QIcon(pix))
        button.setIconSize(QSize(LOGO_SIZE, LOGO_SIZE))
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.clicked.connect(lambda _c=False, login=profile.login: self.chosen.emit(login))
        return button


def current_seats() -> tuple[Seat, ...]:
    """The sellers on the picker, as the open database lists them."""
    from shopdesk import profiles
    from shopdesk.store.glance import Seat

    return tuple(
        Seat(p.login, p.display_name, p.shop_name, p.logo) for p in profiles.list_profiles()
    )


PAD_LOGO = 52  # px, beside the shop's name


class PinPad(QWidget):
    """Digits by mouse or keyboard; Enter logs in, Esc goes back."""

    submitted = Signal(str)
    back = Signal()
    forgot = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        from PySide6.QtGui import QKeySequence, QShortcut  # the pad is built at the first choice

        super().__init__(parent)
        self.who = QLabel()
        self.who.setObjectName("screenTitle")
        self.who.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo = QLabel()
        self.logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        prompt = QLabel(_("Type your PIN"))
        prompt.setObjectName("subtitle")
        prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.field = QLineEdit()
        self.field.setObjectName("pinField")
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.field.setMaxLength(12)
        self.field.setFixedWidth(280)
        self.field.setAccessibleName(_("PIN"))
        self.field.returnPressed.connect(self._submit)
        self.message = QLabel()
        self.message.setObjectName("errorText")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setMinimumHeight(24)

        keys = QGridLayout()
        keys.setSpacing(6)
        labels = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "OK"]
        self.keys: dict[str, QPushButton] = {}
        for i, text in enumerate(labels):
            button = QPushButton(text)
            button.setObjectName("pinKey")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # typing stays in the field
            button.clicked.connect(lambda _c=False, t=text: self._press(t))
            keys.addWidget(button, i // 3, i % 3)
            self.keys[text] = button
        self.keys["OK"].setProperty("primary", True)
        self.keys["⌫"].setAccessibleName(_("Delete"))

        back = QPushButton(_("Back to the shop list"))
        back.clicked.connect(self.back.emit)
        self.forgot_button = QPushButton(_("Forgot PIN?"))
        self.forgot_button.setFlat(True)
        self.forgot_button.clicked.connect(self.forgot.emit)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, activated=self.back.emit)

        # Compact enough for 1366x768 at 125 % under a taskbar (about 1093x540 for the
        # window): the logo sits beside the shop's name, the message line is short.
        title = QHBoxLayout()
        title.addStretch(1)
        title.addWidget(self.logo)
        title.addWidget(self.who)
        title.addStretch(1)
        column = QVBoxLayout()
        column.setSpacing(4)
        column.addStretch(1)
        column.addLayout(title)
        column.addWidget(prompt)
        column.addSpacing(4)
        column.addWidget(self.field, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.message)
        column.addLayout(keys)
        column.addSpacing(8)
        links = QHBoxLayout()
        links.addStretch(1)
        links.addWidget(back)
        links.addWidget(self.forgot_button)
        links.addStretch(1)
        column.addLayout(links)
        column.addStretch(1)
        row = QHBoxLayout(self)
        row.addStretch(1)
        row.addLayout(column)
        row.addStretch(1)

    def open_for(self, profile: SellerProfile) -> None:
        self.who.setText(profile.shop_name)
        pix = logo_pixmap(profile.logo, PAD_LOGO) or initials_pixmap(profile.shop_name, PAD_LOGO)
        self.logo.setPixmap(pix)
        self.field.clear()
        self.message.clear()
        self.field.setFocus()

    def _press(self, key: str) -> None:
        if key == "OK":
            self._submit()
        elif key == "⌫":
            self.field.backspace()
        else:
            self.field.insert(key)
        self.field.setFocus()

    def _submit(self) -> None:
        self.submitted.emit(self.field.text())

    def show_message(self, text: str) -> None:
        self.field.clear()
        self.message.setText(text)
        self.field.setFocus()


class StartScreen(QWidget):
    """Picker, then PIN pad; emits ``logged_in(Session)``."""

    logged_in = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("startScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.picker = ProfilePicker()
        self._pad: PinPad | None = None  # built when a shop is chosen (faster start)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.picker)
        self.operator_button = QPushButton(_("Manage this PC (operator)…"))
        self.operator_button.setToolTip(
            _("Add, disable or enable sellers; back up or restore the whole PC.")
        )
        self.operator_button.clicked.connect(self.open_operator)
        footer = QLabel(APP_NAME)
        footer.setObjectName("subtitle")
        footer.setAlignment(Qt.AlignmentFlag.AlignRight)
        bottom = QHBoxLayout()
        bottom.addWidget(self.operator_button)
        bottom.addStretch(1)
        bottom.addWidget(footer)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack, 1)
        layout.addLayout(bottom)
        self.picker.chosen.connect(self.choose)
        self._profile: SellerProfile | None = None
        self._tasks: TaskRunner | None = None
        self.operator_dialog: OperatorDialog | None = None  # while open (tests drive it)

    def show_picker(self, sellers: Sequence[Seat] | None = None) -> None:
        self._profile = None
        self.picker.load(sellers)
        self.stack.setCurrentWidget(self.picker)

    @property
    def pad(self) -> PinPad:
        if self._pad is None:
            self._pad = PinPad()
            self.stack.addWidget(self._pad)
            self._pad.back.connect(self.show_picker)
            self._pad.submitted.connect(self.try_login)
            self._pad.forgot.connect(self.reset_pin)
        return self._pad

    def reset_pin(self) -> None:
        """A new PIN with the recovery code written down when the profile was made."""
        if self._profile is None:
            return
        from ui.wizard import ResetPinDialog, show_recovery_code

        dialog = ResetPinDialog(self._profile.login, self)
        if dialog.exec():
            show_recovery_code(dialog.new_code, self)
            self.pad.show_message(_("PIN changed. Type the new PIN."))

    def add_seller(self) -> None:
        from ui.wizard import add_seller

        if add_seller(self):
            self.show_picker()

    @property
    def tasks(self) -> TaskRunner:
        """The main window's runner (the app's one); a private one when shown alone."""
        from ui.tasks import TaskRunner

        shared = getattr(self.window(), "tasks", None)
        if isinstance(shared, TaskRunner):
            return shared
        if self._tasks is None:
            self._tasks = TaskRunner(self)
        return self._tasks

    def open_operator(self) -> None:
        """Operator password once, then the operator's dialog; the picker reloads after."""
        from ui.dialogs.operator import OperatorDialog
        from ui.wizard import ask_operator

        op = ask_operator(self)
        if op is None:
            return
        self.operator_dialog = OperatorDialog(op, self.tasks, self)
        self.operator_dialog.pc_changed.connect(self.show_picker)
        try:
            self.operator_dialog.exec()
        finally:
            self.operator_dialog.deleteLater()
            self.operator_dialog = None
            self.show_picker()  # disabled sellers vanish, enabled and restored ones appear

    def choose(self, login: str) -> None:
        from shopdesk import profiles

        found = [p for p in profiles.list_profiles() if p.login == login]
        if not found:
            self.show_picker()
            return
        self._profile = found[0]
        self.pad.open_for(self._profile)
        self.stack.setCurrentWidget(self.pad)

    def try_login(self, pin: str) -> None:
        from shopdesk import profiles
        from shopdesk.errors import ShopDeskError

        if self._profile is None:
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            session: Session = profiles.seller_login(login=self._profile.login, pin=pin)
        except ShopDeskError as exc:
            self.pad.show_message(exc.message)
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.logged_in.emit(session)
