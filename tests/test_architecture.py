"""The shape of the house, checked: dependencies point one way, and no listener posts to Slack."""

from __future__ import annotations

import ast
import os
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
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
