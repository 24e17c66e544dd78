"""Content files carry translations: validated, kept through `content load` (both databases) and
the migration, preferred in the language of the moment and the original otherwise; and the
stored reasons of a delivery that did not happen are said in the reader's language."""

from __future__ import annotations

import copy
import json
import re
from datetime import datetime, timedelta

import pytest
from alembic import command
from jsonschema import Draft7Validator
from sqlalchemy import text

from bot.cli import main
from driver import visible_text
from messages import content, failures
from messages import posts as posts_render
from messages import reminders as reminder_render
from messages import toolkit as toolkit_render
from messages.i18n import speaking
from storage import content as queries
from storage.models import ContentPost, ContentTopic, Event, Reminder
from test_migrations import differences
from timemath import UTC

NOW = datetime(2026, 11, 21, tzinfo=UTC)
SCHEMA = json.loads(content.SCHEMA_PATH.read_text(encoding="utf-8"))
TWEETS = content.read_yaml(content.CONTENT_DIR / "sample-tweets.yaml")
PLACEHOLDERS = (posts_render.HANDLE_PLACEHOLDER, posts_render.MEMBER_PLACEHOLDER, posts_render.ORGANIZATION_PLACEHOLDER)
HASHTAG = re.compile(r"#\w+")


def _translated_posts():
    for path in content.topic_files():
        for post in content.read_yaml(path).get("posts", []):
            for language, translated in post.get("translations", {}).items():
                yield path.name, post, language, translated


# --- the files ----------------------------------------------------------------------


def test_the_six_sample_tweets_are_in_spanish():
    assert len(TWEETS["posts"]) == 6
    assert all(post["translations"]["es"]["text"] != post["text"] for post in TWEETS["posts"])
    assert TWEETS["translations"]["es"]["title"] == "Tuits de ejemplo"


@pytest.mark.parametrize(
    "name, post, language, translated", list(_translated_posts()), ids=lambda v: v if isinstance(v, str) else None
)
def test_a_translated_post_keeps_its_placeholders_lists_its_hashtags_and_fits(name, post, language, translated):
    """Fill in replaces the placeholders written as in the original; the share link needs it whole."""
    assert [p for p in PLACEHOLDERS if p in translated["text"]] == [p for p in PLACEHOLDERS if p in post["text"]]
    assert translated["hashtags"] == HASHTAG.findall(translated["text"])
    if post["platform"] == "twitter":
        assert posts_render.tweet_length(translated["text"]) <= posts_render.TWEET_LIMIT


def test_the_schema_takes_translations_and_refuses_misshapen_ones():
    validator = Draft7Validator(SCHEMA)
    assert not list(validator.iter_errors(TWEETS))
    toolkit = content.read_yaml(content.CONTENT_DIR / "press-conference.yaml")
    translated = {
        **toolkit,
        "translations": {
            "es": {
                "title": "Pasos para una conferencia de prensa exitosa",
                "sections": [{"items": ["Elige bien el lugar"]}],
            }
        },
    }
    assert not list(validator.iter_errors(translated))
    bad = [
        {**toolkit, "translations": {"spanish": {"title": "x"}}},  # a language code
        {**toolkit, "translations": {"es": {}}},  # says nothing
        {**toolkit, "translations": {"es": {"slug": "otra"}}},  # not a field that is translated
        {**toolkit, "translations": {"es": {"posts": TWEETS["posts"]}}},
        {**TWEETS, "translations": {"es": {"sections": [{"items": ["x"]}]}}},  # a set of posts has no sections
    ]
    post = copy.deepcopy(TWEETS)
    post["posts"][0]["translations"]["es"] = {"text": "sin hashtags"}  # hashtags are required
    bad.append(post)
    for topic in bad:
        assert list(validator.iter_errors(topic)), topic.get("translations")


# --- the store --------------------------------------------------------------------------


