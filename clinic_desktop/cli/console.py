"""Terminal input and output for the admin commands. Secrets (passwords, recovery keys) are
read only from stdin: one line each when stdin is a pipe, so scripts can feed them, and with
getpass (no echo) when a person types them. Nothing here ever writes a secret to a log."""

from __future__ import annotations

import getpass
import sys
from typing import TextIO

from clinic_desktop.errors import ValidationError
from clinic_desktop.i18n import _


class Console:
    """Reads stdin line by line in order, so one piped stdin can carry e.g. the recovery key
    and then a new password for the same command."""

    def __init__(
        self, *, stdin: TextIO | None = None, out: TextIO | None = None, err: TextIO | None = None
    ) -> None:
        self.stdin = stdin if stdin is not None else sys.stdin
        self.out = out if out is not None else sys.stdout
        self.err = err if err is not None else sys.stderr

    def print(self, text: str = "") -> None:
        print(text, file=self.out)

    def warn(self, text: str) -> None:
        print(text, file=self.err)

    def is_interactive(self) -> bool:
        try:
            return self.stdin.isatty()
        except (AttributeError, ValueError):
            return False

    def read_line(self, prompt: str, *, field: str, label: str) -> str:
        """One line from stdin, without its line ending; an empty stdin is a named error."""
        if self.is_interactive():
            try:
                return input(prompt)
            except EOFError:
                pass
        else:
            line = self.stdin.readline()
            if line:
                return line.rstrip("\r\n")
        raise _missing(field, label)

    def read_secret(self, prompt: str, *, field: str, label: str) -> str:
        if self.is_interactive():
            try:
                value = getpass.getpass(prompt)
            except EOFError:
                value = ""
            if value:
                return value
            raise _missing(field, label)
        return self.read_line(prompt, field=field, label=label)

    def read_new_password(self, *, field: str) -> str:
        """A new password: typed twice when a person is at the keyboard, one line from a pipe."""
        label = _("Password")
        first = self.read_secret(_("New password: "), field=field, label=label)
        if self.is_interactive():
            again = self.read_secret(_("Repeat the password: "), field=field, label=label)
            if again != first:
                raise ValidationError(_("Password: the two entries do not match."), field=field)
        return first

    def confirm(self, question: str) -> bool:
        """Asks a yes/no question; anything but an explicit yes (or no input at all) is no."""
        if self.is_interactive():
            try:
                answer = input(question + " ")
            except EOFError:
                return False
        else:
            self.warn(question)
            answer = self.stdin.readline()
        return answer.strip().lower() in {"y", "yes", "s", "si", "sí", _("yes").lower()}


def _missing(field: str, label: str) -> ValidationError:
    return ValidationError(
        _("{field}: nothing was given on standard input.").format(field=label), field=field
    )
