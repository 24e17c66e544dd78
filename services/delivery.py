"""The delivery worker: claims due outbox rows, sends them, records what Slack said.

One `run_once` claims a batch under a lease (kept alive by a heartbeat while the worker
works), posts round by round (the n-th row of every channel in parallel, so no channel is
crowded and Slack's latency is paid many calls at a time), and records each round's results
in one transaction of a few bulk statements, on a thread of its own while the next round
posts; the next batch is claimed while the last round of this one posts. Transient failures
are retried with backoff; a post whose outcome is unknown is looked for in Slack before it
is sent again (services.slackapi); permanent failures are recorded where the organizer will
see them. On shutdown the claims not yet started are handed back at once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial

from slack_sdk import WebClient
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from messages import failures
from services import deliveries, languages, workspaces
from services.deliveries import Effect, Job, Result
from services.runtime import Services
from services.slackapi import FailureKind, Poster
from storage import campaigns as campaign_store
from storage import outbox as store
from storage import reminders as reminder_store
from storage import rsvps
from storage import signups as signup_store
from storage.models import Campaign, Event, OutboxStatus, Reminder

log = logging.getLogger(__name__)

# Slack allows about one message a second per channel; a little margin absorbs network jitter.
CHANNEL_INTERVAL = 1.05
# Posts in flight at once (to different channels).
WORKERS = 16
MAX_ATTEMPTS = 10
MAX_BACKOFF = timedelta(hours=1)


def backoff(attempts: int) -> timedelta:
    """Wait before retry number `attempts` (1, 2, ...): 1 min, 2 min, 4 min ... capped at 1 hour."""
    return min(timedelta(seconds=30 * 2 ** min(attempts, 20)), MAX_BACKOFF)


class Pacer:
    """Keeps posts to one channel at least `interval` seconds apart.

    The interval counts from when the previous post *finished*: a post that left late
    must not make the next one arrive too soon.
    """

    def __init__(self, interval: float, *, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval = interval
        self._next: dict[str, float] = {}
        self._clock, self._sleep = clock, sleep

    @contextmanager
    def turn(self, channel: str) -> Iterator[None]:
        delay = self._next.get(channel, 0.0) - self._clock()
        if delay > 0:
            self._sleep(delay)
        try:
            yield
        finally:
            self._next[channel] = self._clock() + self.interval


@dataclass
class Report:
    """What one run did: rows by final status, and every (channel, ts) it posted, in order."""

    statuses: Counter = field(default_factory=Counter)
    posts: list[tuple[str, str]] = field(default_factory=list)
    released: int = 0

    def __getitem__(self, status: str) -> int:
        return self.statuses[status]


@dataclass
class Outcome:
    """What to write for one row: its columns, its reminder's (if any), and other effects."""

    values: dict
    effects: list[Effect]
    reminder: dict | None


class Recorder:
    """Runs recording tasks in order on one thread of its own, so that posting goes on meanwhile.

    A task marked `read_later` writes what later rows read when they are loaded or delivered
    (a card's ts, a workspace whose token stopped working): `settle()` waits for such tasks. A failed task stops the run at the next
    `submit` or `settle` (its rows stay claimed until their lease runs out, then are looked
    for before any resend); leaving the block waits for every task.
    """

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="outbox-record")
        self._pending: list[Future] = []
        self._read_later: Future | None = None

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, *_exc) -> None:
        try:
            for future in self._pending:
                future.result()
        finally:
            self._pool.shutdown()

    def submit(self, task: Callable[[], None], *, read_later: bool = False) -> None:
        self._raise_failures()
        future = self._pool.submit(task)
        self._pending.append(future)
        if read_later:
            self._read_later = future

    def settle(self) -> None:
        if self._read_later is not None:
            self._read_later.result()
            self._read_later = None
        self._raise_failures()

    def _raise_failures(self) -> None:
        finished = [future for future in self._pending if future.done()]
        self._pending = [future for future in self._pending if not future.done()]
        for future in finished:
            future.result()


