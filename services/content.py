"""Toolkits, sample posts and campaigns: each team's copy of the shipped content, and sharing it in a channel.

What is shared in a channel is drawn in the channel's language (services.languages), when it
is asked for: the toolkit's or posts' own translation if the content file has one, and every
word of the bot's around them.
"""

from __future__ import annotations

import logging

from messages import posts as posts_render
from messages import toolkit as toolkit_render
from messages.content import shipped_campaigns, shipped_topics
from messages.i18n import speaking
from services import languages, outbox
from services.runtime import Services
from storage import campaigns as campaign_queries
from storage import congress
from storage import content as queries
from storage.models import Campaign, ContentNote, ContentPost, ContentTopic

log = logging.getLogger(__name__)


def ensure_team_content(services: Services, team_id: str) -> None:
    """Load the shipped toolkits, sample posts and campaigns the first time a team uses them.

    They are loaded together, so a team with campaigns has the rest: one read, and no write
    lock, on every later call. A team that had content before campaigns existed gets them now.
    """
    with services.db.read() as session:
        if campaign_queries.has_campaigns(session, team_id):
            return
    with services.db.session() as session:
        if queries.ensure_content(session, team_id, shipped_topics()):
            log.info("loaded the shipped content for team %s", team_id)
        if campaign_queries.ensure_campaigns(session, team_id, shipped_campaigns(), services.now()):
            log.info("loaded the shipped campaigns for team %s", team_id)


def topics(services: Services, team_id: str) -> list[ContentTopic]:
    ensure_team_content(services, team_id)
    with services.db.read() as session:
        return queries.topics(session, team_id)


def topic(services: Services, team_id: str, slug: str) -> tuple[ContentTopic | None, list[ContentNote]]:
    ensure_team_content(services, team_id)
    with services.db.read() as session:
        found = queries.get_topic(session, team_id, slug)
        return found, queries.notes(session, team_id, slug) if found else []


def posts(services: Services, team_id: str, *, platform: str | None, campaign: str | None) -> list[ContentPost]:
    ensure_team_content(services, team_id)
    with services.db.read() as session:
        return queries.posts(session, team_id, platform=platform, campaign=campaign)


def add_note(services: Services, team_id: str, slug: str, text: str, user_id: str) -> ContentTopic | None:
    """Add a team note to a toolkit; None if the toolkit is gone."""
    with services.db.session() as session:
        found = queries.get_topic(session, team_id, slug)
        if found is not None:
            queries.add_note(session, team_id, slug, text, user_id, services.now())
        return found


def add_post(services: Services, team_id: str, user_id: str, *, campaign: str | None, **post) -> bool:
    """Add a team's own sample post; False, adding nothing, if it names a campaign the team doesn't have
    (a modal's options can be forged, or the campaign gone since the modal opened)."""
    ensure_team_content(services, team_id)
    with services.db.session() as session:
        if campaign is not None and campaign_queries.get_campaign(session, team_id, campaign) is None:
            return False
        queries.add_post(session, team_id, user_id=user_id, now=services.now(), campaign=campaign, **post)
        return True


def share(
    services: Services, team_id: str, channel_id: str, messages: list[list[dict]], text: str, user_id: str
) -> None:
    """Post rendered messages in a channel, in order, through the outbox; a failure is DMed to `user_id`."""
    with services.db.session() as session:
        outbox.share(
            session,
            team_id,
            channel_id,
            [{"text": text, "blocks": blocks} for blocks in messages],
            user_id,
            services.now(),
        )
    services.doorbell.ring()


def share_toolkit(
    services: Services, team_id: str, channel_id: str, slug: str, user_id: str, zip_code: str | None = None
) -> bool:
    """Post a toolkit in a channel, in the channel's language, with the members of Congress of
    `zip_code` when given; False if the toolkit is gone."""
    found, notes = topic(services, team_id, slug)
    if found is None:
        return False
    callees = congress.members_of_zip(zip_code) if zip_code else None
    with speaking(languages.of_channel(services, team_id, channel_id)):
        messages = toolkit_render.toolkit_messages(found, notes, shared_by=user_id, callees=callees)
        text = toolkit_render.fallback_text(found)
    share(services, team_id, channel_id, messages, text, user_id)
    return True


def share_posts(
    services: Services,
    team_id: str,
    channel_id: str,
    shown: list[ContentPost],
    query: posts_render.PostQuery,
    user_id: str,
    campaign: Campaign | None = None,
) -> None:
    """Post sample posts in a channel, in the channel's language, filled in for the members of
    Congress of the query's ZIP code."""
    found = congress.members_of_zip(query.zip_code) if query.zip_code else None
    with speaking(languages.of_channel(services, team_id, channel_id)):
        messages = posts_render.posts_messages(
            shown, query, shared_by=user_id, campaign=campaign, members=found.members if found else ()
        )
        text = posts_render.fallback_text(query)
    share(services, team_id, channel_id, messages, text, user_id)
