"""Tests for the fake Slack server, driven through a real slack_sdk.WebClient."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.webhook import WebhookClient

from fakeslack import FakeSlack  # tests/ is on sys.path (pytest rootdir-less "prepend" import mode)

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
