"""Merges translation fragments (resources/translations/es/fragments/*.po, written while
features are built in parallel) into the Spanish catalog, then removes them. Existing
translations in the catalog win; a msgid in two fragments keeps the first one read."""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LANG_DIR = ROOT / "resources" / "translations" / "es"
CATALOG = LANG_DIR / "LC_MESSAGES" / "clinic_desktop.po"


def main() -> int:
    if CATALOG.exists():
        with CATALOG.open("rb") as fh:
            catalog = read_po(fh, locale="es")
    else:
        catalog = Catalog(locale="es", domain="clinic_desktop", project="clinic-desktop")
    fragments = sorted((LANG_DIR / "fragments").glob("*.po"))
    added = 0
    for fragment in fragments:
        with fragment.open("rb") as fh:
            part = read_po(fh, locale="es")
        for message in part:
            if not message.id or not message.string:
                continue
            existing = catalog.get(message.id)
            if existing is None or not existing.string:
                catalog.add(message.id, message.string)
                added += 1
    for message in catalog:
        message.flags.discard("fuzzy")
    with CATALOG.open("wb") as fh:
        write_po(fh, catalog, omit_header=False, sort_output=True, width=100)
    for fragment in fragments:
        fragment.unlink()
    print(f"merged {added} messages from {len(fragments)} fragments into {CATALOG}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
