"""Reading listings (services.listings): every listing of the Day of Action page, field by field,
dates in the zones they name, and listings that cannot be read, each with its reason."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from messages import content
from messages import listings as reasons
from messages.event_form import EventFormValues
from services.event_form import parse_form_values
from services.listings import NotAnExport, read_csv, read_listings, read_message
from storage.models import EventType
from timemath import UTC

ROOT = Path(__file__).resolve().parent.parent
SEED_PAGE = ROOT / "tests" / "vendor" / "seeds" / "day-of-action.txt"  # the coalition's page, unchanged
DEFAULT = "America/Chicago"  # what the caller says for listings that name no zone
NY, LA, DENVER, PHOENIX = "America/New_York", "America/Los_Angeles", "America/Denver", "America/Phoenix"
FEB_2017 = date(2017, 2, 1)
FEB_2017_NOON = datetime(2017, 2, 1, 12, tzinfo=UTC)

SEED_LISTINGS = content.demo_listings()  # the seed page's "Upcoming Events", shipped verbatim

CHIRLA_NOTE = (
    "If you are interested in attending or learning more, please reach out directly to Isabel Sanchez. "
    "This is not open to the public."
)
MEREDITH = dict(contact_name="Meredith Owen", contact_email="mowen@cwsglobal.org")
CHIRLA = dict(
    city="Los Angeles",
    contact_name="Isabel Sanchez",
    contact_email="isanchez@chirla.org",
    details=CHIRLA_NOTE,
    is_public=False,
    all_day=True,
)


def read(title: str, event_type: EventType, timezone: str = DEFAULT, **fields) -> EventFormValues:
    return EventFormValues(timezone=timezone, title=title, event_type=event_type, **fields)


def day(d: int) -> date:
    return date(2017, 2, d)


# What each listing says, as a person reads it; None: it gives no date ("no Date and Time line").
EXPECTED: list[tuple[EventFormValues, bool]] = [
    (
        read(
            "Springdale: #WeAreAllAmerica Rally before Sen. Cotton Town Hall",
            EventType.RALLY,
            start_date=day(22),
            start_time=time(16),
            city="Springdale",
            address="Springdale High School Pat Walker Performing Arts Center",
            lead_organizations="Arkansas United Community Coalition, Ozark Indivisible, LUCHA",
            contact_name="Michel Rangel",
            contact_email="field@arkansascoalition.org",
            congress_members=["C001095"],
        ),
        True,
    ),
    (
        read(
            "Phoenix: #WeAreAllAmerica Rally and Prayer Vigil",
            EventType.RALLY,
            PHOENIX,
            start_date=day(22),
            start_time=time(12),
            end_time=time(19),
            address="2200 East Camelback Rd.",
            city="Phoenix",
            state="AZ",
            lead_organizations="Promise Arizona, We Are All America Coalition",
            contact_name="James Garcia",
            contact_email="jgcvm1@gmail.com",
            details="Schedule: Rally at 12:00-6:00pm, Prayer Vigil at 6:00-7:00pm (MT)",
        ),
        True,
    ),
    (
        read(
            "Los Angeles: #WeAreAllAmerica Immigration Panel Discussion & Press Conference with Sen. Kamala Harris",
            EventType.PANEL_DISCUSSION,
            start_date=day(22),
            lead_organizations="CHIRLA",
            **CHIRLA,
        ),
        True,
    ),
    (
        read(
            "Los Angeles: #WeAreAllAmerica DHS Committee Roundtable Discussion",
            EventType.PANEL_DISCUSSION,
            start_date=day(23),
            lead_organizations="California Table for CIR/Los Angeles Action Table",
            **CHIRLA,
        ),
        True,
    ),
    (
        read(
            "Los Angeles: #WeAreAllAmerica Roundtable Discussion with Sen. Feinstein’s Staff",
            EventType.PANEL_DISCUSSION,
            start_date=day(23),
            lead_organizations="CHIRLA",
            **CHIRLA,
        ),
        True,
    ),
    (
        read(
            "Sacramento: #WeAreAllAmerica: Legislative Visit with Rep. Bera",
            EventType.LEGISLATIVE_VISIT,
            all_day=True,
            start_date=day(21),
            city="Sacramento",
            lead_organizations="Church World Service Miami",
            **MEREDITH,
            congress_members=["B001287"],
        ),
        True,
    ),
    (
        read(
            "Modesto: #WeAreAllAmerica Canvass and Rally",
            EventType.CANVASS,
            LA,
            start_date=day(24),
            start_time=time(13),
            address="4701 Sisk Road",
            city="Modesto",
            state="CA",
            zip_code="95356",
            lead_organizations="SIREN, SEIU Local 521, Mi Familia Vota",
            contact_name="Jeremy Barousse",
            contact_email="jeremy@siren-bayarea.org",
            details="This event will include a canvass of the neighborhood, getting constituents to sign pledge cards and "
            "making phone calls into Rep. Jeff Denham’s office to denounce the Executive Orders on Immigration by "
            "the President, support bills that rescind the Executive Orders, and support the Bridge Act which would "
            "protect DACA recipients.",
        ),
        True,
    ),
    (
        read(
            "Glendale: #WeAreAllAmerica Conversation about the Refugee Program with Rep. Adam Schiff",
            EventType.PANEL_DISCUSSION,
            LA,
            start_date=day(24),
            start_time=time(19),
            city="Glendale",
            address="Glendale Community College Mainstage Theater/Auditorium 1500 N. Verdugo Road",
            lead_organizations="Muslim Public Affairs Council, Hebrew Immigrant Aid Society, American Civil Liberties Union",
        ),
        True,
    ),
    (
        read(
            "Denver: “We Don’t Want SB90 Back in CO” Press Conference",
            EventType.PRESS_CONFERENCE,
            DENVER,
            start_date=day(22),
            start_time=time(13, 30),
            address="Colorado State Capitol: 200 E. 14th",
            city="Denver",
            state="CO",
            zip_code="80203",
            lead_organizations="Colorado Immigrant Rights Coalition",
            contact_name="Ezzie Dominguez",
            contact_email="ezzie@coloradoimmigrant.org",
            details="HB-1134 will be heard in the House State Affairs Committee at 1:30pm on Wednesday. CIRC is holding a "
            "press conference in the Capitol’s West Foyer at 2:00pm PT – join us in the Capitol lobby at 1:30. And "
            "we need everyone to call the legislators on the House State Affairs Committee to vote against hate and "
            "oppose HB-1134!",
        ),
        True,
    ),
    (
        read(
            "Denver: #WeAreAllAmerica Legislative visit with Sen. Gardner’s staff",
            EventType.LEGISLATIVE_VISIT,
            city="Denver",
        ),
        False,
    ),
    (
        read(
            "Miami: #WeAreAllAmerica: Legislative Visit with Rep. Ros Lehtinen",
            EventType.LEGISLATIVE_VISIT,
            all_day=True,
            start_date=day(21),
            city="Miami",
            lead_organizations="Church World Service Miami",
            **MEREDITH,
        ),
        True,
    ),
    (
        read(
            "Miami: #WeAreAllAmerica: Legislative Visit with Rep. Diaz Balart",
            EventType.LEGISLATIVE_VISIT,
            all_day=True,
            start_date=day(21),
            city="Miami",
            lead_organizations="Church World Service Miami",
            **MEREDITH,
            congress_members=["D000600"],
        ),
        True,
    ),
    (
        read(
            "#WeAreAllAmerica: Stand with Refugees, Muslims, and Immigrants Legislative Visit with Rep. Isakson",
            EventType.LEGISLATIVE_VISIT,
            NY,
            start_date=day(24),
            start_time=time(10),
            address="Isakson’s Congressional Office",
            lead_organizations="MPower Change",
            contact_name="Asma Elhurani",
        ),
        True,
    ),
    (
        read(
            "Willowbrook: #WeAreAllAmerica Join us in solidarity as we honor the diversity of this great country",
            EventType.OTHER,
            city="Willowbrook",
        ),
        False,
    ),
    (
        read(
            "#WeAreAllAmerica: Stand with Refugees, Muslims, and Immigrants Legislative Visit with Rep. Lipinski",
            EventType.LEGISLATIVE_VISIT,
        ),
        False,
    ),
    (
        read(
            "#WeAreAllAmerica: IL Stands with Migrants and Refugees Call In Day",
            EventType.CALL_IN_DAY,
            start_date=day(22),
            start_time=time(9),
            end_time=time(17),
            city="Chicago",
            state="IL",
            lead_organizations="Interfaith Committee for Detained Immigrants",
            contact_name="Sara Wohlleb",
            contact_email="UCIMChicago@gmail.com",
        ),
        True,
    ),
    (
        read(
            "#WeAreAllAmerica: Legislative Visit with Rep. Roskam",
            EventType.LEGISLATIVE_VISIT,
            all_day=True,
            start_date=day(22),
            end_date=day(24),
            address="Roskam’s office",
            city="Chicago",
            state="IL",
            lead_organizations="MPower Change, ICIRR",
            contact_name="Aliya Hussein",
        ),
        True,
    ),
    (
        read("Portland: Stand Up for Muslim Americans, Refugees, and Immigrants", EventType.OTHER, city="Portland"),
        False,
    ),
    (
        read(
            "Canton: #WeAreAllAmerica: Interfaith Solidarity March",
            EventType.RALLY,
            NY,
            start_date=day(22),
            start_time=time(17, 30),
            address="Cherry Hill United Methodist Church, 321 Ridge Rd S",
            city="Canton",
            state="MI",
            zip_code="48188",
            lead_organizations="Michigan United, APIA Vote Michigan, United Methodist Church Detroit Conference Office of "
            "Mission and Justice, Bilal Masjid",
            contact_name="Adonis Flores",
            contact_email="adonis@miunited.org",
            details="Christian and Muslim leaders will join together to call on members of Congress to stand with "
            "immigrants, Muslims and refugees. The group will begin at Cherry Hill United Methodist Church and "
            "march to Bilal Masjid in Canton.",
        ),
        True,
    ),
    (
        read(
            "#WeAreAllAmerica: Stand with Refugees, Muslims, and Immigrants Legislative Visit with Rep. Upton",
            EventType.LEGISLATIVE_VISIT,
            all_day=True,
            start_date=day(21),
            lead_organizations="Bethany Christian Services Of Michigan",
            **MEREDITH,
        ),
        True,
    ),
    (read("Lansing: #WeAreAllAmerica: Solidarity Vigil", EventType.PRAYER_VIGIL, city="Lansing"), False),
    (read("Omaha: #WeAreAllAmerica Light the Way for Refugees and Immigrants", EventType.OTHER, city="Omaha"), False),
    (read("Statewide Convening: #WeAreAllAmerica social media push", EventType.SOCIAL_MEDIA_PUSH), False),
    (read("Elizabeth: Recess Resistance: Immigrant Rights Day of Action", EventType.OTHER, city="Elizabeth"), False),
    (
        read(
            "#WeAreAllAmerica: Stand with Refugees, Muslims, and Immigrants Legislative Visit with Sen. Menendez",
            EventType.LEGISLATIVE_VISIT,
            NY,
            start_date=day(24),
            start_time=time(9),
            lead_organizations="MPower Change",
            contact_name="Anas Q.",
        ),
        True,
    ),
    (
        read(
            "Greensboro: #WeAreAllAmerica: Community Meeting for Refugees with Sen. Tillis and Rep. Walker",
            EventType.TOWN_HALL,
            NY,
            start_date=day(22),
            start_time=time(11),
            address="New Arrivals Institute, 2714 W. Market St.",
            city="Greensboro",
            state="NC",
            zip_code="27403",
            lead_organizations="Church World Service, New Arrivals Institute, African Services Coalition, Faith Action "
            "International House",
            contact_name="Adamou Mohamed",
            contact_email="amohamed@cwsglobal.org",
            details="Refugees, constituents, employers of refugees, and faith leaders will speak and share stories to "
            "demonstrate support for refugees with Senators, Members of Congress, North Carolina General Assembly "
            "legislators, and their staff.",
            congress_members=["T000476"],
        ),
        True,
    ),
    (
        read(
            "Charlotte: #WeAreAllAmerica: Legislative Visit with Rep. Tillis Staff",
            EventType.LEGISLATIVE_VISIT,
            NY,
            start_date=day(22),
            start_time=time(9, 30),
            address="9300 Harris Corners Pkwy",
            city="Charlotte",
            state="NC",
            zip_code="28269",
            lead_organizations="Latin American Coalition",
            contact_name="Jose Hernandez-Paris",
            contact_email="Jhparis@latinamericancoalition.org",
        ),
        True,
    ),
    (
        read(
            "Charlotte: #WeAreAllAmerica: Town Hall Mobilization",
            EventType.TOWN_HALL,
            NY,
            start_date=day(24),
            start_time=time(11),
            address="Townhall with Reps. Butterfield and Price",
            city="Charlotte",
            lead_organizations="Church World Service Durham",
            contact_name="Sijal Nasralla",
            contact_email="snasralla@cwsglobal.org",
        ),
        True,
    ),
    (
        read(
            "Salem: #WeAreAllAmerica: Rep. Schrader Town Hall",
            EventType.TOWN_HALL,
            LA,
            start_date=day(22),
            start_time=time(18),
            address="North Salem High School Gym 765 14th Street NE",
            city="Salem",
            state="OR",
            zip_code="97301",
            lead_organizations="Causa Oregon, Oregon DACA Coalition",
            contact_name="Cristina Marquez",
            contact_email="cristinam@causaoregon.org",
            details="We will attend Congressman Schrader’s town hall to express our concerns around immigration enforcement.",
        ),
        True,
    ),
    (read("#WeAreAllAmerica: Interfaith Ecumenical Gathering", EventType.OTHER), False),
    (
        read(
            "#WeAreAllAmerica: Stand with Refugees, Muslims, and Immigrants Legislative Visit with Sen. Casey",
            EventType.LEGISLATIVE_VISIT,
            NY,
            start_date=day(23),
            start_time=time(10),
            lead_organizations="MPower Change",
            contact_name="Tarek E.",
        ),
        True,
    ),
    (read("Various Cities: #WeAreAllAmerica: Drop in visits to Sen. Bob Corker", EventType.LEGISLATIVE_VISIT), False),
    (
        read(
            "#WeAreAllAmerica: Stand with Refugees, Muslims, and Immigrants Legislative Visit with Sen. Alexander",
            EventType.LEGISLATIVE_VISIT,
            NY,
            start_date=day(24),
            start_time=time(12),
            lead_organizations="MPower Change",
            contact_name="Bassam",
        ),
        True,
    ),
    (
        read(
            "#WeAreAllAmerica: Legislative Visit with Sen. Cornyn",
            EventType.LEGISLATIVE_VISIT,
            all_day=True,
            start_date=day(24),
            lead_organizations="IRC, Refugee Services of Texas, Seek the Peace, Northridge Presbyterian Church",
            **MEREDITH,
            congress_members=["C001056"],
        ),
        True,
    ),
    (
        read(
            "#WeAreAllAmerica: Legislative Visit with Rep. Hensarling",
            EventType.LEGISLATIVE_VISIT,
            all_day=True,
            start_date=day(24),
            lead_organizations="RST, Mosaic, Temple Emanu-El, NorthPark Presbyterian",
            **MEREDITH,
        ),
        True,
    ),
    (
        read(
            "Richmond: #WeAreAllAmerica: In District Call to Sen. Kaine",
            EventType.CALL_IN_DAY,
            city="Richmond",
            congress_members=["K000384"],
        ),
        False,
    ),
    (read("UCC Action Alert: #WeAreAllAmerica: Stand with Immigrants, Refugees & Muslims", EventType.OTHER), False),
]


@pytest.fixture(scope="module")
def seed_entries():
    return read_listings(SEED_LISTINGS, default_timezone=DEFAULT, today=FEB_2017)


def test_the_page_lists_37_events(seed_entries):
    assert len(seed_entries) == len(EXPECTED) == 37


def test_the_demo_ships_the_seed_page_listings_verbatim():
    # Under "Upcoming Events", up to the toolkit.
    page = (
        SEED_PAGE.read_text(encoding="utf-8")
        .split("Upcoming Events\n", 1)[1]
        .split("Congressional Day of Action Toolkit", 1)[0]
    )
    assert content.demo_listings().strip() == page.strip()


@pytest.mark.parametrize("number", range(len(EXPECTED)), ids=lambda n: EXPECTED[n][0].title[:40])
def test_every_listing_of_the_seed_page(seed_entries, number):
    expected, readable = EXPECTED[number]
    entry = seed_entries[number]
    assert entry.title == expected.title
    assert entry.values == expected  # every field the modal has
    assert entry.problems == (() if readable else (reasons.no_when(),))


def test_how_many_seed_listings_read_with_every_field_right(seed_entries):
    right = [
        e for e, (expected, _) in zip(seed_entries, EXPECTED, strict=True) if not e.problems and e.values == expected
    ]
    unread = [e for e in seed_entries if e.problems]
    # The figure for the report: 25 of the 37 read with every field right; the 12 others give no date.
    assert (len(right), len(unread)) == (25, 12)
    assert all(e.problems == (reasons.no_when(),) for e in unread)


def test_times_are_read_in_the_zone_the_listing_names(seed_entries):
    """As the modal would save them: the wall time in the named zone, as a UTC instant."""
    instants = {}
    for entry in seed_entries:
        if entry.problems or entry.values.all_day:
            continue
        data, errors = parse_form_values(entry.values, now=FEB_2017_NOON, needs_channel=False)
        assert not errors, (entry.title, errors)
        instants[entry.title.split(":")[0]] = data
    assert instants["Modesto"].starts_at.isoformat() == "2017-02-24T21:00:00+00:00"  # 1:00pm PT = UTC-8
    assert instants["Denver"].starts_at.isoformat() == "2017-02-22T20:30:00+00:00"  # 1:30pm MT = UTC-7
    assert instants["Canton"].starts_at.isoformat() == "2017-02-22T22:30:00+00:00"  # 5:30pm ET = UTC-5
    phoenix = instants["Phoenix"]
    assert (phoenix.starts_at.isoformat(), phoenix.ends_at.isoformat()) == (
        "2017-02-22T19:00:00+00:00",
        "2017-02-23T02:00:00+00:00",
    )
    assert instants["Springdale"].timezone == DEFAULT  # names no zone: the caller's default


def one(text: str, *, today: date = FEB_2017, zone: str = DEFAULT):
    [entry] = read_listings(text, default_timezone=zone, today=today)
    return entry


def listing(when: str, address: str = "Main St, Mesa, AZ") -> str:
    return f"Mesa: Rally\n  • Date and Time: {when}\n  • Address: {address}\n"


def test_mt_is_phoenix_in_arizona_and_denver_elsewhere_which_differ_in_summer():
    arizona = one(listing("7/4/27 at 10:00am MT")).values
    colorado = one(listing("7/4/27 at 10:00am MT", "200 E. 14th, Denver, CO 80203")).values
    assert (arizona.timezone, colorado.timezone) == (PHOENIX, DENVER)
    now = FEB_2017_NOON
    arizona_start = parse_form_values(arizona, now, needs_channel=False)[0].starts_at
    colorado_start = parse_form_values(colorado, now, needs_channel=False)[0].starts_at
    assert (arizona_start.hour, colorado_start.hour) == (17, 16)  # MST all year (UTC-7); MDT in July (UTC-6)


@pytest.mark.parametrize(
    "when, zone, start, end",
    [
        ("2/22/17 at 4:00pm ET", NY, time(16), None),
        ("2/22/17, 9:00am—5:00pm CT", "America/Chicago", time(9), time(17)),
        ("2/22/17 from 9am to 5pm PST", LA, time(9), time(17)),
        ("Wednesday, February 22nd, 2017, 11:00-1:00pm (Eastern Time)", NY, time(11), time(13)),
        ("Feb 22 at noon AKT", "America/Anchorage", time(12), None),
        ("2017-02-22 19:30 HST", "Pacific/Honolulu", time(19, 30), None),
    ],
)
def test_date_forms_and_zone_names(when, zone, start, end):
    values = one(listing(when, "1 Main St")).values
    assert (values.start_date, values.timezone, values.start_time, values.end_time) == (
        date(2017, 2, 22),
        zone,
        start,
        end,
    )


def test_a_date_without_a_year_is_its_next_occurrence():
    assert one(listing("Feb 22 at 4pm"), today=date(2026, 11, 21)).values.start_date == date(2027, 2, 22)
    assert one(listing("Dec 1 at 4pm"), today=date(2026, 11, 21)).values.start_date == date(2026, 12, 1)


def test_an_evening_that_runs_past_midnight_ends_the_next_day():
    values = one(listing("3/3/27, 9:00pm-1:00am")).values
    assert (values.start_time, values.end_date, values.end_time) == (time(21), date(2027, 3, 4), time(1))


@pytest.mark.parametrize(
    "when, reason",
    [
        ("TBA", reasons.when_to_be_announced()),
        ("soon", reasons.no_date()),
        ("2/30/17 at 4pm", reasons.unreadable_when("2/30/17")),
        ("2/22/17 at 4pm ET, 5pm PT", reasons.two_zones(["ET", "PT"])),
        ("2/22/17 and 2/24/17", reasons.separate_days()),
        ("2/22/17 at 4pm, 2/23/17 at 5pm", reasons.times_on_several_days()),
        ("2/22/17 at 25:99", reasons.unreadable_when("25:99")),
        ("x" * 400, reasons.when_too_long()),
    ],
)
def test_malformed_dates_are_reported_with_their_reason(when, reason):
    entry = one(listing(when))
    assert entry.problems == (reason,)
    assert entry.values.title == "Mesa: Rally" and entry.values.city == "Mesa"  # the rest is still read


def test_other_malformed_listings():
    twice = one("Tulsa: Vigil\n • Date and Time: 3/3/27\n • Date: 3/4/27\n")
    assert twice.problems == (reasons.repeated_line("Date"),)
    [orphan_bullets_only] = read_listings(
        " • Address: 1 Main St\nTulsa: Vigil\n", default_timezone=DEFAULT, today=FEB_2017
    )
    assert orphan_bullets_only.problems == (reasons.no_when(),) and orphan_bullets_only.values.address is None
    assert read_listings("\n \n", default_timezone=DEFAULT, today=FEB_2017) == []


def test_privacy_unknown_keys_links_and_continued_lines():
    entry = one(
        "Tulsa, OK: Community Forum\n"
        " - When: 3/3/27 at 6pm\n"
        " - Location: https://zoom.us/j/123\n"
        " - Parking: behind the church\n"
        " - Details: Members only,\n"
        "   by invitation only.\n"
    )
    values = entry.values
    assert (values.city, values.state, values.event_type) == ("Tulsa", "OK", EventType.TOWN_HALL)
    assert (values.online_url, values.address) == ("https://zoom.us/j/123", None)
    assert values.details == "Members only, by invitation only.\nParking: behind the church"
    assert values.is_public is False and entry.problems == ()


def test_a_slack_message_is_read_as_its_reader_sees_it():
    text = (
        "*Springdale: #WeAreAllAmerica Rally &amp; Vigil*\n"
        "• Date and Time: 2/22/17 at 4:00pm CT\n"
        "• Lead Contact: Michel Rangel, <mailto:field@arkansascoalition.org|field@arkansascoalition.org>\n"
    )
    entry = read_message(text, default_timezone=NY, today=FEB_2017)
    assert entry.values.title == "Springdale: #WeAreAllAmerica Rally & Vigil"
    assert (entry.values.timezone, entry.values.start_time) == ("America/Chicago", time(16))
    assert (entry.values.contact_name, entry.values.contact_email) == ("Michel Rangel", "field@arkansascoalition.org")
    plain = read_message("Vigil at city hall, everyone welcome", default_timezone=NY, today=FEB_2017)
    assert plain.values.title == "Vigil at city hall, everyone welcome" and plain.problems == (reasons.no_when(),)
    assert read_message("", default_timezone=NY, today=FEB_2017).problems == (reasons.empty_message(),)


def test_an_export_csv_is_read_back_apostrophes_and_all():
    text = (
        "id,status,title,event_type,start_date,start_time,end_date,end_time,all_day,timezone,details,is_public,going\r\n"
        '7,upcoming,\'=Rally,Prayer vigil,2027-02-22,13:30,,15:00,no,America/Denver,"two\nlines",no,4\r\n'
        "8,cancelled,Vigil,,2/23/2027,,,,yes,,,yes,0\r\n"
        "9,upcoming,Town hall,bogus,someday,,,,maybe,,,,0\r\n"
    )
    first, second, third = read_csv(text, default_timezone=NY, today=FEB_2017)
    assert first.values == EventFormValues(
        timezone=DENVER,
        title="=Rally",
        event_type=EventType.PRAYER_VIGIL,
        start_date=date(2027, 2, 22),
        start_time=time(13, 30),
        end_time=time(15),
        details="two\nlines",
        is_public=False,
    )
    assert (first.line, second.line, third.line) == (2, 4, 5) and first.problems == ()
    assert (
        second.values.event_type == EventType.PRAYER_VIGIL and second.values.timezone == NY
    )  # from the title; the default
    assert second.problems == (reasons.cancelled_row(),)
    assert third.problems == (
        reasons.bad_cell("event_type", "bogus"),
        reasons.bad_cell("all_day", "maybe"),
        reasons.bad_cell("start_date", "someday"),
    )
    with pytest.raises(NotAnExport, match="no start_date column"):
        read_csv("title,date\nA,2027-02-22\n", default_timezone=NY, today=FEB_2017)


WHEN_BITS = st.sampled_from(
    [
        "2/22/17",
        "Feb 22",
        "2017-02-22",
        "at",
        "from",
        "to",
        "-",
        "—",
        ",",
        "and",
        "4:00pm",
        "12:00",
        "noon",
        "midnight",
        "all day",
        "MT",
        "PT",
        "Rally",
        "Wednesday",
        "TBA",
        "25:99",
        "99",
        "@",
        ";",
    ]
)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(
    when=st.lists(st.one_of(WHEN_BITS, st.text(max_size=8)), max_size=12).map(" ".join),
    title=st.text(max_size=60),
    address=st.text(max_size=60),
)
def test_any_listing_is_read_or_given_a_reason_never_an_error(when, title, address):
    for text in (f"{title}\n • Date and Time: {when}\n • Address: {address}\n", when, title):
        for entry in read_listings(text, default_timezone=DEFAULT, today=FEB_2017):
            assert entry.problems or entry.values.start_date is not None
            parse_form_values(entry.values, FEB_2017_NOON, needs_channel=False)  # checks, never raises
