"""Who represents a ZIP code in Congress: the members, their offices, and the districts of each ZIP code.

The data (built from unitedstates/congress-legislators and the Census ZCTAs of the 119th
Congress's districts by storage.congress_sources, see there) is four files of storage/data/:

    congress_zips.tsv     10003	NY-10 NY-12              a ZCTA and its districts (0: at large), sorted
    congress_members.tsv  M001177	rep	CA	5	Democrat…     one line a member
    congress_offices.tsv  M001177	1 Main St…	Modesto	…     one line a district office
    congress_committees.tsv  SSJU	Senate Committee on the Judiciary	G000386 D000563…   members by rank

The ZIP codes (34,000 lines) are mapped and bisected like the place data (storage.places):
never parsed. The members, offices and committees (1,900 lines) are read on the first lookup
that needs them. A process that never looks a member up reads nothing.

`organizer-bot congress load DIR` writes newer copies of the four files into CONGRESS_DATA_DIR
(`use_data_dir`); a process reads them from there, when there are some, from its next start.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from storage.places import ZIP_CODE, SortedTable, miles_between, name_words, zip_place

SHIPPED_DIR = Path(__file__).parent / "data"
ZIPS_FILE, MEMBERS_FILE, OFFICES_FILE = "congress_zips.tsv", "congress_members.tsv", "congress_offices.tsv"
COMMITTEES_FILE = "congress_committees.tsv"
DATA_FILES = (ZIPS_FILE, MEMBERS_FILE, OFFICES_FILE, COMMITTEES_FILE)
SENATE, HOUSE = "sen", "rep"
# The House's members without a state: delegates, and Puerto Rico's resident commissioner.
SENATOR, REPRESENTATIVE, DELEGATE, RESIDENT_COMMISSIONER = (
    "senator",
    "representative",
    "delegate",
    "resident_commissioner",
)
DELEGATE_SEATS = ("AS", "DC", "GU", "MP", "VI")


@dataclass(frozen=True)
class Office:
    address: str  # street, building and suite
    city: str
    state: str
    zip_code: str
    phone: str | None
    latitude: float | None
    longitude: float | None

    def miles_from(self, latitude: float, longitude: float) -> float | None:
        if self.latitude is None or self.longitude is None:
            return None
        return miles_between(latitude, longitude, self.latitude, self.longitude)


@dataclass(frozen=True)
class District:
    state: str
    number: int  # 0: the state's (or territory's) only district

    @property
    def label(self) -> str:
        """`CA-5`; `WY-AL` for an at-large district."""
        return f"{self.state}-{self.number or 'AL'}"


@dataclass(frozen=True)
class Member:
    bioguide: str  # the Congress's own id, stable across terms
    chamber: str  # SENATE or HOUSE (delegates and the resident commissioner too)
    state: str
    district: int | None  # None for senators
    party: str  # as the source spells it: Democrat, Republican, Independent
    name: str
    last_name: str
    phone: str | None  # the Washington office
    contact_form: str | None
    twitter: str | None  # without the @
    website: str | None
    offices: tuple[Office, ...]

    @property
    def role(self) -> str:
        if self.chamber == SENATE:
            return SENATOR
        if self.state == "PR":
            return RESIDENT_COMMISSIONER
        return DELEGATE if self.state in DELEGATE_SEATS else REPRESENTATIVE

    @property
    def seat(self) -> District | None:
        return None if self.district is None else District(self.state, self.district)

    def nearest_office(self, latitude: float | None, longitude: float | None) -> Office | None:
        """The district office nearest a point; the first listed when the point or their places are unknown."""
        if latitude is None or longitude is None:
            return self.offices[0] if self.offices else None
        placed = [
            (miles, office) for office in self.offices if (miles := office.miles_from(latitude, longitude)) is not None
        ]
        if not placed:
            return self.offices[0] if self.offices else None
        return min(placed, key=lambda pair: pair[0])[1]


@dataclass(frozen=True)
class Seat:
    district: District
    member: Member | None  # None while the seat is vacant


@dataclass(frozen=True)
class ZipMembers:
    """A ZIP code's districts and members. More than one district: the ZIP code is split, and only
    a street address decides which one a person lives in."""

    zip_code: str
    place: str | None  # "Modesto, CA 95356" (storage.places), when known
    latitude: float | None  # the ZIP code's own coordinates, when known
    longitude: float | None
    seats: tuple[Seat, ...]
    senators: tuple[Member, ...]

    @property
    def split(self) -> bool:
        return len(self.seats) > 1

    @property
    def members(self) -> tuple[Member, ...]:
        """Every member who represents some of the ZIP code: the representatives, then the senators."""
        return tuple(seat.member for seat in self.seats if seat.member) + self.senators

    def nearest_office(self, member: Member) -> Office | None:
        return member.nearest_office(self.latitude, self.longitude)


@dataclass(frozen=True)
class Committee:
    thomas_id: str  # SSJU, HSJU: the Congress's own code
    name: str
    members: tuple[Member, ...]  # by rank, the majority first


@dataclass(frozen=True)
class Coverage:
    """Which members a campaign's events are for, and who is left: the states neither of whose
    senators an event is for, the House members (delegates too) no event is for, and each
    committee's members no event is for."""

    targeted: tuple[Member, ...]
    states_without_senators: tuple[str, ...]
    seats_without: int
    seats: int
    committees: tuple[tuple[Committee, tuple[Member, ...]], ...]


