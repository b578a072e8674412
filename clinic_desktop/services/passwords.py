"""Password hashing (Argon2id) and the minimum password policy. Passwords are never logged,
never put in the audit trail and never accepted as command-line arguments."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from clinic_desktop.errors import ValidationError
from clinic_desktop.i18n import _

_hasher = PasswordHasher()  # argon2-cffi's defaults are Argon2id with RFC 9106 parameters
MIN_LENGTH = 10
_TEMP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def check_policy(password: str, *, username: str, field: str = "password") -> None:
    """At least 10 characters with a letter and a digit, and not the user name."""
    if len(password) < MIN_LENGTH:
        raise ValidationError(
            _("Password: it must have at least {n} characters.").format(n=MIN_LENGTH), field=field
        )
    if not any(ch.isalpha() for ch in password) or not any(ch.isdigit() for ch in password):
        raise ValidationError(
            _("Password: it must contain at least one letter and one digit."), field=field
        )
    if username and username.lower() in password.lower():
        raise ValidationError(_("Password: it must not contain the user name."), field=field)


def temporary_password() -> str:
    """A readable temporary password that satisfies the policy; the user must change it."""
    body = secrets.choice("abcdefghjkmnpqrstuvwxyz") + "".join(
        secrets.choice(_TEMP_ALPHABET) for _ in range(9)
    )
    return f"{body[:5]}-{body[5:]}{secrets.randbelow(10)}"
