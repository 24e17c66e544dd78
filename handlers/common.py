"""What every listener shares: the services it calls, and recognising a request for help."""

from __future__ import annotations

from slack_bolt import BoltContext

from services import Services


def services_of(context: BoltContext) -> Services:
    return context["services"]


def command_help_text(text: str) -> bool:
    return text.strip().lower() in ("help", "-h", "--help", "?")
