"""The App Home: the person's upcoming events, quick buttons, their language, and for staff the
campaign dashboard; the modals its buttons open (events near me, toolkits, sample posts).

A Home is one view of at most 100 blocks (messages.limits.VIEW_BLOCKS), whatever the history:
every list on it shows a page at a time, with Previous and Next, and every text is cut to its
limit. At most: 17 blocks for the person's part, 33 for the dashboard.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from messages import blockkit, mrkdwn
from messages import campaigns as campaign_text
from messages import events as event_text
from messages import posts as post_text
from messages import toolkit as toolkit_text
from messages.i18n import LANGUAGES, catalog
from messages.languages import in_words, name_of
from messages.limits import (
    MODAL_TITLE,
    OPTION_TEXT,
    SELECT_OPTIONS,
    VIEW_BLOCKS,
    shorten,
)
from messages.links import PublicLinks
from messages.plural import number
from storage.dashboard import (
    MISSING_ADDRESS,
    MISSING_CONTACT,
    MISSING_TIME,
    GapPage,
    Overview,
)
from storage.homes import ALL_EVENTS
from storage.models import (
    Campaign,
    ContentNote,
    ContentPost,
    ContentTopic,
    Event,
    EventType,
)
from storage.reports import Totals

_, ngettext, pgettext = catalog("home")

# Action ids and callback ids the handlers listen for; defined here so views and listeners agree.
NEW_EVENT_ACTION = "home_new_event"
NEAR_ACTION = "home_near"
TOOLKITS_ACTION = "home_toolkits"
POSTS_ACTION = "home_posts"
LANGUAGE_ACTION = "home_language"
CAMPAIGN_ACTION = "home_campaign"
PAGE_ACTION = "home_page"  # + `_<list>_<previous|next>`; the value is `<list>:<first row shown>`
TOOLKIT_OPEN_ACTION = (
    "home_toolkit_open"  # + `_<n>`, the value a toolkit's slug (the toolkit list's own buttons, retargeted)
)
NEAR_PAGE_ACTION = "home_near_page"  # + `_previous|_next` (the near list's own buttons, retargeted)
NEAR_CALLBACK_ID = "home_near"
NEAR_PLACE = "near_place"  # block and action id of the place typed in
NEAR_RADIUS = "near_radius"
FOLLOW_SLACK = "slack"  # the language option that follows the person's Slack

# The lists of the Home, by the name their page is kept under (storage.homes.turn_page).
MINE = "mine"
GAPS = (MISSING_CONTACT, MISSING_ADDRESS, MISSING_TIME)
LISTS = (MINE, *GAPS)
MINE_PAGE = 10
GAP_PAGE = 5
PENDING_SHOWN = 5
MAX_START = 1_000_000  # a page value beyond this is not ours
MINE_SHOWN = 500  # the person's own events are paged this far (`/event list` has everything)
RADII = (10, 25, 50, 100, 250, 500)  # the near modal's choices, in miles


# --- what a Home shows ------------------------------------------------------------------------


@dataclass(frozen=True)
class MyEventsPage:
    """A page of the person's upcoming events (storage.events.events_of) and what they are to each."""

    events: list[Event]
    start: int
    has_next: bool
    co_hosting: set[int]
    going: set[int]
    going_counts: dict[int, int]  # how many go to each event they host


@dataclass(frozen=True)
class Dashboard:
    """The staff's view of one campaign (or of every event of the workspace)."""

    campaigns: list[Campaign]  # to choose from, in listing order
    campaign: Campaign | None  # None: every event of the workspace
    today: date
    overview: Overview
    reports: Totals
    pending: list[Event]  # the first few waiting for review, of the whole workspace
    pending_count: int
    review_channel: str | None
    gaps: list[GapPage]


@dataclass(frozen=True)
class Home:
    user_id: str
    mine: MyEventsPage
    chosen_language: str | None  # None: they follow their Slack's
    slack_language: str
    dashboard: Dashboard | None = None  # staff only
    links: PublicLinks | None = None