def test_load_keeps_the_translations_and_team_posts_stay_as_written(database):
    with database.session() as session:
        assert queries.ensure_content(session, "T1", content.shipped_topics())
        queries.add_post(
            session, "T1", platform="twitter", text="ours", hashtags=[], campaign=None, user_id="U1", now=NOW
        )
    with database.read() as session:
        tweets = queries.posts(session, "T1", platform="twitter")
        topic = queries.get_topic(session, "T1", "sample-tweets")
        untranslated = queries.get_topic(session, "T1", "rally")
    assert [p.translations["es"]["text"] for p in tweets[:6]] == [
        p["translations"]["es"]["text"] for p in TWEETS["posts"]
    ]
    assert tweets[-1].text == "ours" and tweets[-1].translations == {}
    assert topic.translations["es"]["title"] == "Tuits de ejemplo" and untranslated.translations == {}

    changed = content.shipped_topics()
    for data in changed:
        if data["slug"] == "sample-tweets":
            data["posts"] = [{**p, "translations": {"es": {"text": "otro", "hashtags": []}}} for p in data["posts"]]
            data["translations"] = {}
    with database.session() as session:
        queries.load_content(session, "T1", changed)
    with database.read() as session:
        assert {p.translations["es"]["text"] for p in queries.posts(session, "T1", platform="twitter")[:6]} == {"otro"}
        assert queries.get_topic(session, "T1", "sample-tweets").translations == {}


def test_content_load_brings_translations_to_a_team_loaded_before_them(database, monkeypatch):
    """A workspace whose content was copied before translations existed gets them from `content load`."""
    with database.session() as session:
        queries.ensure_content(session, "T9", content.shipped_topics())
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE content_posts SET translations = '{}'"))
        connection.execute(text("UPDATE content_topics SET translations = '{}'"))
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("DATABASE_URL", database.url)
    assert main(["content", "load"]) == 0
    with database.read() as session:
        first = queries.posts(session, "T9", platform="twitter")[0]
    assert first.translations["es"]["text"].startswith("Mi América no le da la espalda")


def test_translations_migrate_down_and_up_again_and_rows_stored_before_have_none(database):
    config = database.alembic_config()
    command.downgrade(config, "0013")
    try:
        missing = {(d[0], d[2], d[3].name) for d in differences(database) if d[0] == "add_column"}
        translations = {
            ("add_column", "content_topics", "translations"),
            ("add_column", "content_posts", "translations"),
        }
        assert translations <= missing  # later migrations' columns come down too
        with database.engine.begin() as connection:  # a post stored by the version before
            connection.execute(
                text(
                    "INSERT INTO content_posts (team_id, key, platform, text, hashtags, position, origin) "
                    "VALUES ('T1', 'x#1', 'twitter', 'hello', '[]', 0, 'shipped')"
                )
            )
    finally:
        command.upgrade(config, "head")
    assert differences(database) == []
    with database.read() as session:
        [post] = queries.posts(session, "T1")
    assert post.translations == {}


# --- drawing ------------------------------------------------------------------------------


def _topic(slug: str) -> ContentTopic:
    data = next(t for t in content.shipped_topics() if t["slug"] == slug)
    return ContentTopic(
        slug=data["slug"],
        kind=data["kind"],
        title=data["title"],
        campaign=data["campaign"],
        aliases=data["aliases"],
        event_types=data["event_types"],
        source=data["source"],
        body={k: data[k] for k in ("intro", "sections") if k in data},
        translations=data.get("translations", {}),
    )


def test_a_translation_is_preferred_in_its_language_and_each_missing_field_is_shown_as_written():
    topic = _topic("press-conference")
    topic.translations = {
        "es": {
            "title": "Pasos para una conferencia de prensa exitosa",
            "sections": [{"heading": "Antes", "items": ["Elige un lugar con sentido"]}],
        }
    }
    with speaking("es"):
        shown = visible_text({"blocks": [b for blocks in toolkit_render.toolkit_messages(topic) for b in blocks]})
    assert "*Pasos para una conferencia de prensa exitosa*" in shown and "*Antes*" in shown
    assert "1. Elige un lugar con sentido" in shown and "Be strategic" not in shown
    assert topic.body["intro"].split(",")[0] in shown  # no intro in the translation: the original's
    assert "Publicar en el canal" in shown and "Fuente: We Are All America" in shown
    english = visible_text({"blocks": [b for blocks in toolkit_render.toolkit_messages(topic) for b in blocks]})
    assert (
        "*Steps to a successful press conference*" in english and "Be strategic" in english and "Antes" not in english
    )


