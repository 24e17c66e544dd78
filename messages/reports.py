"""Post-event reports: the question to hosts, the form, the note in the card's thread, and totals."""

from __future__ import annotations

from messages import mrkdwn
from messages.events import TYPE_EMOJI, type_label, when_text
from messages.limits import FALLBACK_TEXT, SECTION_TEXT, shorten
from messages.plural import counted
from storage.models import PRESS_LINKS_MAX, REPORT_TEXT_MAX, REPORT_URL_MAX, Event, EventReport
from storage.reports import Totals

REPORT_ACTION = "report_open"
REPORT_CALLBACK_ID = "event_report"
# Block ids, which are also the fields' names in validation errors.
TURNOUT = "turnout"
PRESS = "press_links"
OFFICIAL = "official_said"
PHOTOS = "photos_url"
NEXT_STEP = "next_step"
TURNOUT_MAX = 1_000_000


def _about(event: Event) -> str:
    return f"{TYPE_EMOJI[event.type]} *{mrkdwn.escape(shorten(event.title, 200))}* ({type_label(event)}, event #{event.id})"


# --- the question -----------------------------------------------------------------------------


def ask_fallback(event: Event) -> str:
    return shorten(f"How did it go? {mrkdwn.escape(event.title)} (event #{event.id})", FALLBACK_TEXT)


def ask_blocks(event: Event) -> list[dict]:
    text = (f":wave: *How did it go?* {_about(event)}, {when_text(event)}.\n"
            "Tell the coalition in a minute: turnout, press coverage, what the official said, photos and the next step. "
            "It goes in the card's thread and into the campaign's totals.")
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": shorten(text, SECTION_TEXT)}},
        {"type": "actions", "block_id": f"report_{event.id}", "elements": [
            {"type": "button", "action_id": REPORT_ACTION, "style": "primary",
             "text": {"type": "plain_text", "text": "Tell us how it went"}, "value": str(event.id)},
        ]},
    ]


# --- the form ------------------------------------------------------------------------------------


def _input(block_id: str, label: str, element: dict, hint: str | None = None) -> dict:
    block = {"type": "input", "block_id": block_id, "optional": True, "label": {"type": "plain_text", "text": label},
             "element": {"action_id": block_id, **element}}
    if hint:
        block["hint"] = {"type": "plain_text", "text": hint}
    return block


def _text(initial: str | None, *, multiline: bool = True, max_length: int = REPORT_TEXT_MAX) -> dict:
    element = {"type": "plain_text_input", "multiline": multiline, "max_length": max_length}
    if initial:
        element["initial_value"] = initial
    return element


def report_modal(event: Event, report: EventReport | None) -> dict:
    """The short form, with the report so far when there is one (hosts may edit it)."""
    turnout = {"type": "number_input", "is_decimal_allowed": False, "min_value": "0", "max_value": str(TURNOUT_MAX)}
    if report is not None and report.turnout is not None:
        turnout["initial_value"] = str(report.turnout)
    photos = {"type": "url_text_input"}
    if report is not None and report.photos_url:
        photos["initial_value"] = report.photos_url
    press = "\n".join(report.press_links) if report is not None else None
    return {
        "type": "modal",
        "callback_id": REPORT_CALLBACK_ID,
        "private_metadata": str(event.id),
        "title": {"type": "plain_text", "text": "How did it go?"},
        "submit": {"type": "plain_text", "text": "Save report"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": f"{_about(event)}\n{when_text(event)}"}},
            _input(TURNOUT, "Turnout", turnout, "How many people came (your best count)."),
            _input(PRESS, "Press coverage links", _text(press), f"One link a line, up to {PRESS_LINKS_MAX}."),
            _input(OFFICIAL, "What the official said", _text(report.official_said if report else None)),
            _input(PHOTOS, "Photos link", photos),
            _input(NEXT_STEP, "Next step", _text(report.next_step if report else None)),
        ],
    }


NOT_A_TURNOUT = f"Give the number of people, from 0 to {TURNOUT_MAX:,}."
TOO_MANY_LINKS = f"Up to {PRESS_LINKS_MAX} links, one a line."
PHOTOS_NOT_A_LINK = f"Give a link starting with https:// (under {REPORT_URL_MAX} characters)."


def not_a_link(line: str) -> str:
    return f"“{shorten(line, 60)}” isn't a link: give each one in full, starting with https://, one a line."


# --- answers -----------------------------------------------------------------------------------


def not_over_yet(event: Event) -> str:
    return f"Event #{event.id} hasn't started yet: I'll ask its hosts how it went once it's over."


def cannot_report(event: Event) -> str:
    return f"Only the hosts of event #{event.id} or a workspace admin can report how it went."


def not_announced(event: Event) -> str:
    return f"Event #{event.id} was never announced, so there is nothing to report."


# --- in the card's thread ------------------------------------------------------------------------


def report_thread_text(args: dict) -> str:
    """The report as it was saved (the outbox row's args), under the card."""
    verb = "updated how it went" if args.get("updated") else "reported how it went"
    lines = [f":bar_chart: {mrkdwn.user(args.get('user', ''))} {verb}:"]
    if args.get("turnout") is not None:
        lines.append(f"*Turnout:* {counted(int(args['turnout']), 'person', 'people')}")
    if links := args.get("press_links") or []:
        shown = ", ".join(mrkdwn.link(url, f"link {n}") for n, url in enumerate(links, 1))
        lines.append(f"*Press coverage:* {counted(len(links), 'press hit')}: {shown}")
    if args.get("official_said"):
        lines.append(f"*What the official said:* {mrkdwn.escape(args['official_said'])}")
    if args.get("photos_url"):
        lines.append(f"*Photos:* {mrkdwn.link(args['photos_url'], 'photos')}")
    if args.get("next_step"):
        lines.append(f"*Next step:* {mrkdwn.escape(args['next_step'])}")
    return shorten("\n".join(lines), SECTION_TEXT)


# --- totals ------------------------------------------------------------------------------------------


def totals_line(totals: Totals) -> str:
    """"42 events in 19 states, 1,350 people, 12 press hits"."""
    events = counted(totals.events, "event")
    where = f" in {counted(totals.states, 'state')}" if totals.states else ""
    return f"{events}{where}, {counted(totals.people, 'person', 'people')}, {counted(totals.press_hits, 'press hit')}"


def totals_blocks(text: str) -> list[dict]:
    return [{"type": "section", "text": {"type": "mrkdwn", "text": shorten(text, SECTION_TEXT)}}]


def totals_text(name: str, totals: Totals) -> str:
    """The roll-up posted in a channel: the line, and how many events it is told from."""
    reported = f"_From the reports of {totals.reports:,} of {counted(totals.events, 'event')}._"
    return f":bar_chart: *{mrkdwn.escape(name)}*: {totals_line(totals)}.\n{reported}"
