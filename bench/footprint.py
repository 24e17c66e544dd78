"""The process: start-up time and memory of `organizer-bot run` against a bare Bolt app.

In one run, on loopback only, against one fake Slack Web API (tests/fakeslack.py), with a
database holding 100k events for the team (half of them over) and as many again over 50
other teams (tests/eventseed.py):

- start-up: from spawning the process to its first `200 ok` on GET /healthz, --starts times
  each, alternating, for `organizer-bot run` (HTTP mode, scheduler in-process, as deployed
  with SQLite) and for bench/bare_bolt.py (Bolt, the same waitress server, no database): the
  quickest start of each (other work on the machine only ever adds to a start), and the CPU
  time the process had used by then (all its threads, from /proc: what the machine's load
  changes least);
- memory: resident set size (VmRSS) once idle, and after --commands slash commands
  (`/event list`, `list CA`, `list city Denver`, `list rally`, `show <id>`, round-robin)
  sent by --clients concurrent clients; the peak (VmHWM) too.

Both processes get the same environment (token, signing secret, SLACK_API_URL, DATABASE_URL,
PORT) and run from an empty directory, so no `.env` is read. The history is as a running clock
leaves it: the hosts of the events already over were asked for their reports as each ended
(`--unasked` leaves the ~500 that ended in the last two days due, and the process then spends
its life sending those questions, one a second to their one host: not idle).

Targets (issue 9): idle RSS within 1.6x of the bare app, after the commands within 2x;
start-up within 2x. Exit status 0 when every target passes.

    .venv/bin/python bench/footprint.py [--database postgresql://...] [--events 100000] [--commands 1000]
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from ack_latency import SECRET, command_body, send  # noqa: E402
from event_list import LISTS, OTHER_TEAMS, reseed  # noqa: E402
from sqlalchemy import select  # noqa: E402

from bot.settings import normalize_database_url  # noqa: E402
from eventseed import asked_as_they_ended, fresh_database  # noqa: E402
from fakeslack import TEAM_ID, FakeSlack  # noqa: E402
from storage.models import Event  # noqa: E402
from timemath import utcnow  # noqa: E402

TOKEN = "xoxb-bench"
STARTUP = "start-up to /healthz"
TARGETS = {"idle RSS": 1.6, "RSS after the commands": 2.0, STARTUP: 2.0}
WALL_CLOCK_LIMIT = 600.0
HEALTH_TIMEOUT = 30.0
running: list[subprocess.Popen] = []  # killed by the watchdog if the run overstays


@dataclass
class Subject:
    name: str
    argv: list[str]
    starts_ms: list[float] = field(default_factory=list)
    starts_cpu_ms: list[float] = field(default_factory=list)
    failed: int = 0  # commands not answered 200
    figures: dict[str, float] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cpu_ms(pid: int) -> float:
    """CPU time the process has used so far, all its live threads, in ms (scheduler statistics:
    nanoseconds, where /proc/<pid>/stat counts 10 ms ticks)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (OSError, IndexError, ValueError):  # a thread that just ended
            pass
    return total / 1e6


