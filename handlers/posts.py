"""`/posts`: sample tweets and Facebook posts into the channel on demand; "Fill in"; team posts."""

from __future__ import annotations

import re

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from handlers.common import command_help_text, services_of
from messages import help as help_text
from messages import posts as render
from services import campaigns, congress
from services import content as workflows
from storage.models import ContentPost


def register(app: App) -> None:
    app.command("/posts")(posts_command)
    # Share buttons are links; acking their action keeps Slack from showing a warning.
    app.action(re.compile(f"^{render.SHARE_ACTION}"))(lambda ack: ack())
    app.action(render.FILL_ACTION)(fill_button)
    app.view(render.FILL_CALLBACK_ID)(fill_submitted)
    app.view(render.ADD_CALLBACK_ID)(add_submitted)


def _select(context: BoltContext, query: render.PostQuery) -> list[ContentPost]:
    found = workflows.posts(services_of(context), context.team_id, platform=query.platform, campaign=query.campaign)
    return render.select(found, query)


def _share(context: BoltContext, channel_id: str, posts: list[ContentPost], query: render.PostQuery) -> None:
    campaign = campaigns.find(services_of(context), context.team_id, query.campaign) if query.campaign else None
    workflows.share_posts(services_of(context), context.team_id, channel_id, posts, query, context.user_id, campaign)


def _channel_of(body: dict) -> str | None:
    return (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")


# --- /posts -----------------------------------------------------------------


def posts_command(ack: Ack, command: dict, client: WebClient, context: BoltContext, respond: Respond) -> None:
    text = " ".join((command.get("text") or "").split())
    if not text or command_help_text(text):
        ack(blocks=help_text.posts_help(), text=render.posts_help_title())
        return
    if text.lower() == "add":
        ack()
        view = render.add_modal(campaigns.listing(services_of(context), context.team_id), command.get("channel_id"))
        client.views_open(trigger_id=command["trigger_id"], view=view)
        return
    query = render.parse_query(text[: render.QUERY_MAX], campaigns.listing(services_of(context), context.team_id))
    if isinstance(query, str):
        ack(text=query)
        return
    ack()
    if query.zip_code and congress.members_of_zip(query.zip_code) is None:
        respond(text=render.no_district(query.zip_code), response_type="ephemeral")
        return
    posts = _select(context, query)
    if not posts:
        respond(text=render.no_posts_text(query), response_type="ephemeral")
        return
    _share(context, command["channel_id"], posts, query)


# --- Fill in ----------------------------------------------------------------


def fill_button(ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond) -> None:
    ack()
    query = render.PostQuery.decode(action.get("value") or "{}")
    posts = _select(context, query)
    placeholders = render.placeholders_in(posts)
    if not posts or not placeholders:
        respond(text=render.nothing_to_fill(), response_type="ephemeral", replace_original=False)
        return
    client.views_open(
        trigger_id=body["trigger_id"], view=render.fill_modal(query, _channel_of(body) or "", placeholders)
    )


def _value(values: dict, block_id: str) -> str | None:
    element = (values.get(block_id) or {}).get(block_id) or {}
    value = element.get("value") if isinstance(element, dict) else None
    return (value.strip() or None) if isinstance(value, str) else None


def fill_submitted(ack: Ack, view: dict, context: BoltContext) -> None:
    query, channel_id = render.parse_fill_metadata(view.get("private_metadata") or "")
    values = (view.get("state") or {}).get("values") or {}
    handle = _value(values, render.HANDLE_BLOCK)
    if handle and not handle.startswith("@"):
        handle = "@" + handle
    if handle and not render.HANDLE.fullmatch(handle):
        ack(response_action="errors", errors={render.HANDLE_BLOCK: render.handle_error(handle)})
        return
    typed_zip = _value(values, render.ZIP_BLOCK)
    zip_code = render.zip_code(typed_zip) if typed_zip else None
    if typed_zip and zip_code is None:
        ack(response_action="errors", errors={render.ZIP_BLOCK: render.zip_error(typed_zip)})
        return
    if zip_code and congress.members_of_zip(zip_code) is None:
        ack(response_action="errors", errors={render.ZIP_BLOCK: render.no_district(zip_code)})
        return
    ack()
    filled = query.filled(
        handle=handle or query.handle,
        member=_value(values, render.MEMBER_BLOCK) or query.member,
        organization=_value(values, render.ORGANIZATION_BLOCK) or query.organization,
        zip_code=zip_code or query.zip_code,
    )
    if channel_id:
        _share(context, channel_id, _select(context, filled), filled)


# --- /posts add -------------------------------------------------------------


def _selected(values: dict, block_id: str) -> str | None:
    element = (values.get(block_id) or {}).get(block_id) or {}
    option = element.get("selected_option") if isinstance(element, dict) else None
    return option.get("value") if isinstance(option, dict) else None


def add_submitted(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    values = (view.get("state") or {}).get("values") or {}
    platform = _selected(values, render.PLATFORM_BLOCK) or render.TWITTER
    campaign = _selected(values, render.CAMPAIGN_BLOCK)
    text = _value(values, render.TEXT_BLOCK)
    if not text:
        ack(response_action="errors", errors={render.TEXT_BLOCK: render.write_the_post()})
        return
    if platform == render.TWITTER and render.tweet_length(text) > render.TWEET_LIMIT:
        ack(response_action="errors", errors={render.TEXT_BLOCK: render.tweet_too_long(text)})
        return
    added = workflows.add_post(
        services_of(context),
        context.team_id,
        context.user_id,
        platform=platform if platform in render.PLATFORM_LABELS else render.TWITTER,
        text=text,
        hashtags=list(dict.fromkeys(render.HASHTAG.findall(text))),
        campaign=campaign,
    )
    if not added:
        ack(response_action="errors", errors={render.CAMPAIGN_BLOCK: render.no_such_campaign()})
        return
    ack()
    channel_id = view.get("private_metadata") or None
    if channel_id:
        client.chat_postEphemeral(channel=channel_id, user=context.user_id, text=render.added_text(platform))
