"""The delivery worker: claims due outbox rows, sends them, records what Slack said.

Rows are claimed a channel at a time (storage.outbox.claim_due): the next row of each channel
that Slack takes a post in now and that nobody else is posting to, so a channel that is slow,
rate-limited or has a long queue delays only itself, and every process keeps the same pace of
one post a second per channel, through the database. A `run_once` keeps its posting threads busy:
as posts finish, their results are recorded (a few bulk statements) and more channels' rows are
claimed; no post waits for another channel's. A Retry-After is honoured by setting when the
channel takes its next post, never by sleeping a thread. Transient failures are retried with
backoff; a post whose outcome is unknown is looked for in Slack before it is sent again
(services.slackapi); permanent failures are recorded where the organizer will see them. On
shutdown the claims not yet started are handed back at once.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from slack_sdk import WebClient
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from messages import failures
from services import deliveries, languages, workspaces
from services.deliveries import Effect, Job, Result
from services.runtime import Services
from services.slackapi import FailureKind, Poster, for_the_outbox
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
# Channels claimed at once (one row each), and how long a claim lasts unless its heartbeat renews
# it (every third of it): a killed process's rows are taken over within seconds.
BATCH = 50
LEASE = timedelta(seconds=10)
# Transient failures are retried after about 2, 4, 8 ... seconds, then every 5 minutes: 60 tries
# span about four and a half hours (a Slack outage longer than that fails what is left).
MAX_ATTEMPTS = 60
MAX_BACKOFF = timedelta(minutes=5)
# While posts are in flight, look for newly due rows at least this often (seconds).
LOOK_AGAIN = 0.5
# Posts that finish within this long of each other are recorded together (seconds).
GATHER = 0.05
# A run waits in place for a channel's pace this long at most; a later one is the loop's to wake for.
PACE_HORIZON = 5.0
# Results that called on Slack for nothing: their channel takes its next post at once.
_NOTHING_POSTED = frozenset({OutboxStatus.CANCELLED.value, OutboxStatus.HELD.value, OutboxStatus.SKIPPED.value})


def backoff(attempts: int, jitter: float = 0.5) -> timedelta:
    """Wait before retry number `attempts` (1, 2, ...): 2 s, 4 s, 8 s ... capped at 5 minutes,
    give or take a fifth by `jitter` (0 to 1), so rows that failed together are not retried together."""
    return min(timedelta(seconds=2 ** min(attempts, 20) * (0.8 + 0.4 * jitter)), MAX_BACKOFF)


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


class Deliverer:
    def __init__(
        self,
        services: Services,
        client: WebClient,
        *,
        lease: timedelta = LEASE,
        batch: int = BATCH,
        workers: int = WORKERS,
        channel_interval: float = CHANNEL_INTERVAL,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.services = services
        # bot.app.make_client: never re-sends a post after a lost reply, nor sleeps out a rate limit.
        self.client = for_the_outbox(client)
        self.lease, self.batch, self.workers = lease, batch, workers
        self.channel_interval = channel_interval
        self._jitter = jitter
        self._slack_away = False  # a post found Slack unreachable; the next one that gets through lifts the backoffs
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._run_lock = threading.Lock()
        self._wake_in: float | None = None  # seconds until the next row falls due, as of the last run

    @property
    def db(self):
        return self.services.db

    def now(self) -> datetime:
        return self.services.now()

    # -- the background loop ---------------------------------------------------------

    def start(self, poll_seconds: float) -> None:
        """Deliver in a thread: at once when rung (services.doorbell), when the next row falls due
        (a retry a few seconds on), else every `poll_seconds`."""

        def loop() -> None:
            while not self._stopping.is_set():
                self.run_once()
                wake_in = self._wake_in
                self.services.doorbell.wait(poll_seconds if wake_in is None else min(poll_seconds, max(wake_in, 0.05)))

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
        """Deliver everything due now, each channel at its pace, and return once what is left
        waits for a later time. Never raises: the loop must survive."""
        report = Report()
        with self._run_lock:
            try:
                with self._heartbeat() as token, ThreadPoolExecutor(self.workers, thread_name_prefix="deliver") as pool:
                    self._drain(pool, token, report)
                self._wake_in = self._next_due_in()
            except OperationalError as error:  # the database is busy or away: the next run resumes
                log.warning("delivery run stopped early: %s", type(error.orig).__name__ if error.orig else error)
            except Exception:  # noqa: BLE001 - a bad row must not stop deliveries for good
                log.exception("delivery run failed")
        return report

    def _drain(self, pool: ThreadPoolExecutor, token: str, report: Report) -> None:
        """Keep the posting threads busy with ready channels' rows; record results as posts
        finish. Returns when nothing is in flight and no due row's channel is ready within
        PACE_HORIZON."""
        in_flight: dict[Future, Job] = {}
        finished = threading.Event()
        look_again = True  # whether claiming may find something now
        last_look = time.monotonic()
        try:
            while True:
                if look_again and not self._stopping.is_set() and len(in_flight) < self.workers:
                    jobs, last_look = self._claim(token), time.monotonic()
                    for job in jobs:
                        future = pool.submit(deliveries.deliver, job)
                        future.add_done_callback(lambda _future: finished.set())
                        in_flight[future] = job
                    look_again = len(jobs) == self.batch
                if not in_flight:
                    wait = None if self._stopping.is_set() else self._pace_wait()
                    if wait is None or wait > PACE_HORIZON:
                        return
                    self.services.doorbell.wait(wait)
                    look_again = True
                    continue
                finished.wait(LOOK_AGAIN)
                finished.clear()
                if done := _gathered(in_flight):
                    self._record(
                        token,
                        [(in_flight.pop(future), future.result()) for future in done],
                        report,
                        waiting=list(in_flight.values()),
                    )
                    look_again = True  # their channels are free again
                look_again = look_again or time.monotonic() - last_look >= LOOK_AGAIN
        finally:
            self._hand_back(token, in_flight, report)

    def _hand_back(self, token: str, in_flight: dict[Future, Job], report: Report) -> None:
        """Stopping (or a failed run): rows not yet started go back at once; the rest finish and are recorded."""
        unstarted = [job.row.id for future, job in in_flight.items() if future.cancel()]
        if unstarted:
            with self.db.session(patient=True) as session:
                report.released += store.release(session, token, unstarted)
        started = [(job, future.result()) for future, job in in_flight.items() if not future.cancelled()]
        if started:
            self._record(token, started, report, waiting=[])

    def _claim(self, token: str) -> list[Job]:
        with self.db.session(patient=True) as session:
            claim = store.claim_due(session, self.now(), self.batch, self.lease, token=token)
        return self._load(claim) if claim.ids else []

    def _pace_wait(self) -> float | None:
        with self.db.read() as session:
            return store.next_ready(session, self.now())

    def _next_due_in(self) -> float | None:
        """Seconds until the next row falls due or its channel is ready, for the loop to wake then."""
        now = self.now()
        with self.db.read() as session:
            due, ready = store.next_due(session, now), store.next_ready(session, now)
        waits = [wait for wait in ((due - now).total_seconds() if due else None, ready) if wait is not None]
        return min(waits, default=None)

    def _load(self, claim: store.Claim) -> list[Job]:
        with self.db.read() as session:
            rows = store.load(session, claim)
            event_ids = {row.event_id for row in rows if row.event_id}
            events = (
                {e.id: e for e in session.scalars(select(Event).where(Event.id.in_(event_ids)))} if event_ids else {}
            )
            reminder_ids = {row.args.get("reminder_id") for row in rows if row.args.get("reminder_id")}
            reminders = (
                {r.id: r for r in session.scalars(select(Reminder).where(Reminder.id.in_(reminder_ids)))}
                if reminder_ids
                else {}
            )
            going = rsvps.counts(session, event_ids)
            campaigns = campaign_store.by_team_and_slug(
                session, ((e.team_id, e.campaign_slug) for e in events.values())
            )
            written_in = languages.for_deliveries(session, rows)
            public = signup_store.by_ids(session, {signup_store.id_of(row.channel) for row in rows} - {None})
        now = self.now()
        posters = {team_id: self._poster(team_id) for team_id in {row.team_id for row in rows}}

        def language(row) -> str | Callable[[], str]:
            if (signup := public.get(signup_store.id_of(row.channel))) is not None:
                return signup.language  # the page they signed up on spoke it
            poster = posters[row.team_id]
            return written_in[row.id] or languages.slack_language_when_drawn(
                self.services, poster and poster.client, row.team_id, row.channel
            )

        return [
            Job(
                row=row,
                event=events.get(row.event_id),
                reminder=reminders.get(row.args.get("reminder_id")),
                going=going.get(row.event_id, 0),
                now=now,
                poster=posters[row.team_id],
                read=self.db.read,
                campaign=_campaign_of(events.get(row.event_id), campaigns),
                links=self.services.links,
                language=language(row),
                default_timezone=self.services.default_timezone,
                signup=public.get(signup_store.id_of(row.channel)),
                mailer=self.services.mailer,
                webhook=self.services.webhook,
            )
            for row in rows
        ]

    def _poster(self, team_id: str) -> Poster | None:
        """Each workspace's posts go with its own token; None while it has no working one."""
        client = workspaces.client_for(self.services, self.client, team_id)
        return Poster(client) if client is not None else None

    # -- recording -------------------------------------------------------------------

    def _record(self, token: str, finished: list[tuple[Job, Result]], report: Report, *, waiting: list[Job]) -> None:
        """Finished posts' results in one transaction: the outbox rows and when their channels
        take their next post, then the reminders, in bulk; then each row's other effects. Rows
        another claim has taken over are left alone."""
        now = self.now()
        outcomes = [self._outcome(job, result, now) for job, result in finished]
        paces = [store.Paced(job.row.team_id, job.row.channel, self._pace_after(result)) for job, result in finished]
        with self.db.session(patient=True) as session:
            held = store.record(
                session,
                token,
                [(job.row.id, outcome.values) for (job, _), outcome in zip(finished, outcomes, strict=True)],
                paces,
            )
            mine = [outcome for (job, _), outcome in zip(finished, outcomes, strict=True) if job.row.id in held]
            reminder_store.record(session, [outcome.reminder for outcome in mine if outcome.reminder])
            for outcome in mine:
                for effect in outcome.effects:
                    effect(session)
        for (job, result), outcome in zip(finished, outcomes, strict=True):
            if job.row.id not in held:
                log.warning("outbox %s was handled but its claim had run out and been taken over", job.row.id)
            status = outcome.values["status"]
            report.statuses[status] += 1
            if (
                result.posted
                and not result.posted.found
                and (status == OutboxStatus.SENT.value or result.wait is not None)
            ):
                report.posts.append((result.posted.channel, result.posted.ts))
        _hold_revoked(_revoked(finished), waiting)
        if any(outcome.effects for outcome in mine):
            self.services.doorbell.ring()  # effects may have queued or released rows
        self._after_an_outage(finished, now)

    def _after_an_outage(self, finished: list[tuple[Job, Result]], now: datetime) -> None:
        """Slack could not be reached, and now a post got through: the rows backing off from the
        outage are due at once, instead of each waiting out its own backoff."""
        if any(result.failure is not None and result.failure.unreachable for _, result in finished):
            self._slack_away = True
        elif self._slack_away and any(result.posted is not None for _, result in finished):
            self._slack_away = False
            with self.db.session(patient=True) as session:
                lifted = store.retry_now(session, now)
            if lifted:
                log.info("Slack answers again: %s rows backing off are due now", lifted)

    def _pace_after(self, result: Result) -> float:
        """Seconds before the row's channel takes its next post: its Retry-After, Slack's pace
        after a call, or none if nothing was asked of Slack."""
        if result.failure is not None and result.failure.retry_after:
            return result.failure.retry_after
        if result.posted is None and (result.wait is not None or result.status in _NOTHING_POSTED):
            return 0.0
        return self.channel_interval

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
        if failure.retry_after:  # rate-limited: nothing was done; its channel waits as long as Slack asks (_pace_after)
            log.info("outbox %s (%s to %s) rate-limited for %ss", row.id, row.kind, row.channel, failure.retry_after)
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
            values["next_attempt_at"] = now + backoff(attempts, self._jitter())
            if failure.kind is FailureKind.UNCERTAIN and row.uncertain_since is None:
                # Wall-clock time, compared with Slack's own message timestamps when looking.
                values["uncertain_since"] = datetime.now(UTC)
        if values["status"] == OutboxStatus.FAILED.value:
            log.warning("outbox %s (%s to %s) failed for good: %s", row.id, row.kind, row.channel, values["last_error"])
        else:
            log.info("outbox %s (%s to %s) will be retried: %s", row.id, row.kind, row.channel, failure.code)
        return outcome

    @contextmanager
    def _heartbeat(self) -> Iterator[str]:
        """The run's claim token, whose rows and channels are kept claimed while the run works on
        them (each renewed a lease ahead, a third of a lease apart); a dead process stops renewing them."""
        token = store.new_token()
        done = threading.Event()
        interval = max(self.lease.total_seconds() / 3, 0.05)

        def beat() -> None:
            while not done.wait(interval):
                try:
                    with self.db.session(patient=True) as session:
                        store.extend(session, token, self.now() + self.lease)
                except OperationalError:
                    log.warning("could not renew the delivery lease; will retry")

        thread = threading.Thread(target=beat, name="outbox-heartbeat", daemon=True)
        thread.start()
        try:
            yield token
        finally:
            done.set()
            thread.join()


def _gathered(in_flight: dict[Future, Job]) -> list[Future]:
    """The posts finished, once the rest have had GATHER to finish too: recorded together, in a
    few statements, without holding the finished ones back for a slow channel."""
    if any(future.done() for future in in_flight):
        wait(in_flight, timeout=GATHER)
    return [future for future in in_flight if future.done()]


def _campaign_of(event: Event | None, campaigns: dict[tuple[str, str], Campaign]) -> Campaign | None:
    return campaigns.get((event.team_id, event.campaign_slug)) if event is not None and event.campaign_slug else None


def _revoked(finished: list[tuple[Job, Result]]) -> set[str]:
    """The workspaces whose token Slack refused in these results."""
    return {
        job.row.team_id for job, result in finished if result.failure and result.failure.kind is FailureKind.REVOKED
    }


def _hold_revoked(revoked: set[str], jobs: list[Job]) -> None:
    """The rest of those workspaces' rows already claimed and not yet posted are held without
    asking Slack again (rows claimed later find the workspace's token recorded as not working)."""
    for job in jobs:
        if job.row.team_id in revoked:
            job.poster = None
