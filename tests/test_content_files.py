"""The content files: each validates against schema.json and agrees with campaigns.yaml."""

from __future__ import annotations

import json
import threading
import time
from datetime import date

import pytest
from jsonschema import Draft7Validator

from messages import content

SCHEMA = json.loads(content.SCHEMA_PATH.read_text(encoding="utf-8"))
TOPIC_FILES = content.topic_files()


def test_schema_is_valid_draft_7():
    Draft7Validator.check_schema(SCHEMA)


def test_campaigns_file_validates():
    campaigns = content.read_yaml(content.CONTENT_DIR / content.CAMPAIGNS_FILE)
    validator = Draft7Validator({"$ref": "#/definitions/campaigns", "definitions": SCHEMA["definitions"]})
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(campaigns)]
    assert not errors
    slugs = [c["slug"] for c in campaigns]
    assert len(slugs) == len(set(slugs))


def test_campaign_days_are_in_order_and_transcribed_from_the_seeds():
    by_slug = {c["slug"]: c for c in content.shipped_campaigns()}
    for campaign in by_slug.values():
        assert (campaign["starts_on"] is None) == (campaign["ends_on"] is None), campaign["slug"]
        assert campaign["starts_on"] is None or campaign["starts_on"] <= campaign["ends_on"], campaign["slug"]
    # The seeds: "Wednesday, February 22nd, 2017"; "Jan 27-Feb 3, 2018", "January 27, 2018 to February 3, 2018".
    assert (by_slug["we-are-all-america"]["starts_on"], by_slug["we-are-all-america"]["ends_on"]) == (
        date(2017, 2, 22),
        date(2017, 2, 22),
    )
    assert (by_slug["where-r-the-refugees"]["starts_on"], by_slug["where-r-the-refugees"]["ends_on"]) == (
        date(2018, 1, 27),
        date(2018, 2, 3),
    )
    assert by_slug["where-r-the-refugees"]["dates"] == "Jan 27-Feb 3, 2018"  # the seed's own wording is kept
    assert by_slug["protect-immigrants-asylum"]["call_to_action"].startswith(
        "Call the White House and your Senators and Representatives today"
    )


def test_a_campaign_with_one_day_missing_is_refused_by_the_schema():
    validator = Draft7Validator({"$ref": "#/definitions/campaign", "definitions": SCHEMA["definitions"]})
    [campaign] = [
        c
        for c in content.read_yaml(content.CONTENT_DIR / content.CAMPAIGNS_FILE)
        if c["slug"] == "where-r-the-refugees"
    ]
    assert not list(validator.iter_errors(campaign))
    assert list(validator.iter_errors({**campaign, "ends_on": None}))
    assert list(validator.iter_errors({**campaign, "starts_on": "2018-02-30x"}))
    assert list(validator.iter_errors({k: v for k, v in campaign.items() if k != "call_to_action"}))


@pytest.mark.parametrize("path", TOPIC_FILES, ids=lambda p: p.name)
def test_topic_file_validates(path):
    topic = content.read_yaml(path)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in Draft7Validator(SCHEMA).iter_errors(topic)]
    assert not errors
    assert topic["slug"] == path.stem
    assert topic["campaign"] in {c["slug"] for c in content.shipped_campaigns()}, (
        f"unknown campaign {topic['campaign']}"
    )


def test_there_is_content():
    kinds = {content.read_yaml(p)["kind"] for p in TOPIC_FILES}
    assert {"toolkit", "asks", "messages", "calls", "background", "posts"} <= kinds


def test_each_event_type_with_a_dedicated_toolkit_links_it():
    assert content.toolkit_for_event_type("prayer_vigil").slug == "prayer-vigil"
    assert content.toolkit_for_event_type("legislative_visit").slug == "congressional-visit"
    assert content.toolkit_for_event_type("press_conference").slug == "press-conference"
    assert content.toolkit_for_event_type("town_hall").slug == "town-hall"
    assert content.toolkit_for_event_type("rally").slug == "rally"
    assert content.toolkit_for_event_type("call_in_day").slug == "call-in"


def test_content_is_parsed_once_however_many_threads_ask_at_once():
    parses = []

    @content._once
    def parse() -> object:
        parses.append(threading.current_thread().name)
        time.sleep(0.05)  # long enough for the other threads to arrive while the first one parses
        return object()

    start = threading.Barrier(8)
    results = []

    def ask() -> None:
        start.wait()
        results.append(parse())

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(parses) == 1 and len(results) == 8 and len({id(r) for r in results}) == 1
