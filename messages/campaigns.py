"""`/campaign`: matching a campaign by what people type, the campaign modal, the list and one
campaign's page. (The campaign line of cards and digests is messages.events.campaign_line.)

Everything a team typed (names, hashtags, descriptions, calls to action) is escaped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from messages import mrkdwn
from messages.events import days_text, hashtags_text, list_line
from messages.limits import MESSAGE_BLOCKS, MODAL_TITLE, OPTION_TEXT, SECTION_TEXT, shorten, split_text
from messages.links import PublicLinks
from storage.models import CAMPAIGN_NAME_MAX, CAMPAIGN_TEXT_MAX, Campaign, ContentPost, ContentTopic, Event
from storage.events import CampaignTotals

CALLBACK_ID = "campaign_form"
# Block ids double as field names in validation errors.
NAME = "name"
STARTS_ON = "starts_on"
ENDS_ON = "ends_on"
HASHTAGS = "hashtags"
DESCRIPTION = "description"
CALL_TO_ACTION = "call_to_action"
HASHTAGS_MAX = 300  # the hashtags field, as typed
MAX_HASHTAGS = 10
HASHTAG = re.compile(r"#\w+")  # as written in a post; a hashtag field holds nothing else (fullmatch)
SHOWN_EVENTS = 5  # upcoming events on a campaign's page; `/event list campaign <slug>` has them all
SHOWN_POSTS = 3
QUERY_MAX = 200


# --- matching ---------------------------------------------------------------


def _normalize(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", "", re.sub(r"[-_]+", " ", text.lower())).split())


def _phrases(campaign: Campaign) -> set[str]:
    return {_normalize(campaign.slug), _normalize(campaign.name), *(_normalize(h) for h in campaign.hashtags)}


def exact_match(text: str, campaigns: Sequence[Campaign]) -> Campaign | None:
    """The campaign whose slug, whole name or one of whose hashtags `text` is, forgiving case, spaces and `#`."""
    wanted = _normalize(text)
    if not wanted:
        return None
    squeezed = wanted.replace(" ", "")
    for campaign in campaigns:
        phrases = _phrases(campaign)
        if wanted in phrases or squeezed in {p.replace(" ", "") for p in phrases}:
            return campaign
    return None


def is_its_name(text: str, campaign: Campaign) -> bool:
    """`text` is the campaign's name (not its slug or a hashtag): words that could name a place too."""
    return _normalize(text) == _normalize(campaign.name)


def match_campaign(text: str, campaigns: Sequence[Campaign]) -> Campaign | None:
    """An exact match, else the first campaign naming every word typed: `nnirr`, `refugees`."""
    found = exact_match(text, campaigns)
    if found is not None:
        return found
    words = _normalize(text).split()
    if not words:
        return None
    return next((c for c in campaigns if all(w in _normalize(c.name).split() or w in _normalize(c.slug).split() for w in words)), None)


def in_listing_order(campaigns: Sequence[Campaign], today: date) -> list[Campaign]:
    """Running and coming campaigns first (soonest first), then those without dates, then past ones (latest first)."""
    def key(c: Campaign) -> tuple:
        if c.starts_on is None:
            return (1, 0, c.name.casefold())
        if (c.ends_on or c.starts_on) >= today:
            return (0, c.starts_on.toordinal(), c.name.casefold())
        return (2, -(c.ends_on or c.starts_on).toordinal(), c.name.casefold())
    return sorted(campaigns, key=key)


# --- bits of text -------------------------------------------------------------


def dates_plain(campaign: Campaign) -> str | None:
    """The seed's own wording for shipped campaigns, else the days; None without dates. Plain text."""
    if campaign.dates_text:
        return campaign.dates_text
    if campaign.starts_on is None:
        return None
    return days_text(campaign.starts_on, campaign.ends_on or campaign.starts_on)


