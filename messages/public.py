"""The public web's words: every string the pages and feeds show, in one place (the templates
name them, so that a translation catalog can take them over)."""

from __future__ import annotations

from messages.events import contact_line, miles_text
from storage.models import Event

# --- the pages ----------------------------------------------------------------------

SITE_NAME = "Coalition events"
SKIP_TO_CONTENT = "Skip to the events"
NAV_EVENTS = "Find an event"
NAV_FEED = "Subscribe to the calendar"
NAV_LABEL = "Site"

EVENTS_TITLE = "Find an event near you"
EVENTS_INTRO = "Upcoming public actions of the coalition: rallies, vigils, town halls, visits to lawmakers and more."
FILTERS_HEADING = "Search and filter"
FILTER_NEAR = "Near (ZIP code or City, ST)"
FILTER_NEAR_HINT = "For example 95356 or Denver, CO."
FILTER_RADIUS = "Distance"
FILTER_CAMPAIGN = "Campaign"
FILTER_TYPE = "Type of action"
FILTER_STATE = "State"
FILTER_ANY_CAMPAIGN = "Any campaign"
FILTER_ANY_TYPE = "Any type"
FILTER_ANY_STATE = "Any state"
FILTER_SUBMIT = "Show events"
FILTER_RESET = "Clear filters"
LIST_HEADING = "Events"
MAP_HEADING = "Map"
MAP_LABEL = "Map of the events listed"
MAP_HINT = "The map shows the events of this page that have a known place."
NO_EVENTS = "No upcoming public events match. Try fewer filters."
PAGINATION_LABEL = "Pages of events"
PREVIOUS_PAGE = "Previous page"
NEXT_PAGE = "Next page"
BAD_TYPE = "That is not a type of action we know; showing every type."
BAD_STATE = "Use a state's two-letter code, like CA; showing every state."
BAD_CAMPAIGN = "There is no such campaign; showing every campaign."
UNKNOWN_PLACE = "We don't know that place. Use a 5-digit ZIP code (95356) or a city and its state (Denver, CO)."
NEAR_IGNORES_FILTERS = "A search by place shows every campaign, type and state: clear the place to use those filters."
NO_EVENTS_NEAR = "No upcoming public events within that distance. Try a wider one."
ONLINE_HEADING = "Online events"

WHEN = "When"
WHERE = "Where"
ONLINE = "Online"
JOIN_ONLINE = "Join online"
PLACE_TBA = "Place to be announced"
WHO = "Who"
CONTACT = "Contact"
DETAILS = "About this action"
ADD_TO_CALENDAR = "Add to your calendar"
GOOGLE_CALENDAR = "Google Calendar"
ICS_FILE = "Calendar file (.ics)"
BACK_TO_EVENTS = "All events"
ABOUT_CAMPAIGN = "About the campaign, its events and sample posts"

CAMPAIGN = "Campaign"
WHAT_TO_DO = "What to do"
CAMPAIGN_EVENTS = "Upcoming events"
NO_CAMPAIGN_EVENTS = "No upcoming public events in this campaign yet."
CAMPAIGN_FEED = "This campaign's events in your calendar:"
SAMPLE_POSTS = "Sample posts"
SAMPLE_POSTS_HOWTO = "Share them as they are, or copy one and fill in your own official's handle and your organization's name."
TOO_LONG_TO_SHARE = "Too long for a share link: copy the text."
OPENS_NEW_WINDOW = "(opens in a new window)"
ENDED = "This event has ended."

FEED_HEADING = "Subscribe to the calendar"
SUBSCRIBE_IN_APP = "Open in your calendar app"
FEED_HOWTO = ("Add this address to your calendar app as a subscription (Google Calendar: Other calendars, "
              "From URL; Apple Calendar: File, New Calendar Subscription; Outlook: Add calendar, Subscribe "
              "from web). Changes and cancellations show up by themselves.")

NOT_FOUND_TITLE = "Not found"
NOT_FOUND = "There is no public event or page at this address. It may have been cancelled or never been public."
ERROR_TITLE = "Something went wrong"
ERROR = "This page could not be shown. Please go back to the events and try again."


def page_title(title: str) -> str:
    return f"{title} · {SITE_NAME}"


def showing(first: int, last: int) -> str:
    return f"Showing events {first}–{last}"


def page_number(number: int) -> str:
    return f"Page {number}"


def part_of(campaign_name: str) -> str:
    return f"Part of {campaign_name}"


def within_miles(miles: int) -> str:
    return f"Within {miles} miles"


def near_heading(place: str, miles: int) -> str:
    return f"Events within {miles} miles of {place}"


def miles_away(miles: float) -> str:
    return f"{miles_text(miles)} away"


# --- the feeds ----------------------------------------------------------------------

FEED_NAME = SITE_NAME
FEED_DESCRIPTION = "Public actions of the coalition, kept up to date: edits and cancellations follow."
PRODUCT_ID = "-//organizer-bot//Public events//EN"


def feed_description(event: Event, page_url: str | None) -> str:
    """The VEVENT's DESCRIPTION: the details, who leads it, and where to read more."""
    parts = [event.details or ""]
    if event.lead_organizations:
        parts.append(f"{WHO}: {event.lead_organizations}")
    if contact := contact_line(event):
        parts.append(f"{CONTACT}: {contact}")
    if event.online_url:
        parts.append(f"{JOIN_ONLINE}: {event.online_url}")
    if page_url:
        parts.append(page_url)
    return "\n\n".join(part for part in parts if part)


# The states, districts and territories the state filter offers, by their postal codes.
US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
    "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts",
    "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
    "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico",
    "NY": "New York", "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
    "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming", "AS": "American Samoa", "GU": "Guam",
    "MP": "Northern Mariana Islands", "PR": "Puerto Rico", "VI": "U.S. Virgin Islands",
}
