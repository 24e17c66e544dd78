"""`/campaign`: matching a campaign by what people type, the campaign modal, the list and one
campaign's page. (The campaign line of cards and digests is messages.events.campaign_line.)

Everything a team typed (names, hashtags, descriptions, calls to action) is escaped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from messages import blockkit, mrkdwn
from messages.congress import coverage_blocks
from messages.events import days_text, hashtags_text, list_line
from messages.i18n import catalog
from messages.limits import MESSAGE_BLOCKS, MODAL_TITLE, OPTION_TEXT, SECTION_TEXT, shorten, split_text
from messages.links import PublicLinks
from messages.plural import number
from storage.congress import Coverage
from storage.events import CampaignTotals
from storage.models import CAMPAIGN_NAME_MAX, CAMPAIGN_TEXT_MAX, Campaign, ContentPost, ContentTopic, Event

_, ngettext, pgettext = catalog("campaigns")

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
    return next(
        (
            c
            for c in campaigns
            if all(w in _normalize(c.name).split() or w in _normalize(c.slug).split() for w in words)
        ),
        None,
    )


def tagged(texts: Iterable[str | None], campaigns: Sequence[Campaign], day: date) -> Campaign | None:
    """The campaign a hashtag in `texts` names (an event's title, then its details), the first
    hashtag naming one deciding; of campaigns sharing a hashtag, the one running on `day`.
    None: no hashtag names one campaign (then the event's date decides)."""
    for text in texts:
        for tag in HASHTAG.findall(text or ""):
            named = [c for c in campaigns if tag.casefold() in {h.casefold() for h in c.hashtags}]
            running = [c for c in named if c.starts_on and c.starts_on <= day <= (c.ends_on or c.starts_on)]
            for choice in (named, running):
                if len(choice) == 1:
                    return choice[0]
    return None


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
        # TRANSLATORS: a campaign's status in /campaign list, beside its dates and hashtags.
        return _("No set dates")
    last = campaign.ends_on or campaign.starts_on
    if last < today:
        # TRANSLATORS: a campaign's status: its days are past.
        return _("Over")
    if campaign.starts_on <= today:
        return _(":large_green_circle: On now")
    days = (campaign.starts_on - today).days
    if days == 1:
        return _("Starts tomorrow")
    return ngettext("Starts in {count} day", "Starts in {count} days", days).format(count=number(days))


# --- /campaign list -------------------------------------------------------------


def _about(campaign: Campaign, today: date) -> str:
    """`Jan 27-Feb 3, 2018 · Over · #WhereRTheRefugees #LetThemIn`"""
    return " · ".join(
        part for part in (dates_text(campaign), status_text(campaign, today), hashtags_text(campaign)) if part
    )


def _list_entry(campaign: Campaign, today: date) -> str:
    command = f"`/campaign show {campaign.slug}`"  # untranslated: a command as typed
    return f"*{mrkdwn.escape(shorten(campaign.name, 200))}* · {command}\n{_about(campaign, today)}"


def campaign_list(campaigns: Sequence[Campaign], today: date) -> list[dict]:
    if not campaigns:
        return [blockkit.section(no_campaigns())]
    entries = "\n\n".join(_list_entry(c, today) for c in campaigns)
    pieces = split_text(entries, SECTION_TEXT)
    blocks = [blockkit.section(_("*Campaigns* ({count})").format(count=number(len(campaigns)))), {"type": "divider"}]
    room = MESSAGE_BLOCKS - len(blocks) - 1
    blocks += [blockkit.section(piece) for piece in pieces[:room]]
    # TRANSLATORS: <name> stands for a campaign's name, typed after the command.
    blocks.append(blockkit.context(_("Details: `/campaign show <name>` · a new one: `/campaign new`")))
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
    congress: Coverage | None = None  # the members of Congress its events are for, and who is left


def _totals_fields(totals: CampaignTotals) -> dict:
    figures = (
        (pgettext("campaign totals", "Events"), totals.events),
        (pgettext("campaign totals", "Upcoming"), totals.upcoming),
        (pgettext("campaign totals", "Going (RSVPs)"), totals.rsvps),
        (pgettext("campaign totals", "States"), totals.states),
    )
    return {
        "type": "section",
        "fields": [{"type": "mrkdwn", "text": f"*{label}*\n{number(value)}"} for label, value in figures],
    }


def _upcoming_section(page: CampaignPage) -> dict:
    slug = page.campaign.slug
    if not page.upcoming:
        return blockkit.section(
            _("*Upcoming events*\nNone yet. Register one with `/event new` and pick this campaign.")
        )
    lines = "\n".join(list_line(e, links=page.links) for e in page.upcoming)
    more = "\n" + _("All of them: `/event list campaign {slug}`").format(slug=slug) if page.more_upcoming else ""
    return blockkit.section(_("*Upcoming events*\n{events}").format(events=lines) + more)


def _toolkits_section(page: CampaignPage) -> dict:
    if not page.toolkits:
        return blockkit.section(_("*Toolkits*\nNone of its own; `/toolkit` lists every toolkit."))
    lines = "\n".join(f"• {mrkdwn.escape(t.title)} · `/toolkit {t.slug}`" for t in page.toolkits)
    return blockkit.section(_("*Toolkits*\n{toolkits}").format(toolkits=lines))


def _posts_section(page: CampaignPage) -> dict:
    if not page.posts:
        return blockkit.section(_("*Sample posts*\nNone yet: add one with `/posts add`."))
    tweets = sum(1 for p in page.posts if p.platform == "twitter")
    facebook = len(page.posts) - tweets
    count = _("{tweets}, {facebook_posts}").format(
        tweets=ngettext("{count} tweet", "{count} tweets", tweets).format(count=number(tweets)),
        facebook_posts=ngettext("{count} Facebook post", "{count} Facebook posts", facebook).format(
            count=number(facebook)
        ),
    )
    samples = "\n".join(f">{mrkdwn.escape(shorten(' '.join(p.text.split()), 280))}" for p in page.posts[:SHOWN_POSTS])
    return blockkit.section(
        _("*Sample posts* ({count})\n{samples}\nPost them here with share links: `/posts {slug}`").format(
            count=count, samples=samples, slug=page.campaign.slug
        )
    )


def campaign_page(page: CampaignPage, today: date) -> list[dict]:
    """One campaign: call to action, dates, hashtags, totals, upcoming events, toolkits and sample posts."""
    campaign = page.campaign
    blocks = [blockkit.section(f"*{mrkdwn.escape(campaign.name)}*"), blockkit.context(_about(campaign, today))]
    if campaign.call_to_action:
        blocks.append(
            blockkit.section(
                _(":point_right: *What to do*\n{call_to_action}").format(
                    call_to_action=mrkdwn.escape(campaign.call_to_action)
                )
            )
        )
    if campaign.description:
        blocks.append(blockkit.section(mrkdwn.escape(campaign.description)))
    blocks += [
        _totals_fields(page.totals),
        {"type": "divider"},
        _upcoming_section(page),
        _toolkits_section(page),
        _posts_section(page),
        *(coverage_blocks(page.congress) if page.congress else []),
        blockkit.context(
            _("`/campaign edit {slug}` changes it (its creator or a workspace admin)").format(slug=campaign.slug)
        ),
    ]
    if page.links:
        blocks.insert(
            2,
            blockkit.context(
                _("{public_page}: its call to action, events, map and sample posts, to share").format(
                    public_page=mrkdwn.link(page.links.campaign_page(campaign), _("Public page"))
                )
            ),
        )
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
        slug=campaign.slug,
        name=campaign.name,
        starts_on=campaign.starts_on,
        ends_on=None if single_day else campaign.ends_on,
        hashtags=list(campaign.hashtags),
        description=campaign.description,
        call_to_action=campaign.call_to_action,
    )


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
        "title": blockkit.plain(_("Edit campaign") if editing else _("New campaign"), MODAL_TITLE),
        "submit": blockkit.plain(pgettext("button", "Save") if editing else pgettext("button", "Create")),
        "close": blockkit.plain(pgettext("button", "Cancel")),
        "private_metadata": json.dumps({"slug": values.slug}),
        "blocks": [
            # TRANSLATORS: an example of a campaign's name; the hashtag stays as it is.
            blockkit.input_block(
                NAME,
                _("Name"),
                blockkit.text_input(
                    NAME, values.name, CAMPAIGN_NAME_MAX, placeholder=_("National Week of Action: #WhereRTheRefugees")
                ),
                optional=False,
            ),
            blockkit.input_block(
                STARTS_ON,
                _("First day"),
                _datepicker(STARTS_ON, values.starts_on),
                hint=_("Leave both days empty for a campaign without set dates."),
                optional=True,
            ),
            blockkit.input_block(
                ENDS_ON,
                _("Last day"),
                _datepicker(ENDS_ON, values.ends_on),
                hint=_("For a week of action; leave empty for a single day."),
                optional=True,
            ),
            blockkit.input_block(
                HASHTAGS,
                _("Hashtags"),
                blockkit.text_input(
                    HASHTAGS, " ".join(values.hashtags), HASHTAGS_MAX, placeholder="#WhereRTheRefugees #LetThemIn"
                ),
                hint=_("Shown on the cards and digests of its events."),
                optional=True,
            ),
            blockkit.input_block(
                CALL_TO_ACTION,
                _("Call to action"),
                blockkit.text_input(
                    CALL_TO_ACTION,
                    values.call_to_action,
                    CAMPAIGN_TEXT_MAX,
                    multiline=True,
                    placeholder=_("Find an event near you or register your own."),
                ),
                optional=True,
            ),
            blockkit.input_block(
                DESCRIPTION,
                _("Description"),
                blockkit.text_input(DESCRIPTION, values.description, CAMPAIGN_TEXT_MAX, multiline=True),
                optional=True,
            ),
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
    name = mrkdwn.escape(campaign.name)
    done = _("*{name}* is created.") if created else _("*{name}* is saved.")
    text = (
        done.format(name=name)
        + "\n"
        + _(
            "• See it with `/campaign show {slug}`\n"
            "• Pick it in the *Campaign* field of the event form\n"
            "• List its events with `/event list campaign {slug}`"
        ).format(slug=campaign.slug)
    )
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": blockkit.plain(_("Campaign created") if created else _("Campaign saved"), MODAL_TITLE),
        "close": blockkit.plain(pgettext("button", "Done")),
        "blocks": [blockkit.section(text)],
    }


# --- answers ----------------------------------------------------------------------


def campaign_help_title() -> str:
    return _("How to use /campaign")


def list_title() -> str:
    """The answer's notification text (its blocks say the rest)."""
    return _("Campaigns")


def show_title() -> str:
    return _("Campaign")


def edit_refused() -> str:
    return _("Only the person who created this campaign or a workspace admin can edit it.")


def not_a_date() -> str:
    return _("That date is not valid.")


def no_campaigns() -> str:
    return _("No campaigns yet. Create one with `/campaign new`.")


def give_a_name() -> str:
    return _("Give the campaign a name.")


def first_day_too() -> str:
    return _("Give the first day too, or clear the last day.")


def last_before_first() -> str:
    return _("The last day cannot be before the first day.")


def campaign_gone() -> str:
    return _("This campaign no longer exists.")


def too_long(limit: int, length: int) -> str:
    return _("Please keep this under {limit} characters (it has {length}).").format(limit=limit, length=length)


def not_a_hashtag(token: str) -> str:
    return _("“{text}” isn't a hashtag: use # and letters, digits or _, like #WhereRTheRefugees.").format(
        text=shorten(token, 50)
    )


def too_many_hashtags() -> str:
    return _("Up to {count} hashtags, please.").format(count=number(MAX_HASHTAGS))


def name_taken(campaign: Campaign) -> str:
    return _("There is already a campaign called “{name}” ({slug}).").format(
        name=shorten(campaign.name, 100), slug=campaign.slug
    )


def unknown_campaign_subcommand(name: str) -> str:
    return _(
        "I don't know `/campaign {name}`. Try `/campaign list`, `/campaign show where r the refugees` or `/campaign help`."
    ).format(name=mrkdwn.escape(shorten(name, 50)))


def which_campaign(usage: str) -> str:
    return _("Which campaign? Give its name, slug or hashtag, like `{usage}` (see `/campaign list`).").format(
        usage=usage
    )


def no_such_campaign(text: str, campaigns: Sequence[Campaign]) -> str:
    unknown = mrkdwn.escape(shorten(text, 100))
    names = ", ".join(f"`{c.slug}`" for c in campaigns[:10])
    if names:
        return _("I don't know the campaign “{text}”. Campaigns: {slugs}. See `/campaign list`.").format(
            text=unknown, slugs=names
        )
    return _("I don't know the campaign “{text}”. See `/campaign list`.").format(text=unknown)


def refusal(campaign: Campaign) -> str:
    name = mrkdwn.escape(shorten(campaign.name, 100))
    if campaign.created_by:
        return _(
            "Only the person who created the campaign “{name}” ({person}) or a workspace admin can edit it."
        ).format(name=name, person=mrkdwn.user(campaign.created_by))
    return _("Only a workspace admin can edit the campaign “{name}”: it came with the bot.").format(name=name)


def campaign_option_text(campaign: Campaign) -> str:
    return shorten(campaign.name, OPTION_TEXT)
