"""Drive the app over HTTP exactly as Slack does, and read what it shows as a person would.

- requests are signed with the signing secret (v0 HMAC-SHA256) and posted to /slack/events
  as form bodies: slash commands as fields, interactivity as a `payload` JSON field;
- modals are filled by their visible labels ("Title", "Start date"), not by block ids;
- every view and message is checked with slack_sdk's Block Kit models.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import itertools
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from environment import scaled
from fakeslack import APP_ID, BOT_USER_ID, TEAM_ID, FakeSlack
from socketmode import SocketModeServer

SIGNING_SECRET = "test-signing-secret"
_ids = itertools.count(1)


@dataclass
class Reply:
    status: int
    body: str

    @property
    def json(self) -> dict:
        """The reply as Slack reads it: a JSON message, or a plain-text body shown as the message text."""
        if not self.body:
            return {}
        try:
            return json.loads(self.body)
        except json.JSONDecodeError:
            return {"text": self.body}

    @property
    def text(self) -> str:
        """Everything a user would read in the reply: text and all block text."""
        return visible_text(self.json)


def sign(body: str, timestamp: int | None = None, secret: str = SIGNING_SECRET) -> dict[str, str]:
    timestamp = int(time.time()) if timestamp is None else timestamp
    base = f"v0:{timestamp}:{body}".encode()
    signature = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": signature}


def post(url: str, body: str, headers: dict[str, str], content_type="application/x-www-form-urlencoded") -> Reply:
    request = urllib.request.Request(
        url, data=body.encode(), method="POST", headers={"Content-Type": content_type, **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Reply(response.status, response.read().decode())
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.read().decode())


def visible_text(obj) -> str:
    """Concatenate every `text` a person could read in a message, view or block list."""
    out: list[str] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("text", "title") and isinstance(value, str):
                    out.append(value)
                elif key not in ("action_id", "block_id", "value", "callback_id", "private_metadata", "url"):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(obj)
    return "\n".join(out)


def assert_valid_blocks(blocks: list[dict], limit: int = 50) -> None:
    assert len(blocks) <= limit, f"{len(blocks)} blocks, over Slack's limit of {limit}"
    for block in blocks:
        Block.parse(block).validate_json()


def assert_valid_view(view: dict) -> None:
    View(**view).validate_json()
    assert len(view["blocks"]) <= 100


@dataclass(frozen=True)
class Workspace:
    """Which workspace a request comes from, and the install that serves it."""

    team_id: str = TEAM_ID
    enterprise_id: str | None = None  # its Enterprise Grid organization
    org_install: bool = False  # served by the organization's org-wide install

    def authorization(self) -> dict:
        """An Events API delivery's `authorizations[0]`: an org-wide install has no workspace of its own."""
        return {
            "enterprise_id": self.enterprise_id,
            "team_id": None if self.org_install else self.team_id,
            "user_id": BOT_USER_ID,
            "is_bot": True,
            "is_enterprise_install": self.org_install,
        }


