"""Every word a person reads comes from a catalog, and every catalog message has its Spanish."""

from __future__ import annotations

import ast
import subprocess
import sys
import threading
from datetime import date, datetime
from pathlib import Path

import pytest

from i18n_scan import untranslated, untranslated_in_template
from messages import dates, errors
from messages.i18n import best_accepted, catalog, current_language, speaking, supported
from timemath import UTC

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import i18n as catalogs  # noqa: E402 - tools/i18n.py, the catalogs' build

# Where the words people read are written; nothing here may bypass the catalogs.
SCANNED = ("messages", "handlers", "services")
NOT_SCANNED = {
    "messages/i18n.py": "names each language in itself (English, Español)",
    "services/listings.py": "reads listings written in English: its words are what it looks for, not what it says",
}


def _scanned() -> list[Path]:
    return sorted(
        path
        for layer in SCANNED
        for path in (ROOT / layer).rglob("*.py")
        if path.relative_to(ROOT).as_posix() not in NOT_SCANNED
    )


def test_every_catalog_is_complete_translated_and_compiled():
    """What `tools/i18n.py check` says: each message of the code is in the Spanish catalogs,
    translated (not fuzzy), its placeholders kept, and compiled into the .mo the bot reads."""
    assert catalogs.problems() == []


@pytest.mark.parametrize("path", _scanned(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_text_bypasses_the_catalogs(path):
    found = untranslated(path, ROOT)
    assert not found, "text outside a catalog (wrap it in _() of the module's catalog):\n" + "\n".join(map(str, found))


@pytest.mark.parametrize("path", sorted((ROOT / "web" / "templates").glob("*.html")), ids=lambda p: p.name)
def test_no_text_in_the_public_pages_templates_bypasses_the_catalog(path):
    found = untranslated_in_template(path, ROOT)
    assert not found, 'text outside the catalog (write it as {{ _("...") }}):\n' + "\n".join(map(str, found))


@pytest.mark.parametrize("path", sorted((ROOT / "messages").glob("*.py")), ids=lambda p: p.name)
def test_messages_are_translated_when_drawn_not_at_import(path):
    """A `_()` run at import would be frozen in the language of no one; tables use N_()."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    at_import = [
        node
        for statement in tree.body
        if not isinstance(statement, (ast.FunctionDef, ast.ClassDef))
        for node in ast.walk(statement)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"_", "ngettext", "pgettext"}
    ]
    assert not at_import, [f"{path.name}:{node.lineno}" for node in at_import]


@pytest.mark.parametrize("path", _scanned(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_message_is_looked_up_inside_an_f_string(path):
    """Extraction does not read inside f-strings: a `_("…")` there would never reach the catalogs."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    hidden = [
        node
        for fstring in ast.walk(tree)
        if isinstance(fstring, ast.JoinedStr)
        for node in ast.walk(fstring)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"_", "ngettext", "pgettext", "N_"}
        and any(isinstance(arg, ast.Constant) for arg in node.args)
    ]
    assert not hidden, [f"{path.relative_to(ROOT)}:{node.lineno}" for node in hidden]


