"""`/congress`: members of Congress for a ZIP code, a state or a name, as Block Kit messages.

A member is a few lines: name, role, party, state and district; the Washington phone; the
district office nearest the ZIP code (all of them, briefly, without one); X handle and contact
form. A ZIP code in several districts lists each and says that a street address decides.
"""

from __future__ import annotations

from collections.abc import Sequence

from messages import blockkit, mrkdwn
from messages.i18n import N_, catalog, current_language
from messages.limits import (
    BUTTON_VALUE,
    FALLBACK_TEXT,
    MESSAGE_BLOCKS,
    OPTION_TEXT,
    SECTION_TEXT,
    chunk,
    shorten,
    split_text,
)
from storage.congress import (
    DELEGATE,
    REPRESENTATIVE,
    RESIDENT_COMMISSIONER,
    SENATOR,
    Answer,
    Coverage,
    District,
    Member,
    Office,
    ZipMembers,
    members_by_id,
)

_, ngettext, pgettext = catalog("congress")

SHARE_ACTION = "congress_share"  # "Post in channel": value is the query
QUERY_MAX = 100
FULL_CARDS = 5  # more members found by a name than this: one line each

ROLE_LABELS = {
    SENATOR: N_("Senator"),
    REPRESENTATIVE: N_("Representative"),
    # TRANSLATORS: the House member of DC or a territory, who has no vote on the floor.
    DELEGATE: N_("Delegate"),
    # TRANSLATORS: Puerto Rico's member of the House.
    RESIDENT_COMMISSIONER: N_("Resident Commissioner"),
}
# Keyed by the source data's spelling of a party.
PARTY_LABELS = {
    "Democrat": N_("Democrat"),
    "Republican": N_("Republican"),
    "Independent": N_("Independent"),
}  # untranslated: keys
_BODY_BLOCKS = MESSAGE_BLOCKS - 3


# --- pieces -------------------------------------------------------------------------------------


def district_label(district: District) -> str:
    """`CA-5`; `WY (at large)` for a state's only district."""
    if district.number:
        return district.label
    # TRANSLATORS: a state's only congressional district: "WY (at large)".
    return _("{state} (at large)").format(state=district.state)


def role(member: Member) -> str:
    return _(ROLE_LABELS[member.role])


def party(member: Member) -> str:
    return _(PARTY_LABELS[member.party]) if member.party in PARTY_LABELS else member.party


def where(member: Member) -> str:
    return member.state if member.seat is None else district_label(member.seat)


def title_line(member: Member) -> str:
    # TRANSLATORS: a member of Congress: "*Tom McClintock* — Representative, Republican, CA-5".
    return _("*{name}* — {role}, {party}, {where}").format(
        name=mrkdwn.escape(member.name), role=role(member), party=mrkdwn.escape(party(member)), where=where(member)
    )


def office_text(office: Office) -> str:
    """`1020 15th Street, Suite 11, Modesto, CA 95354 · 209-550-6910`"""
    address = mrkdwn.escape(
        ", ".join(part for part in (office.address, office.city, f"{office.state} {office.zip_code}".strip()) if part)
    )
    return f"{address} · {mrkdwn.escape(office.phone)}" if office.phone else address


def _reach_line(member: Member) -> str | None:
    links = []
    if member.twitter:
        links.append(
            _("X: {handle}").format(handle=mrkdwn.link(f"https://x.com/{member.twitter}", f"@{member.twitter}"))
        )
    if member.contact_form:
        links.append(mrkdwn.link(member.contact_form, _("Contact form")))
    elif member.website:
        links.append(mrkdwn.link(member.website, _("Website")))
    return " · ".join(links) or None


def member_text(member: Member, nearest: Office | None = None, *, near_known: bool = False) -> str:
    """A member's card. `near_known`: the nearest office to a ZIP code is `nearest`; else every office, briefly."""
    lines = [title_line(member)]
    if member.phone:
        lines.append(_("Washington office: {phone}").format(phone=mrkdwn.escape(member.phone)))
    if near_known and nearest:
        lines.append(_("Nearest local office: {office}").format(office=office_text(nearest)))
    elif member.offices:
        towns = ", ".join(mrkdwn.escape(f"{o.city} ({o.phone})" if o.phone else o.city) for o in member.offices)
        lines.append(_("Local offices: {offices}").format(offices=towns))
    if reach := _reach_line(member):
        lines.append(reach)
    return "\n".join(lines)


