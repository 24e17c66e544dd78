"""Events the bot does not act on (yet) are acknowledged, so Slack does not retry them.

The manifest subscribes only to what the bot handles; this catches what a workspace's
configuration sends anyway (an older manifest, a new Slack default) instead of answering
404, which Slack would retry for an hour.
"""

from __future__ import annotations

import logging
import re

from slack_bolt import Ack, App

log = logging.getLogger(__name__)


def register(app: App) -> None:
    """Register last: a more specific listener registered earlier wins."""
    app.event(re.compile(".*"))(acknowledge)


def acknowledge(ack: Ack, body: dict) -> None:
    ack()
    log.debug("acknowledged an unhandled %s event", (body.get("event") or {}).get("type"))
