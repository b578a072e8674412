"""The audit trail screen: filter, page through and verify the hash-chained log."""

from clinic_desktop.ui.audit.page import AuditPage

__all__ = ["AuditPage"]
