"""Property-based fuzzing of everything the app accepts, over real HTTP as Slack sends it.

Whatever arrives at /slack/events (signed or not, well-formed or not), the answer is below
500 and the log, as the bot formats it, holds no traceback and no entry over several lines. Signed payloads with arbitrary
text, ids and values reach the listeners; a listener that fails is answered by the global
error handler (one warning line) and counted in a summary printed at the end of the module.

The suite runs a modest, derandomized profile. The long campaign (>= 10,000 requests):

    HYPOTHESIS_PROFILE=long .venv/bin/pytest -p no:cacheprovider -s tests/test_fuzz.py
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import os
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import Transport, create_app, make_services
from bot.logs import LOG_FORMAT
from bot.server import MAX_BODY_BYTES, SLACK_PATH
from bot.settings import load_settings
from conftest import FakeClock, bot_env, empty, make_deliverer, serving
from driver import SIGNING_SECRET, SlackDriver
from fakeslack import TEAM_ID, FakeSlack
from messages import approval, campaigns, congress, event_form, posts, reports, toolkit
from messages import events as cards
from storage import Database, Event
from timemath import UTC

_COMMON = dict(deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("suite", max_examples=30, derandomize=True, **_COMMON)
settings.register_profile("long", max_examples=900, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

COMMANDS = ["/event", "/campaign", "/toolkit", "/posts", "/congress", "/digest"]
SUBCOMMANDS = [
    "new",
    "list",
    "show",
    "edit",
    "cancel",
    "help",
    "add",
    "subscribe",
    "unsubscribe",
    "now",
    "tweets",
    "facebook",
    "city",
    "campaign",
    "#WhereRTheRefugees",
    "report",
    "review",
    "review on",
    "review off",
    "trust",
    "untrust",
    "",
]
ACTION_IDS = [
    cards.EDIT_ACTION,
    cards.CANCEL_ACTION,
    cards.CALENDAR_ACTION,
    cards.TOOLKIT_ACTION,
    cards.RSVP_ACTION,
    f"{cards.LIST_PAGE_ACTION}_next",
    f"{posts.SHARE_ACTION}_0",
    posts.FILL_ACTION,
    f"{toolkit.OPEN_ACTION}_0",
    toolkit.SHARE_ACTION,
    toolkit.ADD_NOTE_ACTION,
    congress.SHARE_ACTION,
    approval.APPROVE_ACTION,
    approval.REJECT_ACTION,
    reports.REPORT_ACTION,
]
VIEW_CALLBACK_IDS = [
    event_form.CALLBACK_ID,
    campaigns.CALLBACK_ID,
    posts.FILL_CALLBACK_ID,
    posts.ADD_CALLBACK_ID,
    toolkit.NOTE_CALLBACK_ID,
    approval.REJECT_CALLBACK_ID,
    reports.REPORT_CALLBACK_ID,
]
# Text that has broken parsers before: digits int() rejects, numbers no column holds, NUL, a
# lone surrogate, mrkdwn that pings, JSON that is not an object.
NASTY = [
    "²",
    "٣",
    "1",
    "2",
    "0",
    "-1",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "\x00",
    "a\x00b",
    "\ud800",
    "<!channel>",
    "&amp;",
    "%s",
    "{}",
    "[]",
    "null",
    "true",
    " ",
    "\n",
    "1|",
    "-5|rally",
    "9" * 400,
    "x" * 3100,
    '{"platform":"twitter"}',
    '{"platform":[1]}',
    "prayer_vigil",
    "press conference",
    "08:00",
    "25:99",
    "2026-13-45",
]
NOW = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)

any_text = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.text(st.characters(exclude_categories=()), max_size=12),  # surrogates included
)


def ids(*usual: str) -> st.SearchStrategy[str]:
    """Mostly (4 in 5) ids the app knows, to get past routing into the listeners; else anything."""
    return st.sampled_from([True, True, True, True, False]).flatmap(
        lambda known: st.sampled_from(usual) if known else any_text
    )


# --- the app, served once per module and database ------------------------------------


@dataclass
class Served:
    url: str
    slack: FakeSlack
    modals: dict[str, dict]  # callback_id -> a modal the app really opened
    log: list[logging.LogRecord] = field(default_factory=list)
    checked: int = 0  # log records already checked
    requests: int = 0
    statuses: Counter = field(default_factory=Counter)


class _Recorder(logging.Handler):
    def __init__(self, records: list[logging.LogRecord]) -> None:
        super().__init__(logging.INFO)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def served(request, fake_slack_server, tmp_path_factory):
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.db'}")
        db.upgrade()
    else:
        db = request.getfixturevalue("postgres_database")
        empty(db)
    fake_slack_server.reset()
    fake_slack_server.add_user("U1", tz="America/Chicago", real_name="Sara Wohlleb", email="sara@example.org")
    settings = load_settings(bot_env(fake_slack_server, db.url))
    services = make_services(settings, db, now=FakeClock(NOW))
    app = create_app(settings, services, transport=Transport.HTTP)
    deliverer = make_deliverer(fake_slack_server, services)  # posts go out through the outbox
    deliverer.start(poll_seconds=3600)
    root = logging.getLogger()
    level = root.level
    with serving(app, db) as url:
        result = Served(url, fake_slack_server, _open_modals(SlackDriver(url, fake_slack_server)))
        recorder = _Recorder(result.log)
        root.addHandler(recorder)
        root.setLevel(logging.INFO)
        yield result
        deliverer.stop()
    root.removeHandler(recorder)
    root.setLevel(level)
    assert_clean(result.log)
    _print_summary(request.param, result)
    if request.param == "sqlite":
        db.dispose()


def _open_modals(driver: SlackDriver) -> dict[str, dict]:
    """Open every modal the app has, as a person would, to fuzz their real inputs."""
    driver.command("/event", "new")
    driver.command("/campaign", "new")
    driver.command("/posts", "add")
    driver.command("/toolkit", "add press conference")
    driver.command("/posts", "tweets")
    [shared] = [p for p in driver.slack.wait_for("chat.postMessage") if p.get("blocks")][:1]
    driver.click({"blocks": shared["blocks"]}, posts.FILL_ACTION)
    opened = driver.slack.wait_for("views.open", 5)
    # The reject and report forms open for an admin's pending event and an event that is over:
    # drawn here by the app's own functions for event #1 instead.
    sample = Event(
        id=1,
        team_id=TEAM_ID,
        title="Vigil",
        event_type="prayer_vigil",
        starts_at=NOW,
        timezone="America/Chicago",
        created_by="U1",
    )
    drawn = {
        approval.REJECT_CALLBACK_ID: approval.reject_modal(sample),
        reports.REPORT_CALLBACK_ID: reports.report_modal(sample, None),
    }
    return {view["view"]["callback_id"]: view["view"] for view in opened} | drawn


def assert_clean(records: list[logging.LogRecord]) -> None:
    """As the operator reads them (the bot's log format): no traceback, one line each."""
    for record in records:
        line = LOG_FORMAT.format(record)
        assert record.exc_info is None and "Traceback" not in line, line
        assert "\n" not in line, f"a log entry over several lines: {line[:300]!r}"


def _print_summary(database: str, served: Served) -> None:
    failures = Counter(
        r.getMessage().split(" on ")[0] for r in served.log if r.getMessage().startswith("listener failed")
    )
    print(f"\nfuzz on {database}: {served.requests} requests, statuses {dict(sorted(served.statuses.items()))}")
    for failure, count in failures.most_common():
        print(f"  {count:5d}  {failure}")


# --- sending -------------------------------------------------------------------------


def send(served: Served, body: bytes, headers: dict[str, str], *, send_body: bool = True) -> int:
    """POST raw bytes with raw headers; the status. `send_body=False` sends the headers only."""
    address = urllib.parse.urlsplit(served.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    try:
        connection.putrequest("POST", SLACK_PATH, skip_accept_encoding=True)
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Content-Length": str(len(body)), **headers}
        for name, value in headers.items():
            connection.putheader(name, value.encode("latin-1", "replace"))
        connection.endheaders(body if send_body else None)
        status = connection.getresponse().status
    finally:
        connection.close()
    served.requests += 1
    served.statuses[status] += 1
    return status


def send_signed(served: Served, body: bytes, content_type: str = "application/x-www-form-urlencoded") -> int:
    """Signed as Slack signs: over the raw bytes, whatever they are."""
    timestamp = str(int(time.time()))
    signature = hmac.new(SIGNING_SECRET.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256).hexdigest()
    headers = {
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": f"v0={signature}",
        "Content-Type": content_type,
    }
    return send(served, body, headers)


def form(fields: dict[str, str]) -> bytes:
    # surrogatepass: a lone surrogate becomes bytes that are not UTF-8, as a broken client would send.
    return urllib.parse.urlencode(fields, encoding="utf-8", errors="surrogatepass").encode()


def interactive(payload: dict) -> bytes:
    return form({"payload": json.dumps(payload)})


def check(served: Served, status: int, *allowed: int) -> None:
    assert status < 500
    if allowed:
        assert status in allowed
    records = served.log[served.checked :]
    served.checked += len(records)
    assert_clean(records)


# --- signed payloads that reach the listeners ------------------------------------------


@st.composite
def slash_commands(draw, served: Served) -> dict[str, str]:
    return {
        "token": "legacy",
        "team_id": draw(ids(TEAM_ID)),
        "team_domain": "test",
        "channel_id": draw(ids("C1", "C_ARCHIVED", "D1")),
        "user_id": draw(ids("U1", "UADMIN", "U2")),
        "command": draw(ids(*COMMANDS)),
        "text": draw(st.one_of(any_text, st.tuples(st.sampled_from(SUBCOMMANDS), any_text).map(" ".join))),
        "api_app_id": "A0TEST",
        "response_url": draw(st.one_of(st.just(served.slack.response_url("fuzz")), any_text)),
        "trigger_id": draw(ids("trigger.1")),
    }


def _actor(draw) -> dict:
    return {
        "user": {"id": draw(ids("U1", "UADMIN")), "team_id": draw(ids(TEAM_ID))},
        "team": {"id": draw(ids(TEAM_ID)), "domain": "test"},
        "api_app_id": "A0TEST",
        "token": "legacy",
        "trigger_id": draw(ids("trigger.1")),
    }


@st.composite
def block_actions(draw, served: Served) -> dict:
    action = {
        "type": "button",
        "action_id": draw(ids(*ACTION_IDS)),
        "block_id": draw(ids("b")),
        "value": draw(st.one_of(any_text, st.sampled_from(["1", "2", "0|", "10|rally", '{"platform":"twitter"}']))),
        "action_ts": "1",
    }
    channel = draw(ids("C1"))
    return {
        **_actor(draw),
        "type": "block_actions",
        "channel": {"id": channel},
        "container": {"type": "message", "message_ts": draw(ids("1700000000.000100")), "channel_id": channel},
        "message": {"ts": draw(ids("1700000000.000100")), "text": draw(any_text), "blocks": []},
        "response_url": draw(st.one_of(st.just(served.slack.response_url("fuzz")), any_text)),
        "actions": [action],
    }


def _state(draw, element: dict) -> dict:
    kind = element.get("type")
    options = element.get("options") or []
    option = st.one_of(
        st.sampled_from(options) if options else st.nothing(), st.builds(lambda v: {"value": v}, any_text)
    )
    if kind in ("static_select", "radio_buttons"):
        return {"type": kind, "selected_option": draw(st.one_of(st.none(), option))}
    if kind in ("checkboxes", "multi_static_select"):
        return {"type": kind, "selected_options": draw(st.lists(option, max_size=3))}
    if kind == "datepicker":
        return {"type": kind, "selected_date": draw(st.one_of(st.none(), any_text, st.dates().map(str)))}
    if kind == "timepicker":
        return {
            "type": kind,
            "selected_time": draw(st.one_of(st.none(), any_text, st.times().map(lambda t: t.strftime("%H:%M")))),
        }
    if kind == "conversations_select":
        return {"type": kind, "selected_conversation": draw(st.one_of(st.none(), ids("C1")))}
    if kind == "multi_users_select":
        return {
            "type": kind,
            "selected_users": draw(st.one_of(st.lists(ids("U2", "U1", "UADMIN"), max_size=12), any_text)),
        }
    return {"type": kind, "value": draw(st.one_of(st.none(), any_text))}


@st.composite
def view_submissions(draw, served: Served) -> dict:
    callback_id = draw(st.sampled_from(sorted(served.modals)))
    modal = served.modals[callback_id]
    values = {
        block["block_id"]: {block["element"]["action_id"]: _state(draw, block["element"])}
        for block in modal["blocks"]
        if block["type"] == "input" and draw(st.integers(0, 9)) > 0  # now and then an input is missing
    }
    metadata = draw(st.one_of(st.just(modal.get("private_metadata", "")), any_text))
    view = {
        **modal,
        "id": "V1",
        "team_id": TEAM_ID,
        "callback_id": draw(st.one_of(st.just(callback_id), ids(*VIEW_CALLBACK_IDS))),
        "private_metadata": metadata,
        "state": {"values": values},
    }
    return {**_actor(draw), "type": draw(st.sampled_from(["view_submission", "view_closed"])), "view": view}


@st.composite
def shortcuts_and_events(draw, served: Served) -> tuple[bytes, str]:
    kind = draw(st.sampled_from(["shortcut", "message_action", "event_callback", "url_verification"]))
    if kind in ("shortcut", "message_action"):
        payload = {
            **_actor(draw),
            "type": kind,
            "callback_id": draw(ids("new_event", "event_from_message")),
            "action_ts": "1",
        }
        if kind == "message_action":
            payload |= {
                "channel": {"id": draw(ids("C1"))},
                "message": {"ts": "1", "text": draw(any_text)},
                "response_url": served.slack.response_url("fuzz"),
            }
        return interactive(payload), "application/x-www-form-urlencoded"
    if kind == "url_verification":
        payload = {"type": kind, "token": "legacy", "challenge": draw(any_text)}
    else:
        event = {
            "type": draw(ids("app_mention", "message", "app_home_opened")),
            "user": draw(ids("U1")),
            "channel": draw(ids("C1")),
            "text": draw(any_text),
            "ts": "1",
        }
        payload = {
            "type": kind,
            "team_id": draw(ids(TEAM_ID)),
            "api_app_id": "A0TEST",
            "event": event,
            "event_id": draw(ids("Ev1")),
            "event_time": 1,
        }
    return json.dumps(payload).encode(), "application/json"


@given(data=st.data())
def test_slash_commands(served, data):
    check(served, send_signed(served, form(data.draw(slash_commands(served)))))


@given(data=st.data())
def test_block_actions(served, data):
    check(served, send_signed(served, interactive(data.draw(block_actions(served)))))


@given(data=st.data())
def test_view_submissions(served, data):
    check(served, send_signed(served, interactive(data.draw(view_submissions(served)))))


@given(data=st.data())
def test_shortcuts_and_events(served, data):
    body, content_type = data.draw(shortcuts_and_events(served))
    check(served, send_signed(served, body, content_type))


# --- what the front door refuses --------------------------------------------------------

front_door_only = pytest.mark.parametrize("served", ["sqlite"], indirect=True)

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), any_text),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(any_text, children, max_size=4)),
    max_leaves=20,
)
slack_keys = st.sampled_from(
    [
        "type",
        "team",
        "user",
        "channel",
        "enterprise",
        "actions",
        "view",
        "event",
        "message",
        "authorizations",
        "response_urls",
        "container",
        "callback_id",
        "command",
        "trigger_id",
    ]
)


