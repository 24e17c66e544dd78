"""Campaign workflows: list, find, show, create and edit weeks and days of action.

Each team has its own campaigns: the shipped ones (loaded with the content on first use,
services.content) and those it creates. A campaign's slug is made once, from its name, and
never changes: events, toolkits and sample posts belong to it by that slug.
Who may edit: the creator and workspace admins (only admins, for shipped campaigns), checked
at the moment of the write.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from slack_sdk import WebClient
from sqlalchemy.exc import IntegrityError

from messages import campaigns as render
from messages import reports as report_render
from messages.content import POSTS_KIND
from messages.i18n import speaking
from services import congress, languages, outbox
from services.content import ensure_team_content
from services.event_form import FormState
from services.permissions import audience, may_edit_campaign
from services.runtime import Services
from services.slackapi import before_ack
from storage import campaigns as store
from storage import content as content_store
from storage import events as event_store
from storage import reports as report_store
from storage import submissions
from storage.models import CAMPAIGN_NAME_MAX, CAMPAIGN_TEXT_MAX, SLUG_MAX, Campaign, Event, Origin
from timemath import local_date

# Commands as typed, in the answers that show how to name a campaign.
SHOW_EXAMPLE = "/campaign show where r the refugees"  # untranslated: a command as typed
EDIT_EXAMPLE = "/campaign edit where r the refugees"  # untranslated: a command as typed
REPORT_EXAMPLE = "/campaign report where r the refugees"  # untranslated: a command as typed


def today(services: Services) -> date:
    """The day campaigns are placed against (running, coming, over): the workspace's default zone."""
    return local_date(services.now(), services.default_timezone)


# --- reading: also what the public pages use ----------------------------------------


def listing(services: Services, team_id: str) -> list[Campaign]:
    """Every campaign of the team: running and coming first (soonest first), then those without
    dates, then past ones (latest first). The shipped ones are loaded on the team's first use."""
    ensure_team_content(services, team_id)
    with services.db.read() as session:
        found = store.campaigns(session, team_id)
    return render.in_listing_order(found, today(services))


def find(services: Services, team_id: str, slug: str) -> Campaign | None:
    """The team's campaign of this exact slug (as in a URL)."""
    ensure_team_content(services, team_id)
    with services.db.read() as session:
        return store.get_campaign(session, team_id, slug)


def running_on(services: Services, team_id: str, day: date) -> Campaign | None:
    """The campaign whose days include `day`; of several, the shortest (the most specific)."""
    ensure_team_content(services, team_id)
    with services.db.read() as session:
        running = store.running_on(session, team_id, day)
    return running[0] if running else None


def totals(
    services: Services, team_id: str, slug: str, audience: event_store.Audience = event_store.EVERYONE
) -> event_store.CampaignTotals:
    """Events (not cancelled), upcoming ones, RSVPs to them and states they are in, as `audience` may see them."""
    with services.db.read() as session:
        return event_store.campaign_totals(session, team_id, slug, services.now(), audience=audience)


# --- /campaign list and show ---------------------------------------------------------


def list_blocks(services: Services, team_id: str) -> list[dict]:
    return render.campaign_list(listing(services, team_id), today(services))


def named(services: Services, team_id: str, text: str) -> Campaign | str:
    """The campaign someone means by a slug, name, hashtag or words of its name (forgiving case,
    spaces and `#`), or what to tell them."""
    campaigns = listing(services, team_id)
    return render.match_campaign(text, campaigns) or render.no_such_campaign(text, campaigns)


def page(services: Services, team_id: str, user_id: str, channel_id: str | None, text: str) -> list[dict] | str:
    """`/campaign show <text>`: the campaign's page (without a name, the one running today), or what to tell the user."""
    text = " ".join(text.split())[: render.QUERY_MAX]
    campaign = named(services, team_id, text) if text else running_on(services, team_id, today(services))
    if campaign is None:
        return render.which_campaign(SHOW_EXAMPLE)
    if isinstance(campaign, str):
        return campaign
    viewer = audience(services, team_id, user_id, channel_id)
    with services.db.read() as session:
        upcoming = event_store.upcoming_page(
            session,
            team_id,
            services.now(),
            where=event_store.EventFilter(campaign_slug=campaign.slug),
            audience=viewer,
            size=render.SHOWN_EVENTS,
        )
        toolkits = [
            t for t in content_store.topics(session, team_id, exclude_kinds=[POSTS_KIND]) if t.campaign == campaign.slug
        ]
        posts = content_store.posts(session, team_id, campaign=campaign.slug)
        targeted = event_store.campaign_congress_members(session, team_id, campaign.slug, audience=viewer)
    found = render.CampaignPage(
        campaign=campaign,
        totals=totals(services, team_id, campaign.slug, viewer),
        upcoming=upcoming.events,
        more_upcoming=upcoming.has_next,
        toolkits=toolkits,
        posts=posts,
        links=services.links,
        congress=congress.coverage(targeted),
    )
    return render.campaign_page(found, today(services))


