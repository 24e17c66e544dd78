"""Reading event listings into the event modal's values, with a reason for whatever cannot be
read: listings as the coalition writes them (its Day of Action page, an email, a Slack
message), and the CSV files `/event export` writes (messages.export).

A listing is a title line, "City: Title", then bullets:

    Phoenix: #WeAreAllAmerica Rally and Prayer Vigil
      • Date and Time: 2/22/17, Rally at 12:00-6:00pm MT, Prayer Vigil at 6:00-7:00pm MT
      • Address: 2200 East Camelback Rd. Phoenix, AZ
      • Lead Organizations: Promise Arizona, We Are All America Coalition
      • Lead Contact: James Garcia, jgcvm1@gmail.com
      • Additional Details: ...

Pure: text in, values and reasons out; no Slack, no database, no clock (the caller says what
day it is). Dates and times are read by python-dateutil, imported on first use so that
starting the bot does not pay for it. The "Date and Time" line is cut at its commas, "and",
"at" and dashes; dateutil reads each piece as a date, a time, or neither (a label such as
"Rally"), and a dash between two readable pieces makes a range.

- Time zones: US zones by their abbreviations (ET, CT, MT, PT, AKT, HT; EST, EDT and the like)
  or names (Eastern, ...). "MT" is ambiguous: Arizona keeps Mountain Standard Time all year
  while Denver moves to daylight time, so a listing whose place is in Arizona (AZ in its
  address or title) is read in America/Phoenix and any other in America/Denver. A listing
  that names no zone is read in the caller's default zone (the user's own, or DEFAULT_TIMEZONE).
- Several parts of one day ("Rally at 12:00-6:00pm, Prayer Vigil at 6:00-7:00pm") make one
  event from the first start to the last end; the parts are written into its details.
- Consecutive days ("2/22/17, 2/23/17, and 2/24/17 all day") make one all-day event over them.
- A date without a year is its next occurrence on or after `today`.
- "This is not open to the public." (or "by invitation only", ...) anywhere makes it private.
- The type comes from the first word of the title that names one (rally, vigil, press
  conference, town hall, panel, ...); none makes it "other".
- City and state come from the title ("Denver: ...", "Denver, CO: ...") and the end of the
  address ("..., Modesto, CA 95356"); the address keeps the rest.
- A member of Congress named in the title or details ("Legislative Visit with Rep. Bera") is
  linked when the name is unambiguous in that chamber and state (services.congress.named_in).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache

from messages import export
from messages import listings as reasons
from messages.event_form import EventFormValues
from messages.events import type_named
from messages.mrkdwn import plain
from services import congress
from services.event_form import ZIP, is_email
from storage.models import EventType

# --- what the listings call things --------------------------------------------------

WHEN, ADDRESS, ORGANIZATIONS, CONTACT, DETAILS, LINK = "when", "address", "organizations", "contact", "details", "link"
KEYS = {
    "date and time": WHEN,
    "date & time": WHEN,
    "date/time": WHEN,
    "date": WHEN,
    "when": WHEN,
    "time": WHEN,
    "address": ADDRESS,
    "location": ADDRESS,
    "where": ADDRESS,
    "place": ADDRESS,
    "venue": ADDRESS,
    "lead organizations": ORGANIZATIONS,
    "lead organization": ORGANIZATIONS,
    "organizations": ORGANIZATIONS,
    "organization": ORGANIZATIONS,
    "hosts": ORGANIZATIONS,
    "host": ORGANIZATIONS,
    "hosted by": ORGANIZATIONS,
    "lead contact": CONTACT,
    "contact": CONTACT,
    "additional details": DETAILS,
    "details": DETAILS,
    "description": DETAILS,
    "link": LINK,
    "online": LINK,
    "rsvp": LINK,
    "livestream": LINK,
    "zoom": LINK,
}
BULLET = re.compile(r"^\s*[•◦▪·*\-–—]\s+")

EASTERN, CENTRAL, MOUNTAIN, ARIZONA, PACIFIC = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
)
ZONES = {
    "ET": EASTERN,
    "EST": EASTERN,
    "EDT": EASTERN,
    "EASTERN": EASTERN,
    "CT": CENTRAL,
    "CST": CENTRAL,
    "CDT": CENTRAL,
    "CENTRAL": CENTRAL,
    "MT": MOUNTAIN,
    "MST": MOUNTAIN,
    "MDT": MOUNTAIN,
    "MOUNTAIN": MOUNTAIN,
    "PT": PACIFIC,
    "PST": PACIFIC,
    "PDT": PACIFIC,
    "PACIFIC": PACIFIC,
    "AKT": "America/Anchorage",
    "AKST": "America/Anchorage",
    "AKDT": "America/Anchorage",
    "ALASKA": "America/Anchorage",
    "HT": "Pacific/Honolulu",
    "HST": "Pacific/Honolulu",
    "HAWAII": "Pacific/Honolulu",
}
ZONE_WORDS = re.compile(
    r"\(?\b(" + "|".join(sorted(ZONES, key=len, reverse=True)) + r")\b(?:\s+time)?\)?", re.IGNORECASE
)
# Words that join two ends of a range; the line's own dashes (–, —) mean the same.
RANGE_WORDS = re.compile(r"\s*(?:[–—]|\b(?:to|until|till|through|thru)\b)\s*", re.IGNORECASE)
# What joins a label or a day to its time: "Rally at 12:00-6:00pm", "2/22/17 from 9am-5pm".
LABEL_SPLIT = re.compile(r"\s+(?:at|from|@)\s+", re.IGNORECASE)
ALL_DAY = re.compile(r"\ball[- ]day\b", re.IGNORECASE)
TO_BE_ANNOUNCED = re.compile(r"^\W*(?:TBA|TBD|to be (?:announced|determined))\W*$", re.IGNORECASE)
MERIDIEM = re.compile(r"(?<![a-z])[ap]\.?\s?m\b\.?", re.IGNORECASE)
NOON = re.compile(r"\bnoon\b", re.IGNORECASE)
MIDNIGHT = re.compile(r"\bmidnight\b", re.IGNORECASE)
# A "Date and Time" line longer than this is prose, not a date (and would be slow to try).
WHEN_MAX = 300
# How many comma-separated pieces a written date may span: "Wednesday, February 22nd, 2017".
DATE_PIECES = 3

PRIVATE = re.compile(
    r"not open to the public|closed to the public|(?:by )?invitation only|invite[- ]only|private event", re.IGNORECASE
)

# The first of these in a title says the event's type (ties: the earlier row).
TYPE_WORDS = tuple(
    (kind, re.compile(rf"\b(?:{words})", re.IGNORECASE))
    for kind, words in (
        (EventType.PRESS_CONFERENCE, r"press conf|press event|press call|media availability"),
        (EventType.PRAYER_VIGIL, r"vigil|prayer"),
        (EventType.TOWN_HALL, r"town ?hall|community meeting|community forum|public forum"),
        (EventType.LEGISLATIVE_VISIT, r"visits?\b|lobby day"),
        (EventType.CALL_IN_DAY, r"call[- ]?in\b|calls? to\b|phone bank"),
        (EventType.CANVASS, r"canvass"),
        (EventType.PANEL_DISCUSSION, r"panel|discussion|roundtable|round table|conversation|teach[- ]in|forum"),
        (EventType.SOCIAL_MEDIA_PUSH, r"social media|tweet ?storm|twitter storm|online push"),
        (EventType.RALLY, r"rally|march(?!\s*\d)|protest|demonstration|procession"),
    )
)

STATES = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
    "PR": "Puerto Rico",
    "GU": "Guam",
    "VI": "U.S. Virgin Islands",
    "AS": "American Samoa",
    "MP": "Northern Mariana Islands",
}
STATE_CODES = {name.casefold(): code for code, name in STATES.items()} | {code.casefold(): code for code in STATES}
# Title prefixes that are not a city: "Statewide Convening:", "Various Cities:", "UCC Action Alert:".
NOT_PLACES = frozenset(
    {
        "statewide",
        "various",
        "cities",
        "convening",
        "alert",
        "action",
        "online",
        "virtual",
        "national",
        "nationwide",
        "multiple",
        "locations",
        "update",
        "tba",
        "tbd",
        "event",
        "events",
    }
)
PLACE_CONNECTORS = frozenset({"de", "del", "la", "las", "los", "of", "on", "upon", "du", "le"})


# --- what comes out ---------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One listing (or CSV row): the modal's values read from it, and why it cannot be saved as it is."""

    line: int  # of its title (or row), counting from 1
    title: str
    source: str  # its lines as written: what makes it the same listing when it is read again
    values: EventFormValues  # what could be read (a listing without a date still has its place, contact, ...)
    problems: tuple[str, ...] = ()  # empty when it can be saved as it is (the modal's checks aside)


