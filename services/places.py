"""Places as people type them: a ZIP code or a city and its state, for `/event near` and the web's `?near=`.

Slack-free: the public pages resolve their search box with it too. The data, the distances and
the grid are storage.places'.
"""

from __future__ import annotations

from storage.places import ZIP_CODE, Place, city_place, state_code, zip_place

DEFAULT_RADIUS_MILES = 50
MAX_RADIUS_MILES = 500  # wider than a region is no longer "near"; and it bounds what one search reads
# The most words a state's name has (`Northern Mariana Islands`, `District of Columbia`).
_STATE_WORDS = 3

__all__ = ["DEFAULT_RADIUS_MILES", "MAX_RADIUS_MILES", "Place", "resolve"]


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
