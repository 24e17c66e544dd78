"""The shipped content files: toolkits, asks, messaging, background and sample posts.

One topic per YAML file in messages/content/ (see schema.json); campaigns.yaml lists the
campaigns they belong to (each team gets its own copy: storage.models.Campaign). A topic, and
each of its sample posts, may carry `translations`: the same fields in another language, shown
instead of the original's to whoever reads in that language (`topic_title`, `topic_body`,
`post_text`); anything not translated is shown as written. Parsed once
per process, by whichever thread asks first (the others wait for it rather than parse too),
with libyaml where PyYAML has it (10x faster than the pure-Python parser); the results are
plain data.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache, wraps
from pathlib import Path
from typing import Any, TypeVar

from messages.i18n import current_language

CONTENT_DIR = Path(__file__).parent / "content"
SCHEMA_PATH = CONTENT_DIR / "schema.json"
CAMPAIGNS_FILE = "campaigns.yaml"
# The Day of Action page's listings, for `organizer-bot demo`: a note on their source, then "---".
DEMO_LISTINGS_FILE = "day-of-action-listings.txt"
SOURCE_NOTE_END = "\n---\n"
POSTS_KIND = "posts"
T = TypeVar("T")


def topic_files() -> list[Path]:
    return sorted(p for p in CONTENT_DIR.glob("*.yaml") if p.name != CAMPAIGNS_FILE)


def read_yaml(path: Path):
    import yaml  # on first use: starting the bot does not need the parser

    # Same documents, same Python values; the pure-Python loader only where libyaml is missing.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=loader)


def _once(load: Callable[[], T]) -> Callable[[], T]:
    """`load()` run once per process, however many threads ask for it at the same time."""
    lock = threading.Lock()
    loaded: list[T] = []

    @wraps(load)
    def get() -> T:
        if not loaded:
            with lock:
                if not loaded:
                    loaded.append(load())
        return loaded[0]

    return get


@_once
def _shipped() -> tuple[dict, ...]:
    return tuple(read_yaml(path) for path in topic_files())


def shipped_topics() -> list[dict]:
    """Every topic as a dict shaped like its file, in a stable order (file name)."""
    return [dict(topic) for topic in _shipped()]


@_once
def _campaigns() -> tuple[dict, ...]:
    return tuple(
        {**c, "starts_on": _day(c["starts_on"]), "ends_on": _day(c["ends_on"]), "hashtags": list(c["hashtags"])}
        for c in read_yaml(CONTENT_DIR / CAMPAIGNS_FILE)
    )


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def shipped_campaigns() -> list[dict]:
    """Every campaign of campaigns.yaml as a dict shaped like the file, days as dates, in file order."""
    return [dict(c) for c in _campaigns()]


def demo_listings() -> str:
    """The listings of the Day of Action page, as the page gives them (without the note on their source)."""
    return (CONTENT_DIR / DEMO_LISTINGS_FILE).read_text(encoding="utf-8").partition(SOURCE_NOTE_END)[2]


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


# --- translations -------------------------------------------------------------


def translation(translations: Mapping | None, language: str | None = None) -> Mapping[str, Any]:
    """The fields translated into `language` (the language of the moment), empty if none are."""
    found = (translations or {}).get(language or current_language())
    return found if isinstance(found, Mapping) else {}


def _translated(item: Any, field: str) -> Any:
    """`item`'s `field` in the language of the moment, else as written."""
    value = translation(getattr(item, "translations", None)).get(field)
    return value if value else getattr(item, field)


def topic_title(topic: Any) -> str:
    return _translated(topic, "title")


def topic_body(topic: Any) -> dict:
    """The topic's intro and sections (storage.models.ContentTopic.body), each translated if it can be."""
    body = dict(topic.body or {})
    translated = translation(getattr(topic, "translations", None))
    body.update({key: translated[key] for key in ("intro", "sections") if translated.get(key)})
    return body


def topic_phrases(topic: Any) -> Iterator[str]:
    """Every title and alias a topic may be asked for by, in each language it is written in."""
    yield topic.title
    yield from topic.aliases or ()
    for translated in (getattr(topic, "translations", None) or {}).values():
        if isinstance(translated, Mapping):
            if translated.get("title"):
                yield translated["title"]
            yield from translated.get("aliases") or ()


def post_text(post: Any) -> str:
    """A sample post's text in the language of the moment, else as written (a team's own posts
    are always as written)."""
    return _translated(post, "text")


def post_hashtags(post: Any) -> list[str]:
    return list(_translated(post, "hashtags") or [])


def all_post_hashtags(post: Any) -> Iterator[str]:
    """A post's hashtags in every language it is written in: `/posts #Tag` finds it by any."""
    yield from post.hashtags or ()
    for translated in (getattr(post, "translations", None) or {}).values():
        if isinstance(translated, Mapping):
            yield from translated.get("hashtags") or ()
