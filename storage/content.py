"""Queries on toolkit content and sample posts. Every function takes the team: no query crosses teams.

The shipped content arrives as plain dicts (one per topic, shaped like the content files);
storage does not read the files itself. Shipped rows are upserted by (team_id, slug) for
topics and (team_id, key) for posts, their translations with them; rows with origin 'team'
are never touched by a load.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import ContentNote, ContentPost, ContentTopic, Origin

SHIPPED = Origin.SHIPPED.value
TEAM = Origin.TEAM.value


def has_content(session: Session, team_id: str) -> bool:
    return session.scalar(select(func.count()).select_from(ContentTopic).where(ContentTopic.team_id == team_id)) > 0


def load_content(session: Session, team_id: str, topics: Iterable[Mapping]) -> tuple[int, int]:
    """Replace the team's shipped topics and posts with `topics`; returns (topics, posts) loaded.

    Shipped rows no longer in `topics` are removed; team rows stay as they are.
    """
    existing = {t.slug: t for t in session.scalars(select(ContentTopic).where(ContentTopic.team_id == team_id))}
    posts = {
        p.key: p
        for p in session.scalars(
            select(ContentPost).where(ContentPost.team_id == team_id, ContentPost.origin == SHIPPED)
        )
    }
    topic_count = post_count = 0
    seen_slugs: set[str] = set()
    seen_keys: set[str] = set()
    for position, data in enumerate(topics):
        slug = data["slug"]
        seen_slugs.add(slug)
        topic = existing.get(slug)
        if topic is None:
            topic = ContentTopic(team_id=team_id, slug=slug)
            session.add(topic)
        elif topic.origin != SHIPPED:
            continue  # a team's own topic of the same slug wins
        topic.kind = data["kind"]
        topic.title = data["title"]
        topic.campaign = data["campaign"]
        topic.aliases = list(data.get("aliases", []))
        topic.event_types = list(data.get("event_types", []))
        topic.source = data["source"]
        topic.body = {key: data[key] for key in ("intro", "sections") if key in data}
        topic.translations = dict(data.get("translations") or {})
        topic.position = position
        topic.origin = SHIPPED
        topic_count += 1
        for n, item in enumerate(data.get("posts", []), start=1):
            key = f"{slug}#{n}"
            seen_keys.add(key)
            post = posts.get(key)
            if post is None:
                post = ContentPost(team_id=team_id, key=key, origin=SHIPPED)
                session.add(post)
            post.platform = item["platform"]
            post.text = item["text"]
            post.hashtags = list(item.get("hashtags", []))
            post.translations = dict(item.get("translations") or {})
            post.campaign = data["campaign"]
            post.position = position * 1000 + n
            post_count += 1
    for slug, topic in existing.items():
        if slug not in seen_slugs and topic.origin == SHIPPED:
            session.delete(topic)
    stale = [key for key in posts if key not in seen_keys]
    if stale:
        session.execute(
            delete(ContentPost).where(
                ContentPost.team_id == team_id, ContentPost.origin == SHIPPED, ContentPost.key.in_(stale)
            )
        )
    session.flush()
    return topic_count, post_count


def ensure_content(session: Session, team_id: str, topics: Iterable[Mapping]) -> bool:
    """Load the shipped content for a team that has none yet; True if it loaded it now.

    Two first requests may race: the loser's insert hits the unique constraint, rolls
    back its savepoint and uses what the winner loaded.
    """
    if has_content(session, team_id):
        return False
    try:
        with session.begin_nested():
            load_content(session, team_id, topics)
    except IntegrityError:
        return False
    return True


def team_ids(session: Session) -> list[str]:
    """Teams that have content loaded (the CLI reloads them all)."""
    return list(session.scalars(select(ContentTopic.team_id).distinct().order_by(ContentTopic.team_id)))


def topics(
    session: Session, team_id: str, *, kinds: Iterable[str] | None = None, exclude_kinds: Iterable[str] = ()
) -> list[ContentTopic]:
    query = select(ContentTopic).where(ContentTopic.team_id == team_id)
    if kinds is not None:
        query = query.where(ContentTopic.kind.in_(list(kinds)))
    excluded = list(exclude_kinds)
    if excluded:
        query = query.where(ContentTopic.kind.not_in(excluded))
    return list(session.scalars(query.order_by(ContentTopic.position, ContentTopic.id)))


def get_topic(session: Session, team_id: str, slug: str) -> ContentTopic | None:
    return session.scalar(select(ContentTopic).where(ContentTopic.team_id == team_id, ContentTopic.slug == slug))


def notes(session: Session, team_id: str, topic_slug: str) -> list[ContentNote]:
    query = select(ContentNote).where(ContentNote.team_id == team_id, ContentNote.topic_slug == topic_slug)
    return list(session.scalars(query.order_by(ContentNote.created_at, ContentNote.id)))


def add_note(session: Session, team_id: str, topic_slug: str, text: str, user_id: str, now: datetime) -> ContentNote:
    note = ContentNote(
        team_id=team_id, topic_slug=topic_slug, text=text, created_by=user_id, created_at=now, origin=TEAM
    )
    session.add(note)
    session.flush()
    return note


def posts(
    session: Session, team_id: str, *, platform: str | None = None, campaign: str | None = None
) -> list[ContentPost]:
    """Sample posts, shipped first in file order, then the team's own in the order they were added."""
    query = select(ContentPost).where(ContentPost.team_id == team_id)
    if platform:
        query = query.where(ContentPost.platform == platform)
    if campaign:
        query = query.where(ContentPost.campaign == campaign)
    shipped_first = ContentPost.origin != SHIPPED
    return list(session.scalars(query.order_by(shipped_first, ContentPost.position, ContentPost.id)))


def add_post(
    session: Session,
    team_id: str,
    *,
    platform: str,
    text: str,
    hashtags: list[str],
    campaign: str | None,
    user_id: str,
    now: datetime,
) -> ContentPost:
    post = ContentPost(
        team_id=team_id,
        key=None,
        platform=platform,
        text=text,
        hashtags=hashtags,
        campaign=campaign,
        position=0,
        origin=TEAM,
        created_by=user_id,
        created_at=now,
    )
    session.add(post)
    session.flush()
    return post
