"""Yes/no questions with buttons that say what they do ("Post", not "OK").

Tests answer for the seller with ``set_answer(True/False)``; ``None`` asks again.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from shopdesk.i18n import _

_answer: bool | None = None
asked: list[str] = []  # the questions put while an answer was preset (tests read them)


def set_answer(answer: bool | None) -> None:
    global _answer
    _answer = answer
    asked.clear()


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