def _option(label: str, value: str) -> dict:
    return {"text": blockkit.plain(label, OPTION_TEXT, emoji=True), "value": value}


def home_view(home: Home) -> dict:
    blocks = _person_part(home)
    if home.dashboard is not None:
        blocks += _dashboard(home.dashboard, home.links)
    return {"type": "home", "blocks": _within_view(blocks)}


def _within_view(blocks: list[dict]) -> list[dict]:
    """Never over Slack's 100 blocks, whatever went in (each part is bounded: this is the guard)."""
    if len(blocks) <= VIEW_BLOCKS:
        return blocks
    return blocks[: VIEW_BLOCKS - 1] + [blockkit.context(_("There is more than this page can show."))]


# --- the person's part ------------------------------------------------------------------------


def _person_part(home: Home) -> list[dict]:
    greeting = _(
        ":wave: Hi {person}! Register your actions, find events near you and share the coalition's toolkits, "
        "all from here."
    ).format(person=mrkdwn.user(home.user_id))
    quick = {
        "type": "actions",
        "elements": [
            blockkit.button(NEW_EVENT_ACTION, pgettext("button", "New event"), style="primary"),
            blockkit.button(NEAR_ACTION, pgettext("button", "Find events near me")),
            blockkit.button(TOOLKITS_ACTION, pgettext("button", "Toolkits")),
            blockkit.button(POSTS_ACTION, pgettext("button", "Sample posts")),
        ],
    }
    return [
        blockkit.section(greeting),
        quick,
        _language_section(home),
        {"type": "divider"},
        blockkit.header(_("Your upcoming events")),
        *_my_events(home.mine, home.user_id, home.links),
    ]


def _language_section(home: Home) -> dict:
    speaking = home.chosen_language or home.slack_language
    if home.chosen_language:
        text = _("*Language:* I speak to you in {language}, as you chose here.")
    else:
        text = _("*Language:* I speak to you in {language}, the language of your Slack.")
    # TRANSLATORS: an option of the language menu; {language} is the language of the person's Slack, named in itself.
    options = [
        _option(_("My Slack's language ({language})").format(language=name_of(home.slack_language)), FOLLOW_SLACK)
    ]
    options += [_option(name_of(code), code) for code in LANGUAGES]
    chosen = next((o for o in options if o["value"] == home.chosen_language), options[0])
    select = {
        "type": "static_select",
        "action_id": LANGUAGE_ACTION,
        "placeholder": blockkit.plain(pgettext("menu", "Language"), OPTION_TEXT, emoji=True),
        "options": options,
        "initial_option": chosen,
    }
    return blockkit.section(text.format(language=in_words(speaking)), select)


def language_choice(value: str | None) -> tuple[bool, str | None]:
    """(understood, the language chosen or None to follow Slack's) from the menu's value."""
    if value == FOLLOW_SLACK:
        return True, None
    return (True, value) if value in LANGUAGES else (False, None)


def _my_events(page: MyEventsPage, user_id: str, links: PublicLinks | None) -> list[dict]:
    if not page.events:
        return [
            blockkit.section(
                _(
                    "Nothing coming up: no events you registered, co-host or said you're going to. "
                    "*Find events near me* above, or `/event list`, shows what's on."
                )
            )
        ]
    blocks = [
        blockkit.section(_with_part(event_text.list_line(event, links=links), _my_part(event, page, user_id)))
        for event in page.events
    ]
    navigation = _navigation(MINE, page.start, MINE_PAGE, has_next=page.has_next)
    if navigation:
        blocks.append(navigation)
    first, last = page.start + 1, page.start + len(page.events)
    blocks.append(
        blockkit.context(
            _("Events {first}–{last}. Details: `/event show <id>`; all of them: `/event mine`.").format(
                first=number(first), last=number(last)
            )
        )
    )
    return blocks


def _with_part(line: str, part: str) -> str:
    return f"{line}\n_{part}_" if part else line


