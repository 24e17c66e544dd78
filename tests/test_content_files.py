"""The content files: each validates against schema.json and agrees with campaigns.yaml."""

from __future__ import annotations

import json
import threading
import time

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


@pytest.mark.parametrize("path", TOPIC_FILES, ids=lambda p: p.name)
def test_topic_file_validates(path):
    topic = content.read_yaml(path)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in Draft7Validator(SCHEMA).iter_errors(topic)]
    assert not errors
    assert topic["slug"] == path.stem
    assert content.campaign(topic["campaign"]) is not None, f"unknown campaign {topic['campaign']}"


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
