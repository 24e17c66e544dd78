"""The members of Congress data files (storage.congress), built from their sources.

The sources, in one directory (the copies the shipped data is built from are in
tools/congress-sources, with their README and licenses):

- `legislators-current.yaml`, `legislators-district-offices.yaml`, `legislators-social-media.yaml`,
  `committees-current.yaml`, `committee-membership-current.yaml` from unitedstates/congress-legislators
  (CC0 1.0): the members, their offices, their handles, the committees (not subcommittees) they sit on;
- `zccd.csv` from OpenSourceActivismTech/us-zipcodes-congress (Census data, public domain): each
  ZIP code tabulation area (ZCTA) and the districts it overlaps (`state_fips,state_abbr,zcta,cd`).

Parsing the YAML takes seconds (with libyaml; 9-24 s without): it is done here once, by
tools/build_congress.py for the shipped copy and `organizer-bot congress load DIR` for a newer
one, never by a process that looks a member up.
"""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

from storage.congress import COMMITTEES_FILE, DATA_FILES, HOUSE, MEMBERS_FILE, OFFICES_FILE, SENATE, ZIPS_FILE

MEMBERS_SOURCE = "legislators-current.yaml"
OFFICES_SOURCE = "legislators-district-offices.yaml"
SOCIAL_SOURCE = "legislators-social-media.yaml"
COMMITTEES_SOURCE = "committees-current.yaml"
COMMITTEE_MEMBERS_SOURCE = "committee-membership-current.yaml"
ZIPS_SOURCE = "zccd.csv"
SOURCES = (MEMBERS_SOURCE, OFFICES_SOURCE, SOCIAL_SOURCE, COMMITTEES_SOURCE, COMMITTEE_MEMBERS_SOURCE, ZIPS_SOURCE)
ZIPS_COLUMNS = ["state_fips", "state_abbr", "zcta", "cd"]
_CREDIT = (
    "unitedstates/congress-legislators (CC0 1.0) and OpenSourceActivismTech/us-zipcodes-congress "
    "(Census ZCTAs and 119th Congress districts, public domain)"
)


class SourceError(ValueError):
    """A source file is missing or not in the expected format; the message says which and how."""


def build(source_dir: Path) -> dict[str, bytes]:
    """The three data files' bytes, by file name; the same sources always give the same bytes."""
    missing = [name for name in SOURCES if not (source_dir / name).is_file()]
    if missing:
        raise SourceError(f"{source_dir} lacks {', '.join(missing)}")
    members = [m for m in _yaml(source_dir / MEMBERS_SOURCE) if _is_member(m)]
    handles = {
        _bioguide(entry): (entry.get("social") or {}).get("twitter") for entry in _yaml(source_dir / SOCIAL_SOURCE)
    }
    current = {_bioguide(m) for m in members}
    offices = [entry for entry in _yaml(source_dir / OFFICES_SOURCE) if _bioguide(entry) in current]
    return {
        ZIPS_FILE: _text(
            "ZIP code tabulation areas and their districts (0: at large)", _zip_lines(source_dir / ZIPS_SOURCE)
        ),
        MEMBERS_FILE: _text(
            "members of Congress", [_member_line(m, handles.get(_bioguide(m))) for m in _ordered(members)]
        ),
        OFFICES_FILE: _text("district offices", [line for entry in offices for line in _office_lines(entry)]),
        COMMITTEES_FILE: _text("committees and their members, by rank", _committee_lines(source_dir, current)),
    }


def write(files: dict[str, bytes], directory: Path) -> None:
    """Replace the data files in `directory`, each atomically (a process starting meanwhile reads
    whole files, old or new)."""
    directory.mkdir(parents=True, exist_ok=True)
    for name in DATA_FILES:
        descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=f".{name}.")
        with os.fdopen(descriptor, "wb") as file:
            file.write(files[name])
        os.chmod(temporary, 0o644)  # mkstemp's 0600 would keep the bot's other users out
        os.replace(temporary, directory / name)


def _plain_yaml(path: Path):
    import yaml  # only when building: the bot's processes never parse these files

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        with path.open("rb") as file:
            return yaml.load(file, Loader=loader)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as error:
        raise SourceError(f"{path} is not YAML: {error}") from error


