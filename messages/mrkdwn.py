"""The one place where user text is made safe for Slack mrkdwn.

Slack treats `<...>` as links, mentions and `<!channel>`-style broadcasts, and `&`
starts an entity; escaping these three characters makes user text literal.
"""

from __future__ import annotations

from datetime import datetime

from timemath import to_local, unix

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def escape(text: str | None) -> str:
    return (text or "").translate(_ESCAPES)


def user(user_id: str) -> str:
    return f"<@{user_id}>"


def channel(channel_id: str) -> str:
    return f"<#{channel_id}>"


def link(url: str, label: str) -> str:
    """A link whose label is user text; a `|` or `>` in the URL would end the link early."""
    safe_url = url.replace("|", "%7C").replace(">", "%3E").replace("<", "%3C")
    return f"<{safe_url}|{escape(label)}>"


def local_time_fallback(instant: datetime, tz_name: str) -> str:
    """Plain text for clients that cannot render date tokens, in the event's own zone."""
    local = to_local(instant, tz_name)
    hour = local.strftime("%I").lstrip("0")
    return f"{local:%a, %b} {local.day}, {local:%Y} at {hour}:{local:%M %p %Z}"


def date_token(instant: datetime, fmt: str = "{date_short_pretty} at {time}", *, tz_name: str) -> str:
    """Slack's date formatting: every reader sees the instant in their own time zone."""
    return f"<!date^{unix(instant)}^{fmt}|{local_time_fallback(instant, tz_name)}>"