def report(services: Services, team_id: str, user_id: str, channel_id: str | None, text: str) -> str | None:
    """`/campaign report <text>`: what the campaign's events add up to (reports.totals), posted in
    the channel for everyone, in the channel's language; in a DM, or what to tell the user
    instead, returned as the answer, in theirs."""
    text = " ".join(text.split())[: render.QUERY_MAX]
    campaign = named(services, team_id, text) if text else None
    if campaign is None:
        return render.which_campaign(REPORT_EXAMPLE)
    if isinstance(campaign, str):
        return campaign
    now = services.now()
    with services.db.read() as session:
        totals = report_store.totals(session, team_id, now, Event.campaign_slug == campaign.slug)
    if not (channel_id or "").startswith(("C", "G")):
        return report_render.totals_text(campaign.name, totals)  # not a channel the bot may post in: to the asker
    with speaking(languages.of_channel(services, team_id, channel_id)):
        summary = report_render.totals_text(campaign.name, totals)
    with services.db.session() as session:
        outbox.share(
            session,
            team_id,
            channel_id,
            [{"text": summary, "blocks": report_render.totals_blocks(summary)}],
            user_id,
            now,
        )
    services.doorbell.ring()
    return None


# --- the modal -----------------------------------------------------------------------


def new_form() -> dict:
    return render.campaign_form(render.CampaignFormValues())


def edit_form(services: Services, client: WebClient, team_id: str, user_id: str, text: str) -> dict | str:
    """The prefilled modal, or what to tell the user instead (no such campaign, not theirs to edit)."""
    text = " ".join(text.split())[: render.QUERY_MAX]
    if not text:
        return render.which_campaign(EDIT_EXAMPLE)
    campaign = named(services, team_id, text)
    if isinstance(campaign, str):
        return campaign
    if not may_edit_campaign(services, client, user_id, campaign):
        return render.refusal(campaign)
    return render.campaign_form(render.form_values(campaign))


@dataclass(frozen=True)
class CampaignInput:
    name: str
    starts_on: date | None
    ends_on: date | None  # equal to starts_on for a single day; both None without dates
    hashtags: list[str]
    description: str | None
    call_to_action: str | None


@dataclass(frozen=True)
class Submitted:
    errors: dict[str, str] | None = None
    view: dict | None = None  # what the modal turns into once saved; None closes it


def submit(services: Services, client: WebClient, team_id: str, user_id: str, view: dict) -> Submitted:
    """Save a submitted campaign form: validated, authorized at the write, idempotent (a replay changes nothing).

    Runs before the ack, so its Slack call (is the editor an admin) gives up in time; when
    Slack does not answer, the safe side is taken (not an admin).
    """
    client = before_ack(client)
    now = services.now()
    slug = render.form_slug(view)
    key = submissions.key_for(view)
    data, errors = parse_campaign_form((view.get("state") or {}).get("values") or {})
    if errors:
        return Submitted(errors=errors)
    ensure_team_content(services, team_id)  # the shipped campaigns first: their names and slugs are taken
    try:
        with services.db.session() as session:
            if key and submissions.seen(session, team_id, key):
                return Submitted()
            team_campaigns = store.campaigns(session, team_id)
            campaign = next((c for c in team_campaigns if c.slug == slug), None) if slug else None
            if slug and campaign is None:
                return Submitted(errors={render.NAME: render.campaign_gone()})
            if campaign is not None and not may_edit_campaign(services, client, user_id, campaign):
                return Submitted(errors={render.NAME: render.edit_refused()})
            namesake = next(
                (c for c in team_campaigns if c.name.casefold() == data.name.casefold() and c is not campaign), None
            )
            if namesake is not None:
                return Submitted(errors={render.NAME: render.name_taken(namesake)})
            if campaign is None:
                campaign = store.add_campaign(
                    session,
                    Campaign(
                        team_id=team_id,
                        slug=slug_for(data.name, {c.slug for c in team_campaigns}),
                        origin=Origin.TEAM.value,
                        created_by=user_id,
                        created_at=now,
                        **_columns(data),
                        updated_at=now,
                    ),
                )
            else:
                _edit(campaign, data, now)
            if key:
                submissions.remember(session, team_id, key, None, now)
            outbox.homes_changed(session, team_id, (), now)  # staff dashboards list the campaigns
    except IntegrityError:
        with services.db.read() as session:
            if key and submissions.seen(session, team_id, key):
                return Submitted()  # the same submission, saved a moment ago by a concurrent delivery
        raise
    services.doorbell.ring()
    return Submitted(view=render.saved_view(campaign, created=slug is None))


