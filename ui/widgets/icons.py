"""Sidebar icons painted with QPainter: no icon files to ship, crisp at any scaling."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

SIZE = 64


def _pen(colour: QColor) -> QPen:
    pen = QPen(colour, 5)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def _home(p: QPainter) -> None:
    path = QPainterPath(QPointF(8, 30))
    path.lineTo(32, 10)
    path.lineTo(56, 30)
    p.drawPath(path)
    p.drawRect(QRectF(15, 28, 34, 26))
    p.drawRect(QRectF(28, 38, 9, 16))


def _products(p: QPainter) -> None:  # a price tag
    path = QPainterPath(QPointF(10, 12))
    path.lineTo(32, 12)
    path.lineTo(54, 34)
    path.lineTo(34, 54)
    path.lineTo(10, 32)
    path.closeSubpath()
    p.drawPath(path)
    p.drawEllipse(QPointF(21, 23), 4, 4)


def _stock(p: QPainter) -> None:  # stacked boxes
    p.drawRect(QRectF(8, 32, 22, 22))
    p.drawRect(QRectF(34, 32, 22, 22))
    p.drawRect(QRectF(21, 10, 22, 22))


def _sales(p: QPainter) -> None:  # a basket cart
    path = QPainterPath(QPointF(6, 12))
    path.lineTo(14, 12)
    path.lineTo(20, 40)
    path.lineTo(50, 40)
    path.lineTo(56, 20)
    path.lineTo(16, 20)
    p.drawPath(path)
    p.drawEllipse(QPointF(24, 50), 4, 4)
    p.drawEllipse(QPointF(46, 50), 4, 4)


def _labels(p: QPainter) -> None:  # a label with lines and a small code
    p.drawRoundedRect(QRectF(8, 14, 48, 36), 6, 6)
    p.drawLine(16, 26, 36, 26)
    p.drawLine(16, 36, 30, 36)
    p.drawRect(QRectF(40, 24, 9, 14))


def _orders(p: QPainter) -> None:  # an arrow down into a tray
    path = QPainterPath(QPointF(10, 38))
    path.lineTo(10, 54)
    path.lineTo(54, 54)
    path.lineTo(54, 38)
    p.drawPath(path)
    p.drawLine(32, 8, 32, 40)
    p.drawLine(22, 30, 32, 40)
    p.drawLine(42, 30, 32, 40)


def _export(p: QPainter) -> None:  # an arrow up out of a tray
    path = QPainterPath(QPointF(10, 38))
    path.lineTo(10, 54)
    path.lineTo(54, 54)
    path.lineTo(54, 38)
    p.drawPath(path)
    p.drawLine(32, 42, 32, 10)
    arrow = QPainterPath(QPointF(20, 22))
    arrow.lineTo(32, 10)
    arrow.lineTo(44, 22)
    p.drawPath(arrow)


def _backups(p: QPainter) -> None:  # a shield with a tick
    path = QPainterPath(QPointF(32, 8))
    path.lineTo(52, 16)
    path.quadTo(52, 46, 32, 56)
    path.quadTo(12, 46, 12, 16)
    path.closeSubpath()
    p.drawPath(path)
    tick = QPainterPath(QPointF(22, 32))
    tick.lineTo(30, 40)
    tick.lineTo(43, 25)
    p.drawPath(tick)


def _settings(p: QPainter) -> None:  # a gear
    p.drawEllipse(QPointF(32, 32), 9, 9)
    p.drawEllipse(QPointF(32, 32), 19, 19)
    for i in range(8):
        angle = i * math.pi / 4
        inner = QPointF(32 + 19 * math.cos(angle), 32 + 19 * math.sin(angle))
        outer = QPointF(32 + 27 * math.cos(angle), 32 + 27 * math.sin(angle))
        p.drawLine(inner, outer)


def _audit(p: QPainter) -> None:  # a clipboard with lines
    p.drawRoundedRect(QRectF(12, 10, 40, 46), 5, 5)
    p.drawRect(QRectF(24, 6, 16, 8))
    for y in (26, 36, 46):
        p.drawLine(20, y, 44, y)


def _debts(p: QPainter) -> None:  # a notebook (buku kasbon) with a spiral and lines
    p.drawRoundedRect(QRectF(14, 8, 38, 48), 4, 4)
    for y in (16, 26, 36, 46):
        p.drawEllipse(QPointF(14, y), 3, 3)
    for y in (22, 32, 42):
        p.drawLine(24, y, 44, y)


def _calendar(p: QPainter) -> None:  # a page with two rings and a grid of days
    p.drawRoundedRect(QRectF(10, 14, 44, 40), 4, 4)
    p.drawLine(10, 26, 54, 26)
    p.drawLine(22, 8, 22, 18)
    p.drawLine(42, 8, 42, 18)
    for x in (20, 32, 44):
        for y in (36, 46):
            p.drawPoint(QPointF(x, y))


DRAW = {
    "home": _home,
    "products": _products,
    "stock": _stock,
    "sales": _sales,
    "orders": _orders,
    "debts": _debts,
    "labels": _labels,
    "export": _export,
    "backups": _backups,
    "settings": _settings,
    "audit": _audit,
    "calendar": _calendar,
}


def painted_icon(name: str, colour: str = "#e9f1ec") -> QIcon:
    pix = QPixmap(SIZE, SIZE)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(_pen(QColor(colour)))
    p.setBrush(Qt.BrushStyle.NoBrush)
    DRAW[name](p)
    p.end()
    return QIcon(pix)
