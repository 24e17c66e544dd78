"""What Slack's requests look like, as far as Bolt and the listeners rely on it.

Bolt reads ids out of a request while it builds the request object (team, user, channel,
enterprise, authorizations, event, view, actions) and assumes their types: a `user` that is
a list, an `actions` that is a string or a view without a `type` raises inside Bolt, before
any error handler can answer. The front door (bot.server) checks a parsed body with
`shape_problem()` and refuses what Slack would never send with a 400, so that Bolt only ever sees
Slack's shapes. Field contents (text, values, metadata) are the listeners' to judge.
"""

from __future__ import annotations

from collections.abc import Callable

# A check takes a value and where it is ("body.view.state"); it returns None when the value
# conforms, else the path of the first part that does not.
Check = Callable[[object, str], "str | None"]

# Slack's nesting of what Bolt searches for ids (event > message > previous_message) is
# shallow; anything deeper is not from Slack.
ENVELOPE_LEVELS = 4

INTERACTIVE_TYPES = frozenset(
    {"block_actions", "block_suggestion", "view_submission", "view_closed", "shortcut", "message_action"}
)


def _text(value: object, path: str) -> str | None:
    return None if isinstance(value, str) else path


def _flag(value: object, path: str) -> str | None:
    return None if isinstance(value, bool) else path


def _nullable(check: Check) -> Check:
    return lambda value, path: None if value is None else check(value, path)


def _one_of(*checks: Check) -> Check:
    def check(value: object, path: str) -> str | None:
        return None if any(c(value, path) is None for c in checks) else path

    return check


def _object(fields: dict[str, Check], *, required: tuple[str, ...] = ()) -> Check:
    def check(value: object, path: str) -> str | None:
        if not isinstance(value, dict):
            return path
        for name in required:
            if name not in value:
                return f"{path}.{name}"
        for name, field_check in fields.items():
            if name in value and (problem := field_check(value[name], f"{path}.{name}")):
                return problem
        return None

    return check


def _list(item: Check, *, non_empty: bool = False) -> Check:
    def check(value: object, path: str) -> str | None:
        if not isinstance(value, list) or (non_empty and not value):
            return path
        return next((p for i, v in enumerate(value) if (p := item(v, f"{path}[{i}]"))), None)

    return check


def _mapping(item: Check) -> Check:
    """An object whose keys are ids chosen by the app (block ids, action ids)."""

    def check(value: object, path: str) -> str | None:
        if not isinstance(value, dict):
            return path
        return next((p for k, v in value.items() if (p := item(v, f"{path}.{k}"))), None)

    return check


def _absent(value: object, path: str) -> str | None:
    return path


_ID_OBJECT = _object({"id": _text, "team_id": _text, "enterprise_id": _nullable(_text)})
# Slack names a team, user, channel or enterprise by its id or by an object carrying it.
_NAMED = _one_of(_text, _ID_OBJECT)
_OPTION = _object({"value": _text})
_ELEMENT_STATE = _object(
    {
        "type": _text,
        "value": _nullable(_text),
        "selected_date": _nullable(_text),
        "selected_time": _nullable(_text),
        "selected_date_time": _nullable(_text),
        "selected_conversation": _nullable(_text),
        "selected_channel": _nullable(_text),
        "selected_user": _nullable(_text),
        "selected_option": _nullable(_OPTION),
        "selected_options": _list(_OPTION),
        "selected_conversations": _list(_text),
        "selected_channels": _list(_text),
        "selected_users": _list(_text),
    }
)
_VIEW = _object(
    {
        "id": _text,
        "type": _text,
        "callback_id": _text,
        "private_metadata": _text,
        "hash": _text,
        "team_id": _text,
        "app_installed_team_id": _text,
        "external_id": _text,
        "root_view_id": _nullable(_text),
        "previous_view_id": _nullable(_text),
        "blocks": _list(_object({"type": _text, "block_id": _text})),
        "state": _object({"values": _mapping(_mapping(_ELEMENT_STATE))}),
    },
    required=("callback_id", "type"),
)
_ACTION = _object(
    {
        "action_id": _text,
        "block_id": _text,
        "type": _text,
        "value": _text,
        "action_ts": _text,
        "selected_option": _nullable(_OPTION),
        "selected_options": _list(_OPTION),
    },
    required=("action_id",),
)
_CONTAINER = _object({"type": _text, "message_ts": _text, "channel_id": _text, "view_id": _text, "thread_ts": _text})