def read_listings(text: str, *, default_timezone: str, today: date) -> list[Entry]:
    """Every listing in `text`, in order: each title line with the bullets under it."""
    return [_read_entry(raw, default_timezone, today) for raw in _split(text)]


def read_message(text: str, *, default_timezone: str, today: date) -> Entry:
    """The listing in a Slack message (its mrkdwn text): the first one with details, else its first line."""
    raws = _split(plain(text))
    if not raws:
        return Entry(1, "", "", EventFormValues(timezone=default_timezone), (reasons.empty_message(),))
    # Only the one chosen is read: a message of many listings costs one listing's dates.
    return _read_entry(next((raw for raw in raws if len(raw.lines) > 1), raws[0]), default_timezone, today)


# --- cutting the text into listings -------------------------------------------------


@dataclass
class _Raw:
    line: int
    title: str
    bullets: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def _split(text: str) -> list[_Raw]:
    """Title lines and the bullets under each. Bullets before the first title belong to no listing;
    an indented line that is not a bullet continues the bullet above it."""
    entries: list[_Raw] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        bullet = BULLET.match(line)
        content = line[bullet.end() :] if bullet else line.strip()
        current = entries[-1] if entries else None
        if bullet or _key(content)[0] is not None:
            if current is not None:
                current.bullets.append(content.strip())
                current.lines.append(line.rstrip())
        elif current is not None and current.bullets and line[:1].isspace():
            current.bullets[-1] += " " + content
            current.lines.append(line.rstrip())
        else:
            entries.append(_Raw(number, content, lines=[line.rstrip()]))
    return entries


