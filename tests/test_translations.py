"""Every user-visible string in the code has a Spanish translation, and the Spanish catalog
keeps every named placeholder of its English source (a missing one would crash .format())."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from clinic_desktop import i18n

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "resources" / "translations" / "es" / "LC_MESSAGES" / "clinic_desktop.po"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _source_messages() -> dict[str, str]:
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _ctx in extract_from_dir(
        str(ROOT / "clinic_desktop"), keywords=KEYWORDS
    ):
        # A plural message is catalogued under its singular msgid.
        text = message[0] if isinstance(message, tuple) else message
        if text:
            found.setdefault(text, f"{filename}:{lineno}")
    return found


def _translated(message: object) -> bool:
    string = getattr(message, "string", None)
    if isinstance(string, tuple | list):
        return all(string)
    return bool(string)


def test_every_string_has_a_spanish_translation():
    with CATALOG.open("rb") as fh:
        catalog = read_po(fh, locale="es")
    missing = [
        f"{where}: {text!r}"
        for text, where in sorted(_source_messages().items(), key=lambda kv: kv[1])
        if not _translated(catalog.get(text))
    ]
    assert missing == [], f"{len(missing)} strings lack Spanish:\n" + "\n".join(missing[:40])


def test_translations_keep_their_placeholders():
    with CATALOG.open("rb") as fh:
        catalog = read_po(fh, locale="es")
    wrong = [
        message.id
        for message in catalog
        if message.id
        and isinstance(message.id, str)
        and message.string
        and set(PLACEHOLDER.findall(message.id)) != set(PLACEHOLDER.findall(message.string))
    ]
    assert wrong == []


def test_spanish_is_the_default_and_english_is_available():
    assert i18n.DEFAULT_LANGUAGE == "es" and "en" in i18n.LANGUAGES
    i18n.set_language("es")
    try:
        assert i18n._("Wrong user name or password.") == "Usuario o contraseña incorrectos."
    finally:
        i18n.set_language("en")
    assert i18n._("Wrong user name or password.") == "Wrong user name or password."
