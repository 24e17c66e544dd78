"""Post-event reports: the question to hosts, the form, the note in the card's thread, and totals."""

from __future__ import annotations

from messages import blockkit, mrkdwn
from messages.events import TYPE_EMOJI, type_label, when_text
from messages.i18n import catalog
from messages.limits import FALLBACK_TEXT, MODAL_TITLE, SECTION_TEXT, shorten
from messages.plural import number
from storage.models import (
    PRESS_LINKS_MAX,
    REPORT_TEXT_MAX,
    REPORT_URL_MAX,
    Event,
    EventReport,
)
from storage.reports import Totals

_, ngettext, pgettext = catalog("reports")

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
    return _("{emoji} *{title}* ({type}, event #{number})").format(
        emoji=TYPE_EMOJI[event.type],
        title=mrkdwn.escape(shorten(event.title, 200)),
        type=type_label(event),
        number=event.id,
    )


# --- the question -----------------------------------------------------------------------------


def ask_fallback(event: Event) -> str:
    return shorten(
        _("How did it go? {title} (event #{number})").format(title=mrkdwn.escape(event.title), number=event.id),
        FALLBACK_TEXT,
    )


def ask_blocks(event: Event) -> list[dict]:
    text = _(
        ":wave: *How did it go?* {event}, {when}.\n"
        "Tell the coalition in a minute: turnout, press coverage, what the official said, photos and the next step. "
        "It goes in the card's thread and into the campaign's totals."
    ).format(event=_about(event), when=when_text(event))
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": shorten(text, SECTION_TEXT)}},
        {
            "type": "actions",
            "block_id": f"report_{event.id}",
            "elements": [
                {
                    "type": "button",
                    "action_id": REPORT_ACTION,
                    "style": "primary",
                    "text": {"type": "plain_text", "text": pgettext("button", "Tell us how it went")},
                    "value": str(event.id),
                },
            ],
        },
    ]


# --- the form ------------------------------------------------------------------------------------


def _question(block_id: str, label: str, element: dict, hint: str | None = None) -> dict:
    """Every answer is optional; each element is named after its block."""
    return blockkit.input_block(block_id, label, {**element, "action_id": block_id}, optional=True, hint=hint)


def _long_answer(block_id: str, initial: str | None) -> dict:
    return blockkit.text_input(block_id, initial, REPORT_TEXT_MAX, multiline=True)


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
        # TRANSLATORS: the report form's title: 24 characters at most.
        "title": {"type": "plain_text", "text": shorten(_("How did it go?"), MODAL_TITLE)},
        "submit": {"type": "plain_text", "text": pgettext("button", "Save report")},
        "close": {"type": "plain_text", "text": pgettext("button", "Cancel")},
        "blocks": [
            blockkit.section(f"{_about(event)}\n{when_text(event)}"),
            _question(TURNOUT, _("Turnout"), turnout, _("How many people came (your best count).")),
            _question(
                PRESS,
                _("Press coverage links"),
                _long_answer(PRESS, press),
                _("One link a line, up to {count}.").format(count=number(PRESS_LINKS_MAX)),
            ),
            _question(
                OFFICIAL, _("What the official said"), _long_answer(OFFICIAL, report.official_said if report else None)
            ),
            _question(PHOTOS, _("Photos link"), photos),
            _question(NEXT_STEP, _("Next step"), _long_answer(NEXT_STEP, report.next_step if report else None)),
        ],
    }


def not_a_turnout() -> str:
    return _("Give the number of people, from 0 to {count}.").format(count=number(TURNOUT_MAX))


def too_many_links() -> str:
    return _("Up to {count} links, one a line.").format(count=number(PRESS_LINKS_MAX))


def photos_not_a_link() -> str:
    return _("Give a link starting with https:// (under {count} characters).").format(count=REPORT_URL_MAX)


def not_a_link(line: str) -> str:
    return _("“{text}” isn't a link: give each one in full, starting with https://, one a line.").format(
        text=shorten(line, 60)
    )


