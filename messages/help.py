"""Usage text for every command: `help` answers with it, errors point at it."""

from __future__ import annotations


def _help(title: str, lines: list[tuple[str, str]]) -> list[dict]:
    body = "\n".join(f"`{usage}`  {what}" for usage, what in lines)
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*{title}*"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": body}},
    ]


EVENT_USAGE = [
    ("/event new", "register a rally, vigil, press conference, town hall, legislative visit or call-in day"),
    ("/event list", "upcoming events, soonest first"),
    ("/event list rally", "only one type (rally, prayer vigil, press conference, town hall, …)"),
    ("/event list CA", "only one state; `/event list city Denver` for a city"),
    ("/event mine", "your upcoming events: those you registered, co-host or are going to"),
    ("/event list #WhereRTheRefugees", "only one campaign, by hashtag, slug or name; `/event list campaign refugees` to be sure"),
    ("/event near 95356", "upcoming events within 50 miles of a ZIP code, nearest first, and those online"),
    ("/event near Denver, CO 100 mi", "around a city, or further (up to 500 miles)"),
    ("/event show 12", "one event, with its details"),
    ("/event edit 12", "change an event you host (add co-hosts there); those going are told of a new time or place"),
    ("/event cancel 12", "cancel an event you host; its card and thread say so"),
    ("/event export", "every event as a CSV file (all fields, who is going), sent to you in a DM; `/event export #WeAreAllAmerica` for one campaign's"),
    ("/event report 12", "say how an event you hosted went (I also ask by DM when it's over)"),
    ("/event review", "whether new events wait for an admin's approval; admins: `on #channel`, `off`"),
    ("/event trust @someone", "admins: their events skip review (`/event untrust @someone` undoes it)"),
    ("/event language es", "what I post in this channel, in Spanish (`en`: English); choose your own language in my App Home"),
    ("/event help", "this help"),
]


def event_help() -> list[dict]:
    return _help("Register and find actions with /event", EVENT_USAGE)


CAMPAIGN_USAGE = [
    ("/campaign list", "every campaign: days or weeks of action, their dates and hashtags"),
    ("/campaign show where r the refugees", "one campaign by name, slug or hashtag: call to action, totals, upcoming events, toolkits, sample posts"),
    ("/campaign new", "create a campaign: name, days, hashtags, call to action, description"),
    ("/campaign report where r the refugees", "post in this channel what its events add up to: events, states, people, press hits"),
    ("/campaign edit #WhereRTheRefugees", "change a campaign you created (admins: any campaign)"),
    ("/campaign help", "this help"),
]


def campaign_help() -> list[dict]:
    return _help("Weeks and days of action with /campaign", CAMPAIGN_USAGE) + [
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": "Events join a campaign in the event form's *Campaign* field; left empty, they join the campaign running on their date."}],
        }
    ]


TOOLKIT_USAGE = [
    ("/toolkit", "every toolkit, with a button to open each"),
    ("/toolkit press conference", "one toolkit's steps, privately, with a “Post in channel” button"),
    ("/toolkit vigil", "near spellings and short names work: `press conf`, `congress visit`, `town hall`"),
    ("/toolkit asks", "key asks for Members of Congress; also `messages`, `calls`, `background`"),
    ("/toolkit add prayer vigil", "add your team's own note to a toolkit"),
    ("/toolkit help", "this help"),
]

POSTS_USAGE = [
    ("/posts tweets", "post the sample tweets in this channel, each with a one-click share link"),
    ("/posts facebook", "the sample Facebook posts"),
    ("/posts tweets @SenatorHandle", "fill in `@YourElectedOfficial` with your official's handle"),
    ("/posts #NoBanNoWallNoRaids", "only posts with a hashtag; or a campaign: `/posts where r the refugees`"),
    ("/posts add", "add your team's own sample post"),
    ("/posts help", "this help"),
]


def toolkit_help() -> list[dict]:
    return _help("Toolkit steps with /toolkit", TOOLKIT_USAGE)


def posts_help() -> list[dict]:
    return _help("Sample posts with /posts", POSTS_USAGE) + [
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": "Posts go in the channel for everyone. “Fill in” fills `@YourElectedOfficial`, `[YOUR MEMBER OF CONGRESS]` and `[OR ADD ORGANIZATION NAME]` before posting."}],
        }
    ]
DIGEST_USAGE = [
    ("/digest subscribe", "post the next 7 days of actions in this channel every day at 08:00 (your Slack time zone)"),
    ("/digest subscribe 17:30", "every day at another time (24-hour HH:MM)"),
    ("/digest subscribe 08:00 quiet", "stay silent on a week with nothing planned"),
    ("/digest now", "post the digest in this channel now"),
    ("/digest unsubscribe", "stop the daily digest in this channel"),
    ("/digest help", "this help"),
]


def digest_help() -> list[dict]:
    return _help("A daily digest of upcoming actions with /digest", DIGEST_USAGE)
