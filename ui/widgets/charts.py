"""Charts painted with QPainter (PySide6-Essentials has no QtCharts)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from shopdesk.i18n import _
from shopdesk.money import format_number

BAR = QColor("#2f6f4f")
BAR_TODAY = QColor("#e08a1e")
GRID = QColor("#e3e8e4")
TEXT = QColor("#4a5a50")


def short_amount(amount: int) -> str:
    """Axis labels the Indonesian way: 1,2jt / 350rb / 900."""
    if amount >= 1_000_000:
        text = f"{amount / 1_000_000:.1f}".rstrip("0").rstrip(".").replace(".", ",")
        return _("{n}m").format(n=text)
    if amount >= 1_000:
        return _("{n}k").format(n=format_number(round(amount / 1000)))
    return str(amount)


class BarChart(QWidget):
    """Daily revenue as bars, today highlighted; hover shows the exact amount."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points: list[tuple[date, int]] = []
        self.setMinimumSize(QSize(360, 120))  # the home page fits 1366x768 at 125 %
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self._hover = -1
        self.empty_text = _("No sales in these days yet.")

    def set_points(self, points: Sequence[tuple[date, int]]) -> None:
        self.points = list(points)
        self.update()

    def _plot_rect(self) -> QRectF:
        metrics = self.fontMetrics()
        left = metrics.horizontalAdvance("000,0jt") + 10
        # today's date is centred under the last bar: leave room for its right half
        right = max(8, metrics.horizontalAdvance("00/00") // 2 + 4)
        height = self.height() - metrics.height() * 2 - 12
        return QRectF(left, 8, self.width() - left - right, height)

    def day_labels(self) -> list[tuple[QRectF, str]]:
        """Every fifth day's date (ending on today) and where it is written, under its bar."""
        if not self.points:
            return []
        plot, metrics = self._plot_rect(), self.fontMetrics()
        step = plot.width() / len(self.points)
        labels = []
        for i, (day, _value) in enumerate(self.points):
            if i % 5 == (len(self.points) - 1) % 5:
                text = day.strftime("%d/%m")
                width = metrics.horizontalAdvance(text) + 2
                x = plot.left() + i * step + step / 2
                labels.append(
                    (QRectF(x - width / 2, plot.bottom() + 4, width, metrics.height()), text)
                )
        return labels

    def mouseMoveEvent(self, event) -> None:
        plot = self._plot_rect()
        hover = -1
        if self.points and plot.contains(event.position()):
            step = plot.width() / len(self.points)
            hover = int((event.position().x() - plot.left()) // step)
        self._set_hover(hover)

    def leaveEvent(self, _event) -> None:
        self._set_hover(-1)

    def _set_hover(self, hover: int) -> None:
        """Repaint only when the pointer moves onto another bar, not on every mouse move."""
        if hover != self._hover:
            self._hover = hover
            self.update()

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        plot = self._plot_rect()
        top = max((v for _d, v in self.points), default=0)
        scale_top = _nice_ceiling(top)
        metrics = self.fontMetrics()
        if not scale_top:
            p.setPen(QPen(GRID, 2))
            p.drawLine(int(plot.left()), int(plot.bottom()), int(plot.right()), int(plot.bottom()))
            p.setPen(TEXT)
            p.drawText(plot, Qt.AlignmentFlag.AlignCenter, self.empty_text)
            p.end()
            return
        p.setPen(QPen(GRID, 1))
        for i in range(5):
            y = plot.bottom() - plot.height() * i / 4
            p.drawLine(int(plot.left()), int(y), int(plot.right()), int(y))
            p.setPen(TEXT)
            label = short_amount(scale_top * i // 4)
            p.drawText(
                QRectF(0, y - metrics.height() / 2, plot.left() - 6, metrics.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
            p.setPen(QPen(GRID, 1))
        if not self.points:
            return
        step = plot.width() / len(self.points)
        width = max(step * 0.7, 2)
        p.setPen(Qt.PenStyle.NoPen)
        for i, (_day, value) in enumerate(self.points):
            height = plot.height() * value / scale_top if scale_top else 0
            colour = BAR_TODAY if i == len(self.points) - 1 else BAR
            if i == self._hover:
                colour = colour.lighter(130)
            p.setBrush(colour)
            x = plot.left() + i * step + (step - width) / 2
            p.drawRoundedRect(QRectF(x, plot.bottom() - height, width, height), 2, 2)
        p.setPen(TEXT)
        for rect, text in self.day_labels():
            p.drawText(rect, Qt.AlignmentFlag.AlignHCenter, text)
        if 0 <= self._hover < len(self.points):
            day, value = self.points[self._hover]
            text = f"{day.strftime('%d/%m')}: Rp {format_number(value)}"
            font = QFont(self.font())
            font.setBold(True)
            p.setFont(font)
            p.drawText(
                QRectF(plot.left(), plot.bottom() + metrics.height() + 4, plot.width(), 20),
                Qt.AlignmentFlag.AlignHCenter,
                text,
            )
        p.end()


def _nice_ceiling(value: int) -> int:
    """A round top for the axis: 1, 2 or 5 times a power of ten."""
    if value <= 0:
        return 0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for factor in (1, 2, 5, 10):
        if value <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


class ShareBar(QWidget):
    """A horizontal bar of parts (e.g. stock: fine / low / sold out) with a legend."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.parts: list[tuple[str, int, QColor]] = []
        self.setMinimumHeight(48)

    def set_parts(self, parts: Sequence[tuple[str, int, QColor]]) -> None:
        self.parts = list(parts)
        self.setMinimumHeight(30 + len(self.parts) * (self.fontMetrics().height() + 2))
        self.update()

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        total = sum(v for _l, v, _c in self.parts)
        bar = QRectF(0, 2, self.width(), 18)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(GRID)
        p.drawRoundedRect(bar, 6, 6)
        x = 0.0
        for _label, value, colour in self.parts:
            if not total or not value:
                continue
            w = bar.width() * value / total
            p.setBrush(colour)
            p.drawRect(QRectF(x, bar.top(), w, bar.height()))
            x += w
        metrics = self.fontMetrics()
        y = 28.0
        for label, value, colour in self.parts:
            p.setBrush(colour)
            p.setPen(Qt.PenStyle.NoPen)
            p.drawEllipse(QRectF(0, y + (metrics.height() - 10) / 2, 10, 10))
            p.setPen(TEXT)
            p.drawText(
                QRectF(16, y, self.width() - 16, metrics.height()),
                f"{label}: {format_number(value)}",
            )
            y += metrics.height() + 2
        p.end()
