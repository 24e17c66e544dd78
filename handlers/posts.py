"""`/posts`: sample tweets and Facebook posts into the channel on demand; "Fill in"; team posts."""

from __future__ import annotations

import logging
import re

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers.common import cannot_post_text, command_help_text, ensure_team_content, post_in_channel, tell_user
from messages import content
from messages import help as help_text
from messages import posts as render
from storage import content as queries
from storage.models import ContentPost

log = logging.getLogger(__name__)


def register(app: App) -> None:
    app.command("/posts")(posts_command)
    # Share buttons are links; acking their action keeps Slack from showing a warning.
    app.action(re.compile(f"^{render.SHARE_ACTION}"))(lambda ack: ack())
    app.action(render.FILL_ACTION)(fill_button)
    app.view(render.FILL_CALLBACK_ID)(fill_submitted)
    app.view(render.ADD_CALLBACK_ID)(add_submitted)


def _select(context: BoltContext, team_id: str, query: render.PostQuery) -> list[ContentPost]:
    ensure_team_content(context["db"], team_id)
    with context["db"].session() as session:
        found = queries.posts(session, team_id, platform=query.platform, campaign=query.campaign)
    return render.select(found, query)


def _share(client: WebClient, channel_id: str, posts: list[ContentPost], query: render.PostQuery, user_id: str) -> None:
    """Post in the channel; raises SlackApiError if Slack refuses even after joining."""
    campaign = content.campaign(query.campaign)
    for blocks in render.posts_messages(posts, query, shared_by=user_id, campaign=campaign):
        post_in_channel(client, channel_id, blocks=blocks, text=render.fallback_text(query))


# --- /posts -----------------------------------------------------------------


def posts_command(ack: Ack, command: dict, client: WebClient, context: BoltContext, respond: Respond) -> None:
    text = " ".join((command.get("text") or "").split())
    if not text or command_help_text(text):
        ack(blocks=help_text.posts_help(), text="How to use /posts")
        return
    if text.lower() == "add":
        ack()
        client.views_open(trigger_id=command["trigger_id"], view=render.add_modal(content.campaigns(), command.get("channel_id")))
        return
    query = render.parse_query(text, content.campaigns())
    if isinstance(query, str):
        ack(text=query)
        return
    ack()
    posts = _select(context, context.team_id, query)
    if not posts:
        respond(text=render.no_posts_text(query), response_type="ephemeral")
        return
    try:
        _share(client, command["channel_id"], posts, query, command["user_id"])
    except SlackApiError as error:
        respond(text=cannot_post_text(command["channel_id"], error), response_type="ephemeral")


# --- Fill in ----------------------------------------------------------------


def fill_button(ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond) -> None:
    ack()
    query = render.PostQuery.decode(action.get("value") or "{}")
    channel_id = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    posts = _select(context, context.team_id, query)
    placeholders = render.placeholders_in(posts)
    if not posts or not placeholders:
        respond(text="These posts have nothing left to fill in.", response_type="ephemeral", replace_original=False)
        return
    client.views_open(trigger_id=body["trigger_id"], view=render.fill_modal(query, channel_id, placeholders))


def _value(values: dict, block_id: str) -> str | None:
    value = (values.get(block_id, {}).get(block_id, {}).get("value") or "").strip()
    return value or None


def fill_submitted(ack: Ack, body: dict, view: dict, client: WebClient, context: BoltContext) -> None:
    team_id = context.team_id
    user_id = body["user"]["id"]
    query, channel_id = render.parse_fill_metadata(view.get("private_metadata") or "")
    values = view["state"]["values"]
    handle = _value(values, render.HANDLE_BLOCK)
    if handle and not handle.startswith("@"):
        handle = "@" + handle
    if handle and not render.HANDLE.fullmatch(handle):
        ack(response_action="errors", errors={render.HANDLE_BLOCK: render.handle_error(handle)})
        return
    ack()
    filled = query.filled(
        handle=handle or query.handle,
        member=_value(values, render.MEMBER_BLOCK) or query.member,
        organization=_value(values, render.ORGANIZATION_BLOCK) or query.organization,
    )
    posts = _select(context, team_id, filled)
    try:
        _share(client, channel_id, posts, filled, user_id)
    except SlackApiError as error:
        tell_user(client, user_id, cannot_post_text(channel_id, error))


# --- /posts add -------------------------------------------------------------


def add_submitted(ack: Ack, body: dict, view: dict, client: WebClient, context: BoltContext) -> None:
    team_id = context.team_id
    user_id = body["user"]["id"]
    values = view["state"]["values"]
    platform = (values.get(render.PLATFORM_BLOCK, {}).get(render.PLATFORM_BLOCK, {}).get("selected_option") or {}).get("value") or render.TWITTER
    campaign = (values.get(render.CAMPAIGN_BLOCK, {}).get(render.CAMPAIGN_BLOCK, {}).get("selected_option") or {}).get("value")
    text = _value(values, render.TEXT_BLOCK)
    if not text:
        ack(response_action="errors", errors={render.TEXT_BLOCK: "Write the post."})
        return
    if platform == render.TWITTER and render.tweet_length(text) > render.TWEET_LIMIT:
        ack(response_action="errors", errors={render.TEXT_BLOCK: f"That's {render.tweet_length(text)} characters; a tweet holds {render.TWEET_LIMIT}."})
        return
    ensure_team_content(context["db"], team_id)
    with context["db"].session() as session:
        queries.add_post(
            session, team_id, platform=platform, text=text, hashtags=list(dict.fromkeys(render.HASHTAG.findall(text))),
            campaign=campaign, user_id=user_id, now=context["now"](),
        )
    ack()
    tell_user(client, user_id, render.added_text(platform), view.get("private_metadata") or None)
