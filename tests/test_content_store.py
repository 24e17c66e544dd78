"""Content in the store (both databases), the CLI loader, topic matching and full coverage through the commands."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.cli import main
from driver import visible_text
from messages import content
from messages import toolkit as render
from messages.content import toolkit_for_event_type
from messages.limits import SECTION_TEXT
from messages.mrkdwn import escape
from messages.reminders import toolkit_command
from storage import content as queries
from storage.models import ContentTopic, Event, EventType
from timemath import UTC

NOW = datetime(2026, 11, 21, tzinfo=UTC)


def test_load_upserts_shipped_rows_and_keeps_team_rows(database):
    with database.session() as session:
        assert queries.ensure_content(session, "T1", content.shipped_topics())
        assert not queries.ensure_content(session, "T1", content.shipped_topics())
        queries.add_post(
            session, "T1", platform="twitter", text="ours", hashtags=[], campaign=None, user_id="U1", now=NOW
        )
        queries.add_note(session, "T1", "rally", "bring water", "U1", NOW)
        queries.get_topic(session, "T1", "rally").title = "edited"
    with database.session() as session:
        topics, posts = queries.load_content(session, "T1", content.shipped_topics())
    assert (topics, posts) == (len(content.topic_files()), 8)
    with database.session() as session:
        assert queries.get_topic(session, "T1", "rally").title == "Steps to planning a successful rally or action"
        assert [p.text for p in queries.posts(session, "T1", platform="twitter")][-1] == "ours"
        assert len(queries.posts(session, "T1")) == 9
        assert [n.text for n in queries.notes(session, "T1", "rally")] == ["bring water"]
        assert queries.topics(session, "T2") == []  # no query crosses teams
        # A topic dropped from the files goes; the team's rows stay.
        queries.load_content(session, "T1", [t for t in content.shipped_topics() if t["slug"] != "sample-tweets"])
        assert [p.text for p in queries.posts(session, "T1", platform="twitter")] == ["ours"]


def test_cli_content_load(database, monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("DATABASE_URL", database.url)
    assert main(["content", "load", "--team", "T9"]) == 0
    assert main(["content", "load"]) == 0  # every team that has content
    with database.session() as session:
        assert queries.team_ids(session) == ["T9"]
        assert len(queries.topics(session, "T9")) == len(content.topic_files())


def _topic(data: dict) -> ContentTopic:
    return ContentTopic(
        slug=data["slug"],
        kind=data["kind"],
        title=data["title"],
        campaign=data["campaign"],
        aliases=data["aliases"],
        event_types=data["event_types"],
        source=data["source"],
        body={k: data[k] for k in ("intro", "sections") if k in data},
    )


TOPICS = [_topic(t) for t in content.shipped_topics()]


@pytest.mark.parametrize("topic", [t for t in TOPICS if t.kind != "posts"], ids=lambda t: t.slug)
def test_every_topic_renders_within_limits(topic):
    messages = render.toolkit_messages(topic)
    for blocks in messages:
        assert len(blocks) <= 50
        for block in blocks:
            assert len(block.get("text", {}).get("text", "")) <= SECTION_TEXT


@pytest.mark.parametrize(
    "typed, slug",
    [
        ("press conf", "press-conference"),
        ("PRESS CONFERENCE", "press-conference"),
        ("press conferance", "press-conference"),
        ("vigil", "prayer-vigil"),
        ("congress visit", "congressional-visit"),
        ("legislative-visit", "congressional-visit"),
        ("asks", "key-asks"),
        ("messages", "message-points"),
        ("calls", "call-in"),
        ("#WhereRTheRefugees", "where-r-the-refugees"),
        ("townhall", "town-hall"),
        ("background", "background"),
    ],
)
def test_match_topic(typed, slug):
    assert render.match_topic(typed, TOPICS).topic.slug == slug


def test_match_topic_ambiguous_and_unknown():
    shared = render.match_topic("talking points", TOPICS)  # an alias of key asks and of the messaging guide
    assert shared.topic is None and {t.slug for t in shared.suggestions} == {"key-asks", "message-points"}
    assert render.match_topic("qqqq zzzz", TOPICS).suggestions == []
    close = render.match_topic("press thing", TOPICS)
    assert close.topic is None and close.suggestions[0].slug == "press-conference"


def _texts(item) -> list[str]:
    if isinstance(item, str):
        return [item]
    return [item["text"], *([item["label"]] if item.get("label") else []), *item.get("subitems", [])]


def test_every_item_in_the_content_files_is_reachable_through_a_command(bot, slack):
    """Gather what `/toolkit <slug>` shows for each topic and what `/posts` puts in the channel."""
    shown = []
    for data in content.shipped_topics():
        if data["kind"] == "posts":
            continue
        before = len(slack.calls_to("response_url"))
        bot.command("/toolkit", data["slug"])
        n = 1
        while True:  # a long toolkit may take several messages; the last has the share button
            replies = bot.responded(before + n)[before:]
            if "toolkit_share" in str(replies[-1]):
                break
            n += 1
        shown += [visible_text(r) for r in replies]
    bot.command("/posts", "tweets")
    bot.command("/posts", "facebook")
    shown += [visible_text(p) for p in bot.posted(2)]
    everything = "\n".join(shown)
    missing = []
    for data in content.shipped_topics():
        # A posts topic's title is not shown: /posts heads its message "Sample tweets" etc.
        expected = [data["title"] if data["kind"] != "posts" else None, data.get("intro")]
        for section in data.get("sections", []):
            expected += [section.get("heading"), section.get("text")]
            for item in section["items"]:
                expected += _texts(item)
        expected += [p["text"] for p in data.get("posts", [])]
        missing += [f"{data['slug']}: {text[:60]}" for text in expected if text and escape(text) not in everything]
    assert not missing


@pytest.mark.parametrize("event_type", [t.value for t in EventType])
def test_reminders_point_at_the_toolkit_the_card_offers(event_type):
    """A reminder's `/toolkit …` hint opens the same topic as the card's toolkit button."""
    event = Event(id=1, event_type=event_type)
    command = toolkit_command(event)
    expected = toolkit_for_event_type(event_type)
    assert command.startswith("/toolkit")
    if expected is not None:
        assert render.match_topic(command.removeprefix("/toolkit "), TOPICS).topic.slug == expected.slug
