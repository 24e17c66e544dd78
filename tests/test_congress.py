"""The members of Congress by ZIP code against the source files' own facts; the shipped data
against the sources; `organizer-bot congress load`; what a lookup costs a process."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from storage import congress
from storage.congress_sources import SourceError, build

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "tools" / "congress-sources"  # the copies the shipped data is built from


@pytest.fixture(autouse=True)
def shipped_data():
    congress.use_data_dir(None)
    yield
    congress.use_data_dir(None)


def names(members) -> list[str]:
    return [m.name for m in members]


# --- ZIP codes ----------------------------------------------------------------------------------


def test_a_modesto_zip_code_is_mcclintocks_district_with_californias_senators():
    found = congress.members_of_zip("95356")
    assert not found.split
    [seat] = found.seats
    assert seat.district.label == "CA-5"
    assert (seat.member.name, seat.member.party, seat.member.phone) == ("Tom McClintock", "Republican", "202-225-2511")
    assert seat.member.twitter == "RepMcClintock"
    assert names(found.senators) == ["Alex Padilla", "Adam B. Schiff"]
    assert all(s.phone.startswith("202-224-") for s in found.senators)
    assert names(found.members) == ["Tom McClintock", "Alex Padilla", "Adam B. Schiff"]
    assert congress.members_of_zip("95356-1234") == found


def test_the_nearest_district_office_is_by_distance_from_the_zip_code():
    found = congress.members_of_zip("95356")
    mcclintock = found.seats[0].member
    assert {o.city for o in mcclintock.offices} == {"Modesto", "El Dorado Hills"}
    office = found.nearest_office(mcclintock)
    assert (office.city, office.phone, office.address) == ("Modesto", "209-550-6910", "1020 15th Street, Suite 11")
    # Near El Dorado Hills (95762) the other one is nearer.
    assert congress.members_of_zip("95762").nearest_office(mcclintock).city == "El Dorado Hills"


def test_a_split_zip_code_lists_every_district():
    found = congress.members_of_zip("10003")
    assert found.split
    assert [(s.district.label, s.member.name) for s in found.seats] == [
        ("NY-10", "Daniel S. Goldman"),
        ("NY-12", "Jerrold Nadler"),
    ]
    assert names(found.senators) == ["Kirsten E. Gillibrand", "Charles E. Schumer"]


@pytest.mark.parametrize(
    "zip_code, state, representative",
    [("82001", "WY", "Harriet M. Hageman"), ("99501", "AK", "Nicholas J. Begich III")],
)
def test_at_large_states_are_district_zero(zip_code, state, representative):
    found = congress.members_of_zip(zip_code)
    [seat] = found.seats
    assert (seat.district.number, seat.district.label, seat.member.name) == (0, f"{state}-AL", representative)
    assert len(found.senators) == 2 and {s.state for s in found.senators} == {state}


def test_washington_dc_has_a_delegate_and_no_senators():
    found = congress.members_of_zip("20001")
    assert [s.member.name for s in found.seats] == ["Eleanor Holmes Norton"] and found.senators == ()
    # The White House has no ZCTA, but DC has one district: it is Norton's too.
    assert [s.member.name for s in congress.members_of_zip("20500").seats] == ["Eleanor Holmes Norton"]


def test_territories_have_their_delegate_and_no_senators():
    puerto_rico = congress.members_of_zip("00601")
    assert [s.member.name for s in puerto_rico.seats] == ["Pablo José Hernández"] and puerto_rico.senators == ()
    guam = congress.members_of_zip("96910")  # Guam's ZIP codes have no ZCTA in the table: its one district
    assert [(s.district.label, s.member.name) for s in guam.seats] == [
        ("GU-AL", "James C. Moylan")
    ] and guam.senators == ()


@pytest.mark.parametrize("zip_code", ["95353", "10008", "00000", "99999"])
def test_a_zip_code_without_a_zcta_in_a_state_of_several_districts_has_none(zip_code):
    """PO boxes (Modesto's 95353, New York's 10008) and ZIP codes that do not exist: no guess."""
    assert congress.members_of_zip(zip_code) is None


@pytest.mark.parametrize("text", ["", "9535", "953567", "CA", "95356x"])
def test_only_zip_codes_are_looked_up_as_zip_codes(text):
    assert congress.members_of_zip(text) is None


# --- states and names ---------------------------------------------------------------------------


def test_a_states_delegation_senators_first_then_by_district():
    california = congress.delegation("CA")
    assert names(california[:2]) == ["Alex Padilla", "Adam B. Schiff"]
    house = california[2:]
    assert [m.district for m in house] == sorted(m.district for m in house) and len(house) >= 50
    assert congress.delegation("ZZ") == []


@pytest.mark.parametrize(
    "typed, found",
    [
        ("Padilla", ["Alex Padilla"]),
        ("alex PADILLA", ["Alex Padilla"]),
        ("hernandez", ["Pablo José Hernández"]),
        ("Bera", ["Ami Bera"]),
        ("Ros-Lehtinen", []),  # no longer in Congress
        ("", []),
    ],
)
def test_members_by_name(typed, found):
    assert names(congress.find_members(typed)) == found


def test_a_name_shared_across_chambers_lists_senators_first():
    found = congress.find_members("Scott")
    assert len(found) > 2 and found[0].chamber == congress.SENATE
    assert [m.chamber for m in found] == sorted((m.chamber for m in found), key=lambda c: c != congress.SENATE)


# --- the data files -----------------------------------------------------------------------------


def test_the_shipped_data_is_what_the_source_files_give():
    result = subprocess.run(
        [sys.executable, "tools/build_congress.py", "--check", str(SOURCES)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_the_data_has_every_member_and_zcta_of_the_sources():
    files = build(SOURCES)
    assert files[congress.MEMBERS_FILE].count(b"\n") - 1 == 537
    assert b"\nSSJU\tSenate Committee on the Judiciary\t" in files[congress.COMMITTEES_FILE]
    assert files[congress.ZIPS_FILE].count(b"\n") - 1 == 33_774
    split = sum(b" " in line for line in files[congress.ZIPS_FILE].splitlines()[1:])
    assert split == 7_299
    assert files[congress.OFFICES_FILE].count(b"\n") - 1 == 1_312


def test_a_source_directory_without_the_files_is_refused_by_name(tmp_path):
    (tmp_path / "zccd.csv").write_text("state_fips,state_abbr,zcta,cd\n")
    with pytest.raises(SourceError, match="legislators-current.yaml"):
        build(tmp_path)


def test_a_newer_copy_in_the_data_directory_is_read_instead_of_the_shipped_one(tmp_path):
    for name in congress.DATA_FILES:
        shutil.copy(congress.SHIPPED_DIR / name, tmp_path / name)
    members = tmp_path / congress.MEMBERS_FILE
    members.write_text(members.read_text().replace("202-225-2511", "202-225-0000"))
    congress.use_data_dir(tmp_path)
    assert congress.members_of_zip("95356").seats[0].member.phone == "202-225-0000"
    congress.use_data_dir(tmp_path / "empty")  # no files there: the shipped copy
    assert congress.members_of_zip("95356").seats[0].member.phone == "202-225-2511"


def test_cli_congress_load_writes_the_data_directory(tmp_path, monkeypatch, capsys):
    from bot.cli import main

    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("CONGRESS_DATA_DIR", "")
    assert main(["congress", "load", str(SOURCES)]) == 2
    assert "CONGRESS_DATA_DIR" in capsys.readouterr().err
    monkeypatch.setenv("CONGRESS_DATA_DIR", str(tmp_path / "congress"))
    assert main(["congress", "load", str(tmp_path)]) == 2
    assert "lacks legislators-current.yaml" in capsys.readouterr().err
    assert main(["congress", "load", str(SOURCES)]) == 0
    for name in congress.DATA_FILES:
        assert (tmp_path / "congress" / name).read_bytes() == (congress.SHIPPED_DIR / name).read_bytes()


# --- what it costs --------------------------------------------------------------------------------

PROBE = """
import sys, time
def private_kib():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("RssAnon:"))