def _key(content: str) -> tuple[str | None, str]:
    """("when", "2/22/17 at 4:00pm") for "Date and Time: 2/22/17 at 4:00pm"; (None, content) for other text."""
    name, colon, value = content.partition(":")
    key = KEYS.get(" ".join(name.lower().split())) if colon else None
    return (key, " ".join(value.split())) if key else (None, " ".join(content.split()))  # no-break spaces too


# --- one listing ------------------------------------------------------------------


def _read_entry(raw: _Raw, default_timezone: str, today: date) -> Entry:
    problems: list[str] = []
    found: dict[str, str] = {}
    extra: list[str] = []
    for bullet in raw.bullets:
        key, value = _key(bullet)
        if key is None:
            extra.append(value)
        elif key in found:
            problems.append(reasons.repeated_line(bullet.partition(":")[0].strip()))
        else:
            found[key] = value
    title = " ".join(raw.title.split())
    city, state = _title_place(title)
    address, city, state, zip_code, online_url = _place(found.get(ADDRESS), city, state)
    link = found.get(LINK)
    if link and link.lower().startswith(("https://", "http://")) and online_url is None:
        online_url = link
    elif link:
        extra.append(link)
    contact_name, contact_email = _contact(found.get(CONTACT))

    when = _read_when(found[WHEN], today) if WHEN in found else reasons.no_when()
    if isinstance(when, str):
        problems.append(when)
        when = None
    zone = _zone(when.zone if when else None, state) or default_timezone
    details = [found.get(DETAILS), when and when.schedule and reasons.schedule(when.schedule, when.zone), *extra]
    source = "\n".join(raw.lines)
    values = EventFormValues(
        timezone=zone,
        title=title,
        event_type=infer_type(title),
        all_day=when is not None and when.start is None,
        start_date=when and when.first_day,
        start_time=when and when.start,
        end_date=when and when.end_date,
        end_time=when and when.end,
        address=address,
        city=city,
        state=state,
        zip_code=zip_code,
        online_url=online_url,
        lead_organizations=found.get(ORGANIZATIONS) or None,
        contact_name=contact_name,
        contact_email=contact_email,
        details="\n".join(part for part in details if part) or None,
        is_public=PRIVATE.search(source) is None,
        congress_members=congress.named_in(f"{title}\n{found.get(DETAILS) or ''}", state),
    )
    return Entry(raw.line, title, source, values, tuple(problems))


def infer_type(title: str) -> EventType:
    """The type named first in the title: "Rally before Sen. Cotton Town Hall" is a rally."""
    named = [
        (match.start(), order, kind) for order, (kind, words) in enumerate(TYPE_WORDS) if (match := words.search(title))
    ]
    return min(named)[2] if named else EventType.OTHER


