"""The dispatcher: claim due reminders and digests, post them, record what happened.

One run (`Dispatcher.run_once`) is what the clock's interval job calls. The database
says what is due and what was sent; a restart or a second clock process resends nothing.
"""

from __future__ import annotations

import logging
import time
import urllib.error
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from messages import digest as digest_render
from messages import reminders as reminder_render
from storage import Database
from storage import scheduling as store
from storage.models import Event, RecipientType, ReminderStatus
from timemath import ONE_DAY, local_date, utcnow

log = logging.getLogger(__name__)

# Sent within this long after due_at counts as on time; later (but before the start) is "sent late".
GRACE = timedelta(minutes=5)
# A digest this late (the clock was down) is dropped: the next one is at most a day away.
DIGEST_STALE = timedelta(hours=6)
# Slack allows about one message a second per channel; a little margin absorbs network jitter.
CHANNEL_INTERVAL = 1.05
# Posts in flight at once (to different channels): Slack answers in 100-300 ms, so one at a
# time would reach a few messages a second however many channels are waiting.
WORKERS = 16
# Errors that retrying will not fix: the row is marked failed and left alone.
PERMANENT_ERRORS = frozenset({
    "channel_not_found", "is_archived", "not_in_channel", "account_inactive", "user_not_found",
    "user_disabled", "cannot_dm_bot", "restricted_action", "restricted_action_read_only_channel",
    "restricted_action_thread_only_channel", "team_access_not_granted", "ekm_access_denied",
    "msg_too_long", "no_text", "invalid_blocks", "too_many_attachments", "message_not_found",
    "thread_not_found", "invalid_auth", "not_authed", "token_revoked", "missing_scope",
})