def dates_text(campaign: Campaign) -> str | None:
    """`dates_plain`, escaped for mrkdwn."""
    plain = dates_plain(campaign)
    return mrkdwn.escape(plain) if plain else None


def status_text(campaign: Campaign, today: date) -> str:
    if campaign.starts_on is None:
        return "No set dates"
    last = campaign.ends_on or campaign.starts_on
    if last < today:
        return "Over"
    if campaign.starts_on <= today:
        return ":large_green_circle: On now"
    days = (campaign.starts_on - today).days
    return "Starts tomorrow" if days == 1 else f"Starts in {days} days"


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": shorten(text, SECTION_TEXT)}}


def _context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": shorten(text, SECTION_TEXT)}]}


# --- /campaign list -------------------------------------------------------------


def _about(campaign: Campaign, today: date) -> str:
    """`Jan 27-Feb 3, 2018 · Over · #WhereRTheRefugees #LetThemIn`"""
    return " · ".join(part for part in (dates_text(campaign), status_text(campaign, today), hashtags_text(campaign)) if part)


def _list_entry(campaign: Campaign, today: date) -> str:
    return f"*{mrkdwn.escape(shorten(campaign.name, 200))}* · `/campaign show {campaign.slug}`\n{_about(campaign, today)}"


def campaign_list(campaigns: Sequence[Campaign], today: date) -> list[dict]:
    if not campaigns:
        return [_section(NO_CAMPAIGNS)]
    entries = "\n\n".join(_list_entry(c, today) for c in campaigns)
    pieces = split_text(entries, SECTION_TEXT)
    blocks = [_section(f"*Campaigns* ({len(campaigns)})"), {"type": "divider"}]
    room = MESSAGE_BLOCKS - len(blocks) - 1
    blocks += [_section(piece) for piece in pieces[:room]]
    blocks.append(_context("Details: `/campaign show <name>` · a new one: `/campaign new`"))
    return blocks


# --- /campaign show -------------------------------------------------------------


@dataclass(frozen=True)
class CampaignPage:
    campaign: Campaign
    totals: CampaignTotals
    upcoming: list[Event]
    more_upcoming: bool
    toolkits: list[ContentTopic] = field(default_factory=list)
    posts: list[ContentPost] = field(default_factory=list)
    links: PublicLinks | None = None  # to its public page and its events' pages, when PUBLIC_BASE_URL is set


def _totals_fields(totals: CampaignTotals) -> dict:
    figures = (("Events", totals.events), ("Upcoming", totals.upcoming), ("Going (RSVPs)", totals.rsvps), ("States", totals.states))
    return {"type": "section", "fields": [{"type": "mrkdwn", "text": f"*{label}*\n{value}"} for label, value in figures]}


def _upcoming_section(page: CampaignPage) -> dict:
    slug = page.campaign.slug
    if not page.upcoming:
        return _section("*Upcoming events*\nNone yet. Register one with `/event new` and pick this campaign.")
    lines = "\n".join(list_line(e, links=page.links) for e in page.upcoming)
    more = f"\nAll of them: `/event list campaign {slug}`" if page.more_upcoming else ""
    return _section(f"*Upcoming events*\n{lines}{more}")


def _toolkits_section(page: CampaignPage) -> dict:
    if not page.toolkits:
        return _section("*Toolkits*\nNone of its own; `/toolkit` lists every toolkit.")
    lines = "\n".join(f"• {mrkdwn.escape(t.title)} · `/toolkit {t.slug}`" for t in page.toolkits)
    return _section(f"*Toolkits*\n{lines}")


def _posts_section(page: CampaignPage) -> dict:
    if not page.posts:
        return _section("*Sample posts*\nNone yet: add one with `/posts add`.")
    tweets = sum(1 for p in page.posts if p.platform == "twitter")
    count = f"{_count(tweets, 'tweet')}, {_count(len(page.posts) - tweets, 'Facebook post')}"
    samples = "\n".join(f">{mrkdwn.escape(shorten(' '.join(p.text.split()), 280))}" for p in page.posts[:SHOWN_POSTS])
    return _section(f"*Sample posts* ({count})\n{samples}\nPost them here with share links: `/posts {page.campaign.slug}`")


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}{'' if n == 1 else 's'}"