class SlackDriver:
    """A Slack workspace talking to the app: users type commands, click buttons, submit modals."""

    def __init__(self, events_url: str, slack: FakeSlack, workspace: Workspace = Workspace()) -> None:
        self.url = events_url
        self.slack = slack
        self.workspace = workspace
        self._views = [0]  # modals already read, shared with the other workspaces' drivers

    def of(self, team_id: str, *, enterprise_id: str | None = None, org_install: bool = False) -> SlackDriver:
        """The same app, as another workspace talks to it (the fake Slack keeps one list of calls)."""
        other = copy.copy(self)
        other.workspace = Workspace(team_id, enterprise_id, org_install)
        return other

    @property
    def team_id(self) -> str:
        return self.workspace.team_id

    # -- requests as Slack sends them --

    def send_form(self, fields: dict[str, str], *, headers: dict[str, str] | None = None) -> Reply:
        body = urllib.parse.urlencode(fields)
        return post(self.url, body, headers if headers is not None else sign(body))

    def command(self, command: str, text: str = "", *, user: str = "U1", channel: str = "C1") -> Reply:
        fields = {
            "token": "legacy",
            "team_id": self.team_id,
            "team_domain": "test",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "api_app_id": "A0TEST",
            "response_url": self.slack.response_url("command"),
            "trigger_id": f"trigger.{next(_ids)}",
        }
        if self.workspace.enterprise_id:
            fields |= {
                "enterprise_id": self.workspace.enterprise_id,
                "enterprise_name": "Coalition",
                "is_enterprise_install": str(self.workspace.org_install).lower(),
            }
        reply = self.send_form(fields)
        if reply.json.get("blocks"):
            assert_valid_blocks(reply.json["blocks"])
        return reply

    def interactive(self, payload: dict) -> Reply:
        """`team` is the workspace whose install answers (in a shared channel, the message's
        owner); `user.team_id` the acting person's own workspace."""
        workspace = self.workspace
        team = {
            "id": workspace.team_id,
            "domain": "test",
            **({"enterprise_id": workspace.enterprise_id} if workspace.enterprise_id else {}),
        }
        enterprise = {"id": workspace.enterprise_id, "name": "Coalition"} if workspace.enterprise_id else None
        payload = {
            "team": team,
            "enterprise": enterprise,
            "is_enterprise_install": workspace.org_install,
            "api_app_id": "A0TEST",
            "token": "legacy",
            **payload,
        }
        payload["user"] = {"team_id": workspace.team_id, **payload["user"]}
        return self.send_form({"payload": json.dumps(payload)})

    def shortcut(self, callback_id: str, *, user: str = "U1") -> Reply:
        return self.interactive(
            {
                "type": "shortcut",
                "callback_id": callback_id,
                "user": {"id": user},
                "trigger_id": f"trigger.{next(_ids)}",
                "action_ts": "1",
            }
        )

    def message_shortcut(self, callback_id: str, message: dict, *, user: str = "U1", channel: str = "C1") -> Reply:
        """Choose a shortcut in a message's ⋯ menu: a `message_action` carrying the message, as Slack sends it."""
        return self.interactive(
            {
                "type": "message_action",
                "callback_id": callback_id,
                "trigger_id": f"trigger.{next(_ids)}",
                "action_ts": "1",
                "user": {"id": user, "name": user.lower(), "team_id": self.team_id},
                "channel": {"id": channel, "name": "general"},
                "message": message,
                "message_ts": message.get("ts", "1"),
                "response_url": self.slack.response_url("shortcut"),
            }
        )

    def click(
        self,
        message: dict,
        action_id: str,
        *,
        user: str = "U1",
        channel: str = "C1",
        value: str | None = None,
        user_team: str | None = None,
    ) -> Reply:
        """Click the button with `action_id` in a posted message (as Slack reports it, with a response URL).
        `user_team`: the person's own workspace, when they are a guest from another one in a shared channel."""
        button = find_element(message.get("blocks", []), action_id)
        payload = {
            "type": "block_actions",
            "user": {"id": user, "team_id": user_team or self.team_id},
            "channel": {"id": channel},
            "container": {"type": "message", "message_ts": message.get("ts", "1"), "channel_id": channel},
            "message": message,
            "trigger_id": f"trigger.{next(_ids)}",
            "response_url": self.slack.response_url("action"),
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": "b",
                    "value": value or button.get("value"),
                    "action_ts": "1",
                }
            ],
        }
        return self.interactive(payload)

    def click_in_view(self, view: dict, action_id: str, *, user: str = "U1", option: str | None = None) -> Reply:
        """Click the button with `action_id` in a view (the App Home, or a modal), or pick the
        menu option whose text is `option`: as Slack reports it, with the view and a trigger_id,
        and no response URL (Slack gives none for views)."""
        element = find_element(view.get("blocks", []), action_id)
        action = {"type": element["type"], "action_id": action_id, "block_id": "b", "action_ts": "1"}
        if option is None:
            action["value"] = element.get("value")
        else:
            action["selected_option"] = _option_by_label(element, option)
        shown = {
            "callback_id": "",
            **view,
            "id": view.get("id", "V0"),
            "hash": view.get("hash", "h0"),
            "team_id": self.team_id,
            "state": {"values": {}},
        }  # Slack sends an empty callback_id for a view that set none
        payload = {
            "type": "block_actions",
            "user": {"id": user, "team_id": self.team_id},
            "container": {"type": "view", "view_id": shown["id"]},
            "view": shown,
            "trigger_id": f"trigger.{next(_ids)}",
            "actions": [action],
        }
        return self.interactive(payload)

    def event(self, event_type: str, event: dict, *, retry_attempt: int = 0, retry_reason: str = "") -> Reply:
        """Deliver an Events API event (``retry_attempt`` > 0: Slack delivering it again)."""
        body = event_callback(event_type, event, self.workspace)
        return self.send_event(body, retry_attempt=retry_attempt, retry_reason=retry_reason)

    def send_event(self, body: dict, *, retry_attempt: int = 0, retry_reason: str = "") -> Reply:
        raw = json.dumps(body)
        headers = sign(raw)
        if retry_attempt:
            headers |= {"X-Slack-Retry-Num": str(retry_attempt), "X-Slack-Retry-Reason": retry_reason}
        return post(self.url, raw, headers, content_type="application/json")

    def suggest(self, view: dict, action_id: str, typed: str, *, user: str = "U1") -> list[dict]:
        """Type into a modal's external select: the options the app answers the block_suggestion with."""
        element = find_element(view.get("blocks", []), action_id)
        assert element["type"].endswith("external_select"), element["type"]
        payload = {
            "type": "block_suggestion",
            "action_id": action_id,
            "block_id": action_id,
            "value": typed,
            "user": {"id": user, "team_id": self.team_id},
            "container": {"type": "view", "view_id": view.get("id", "V0")},
            "view": {**view, "id": view.get("id", "V0"), "team_id": self.team_id, "state": {"values": {}}},
        }
        reply = self.interactive(payload)
        assert reply.status == 200, reply.body
        return reply.json.get("options", [])

    def submit(self, view: dict, answers: dict[str, object], *, user: str = "U1") -> Reply:
        """Submit a modal, filling its inputs by label; unanswered inputs keep their initial values."""
        payload = {
            "type": "view_submission",
            "user": {"id": user, "team_id": self.team_id},
            "view": {
                **view,
                "id": view.get("id", "V0"),
                "team_id": self.team_id,
                "state": {"values": fill(view, answers)},
            },
        }
        return self.interactive(payload)

    # -- what the user sees --

    def opened_view(self) -> dict:
        """The next modal the app opened (waiting for it: the app opens it after its ack)."""
        self._views[0] += 1
        view = self.slack.wait_for("views.open", self._views[0])[self._views[0] - 1]["view"]
        assert_valid_view(view)
        return {**view, "id": f"V{next(_ids)}"}  # each opened modal has its own id, as Slack gives it

    def posted(self, count: int = 1, *, channel: str | None = None) -> list[dict]:
        posts = self.slack.wait_for("chat.postMessage", count)
        posts = [p for p in posts if channel is None or p["channel"] == channel]
        for p in posts:
            if p.get("blocks"):
                assert_valid_blocks(p["blocks"])
        return posts

    def direct_message(self, user: str, timeout: float = 5.0) -> dict:
        """The first DM the bot sent `user` (waiting for it: DMs go out through the outbox)."""
        timeout = scaled(timeout)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            dms = [p for p in self.slack.calls_to("chat.postMessage") if p["channel"] == user]
            if dms:
                return dms[0]
            time.sleep(0.02)
        raise AssertionError(f"no DM to {user} within {timeout}s")

    def responded(self, count: int = 1) -> list[dict]:
        replies = self.slack.wait_for("response_url", count)
        for r in replies:
            if r.get("blocks"):
                assert_valid_blocks(r["blocks"])
        return replies