def _my_part(event: Event, page: MyEventsPage, user_id: str) -> str:
    parts = []
    if event.created_by == user_id:
        parts.append(_("You registered it"))
    elif event.id in page.co_hosting:
        parts.append(_("You co-host it"))
    if parts:
        going = page.going_counts.get(event.id, 0)
        parts.append(ngettext("{count} going", "{count} going", going).format(count=number(going)))
    if event.id in page.going:
        parts.append(_("You're going"))
    return " · ".join(parts)


def _navigation(name: str, start: int, size: int, *, has_next: bool) -> dict | None:
    buttons = []
    if start > 0:
        buttons.append(
            blockkit.button(
                f"{PAGE_ACTION}_{name}_previous", pgettext("button", "Previous"), page_value(name, max(start - size, 0))
            )
        )
    if has_next:
        buttons.append(
            blockkit.button(f"{PAGE_ACTION}_{name}_next", pgettext("button", "Next"), page_value(name, start + size))
        )
    return {"type": "actions", "elements": buttons} if buttons else None


def page_value(name: str, start: int) -> str:
    return f"{name}:{start}"


def parse_page_value(value: str | None) -> tuple[str, int] | None:
    """A page button's value: which list, and its first row; None for a value not ours."""
    name, _sep, start = (value or "").partition(":")
    if name not in LISTS or not (start.isascii() and start.isdigit() and len(start) <= 7 and int(start) <= MAX_START):
        return None
    return name, int(start)


# --- the dashboard ----------------------------------------------------------------------------


def _dashboard(board: Dashboard, links: PublicLinks | None) -> list[dict]:
    figures = board.overview
    blocks = [
        {"type": "divider"},
        blockkit.header(_("Campaign dashboard")),
        blockkit.section(_scope_text(board), _campaign_menu(board)),
    ]
    blocks.append(
        {
            "type": "section",
            "fields": [
                {
                    "type": "mrkdwn",
                    "text": _("*Events*\n{count}, {upcoming} still to come").format(
                        count=number(figures.events), upcoming=number(figures.upcoming)
                    ),
                },
                {"type": "mrkdwn", "text": _("*RSVPs*\n{count}").format(count=number(figures.rsvps))},
                {
                    "type": "mrkdwn",
                    "text": _("*Waiting for review*\n{count}").format(count=number(board.pending_count)),
                },
                {
                    "type": "mrkdwn",
                    "text": _("*Reports in*\n{reports} of {events}").format(
                        reports=number(board.reports.reports), events=number(board.reports.events)
                    ),
                },
            ],
        }
    )
    if figures.events:
        no_state = _("no state")
        blocks.append(
            blockkit.section(
                _("*By state:* {counts}").format(
                    counts=" · ".join(
                        f"{mrkdwn.escape(state) if state else no_state} {number(count)}"
                        for state, count in figures.by_state
                    )
                )
            )
        )
        blocks.append(
            blockkit.section(
                _("*By type:* {counts}").format(
                    counts=" · ".join(
                        f"{event_text.TYPE_EMOJI[kind]} {_type_label(kind)} {number(count)}"
                        for kind, count in figures.by_type
                    )
                )
            )
        )
    blocks.append(_pending(board, links))
    blocks.append(blockkit.section(_reports_text(board.reports)))
    for page in board.gaps:
        blocks += _gap(page, links)
    blocks.append(
        blockkit.context(
            _(
                "Counted: events not cancelled or rejected, those waiting for review included. Gaps are "
                "looked for in events still to come; fix one with `/event edit <id>`."
            )
        )
    )
    return blocks


def _type_label(kind: EventType) -> str:
    """The label a card shows for the type, from the one place it is written (messages.events)."""
    return event_text.type_label(Event(event_type=kind.value))


def _scope_text(board: Dashboard) -> str:
    campaign = board.campaign
    if campaign is None:
        return _("*All events* of this workspace. Choose a campaign to see its own:")
    about = " · ".join(
        part for part in (campaign_text.dates_text(campaign), campaign_text.status_text(campaign, board.today)) if part
    )
    return f"*{mrkdwn.escape(shorten(campaign.name, 200))}*" + (f"\n{about}" if about else "")