def test_each_feature_reads_its_own_catalog():
    for path in sorted((ROOT / "messages").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "catalog":
                assert [a.value for a in node.args] == [path.stem], f"{path.name} reads catalog {ast.unparse(node)}"


def test_slack_locales_map_to_the_languages_spoken():
    assert [supported(x) for x in ("es-LA", "es-ES", "es_MX", "ES", "en-US", "en-GB", "fr-FR", "", None)] == [
        "es",
        "es",
        "es",
        "es",
        "en",
        "en",
        "en",
        "en",
        "en",
    ]


def test_a_message_is_drawn_in_the_language_of_its_context():
    assert errors.cannot_save_now().startswith("Sorry, I can't save")
    with speaking("es-LA"):
        assert current_language() == "es"
        assert errors.cannot_save_now().startswith("Perdón, ahora mismo no puedo guardar")
        with speaking("en"):
            assert errors.cannot_save_now().startswith("Sorry, I can't save")
    assert current_language() == "en"


def test_a_deferred_language_is_decided_once_and_only_when_needed():
    asked = []

    def decide() -> str:
        asked.append(1)
        return "es-ES"

    with speaking(decide):
        assert asked == []
        seen = []
        thread = threading.Thread(target=lambda: seen.append(current_language()))
        thread.start()  # a new thread starts from an empty context: the default language
        thread.join()
        assert (current_language(), current_language(), seen) == ("es", "es", ["en"])
    assert asked == [1]


def test_a_message_missing_from_a_catalog_is_shown_in_english():
    _, _n, _p = catalog("errors")
    with speaking("es"):
        assert _("A sentence no catalog has.") == "A sentence no catalog has."


def test_the_not_installed_answer_is_in_every_language_at_once():
    with speaking("es"):
        text = errors.not_installed()
    assert "is not installed" in text and "ya no está instalado" in text


def test_dates_are_written_in_each_language():
    instant = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)
    assert dates.moment(instant, "America/Chicago") == "Sat, Nov 21, 2026 at 9:00 AM CST"
    assert dates.days(date(2018, 1, 27), date(2018, 2, 3)) == "Sat, Jan 27 – Sat, Feb 3, 2018"
    with speaking("es"):
        assert dates.moment(instant, "America/Chicago") == "sáb, 21 nov 2026, 9:00 CST"
        assert dates.days(date(2018, 1, 27), date(2018, 2, 3)) == "sáb, 27 ene – sáb, 3 feb 2018"
        assert dates.weekday(date(2026, 11, 21)) == "sábado"
        assert dates.time_of_day(instant.time()) == "15:00"


def test_the_check_fails_on_an_untranslated_message(tmp_path, monkeypatch):
    """The catalogs' check is not a formality: a new message without its Spanish fails it."""
    module = tmp_path / "messages" / "sample.py"
    module.parent.mkdir()
    module.write_text(
        'from messages.i18n import catalog\n_, ngettext, pgettext = catalog("sample")\n\n'
        'def hello():\n    return _("Hello, organizers.")\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(catalogs, "ROOT", tmp_path)
    monkeypatch.setattr(catalogs, "MESSAGES", tmp_path / "messages")
    monkeypatch.setattr(catalogs, "TEMPLATES", tmp_path / "templates")
    monkeypatch.setattr(catalogs, "LOCALE_DIR", tmp_path / "messages" / "locale")
    problems = catalogs.problems()
    assert any("missing 'Hello, organizers.'" in p for p in problems), problems
    catalogs.update()
    problems = catalogs.problems()
    assert any("not translated: 'Hello, organizers.'" in p for p in problems), problems


def test_the_templates_words_are_extracted_into_the_public_catalog(tmp_path, monkeypatch):
    """Whatever way a template asks for a translation, its words land in `public`, with the
    translators' comments."""
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "counts.html").write_text(
        '{{ ngettext("{count} event", "{count} events", n).format(count=n) }}\n', encoding="utf-8"
    )
    (templates / "block.html").write_text(
        "{# TRANSLATORS: a greeting #}\n{%- trans %}Welcome,\n  organizers{% endtrans %}\n", encoding="utf-8"
    )
    (templates / "plain.html").write_text("<p>{{ event.title }}</p>\n", encoding="utf-8")
    monkeypatch.setattr(catalogs, "ROOT", tmp_path)
    monkeypatch.setattr(catalogs, "MESSAGES", tmp_path / "messages")
    monkeypatch.setattr(catalogs, "TEMPLATES", templates)
    (tmp_path / "messages").mkdir()
    [(domain, files)] = catalogs.sources().items()
    assert (domain, sorted(path.name for _method, path in files)) == ("public", ["block.html", "counts.html"])
    extracted = {message.id: message for message in catalogs.extract(domain, files) if message.id}
    assert set(extracted) == {
        ("{count} event", "{count} events"),
        "Welcome, organizers",
    }  # trimmed, as the site renders it
    assert extracted["Welcome, organizers"].auto_comments == ["a greeting"]


def test_the_command_line_check_passes():
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "i18n.py"), "check"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_browser_gets_the_language_it_prefers_most_by_primary_tag():
    from werkzeug.http import parse_accept_header

    def best(header: str) -> str | None:
        return best_accepted(parse_accept_header(header))

    assert best("es-MX, en;q=0.5") == "es"  # a regional tag counts for its language
    assert best("en-US,en;q=0.9,es;q=0.8") == "en"
    assert best("fr-FR, es;q=0.5") == "es"  # the best of those we speak
    assert best("es;q=0, en;q=0.1") == "en"  # q=0: not acceptable
    assert best("fr") is None and best("") is None