def campaign_page(page: CampaignPage, today: date) -> list[dict]:
    """One campaign: call to action, dates, hashtags, totals, upcoming events, toolkits and sample posts."""
    campaign = page.campaign
    blocks = [_section(f"*{mrkdwn.escape(campaign.name)}*"), _context(_about(campaign, today))]
    if campaign.call_to_action:
        blocks.append(_section(f":point_right: *What to do*\n{mrkdwn.escape(campaign.call_to_action)}"))
    if campaign.description:
        blocks.append(_section(mrkdwn.escape(campaign.description)))
    blocks += [
        _totals_fields(page.totals),
        {"type": "divider"},
        _upcoming_section(page),
        _toolkits_section(page),
        _posts_section(page),
        _context(f"`/campaign edit {campaign.slug}` changes it (its creator or a workspace admin)"),
    ]
    if page.links:
        blocks.insert(2, _context(f"{mrkdwn.link(page.links.campaign_page(campaign), 'Public page')}: its call to action, "
                                  "events, map and sample posts, to share"))
    return blocks


# --- the modal ------------------------------------------------------------------


@dataclass
class CampaignFormValues:
    """What the modal shows: empty for a new campaign, or a campaign's current values."""

    slug: str | None = None  # the campaign being edited
    name: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    hashtags: list[str] = field(default_factory=list)
    description: str | None = None
    call_to_action: str | None = None


def form_values(campaign: Campaign) -> CampaignFormValues:
    single_day = campaign.ends_on == campaign.starts_on
    return CampaignFormValues(
        slug=campaign.slug, name=campaign.name, starts_on=campaign.starts_on, ends_on=None if single_day else campaign.ends_on,
        hashtags=list(campaign.hashtags), description=campaign.description, call_to_action=campaign.call_to_action,
    )


def _plain(text: str) -> dict:
    return {"type": "plain_text", "text": text}


def _input(block_id: str, label: str, element: dict, *, optional: bool = True, hint: str | None = None) -> dict:
    block = {"type": "input", "block_id": block_id, "label": _plain(label), "element": element, "optional": optional}
    if hint:
        block["hint"] = _plain(hint)
    return block


def _text(action: str, value: str | None, max_length: int, *, placeholder: str | None = None, multiline: bool = False) -> dict:
    element = {"type": "plain_text_input", "action_id": action, "max_length": max_length, "multiline": multiline}
    if value:
        element["initial_value"] = value
    if placeholder:
        element["placeholder"] = _plain(placeholder)
    return element


def _datepicker(action: str, value: date | None) -> dict:
    element = {"type": "datepicker", "action_id": action}
    if value:
        element["initial_date"] = value.isoformat()
    return element


def campaign_form(values: CampaignFormValues) -> dict:
    editing = values.slug is not None
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": _plain(shorten("Edit campaign" if editing else "New campaign", MODAL_TITLE)),
        "submit": _plain("Save" if editing else "Create"),
        "close": _plain("Cancel"),
        "private_metadata": json.dumps({"slug": values.slug}),
        "blocks": [
            _input(NAME, "Name", _text(NAME, values.name, CAMPAIGN_NAME_MAX, placeholder="National Week of Action: #WhereRTheRefugees"), optional=False),
            _input(STARTS_ON, "First day", _datepicker(STARTS_ON, values.starts_on), hint="Leave both days empty for a campaign without set dates."),
            _input(ENDS_ON, "Last day", _datepicker(ENDS_ON, values.ends_on), hint="For a week of action; leave empty for a single day."),
            _input(HASHTAGS, "Hashtags", _text(HASHTAGS, " ".join(values.hashtags), HASHTAGS_MAX, placeholder="#WhereRTheRefugees #LetThemIn"),
                   hint="Shown on the cards and digests of its events."),
            _input(CALL_TO_ACTION, "Call to action", _text(CALL_TO_ACTION, values.call_to_action, CAMPAIGN_TEXT_MAX, multiline=True,
                                                           placeholder="Find an event near you or register your own.")),
            _input(DESCRIPTION, "Description", _text(DESCRIPTION, values.description, CAMPAIGN_TEXT_MAX, multiline=True)),
        ],
    }


