"""The users screen: accounts, their roles and status, and the role permission matrix."""

from clinic_desktop.ui.users.page import UsersPage

__all__ = ["UsersPage"]