def _campaign_menu(board: Dashboard) -> dict:
    options = [_option(_("All events"), ALL_EVENTS)]
    options += [_option(campaign_text.campaign_option_text(c), c.slug) for c in board.campaigns[: SELECT_OPTIONS - 1]]
    current = board.campaign.slug if board.campaign is not None else ALL_EVENTS
    menu = {
        "type": "static_select",
        "action_id": CAMPAIGN_ACTION,
        "placeholder": blockkit.plain(pgettext("menu", "Campaign"), OPTION_TEXT, emoji=True),
        "options": options,
    }
    if chosen := next((o for o in options if o["value"] == current), None):
        menu["initial_option"] = chosen
    return menu


def _pending(board: Dashboard, links: PublicLinks | None) -> dict:
    if not board.pending_count:
        return blockkit.section(
            _(
                ":inbox_tray: *Waiting for review:* nothing. While review is on (`/event review`), new events by "
                "members wait for an admin's approval."
            )
        )
    where = mrkdwn.channel(board.review_channel) if board.review_channel else _("the review channel")
    text = ngettext(
        ":inbox_tray: *{count} event waits for review* (in every campaign). Approve or reject it with its buttons in {channel}; "
        "its host is told by DM either way.",
        ":inbox_tray: *{count} events wait for review* (in every campaign). Approve or reject each one with its buttons in "
        "{channel}; its host is told by DM either way.",
        board.pending_count,
    ).format(count=number(board.pending_count), channel=where)
    lines = [text, *(event_text.list_line(event, links=links) for event in board.pending)]
    if board.pending_count > len(board.pending):
        lines.append(
            _("…and {count} more in {channel}.").format(
                count=number(board.pending_count - len(board.pending)), channel=where
            )
        )
    return blockkit.section("\n".join(lines))


def _reports_text(totals: Totals) -> str:
    if not totals.events:
        return _(
            ":bar_chart: *Reports:* no event has taken place yet. Hosts are asked how it went when their event is over."
        )
    text = ngettext(
        ":bar_chart: *Reports in so far:* {reports} of {events} event that took place",
        ":bar_chart: *Reports in so far:* {reports} of {events} events that took place",
        totals.events,
    )
    people = ngettext("{count} person", "{count} people", totals.people).format(count=number(totals.people))
    press = ngettext("{count} press hit", "{count} press hits", totals.press_hits).format(
        count=number(totals.press_hits)
    )
    line = text.format(reports=number(totals.reports), events=number(totals.events))
    return (
        _("{reports} · {people} · {press}").format(reports=line, people=people, press=press)
        + "\n"
        + _("Hosts are asked by DM once their event is over; they can also answer with `/event report <id>`.")
    )


def _gap_heading(page: GapPage) -> str:
    count, n = number(page.total), page.total
    if page.gap == MISSING_CONTACT:
        if not n:
            return _("*Missing a contact:* nothing to fix :white_check_mark:")
        return ngettext(
            "*Missing a contact:* {count} event to come has no lead contact name or email.",
            "*Missing a contact:* {count} events to come have no lead contact name or email.",
            n,
        ).format(count=count)
    if page.gap == MISSING_ADDRESS:
        if not n:
            return _("*Missing an address:* nothing to fix :white_check_mark:")
        return ngettext(
            "*Missing an address:* {count} event to come has no street address and no online link.",
            "*Missing an address:* {count} events to come have no street address and no online link.",
            n,
        ).format(count=count)
    if not n:
        return _("*Missing a time:* nothing to fix :white_check_mark:")
    return ngettext(
        "*Missing a time:* {count} event to come is set as all day, though its type happens at an hour "
        "(only call-in days and social media pushes run all day).",
        "*Missing a time:* {count} events to come are set as all day, though their type happens at an hour "
        "(only call-in days and social media pushes run all day).",
        n,
    ).format(count=count)