def _zone(abbreviation: str | None, state: str | None) -> str | None:
    zone = ZONES.get((abbreviation or "").upper())
    return ARIZONA if zone == MOUNTAIN and state == "AZ" else zone


# --- place and people ---------------------------------------------------------------


def _title_place(title: str) -> tuple[str | None, str | None]:
    """("Denver", None) for "Denver: Press Conference", ("Denver", "CO") for "Denver, CO: ..."."""
    prefix, colon, rest = title.partition(":")
    if not colon or not rest.strip():
        return None, None
    city, comma, state = prefix.partition(",")
    if not _is_place_name(city) or (comma and _state(state) is None):
        return None, None
    return city.strip(), _state(state) if comma else None


def _is_place_name(text: str) -> bool:
    words = text.split()
    return 1 <= len(words) <= 4 and all(
        word.casefold() in PLACE_CONNECTORS
        or word[0].isupper()
        and word[0].isalpha()
        and not any(c.isdigit() for c in word)
        and word.casefold().strip(".") not in NOT_PLACES
        for word in words
    )


def _state(text: str) -> str | None:
    return STATE_CODES.get(" ".join(text.replace(".", " ").split()).casefold()) if text.strip() else None


def _place(
    address: str | None, city: str | None, state: str | None
) -> tuple[str | None, str | None, str | None, str | None, str | None]:
    """(address, city, state, zip code, online link): "4701 Sisk Road, Modesto, CA 95356" ->
    ("4701 Sisk Road", "Modesto", "CA", "95356"); the title's city and state where the address has none."""
    value = (address or "").strip()
    if not value or TO_BE_ANNOUNCED.match(value):
        return None, city, state, None, None
    if value.lower().startswith(("https://", "http://")):
        return None, city, state, None, value
    zip_code = None
    head, comma, last = value.rpartition(",")
    words = last.split()
    if words and ZIP.match(words[-1]):
        zip_code, words = words[-1], words[:-1]
    if comma and (found_state := _state(" ".join(words))):
        state, value = found_state, head.strip()
        head, comma, last = value.rpartition(",")
        if comma and _is_place_name(last):
            city, value = last.strip(), head.strip()
        elif not comma and _is_place_name(value) and (city is None or value.casefold() == city.casefold()):
            city, value = value, ""
    else:
        zip_code = None
    if city and value.casefold().endswith(city.casefold()) and value[: -len(city)][-1:] in ("", " ", ","):
        value = value[: -len(city)].rstrip(" ,")
    return value or None, city, state, zip_code, None


def _contact(value: str | None) -> tuple[str | None, str | None]:
    """("Michel Rangel", "field@arkansascoalition.org") for "Michel Rangel, field@arkansascoalition.org"."""
    if not value:
        return None, None
    email = next((token for token in re.split(r"[\s,;<>()]+", value) if is_email(token)), None)
    name = value.replace(email, " ") if email else value
    name = " ".join(name.split()).strip(" ,;:-–—()<>")
    return name or None, email


# --- the "Date and Time" line -------------------------------------------------------


@dataclass(frozen=True)
class _When:
    first_day: date
    end_date: date | None  # the last day when it is not the first
    start: time | None  # None: all day
    end: time | None
    zone: str | None  # the abbreviation it names, as written
    schedule: str | None  # its parts, when it has several or names them


@dataclass(frozen=True)
class _Part:
    """A piece of the line: a day, a range of days, a time (range), or several of those at once."""

    first_day: date | None = None
    last_day: date | None = None
    start: time | None = None
    end: time | None = None


def _read_when(value: str, today: date) -> _When | str:
    if len(value) > WHEN_MAX:
        return reasons.when_too_long()
    line = ALL_DAY.sub(" ", RANGE_WORDS.sub("-", value))
    named = list(dict.fromkeys(m.group(1) for m in ZONE_WORDS.finditer(line)))  # as written
    if len({ZONES[name.upper()] for name in named}) > 1:
        return reasons.two_zones(named)
    line = ZONE_WORDS.sub(" ", line)
    if TO_BE_ANNOUNCED.match(line):
        return reasons.when_to_be_announced()
    segments = [s.strip() for s in re.split(r"[,;]|\band\b", line) if s.strip()]
    parts: list[_Part] = []
    timed: list[str] = []  # the segments that give times, for the schedule
    labelled = False
    i = 0
    while i < len(segments):
        # A date written with commas ("Wednesday, February 22nd, 2017") is read whole.
        joined = next(
            (
                j
                for j in range(min(len(segments), i + DATE_PIECES), i + 1, -1)
                if (part := _reading(", ".join(segments[i:j]), today)) and part.first_day and not part.start
            ),
            None,
        )
        if joined is not None:
            parts.append(_reading(", ".join(segments[i:joined]), today))
            i = joined
            continue
        read = _segment(segments[i], today)
        if isinstance(read, str):
            return read
        parts += read.parts
        if any(p.start for p in read.parts):
            timed.append(segments[i])
            labelled = labelled or read.labelled
        i += 1
    schedule = ", ".join(timed) if labelled or len(timed) > 1 else None
    return _assemble(parts, named[0] if named else None, schedule)


