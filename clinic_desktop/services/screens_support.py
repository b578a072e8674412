"""Small read-only helpers the administration screens need: which role grants are fixed, so
the permissions matrix can grey those cells out instead of failing on a click. (The clinic's
profile and time zone come from services.clinic_info.get_clinic.)"""

from __future__ import annotations

from clinic_desktop.models.permissions import OWNER_ONLY, Permission, Role


def fixed_grants() -> frozenset[tuple[str, str]]:
    """(role, permission) cells that set_grant refuses to change: owner-only capabilities for
    every role, and the owner's own grip on users and grants (mirrors services.users.set_grant)."""
    cells = {(role.value, p.value) for role in Role for p in OWNER_ONLY}
    cells |= {
        (Role.OWNER.value, Permission.GRANTS_MANAGE.value),
        (Role.OWNER.value, Permission.USERS_MANAGE.value),
    }
    return frozenset(cells)
