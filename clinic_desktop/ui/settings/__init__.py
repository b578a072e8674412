"""The settings screen: clinic-wide security, backup and language settings."""

from clinic_desktop.ui.settings.page import SettingsPage

__all__ = ["SettingsPage"]