@dataclass(frozen=True)
class Batch:
    """Rows claimed together, loaded as jobs."""

    claim: store.Claim
    jobs: list[Job]


@dataclass(frozen=True)
class _Run:
    """What one `run_once` shares across its batches."""

    pool: ThreadPoolExecutor  # posts
    recorder: Recorder
    leases: set[str]  # tokens of the claims whose leases the heartbeat keeps alive
    report: Report


class Deliverer:
    def __init__(
        self,
        services: Services,
        client: WebClient,
        *,
        lease: timedelta = timedelta(seconds=30),
        batch: int = 200,
        workers: int = WORKERS,
        channel_interval: float = CHANNEL_INTERVAL,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.services = services
        self.client = client  # bot.app.make_client: never re-sends a post after a lost reply
        self.lease, self.batch, self.workers = lease, batch, workers
        self.pacer = Pacer(channel_interval, clock=monotonic, sleep=sleep)
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._run_lock = threading.Lock()

    @property
    def db(self):
        return self.services.db

    def now(self) -> datetime:
        return self.services.now()

    # -- the background loop ---------------------------------------------------------

    def start(self, poll_seconds: float) -> None:
        """Deliver in a thread: at once when rung (services.doorbell), else every `poll_seconds`."""
        def loop() -> None:
            while not self._stopping.is_set():
                self.run_once()
                self.services.doorbell.wait(poll_seconds)

        self._thread = threading.Thread(target=loop, name="outbox", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 15.0) -> bool:
        """Stop taking rows, let sends in flight finish, hand the rest back. True if it stopped in time."""
        self._stopping.set()
        self.services.doorbell.ring()
        if self._thread is not None:
            self._thread.join(timeout)
            return not self._thread.is_alive()
        return True

    # -- one run ---------------------------------------------------------------------

    def run_once(self) -> Report:
        """Deliver everything due now, a batch at a time. Never raises: the loop must survive."""
        report = Report()
        with self._run_lock:
            try:
                with (self._heartbeat() as leases, Recorder() as recorder,
                      ThreadPoolExecutor(self.workers, thread_name_prefix="deliver") as pool):
                    run = _Run(pool, recorder, leases, report)
                    batch = self._next_batch(run)
                    while batch is not None:
                        batch = self._deliver(batch, run)
            except OperationalError as error:  # the database is busy or away: the next run resumes
                log.warning("delivery run stopped early: %s", type(error.orig).__name__ if error.orig else error)
            except Exception:  # noqa: BLE001 - a bad row must not stop deliveries for good
                log.exception("delivery run failed")
        return report

    def _next_batch(self, run: _Run) -> Batch | None:
        """Claim the next batch and load it once what it reads is recorded; None if nothing is due."""
        if self._stopping.is_set():
            return None
        with self.db.session(patient=True) as session:
            claim = store.claim_due(session, self.now(), self.batch, self.lease)
        if not claim.ids:
            return None
        run.leases.add(claim.token)
        run.recorder.settle()
        return Batch(claim, self._load(claim))

    def _deliver(self, batch: Batch, run: _Run) -> Batch | None:
        """Post a batch round by round, each round recorded while the next one posts. Returns
        the next batch: claimed and loaded while the last round posts, unless it may read what
        this batch records (deliveries.read_by_later_rows); then after."""
        rounds = _rounds(batch.jobs)
        overlap = bool(rounds) and not any(deliveries.read_by_later_rows(job) for job in batch.jobs)
        following = None
        for number, round_ in enumerate(rounds):
            if self._stopping.is_set():
                left = [job.row.id for later in rounds[number:] for job in later]
                with self.db.session(patient=True) as session:
                    run.report.released += store.release(session, batch.claim.token, left)
                return None
            run.recorder.settle()
            posting = [run.pool.submit(self._one, job) for job in round_]
            if overlap and number == len(rounds) - 1:
                following = self._next_batch(run)
            results = [future.result() for future in posting]
            revoked = _revoked(round_, results)
            _hold_revoked(revoked, [*batch.jobs, *(following.jobs if following else ())])
            run.recorder.submit(partial(self._record, batch.claim.token, round_, results, run.report),
                                read_later=bool(revoked) or any(deliveries.read_by_later_rows(job) for job in round_))
        run.recorder.submit(partial(run.leases.discard, batch.claim.token))
        return following if overlap else self._next_batch(run)

    def _one(self, job: Job) -> Result:
        with self.pacer.turn(job.row.channel):
            return deliveries.deliver(job)

    def _load(self, claim: store.Claim) -> list[Job]:
        with self.db.read() as session:
            rows = store.load(session, claim)
            event_ids = {row.event_id for row in rows if row.event_id}
            events = {e.id: e for e in session.scalars(select(Event).where(Event.id.in_(event_ids)))} if event_ids else {}
            reminder_ids = {row.args.get("reminder_id") for row in rows if row.args.get("reminder_id")}
            reminders = {r.id: r for r in session.scalars(select(Reminder).where(Reminder.id.in_(reminder_ids)))} if reminder_ids else {}
            going = rsvps.counts(session, event_ids)
            campaigns = campaign_store.by_team_and_slug(session, ((e.team_id, e.campaign_slug) for e in events.values()))
            written_in = languages.for_deliveries(session, rows)
            public = signup_store.by_ids(session, {signup_store.id_of(row.channel) for row in rows} - {None})
        now = self.now()
        posters = {team_id: self._poster(team_id) for team_id in {row.team_id for row in rows}}

        def language(row) -> str | Callable[[], str]:
            if (signup := public.get(signup_store.id_of(row.channel))) is not None:
                return signup.language  # the page they signed up on spoke it
            poster = posters[row.team_id]
            return written_in[row.id] or languages.slack_language_when_drawn(
                self.services, poster and poster.client, row.team_id, row.channel)

        return [
            Job(row=row, event=events.get(row.event_id), reminder=reminders.get(row.args.get("reminder_id")),
                going=going.get(row.event_id, 0), now=now,
                poster=posters[row.team_id], read=self.db.read, campaign=_campaign_of(events.get(row.event_id), campaigns),
                links=self.services.links, language=language(row), default_timezone=self.services.default_timezone,
                signup=public.get(signup_store.id_of(row.channel)), mailer=self.services.mailer, webhook=self.services.webhook)
            for row in rows
        ]

    def _poster(self, team_id: str) -> Poster | None:
        """Each workspace's posts go with its own token; None while it has no working one."""
        client = workspaces.client_for(self.services, self.client, team_id)
        return Poster(client) if client is not None else None

    # -- recording -------------------------------------------------------------------

    def _record(self, token: str, jobs: list[Job], results: list[Result], report: Report) -> None:
        """A round's results in one transaction: the outbox rows, then the reminders, in bulk;
        then each row's other effects. Rows another claim has taken over are left alone."""
        now = self.now()
        outcomes = [self._outcome(job, result, now) for job, result in zip(jobs, results)]
        with self.db.session(patient=True) as session:
            held = store.record(session, token, [(job.row.id, outcome.values) for job, outcome in zip(jobs, outcomes)])
            mine = [outcome for job, outcome in zip(jobs, outcomes) if job.row.id in held]
            reminder_store.record(session, [outcome.reminder for outcome in mine if outcome.reminder])
            for outcome in mine:
                for effect in outcome.effects:
                    effect(session)
        for job, result, outcome in zip(jobs, results, outcomes):
            if job.row.id not in held:
                log.warning("outbox %s was handled but its claim had run out and been taken over", job.row.id)
            status = outcome.values["status"]
            report.statuses[status] += 1
            if result.posted and not result.posted.found and status == OutboxStatus.SENT.value:
                report.posts.append((result.posted.channel, result.posted.ts))
        if any(outcome.effects for outcome in mine):
            self.services.doorbell.ring()  # effects may have queued or released rows

    def _outcome(self, job: Job, result: Result, now: datetime) -> Outcome:
        row, values = job.row, {"status": result.status}
        outcome = Outcome(values, list(result.effects), result.reminder_outcome)
        if result.progress is not None:
            values["progress"] = result.progress
        if result.posted is not None:
            values.update(slack_channel=result.posted.channel, slack_ts=result.posted.ts, uncertain_since=None)
        if result.status == OutboxStatus.SENT.value:
            values.update(sent_at=now, attempts=row.attempts + 1, last_error=None)
        if result.wait is not None:
            values["next_attempt_at"] = now + result.wait
            return outcome
        failure = result.failure
        if failure is None:
            return outcome
        values["last_error"] = failure.code[:200]
        if result.status != OutboxStatus.PENDING.value:
            return outcome
        if failure.kind is FailureKind.REVOKED:  # held with the rest of its workspace's, not retried
            values["status"] = OutboxStatus.HELD.value
            outcome.effects.append(workspaces.token_stopped_working(row.team_id, failure.code, now))
            return outcome
        attempts = row.attempts + 1
        values["attempts"] = attempts
        if failure.kind is FailureKind.PERMANENT:
            values["status"] = OutboxStatus.FAILED.value
        elif attempts >= MAX_ATTEMPTS:
            values.update(status=OutboxStatus.FAILED.value, last_error=failures.gave_up(failure.code)[:200])
            given_up = deliveries.gave_up(job, failure)
            outcome.effects += given_up.effects
            outcome.reminder = given_up.reminder_outcome or outcome.reminder
        else:
            wait = max(backoff(attempts), timedelta(seconds=failure.retry_after or 0))
            values["next_attempt_at"] = now + wait
            if failure.kind is FailureKind.UNCERTAIN and row.uncertain_since is None:
                # Wall-clock time, compared with Slack's own message timestamps when looking.
                values["uncertain_since"] = datetime.now(UTC)
        if values["status"] == OutboxStatus.FAILED.value:
            log.warning("outbox %s (%s to %s) failed for good: %s", row.id, row.kind, row.channel, values["last_error"])
        else:
            log.info("outbox %s (%s to %s) will be retried: %s", row.id, row.kind, row.channel, failure.code)
        return outcome

    @contextmanager
    def _heartbeat(self) -> Iterator[set[str]]:
        """Keep alive the leases of the claims whose tokens are in the set yielded (a claim is
        added when taken, discarded once recorded); a dead process stops renewing them."""
        tokens: set[str] = set()
        done = threading.Event()
        interval = max(self.lease.total_seconds() / 3, 0.05)

        def beat() -> None:
            while not done.wait(interval):
                try:
                    with self.db.session(patient=True) as session:
                        for token in tuple(tokens):
                            store.extend(session, token, self.now() + self.lease)
                except OperationalError:
                    log.warning("could not renew the delivery lease; will retry")

        thread = threading.Thread(target=beat, name="outbox-heartbeat", daemon=True)
        thread.start()
        try:
            yield tokens
        finally:
            done.set()
            thread.join()


def _campaign_of(event: Event | None, campaigns: dict[tuple[str, str], Campaign]) -> Campaign | None:
    return campaigns.get((event.team_id, event.campaign_slug)) if event is not None and event.campaign_slug else None


def _revoked(round_: list[Job], results: list[Result]) -> set[str]:
    """The workspaces whose token Slack refused in this round. Recording that is read by the
    batches loaded later (services.workspaces.client_for), so they wait for it."""
    return {job.row.team_id for job, result in zip(round_, results) if result.failure and result.failure.kind is FailureKind.REVOKED}


def _hold_revoked(revoked: set[str], jobs: list[Job]) -> None:
    """The rest of those workspaces' rows already loaded (this batch's, and the next one's if
    it was loaded meanwhile) are held without asking Slack again."""
    for job in jobs:
        if job.row.team_id in revoked:
            job.poster = None


def _rounds(jobs: list[Job]) -> list[list[Job]]:
    """Round n holds the n-th job of each channel, in id order."""
    queues: dict[str, list[Job]] = {}
    for job in jobs:
        queues.setdefault(job.row.channel, []).append(job)
    depth = max((len(q) for q in queues.values()), default=0)
    return [[q[n] for q in queues.values() if n < len(q)] for n in range(depth)]