# Interactive payloads whose ack may carry an answer (response_action, options); Slack says so in the envelope.
_ANSWERABLE_PAYLOADS = frozenset({"view_submission", "block_suggestion"})


class SocketDriver(SlackDriver):
    """The same workspace over Socket Mode: each request is an envelope, each reply the app's ack.

    Socket Mode has no HTTP and no signatures: ``send_form`` turns a form as Slack would post it
    into the envelope Slack would send instead, so every SlackDriver method works unchanged.
    """

    def __init__(self, server: SocketModeServer, slack: FakeSlack) -> None:
        super().__init__(events_url="", slack=slack)
        self.server = server

    def send_form(self, fields: dict[str, str], *, headers: dict[str, str] | None = None) -> Reply:
        if "payload" in fields:
            payload = json.loads(fields["payload"])
            return self._deliver("interactive", payload, answerable=payload.get("type") in _ANSWERABLE_PAYLOADS)
        return self._deliver("slash_commands", dict(fields), answerable=True)

    def send_event(self, body: dict, *, retry_attempt: int = 0, retry_reason: str = "") -> Reply:
        ack = self.server.send("events_api", body, retry_attempt=retry_attempt, retry_reason=retry_reason)
        return _ack_reply(ack.payload)

    def _deliver(self, envelope_type: str, payload: dict, *, answerable: bool) -> Reply:
        return _ack_reply(self.server.send(envelope_type, payload, accepts_response_payload=answerable).payload)