def test_a_topic_is_found_by_its_translated_title_or_alias_in_any_language():
    topics = [_topic(t["slug"]) for t in content.shipped_topics()]
    assert toolkit_render.match_topic("tuits", topics).topic.slug == "sample-tweets"
    assert toolkit_render.match_topic("publicaciones de facebook", topics).topic.slug == "sample-facebook-posts"


def test_posts_are_drawn_in_their_translation_and_found_by_their_hashtags_in_any_language():
    posts = [
        ContentPost(
            key=f"sample-tweets#{n}",
            platform="twitter",
            text=p["text"],
            hashtags=p["hashtags"],
            translations=p.get("translations", {}),
            origin="shipped",
        )
        for n, p in enumerate(TWEETS["posts"], 1)
    ]
    ours = ContentPost(
        platform="twitter", text="Ours @YourElectedOfficial", hashtags=[], origin="team", created_by="U1"
    )
    query = posts_render.PostQuery(platform="twitter", handle="@SenKamalaHarris")
    with speaking("es"):
        [blocks] = posts_render.posts_messages([*posts, ours], query, shared_by="U1")
    shown = visible_text({"blocks": blocks})
    assert "Mi América no le da la espalda a #refugiados, #inmigrantes ni #musulmanes @POTUS @SenKamalaHarris" in shown
    assert "Ours @SenKamalaHarris" in shown and "Agregada por <@U1>" in shown  # a team's post as written
    assert "Tuitear esto" in shown and "*Tuits de ejemplo*" in shown
    assert [p.key for p in posts_render.select(posts, posts_render.PostQuery(hashtag="#refugiados"))] == [
        "sample-tweets#1"
    ]
    assert [p.key for p in posts_render.select(posts, posts_render.PostQuery(hashtag="#Muslims"))] == [
        "sample-tweets#1"
    ]


# --- why a delivery did not happen ---------------------------------------------------------


def test_stored_reasons_stay_as_they_were_and_are_said_in_the_readers_language():
    assert failures.gave_up("ratelimited") == "gave up: ratelimited"
    assert failures.ALREADY_STARTED == "the event had already started"
    from storage import reminders as reminder_store  # storage writes its own: the same words

    assert failures.LEAD_TIME_PAST in open(reminder_store.__file__, encoding="utf-8").read()
    assert failures.reason("gave up: ratelimited") == "gave up: ratelimited"
    with speaking("es"):
        assert failures.reason("gave up: ratelimited") == "sin éxito tras varios intentos: ratelimited"
        assert failures.reason("the event had already started") == "el evento ya había empezado"
        assert failures.reason("not_in_channel") == "not_in_channel"  # Slack's code, as Slack gives it


def test_event_show_says_why_a_reminder_failed_in_the_readers_language():
    event = Event(
        id=3,
        title="Vigil",
        event_type="prayer_vigil",
        timezone="America/Chicago",
        all_day=False,
        starts_at=NOW + timedelta(days=2),
    )
    due = NOW + timedelta(days=1)
    failed = Reminder(
        kind="1d",
        recipient_type="channel",
        recipient="C1",
        status="failed",
        due_at=due,
        last_error=failures.gave_up("ratelimited"),
    )
    dms = [
        Reminder(kind="1d", recipient_type="user", recipient=u, status=s, due_at=due)
        for u, s in (("U1", "sent"), ("U2", "pending"))
    ]
    english = reminder_render.reminders_summary(event, [failed, *dms])
    assert "1 day before (" in english and "thread: failed (gave up: ratelimited) · DMs: 1 of 2 sent" in english
    with speaking("es"):
        spanish = reminder_render.reminders_summary(event, [failed, *dms])
    assert spanish.startswith("*Recordatorios*") and "1 día antes (" in spanish
    assert "hilo: fallido (sin éxito tras varios intentos: ratelimited) · Mensajes directos: 1 de 2 enviados" in spanish