# --- answers -----------------------------------------------------------------------------------


def not_over_yet(event: Event) -> str:
    return _("Event #{number} hasn't started yet: I'll ask its hosts how it went once it's over.").format(
        number=event.id
    )


def cannot_report(event: Event) -> str:
    return _("Only the hosts of event #{number} or a workspace admin can report how it went.").format(number=event.id)


def not_announced(event: Event) -> str:
    return _("Event #{number} was never announced, so there is nothing to report.").format(number=event.id)


# --- in the card's thread ------------------------------------------------------------------------


def report_thread_text(args: dict) -> str:
    """The report as it was saved (the outbox row's args), under the card."""
    person = mrkdwn.user(args.get("user", ""))
    lines = [
        (
            _(":bar_chart: {person} updated how it went:")
            if args.get("updated")
            else _(":bar_chart: {person} reported how it went:")
        ).format(person=person)
    ]
    if args.get("turnout") is not None:
        turnout = int(args["turnout"])
        lines.append(
            ngettext("*Turnout:* {count} person", "*Turnout:* {count} people", turnout).format(count=number(turnout))
        )
    if links := args.get("press_links") or []:
        # TRANSLATORS: the label of the n-th press link in the card's thread: "link 1", "link 2".
        shown = ", ".join(mrkdwn.link(url, _("link {number}").format(number=n)) for n, url in enumerate(links, 1))
        lines.append(
            ngettext(
                "*Press coverage:* {count} press hit: {links}",
                "*Press coverage:* {count} press hits: {links}",
                len(links),
            ).format(count=number(len(links)), links=shown)
        )
    if args.get("official_said"):
        lines.append(_("*What the official said:* {text}").format(text=mrkdwn.escape(args["official_said"])))
    if args.get("photos_url"):
        lines.append(_("*Photos:* {link}").format(link=mrkdwn.link(args["photos_url"], _("photos"))))
    if args.get("next_step"):
        lines.append(_("*Next step:* {text}").format(text=mrkdwn.escape(args["next_step"])))
    return shorten("\n".join(lines), SECTION_TEXT)


# --- totals ------------------------------------------------------------------------------------------


def _people(count: int) -> str:
    return ngettext("{count} person", "{count} people", count).format(count=number(count))


def _press_hits(count: int) -> str:
    return ngettext("{count} press hit", "{count} press hits", count).format(count=number(count))


def totals_line(totals: Totals) -> str:
    """ "42 events in 19 states, 1,350 people, 12 press hits"."""
    figures = dict(people=_people(totals.people), press_hits=_press_hits(totals.press_hits))
    if totals.states:
        # TRANSLATORS: {people} is "1,350 people", {press_hits} "12 press hits".
        return ngettext(
            "{count} event in {states}, {people}, {press_hits}",
            "{count} events in {states}, {people}, {press_hits}",
            totals.events,
        ).format(
            count=number(totals.events),
            states=ngettext("{count} state", "{count} states", totals.states).format(count=number(totals.states)),
            **figures,
        )
    return ngettext(
        "{count} event, {people}, {press_hits}", "{count} events, {people}, {press_hits}", totals.events
    ).format(count=number(totals.events), **figures)


def totals_blocks(text: str) -> list[dict]:
    return [{"type": "section", "text": {"type": "mrkdwn", "text": shorten(text, SECTION_TEXT)}}]


def totals_text(name: str, totals: Totals) -> str:
    """The roll-up posted in a channel: the line, and how many events it is told from."""
    reported = ngettext(
        "_From the reports of {reports} of {count} event._",
        "_From the reports of {reports} of {count} events._",
        totals.events,
    ).format(reports=number(totals.reports), count=number(totals.events))
    return _(":bar_chart: *{name}*: {totals}.\n{reported}").format(
        name=mrkdwn.escape(name), totals=totals_line(totals), reported=reported
    )
