"""One stylesheet for the whole app: large touch-friendly controls, calm colours.

Sizes are in points so that 125% font scaling grows everything together.
"""

from __future__ import annotations

ACCENT = "#2f6f4f"
ACCENT_LIGHT = "#e6f1ea"
WARN = "#b85c00"
DANGER = "#b3261e"

BASE_POINT_SIZE = 10.5  # set as the application font: a QSS rule on every QWidget slows painting

STYLESHEET = f"""
QPushButton {{ padding: 6px 14px; min-height: 22px; }}
QPushButton[primary="true"] {{
    background: {ACCENT}; color: white; border: 1px solid {ACCENT}; border-radius: 4px;
    font-weight: bold;
}}
QPushButton[primary="true"]:disabled {{ background: #9bb8a8; border-color: #9bb8a8; }}
QPushButton#profileButton {{
    background: white; border: 1px solid #c9d3cc; border-radius: 10px;
    padding: 12px; text-align: left; font-size: 12pt;
}}
QPushButton#profileButton:hover, QPushButton#profileButton:focus {{
    border: 2px solid {ACCENT}; background: {ACCENT_LIGHT};
}}
QPushButton#pinKey {{
    font-size: 18pt; min-width: 72px; min-height: 46px; border-radius: 8px;
    background: white; border: 1px solid #c9d3cc;
}}
QPushButton#pinKey:pressed {{ background: {ACCENT_LIGHT}; }}
QPushButton#pinKey[primary="true"] {{ background: {ACCENT}; color: white; border-color: {ACCENT}; }}
QLineEdit#pinField {{ font-size: 20pt; letter-spacing: 6px; padding: 4px; }}
QLabel#screenTitle {{ font-size: 20pt; font-weight: bold; color: #1f3b2d; }}
QLabel#subtitle {{ font-size: 12pt; color: #4a5a50; }}
QLabel#errorText {{ color: {DANGER}; font-size: 11pt; }}
QLabel#pageTitle {{ font-size: 16pt; font-weight: bold; color: #1f3b2d; }}
QWidget#startScreen, QWidget#workspace {{ background: #f4f6f3; }}
QListWidget#sidebar {{
    background: #1f3b2d; color: #e9f1ec; border: none; font-size: 11.5pt; outline: 0;
}}
QListWidget#sidebar::item {{ padding: 9px 10px; }}
QListWidget#sidebar::item:selected {{ background: {ACCENT}; color: white; }}
QFrame#card {{ background: white; border: 1px solid #dde3de; border-radius: 8px; }}
QLabel#cardTitle {{ color: #4a5a50; font-size: 10.5pt; }}
QLabel#cardValue {{ font-size: 20pt; font-weight: bold; color: #1f3b2d; }}
QLabel#cardValue[warn="true"] {{ color: {WARN}; }}
QPushButton#switchSeller {{ font-weight: bold; }}
"""
