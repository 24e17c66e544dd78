"""Where US places are: ZIP codes and cities with their coordinates; distances; the map's grid.

The data (storage/data/us_places.tsv, built from the `zipcodes` package by
tools/build_places.py, see there for its sources) is one sorted line per place:

    95356	37.7005	-121.0252	Modesto, CA          a ZIP code, with its city
    modesto, ca	37.6578	-120.9831	Modesto, CA    a city (`place_key`), at the mean of its ZIP codes

It is mapped into memory on first use and searched by bisection, never parsed: a process holds
only the few pages its lookups read (the file is 3.3 MB; the `zipcodes` package's own tables
would take ~40 MB of every process that geocodes, and ~0.7 s to load).

The grid: events are indexed by the 2° x 2° cell they are in (`cell_of`), so that a search
around a point reads the few cells of its bounding box (`Box.cells`), each an index range.
"""

from __future__ import annotations

import math
import mmap
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "us_places.tsv"
EARTH_RADIUS_MILES = 3958.8
ZIP_CODE = re.compile(r"([0-9]{5})(?:-[0-9]{4})?")

STATE_NAMES = {
    "alabama": "AL",
    "alaska": "AK",
    "arizona": "AZ",
    "arkansas": "AR",
    "california": "CA",
    "colorado": "CO",
    "connecticut": "CT",
    "delaware": "DE",
    "district of columbia": "DC",
    "florida": "FL",
    "georgia": "GA",
    "hawaii": "HI",
    "idaho": "ID",
    "illinois": "IL",
    "indiana": "IN",
    "iowa": "IA",
    "kansas": "KS",
    "kentucky": "KY",
    "louisiana": "LA",
    "maine": "ME",
    "maryland": "MD",
    "massachusetts": "MA",
    "michigan": "MI",
    "minnesota": "MN",
    "mississippi": "MS",
    "missouri": "MO",
    "montana": "MT",
    "nebraska": "NE",
    "nevada": "NV",
    "new hampshire": "NH",
    "new jersey": "NJ",
    "new mexico": "NM",
    "new york": "NY",
    "north carolina": "NC",
    "north dakota": "ND",
    "ohio": "OH",
    "oklahoma": "OK",
    "oregon": "OR",
    "pennsylvania": "PA",
    "rhode island": "RI",
    "south carolina": "SC",
    "south dakota": "SD",
    "tennessee": "TN",
    "texas": "TX",
    "utah": "UT",
    "vermont": "VT",
    "virginia": "VA",
    "washington": "WA",
    "west virginia": "WV",
    "wisconsin": "WI",
    "wyoming": "WY",
    "puerto rico": "PR",
    "guam": "GU",
    "virgin islands": "VI",
    "us virgin islands": "VI",
    "american samoa": "AS",
    "northern mariana islands": "MP",
}
# How the USPS and people shorten the first word of a city's name, spelled out in keys.
_SPELLED_OUT = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount"}


@dataclass(frozen=True)
class Place:
    latitude: float
    longitude: float
    label: str  # "Modesto, CA 95356", "Denver, CO": plain text, not escaped


# --- names --------------------------------------------------------------------------------------


def name_words(text: str) -> list[str]:
    """Lower case, accents and punctuation dropped: `Cañon City` and `canon city` are one name."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", ascii_text).split()


def state_code(text: str | None) -> str | None:
    """`CA`, `ca` and `California` -> CA; anything else -> None."""
    words = name_words(text or "")
    if len(words) == 1 and len(words[0]) == 2 and words[0].isalpha():
        return words[0].upper()
    return STATE_NAMES.get(" ".join(words))


def place_key(city: str, state: str) -> str:
    """The data file's key of a city: `St. Louis`, `Saint Louis` and `ST LOUIS` of MO are `saint louis, mo`."""
    words = name_words(city)
    words = [_SPELLED_OUT.get(word, word) for word in words]
    return f"{' '.join(words)}, {state.lower()}"


# --- the data -----------------------------------------------------------------------------------


