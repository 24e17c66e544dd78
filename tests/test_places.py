"""Geocoding against known places, distances against known figures, the grid against the circle,
and the packaged place data against the `zipcodes` package it is built from."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.places import named_states, resolve, state_of_city
from storage import places
from storage.models import location_keys

ROOT = Path(__file__).resolve().parent.parent
DENVER_CITY_HALL = (39.7392, -104.9903)


def miles(a: places.Place, b: places.Place | tuple[float, float]) -> float:
    b_latitude, b_longitude = (b.latitude, b.longitude) if isinstance(b, places.Place) else b
    return places.miles_between(a.latitude, a.longitude, b_latitude, b_longitude)


# --- what people type ---------------------------------------------------------------------------


def test_a_zip_code_is_at_its_own_coordinates_with_its_city():
    modesto = resolve("95356")
    assert modesto == places.Place(37.7005, -121.0252, "Modesto, CA 95356")
    assert resolve("95356-1234") == resolve(" 95356 ") == resolve("Modesto, CA 95356") == modesto


def test_a_city_is_at_the_middle_of_its_zip_codes():
    denver = resolve("Denver, CO")
    assert denver.label == "Denver, CO"
    assert miles(denver, DENVER_CITY_HALL) < 2  # the centroid of Denver's ZIP codes is downtown
    for spelling in ("Denver CO", "denver, co", "DENVER,  Colorado", "Denver Colorado"):
        assert resolve(spelling) == denver, spelling


@pytest.mark.parametrize(
    "typed, label",
    [
        ("St. Louis, MO", "Saint Louis, MO"),
        ("Cañon City, CO", "Canon City, CO"),
        ("Española, NM", "Espanola, NM"),
        ("Winston-Salem, NC", "Winston Salem, NC"),
        ("Santa Fe New Mexico", "Santa Fe, NM"),
        ("Washington, DC", "Washington, DC"),
        ("Hollywood, CA", "Hollywood, CA"),  # a name the USPS accepts for Los Angeles ZIP codes
    ],
)
def test_spellings_people_use_find_the_city(typed, label):
    assert resolve(typed).label == label


@pytest.mark.parametrize(
    "typed",
    ["", "Denver", "Atlantis, ZZ", "Denver, XX", "00000", "9535", "95356 100", "<!channel>", "Springfield, Narnia"],
)
def test_what_is_not_a_known_place_resolves_to_nothing(typed):
    assert resolve(typed) is None


def test_an_event_is_placed_by_its_zip_code_else_its_city_and_state_else_online():
    modesto, denver = resolve("95356"), resolve("Denver, CO")
    assert location_keys("95356", "Denver", "CO", None)[:2] == (modesto.latitude, modesto.longitude)
    assert location_keys("99999", "Denver", "co", None)[:2] == (denver.latitude, denver.longitude)  # no such ZIP code
    assert location_keys(None, "Denver", None, "https://meet.example.org/x") == (None, None, places.ONLINE_CELL)
    assert location_keys(None, None, None, None) == (None, None, None)


# --- distances ----------------------------------------------------------------------------------


def test_the_states_a_city_without_its_state_could_be_in_with_their_zip_codes():
    denver = places.states_of_city("Denver")
    assert denver["CO"] == 69 and set(denver) >= {"CO", "IA", "PA"} and max(denver, key=denver.get) == "CO"
    assert places.states_of_city("los angeles") == {"CA": 98}
    assert places.states_of_city("St. Louis") == places.states_of_city("Saint Louis") and "MO" in places.states_of_city(
        "St. Louis"
    )
    assert places.states_of_city("Nowhereville") == {}


def test_a_city_without_its_state_is_placed_only_when_it_can_be_told():
    # The place data: the only one of its name, or one whose namesakes are villages.
    assert state_of_city("Los Angeles", {}) == "CA"
    assert state_of_city("Denver", {}) == "CO"
    assert state_of_city("Miami", {"tulsa": {"OK"}}) == "FL"
    # Two of a size: the workspace decides, by the same city named with its state, else by the states it works in.
    assert state_of_city("Glendale", {}) is None
    assert state_of_city("Glendale", {"glendale": {"CA"}, "phoenix": {"AZ"}}) == "CA"
    assert state_of_city("Glendale", {"phoenix": {"AZ"}, "houston": {"TX"}}) == "AZ"
    assert state_of_city("Glendale", {"phoenix": {"AZ"}, "modesto": {"CA"}}) is None
    assert state_of_city("Springdale", {"modesto": {"CA"}}) is None
    # The same city named with a state it has no city of that name in does not count.
    assert state_of_city("Springdale", {"springdale": {"TX"}}) is None
    assert state_of_city("Nowhereville", {"nowhereville": {"TX"}}) is None
    assert named_states([("Glendale", "ca"), ("Denver", None), (None, "CO"), ("GLENDALE ", "AZ")]) == {
        "glendale": {"CA", "AZ"}
    }


def test_distance_between_two_zip_codes_is_within_a_mile_of_the_geodesic():
    # Modesto 95356 to San Francisco 94102: 76.41 miles on the WGS84 ellipsoid between the two
    # ZIP codes' coordinates (GeographicLib's geodesic); the haversine on a sphere is within 0.5%.
    assert miles(resolve("95356"), resolve("94102")) == pytest.approx(76.41, abs=1.0)


def test_distance_across_the_country_is_within_half_a_percent_of_the_published_figure():
    jfk, lax = (40.6398, -73.7789), (33.9425, -118.4081)  # the airports' reference points
    assert places.miles_between(*jfk, *lax) == pytest.approx(2475, rel=0.005)  # great-circle 2,475 mi
    assert places.miles_between(*jfk, *jfk) == 0


# --- the grid covers the circle -----------------------------------------------------------------


def destination(latitude: float, longitude: float, bearing: float, distance: float) -> tuple[float, float]:
    """The point `distance` miles from a point along `bearing` (degrees), on the same sphere."""
    phi, lam, theta, delta = (
        math.radians(latitude),
        math.radians(longitude),
        math.radians(bearing),
        distance / places.EARTH_RADIUS_MILES,
    )
    phi2 = math.asin(math.sin(phi) * math.cos(delta) + math.cos(phi) * math.sin(delta) * math.cos(theta))
    lam2 = lam + math.atan2(
        math.sin(theta) * math.sin(delta) * math.cos(phi), math.cos(delta) - math.sin(phi) * math.sin(phi2)
    )
    return math.degrees(phi2), (math.degrees(lam2) + 540) % 360 - 180


@given(
    latitude=st.floats(-89.9, 89.9),
    longitude=st.floats(-180, 180),
    radius=st.integers(1, 500),
    bearing=st.floats(0, 360),
    fraction=st.floats(0, 1),
)
def test_every_point_within_the_radius_is_in_a_cell_of_the_bounding_box(latitude, longitude, radius, bearing, fraction):
    point = destination(latitude, longitude, bearing, radius * fraction * 0.9999)
    assert places.cell_of(*point) in places.Box.around(latitude, longitude, radius).cells()


SIDE, COLUMNS = places.CELL_DEGREES, 360 // places.CELL_DEGREES


@given(
    latitude=st.floats(-89.9, 89.9),
    longitude=st.floats(-180, 180),
    cell=st.integers(0, COLUMNS * 180 // SIDE - 1),
    north_of_south_edge=st.floats(0, 0.999),
    east_of_west_edge=st.floats(0, 0.999),
)
def test_no_place_in_a_cell_is_nearer_than_its_bound(latitude, longitude, cell, north_of_south_edge, east_of_west_edge):
    inside = (
        cell // COLUMNS * SIDE - 90 + SIDE * north_of_south_edge,
        cell % COLUMNS * SIDE - 180 + SIDE * east_of_west_edge,
    )
    assert places.cell_of(*inside) == cell
    assert places.miles_to_cell(latitude, longitude, cell) <= places.miles_between(latitude, longitude, *inside) + 1e-6


def test_the_box_is_a_few_cells_near_home_and_wraps_the_180th_meridian():
    modesto = resolve("95356")
    assert len(places.Box.around(modesto.latitude, modesto.longitude, 50).cells()) <= 4
    adak = (51.88, -176.66)  # the Aleutians: a 500-mile circle reaches past 180°
    cells = places.Box.around(*adak, 500).cells()
    assert places.cell_of(52.0, 179.5) in cells and places.cell_of(52.0, -170.5) in cells
    assert places.cell_of(52.0, 180.0) == places.cell_of(52.0, -180.0) and places.cell_of(90.0, 0) == places.cell_of(
        89.0, 0
    )
    assert len(cells) == len(set(cells))


# --- the packaged data --------------------------------------------------------------------------


def test_the_place_data_is_what_the_pinned_zipcodes_package_gives():
    result = subprocess.run(
        [sys.executable, "tools/build_places.py", "--check"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


PROBE = """
import sys
from storage import places

def private_kib():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("RssAnon:"))

before = private_kib()
assert places.zip_place("95356") and places.city_place("Denver", "CO")
print(private_kib() - before, [m for m in sys.modules if m.startswith("zipcodes")])
"""


def test_the_place_data_is_mapped_not_loaded_into_the_process():
    """The 3.3 MB file read into memory, or the `zipcodes` package's 40 MB, would show here."""
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=60)
    grown_kib, loaded = result.stdout.split(" ", 1)
    assert int(grown_kib) < 2048 and loaded.strip() == "[]", result.stdout + result.stderr
