"""The one place where user text is made safe for Slack mrkdwn.

Slack treats `<...>` as links, mentions and `<!channel>`-style broadcasts, and `&`
starts an entity; escaping these three characters makes user text literal.
"""

from __future__ import annotations

import re
from datetime import datetime

from messages import dates
from timemath import unix

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


def date_token(instant: datetime, fmt: str | None = None, *, tz_name: str) -> str:
    """Slack's date formatting: every reader sees the instant in their own time zone; clients that
    cannot render it show the instant in the event's zone, in the language of the moment."""
    return f"<!date^{unix(instant)}^{fmt or dates.token_day_and_time()}|{dates.moment(instant, tz_name)}>"