@front_door_only
@given(payload=st.one_of(json_values, st.dictionaries(slack_keys, json_values, max_size=6)))
def test_signed_payloads_of_any_shape(served, payload):
    """Signed JSON Slack would never send, as an interactive payload and as an Events API body."""
    check(served, send_signed(served, interactive(payload)))
    check(served, send_signed(served, json.dumps(payload).encode(), "application/json"))


# What HTTP allows in a header value (waitress answers 400 to the rest itself).
header_text = st.text(st.characters(codec="latin-1", exclude_categories=("Cc",)), max_size=30)


@front_door_only
@given(
    body=st.one_of(
        st.binary(max_size=300), st.sampled_from([b"payload=%5B1%5D", b"payload=notjson", b"{", b"[]", b"\xff\xfe"])
    ),
    timestamp=st.one_of(
        st.none(), st.sampled_from(["abc", "", "²", "-1", "1e10", "99999999999999999999", "\u00e9"]), header_text
    ),
    signature=st.one_of(st.none(), st.sampled_from(["v0=00", "", "v0=\u00e9"]), header_text),
)
def test_unsigned_junk_and_bad_timestamps_get_401(served, body, timestamp, signature):
    headers = {}
    if timestamp is not None:
        headers["X-Slack-Request-Timestamp"] = timestamp
    if signature is not None:
        headers["X-Slack-Signature"] = signature
    check(served, send(served, body, headers), 401)


@front_door_only
@given(depth=st.integers(1_000, MAX_BODY_BYTES // 20), opener=st.sampled_from(["[", '{"a":']), as_form=st.booleans())
def test_deep_nesting_is_refused(served, depth, opener, as_form):
    document = opener * depth + "1" + ("]" if opener == "[" else "}") * depth
    if as_form:
        check(served, send_signed(served, form({"payload": document})), 400)
    else:
        check(served, send_signed(served, document.encode(), "application/json"), 400)


@front_door_only
@settings(max_examples=max(3, settings().max_examples // 10))
@given(size=st.integers(MAX_BODY_BYTES + 1, 1 << 31))
def test_oversize_bodies_are_refused_before_they_are_sent(served, size):
    """413 at the headers: the server answers without waiting for (or reading) the body."""
    started = time.monotonic()
    check(served, send(served, b"", {"Content-Length": str(size)}, send_body=False), 413)
    assert time.monotonic() - started < 5