class SortedTable:
    """The data file, mapped into memory: the pages a lookup reads are all it costs, shared by every
    process on the machine. Its lines are sorted by key, so a lookup bisects byte offsets."""

    def __init__(self, path: Path) -> None:
        with path.open("rb") as file:
            self._data = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        self._first = self._data.find(b"\n") + 1  # after the header line

    def _first_from(self, wanted: bytes) -> int:
        """The offset of the first line whose key is not before `wanted`."""
        data = self._data
        low, high = self._first, len(data)  # lines before `low` sort before the key, lines from `high` on do not
        while low < high:
            start = data.rfind(b"\n", 0, (low + high) // 2) + 1  # the line around the middle
            if data[start : data.find(b"\t", start)] < wanted:
                low = data.find(b"\n", start) + 1
            else:
                high = start
        return low

    def find(self, key: str) -> list[str] | None:
        data, wanted = self._data, key.encode()
        low = self._first_from(wanted)
        if low == len(data) or data[low : data.find(b"\t", low)] != wanted:
            return None
        return data[low : data.find(b"\n", low)].decode().split("\t")

    def starting_with(self, prefix: str) -> list[list[str]]:
        """The lines whose key begins with `prefix`: they are next to each other."""
        data, wanted, found = self._data, prefix.encode(), []
        at = self._first_from(wanted)
        while at < len(data) and data[at : at + len(wanted)] == wanted:
            end = data.find(b"\n", at)
            found.append(data[at:end].decode().split("\t"))
            at = end + 1
        return found

    def count(self, text: str) -> int:
        """How many times `text` occurs: a scan at memory speed (~1 ms), for the rare question."""
        data, wanted, found, at = self._data, text.encode(), 0, 0
        while (at := data.find(wanted, at) + 1) > 0:
            found += 1
        return found


_opening = threading.Lock()
_table: SortedTable | None = None


def _data() -> SortedTable:
    global _table
    if _table is None:
        with _opening:
            if _table is None:
                _table = SortedTable(DATA_FILE)
    return _table


def _place(fields: list[str] | None, label: str | None = None) -> Place | None:
    if fields is None:
        return None
    _, latitude, longitude, name = fields
    return Place(float(latitude), float(longitude), label or name)


def zip_place(text: str | None) -> Place | None:
    """A ZIP code (`95356`, `95356-1234`), at its own coordinates, labelled with its city."""
    match = ZIP_CODE.fullmatch((text or "").strip())
    if not match:
        return None
    fields = _data().find(match.group(1))
    return _place(fields, fields and f"{fields[3]} {match.group(1)}")


def city_place(city: str | None, state: str | None) -> Place | None:
    """A city of a state (`Denver`, `CO` or `Colorado`), at the middle of its ZIP codes."""
    code = state_code(state)
    if not city or code is None:
        return None
    return _place(_data().find(place_key(city, code)))


def states_of_city(city: str) -> dict[str, int]:
    """The states that have a city of this name, each with how many ZIP codes it has: `Denver` ->
    {"CO": 69, "IA": 1, ...}. What a city named without its state can be."""
    table, states = _data(), {}
    for fields in table.starting_with(place_key(city, "")):
        state = fields[0].rpartition(", ")[2].upper()
        # Its ZIP codes' lines end with its label, as its own line does.
        states[state] = table.count(f"\t{fields[3]}\n") - 1
    return states


@lru_cache(maxsize=1024)
def locate(zip_code: str | None, city: str | None, state: str | None) -> Place | None:
    """Where an event is: its ZIP code, else its city and state; None when neither is known."""
    return zip_place(zip_code) or city_place(city, state)


# --- distances and the grid ---------------------------------------------------------------------


def miles_between(latitude_a: float, longitude_a: float, latitude_b: float, longitude_b: float) -> float:
    """Great-circle distance (haversine) on a sphere of the Earth's mean radius: within 0.5%."""
    phi_a, phi_b = math.radians(latitude_a), math.radians(latitude_b)
    d_phi, d_lambda = phi_b - phi_a, math.radians(longitude_b - longitude_a)
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi_a) * math.cos(phi_b) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(h)))


ONLINE_CELL = -1  # the cell of events that are only online: found apart, by the same index
# Cells of 2° x 2°: a 50-mile search reads at most 4 of them (south of Alaska), a 500-mile one
# about 90, few enough that PostgreSQL still reads them cell by cell rather than the team's
# whole upcoming range (it stopped at ~100 over 10,000 events).
CELL_DEGREES = 2
_COLUMNS = 360 // CELL_DEGREES


def cell_of(latitude: float, longitude: float) -> int:
    """The grid cell of a point: rows from the south pole, columns from the 180th meridian eastwards."""
    return _row(latitude) * _COLUMNS + _column(longitude) % _COLUMNS


def _row(latitude: float) -> int:
    return min(math.floor((latitude + 90) / CELL_DEGREES), 180 // CELL_DEGREES - 1)


def _column(longitude: float) -> int:
    return math.floor((longitude + 180) / CELL_DEGREES)


def miles_to_cell(latitude: float, longitude: float, cell: int) -> float:
    """The least distance from a point to a grid cell (0 inside it): no place in the cell is nearer.

    On the cell's nearer meridian the distance has one minimum, at the latitude where a great
    circle from the point meets it square (when within 90° of longitude; beyond, at a corner).
    """
    south = cell // _COLUMNS * CELL_DEGREES - 90
    north = south + CELL_DEGREES
    east_of_west_edge = (longitude - (cell % _COLUMNS * CELL_DEGREES - 180)) % 360
    away = 0.0 if east_of_west_edge <= CELL_DEGREES else min(east_of_west_edge - CELL_DEGREES, 360 - east_of_west_edge)
    slant = math.cos(math.radians(away))
    if slant > 0:
        square = math.degrees(math.atan(math.tan(math.radians(latitude)) / slant))
        return miles_between(latitude, 0.0, min(max(square, south), north), away)
    return min(miles_between(latitude, 0.0, edge, away) for edge in (south, north))


@dataclass(frozen=True)
class Box:
    """The latitudes and longitudes within `miles` of a point: every point of the circle is inside."""

    south: float
    north: float
    west: float
    east: float  # east < west when the box crosses the 180th meridian

    @classmethod
    def around(cls, latitude: float, longitude: float, miles: float) -> Box:
        angle = miles / EARTH_RADIUS_MILES  # radians of arc
        spread = math.degrees(angle)
        south, north = max(latitude - spread, -90.0), min(latitude + spread, 90.0)
        # The widest a circle gets in longitude (at its tangent points); around a pole, all of it.
        ratio = math.sin(angle) / math.cos(math.radians(latitude)) if abs(latitude) < 90 else 2.0
        if south == -90.0 or north == 90.0 or ratio >= 1:
            return cls(south, north, -180.0, 180.0)
        width = math.degrees(math.asin(ratio))
        return cls(south, north, _wrap(longitude - width), _wrap(longitude + width))

    def cells(self) -> list[int]:
        west, east = _column(self.west), _column(self.east)
        if east < west:  # across the 180th meridian
            east += _COLUMNS
        columns = range(west, min(east, west + _COLUMNS - 1) + 1)
        return [
            row * _COLUMNS + column % _COLUMNS
            for row in range(_row(self.south), _row(self.north) + 1)
            for column in columns
        ]


def _wrap(longitude: float) -> float:
    return (longitude + 180.0) % 360.0 - 180.0
