"""What tests let the bot see of this machine, and how long they wait for it.

No test reads, or is influenced by, the developer's `.env` or environment: processes get an
environment built here, and in-process code never sees the bot's variables (conftest removes
them for the session). Every deadline a test waits to scales with TEST_TIMEOUT_SCALE (default 1;
a busy machine or CI may raise it): waits poll until the deadline, so a larger scale costs
nothing when things are fast.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_SCALE = float(os.environ.get("TEST_TIMEOUT_SCALE") or 1)
# What a process needs of the machine to run Python at all; nothing the bot reads.
SYSTEM_VARIABLES = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "SYSTEMROOT", "VIRTUAL_ENV")


def scaled(seconds: float) -> float:
    """A deadline of `seconds` on an idle machine."""
    return seconds * TIMEOUT_SCALE


def bot_variables() -> list[str]:
    """Every variable the bot reads: the ones `.env.example` lists."""
    return re.findall(r"^([A-Z][A-Z0-9_]*)=", (ROOT / ".env.example").read_text(), flags=re.MULTILINE)


def process_env(**env: str) -> dict[str, str]:
    """An environment for a real process of the bot: the machine's basics and `env`, nothing else."""
    return {**{name: os.environ[name] for name in SYSTEM_VARIABLES if name in os.environ}, **env}
