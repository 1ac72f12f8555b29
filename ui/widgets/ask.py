"""Yes/no questions with buttons that say what they do ("Post", not "OK").

Tests answer for the seller with ``set_answer(True/False)``; ``None`` asks again.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from shopdesk.i18n import _

_answer: bool | None = None
_choice: str | None = None
asked: list[str] = []  # the questions put while an answer was preset (tests read them)


def set_answer(answer: bool | None) -> None:
    global _answer
    _answer = answer
    asked.clear()


def set_choice(choice: str | None) -> None:
    """Tests: what ``choose`` answers ("" for the closing button); None asks again."""
    global _choice
    _choice = choice
    asked.clear()


def choose(
    parent: QWidget | None,
    title: str,
    text: str,
    choices: list[tuple[str, str]],
    *,
    yes: str = "",
) -> str:
    """Buttons for ``choices`` (key, label) and a last "Not now"; the key clicked, or "".

    The first choice is the default (Enter). Tests preset ``set_choice``; a yes/no preset
    (``set_answer``) answers ``yes`` for True and "" for False.
    """
    if _choice is not None or _answer is not None:
        asked.append(text)
        return _choice if _choice is not None else (yes if _answer else "")
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(title)
    box.setText(text)
    buttons = {
        box.addButton(label, QMessageBox.ButtonRole.AcceptRole): key for key, label in choices
    }
    later = box.addButton(_("Not now"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(next(iter(buttons)))
    box.setEscapeButton(later)
    box.exec()
    return buttons.get(box.clickedButton(), "")


def ask(parent: QWidget | None, title: str, text: str, yes: str, no: str | None = None) -> bool:
    if _answer is not None:
        asked.append(text)
        return _answer
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    no_button = box.addButton(no or _("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no_button)
    box.setEscapeButton(no_button)
    box.exec()
    return box.clickedButton() is yes_button
