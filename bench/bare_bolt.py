"""The baseline of the benches: a bare Bolt app doing the Slack work of `/event` and nothing else.

It answers `/event list` with a static page shaped like organizer-bot's (ten events, Next
button) and `/event new` with the same Web API calls (users.info, views.open); anything
else gets one line. Bolt's defaults otherwise (5 listener threads, no database).

Imported by the benches that run it in their own process, or run alone to measure a
process as `organizer-bot run` is measured (same environment variables, same server):

    SLACK_BOT_TOKEN=... SLACK_SIGNING_SECRET=... SLACK_API_URL=... PORT=3000 python bench/bare_bolt.py

Imports nothing of organizer-bot but bot.server, so its footprint is Bolt's and waitress's.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from slack_bolt import App
from slack_sdk import WebClient

BARE_EVENTS = [
    {
        "id": i + 1,
        "title": f"{city}: #WeAreAllAmerica Rally {i + 1}",
        "starts_at": (datetime.now(UTC) + timedelta(days=1 + i)).replace(minute=0, second=0, microsecond=0),
        "timezone": "America/New_York",
        "city": city,
        "state": state,
    }
    for i, (city, state) in enumerate(
        [("Springdale", "AR"), ("Denver", "CO"), ("Fresno", "CA"), ("Tulsa", "OK"), ("Dayton", "OH")] * 6
    )
]


def bare_list_blocks() -> list[dict]:
    upcoming = sorted((e for e in BARE_EVENTS if e["starts_at"] > datetime.now(UTC)), key=lambda e: e["starts_at"])
    page = upcoming[:10]
    blocks: list[dict] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*Upcoming events* 1–{len(page)}"}},
        {"type": "divider"},
    ]
    for e in page:
        local = e["starts_at"].astimezone(ZoneInfo(e["timezone"]))
        stamp = int(e["starts_at"].timestamp())
        when = f"<!date^{stamp}^{{date_short_pretty}} at {{time}}|{local:%a %b %d, %I:%M %p %Z}>"
        text = f":mega: *#{e['id']} {e['title']}*\n{when} · {e['city']}, {e['state']} · Rally or action"
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": text}})
    blocks.append(
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": "event_list_page_next",
                    "text": {"type": "plain_text", "text": "Next"},
                    "value": "10|",
                }
            ],
        }
    )
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": "Details: `/event show <id>`"}]})
    return blocks


def bare_modal(profile: dict) -> dict:
    tz = profile.get("tz") or "America/New_York"
    return {
        "type": "modal",
        "callback_id": "event_form",
        "title": {"type": "plain_text", "text": "New event"},
        "submit": {"type": "plain_text", "text": "Register"},
        "blocks": [
            {
                "type": "input",
                "block_id": "title",
                "label": {"type": "plain_text", "text": "Title"},
                "element": {"type": "plain_text_input", "action_id": "title"},
            },
            {
                "type": "input",
                "block_id": "start_date",
                "label": {"type": "plain_text", "text": "Start date"},
                "element": {"type": "datepicker", "action_id": "start_date"},
            },
            {
                "type": "input",
                "block_id": "timezone",
                "label": {"type": "plain_text", "text": "Time zone"},
                "element": {
                    "type": "static_select",
                    "action_id": "timezone",
                    "options": [{"text": {"type": "plain_text", "text": tz}, "value": tz}],
                    "initial_option": {"text": {"type": "plain_text", "text": tz}, "value": tz},
                },
            },
        ],
    }


def bare_app(api_url: str, token: str, signing_secret: str) -> App:
    app = App(
        client=WebClient(base_url=api_url, token=token), signing_secret=signing_secret, token_verification_enabled=False
    )

    @app.command("/event")
    def event(ack, command, client):
        name = (command.get("text") or "").strip().split(" ")[0].lower()
        if name == "list":
            ack(blocks=bare_list_blocks(), text="Upcoming events")
        elif name == "new":
            ack()
            profile = client.users_info(user=command["user_id"])["user"]
            client.views_open(trigger_id=command["trigger_id"], view=bare_modal(profile))
        else:
            ack(text="Try `/event new` or `/event list`.")

    return app


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bot.server import make_server, serve, stop

    secret = os.environ["SLACK_SIGNING_SECRET"]
    app = bare_app(os.environ["SLACK_API_URL"], os.environ["SLACK_BOT_TOKEN"], secret)
    server = make_server(app, int(os.environ.get("PORT", "3000")), signing_secret=secret)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=stop, args=(server,)).start())
    serve(server)


if __name__ == "__main__":
    main()