def option_text(member: Member) -> str:
    """A member in a menu (plain text): `Ami Bera — Representative, CA-6`."""
    # TRANSLATORS: a member of Congress in a menu: "Ami Bera — Representative, CA-6".
    return shorten(
        _("{name} — {role}, {where}").format(name=member.name, role=role(member), where=where(member)), OPTION_TEXT
    )


def targets_line(members: Sequence[Member]) -> str:
    """On a card: `:classical_building: For Ami Bera (Representative, CA-6), Alex Padilla (Senator, CA)`."""
    named = ", ".join(f"{mrkdwn.escape(m.name)} ({role(m)}, {where(m)})" for m in members)
    return _(":classical_building: *For* {members}").format(members=named)


def coverage_blocks(coverage: Coverage) -> list[dict]:
    """On a campaign's page: whom its events are for, and the states, seats and issue committees' members left."""
    senators = sum(m.role == SENATOR for m in coverage.targeted)
    lines = [
        ngettext(
            "*Members of Congress:* its events are for {count} member ({senators} in the Senate).",
            "*Members of Congress:* its events are for {count} members ({senators} in the Senate).",
            len(coverage.targeted),
        ).format(count=len(coverage.targeted), senators=senators)
    ]
    if coverage.states_without_senators:
        lines.append(
            ngettext(
                "No visit or call yet for the senators of {count} state: {states}",
                "No visit or call yet for the senators of {count} states: {states}",
                len(coverage.states_without_senators),
            ).format(count=len(coverage.states_without_senators), states=", ".join(coverage.states_without_senators))
        )
    lines.append(
        _("No visit or call yet for {left} of {seats} members of the House.").format(
            left=coverage.seats_without, seats=coverage.seats
        )
    )
    for committee, left in coverage.committees:
        if left:
            names = ", ".join(f"{mrkdwn.escape(m.name)} ({where(m)})" for m in left)
            lines.append(
                _("*{committee}*, no action planned for {left} of {count}: {members}").format(
                    committee=mrkdwn.escape(committee.name), left=len(left), count=len(committee.members), members=names
                )
            )
        else:
            lines.append(
                _("*{committee}*: every member has an action planned.").format(committee=mrkdwn.escape(committee.name))
            )
    return [{"type": "divider"}] + [blockkit.section(piece) for piece in split_text("\n".join(lines), SECTION_TEXT)]


def targets_plain(bioguides: str | None) -> str:
    """An event's members of Congress, plain (a public page): `Ami Bera (Representative, CA-6)`."""
    return ", ".join(f"{m.name} ({role(m)}, {where(m)})" for m in members_by_id((bioguides or "").split()))


def member_line(member: Member) -> str:
    """One line of a list: `• *Alex Padilla* — Senator, Democrat, CA · 202-224-3553 · @SenAlexPadilla`"""
    parts = [title_line(member)]
    if member.phone:
        parts.append(mrkdwn.escape(member.phone))
    if member.twitter:
        parts.append(mrkdwn.link(f"https://x.com/{member.twitter}", f"@{member.twitter}"))
    return "• " + " · ".join(parts)


def names_list(members: Sequence[Member]) -> str:
    """`Tom McClintock, Alex Padilla and Adam B. Schiff`, as the language of the moment joins a list."""
    from babel.lists import format_list  # its locale data loads on first use

    return format_list([m.name for m in members], locale=current_language()) if members else ""


# --- answers ------------------------------------------------------------------------------------


def _zip_blocks(found: ZipMembers) -> list[dict]:
    place = mrkdwn.escape(found.place) if found.place else _("ZIP code {zip}").format(zip=found.zip_code)
    blocks = [blockkit.section(_("*Members of Congress for {place}*").format(place=place))]
    if found.split:
        districts = ", ".join(district_label(seat.district) for seat in found.seats)
        blocks.append(
            blockkit.section(
                _(
                    ":warning: ZIP code {zip} is split between districts {districts}: only a street address decides "
                    "which one is yours, so every one is listed."
                ).format(zip=found.zip_code, districts=districts)
            )
        )
    for seat in found.seats:
        if seat.member is None:
            blocks.append(
                blockkit.section(_("*{district}*: the seat is vacant.").format(district=district_label(seat.district)))
            )
        else:
            blocks.append(
                blockkit.section(
                    member_text(seat.member, found.nearest_office(seat.member), near_known=found.latitude is not None)
                )
            )
    for senator in found.senators:
        blocks.append(
            blockkit.section(member_text(senator, found.nearest_office(senator), near_known=found.latitude is not None))
        )
    if not found.senators:
        states = ", ".join(dict.fromkeys(seat.district.state for seat in found.seats))
        blocks.append(blockkit.context(_("{state} has no senators.").format(state=states)))
    return blocks


