"""The schedules screen: practitioners and their hours, time off, closures and holidays, rooms
and appointment types."""

from clinic_desktop.ui.schedules.page import SchedulesPage

__all__ = ["SchedulesPage"]
