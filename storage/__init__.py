"""The database: models, sessions, queries and migrations. Knows nothing of Slack."""

from storage.db import Database
from storage.models import Event, EventType

__all__ = ["Database", "Event", "EventType"]