def call_list(found: ZipMembers) -> list[dict]:
    """Whom to call for a ZIP code, for a toolkit: each member's Washington and nearest local numbers."""
    place = mrkdwn.escape(found.place) if found.place else _("ZIP code {zip}").format(zip=found.zip_code)
    lines = [_("*Your members of Congress for {place}*").format(place=place)]
    for member in found.members:
        numbers = [_("Washington {phone}").format(phone=mrkdwn.escape(member.phone))] if member.phone else []
        office = found.nearest_office(member)
        if office and office.phone:
            numbers.append(
                _("{town} office {phone}").format(town=mrkdwn.escape(office.city), phone=mrkdwn.escape(office.phone))
            )
        lines.append(f"• {title_line(member)}" + (": " + " · ".join(numbers) if numbers else ""))
    blocks = [blockkit.section(piece) for piece in split_text("\n".join(lines), SECTION_TEXT)]
    if found.split:
        districts = ", ".join(district_label(seat.district) for seat in found.seats)
        blocks.append(
            blockkit.context(
                _(
                    "ZIP code {zip} is split between districts {districts}: call the representative of your street "
                    "address's district."
                ).format(zip=found.zip_code, districts=districts)
            )
        )
    blocks.append(
        blockkit.context(
            _(
                "Calling? Say your name and that you live in ZIP code {zip}: offices count their own constituents' calls."
            ).format(zip=found.zip_code)
        )
    )
    return blocks


def _list_blocks(heading: str, members: Sequence[Member]) -> list[dict]:
    text = "\n".join(member_line(m) for m in members)
    return [blockkit.section(heading)] + [blockkit.section(piece) for piece in split_text(text, SECTION_TEXT)]


def _body(answer: Answer) -> list[dict]:
    if answer.zip_members:
        return _zip_blocks(answer.zip_members)
    if answer.state:
        return _list_blocks(_("*Members of Congress for {state}*").format(state=answer.state), answer.members)
    asked = mrkdwn.escape(shorten(answer.query, QUERY_MAX))
    if len(answer.members) > FULL_CARDS:
        blocks = _list_blocks(_("*Members of Congress named “{name}”*").format(name=asked), answer.members)
        return blocks + [blockkit.context(_("Add a first name or a state to pick one, e.g. `/congress Tim Scott`."))]
    return [blockkit.section(member_text(m)) for m in answer.members]


def answer_messages(answer: Answer, *, shared_by: str | None = None) -> list[list[dict]]:
    """The answer as one or more messages. Privately (`shared_by` None) the last one ends with
    "Post in channel"; in a channel the first one says who shared it."""
    groups = list(chunk(_body(answer), _BODY_BLOCKS)) or [[]]
    if shared_by:
        command = mrkdwn.escape(shorten(answer.query, QUERY_MAX))
        groups[0].insert(
            0,
            blockkit.context(
                _("Shared by {person} · `/congress {query}`").format(person=mrkdwn.user(shared_by), query=command)
            ),
        )
    else:
        groups[-1].append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "action_id": SHARE_ACTION,
                        "style": "primary",
                        "text": {"type": "plain_text", "text": pgettext("button", "Post in channel")},
                        "value": answer.query[:BUTTON_VALUE],
                    }
                ],
            }
        )
    return groups


def fallback_text(answer: Answer) -> str:
    return shorten(_("Members of Congress: {query}").format(query=mrkdwn.escape(answer.query)), FALLBACK_TEXT)


def no_district(zip_code: str) -> str:
    return _(
        "I can't find ZIP code {zip} in any congressional district: it may be a PO box, a single building's ZIP code, "
        "or not in use. Try the ZIP code of a street address, e.g. `/congress 95356`."
    ).format(zip=zip_code)


def bad_zip_code() -> str:
    return _("Type the 5 digits of a ZIP code, like 95356.")


def no_district_for_the_public(zip_code: str) -> str:
    return _(
        "We can't find ZIP code {zip} in any congressional district: it may be a PO box, a single building's ZIP code, "
        "or not in use. Try the ZIP code of a street address."
    ).format(zip=zip_code)


def not_understood(query: str) -> str:
    return _(
        "I don't know “{query}”. Type a ZIP code (`/congress 95356`), a state (`/congress CA`) "
        "or a member's name (`/congress Padilla`)."
    ).format(query=mrkdwn.escape(shorten(query, QUERY_MAX)))


def answer_gone() -> str:
    return _("That answer is no longer available. Ask again with `/congress`.")


def help_title() -> str:
    return _("How to use /congress")
