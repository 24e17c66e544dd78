"""Build storage/data/us_places.tsv, the place data of distance search, from the `zipcodes` package.

    .venv/bin/python tools/build_places.py          # rewrite the data file
    .venv/bin/python tools/build_places.py --check  # exit 1 if the file is not what this build gives

`zipcodes` (MIT; coordinates from GeoNames, CC BY 4.0; ZIP codes and cities from USPS lists)
is a test dependency, not a runtime one: loaded, its tables take ~40 MB of a process and its first
query ~0.7 s, where the bot needs only a ZIP's and a city's coordinates. This keeps those, sorted
by key, one line each (see storage/places.py), and the test suite runs `--check`, so that a new
`zipcodes` pinned in constraints.txt fails the tests until the file is rebuilt.

Left out: military ZIP codes (APO/FPO/DPO, states AA, AE, AP), whose coordinates are not where
anyone gathers. A city is placed at the mean of its standard ZIP codes (of all its ZIP codes when
it has no standard one); a name that the USPS accepts for a ZIP code of another city (Hollywood,
CA for 90028) is a city too, unless a city of that state already has the name.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import zipcodes

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storage.places import DATA_FILE, place_key  # noqa: E402

MILITARY_STATES = {"AA", "AE", "AP"}


def build() -> bytes:
    """The data file's text, deterministic: the same `zipcodes` gives the same bytes."""
    zips = [z for z in zipcodes.list_all() if z["zip_code_type"] != "MILITARY" and z["state"] not in MILITARY_STATES]
    header = (
        f"# US ZIP codes and cities with coordinates: built by tools/build_places.py from zipcodes {zipcodes.__version__} "
        "(MIT; coordinates from GeoNames, CC BY 4.0; ZIP codes and cities from USPS lists)"
    )
    lines = sorted([*_zip_lines(zips), *_city_lines(zips)])
    return "\n".join([header, *lines, ""]).encode("ascii")


def _zip_lines(zips: list[dict]) -> Iterable[str]:
    for z in zips:
        yield f"{z['zip_code']}\t{_degrees(float(z['lat']))}\t{_degrees(float(z['long']))}\t{z['city']}, {z['state']}"


def _city_lines(zips: list[dict]) -> Iterable[str]:
    primary: dict[str, list[dict]] = defaultdict(list)
    names: dict[str, set[str]] = defaultdict(set)
    for z in zips:
        key = place_key(z["city"], z["state"])
        primary[key].append(z)
        names[key].add(z["city"])
    accepted: dict[str, list[dict]] = defaultdict(list)
    for z in zips:
        for alias in z["acceptable_cities"]:
            key = place_key(alias, z["state"])
            if key not in primary:
                accepted[key].append(z)
                names[key].add(alias)
    for key, members in [*primary.items(), *accepted.items()]:
        latitude, longitude = _centroid(members)
        # Two spellings of one key (Winston-salem, Winston Salem): the one most ZIP codes use.
        name = max(sorted(names[key]), key=lambda n: sum(z["city"] == n for z in members))
        yield f"{key}\t{_degrees(latitude)}\t{_degrees(longitude)}\t{name}, {members[0]['state']}"


def _centroid(members: list[dict]) -> tuple[float, float]:
    standard = [z for z in members if z["zip_code_type"] == "STANDARD"] or members
    return (
        sum(float(z["lat"]) for z in standard) / len(standard),
        sum(float(z["long"]) for z in standard) / len(standard),
    )


def _degrees(value: float) -> str:
    """Four decimals (about 10 m), trailing zeros dropped."""
    return f"{value:.4f}".rstrip("0").rstrip(".")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the data file instead of writing it")
    text = build()
    if parser.parse_args().check:
        if DATA_FILE.read_bytes() != text:
            print(
                f"{DATA_FILE} is not what zipcodes {zipcodes.__version__} gives: run tools/build_places.py",
                file=sys.stderr,
            )
            return 1
        return 0
    DATA_FILE.write_bytes(text)
    places = text.count(b"\n") - 1
    print(f"wrote {DATA_FILE.relative_to(ROOT)}: {places} places, {DATA_FILE.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
