"""Tests for the fake Slack server, driven through a real slack_sdk.WebClient."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
from collections.abc import Iterator
from http.client import RemoteDisconnected

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.webhook import WebhookClient

from fakeslack import (  # tests/ is on sys.path (pytest rootdir-less "prepend" import mode)
    CLIENT_ID,
    CLIENT_SECRET,
    FakeSlack,
    Fault,
)

BLOCKS = [{"type": "section", "text": {"type": "mrkdwn", "text": "*hi*"}}]


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


def client(fake: FakeSlack, **kwargs: object) -> WebClient:
    return WebClient(base_url=fake.api_url, token="xoxb-test", **kwargs)  # type: ignore[arg-type]


def test_records_calls_and_keeps_messages(slack: FakeSlack) -> None:
    web = client(slack)
    assert web.auth_test()["user_id"] == "UBOT"

    posted = web.chat_postMessage(channel="C1", text="hi", blocks=BLOCKS)
    ts = posted["ts"]
    assert posted["channel"] == "C1"
    # Form-encoded blocks (api_call with data=) are decoded as well as JSON ones.
    web.api_call("chat.update", data={"channel": "C1", "ts": ts, "text": "bye", "blocks": "[]"})

    [post] = slack.calls_to("chat.postMessage")
    assert post["blocks"] == BLOCKS and post["text"] == "hi"
    assert slack.calls[1].token == "xoxb-test"
    assert slack.calls_to("chat.update")[0]["blocks"] == []
    assert slack.message("C1", ts)["text"] == "bye"
    assert [m["ts"] for m in slack.messages["C1"]] == [ts]

    web.chat_delete(channel="C1", ts=ts)
    assert slack.messages["C1"] == []
    with pytest.raises(SlackApiError) as err:
        web.chat_update(channel="C1", ts=ts, text="gone")
    assert err.value.response["error"] == "message_not_found"


def test_users_views_and_response_urls(slack: FakeSlack) -> None:
    web = client(slack)
    slack.add_user("U1", tz="Europe/Berlin", is_admin=True, real_name="Ada L")
    user = web.users_info(user="U1")["user"]
    assert (user["tz"], user["is_admin"], user["profile"]["real_name"]) == ("Europe/Berlin", True, "Ada L")
    assert user["tz_offset"] in (3600, 7200)
    assert web.users_info(user="U2")["user"]["tz"] == "America/New_York"

    view = {"type": "modal", "title": {"type": "plain_text", "text": "T"}, "blocks": BLOCKS}
    opened = web.views_open(trigger_id="t1", view=view)["view"]
    assert opened["id"].startswith("V") and opened["blocks"] == BLOCKS
    assert slack.calls_to("views.open")[0]["view"] == view

    url = slack.response_url("cmd")
    assert WebhookClient(url).send(text="done", replace_original=True).status_code == 200
    [reply] = slack.calls_to("response_url")
    assert reply == {"text": "done", "replace_original": True, "_url": url}


def test_views_publish_keeps_each_persons_home_and_refuses_what_slack_refuses(slack: FakeSlack) -> None:
    web = client(slack)
    assert slack.home("U1") is None
    home = {"type": "home", "blocks": BLOCKS}
    web.views_publish(user_id="U1", view=home)
    web.views_publish(user_id="U2", view={"type": "home", "blocks": []})
    assert slack.home("U1")["blocks"] == BLOCKS and slack.home("U1")["id"].startswith("V")
    assert slack.home_token("U1") == "xoxb-test" and slack.home("U2")["blocks"] == []

    refused = [
        dict(user_id="U1", view={"type": "home", "blocks": BLOCKS * 101}),  # over Slack's 100 blocks
        dict(user_id="U1", view={"type": "modal", "title": {"type": "plain_text", "text": "T"}, "blocks": BLOCKS}),
        dict(user_id="", view=home),
    ]
    for args in refused:
        with pytest.raises(SlackApiError) as err:
            web.views_publish(**args)
        assert err.value.response["error"] == "invalid_arguments"
    assert slack.home("U1")["blocks"] == BLOCKS  # what a refused call would have shown never shows
    WebClient(base_url=slack.api_url, token="xoxb-other").views_publish(
        user_id="U1", view={"type": "home", "blocks": []}
    )
    assert slack.home_token("U1") == "xoxb-other"
    slack.reset()
    assert slack.home("U1") is None


def test_fail_next(slack: FakeSlack) -> None:
    web = client(slack)
    slack.fail_next("chat.postMessage", "not_in_channel")
    with pytest.raises(SlackApiError) as err:
        web.chat_postMessage(channel="C1", text="x")
    assert err.value.response["error"] == "not_in_channel"
    web.chat_postMessage(channel="C1", text="x")  # only the next call fails
    with pytest.raises(SlackApiError, match="is_archived"):
        web.chat_postMessage(channel="C_ARCHIVED", text="x")


def test_rate_limit_next(slack: FakeSlack) -> None:
    slack.rate_limit_next("chat.postMessage")
    with pytest.raises(SlackApiError) as err:
        client(slack).chat_postMessage(channel="C1", text="x")
    assert err.value.response.status_code == 429
    assert err.value.response.headers["Retry-After"] == "1"

    slack.rate_limit_next("chat.postMessage")
    retrying = client(slack, retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)])
    assert retrying.chat_postMessage(channel="C1", text="x")["ok"]
    first, retry = slack.calls[-2:]
    assert first.error == "ratelimited" and retry.error is None
    assert retry.at - first.at >= 1.0  # the client honoured Retry-After


def test_channel_rate_limit() -> None:
    with FakeSlack(channel_rate_limit=1.0) as slack:
        web = client(slack)
        web.chat_postMessage(channel="C1", text="1")
        web.chat_postMessage(channel="C2", text="1")  # other channels are independent
        with pytest.raises(SlackApiError) as err:
            web.chat_postMessage(channel="C1", text="2")
        assert err.value.response.status_code == 429
        assert int(err.value.response.headers["Retry-After"]) >= 1
        assert len(slack.messages["C1"]) == 1


def test_wait_for(slack: FakeSlack) -> None:
    web = client(slack)
    timer = threading.Timer(0.1, lambda: web.chat_postMessage(channel="C1", text="later"))
    timer.start()
    started = time.monotonic()
    assert slack.wait_for("chat.postMessage", timeout=2)[0]["text"] == "later"
    assert time.monotonic() - started < 1.5
    timer.join()

    with pytest.raises(AssertionError, match=r"chat.delete.*chat.postMessage"):
        slack.wait_for("chat.delete", timeout=0.1)


# ---- messages, threads and history ----------------------------------------------------------

OUTBOX = {"event_type": "organizer_bot_outbox", "event_payload": {"key": "reminder:7:1d"}}


def test_history_lists_top_level_messages_newest_first_with_their_threads(slack: FakeSlack) -> None:
    web = client(slack)
    card = web.chat_postMessage(channel="C1", text="card", metadata=OUTBOX)["ts"]
    web.chat_postMessage(channel="C1", text="reply 1", thread_ts=card)
    # Form bodies carry metadata JSON-encoded, as slack_sdk sends it with api_call(data=...).
    web.api_call(
        "chat.postMessage",
        data={
            "channel": "C1",
            "text": "reply 2",
            "thread_ts": card,
            "reply_broadcast": "true",
            "metadata": json.dumps(OUTBOX),
        },
    )
    web.chat_postMessage(channel="C1", text="later")

    listed = web.conversations_history(channel="C1")
    assert [m["text"] for m in listed["messages"]] == ["later", "reply 2", "card"]
    assert listed["has_more"] is False
    parent = listed["messages"][2]
    assert (parent["thread_ts"], parent["reply_count"], parent["reply_users"]) == (card, 2, ["UBOT"])
    assert parent["latest_reply"] == slack.thread("C1", card)[-1]["ts"]
    assert all("metadata" not in m for m in listed["messages"])  # only for those who ask

    with_metadata = web.conversations_history(channel="C1", include_all_metadata=True)["messages"]
    assert [m.get("metadata") for m in with_metadata] == [None, OUTBOX, OUTBOX]

    assert [m["text"] for m in slack.history("C1")] == ["card", "reply 2", "later"]
    assert [m["text"] for m in slack.thread("C1", card)] == ["reply 1", "reply 2"]


def test_replies_give_the_parent_then_its_replies_oldest_first(slack: FakeSlack) -> None:
    web = client(slack)
    card = web.chat_postMessage(channel="C1", text="card")["ts"]
    for n in range(1, 6):
        web.chat_postMessage(channel="C1", text=f"reminder {n}", thread_ts=card, metadata=OUTBOX)

    first = web.conversations_replies(channel="C1", ts=card, limit=3)
    assert [m["text"] for m in first["messages"]] == ["card", "reminder 1", "reminder 2"]
    assert first["has_more"] is True and "metadata" not in first["messages"][1]
    pages = [
        [(m["text"], m.get("metadata")) for m in page["messages"]]
        for page in web.conversations_replies(channel="C1", ts=card, limit=3, include_all_metadata=True)
    ]
    assert pages == [
        [("card", None), ("reminder 1", OUTBOX), ("reminder 2", OUTBOX)],
        [("reminder 3", OUTBOX), ("reminder 4", OUTBOX), ("reminder 5", OUTBOX)],
    ]

    with pytest.raises(SlackApiError, match="thread_not_found"):
        web.conversations_replies(channel="C1", ts="1.000001")
    with pytest.raises(SlackApiError, match="channel_not_found"):
        web.conversations_replies(channel="C_GONE", ts=card)


def test_history_pages_with_a_cursor_and_a_time_window(slack: FakeSlack) -> None:
    web = client(slack)
    slack.clock = lambda: 1_800_000_000.0  # ts follow the clock and stay unique when it stands still
    stamps = [web.chat_postMessage(channel="C1", text=str(n))["ts"] for n in range(7)]
    assert stamps[:2] == ["1800000000.000000", "1800000000.000001"]

    # slack_sdk follows next_cursor (each page updates the same response object, so read it as it comes).
    pages = [[m["text"] for m in page["messages"]] for page in web.conversations_history(channel="C1", limit=3)]
    assert pages == [["6", "5", "4"], ["3", "2", "1"], ["0"]]

    window = web.conversations_history(channel="C1", oldest=stamps[2], latest=stamps[5])["messages"]
    assert [m["text"] for m in window] == ["4", "3"]
    window = web.conversations_history(channel="C1", oldest=stamps[2], latest=stamps[5], inclusive=True)["messages"]
    assert [m["text"] for m in window] == ["5", "4", "3", "2"]
    with pytest.raises(SlackApiError, match="invalid_cursor"):
        web.conversations_history(channel="C1", cursor="not a cursor")


def test_history_refuses_unknown_channels_and_reads_archived_ones(slack: FakeSlack) -> None:
    web = client(slack)
    for channel in ("C_GONE", "general", "#general"):
        with pytest.raises(SlackApiError) as err:
            web.conversations_history(channel=channel)
        assert err.value.response["error"] == "channel_not_found"
    assert web.conversations_history(channel="C_ARCHIVED")["messages"] == []
    assert web.conversations_history(channel="C7")["messages"] == []  # a channel the bot never posted in


def test_direct_messages_land_in_the_users_dm_channel(slack: FakeSlack) -> None:
    web = client(slack)
    assert web.conversations_open(users="U2")["channel"]["id"] == "DU2"
    assert web.chat_postMessage(channel="U2", text="see you there")["channel"] == "DU2"
    web.chat_postMessage(channel="DU2", text="starts in 1 hour")
    assert [m["text"] for m in slack.dm("U2")] == ["see you there", "starts in 1 hour"]
    assert [m["text"] for m in web.conversations_history(channel="DU2")["messages"]] == [
        "starts in 1 hour",
        "see you there",
    ]


def test_update_may_change_metadata_and_deleting_a_parent_keeps_its_thread(slack: FakeSlack) -> None:
    web = client(slack)
    card = web.chat_postMessage(channel="C1", text="card")["ts"]
    web.chat_update(channel="C1", ts=card, text="card (edited)", metadata=OUTBOX)
    [listed] = web.conversations_history(channel="C1", include_all_metadata=True)["messages"]
    assert (listed["text"], listed["metadata"]) == ("card (edited)", OUTBOX)

    web.chat_postMessage(channel="C1", text="reply", thread_ts=card)
    web.chat_delete(channel="C1", ts=card)
    [tombstone] = slack.history("C1")
    assert (tombstone["subtype"], tombstone["text"], tombstone["reply_count"]) == (
        "tombstone",
        "This message was deleted.",
        1,
    )
    assert [m["text"] for m in web.conversations_replies(channel="C1", ts=card)["messages"]] == [
        "This message was deleted.",
        "reply",
    ]

    with pytest.raises(SlackApiError, match="invalid_metadata_format"):
        web.chat_postMessage(channel="C1", text="x", metadata={"event_type": "no payload"})


# ---- faults ---------------------------------------------------------------------------------


def test_rejected_calls_have_no_effect(slack: FakeSlack) -> None:
    web = client(slack)
    slack.inject("chat.postMessage", Fault.rate_limited(retry_after=3))
    slack.inject("chat.postMessage", Fault.error("internal_error", status=500))
    with pytest.raises(SlackApiError) as limited:
        web.chat_postMessage(channel="C1", text="x")
    assert (limited.value.response.status_code, limited.value.response.headers["Retry-After"]) == (429, "3")
    with pytest.raises(SlackApiError) as failed:
        web.chat_postMessage(channel="C1", text="x")
    assert (failed.value.response.status_code, failed.value.response["error"]) == (500, "internal_error")
    assert slack.history("C1") == []
    assert [(c.error, c.took_effect) for c in slack.calls] == [("ratelimited", False), ("internal_error", False)]


def test_accepted_then_error_posts_although_the_client_sees_a_server_error(slack: FakeSlack) -> None:
    slack.inject("chat.postMessage", Fault.accepted_then_error(status=503))
    with pytest.raises(SlackApiError) as err:
        client(slack).chat_postMessage(channel="C1", text="reminder", metadata=OUTBOX)
    assert err.value.response.status_code == 503
    assert [m["text"] for m in slack.history("C1")] == ["reminder"]
    [call] = slack.calls
    assert (call.error, call.took_effect) == ("internal_error", True)


def test_accepted_then_dropped_posts_and_the_client_gets_no_reply(slack: FakeSlack) -> None:
    slack.inject("chat.postMessage", Fault.accepted_then_dropped())
    with pytest.raises(RemoteDisconnected):
        client(slack, retry_handlers=[]).chat_postMessage(channel="C1", text="reminder")
    assert [m["text"] for m in slack.history("C1")] == ["reminder"]
    assert [(c.took_effect, c.dropped) for c in slack.calls] == [(True, True)]


def test_connection_error_retry_handler_posts_a_dropped_message_twice(slack: FakeSlack) -> None:
    """Why the outbox looks a post up before sending it again: slack_sdk's retry duplicates it."""
    slack.inject("chat.postMessage", Fault.accepted_then_dropped())
    retrying = client(
        slack, retry_handlers=[ConnectionErrorRetryHandler(interval_calculator=FixedValueRetryIntervalCalculator(0.01))]
    )
    assert retrying.chat_postMessage(channel="C1", text="reminder")["ok"]
    assert [m["text"] for m in slack.history("C1")] == ["reminder", "reminder"]