def _gap(page: GapPage, links: PublicLinks | None) -> list[dict]:
    blocks = [blockkit.section(_gap_heading(page))]
    if not page.events:
        return blocks
    blocks += [blockkit.section(event_text.list_line(event, links=links)) for event in page.events]
    last = page.start + len(page.events)
    navigation = _navigation(page.gap, page.start, GAP_PAGE, has_next=last < page.total)
    if navigation:
        blocks.append(navigation)
        blocks.append(
            blockkit.context(
                _("{first}–{last} of {total}").format(
                    first=number(page.start + 1), last=number(last), total=number(page.total)
                )
            )
        )
    return blocks


# --- events near me ---------------------------------------------------------------------------


def near_modal(place_text: str, radius: int, page: event_text.NearPage | None = None) -> dict:
    """The place and radius to search (as typed last), and the answer under them once searched.
    The near list's page buttons are retargeted to the modal's own (a modal has no response URL)."""
    radii = sorted({*RADII, radius})
    options = [
        _option(ngettext("{count} mile", "{count} miles", miles).format(count=number(miles)), str(miles))
        for miles in radii
    ]
    place = {
        "type": "plain_text_input",
        "action_id": NEAR_PLACE,
        "max_length": 100,
        "placeholder": blockkit.plain(_("95356, or Denver, CO"), 150, emoji=True),
    }
    if place_text:
        place["initial_value"] = place_text
    blocks = [
        {
            "type": "input",
            "block_id": NEAR_PLACE,
            "label": blockkit.plain(_("ZIP code or city"), 2000, emoji=True),
            "element": place,
            "hint": blockkit.plain(_("A ZIP code, or a city and its state."), 2000, emoji=True),
        },
        {
            "type": "input",
            "block_id": NEAR_RADIUS,
            "label": blockkit.plain(_("Within"), 2000, emoji=True),
            "element": {
                "type": "static_select",
                "action_id": NEAR_RADIUS,
                "options": options,
                "initial_option": next(o for o in options if o["value"] == str(radius)),
            },
        },
    ]
    if page is not None:
        blocks += [
            {"type": "divider"},
            *_retargeted(event_text.near_list(page), event_text.NEAR_PAGE_ACTION, NEAR_PAGE_ACTION),
        ]
    return {
        "type": "modal",
        "callback_id": NEAR_CALLBACK_ID,
        "title": blockkit.plain(_("Find events near me"), MODAL_TITLE, emoji=True),
        "submit": blockkit.plain(pgettext("button", "Search"), MODAL_TITLE, emoji=True),
        "close": blockkit.plain(pgettext("button", "Close"), MODAL_TITLE, emoji=True),
        "private_metadata": json.dumps({"place": place_text, "radius": radius}),
        "blocks": blocks[:VIEW_BLOCKS],
    }


def near_search(view: dict) -> tuple[str, int | None]:
    """What the near modal was submitted with: the place as typed, and the radius chosen (None: not one of ours)."""
    values = (view.get("state") or {}).get("values") or {}
    typed = ((values.get(NEAR_PLACE) or {}).get(NEAR_PLACE) or {}).get("value")
    chosen = (((values.get(NEAR_RADIUS) or {}).get(NEAR_RADIUS) or {}).get("selected_option") or {}).get("value")
    return " ".join(typed.split())[:100] if isinstance(typed, str) else "", _radius(chosen)


def near_searched(view: dict) -> tuple[str, int | None]:
    """The place and radius the modal's answer is for, as its page buttons page through it."""
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        data = {}
    data = data if isinstance(data, dict) else {}
    place = data.get("place")
    return (place if isinstance(place, str) else ""), _radius(str(data.get("radius")))


def _radius(value: str | None) -> int | None:
    return (
        int(value) if isinstance(value, str) and value.isascii() and value.isdigit() and int(value) in RADII else None
    )


def near_page_start(value: str | None) -> int:
    return event_text.parse_page_value(value or "")[0]


def unknown_place(text: str) -> str:
    return _("I don't know “{place}”. Type a ZIP code (95356) or a city with its state (Denver, CO).").format(
        place=shorten(text, 100)
    )


def type_a_place() -> str:
    return _("Type a ZIP code (95356) or a city with its state (Denver, CO).")