def _ack_reply(payload: dict | None) -> Reply:
    """An ack read like an HTTP reply: its payload is the body, an empty ack an empty 200."""
    return Reply(200, json.dumps(payload) if payload else "")


def event_callback(event_type: str, event: dict, workspace: Workspace = Workspace()) -> dict:
    """An Events API delivery as Slack wraps it, over HTTP and Socket Mode alike."""
    n = next(_ids)
    event_ts = f"{int(time.time())}.{n:06d}"
    return {
        "token": "legacy",
        "team_id": workspace.team_id,
        "enterprise_id": workspace.enterprise_id,
        "api_app_id": APP_ID,
        "event": {"type": event_type, "event_ts": event_ts, **event},
        "type": "event_callback",
        "event_id": f"Ev{n:08d}",
        "event_time": int(time.time()),
        "authorizations": [workspace.authorization()],
        "is_ext_shared_channel": False,
        "event_context": f"4-{event_type}-{workspace.team_id}",
    }


def find_element(blocks: list[dict], action_id: str) -> dict:
    for block in blocks:
        for element in block.get("elements", []) + [block[key] for key in ("accessory", "element") if key in block]:
            if element.get("action_id") == action_id:
                return element
    raise AssertionError(f"no element {action_id!r} in the message")


def labels(view: dict) -> list[str]:
    return [block["label"]["text"] for block in view["blocks"] if block["type"] == "input"]


def fill(view: dict, answers: dict[str, object]) -> dict:
    """Build `view.state.values` as Slack would after a person typed `answers` (label -> value)."""
    unknown = set(answers) - set(labels(view))
    assert not unknown, f"no inputs labelled {sorted(unknown)}; the modal has {labels(view)}"
    values: dict[str, dict] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element = block["element"]
        label = block["label"]["text"]
        answer = answers.get(label, _initial(element))
        values[block["block_id"]] = {element["action_id"]: _state(element, answer)}
    return values


def _initial(element: dict):
    kind = element["type"]
    if kind in ("plain_text_input", "email_text_input", "url_text_input", "number_input"):
        return element.get("initial_value")
    if kind == "datepicker":
        return element.get("initial_date")
    if kind == "timepicker":
        return element.get("initial_time")
    if kind in ("static_select", "radio_buttons"):
        return (element.get("initial_option") or {}).get("text", {}).get("text")
    if kind in ("checkboxes", "multi_static_select"):
        return [o["text"]["text"] for o in element.get("initial_options", [])]
    if kind == "conversations_select":
        return element.get("initial_conversation")
    if kind == "multi_users_select":
        return element.get("initial_users", [])
    if kind == "multi_external_select":  # its options are those `suggest` gave: answered as such
        return element.get("initial_options", [])
    raise AssertionError(f"unsupported element {kind}")


def _option_by_label(element: dict, label: str | None) -> dict | None:
    if label is None:
        return None
    for option in element["options"]:
        if option["text"]["text"] == label or option["value"] == label:
            return option
    raise AssertionError(f"no option {label!r}; options: {[o['text']['text'] for o in element['options']]}")


def _state(element: dict, answer) -> dict:
    kind = element["type"]
    if kind in ("plain_text_input", "email_text_input", "url_text_input"):
        return {"type": kind, "value": answer}
    if kind == "number_input":  # Slack sends the number as typed, a string
        return {"type": kind, "value": None if answer is None else str(answer)}
    if kind == "datepicker":
        return {"type": kind, "selected_date": answer}
    if kind == "timepicker":
        return {"type": kind, "selected_time": answer}
    if kind in ("static_select", "radio_buttons"):
        return {"type": kind, "selected_option": _option_by_label(element, answer)}
    if kind in ("checkboxes", "multi_static_select"):
        chosen = [answer] if isinstance(answer, str) else list(answer or [])
        return {"type": kind, "selected_options": [_option_by_label(element, label) for label in chosen]}
    if kind == "conversations_select":
        return {"type": kind, "selected_conversation": answer}
    if kind == "multi_users_select":
        return {"type": kind, "selected_users": list(answer or [])}
    if kind == "multi_external_select":
        return {"type": kind, "selected_options": list(answer or [])}
    raise AssertionError(f"unsupported element {kind}")