class Pacer:
    """Keeps posts to one channel at least `interval` seconds apart within a run.

    The interval counts from when the previous post *finished*: a post that left late
    (a busy thread, a slow network) must not make the next one arrive too soon.
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
class RunReport:
    sent: int = 0
    sent_late: int = 0
    skipped: int = 0
    failed: int = 0
    retrying: int = 0
    cancelled: int = 0
    digests: int = 0
    released: int = 0
    posts: list[tuple[str, str]] = field(default_factory=list)  # (channel, ts), in order

    def count(self, outcome: "Outcome") -> None:
        setattr(self, outcome.status, getattr(self, outcome.status) + 1)
        if outcome.post:
            self.posts.append(outcome.post)


@dataclass(frozen=True)
class Outcome:
    """What became of one reminder: a RunReport field name, and the (channel, ts) posted, if any."""

    status: str
    post: tuple[str, str] | None = None


def _error_code(error: Exception) -> tuple[str, bool]:
    """(error code, permanent?) for a failed Slack call."""
    if isinstance(error, SlackApiError):
        code = str(error.response.get("error") or f"http_{error.response.status_code}")
        return code, code in PERMANENT_ERRORS
    # Connection errors, timeouts: slack_sdk's retry handler already tried; try later.
    return f"{type(error).__name__}: {error}"[:200], False


TRANSIENT_EXCEPTIONS = (SlackApiError, urllib.error.URLError, ConnectionError, TimeoutError, OSError)


class Dispatcher:
    """Posts due reminders and digests through `client`, recording each result in `db`."""

    def __init__(
        self,
        client: WebClient,
        db: Database,
        now: Callable[[], datetime] = utcnow,
        *,
        batch: int = 200,
        lease: timedelta = store.DEFAULT_LEASE,
        channel_interval: float = CHANNEL_INTERVAL,
        workers: int = WORKERS,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client, self.db, self.now = client, db, now
        self.batch, self.lease = batch, lease
        self.channel_interval = channel_interval
        self.workers = workers
        self._sleep, self._monotonic = sleep, monotonic

    # -- one run ---------------------------------------------------------------

    def run_once(self) -> RunReport:
        """Post everything due now; claims are taken a batch at a time and never outlive their lease."""
        report = RunReport()
        pacer = Pacer(self.channel_interval, clock=self._monotonic, sleep=self._sleep)
        try:
            self._digests(pacer, report)
            while True:
                now = self.now()
                with self.db.session() as session:
                    claims = store.claim_due_reminders(session, now, self.batch, self.lease)
                if not claims:
                    break
                self._reminders(claims, pacer, report)
                if report.released:
                    break  # out of lease time: the rest waits for the next run
        except Exception:  # noqa: BLE001 - the job must survive a bad run; claims expire on their own
            log.exception("dispatch run failed")
        return report

    # -- reminders -------------------------------------------------------------

    def _reminders(self, claims: list[store.Claimed], pacer: Pacer, report: RunReport) -> None:
        """Post round by round: the n-th reminder of every recipient, in parallel, then the next round.

        Each recipient appears once per round, so parallel posts never crowd one channel, and
        the pacer spaces a channel's consecutive rounds. Slack's latency (100-300 ms a call)
        is paid `workers` calls at a time instead of one after another.
        """
        started = self._monotonic()
        # Keep well inside the lease: what cannot be posted in time is handed back, not left hanging.
        budget = self.lease.total_seconds() / 2
        work = []
        with self.db.session() as session:
            for claim in claims:
                loaded = store.load_claimed(session, claim)
                if loaded:
                    work.append((claim, *loaded))
        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="dispatch") as pool:
            for round_ in _rounds(work):
                if self._monotonic() - started > budget:
                    with self.db.session() as session:
                        for claim, _, _ in round_:
                            store.release(session, claim)
                    report.released += len(round_)
                    continue
                outcomes = pool.map(lambda item: self._one_reminder(*item, pacer), round_)
                for outcome in outcomes:
                    report.count(outcome)

    def _one_reminder(self, claim, reminder, event: Event, pacer: Pacer) -> Outcome:
        now = self.now()
        if event is None or event.is_cancelled:
            with self.db.session() as session:
                store.mark_cancelled(session, claim)
            return Outcome("cancelled")
        if now >= event.starts_at:
            with self.db.session() as session:
                store.mark_skipped(session, claim, "the event had already started")
            log.info("skipped reminder %s: event %s already started", reminder.id, event.id)
            return Outcome("skipped")
        direct = reminder.recipient_type == RecipientType.USER.value
        args = dict(
            channel=reminder.recipient,
            text=reminder_render.reminder_fallback(event, reminder.kind),
            blocks=reminder_render.reminder_blocks(event, reminder.kind, direct=direct),
            unfurl_links=False,
        )
        if not direct and event.message_ts and event.channel_id == reminder.recipient:
            args.update(thread_ts=event.message_ts, reply_broadcast=False)
        try:
            with pacer.turn(reminder.recipient):
                response = self.client.chat_postMessage(**args)
        except TRANSIENT_EXCEPTIONS as error:
            code, permanent = _error_code(error)
            with self.db.session() as session:
                if permanent:
                    store.mark_failed(session, claim, code)
                    status = ReminderStatus.FAILED.value
                else:  # back to pending after a backoff, or failed after too many attempts
                    status = store.mark_retry(session, claim, code, now)
            log.warning("reminder %s (event %s, %s, %s) failed: %s%s", reminder.id, event.id, reminder.kind,
                        reminder.recipient, code, "" if permanent else " (will retry)")
            return Outcome("failed" if status == ReminderStatus.FAILED.value else "retrying")
        late = now > reminder.due_at + GRACE
        with self.db.session() as session:
            recorded = store.mark_sent(session, claim, response.get("ts"), now, late=late)
        if not recorded:
            log.warning("reminder %s was posted but its claim had expired and been taken over", reminder.id)
        log.info("posted reminder event=%s kind=%s to=%s ts=%s%s", event.id, reminder.kind, reminder.recipient,
                 response.get("ts"), " (late)" if late else "")
        return Outcome("sent_late" if late else "sent", (reminder.recipient, response.get("ts")))

    # -- digests ---------------------------------------------------------------

    def _digests(self, pacer: Pacer, report: RunReport) -> None:
        now = self.now()
        with self.db.session() as session:
            claims = store.claim_due_digests(session, now, self.batch, self.lease)
        for claim in claims:
            self._one_digest(claim, pacer, report)

    def _one_digest(self, claim: store.Claimed, pacer: Pacer, report: RunReport) -> None:
        now = self.now()
        with self.db.session() as session:
            subscription = store.load_claimed_digest(session, claim)
            if subscription is None:
                return
            if now - subscription.next_run_at > DIGEST_STALE:
                store.finish_digest(session, claim, now, sent=False, error="skipped: more than 6 hours late")
                log.info("skipped a stale digest for %s", subscription.channel_id)
                return
            events = store.events_between(session, subscription.team_id, now, now + digest_render.DAYS * ONE_DAY)
        tz = subscription.timezone
        messages = digest_render.digest_messages(events, tz_name=tz, today=local_date(now, tz), quiet=subscription.quiet)
        ts = []
        try:
            for text, blocks in messages:
                with pacer.turn(subscription.channel_id):
                    response = self.client.chat_postMessage(channel=subscription.channel_id, text=text, blocks=blocks, unfurl_links=False)
                ts.append(response["ts"])
        except TRANSIENT_EXCEPTIONS as error:
            code, permanent = _error_code(error)
            with self.db.session() as session:
                if permanent:
                    store.finish_digest(session, claim, now, sent=False, error=code)
                else:
                    store.retry_digest(session, claim, code, now)
            log.warning("digest for %s failed: %s", subscription.channel_id, code)
            return
        with self.db.session() as session:
            store.finish_digest(session, claim, now, sent=bool(ts))
        report.digests += 1
        report.posts += [(subscription.channel_id, t) for t in ts]
        log.info("posted digest to=%s events=%s ts=%s", subscription.channel_id, len(events), ",".join(ts) or "-")


def _rounds(work: list) -> list[list]:
    """Group work into rounds: round n holds the n-th item of each recipient, oldest first."""
    queues: dict[str, list] = {}
    for item in work:
        queues.setdefault(item[1].recipient, []).append(item)
    depth = max((len(q) for q in queues.values()), default=0)
    return [[q[n] for q in queues.values() if n < len(q)] for n in range(depth)]
