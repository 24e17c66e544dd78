"""The real `organizer-bot` in a real process, configured only through its environment, for
tests whose fault is a process's death (SIGTERM, kill -9)."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import bot_env
from environment import process_env, scaled
from fakeslack import FakeSlack


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class BotProcess:
    def __init__(self, slack: FakeSlack, database_url: str, workdir: Path, *args: str, **env: str) -> None:
        self.port = free_port()
        self.args = args
        self.env = process_env(**{**bot_env(slack, database_url), "PORT": str(self.port), "LOG_LEVEL": "INFO", **env})
        self.workdir = workdir
        self.log = workdir / f"bot-{self.port}.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/slack/events"

    def start(self, *, wait_http: bool = True) -> BotProcess:
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", *self.args],
                env=self.env,
                cwd=self.workdir,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        if wait_http:
            self._wait_healthy()
        return self

    def _wait_healthy(self, timeout: float = 20) -> None:
        deadline = time.monotonic() + scaled(timeout)
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1):
                    return
            except OSError:
                assert self.process.poll() is None, self.output()
                assert time.monotonic() < deadline, "the process did not start listening"
                time.sleep(0.05)

    def output(self) -> str:
        return self.log.read_text() if self.log.exists() else ""

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def terminate(self, timeout: float = 25) -> tuple[int, float]:
        """SIGTERM; returns (exit code, seconds it took)."""
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(scaled(timeout))
        return code, time.monotonic() - started

    def __enter__(self) -> BotProcess:
        return self

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.kill()
