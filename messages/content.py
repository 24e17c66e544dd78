"""The shipped content files: toolkits, asks, messaging, background and sample posts.

One topic per YAML file in messages/content/ (see schema.json); campaigns.yaml lists the
campaigns they belong to. Parsed once per process; the results are plain data.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

CONTENT_DIR = Path(__file__).parent / "content"
SCHEMA_PATH = CONTENT_DIR / "schema.json"
CAMPAIGNS_FILE = "campaigns.yaml"
POSTS_KIND = "posts"


@dataclass(frozen=True)
class Campaign:
    slug: str
    name: str
    dates: str | None
    hashtags: tuple[str, ...]
    summary: str


def topic_files() -> list[Path]:
    return sorted(p for p in CONTENT_DIR.glob("*.yaml") if p.name != CAMPAIGNS_FILE)


def read_yaml(path: Path):
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@cache
def _shipped() -> tuple[dict, ...]:
    return tuple(read_yaml(path) for path in topic_files())


def shipped_topics() -> list[dict]:
    """Every topic as a dict shaped like its file, in a stable order (file name)."""
    return [dict(topic) for topic in _shipped()]


@cache
def campaigns() -> tuple[Campaign, ...]:
    return tuple(
        Campaign(c["slug"], c["name"], c.get("dates"), tuple(c.get("hashtags") or ()), c["summary"])
        for c in read_yaml(CONTENT_DIR / CAMPAIGNS_FILE)
    )


def campaign(slug: str | None) -> Campaign | None:
    return next((c for c in campaigns() if c.slug == slug), None)


@dataclass(frozen=True)
class TopicRef:
    slug: str
    title: str


def _event_type_words(event_type: str) -> str:
    return event_type.replace("_", " ")


@cache
def toolkit_for_event_type(event_type: str) -> TopicRef | None:
    """The most specific topic serving an event type, from the files' `event_types`.

    A topic whose aliases name the type wins (a vigil -> the prayer vigil steps), then
    step-by-step toolkits, then topics serving the fewest types; ties keep file order.
    """
    words = _event_type_words(event_type)
    candidates = [t for t in _shipped() if event_type in t.get("event_types", []) and t["kind"] != POSTS_KIND]
    if not candidates:
        return None

    def rank(topic: dict) -> tuple:
        named = words in topic.get("aliases", []) or words in topic["title"].lower()
        return (not named, topic["kind"] != "toolkit", len(topic.get("event_types", [])))

    best = min(candidates, key=rank)
    return TopicRef(best["slug"], best["title"])