import bot.app
from storage import congress
assert congress._zips is None and congress._roster is None  # importing the bot read nothing
before = private_kib()
started = time.perf_counter()
assert congress.members_of_zip("95356").seats[0].member.name == "Tom McClintock"
first = time.perf_counter() - started
print(private_kib() - before, [m for m in sys.modules if m == "yaml"], f"{first * 1000:.1f}")
"""


def test_the_first_lookup_costs_little_and_importing_nothing():
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=60)
    grown_kib, loaded, _ = result.stdout.rsplit(" ", 2)
    assert int(grown_kib) < 4096 and loaded == "[]", result.stdout + result.stderr


def test_a_title_before_a_name_says_the_chamber():
    from services.congress import answer, suggest

    assert {m.chamber for m in answer("Sen. Scott").members} == {congress.SENATE}
    assert {m.chamber for m in answer("Rep. Scott").members} == {congress.HOUSE}
    assert [m.name for m in answer("Rep. Bera").members] == ["Ami Bera"]
    assert answer("Sen. Bera") is None
    assert [m.name for m in suggest("rep. bera")] == ["Ami Bera"]
    assert [m.name for m in suggest("Wyoming")] == ["John Barrasso", "Cynthia M. Lummis", "Harriet M. Hageman"]


# --- listings naming members ----------------------------------------------------------------------


def test_the_seeds_listings_link_the_members_they_name_when_unambiguous():
    from datetime import date

    from messages import content
    from services.listings import read_listings

    text = (content.CONTENT_DIR / "day-of-action-listings.txt").read_text()
    entries = {
        entry.title: entry.values.congress_members
        for entry in read_listings(text, default_timezone="America/New_York", today=date(2026, 12, 1))
    }
    assert entries["Sacramento: #WeAreAllAmerica: Legislative Visit with Rep. Bera"] == ["B001287"]
    # No longer in Congress: named, but nobody to link.
    assert entries["Denver: #WeAreAllAmerica Legislative visit with Sen. Gardner’s staff"] == []
    assert entries["Miami: #WeAreAllAmerica: Legislative Visit with Rep. Ros Lehtinen"] == []
    # Schiff is a senator now, and "Rep. Jeff Denham" (details) is not whichever Jeff is left.
    assert entries["Glendale: #WeAreAllAmerica Conversation about the Refugee Program with Rep. Adam Schiff"] == []
    assert entries["Modesto: #WeAreAllAmerica Canvass and Rally"] == []


@pytest.mark.parametrize(
    "text, state, linked",
    [
        ("Town hall with Sen. Padilla and Rep. McClintock tomorrow", "CA", ["P000145", "M001177"]),
        ("Visit Sen. Scott", None, []),  # Rick Scott (FL) and Tim Scott (SC)
        ("Visit Sen. Scott", "SC", ["S001184"]),
        ("Call Congresswoman Norton’s office", None, ["N000147"]),
    ],
)
def test_names_after_a_title_link_one_member_of_that_chamber(text, state, linked):
    from services.congress import named_in

    assert named_in(text, state) == linked
