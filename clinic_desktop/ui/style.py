"""The app-wide look: Qt's Fusion style (identical on Windows, macOS and Linux, so screenshots
and support calls match what every clinic sees), a light palette with one calm teal accent, and
a style sheet for the few widget roles the screens share (titles, hints, banners, field errors,
the navigation list, the top bar). Screens pick a role with `objectName` or the `role`
property instead of styling themselves, so the whole app changes in one place."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QWidget

ACCENT = "#0F766E"
ACCENT_DARK = "#115E59"
ACCENT_TINT = "#E6F4F1"
INK = "#1F2933"
MUTED = "#5B6770"
BORDER = "#D5DBE1"
WINDOW = "#F5F7F8"
SURFACE = "#FFFFFF"
WARNING = "#B54708"
WARNING_TINT = "#FFF6E5"
DANGER = "#B42318"
DANGER_TINT = "#FEF3F2"
MONO_FAMILIES = ("JetBrains Mono", "Cascadia Mono", "Consolas", "DejaVu Sans Mono", "monospace")

STYLE_SHEET = f"""
QWidget {{ color: {INK}; }}
QMainWindow, QDialog, QWizard {{ background: {WINDOW}; }}
QLabel[role="title"] {{ font-size: 20pt; font-weight: 600; color: {INK}; }}
QLabel[role="subtitle"] {{ font-size: 13pt; font-weight: 600; color: {INK}; }}
QLabel[role="hint"] {{ color: {MUTED}; }}
QLabel[role="field-error"] {{ color: {DANGER}; font-weight: 600; }}
QLabel[role="field-warning"] {{ color: {WARNING}; }}
QFrame[role="card"] {{
    background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 10px;
}}
QFrame[role="banner-info"] {{
    background: {ACCENT_TINT}; border: 1px solid #B7DDD6; border-radius: 8px;
}}
QFrame[role="banner-warning"] {{
    background: {WARNING_TINT}; border: 1px solid #F5C77E; border-radius: 8px;
}}
QFrame[role="banner-danger"] {{
    background: {DANGER_TINT}; border: 1px solid #F4B4AE; border-radius: 8px;
}}
QLineEdit, QPlainTextEdit {{
    background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 6px;
    padding: 6px 8px; min-height: 20px; selection-background-color: {ACCENT};
}}
/* Spin, time and date boxes keep Fusion's own frame and arrows (styling their border would
   oblige styling every sub-control); only the line edit inside them is reset. */
