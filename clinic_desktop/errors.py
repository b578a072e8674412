"""Errors whose message is safe to show to a user: already translated, naming the field and the
rule that failed. Anything else that escapes a service is a bug, logged with its traceback and
shown to the user only as a generic apology."""

from __future__ import annotations

from datetime import datetime


class UserFacingError(Exception):
    """An error the user can understand and usually fix; `message` is in the UI language."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class ValidationError(UserFacingError):
    """Bad input: names the field and the rule. Nothing was changed."""


class PermissionDenied(UserFacingError):
    """The actor lacks the capability the service requires."""


class NotFound(UserFacingError):
    """The record asked for does not exist (or is in the trash)."""


class InvalidTransition(UserFacingError):
    """A domain rule forbids this change in the record's current state."""


class ConcurrentEditError(UserFacingError):
    """Someone saved the record after it was loaded; nothing was overwritten."""

    def __init__(self, message: str, *, changed_by: str, changed_at: datetime) -> None:
        super().__init__(message)
        self.changed_by = changed_by
        self.changed_at = changed_at


class AuthenticationFailed(UserFacingError):
    """Wrong user name or password, or the account is locked or disabled."""


class KeyUnavailable(UserFacingError):
    """The database key cannot be obtained from the keyring: the recovery key is needed."""


class WrongKey(UserFacingError):
    """The key (or recovery key) does not open this database."""


class StorageError(UserFacingError):
    """The database file or a backup could not be read or written (corrupt, locked, disk full)."""


class NeedsOverride(ValidationError):
    """The time breaks a rule that may be overridden (outside working hours, a closure, a
    holiday, the past): only someone allowed to, giving a reason, may book it anyway.
    `problems` are the translated reasons, one per rule."""

    def __init__(self, message: str, *, problems: tuple[str, ...], field: str = "start") -> None:
        super().__init__(message, field=field)
        self.problems = problems


class NeedsConfirmation(ValidationError):
    """The input is allowed but unusual (an expiry date already past on a receipt, receiving
    more than was ordered): nothing was changed; the UI asks `question` and, if the user agrees,
    calls the service again with its `confirmed...` flag set. `message` says what is unusual."""

    def __init__(self, message: str, *, question: str, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.question = question
