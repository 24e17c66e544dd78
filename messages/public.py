"""The public web's words that its Python draws: what a search could not understand, the error
pages, the page title, the states of the filter and the calendar feeds. The pages' own words
are in their templates (web/templates), through this same `public` catalog (jinja2.ext.i18n);
a word both say (the site's name) is said here, and the templates call it."""

from __future__ import annotations

import unicodedata

from messages.congress import targets_plain
from messages.events import contact_line
from messages.i18n import N_, catalog
from messages.plural import number
from storage.models import Event

_, ngettext, pgettext = catalog("public")


# --- the pages ----------------------------------------------------------------------


def site_name() -> str:
    """The site's name, in its header and every page's title; the team feed's name too."""
    return _("Coalition events")


def page_title(title: str) -> str:
    # TRANSLATORS: the browser tab's title: the page's own title, then the site's name
    return _("{page} · {site}").format(page=title, site=site_name())


def bad_type() -> str:
    return _("That is not a type of action we know; showing every type.")


def bad_state() -> str:
    return _("Use a state's two-letter code, like CA; showing every state.")


def bad_campaign() -> str:
    return _("There is no such campaign; showing every campaign.")


def unknown_place() -> str:
    return _("We don't know that place. Use a 5-digit ZIP code (95356) or a city and its state (Denver, CO).")


def not_found_title() -> str:
    return _("Not found")


def not_found() -> str:
    return _("There is no public event or page at this address. It may have been cancelled or never been public.")


def error_title() -> str:
    return _("Something went wrong")


def error() -> str:
    return _("This page could not be shown. Please go back to the events and try again.")


# --- signing up ---------------------------------------------------------------------


def name_missing() -> str:
    return _("Please give your name.")


def name_too_long(limit: int) -> str:
    return _("Your name can be at most {limit} characters.").format(limit=limit)


def bad_characters() -> str:
    return _("This has characters we can't take (line breaks or invisible characters).")


def email_missing() -> str:
    return _("Please give your email address.")


def bad_email() -> str:
    return _("That doesn't look like an email address: use one like name@example.org.")


def already_signed_up() -> str:
    return _("This email is already signed up for this event. Your confirmation email has the link to your sign-up.")


def bad_zip() -> str:
    return _("Use a 5-digit ZIP code, like 95356.")


def bad_phone() -> str:
    return _("Use a phone number of 7 to 15 digits, like (209) 555-0123.")


def form_expired() -> str:
    return _("This form was open too long or came from elsewhere. Please check your answers and send it again.")


def signups_closed() -> str:
    return _("Sign-ups for this event are closed.")


def too_many_signups() -> str:
    return _("Too many sign-ups from here in a short time. Please try again in an hour.")


def too_many_title() -> str:
    return _("Please wait a little")


def going_line(count: int) -> str:
    """How many are going (Slack members and the public together), as the card counts them."""
    return ngettext("{count} person is going", "{count} people are going", count).format(count=number(count))


def signup_title(event_title: str) -> str:
    # TRANSLATORS: the title of a person's own sign-up page: "Your sign-up: Modesto Canvass and Rally"
    return _("Your sign-up: {title}").format(title=event_title)


# --- the feeds ----------------------------------------------------------------------

PRODUCT_ID = "-//organizer-bot//Public events//EN"  # untranslated: RFC 5545's PRODID, an identifier, not shown


def feed_name() -> str:
    """The team feed's name in a calendar app (X-WR-CALNAME)."""
    return site_name()


def feed_about() -> str:
    """What a feed holds (X-WR-CALDESC), when no campaign says it better."""
    return _("Public actions of the coalition, kept up to date: edits and cancellations follow.")


def feed_description(event: Event, page_url: str | None) -> str:
    """The VEVENT's DESCRIPTION: the details, who leads it, and where to read more."""
    parts = [event.details or ""]
    if event.lead_organizations:
        # TRANSLATORS: in a calendar event's description, the organizations that lead it
        parts.append(_("Who: {organizations}").format(organizations=event.lead_organizations))
    if contact := contact_line(event):
        parts.append(_("Contact: {contact}").format(contact=contact))
    if event.online_url:
        parts.append(_("Join online: {link}").format(link=event.online_url))
    if members := targets_plain(event.congress_members):
        # TRANSLATORS: in a calendar event's description, the members of Congress a visit or call is for
        parts.append(_("Members of Congress: {members}").format(members=members))
    if page_url:
        parts.append(page_url)
    return "\n\n".join(part for part in parts if part)


# The states, districts and territories the state filter offers, by their postal codes.
US_STATES = {
    # TRANSLATORS: a US state, district or territory, in the search form's State menu
    "AL": N_("Alabama"),
    "AK": N_("Alaska"),
    "AZ": N_("Arizona"),
    "AR": N_("Arkansas"),
    "CA": N_("California"),
    "CO": N_("Colorado"),
    "CT": N_("Connecticut"),
    "DE": N_("Delaware"),
    "DC": N_("District of Columbia"),
    "FL": N_("Florida"),
    "GA": N_("Georgia"),
    "HI": N_("Hawaii"),
    "ID": N_("Idaho"),
    "IL": N_("Illinois"),
    "IN": N_("Indiana"),
    "IA": N_("Iowa"),
    "KS": N_("Kansas"),
    "KY": N_("Kentucky"),
    "LA": N_("Louisiana"),
    "ME": N_("Maine"),
    "MD": N_("Maryland"),
    "MA": N_("Massachusetts"),
    "MI": N_("Michigan"),
    "MN": N_("Minnesota"),
    "MS": N_("Mississippi"),
    "MO": N_("Missouri"),
    "MT": N_("Montana"),
    "NE": N_("Nebraska"),
    "NV": N_("Nevada"),
    "NH": N_("New Hampshire"),
    "NJ": N_("New Jersey"),
    "NM": N_("New Mexico"),
    "NY": N_("New York"),
    "NC": N_("North Carolina"),
    "ND": N_("North Dakota"),
    "OH": N_("Ohio"),
    "OK": N_("Oklahoma"),
    "OR": N_("Oregon"),
    "PA": N_("Pennsylvania"),
    "RI": N_("Rhode Island"),
    "SC": N_("South Carolina"),
    "SD": N_("South Dakota"),
    "TN": N_("Tennessee"),
    "TX": N_("Texas"),
    "UT": N_("Utah"),
    "VT": N_("Vermont"),
    "VA": N_("Virginia"),
    "WA": N_("Washington"),
    "WV": N_("West Virginia"),
    "WI": N_("Wisconsin"),
    "WY": N_("Wyoming"),
    "AS": N_("American Samoa"),
    "GU": N_("Guam"),
    "MP": N_("Northern Mariana Islands"),
    "PR": N_("Puerto Rico"),
    "VI": N_("U.S. Virgin Islands"),
}


TERRITORIES = frozenset({"AS", "GU", "MP", "PR", "VI"})  # listed after the states and DC


def state_names() -> list[tuple[str, str]]:
    """(postal code, name) of each, the states and DC then the territories, each in the
    alphabetical order of their names in the language of the moment (Carolina del Norte among
    the C's)."""
    named = [(code, _(name)) for code, name in US_STATES.items()]
    return sorted(named, key=lambda pair: (pair[0] in TERRITORIES, _folded(pair[1])))


def _folded(name: str) -> str:
    """Sorted as people read: any case, accents aside (Misisipi before Montana)."""
    return "".join(c for c in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(c))