QAbstractSpinBox {{ min-height: 30px; }}
QAbstractSpinBox QLineEdit {{
    background: transparent; border: none; padding: 0; min-height: 0;
}}
QComboBox {{ min-height: 30px; }}
QComboBox QAbstractItemView {{
    background: {SURFACE}; border: 1px solid {BORDER}; selection-background-color: {ACCENT_TINT};
    selection-color: {INK};
}}
QLineEdit:focus, QPlainTextEdit:focus {{ border: 1px solid {ACCENT}; }}
QLineEdit[invalid="true"], QComboBox[invalid="true"] {{ border: 1px solid {DANGER}; }}
QFrame[invalid="true"] {{ border: 1px solid {DANGER}; border-radius: 6px; }}
QLineEdit[role="recovery-key"] {{
    font-size: 15pt; letter-spacing: 1px; padding: 10px;
}}
QPushButton {{
    background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 6px;
    padding: 7px 16px; min-height: 20px;
}}
QPushButton:hover {{ border-color: {ACCENT}; }}
QPushButton:disabled {{ color: #9AA5AE; background: #EEF1F3; }}
QPushButton[role="primary"] {{
    background: {ACCENT}; color: white; border: 1px solid {ACCENT_DARK};
}}
QPushButton[role="primary"]:hover {{ background: {ACCENT_DARK}; }}
QPushButton[role="primary"]:disabled {{ background: #8FBFB9; border-color: #8FBFB9; }}
QPushButton[role="choice"] {{
    text-align: left; padding: 0; border-radius: 10px; min-height: 80px;
}}
QPushButton[role="choice"]:hover {{ background: {ACCENT_TINT}; }}
QPushButton[role="link"] {{
    background: transparent; border: none; color: {ACCENT}; padding: 2px 4px;
    text-decoration: underline;
}}
QToolButton[role="topbar"] {{
    background: transparent; border: 1px solid transparent; border-radius: 6px;
    padding: 6px 10px; color: white;
}}
QToolButton[role="topbar"]::menu-indicator {{ image: none; width: 0; }}
QToolButton[role="topbar"]:hover {{ border-color: rgba(255, 255, 255, 0.5); }}
QWidget#TopBar {{ background: {ACCENT}; }}
QWidget#TopBar QLabel {{ color: white; }}
QLabel#ClinicNameLabel {{ font-size: 14pt; font-weight: 600; }}
QLabel#UserLabel {{ color: #D9F0EC; }}
QListWidget#NavigationList {{
    background: {SURFACE}; border: none; border-right: 1px solid {BORDER};
    padding-top: 8px; font-size: 11pt; outline: 0;
}}
QListWidget#NavigationList::item {{ padding: 10px 16px; border-radius: 6px; margin: 2px 8px; }}
QListWidget#NavigationList::item:selected {{
    background: {ACCENT_TINT}; color: {ACCENT_DARK}; font-weight: 600;
}}
QListWidget#NavigationList::item:hover:!selected {{ background: #F0F3F5; }}
QStatusBar {{ background: {SURFACE}; border-top: 1px solid {BORDER}; }}
QLabel#BackupStatusLabel[level="ok"] {{ color: {MUTED}; padding: 2px 8px; }}
QLabel#BackupStatusLabel[level="warning"] {{
    color: {WARNING}; background: {WARNING_TINT}; font-weight: 600; padding: 2px 8px;
    border-radius: 4px;
}}
QLabel#BackupStatusLabel[level="danger"] {{
    color: {DANGER}; background: {DANGER_TINT}; font-weight: 600; padding: 2px 8px;
    border-radius: 4px;
}}
QCheckBox[role="confirm"] {{ font-weight: 600; }}
QWidget#LockScreen {{ background: {ACCENT}; }}
"""


def mono_font(point_size: int) -> QFont:
    """A monospace font for keys and codes, where 0/O and 1/l must not be confused."""
    font = QFont()
    font.setFamilies(list(MONO_FAMILIES))
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setPointSize(point_size)
    return font


def _palette() -> QPalette:
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: WINDOW,
        QPalette.ColorRole.WindowText: INK,
        QPalette.ColorRole.Base: SURFACE,
        QPalette.ColorRole.AlternateBase: "#F0F3F5",
        QPalette.ColorRole.Text: INK,
        QPalette.ColorRole.Button: SURFACE,
        QPalette.ColorRole.ButtonText: INK,
        QPalette.ColorRole.Highlight: ACCENT,
        QPalette.ColorRole.HighlightedText: "#FFFFFF",
        QPalette.ColorRole.ToolTipBase: INK,
        QPalette.ColorRole.ToolTipText: "#FFFFFF",
        QPalette.ColorRole.PlaceholderText: "#8A96A0",
        QPalette.ColorRole.Link: ACCENT,
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#9AA5AE"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor("#9AA5AE"))
    return palette


def apply_style(app: QApplication) -> None:
    app.setStyle("Fusion")
    app.setPalette(_palette())
    font = app.font()
    # Reception PCs are often small laptops read from a standing position: slightly larger text.
    font.setPointSize(max(font.pointSize(), 10))
    app.setFont(font)
    app.setStyleSheet(STYLE_SHEET)


def set_role(widget: QWidget, role: str) -> None:
    """Gives `widget` one of the roles the style sheet knows and re-polishes it."""
    widget.setProperty("role", role)
    repolish(widget)


def repolish(widget: QWidget) -> None:
    """Re-applies the style sheet after a dynamic property (role, invalid, level) changed."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def bold(widget: QWidget, point_size: int | None = None) -> None:
    """Bold through the font, not the style sheet, so the layout measures the bold text
    (a style-sheet weight can leave buttons and labels clipped)."""
    font = widget.font()
    font.setBold(True)
    if point_size:
        font.setPointSize(point_size)
    widget.setFont(font)
