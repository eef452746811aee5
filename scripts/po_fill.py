"""Fill English translations into the gettext catalogue from a JSON dictionary.

Usage: python scripts/po_fill.py leitbild/locale/en/LC_MESSAGES/django.po TRANSLATIONS.json
Entries already translated are kept; the script prints how many remain untranslated.
"""

import json
import sys

import polib


def main(po_path: str, json_path: str) -> int:
    po = polib.pofile(po_path)
    table = json.load(open(json_path, encoding="utf-8"))
    for entry in po:
        if entry.msgid in table and (not entry.msgstr or "fuzzy" in entry.flags):
            entry.msgstr = table[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.save()
    # A fuzzy entry (msgmerge's guess from a similar msgid) is not compiled: it counts as missing.
    missing = [
        e.msgid
        for e in po
        if not e.obsolete
        and ("fuzzy" in e.flags or (not e.msgstr and not any(e.msgstr_plural.values())))
    ]
    print(f"{len(missing)} untranslated")
    for msgid in missing:
        print("  ", msgid)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
