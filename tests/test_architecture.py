"""The shape of the house, checked: dependencies point one way, and no listener posts to Slack."""

from __future__ import annotations

import ast
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("bot", "handlers", "services", "storage", "messages", "web")
# Who may import whom (DESIGN.md's layout table; `timemath` is neutral).
ALLOWED = {
    "handlers": {"handlers", "services", "messages", "storage"},
    "services": {"services", "storage", "messages"},
    "storage": {"storage"},
    "messages": {"messages", "storage"},
    "web": {"web", "services", "storage", "messages"},
}
# Slack calls that change what people see; listeners leave them to the outbox.
POSTING = {"chat_postMessage", "chat_update", "chat_delete", "files_upload_v2", "chat_scheduleMessage"}


def _modules(layer: str) -> list[Path]:
    return sorted((ROOT / layer).rglob("*.py"))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return {name.split(".")[0] for name in names}


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_dependencies_point_one_way(layer):
    for path in _modules(layer):
        ours = _imports(path) & set(LAYERS)
        assert ours <= ALLOWED[layer], f"{path.relative_to(ROOT)} imports {sorted(ours - ALLOWED[layer])}"


def test_storage_knows_nothing_of_slack():
    for path in _modules("storage"):
        assert not {"slack_sdk", "slack_bolt"} & _imports(path), path


def test_nothing_imports_a_handler_but_the_app_factory():
    for layer in LAYERS:
        for path in _modules(layer):
            if path == ROOT / "bot" / "app.py" or layer == "handlers" and path.name in ("__init__.py", "common.py"):
                continue
            imported = [n for n in _raw_imports(path) if n.startswith("handlers")]
            if layer == "handlers":
                imported = [n for n in imported if n != "handlers.common"]
            assert not imported, f"{path.relative_to(ROOT)} imports {imported}"


def test_the_public_site_knows_nothing_of_slack():
    for path in _modules("web"):
        assert not {"slack_sdk", "slack_bolt"} & _imports(path), path


def _raw_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    return [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module] + [
        alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    ]


def test_no_listener_posts_to_slack_itself():
    for path in _modules("handlers"):
        calls = {node.attr for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.Attribute)}
        assert not calls & POSTING, f"{path.relative_to(ROOT)} calls {sorted(calls & POSTING)}: write it to the outbox"


def test_the_http_server_loads_without_the_database_layer():
    """bench/bare_bolt.py, the benches' baseline, serves through bot.server: it must weigh
    what Bolt and waitress weigh, not SQLAlchemy's 14 MB besides (bot.settings, which the
    server imports, loads SQLAlchemy only to check a database URL)."""
    probe = "import sys, bot.server; print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'storage'}))"
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


# Libraries (and modules of ours) that only some commands or requests need: an idle process
# must not have loaded them (README: "What only some requests or commands need is loaded when
# first needed"). Babel comes with the first date or number written; the site's Flask with the
# first public page; Alembic and mako only when the schema is behind; PyYAML with the shipped
# content's first read; dateutil and the listings parser with the first listing read; tqdm with
# `organizer-bot import`; greenlet and bot.installs with multi-workspace installs; psycopg on
# PostgreSQL only; icalendar with the first calendar feed.
LOADED_WHEN_NEEDED = (
    "alembic",
    "mako",
    "babel",
    "flask",
    "werkzeug",
    "jinja2",
    "web",
    "yaml",
    "dateutil",
    "tqdm",
    "greenlet",
    "psycopg",
    "icalendar",
    "services.listings",
    "services.imports",
    "bot.installs",
)
IDLE_PROBE = """
import gc, http.client, json, os, sys, threading, time

def report_once_idle():
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", int(os.environ["PORT"]), timeout=1)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                break
        except OSError:
            pass
        time.sleep(0.02)
    time.sleep(1)  # the clock's and the delivery worker's first rounds, which begin once the listener is up
    from messages.i18n import _translations
    print(json.dumps({"modules": sorted(sys.modules), "catalogs": sorted(map(list, _translations)),
                      "collecting": gc.isenabled(), "frozen": gc.get_freeze_count()}), flush=True)
    os._exit(0)

threading.Thread(target=report_once_idle, daemon=True).start()
from bot.cli import main
main(["run"])
"""


def test_an_idle_run_process_has_loaded_only_what_every_request_needs(slack, tmp_path):
    """`organizer-bot run` (listener, clock and delivery worker) up and idle, nothing due: what
    only some commands, pages or languages need is still unloaded, and no translation catalog
    has been read but English (which needs none) and `errors`: Bolt takes the answer to a
    workspace without an install as one text at start, said in every language at once. The
    garbage collector, off while starting, collects again, what start-up built frozen out of it."""
    from conftest import bot_env
    from eventseed import fresh_database

    url = f"sqlite:///{tmp_path / 'bot.db'}"
    fresh_database(url).dispose()
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LOG_", "DATABASE_"))},
        **bot_env(slack, url),
        "PORT": str(port),
        "PYTHONPATH": str(ROOT),
        "WEB_THREADS": "8",
    }
    result = subprocess.run(
        [sys.executable, "-c", IDLE_PROBE], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    idle = json.loads(result.stdout.splitlines()[-1])
    loaded = [
        name for name in LOADED_WHEN_NEEDED if any(m == name or m.startswith(f"{name}.") for m in idle["modules"])
    ]
    assert loaded == [], f"an idle process has loaded {loaded}: import it where it is first needed"
    assert [
        (domain, language) for domain, language in idle["catalogs"] if language != "en" and domain != "errors"
    ] == []
    assert idle["collecting"] and idle["frozen"] > 10_000


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