@dataclass(frozen=True)
class Answer:
    """What a query found: a ZIP code's members, a state's delegation, or members by name.
    `no_district`: the ZIP code asked for is in no district (no ZCTA: a PO box, a single building)."""

    query: str
    zip_members: ZipMembers | None = None
    state: str | None = None
    members: tuple[Member, ...] = ()
    no_district: str | None = None


# --- the data -----------------------------------------------------------------------------------


class _Roster:
    """The members and their offices, read once."""

    def __init__(self, directory: Path) -> None:
        offices: dict[str, list[Office]] = {}
        for fields in _lines(directory / OFFICES_FILE):
            bioguide, address, city, state, zip_code, phone, latitude, longitude = fields
            offices.setdefault(bioguide, []).append(
                Office(address, city, state, zip_code, phone or None, _float(latitude), _float(longitude))
            )
        self.members: list[Member] = []
        for fields in _lines(directory / MEMBERS_FILE):
            bioguide, chamber, state, district, party, name, last_name, phone, contact_form, twitter, website = fields
            self.members.append(
                Member(
                    bioguide,
                    chamber,
                    state,
                    int(district) if district else None,
                    party,
                    name,
                    last_name,
                    phone or None,
                    contact_form or None,
                    twitter or None,
                    website or None,
                    tuple(offices.get(bioguide, ())),
                )
            )
        self.senators: dict[str, list[Member]] = {}
        self.representatives: dict[District, Member] = {}
        for member in self.members:
            if member.seat is None:
                self.senators.setdefault(member.state, []).append(member)
            else:
                self.representatives[member.seat] = member
        self.words = {member.bioguide: set(name_words(member.name)) for member in self.members}
        by_id = {member.bioguide: member for member in self.members}
        self.committees = {
            thomas_id: Committee(thomas_id, name, tuple(by_id[b] for b in bioguides.split() if b in by_id))
            for thomas_id, name, bioguides in _lines(directory / COMMITTEES_FILE)
        }