@dataclass(frozen=True)
class _Segment:
    parts: list[_Part]
    labelled: bool  # words name what happens then: "Rally at 12:00-6:00pm"


def _segment(segment: str, today: date) -> _Segment | str:
    """ "2/22/17 at 4:00pm", "Rally at 12:00-6:00pm", "9:00am-5:00pm": its parts, or why not."""
    whole = _piece(segment, today)
    if isinstance(whole, str):
        return whole
    if whole is not None:
        return _Segment([whole], labelled=False)
    parts, labelled = [], False
    for piece in LABEL_SPLIT.split(segment):
        read = _piece(piece, today)
        if isinstance(read, str):
            return read
        if read is None:
            labelled = True
        else:
            parts.append(read)
    return _Segment(parts, labelled)


def _piece(piece: str, today: date) -> _Part | str | None:
    """A date, a time, or a range of either; None for words (a label, a weekday); else why not."""
    piece = MIDNIGHT.sub("12:00am", NOON.sub("12:00pm", piece)).strip()
    if not any(c.isdigit() for c in piece):
        return None
    if (whole := _reading(piece, today)) is not None:
        return whole
    start, dash, end = piece.partition("-")
    if dash and (first := _reading(start, today)) and (last := _reading(end, today)):
        return _range(first, last, start, end) or reasons.unreadable_when(piece)
    if LABEL_SPLIT.search(piece):
        return None  # "Rally at 4pm", "2/22/17 from 9am-5pm": its segment reads it part by part
    return reasons.unreadable_when(piece)


def _range(first: _Part, last: _Part, first_text: str, last_text: str) -> _Part | None:
    if first.start is None and last.start is None and first.first_day and last.first_day:
        return _Part(first.first_day, last.first_day)  # 2/22/17-2/24/17
    if first.start is None or last.start is None or last.first_day and not first.first_day:
        return None
    start = first.start
    if not MERIDIEM.search(first_text) and MERIDIEM.search(last_text):
        # "12:00-6:00pm": the start takes the end's half of the day unless that puts it after the end.
        same_half = time((start.hour % 12) + (12 if last.start.hour >= 12 else 0), start.minute)
        start = same_half if same_half < last.start else time((same_half.hour + 12) % 24, start.minute)
    return _Part(first.first_day, last.first_day or first.first_day, start, last.start)


@cache
def _parser():
    from dateutil import parser  # on first use: the bot starts without it

    return parser


# Two defaults that differ in every field a piece may leave out: what differs was not written.
_DEFAULTS = (datetime(2000, 1, 1, 0, 0), datetime(2004, 2, 3, 1, 0))


def _reading(piece: str, today: date) -> _Part | None:
    """What dateutil reads in one piece: a day, a time, or both; None when it reads neither."""
    if len(piece) > WHEN_MAX:  # prose, not a date: dateutil would take its time to say so
        return None
    try:
        first, second = (_parser().parse(piece, default=default) for default in _DEFAULTS)
    except (ValueError, OverflowError):
        return None
    if first.tzinfo or second.tzinfo:  # "12:00-6:00" read as noon at UTC-6: a range, not a zone
        return None
    has_day = (first.month, first.day) == (second.month, second.day)
    has_time = first.hour == second.hour
    if not has_day and not has_time:
        return None
    day = None
    if has_day:
        day = first.date() if first.year == second.year else _next_occurrence(first.month, first.day, today)
        if day is None:
            return None
    return _Part(day, day, first.time() if has_time else None)


def _next_occurrence(month: int, day: int, today: date) -> date | None:
    for year in (today.year, today.year + 1, today.year + 4):  # Feb 29 waits for a leap year
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    return None


