"""The trash screen: soft-deleted records of every kind, and restoring them."""

from clinic_desktop.ui.trash.page import TrashPage

__all__ = ["TrashPage"]