def spawn(subject: Subject, env: dict[str, str], cwd: str) -> tuple[subprocess.Popen, int, float]:
    """Start the process; return it, its port and the milliseconds until /healthz answered 200
    (and note the CPU it had used by then)."""
    port = free_port()
    log = Path(cwd) / f"{subject.name.replace(' ', '-')}.log"  # a file: an unread pipe would fill and block the process
    started = time.perf_counter()
    with log.open("ab") as stderr:
        process = subprocess.Popen(
            subject.argv, env={**env, "PORT": str(port)}, cwd=cwd, stdout=subprocess.DEVNULL, stderr=stderr
        )
    running.append(process)
    deadline = time.monotonic() + HEALTH_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{subject.name} exited with {process.returncode}: {log.read_text()[-2000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                elapsed = (time.perf_counter() - started) * 1000
                subject.starts_cpu_ms.append(cpu_ms(process.pid))
                return process, port, elapsed
        except OSError:
            time.sleep(0.005)
    stop(process)
    raise SystemExit(f"{subject.name} did not answer /healthz within {HEALTH_TIMEOUT:.0f} s")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    running.remove(process)


def give_up() -> None:
    print("bench: over time, giving up", file=sys.stderr, flush=True)
    for process in running:
        process.kill()
    os._exit(2)


def memory_mb(pid: int) -> dict[str, float]:
    """VmRSS (resident now) and VmHWM (resident at its peak), in MB."""
    with open(f"/proc/{pid}/status") as status:
        fields = dict(line.split(":", 1) for line in status)
    return {key: int(fields[key].split()[0]) / 1024 for key in ("VmRSS", "VmHWM")}


KINDS = len(LISTS) + 1  # the lists, then `/event show <id>`


def command_texts(event_ids: list[int], count: int) -> list[str]:
    """The four lists and `/event show` of one of the team's events, round-robin."""
    return [
        LISTS[n % KINDS] if n % KINDS < len(LISTS) else f"show {event_ids[n % len(event_ids)]}" for n in range(count)
    ]


def commands(fake: FakeSlack, port: int, texts: list[str], clients: int) -> int:
    """Send every command in `texts`, `clients` at a time, each client on a kept-alive connection;
    returns how many were not answered 200 (Bolt answers 404 to a command not acked in 3 s)."""
    queue = iter(texts)
    lock = threading.Lock()
    failed = [0]

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                text = next(queue, None)
            if text is None:
                break
            try:
                _, status, _ = send(connection, command_body(fake, text))
            except OSError:
                status = 0
                connection.close()  # reconnects on the next request
            if status != 200:
                with lock:
                    failed[0] += 1
        connection.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failed[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="SQLAlchemy URL (its schema is dropped); default: a temporary SQLite file")
    parser.add_argument("--events", type=int, default=100_000, help="events of the team (100000)")
    parser.add_argument("--commands", type=int, default=1000, help="commands before the second reading (1000)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients sending them (4)")
    parser.add_argument("--starts", type=int, default=5, help="start-ups timed per process (5)")
    parser.add_argument("--settle", type=float, default=2.0, help="seconds idle before the idle reading (2)")
    parser.add_argument(
        "--unasked",
        action="store_true",
        help="leave the events that ended in the last two days unasked for their reports (not idle)",
    )
    args = parser.parse_args()

    watchdog = threading.Timer(WALL_CLOCK_LIMIT, give_up)
    watchdog.daemon = True
    watchdog.start()
    began = time.monotonic()
    bin_dir = Path(sys.executable).parent
    subjects = (
        Subject("organizer-bot run", [str(bin_dir / "organizer-bot"), "run"]),
        Subject("bare Bolt", [sys.executable, str(ROOT / "bench" / "bare_bolt.py")]),
    )
    with tempfile.TemporaryDirectory(prefix="footprint-bench-") as tmp, FakeSlack() as fake:
        fake.add_user("U1", tz="America/Chicago", real_name="Sara Wohlleb")
        url = normalize_database_url(args.database or f"sqlite:///{Path(tmp) / 'bench.db'}")
        db = fresh_database(url)
        reseed(db, args.events)
        asked = 0 if args.unasked else asked_as_they_ended(db, utcnow())
        with db.session() as session:
            ids = list(session.scalars(select(Event.id).where(Event.team_id == TEAM_ID).limit(500)))
        db.dispose()
        print(
            f"{args.events:,} events for the team (+{args.events:,} over {OTHER_TEAMS} teams) on {db.engine.dialect.name}; "
            f"{'the hosts of those over asked for reports' if asked else 'events over left unasked for reports'}",
            flush=True,
        )
        env = {
            "PATH": os.environ.get("PATH", ""),
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake.api_url,
            "DATABASE_URL": url,
            "LOG_LEVEL": "WARNING",
        }
        workdir = Path(tmp) / "cwd"
        workdir.mkdir()
        texts = command_texts(ids, args.commands)

        for _ in range(args.starts):
            for subject in subjects:
                process, _, elapsed = spawn(subject, env, str(workdir))
                subject.starts_ms.append(elapsed)
                stop(process)
        load = os.getloadavg()[0]
        for subject in subjects:
            process, port, _ = spawn(subject, env, str(workdir))
            try:
                time.sleep(args.settle)
                subject.figures["idle RSS"] = memory_mb(process.pid)["VmRSS"]
                # One command of each kind first: what their first use costs, apart from any growth.
                subject.failed = commands(fake, port, texts[:KINDS], 1)
                subject.figures[f"RSS after {KINDS} commands"] = memory_mb(process.pid)["VmRSS"]
                subject.failed += commands(fake, port, texts[KINDS:], args.clients)
                fake.reset()
                time.sleep(1.0)
                after = memory_mb(process.pid)
                subject.figures["RSS after the commands"] = after["VmRSS"]
                subject.figures["peak RSS (VmHWM)"] = after["VmHWM"]
            finally:
                stop(process)
            subject.figures[STARTUP] = min(subject.starts_ms)
            subject.figures["start-up, median"] = statistics.median(subject.starts_ms)
            subject.figures["CPU to /healthz"] = min(subject.starts_cpu_ms[: args.starts])  # not the memory run's start

    ours, bare = subjects
    print(f"\n{'measure':32} | {'organizer-bot run':>17} | {'bare Bolt':>10} | ratio | target")
    print("-" * 82)
    ok = True
    for measure, value in ours.figures.items():
        unit = "MB" if "RSS" in measure else "ms"
        ratio = value / bare.figures[measure]
        target = TARGETS.get(measure)
        passed = target is None or ratio <= target
        ok &= passed
        verdict = f"<= {target}x {'PASS' if passed else 'FAIL'}" if target else ""
        print(f"{measure:32} | {value:14.1f} {unit} | {bare.figures[measure]:7.1f} {unit} | {ratio:4.2f}x | {verdict}")
    for subject in subjects:
        print(f"{subject.name}: {args.commands - subject.failed}/{args.commands} commands answered 200")
    print(
        f"(start-ups: organizer-bot {', '.join(f'{s:.0f}' for s in ours.starts_ms)} ms; "
        f"bare {', '.join(f'{s:.0f}' for s in bare.starts_ms)} ms; load average {load:.1f} then. "
        f"{args.commands} commands by {args.clients} clients; "
        f"total run {time.monotonic() - began:.0f} s; Python {sys.version.split()[0]}, {os.cpu_count()} CPUs)"
    )
    watchdog.cancel()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