def _columns(data: CampaignInput) -> dict:
    return dict(
        name=data.name,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        hashtags=data.hashtags,
        description=data.description,
        call_to_action=data.call_to_action,
    )


def _edit(campaign: Campaign, data: CampaignInput, now) -> None:
    """An edited campaign is the team's: reloading the content files leaves it as the team left it."""
    if (campaign.starts_on, campaign.ends_on) != (data.starts_on, data.ends_on):
        campaign.dates_text = None  # the seed's wording no longer says the same days
    for column, value in _columns(data).items():
        setattr(campaign, column, value)
    campaign.origin = Origin.TEAM.value
    campaign.updated_at = now


def slug_for(name: str, taken: set[str]) -> str:
    """`National Week of Action: #WhereRTheRefugees` -> `national-week-of-action-wherertherefugees`;
    accents dropped, `-2`, `-3`... when taken."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    base = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[: SLUG_MAX - 4].strip("-") or "campaign"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def parse_campaign_form(state_values: dict) -> tuple[CampaignInput | None, dict[str, str]]:
    """Validate a submission; return the input, or the errors to show under each field."""
    state = FormState(state_values)
    errors: dict[str, str] = {}
    limits = {
        render.NAME: CAMPAIGN_NAME_MAX,
        render.DESCRIPTION: CAMPAIGN_TEXT_MAX,
        render.CALL_TO_ACTION: CAMPAIGN_TEXT_MAX,
        render.HASHTAGS: render.HASHTAGS_MAX,
    }
    for block_id, limit in limits.items():
        value = state.text(block_id)
        if value and len(value) > limit:
            errors[block_id] = render.too_long(limit, len(value))
    name = state.text(render.NAME)
    if not name:
        errors[render.NAME] = render.give_a_name()
    hashtags = _hashtags(state.text(render.HASHTAGS) or "", errors)
    try:
        starts_on, ends_on = state.date(render.STARTS_ON), state.date(render.ENDS_ON)
    except ValueError:  # a malformed date from a client that is not Slack's
        errors[render.STARTS_ON] = render.not_a_date()
        starts_on = ends_on = None
    if ends_on and not starts_on:
        errors[render.STARTS_ON] = render.first_day_too()
    elif starts_on and ends_on and ends_on < starts_on:
        errors[render.ENDS_ON] = render.last_before_first()
    if errors:
        return None, errors
    return CampaignInput(
        name=name,
        starts_on=starts_on,
        ends_on=ends_on or starts_on,
        hashtags=hashtags,
        description=state.text(render.DESCRIPTION),
        call_to_action=state.text(render.CALL_TO_ACTION),
    ), errors


def _hashtags(text: str, errors: dict[str, str]) -> list[str]:
    """`#WhereRTheRefugees, LetThemIn` -> ['#WhereRTheRefugees', '#LetThemIn']: the `#` is optional, repeats go."""
    tags: dict[str, str] = {}
    for token in re.split(r"[\s,]+", text):
        if not token:
            continue
        tag = token if token.startswith("#") else f"#{token}"
        if not render.HASHTAG.fullmatch(tag):
            errors[render.HASHTAGS] = render.not_a_hashtag(token)
            return []
        tags.setdefault(tag.casefold(), tag)
    if len(tags) > render.MAX_HASHTAGS:
        errors[render.HASHTAGS] = render.too_many_hashtags()
    return list(tags.values())