def _assemble(parts: list[_Part], zone: str | None, schedule: str | None) -> _When | str:
    days = sorted(
        {
            part.first_day + timedelta(days=n)
            for part in parts
            if part.first_day
            for n in range(((part.last_day or part.first_day) - part.first_day).days + 1)
        }
    )
    if not days:
        return reasons.no_date()
    clocks = [part for part in parts if part.start]
    spanning = [part for part in clocks if part.last_day and part.last_day != part.first_day]
    first_day, last_day = days[0], days[-1]
    if not clocks:
        if (last_day - first_day).days + 1 != len(days):
            return reasons.separate_days()
        return _When(first_day, last_day if last_day != first_day else None, None, None, zone, None)
    if len(days) > 1 and not (len(clocks) == 1 and spanning):
        return reasons.times_on_several_days()
    start = min(part.start for part in clocks)
    ends = [part.end for part in clocks if part.end]
    end = max(ends) if ends else None
    end_date = last_day if spanning else first_day + timedelta(days=1) if end and end <= start else None
    return _When(first_day, end_date, start, end, zone, schedule)


# --- the export's CSV ---------------------------------------------------------------

REQUIRED_COLUMNS = ("title", "start_date")
TRUE_WORDS, FALSE_WORDS = {"yes", "y", "true", "1"}, {"no", "n", "false", "0"}


class NotAnExport(ValueError):
    """A CSV without the columns of `/event export`."""


def read_csv(text: str, *, default_timezone: str, today: date) -> list[Entry]:
    """Every row of an export (messages.export), as entries. Columns it does not know are left
    alone; cancelled events are not brought back. Raises NotAnExport without a title or start_date."""
    rows = csv.reader(io.StringIO(text))
    header = [name.strip().lower() for name in next(rows, [])]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise NotAnExport(reasons.not_an_export(missing))
    entries = []
    while True:
        line = rows.line_num + 1  # where the row starts (a cell may hold several lines)
        cells = next(rows, None)
        if cells is None:
            return entries
        if any(cell.strip() for cell in cells):
            row = {
                name: export.restore(cell).strip() for name, cell in zip(header, cells, strict=False)
            }  # a short row: the rest empty
            entries.append(_read_row(row, line, "\x1f".join(cells), default_timezone, today))


def _read_row(row: dict[str, str], line: int, source: str, default_timezone: str, today: date) -> Entry:
    problems: list[str] = []

    def cell(name: str) -> str | None:
        return row.get(name) or None

    def read(name: str, reader):
        raw = cell(name)
        value = reader(raw, today) if raw else None
        if raw and value is None:
            problems.append(reasons.bad_cell(name, raw))
        return value

    title = cell("title") or ""
    named_type = cell("event_type")
    event_type = type_named(named_type) if named_type else infer_type(title)
    if event_type is None:
        problems.append(reasons.bad_cell("event_type", named_type))
    if (cell("status") or "").casefold() == export.CANCELLED:
        problems.append(reasons.cancelled_row())
    values = EventFormValues(
        timezone=cell("timezone") or default_timezone,
        title=title,
        event_type=event_type,
        all_day=bool(read("all_day", _yes_no)),
        start_date=read("start_date", read_day),
        start_time=read("start_time", read_clock),
        end_date=read("end_date", read_day),
        end_time=read("end_time", read_clock),
        is_public=read("is_public", _yes_no) is not False,
        campaign_slug=cell("campaign"),
        **{
            name: cell(name)
            for name in (
                "address",
                "city",
                "state",
                "zip_code",
                "online_url",
                "lead_organizations",
                "contact_name",
                "contact_email",
                "details",
            )
        },
    )
    return Entry(line, title, source, values, tuple(problems))


def _yes_no(text: str, today: date) -> bool | None:
    word = text.casefold()
    return True if word in TRUE_WORDS else False if word in FALSE_WORDS else None


def read_day(text: str, today: date) -> date | None:
    """A date as people write it in a cell (2027-02-22, 2/22/27, Feb 22 2027), by dateutil."""
    part = _reading(text, today)
    return part.first_day if part and not part.start else None


def read_clock(text: str, today: date) -> time | None:
    """A time of day (13:30, 1:30 PM)."""
    part = _reading(MIDNIGHT.sub("12:00am", NOON.sub("12:00pm", text)), today)
    return part.start if part and not part.first_day else None
