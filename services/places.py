"""Places as people type them: a ZIP code or a city and its state, for `/event near` and the web's `?near=`.

Slack-free: the public pages resolve their search box with it too. The data, the distances and
the grid are storage.places'.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from storage.models import normalize_city
from storage.places import ZIP_CODE, Place, city_place, state_code, states_of_city, zip_place

DEFAULT_RADIUS_MILES = 50
MAX_RADIUS_MILES = 500  # wider than a region is no longer "near"; and it bounds what one search reads
# The most words a state's name has (`Northern Mariana Islands`, `District of Columbia`).
_STATE_WORDS = 3

# A city named without its state is in the state whose city of that name has this many times the
# ZIP codes of all its namesakes together: Denver, CO (69 against 6), Miami, FL (100 against 8);
# not Glendale (AZ 13, CA 14) nor Springdale (AR 4, four others 1 each).
DOMINANT = 4

__all__ = ["DEFAULT_RADIUS_MILES", "DOMINANT", "MAX_RADIUS_MILES", "Place", "named_states", "resolve", "state_of_city"]


def resolve(text: str | None) -> Place | None:
    """`95356`, `95356-1234`, `Denver, CO`, `Denver CO`, `Santa Fe, New Mexico` or `Modesto, CA 95356`
    -> where it is (a ZIP code at its own coordinates, a city at the middle of its ZIP codes);
    None when it is none of those, or not in the data (a city without its state is ambiguous)."""
    words = (text or "").replace(",", " , ").split()
    if words and ZIP_CODE.fullmatch(words[-1]):
        return zip_place(words[-1])
    city, comma, state = " ".join(words).rpartition(",")
    if comma:
        return city_place(city, state)
    for count in range(1, _STATE_WORDS + 1):
        state = " ".join(words[-count:])
        if len(words) > count and state_code(state):
            if place := city_place(" ".join(words[:-count]), state):
                return place
    return None


def named_states(pairs: Iterable[tuple[str | None, str | None]]) -> dict[str, set[str]]:
    """Normalized city -> the states it is named with, of the (city, state) pairs that have both:
    the workspace's events (storage.events.cities_and_states), listings beside one another."""
    named: dict[str, set[str]] = {}
    for city, state in pairs:
        if city and state:
            named.setdefault(normalize_city(city), set()).add(state.upper())
    return named


def state_of_city(city: str, named: Mapping[str, Collection[str]]) -> str | None:
    """The state of a city named without one, when it can be told: the one state the same city is
    named with elsewhere (`named`, from `named_states`); else the one state that has a city of that
    name, or whose city of that name dwarfs its namesakes (`DOMINANT`); else the one of its states
    that `named` holds any city of. None: it cannot be told, the organizer is asked."""
    states = states_of_city(city)
    if not states:
        return None
    elsewhere = [state for state in named.get(normalize_city(city), ()) if state in states]
    if len(elsewhere) == 1:
        return elsewhere[0]
    if len(states) == 1:
        return next(iter(states))
    first, *others = sorted(states, key=states.__getitem__, reverse=True)
    if states[first] and states[first] >= DOMINANT * sum(states[state] for state in others):
        return first
    nearby = {state for places_there in named.values() for state in places_there}
    near = [state for state in states if state in nearby]
    return near[0] if len(near) == 1 else None