def test_a_reply_slower_than_the_clients_timeout_leaves_the_outcome_unknown(slack: FakeSlack) -> None:
    slack.inject("chat.postMessage", Fault.latency(0.5))
    started = time.monotonic()
    with pytest.raises(TimeoutError):  # socket.timeout
        client(slack, timeout=0.05, retry_handlers=[]).chat_postMessage(channel="C1", text="reminder")
    assert time.monotonic() - started < 0.5  # the client gave up before the reply came
    assert [m["text"] for m in slack.history("C1")] == ["reminder"]  # it took effect all the same

    slack.set_latency("auth.test", 0.05)
    started = time.monotonic()
    client(slack).auth_test()
    client(slack).auth_test()
    assert time.monotonic() - started >= 0.1


# ---- tokens, OAuth, files -------------------------------------------------------------------


def test_tokens_speak_for_their_team_until_revoked(slack: FakeSlack) -> None:
    slack.add_token("xoxb-other", "T0OTHER", bot_user_id="UOTHERBOT", enterprise_id="E0GRID")
    other = WebClient(base_url=slack.api_url, token="xoxb-other").auth_test()
    assert (other["team_id"], other["user_id"], other["enterprise_id"]) == ("T0OTHER", "UOTHERBOT", "E0GRID")
    assert client(slack).auth_test()["team_id"] == "T0TEST"  # unknown xoxb- tokens: the default workspace
    posted = WebClient(base_url=slack.api_url, token="xoxb-other").chat_postMessage(channel="C1", text="hi")
    assert (posted["message"]["user"], posted["message"]["team"]) == ("UOTHERBOT", "T0OTHER")

    slack.revoke("xoxb-other")
    for token, error in [
        ("xoxb-other", "token_revoked"),
        ("xoxb-your-bot-token", "invalid_auth"),
        ("garbage", "invalid_auth"),
        ("xapp-1-A0TEST-1-x", "not_allowed_token_type"),
    ]:
        with pytest.raises(SlackApiError) as err:
            WebClient(base_url=slack.api_url, token=token).chat_postMessage(channel="C1", text="x")
        assert (err.value.response.status_code, err.value.response["error"]) == (200, error)
    with pytest.raises(SlackApiError, match="not_authed"):
        WebClient(base_url=slack.api_url).auth_test()