def form_slug(view: dict) -> str | None:
    """The campaign an edit form is about; None for a new one or metadata that is not ours."""
    try:
        value = json.loads(view.get("private_metadata") or "{}").get("slug")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str) and value else None


def saved_view(campaign: Campaign, *, created: bool) -> dict:
    """What the modal turns into once saved (the submission's answer: nothing is posted)."""
    done = "created" if created else "saved"
    text = (f"*{mrkdwn.escape(campaign.name)}* is {done}.\n"
            f"• See it with `/campaign show {campaign.slug}`\n"
            f"• Pick it in the *Campaign* field of the event form\n"
            f"• List its events with `/event list campaign {campaign.slug}`")
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": _plain(f"Campaign {done}"),
        "close": _plain("Done"),
        "blocks": [_section(text)],
    }


# --- answers ----------------------------------------------------------------------

CAMPAIGN_HELP_TITLE = "How to use /campaign"
LIST_TITLE = "Campaigns"
SHOW_TITLE = "Campaign"
EDIT_REFUSED = "Only the person who created this campaign or a workspace admin can edit it."
NOT_A_DATE = "That date is not valid."
NO_CAMPAIGNS = "No campaigns yet. Create one with `/campaign new`."
GIVE_A_NAME = "Give the campaign a name."
FIRST_DAY_TOO = "Give the first day too, or clear the last day."
LAST_BEFORE_FIRST = "The last day cannot be before the first day."
CAMPAIGN_GONE = "This campaign no longer exists."


def too_long(limit: int, length: int) -> str:
    return f"Please keep this under {limit} characters (it has {length})."


def not_a_hashtag(token: str) -> str:
    return f"“{shorten(token, 50)}” isn't a hashtag: use # and letters, digits or _, like #WhereRTheRefugees."


def too_many_hashtags() -> str:
    return f"Up to {MAX_HASHTAGS} hashtags, please."


def name_taken(campaign: Campaign) -> str:
    return f"There is already a campaign called “{shorten(campaign.name, 100)}” ({campaign.slug})."


def unknown_campaign_subcommand(name: str) -> str:
    return (f"I don't know `/campaign {mrkdwn.escape(shorten(name, 50))}`. "
            "Try `/campaign list`, `/campaign show where r the refugees` or `/campaign help`.")


def which_campaign(usage: str) -> str:
    return f"Which campaign? Give its name, slug or hashtag, like `{usage}` (see `/campaign list`)."


def no_such_campaign(text: str, campaigns: Sequence[Campaign]) -> str:
    names = ", ".join(f"`{c.slug}`" for c in campaigns[:10])
    known = f" Campaigns: {names}." if names else ""
    return f"I don't know the campaign “{mrkdwn.escape(shorten(text, 100))}”.{known} See `/campaign list`."


def refusal(campaign: Campaign) -> str:
    name = mrkdwn.escape(shorten(campaign.name, 100))
    if campaign.created_by:
        return f"Only the person who created the campaign “{name}” ({mrkdwn.user(campaign.created_by)}) or a workspace admin can edit it."
    return f"Only a workspace admin can edit the campaign “{name}”: it came with the bot."


def campaign_option_text(campaign: Campaign) -> str:
    return shorten(campaign.name, OPTION_TEXT)
