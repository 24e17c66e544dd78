"""The translation catalogs: extract every message from the code into them, and compile them.

    .venv/bin/python tools/i18n.py update   # add new messages to each language's .po, drop gone ones
    .venv/bin/python tools/i18n.py compile  # write the .mo files the bot reads
    .venv/bin/python tools/i18n.py check    # exit 1 unless every message is in every catalog, translated, compiled

One catalog per feature (`messages/<feature>.py`; the public pages' templates share
`public`), in `messages/locale/<language>/LC_MESSAGES/<feature>.po`, as messages.i18n reads
them. Write a message in the code, run `update`, translate it in the `.po` (a text editor or
Poedit), run `compile`; the test suite runs `check`. Babel does the extraction (Python and,
with Jinja's extractor, the templates), the merging and the compiling.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
MESSAGES = ROOT / "messages"
TEMPLATES = ROOT / "web" / "templates"
LOCALE_DIR = MESSAGES / "locale"
TRANSLATED = ("es",)  # English is the language of the code itself
TEMPLATES_DOMAIN = "public"
# A template with words to translate: a gettext call (`_(`, `ngettext(`, `pgettext(`) or a
# `{% trans %}` block (`{%- trans` too).
TRANSLATES = re.compile(r"\b(?:_|gettext|ngettext|pgettext|npgettext)\(|\{%-?\s*trans\b")
TRANSLATOR_COMMENTS = ["TRANSLATORS:"]
PROJECT = "organizer-bot"
# A new catalog's header. Spanish in the conventional two forms of gettext (CLDR's third, for
# exact millions, would ask translators for a form no count of ours reaches).
NEW_CATALOG = """\
msgid ""
msgstr ""
"Project-Id-Version: organizer-bot\\n"
"Language: {language}\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"""


def sources() -> dict[str, list[tuple[str, Path]]]:
    """Each catalog's files, with the extractor that reads them."""
    domains: dict[str, list[tuple[str, Path]]] = {}
    for path in sorted(MESSAGES.glob("*.py")):
        if "catalog(" in path.read_text(encoding="utf-8") and path.stem != "i18n":
            domains.setdefault(path.stem, []).append(("python", path))
    for path in sorted(TEMPLATES.glob("*.html")):
        if TRANSLATES.search(path.read_text(encoding="utf-8")):
            domains.setdefault(TEMPLATES_DOMAIN, []).append(("jinja2.ext:babel_extract", path))
    return domains


def extract(domain: str, files: list[tuple[str, Path]]) -> Catalog:
    template = Catalog(project=PROJECT, domain=domain, fuzzy=False)
    for method, path in files:
        options = {"extensions": "jinja2.ext.i18n", "trimmed": "true"} if method.startswith("jinja2") else {}
        found = extract_from_file(
            method,
            str(path),
            keywords=DEFAULT_KEYWORDS,
            comment_tags=TRANSLATOR_COMMENTS,
            options=options,
            strip_comment_tags=True,
        )
        for _lineno, message, comments, context in found:
            template.add(
                message, locations=[(path.relative_to(ROOT).as_posix(), None)], auto_comments=comments, context=context
            )
    return template


def po_path(language: str, domain: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"


def read(path: Path, language: str, domain: str) -> Catalog:
    if not path.exists():
        catalog = read_po(io.StringIO(NEW_CATALOG.format(language=language)), locale=language, domain=domain)
        catalog.project, catalog.version, catalog.msgid_bugs_address = PROJECT, "1", ""
        catalog.last_translator = catalog.language_team = "organizer-bot"
        return catalog
    with path.open("rb") as file:
        return read_po(file, locale=language, domain=domain)


def write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    # One line a message (easy to edit and to diff), no line numbers (a translation should not
    # change because code moved).
    write_po(buffer, catalog, width=0, include_lineno=False, ignore_obsolete=True, omit_header=False)
    path.write_bytes(buffer.getvalue())


def catalogs() -> Iterator[tuple[str, str, Catalog, Catalog]]:
    """(language, domain, what the code says now, the catalog as it is on disk)."""
    for domain, files in sources().items():
        template = extract(domain, files)
        for language in TRANSLATED:
            yield language, domain, template, read(po_path(language, domain), language, domain)


def update() -> None:
    for language, domain, template, catalog in catalogs():
        created = catalog.creation_date
        catalog.update(template, no_fuzzy_matching=True)
        catalog.fuzzy, catalog.creation_date = False, created  # the header changes only with what it says
        write(catalog, po_path(language, domain))
        untranslated = [m.id for m in catalog if m.id and not _translated(m)]
        print(
            f"{po_path(language, domain).relative_to(ROOT)}: {len(catalog)} messages, {len(untranslated)} to translate"
        )


def compile_all() -> None:
    for language, domain, _template, catalog in catalogs():
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        po_path(language, domain).with_suffix(".mo").write_bytes(buffer.getvalue())


def problems() -> list[str]:
    """What stands between the code and complete, compiled catalogs; empty when nothing does."""
    found = []
    for language, domain, template, catalog in catalogs():
        where = po_path(language, domain).relative_to(ROOT)
        wanted = {_key(m) for m in template if m.id}
        present = {_key(m) for m in catalog if m.id}
        found += [
            f"{where}: missing {_shown(key)} (run tools/i18n.py update)" for key in sorted(wanted - present, key=str)
        ]
        found += [
            f"{where}: no longer in the code: {_shown(key)} (run tools/i18n.py update)"
            for key in sorted(present - wanted, key=str)
        ]
        found += [
            f"{where}: not translated: {m.id!r}" for m in catalog if m.id and _key(m) in wanted and not _translated(m)
        ]
        found += [f"{where}: {m.id!r}: {error}" for m, errors in catalog.check() for error in errors]
        mo = po_path(language, domain).with_suffix(".mo")
        if not mo.exists() or _compiled(catalog) != _compiled(_read_mo(mo)):
            found.append(f"{mo.relative_to(ROOT)}: not compiled from the .po (run tools/i18n.py compile)")
    return found


def _key(message) -> tuple[str | tuple[str, ...], str | None]:
    return _plain(message.id), message.context


def _plain(value: str | list | tuple) -> str | tuple[str, ...]:
    """A plural message's forms as a tuple: a .po gives a tuple, a .mo a list (not hashable, never equal)."""
    return tuple(value) if isinstance(value, (list, tuple)) else value


def _shown(key: tuple) -> str:
    message, context = key
    return f"{message!r}" + (f" (context {context!r})" if context else "")


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return not message.fuzzy and all(strings)


def _read_mo(path: Path) -> Catalog:
    with path.open("rb") as file:
        return read_mo(file)


def _compiled(catalog: Catalog) -> dict:
    return {_key(m): _plain(m.string) for m in catalog if m.id and _translated(m)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("update", "compile", "check"))
    action = parser.parse_args(argv).action
    if action == "update":
        update()
    elif action == "compile":
        compile_all()
    else:
        found = problems()
        print("\n".join(found) or "every message is translated and compiled")
        return 1 if found else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