def _retargeted(blocks: list[dict], prefix: str, replacement: str) -> list[dict]:
    """The blocks with the action ids starting with `prefix` started with `replacement` instead."""
    blocks = copy.deepcopy(blocks)
    for block in blocks:
        for element in [*block.get("elements", []), *([block["accessory"]] if "accessory" in block else [])]:
            action = element.get("action_id", "")
            if action.startswith(prefix):
                element["action_id"] = replacement + action[len(prefix) :]
    return blocks


# --- toolkits and sample posts ----------------------------------------------------------------


def _list_modal(title: str, blocks: list[dict]) -> dict:
    if len(blocks) > VIEW_BLOCKS:
        blocks = blocks[: VIEW_BLOCKS - 1] + [blockkit.context(_("There is more than this page can show."))]
    return {
        "type": "modal",
        "title": blockkit.plain(title, MODAL_TITLE, emoji=True),
        "close": blockkit.plain(pgettext("button", "Close"), MODAL_TITLE, emoji=True),
        "blocks": blocks,
    }


def toolkits_modal(topics: Sequence[ContentTopic]) -> dict:
    """The toolkits as `/toolkit` lists them, each opening here."""
    intro = _(
        "*Toolkits*: open one to read its steps. To post one in a channel for your team, type `/toolkit <topic>` there."
    )
    listed = [block for group in toolkit_text.topic_list(topics, intro=intro) for block in group]
    return _list_modal(
        pgettext("title", "Toolkits"), _retargeted(listed, toolkit_text.OPEN_ACTION, TOOLKIT_OPEN_ACTION)
    )


def toolkit_modal(topic: ContentTopic, notes: Sequence[ContentNote]) -> dict:
    """One toolkit as `/toolkit <topic>` shows it, without its buttons for a channel (a modal has none)."""
    for_a_channel = {toolkit_text.SHARE_ACTION, toolkit_text.ADD_NOTE_ACTION}
    blocks = [
        block
        for group in toolkit_text.toolkit_messages(topic, notes)
        for block in group
        if not any(element.get("action_id") in for_a_channel for element in block.get("elements", []))
    ]
    blocks.append(
        blockkit.context(
            _("To share it with your team, type `/toolkit {topic}` in their channel.").format(topic=topic.slug)
        )
    )
    return _list_modal(pgettext("title", "Toolkit"), blocks)


# The word `/posts` takes for each platform (a command's word: typed as is, in every language).
_POSTS_WORD = {post_text.TWITTER: "tweets", post_text.FACEBOOK: "facebook"}


def posts_modal(posts: Sequence[ContentPost], campaigns: Sequence[Campaign]) -> dict:
    """Which sample posts there are, and the command that posts each set in a channel."""
    intro = _(
        "The coalition's sample tweets and Facebook posts go into a channel, ready to share, with `/posts`. "
        "Add your official's handle to fill it in (`/posts tweets @SenatorHandle`)."
    )
    blocks = [blockkit.section(intro), {"type": "divider"}]
    named = {c.slug: c for c in campaigns}
    for platform, word in _POSTS_WORD.items():
        of_platform = [p for p in posts if p.platform == platform]
        if not of_platform:
            continue
        sets = [(None, of_platform)] + [
            (named[slug], [p for p in of_platform if p.campaign == slug])
            for slug in dict.fromkeys(p.campaign for p in of_platform)
            if slug in named
        ]
        for campaign, shown in sets:
            query = post_text.PostQuery(platform=platform, campaign=campaign.slug if campaign else None)
            command = f"/posts {word} {campaign.slug}" if campaign else f"/posts {word}"
            count = ngettext("{count} post", "{count} posts", len(shown)).format(count=number(len(shown)))
            blocks.append(
                blockkit.section(
                    _("{kind} · {count}\n`{command}`").format(
                        kind=post_text.heading(query, campaign), count=count, command=command
                    )
                )
            )
    if len(blocks) == 2:
        blocks.append(blockkit.section(_("No sample posts yet. Add your team's own with `/posts add`.")))
    return _list_modal(pgettext("title", "Sample posts"), blocks)
