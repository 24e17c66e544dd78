"""The one place where user text is made safe for Slack mrkdwn.

Slack treats `<...>` as links, mentions and `<!channel>`-style broadcasts, and `&`
starts an entity; escaping these three characters makes user text literal.
"""

from __future__ import annotations

import re
from datetime import datetime

from timemath import to_local, unix

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
# Slack's markup in a message's text: <https://x|label>, <mailto:a@b.org|a@b.org>, <@U1>, <#C1|name>, <!here>.
_MARKUP = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")
# A bold or italic span: *Springdale: Rally*, _details_ (a bullet "* item" has a space after its star).
_EMPHASIS = re.compile(r"(?<![\w*])([*_])(?=\S)([^*_\n]*?\S)\1(?![\w*])")


def escape(text: str | None) -> str:
    return (text or "").translate(_ESCAPES)


def plain(text: str | None) -> str:
    """A message's text as its reader sees it: links, addresses and mentions as their visible
    text, bold and italic marks dropped, and `&amp;`, `&lt;`, `&gt;` back to `&`, `<`, `>`."""
    def shown(match: re.Match) -> str:
        target, label = match.group(1), match.group(2)
        if target.startswith("#"):  # a channel: <#C1|general>
            return f"#{label or target[1:]}"
        if label:
            return label
        if target.startswith("!"):  # <!here>, <!channel>
            return f"@{target[1:]}"
        return target.removeprefix("mailto:")

    text = _EMPHASIS.sub(r"\2", _MARKUP.sub(shown, text or ""))
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def user(user_id: str) -> str:
    return f"<@{user_id}>"


def channel(channel_id: str) -> str:
    return f"<#{channel_id}>"


def link(url: str, label: str) -> str:
    """A link whose label is user text; a `|` or `>` in the URL would end the link early."""
    safe_url = url.replace("|", "%7C").replace(">", "%3E").replace("<", "%3C")
    return f"<{safe_url}|{escape(label)}>"


_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def local_time_fallback(instant: datetime, tz_name: str) -> str:
    """Plain text for clients that cannot render date tokens, in the event's own zone:
    "Sat, Nov 21, 2026 at 9:00 AM CST". Spelled out: strftime took half the rendering of
    a 2,000-event digest (and this stays English whatever the locale)."""
    local = to_local(instant, tz_name)
    hour, meridiem = local.hour % 12 or 12, "AM" if local.hour < 12 else "PM"
    return (f"{_WEEKDAYS[local.weekday()]}, {_MONTHS[local.month - 1]} {local.day}, {local.year} "
            f"at {hour}:{local.minute:02d} {meridiem} {local.tzname()}")


def date_token(instant: datetime, fmt: str = "{date_short_pretty} at {time}", *, tz_name: str) -> str:
    """Slack's date formatting: every reader sees the instant in their own time zone."""
    return f"<!date^{unix(instant)}^{fmt}|{local_time_fallback(instant, tz_name)}>"
