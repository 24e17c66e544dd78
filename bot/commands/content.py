"""`organizer-bot content load`: the shipped toolkits, sample posts and campaigns."""

from __future__ import annotations

import argparse

from bot.commands import Command, add, log, open_database
from bot.settings import Settings


def register(commands: argparse._SubParsersAction) -> None:
    content = add(commands, "content", Command(_load), help="toolkits, sample posts and campaigns")
    actions = content.add_subparsers(dest="content_command", metavar="action", required=True)
    load = actions.add_parser(
        "load", help="(re)load the shipped content files; team-added posts, notes and campaigns are kept"
    )
    load.add_argument(
        "--team",
        action="append",
        dest="teams",
        metavar="TEAM_ID",
        help="a Slack team id (repeatable); default: every team that has content",
    )


def _load(settings: Settings, args) -> int:
    """Reload the shipped toolkits, sample posts and campaigns; teams that never used them load lazily."""
    from messages.content import shipped_campaigns, shipped_topics
    from storage import campaigns as campaign_queries
    from storage import content as content_queries
    from timemath import utcnow

    db = open_database(settings)
    topics, campaigns = shipped_topics(), shipped_campaigns()
    with db.session() as session:
        teams = args.teams or content_queries.team_ids(session)
    if not teams:
        log.info("no team has content yet; each team loads it on first use (or pass --team T0123)")
    for team_id in teams:
        with db.session() as session:
            topic_count, post_count = content_queries.load_content(session, team_id, topics)
            campaign_count = campaign_queries.load_campaigns(session, team_id, campaigns, utcnow())
        log.info(
            "team %s: loaded %d topics, %d sample posts and %d campaigns",
            team_id,
            topic_count,
            post_count,
            campaign_count,
        )
    return 0
