"""Translation of user-visible text with gettext. Source strings are English; Spanish is the
default UI language. Catalogs live in resources/translations and are compiled to .mo by
`make translations`; until one is compiled the UI falls back to English rather than failing."""

from __future__ import annotations

import gettext
from pathlib import Path

DOMAIN = "clinic_desktop"
DEFAULT_LANGUAGE = "es"
LANGUAGES: dict[str, str] = {"es": "Español", "en": "English"}
TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "resources" / "translations"

_current: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def set_language(language: str) -> None:
    """Switches every later _() call to `language` ("es" or "en")."""
    global _current, _language
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    _language = language
    if language == "en":
        _current = gettext.NullTranslations()
        return
    _current = gettext.translation(
        DOMAIN, localedir=str(TRANSLATIONS_DIR), languages=[language], fallback=True
    )


def current_language() -> str:
    return _language


def _(message: str) -> str:
    """Translates `message`; use named placeholders and .format() after translating."""
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a string for extraction without translating it now (translated where shown)."""
    return message


set_language(DEFAULT_LANGUAGE)