def _lines(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


def _float(text: str) -> float | None:
    return float(text) if text else None


_opening = threading.Lock()
_data_dir: Path | None = None
_zips: SortedTable | None = None
_roster: _Roster | None = None


def use_data_dir(directory: Path | None) -> None:
    """Read the data from `directory` (CONGRESS_DATA_DIR) when it holds the files, else the shipped copy."""
    global _data_dir, _zips, _roster
    with _opening:
        _data_dir, _zips, _roster = directory, None, None


def data_dir() -> Path:
    if _data_dir is not None and all((_data_dir / name).is_file() for name in DATA_FILES):
        return _data_dir
    return SHIPPED_DIR


def _zip_table() -> SortedTable:
    global _zips
    if _zips is None:
        with _opening:
            if _zips is None:
                _zips = SortedTable(data_dir() / ZIPS_FILE)
    return _zips


def _members() -> _Roster:
    global _roster
    if _roster is None:
        with _opening:
            if _roster is None:
                _roster = _Roster(data_dir())
    return _roster


# --- lookups ------------------------------------------------------------------------------------


def districts_of(zip_code: str) -> tuple[District, ...]:
    """The districts a ZIP code's area lies in. A ZIP code without a ZCTA (a PO box, a single
    building; the territories but Puerto Rico have none in the table) is known only where its
    state has one district (Wyoming, DC, Guam): elsewhere it has none."""
    fields = _zip_table().find(zip_code)
    if fields is not None:
        return tuple(_district(label) for label in fields[1].split())
    place = zip_place(zip_code)
    at_large = District(place.label.rsplit(", ", 1)[-1][:2], 0) if place else None
    return (at_large,) if at_large in _members().representatives else ()


def _district(label: str) -> District:
    state, _, number = label.partition("-")
    return District(state, int(number))


def members_of_zip(text: str) -> ZipMembers | None:
    """The members for a ZIP code (`95356`, `95356-1234`); None when it is in no district."""
    match = ZIP_CODE.fullmatch(text.strip())
    if not match:
        return None
    zip_code = match.group(1)
    districts = districts_of(zip_code)
    if not districts:
        return None
    roster = _members()
    place = zip_place(zip_code)
    states = list(dict.fromkeys(district.state for district in districts))
    return ZipMembers(
        zip_code,
        place and place.label,
        place and place.latitude,
        place and place.longitude,
        tuple(Seat(district, roster.representatives.get(district)) for district in districts),
        tuple(senator for state in states for senator in roster.senators.get(state, ())),
    )


def delegation(state: str) -> list[Member]:
    """A state's senators, then its representatives by district."""
    roster = _members()
    house = sorted(
        (m for m in roster.members if m.state == state and m.chamber == HOUSE), key=lambda m: m.district or 0
    )
    return [*roster.senators.get(state, ()), *house]


def find_members(text: str, *, prefixes: bool = False) -> list[Member]:
    """The members whose names have every word typed (accents and case aside): `Padilla`,
    `alex padilla`, `Ros-Lehtinen`; with `prefixes`, words begun (`pad`), as a menu searches.
    Senators first, then by state and district."""
    wanted = name_words(text)
    if not wanted:
        return []
    roster = _members()

    def named(member: Member) -> bool:
        words = roster.words[member.bioguide]
        if prefixes:
            return all(any(word.startswith(typed) for word in words) for typed in wanted)
        return all(typed in words for typed in wanted)

    return sorted(filter(named, roster.members), key=lambda m: (m.chamber != SENATE, m.state, m.district or 0))


def coverage(targeted_ids: set[str], committee_ids: tuple[str, ...]) -> Coverage:
    roster = _members()
    targeted = tuple(m for m in roster.members if m.bioguide in targeted_ids)
    return Coverage(
        targeted=targeted,
        states_without_senators=tuple(
            state
            for state, senators in roster.senators.items()
            if not any(s.bioguide in targeted_ids for s in senators)
        ),
        seats_without=sum(m.bioguide not in targeted_ids for m in roster.representatives.values()),
        seats=len(roster.representatives),
        committees=tuple(
            (committee, tuple(m for m in committee.members if m.bioguide not in targeted_ids))
            for thomas_id in committee_ids
            if (committee := roster.committees.get(thomas_id))
        ),
    )


def members_by_id(bioguides: list[str]) -> list[Member]:
    """The current members of these ids, in their order; an id no longer in Congress is left out."""
    by_id = {m.bioguide: m for m in _members().members}
    return [by_id[bioguide] for bioguide in bioguides if bioguide in by_id]