def _yaml(path: Path) -> list[dict]:
    entries = _plain_yaml(path)
    if not isinstance(entries, list) or not all(isinstance(entry, dict) and _bioguide(entry) for entry in entries):
        raise SourceError(f"{path} is not a list of entries with an id.bioguide, as congress-legislators' files are")
    return entries


def _bioguide(entry: dict) -> str | None:
    return (entry.get("id") or {}).get("bioguide")


def _is_member(entry: dict) -> bool:
    terms = entry.get("terms") or []
    return bool(terms) and terms[-1].get("type") in (SENATE, HOUSE) and bool(terms[-1].get("state"))


def _ordered(members: list[dict]) -> list[dict]:
    """By state, senators first, then by district."""

    def key(member: dict) -> tuple:
        term = member["terms"][-1]
        return term["state"], term["type"] != SENATE, term.get("district") or 0, _bioguide(member)

    return sorted(members, key=key)


def _member_line(member: dict, twitter: str | None) -> str:
    term, name = member["terms"][-1], member.get("name") or {}
    full_name = name.get("official_full") or " ".join(part for part in (name.get("first"), name.get("last")) if part)
    district = "" if term["type"] == SENATE else str(term.get("district") or 0)
    return _line(
        _bioguide(member),
        term["type"],
        term["state"],
        district,
        term.get("party"),
        full_name,
        name.get("last"),
        term.get("phone"),
        term.get("contact_form"),
        twitter,
        term.get("url"),
    )


def _office_lines(entry: dict) -> list[str]:
    lines = []
    for office in entry.get("offices") or []:
        street = ", ".join(str(office[key]) for key in ("building", "address", "suite") if office.get(key))
        lines.append(
            _line(
                _bioguide(entry),
                street,
                office.get("city"),
                office.get("state"),
                office.get("zip"),
                office.get("phone"),
                _degrees(office.get("latitude")),
                _degrees(office.get("longitude")),
            )
        )
    return lines


def _committee_lines(source_dir: Path, current: set[str]) -> list[str]:
    path = source_dir / COMMITTEE_MEMBERS_SOURCE
    committees = _plain_yaml(source_dir / COMMITTEES_SOURCE)
    seats = _plain_yaml(path)
    if not isinstance(committees, list) or not isinstance(seats, dict):
        raise SourceError(f"{source_dir} has committees not as congress-legislators writes them")
    lines = []
    for committee in committees:
        thomas_id = committee.get("thomas_id")
        members = [seat.get("bioguide") for seat in seats.get(thomas_id) or [] if seat.get("bioguide") in current]
        if thomas_id and members:
            lines.append(_line(thomas_id, committee.get("name"), " ".join(members)))
    return sorted(lines)


def _zip_lines(path: Path) -> list[str]:
    districts: dict[str, list[str]] = {}
    with path.open(newline="", encoding="utf-8") as file:
        rows = csv.reader(file)
        if next(rows, None) != ZIPS_COLUMNS:
            raise SourceError(f"{path} does not start with the columns {','.join(ZIPS_COLUMNS)}")
        for row in rows:
            if len(row) != len(ZIPS_COLUMNS) or not row[2].isdigit() or not row[3].isdigit():
                raise SourceError(
                    f"{path}, line {rows.line_num}: expected a state, a ZCTA and a district number, got {row}"
                )
            label = f"{row[1]}-{int(row[3])}"
            if label not in districts.setdefault(row[2], []):
                districts[row[2]].append(label)
    return [f"{zcta}\t{' '.join(sorted(labels, key=_district_order))}" for zcta, labels in sorted(districts.items())]


def _district_order(label: str) -> tuple[str, int]:
    state, _, number = label.partition("-")
    return state, int(number)


def _degrees(value) -> str:
    """Five decimals (about a metre), trailing zeros dropped."""
    return "" if value is None else f"{float(value):.5f}".rstrip("0").rstrip(".")


def _line(*fields) -> str:
    """Tab-separated fields; a field's own tabs and line breaks become spaces."""
    return "\t".join(" ".join(str(field).split()) if field is not None else "" for field in fields)


def _text(what: str, lines: list[str]) -> bytes:
    return "\n".join([f"# {what}: built by storage/congress_sources.py from {_CREDIT}", *lines, ""]).encode("utf-8")