def test_oauth_v2_access_exchanges_a_code_once(slack: FakeSlack) -> None:
    web = WebClient(base_url=slack.api_url)
    token = slack.add_oauth_code(
        "code-1",
        "T0NEW",
        team_name="Coalition",
        bot_user_id="UNEWBOT",
        user_id="U9",
        redirect_uri="https://bot.example.org/slack/oauth_redirect",
    )
    install = web.oauth_v2_access(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        code="code-1",
        redirect_uri="https://bot.example.org/slack/oauth_redirect",
    )
    assert install["access_token"] == token and install["token_type"] == "bot"
    assert (install["team"], install["enterprise"], install["is_enterprise_install"]) == (
        {"id": "T0NEW", "name": "Coalition"},
        None,
        False,
    )
    assert (install["bot_user_id"], install["authed_user"], install["app_id"]) == ("UNEWBOT", {"id": "U9"}, "A0TEST")
    assert WebClient(base_url=slack.api_url, token=token).auth_test()["team_id"] == "T0NEW"

    for kwargs, error in [
        ({"code": "code-1"}, "invalid_code"),  # already used
        ({"code": "nope"}, "invalid_code"),
        ({"code": "code-1", "client_secret": "wrong"}, "bad_client_secret"),
    ]:
        with pytest.raises(SlackApiError) as err:
            web.oauth_v2_access(**{"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, **kwargs})
        assert err.value.response["error"] == error

    slack.add_oauth_code("code-2", "T0NEW", enterprise_id="E0GRID", enterprise_name="Grid", is_enterprise_install=True)
    org = web.oauth_v2_access(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code="code-2")
    assert (org["team"], org["enterprise"], org["is_enterprise_install"]) == (
        None,
        {"id": "E0GRID", "name": "Grid"},
        True,
    )


def test_files_upload_v2_shares_the_bytes_in_the_channel(slack: FakeSlack) -> None:
    web = client(slack)
    card = web.chat_postMessage(channel="C1", text="card")["ts"]
    uploaded = web.files_upload_v2(
        channel="C1",
        content=b"BEGIN:VCALENDAR",
        filename="event.ics",
        title="Rally calendar",
        initial_comment="Add it to your calendar",
        thread_ts=card,
    )
    assert (uploaded["file"]["name"], uploaded["file"]["title"]) == ("event.ics", "Rally calendar")
    assert slack.files_in("C1") == [
        {
            "id": uploaded["file"]["id"],
            "name": "event.ics",
            "title": "Rally calendar",
            "bytes": b"BEGIN:VCALENDAR",
            "ts": slack.thread("C1", card)[0]["ts"],
        }
    ]
    [comment] = slack.thread("C1", card)
    assert comment["text"] == "Add it to your calendar" and comment["files"][0]["name"] == "event.ics"

    file_id = web.files_getUploadURLExternal(filename="x.txt", length=3)["file_id"]
    with pytest.raises(SlackApiError, match="file_not_found"):  # completing before the bytes were sent
        web.files_completeUploadExternal(files=[{"id": file_id}], channel_id="C1")


def test_an_upload_url_can_fail_as_slacks_does(slack: FakeSlack) -> None:
    web = client(slack)
    slack.inject("upload", Fault.error("internal_error", 500))
    with pytest.raises(urllib.error.HTTPError, match="500"):  # slack_sdk lets the upload's HTTP error through
        web.files_upload_v2(channel="C1", content=b"id,title\r\n", filename="events.csv")
    assert slack.files_in("C1") == [] and slack.calls_to("files.completeUploadExternal") == []
    uploaded = web.files_upload_v2(channel="C1", content=b"id,title\r\n", filename="events.csv")  # the next works
    assert [f["bytes"] for f in slack.files_in("C1")] == [b"id,title\r\n"] and uploaded["file"]["name"] == "events.csv"


def test_apps_connections_open_needs_an_app_token(slack: FakeSlack) -> None:
    with pytest.raises(SlackApiError, match="not_allowed_token_type"):
        client(slack).apps_connections_open(app_token="xoxb-test")
    with pytest.raises(SlackApiError, match="socket_mode_not_enabled"):
        client(slack).apps_connections_open(app_token="xapp-1-A0TEST-1-x")
    slack.revoke("xapp-1-A0TEST-1-x")
    with pytest.raises(SlackApiError, match="token_revoked"):
        client(slack).apps_connections_open(app_token="xapp-1-A0TEST-1-x")