# Fields Bolt looks for at the top of a body and again inside the objects it descends into.
# Bolt matches listeners on the routing fields with regular expressions: they must be text.
# It skips ids that are null.
_ROUTING = ("type", "command", "callback_id", "action_id")
_IDS = (
    "token",
    "team_id",
    "user_id",
    "channel_id",
    "enterprise_id",
    "api_app_id",
    "trigger_id",
    "response_url",
    "challenge",
    "thread_ts",
    "user_team",
    "function_execution_id",
    "bot_access_token",
)
_FIELDS: dict[str, Check] = {
    **{name: _text for name in _ROUTING},
    **{name: _nullable(_text) for name in _IDS},
    "is_ext_shared_channel": _flag,
    "team": _nullable(_NAMED),
    "enterprise": _nullable(_NAMED),
    "user": _nullable(_NAMED),
    "channel": _nullable(_NAMED),
    "response_urls": _list(_object({"response_url": _text})),
    "function_data": _object({"execution_id": _text}),
    "view": _VIEW,
    "actions": _list(_ACTION),
    "container": _CONTAINER,
}
_NESTED = ("event", "message", "previous_message", "item", "assistant_thread")


def _envelope(levels: int, *, required: tuple[str, ...] = ()) -> Check:
    if levels == 0:
        return _absent
    inner = _envelope(levels - 1)
    nested = {name: inner for name in _NESTED} | {
        "event": _envelope(levels - 1, required=("type",)),
        "authorizations": _list(inner),
    }
    return _object(_FIELDS | nested, required=required)


_ENVELOPE = _envelope(ENVELOPE_LEVELS)
_INTERACTIVE = _object(
    {"user": _object({"id": _text}, required=("id",)), "team": _nullable(_object({"id": _text}))},
    required=("user",),
)
# What each kind of request must carry for Bolt to route it.
_BY_TYPE: dict[str, Check] = {
    "block_actions": _object({"actions": _list(_ACTION, non_empty=True)}, required=("actions",)),
    "block_suggestion": _object({}, required=("action_id",)),
    "view_submission": _object({}, required=("view",)),
    "view_closed": _object({}, required=("view",)),
    "shortcut": _object({}, required=("callback_id",)),
    "message_action": _object({}, required=("callback_id",)),
    "event_callback": _object({}, required=("event",)),
    "url_verification": _object({}, required=("challenge",)),
    "app_rate_limited": _object({}),
}


def shape_problem(body: object) -> str | None:
    """None if `body` (as Bolt parsed it) has one of the shapes of Slack's requests; else where it does not."""
    if not isinstance(body, dict):
        return "body"
    if problem := _unsendable_text(body, "body"):
        return problem
    if problem := _ENVELOPE(body, "body"):
        return problem
    if "command" in body or "ssl_check" in body:
        return None  # slash commands and Slack's SSL check are form fields: strings by construction
    kind = body.get("type")
    if kind not in _BY_TYPE:
        return "body.type"
    if problem := _BY_TYPE[kind](body, "body"):
        return problem
    return _INTERACTIVE(body, "body") if kind in INTERACTIVE_TYPES else None


def _unsendable_text(body: object, path: str) -> str | None:
    """Slack never sends a NUL character or half of a surrogate pair (its JSON is valid UTF-8):
    text holding one was not typed in Slack, and neither PostgreSQL nor Slack would take it back.
    Walked without recursion: the body's depth is not ours to trust."""
    pending: list[tuple[object, str]] = [(body, path)]
    while pending:
        value, where = pending.pop()
        if isinstance(value, str):
            if "\x00" in value or not value.isascii() and any("\ud800" <= c <= "\udfff" for c in value):
                return where
        elif isinstance(value, dict):
            pending += [(k, where) for k in value] + [(v, f"{where}.{k}") for k, v in value.items()]
        elif isinstance(value, list):
            pending += [(v, f"{where}[{i}]") for i, v in enumerate(value)]
    return None
