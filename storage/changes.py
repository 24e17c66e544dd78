"""An event's time and place as plain JSON, kept in an outbox row's arguments: a change notice
delivered later still says what this edit changed, old and new, whatever came after it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage import event_fields as fields
from storage.models import Event

PLACE = tuple(field.name for field in fields.PLACE_FIELDS)
_INSTANTS = ("starts_at", "ends_at")


def time_and_place(event: Event) -> dict:
    snapshot = {name: getattr(event, name) for name in (*fields.TIME_FIELDS, *PLACE)}
    for name in _INSTANTS:
        snapshot[name] = snapshot[name] and snapshot[name].isoformat()
    return snapshot


@dataclass(frozen=True)
class Change:
    """What an edit changed for the people going: old and new, each a snapshot."""

    before: dict
    after: dict

    @property
    def time_changed(self) -> bool:
        return any(self.before.get(name) != self.after.get(name) for name in fields.TIME_FIELDS)

    @property
    def place_changed(self) -> bool:
        return any(self.before.get(name) != self.after.get(name) for name in PLACE)

    def __bool__(self) -> bool:
        return self.time_changed or self.place_changed

    def as_args(self) -> dict:
        return {"before": self.before, "after": self.after}

    @classmethod
    def from_args(cls, args: dict) -> Change | None:
        before, after = args.get("before"), args.get("after")
        return cls(before, after) if isinstance(before, dict) and isinstance(after, dict) else None


def as_event(snapshot: dict, like: Event) -> Event:
    """A transient event (never saved) with `like`'s identity and the snapshot's time and place,
    so that it is rendered exactly as the card renders an event."""
    values = dict(snapshot)
    for name in _INSTANTS:
        values[name] = values.get(name) and datetime.fromisoformat(values[name])
    return Event(id=like.id, team_id=like.team_id, title=like.title, event_type=like.event_type, **values)
