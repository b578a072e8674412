"""The backups screen: make, list, copy and restore verified backups."""

from clinic_desktop.ui.backups.page import BackupsPage

__all__ = ["BackupsPage"]
