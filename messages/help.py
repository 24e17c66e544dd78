"""Usage text for every command: `help` answers with it, errors point at it.

Each table pairs a command, typed as is (never translated), with what it does (translated
when the help is drawn)."""

from __future__ import annotations

from messages.i18n import N_, catalog

_, ngettext, pgettext = catalog("help")


def _help(title: str, lines: list[tuple[str, str]]) -> list[dict]:
    body = "\n".join(f"`{usage}`  {_(what)}" for usage, what in lines)
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*{title}*"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": body}},
    ]


EVENT_USAGE = [
    # TRANSLATORS: what a command does, in a list of commands; the command itself is not translated. Keep `…` as is.
    (
        "/event new",
        N_("register a rally, vigil, press conference, town hall, legislative visit or call-in day"),
    ),  # untranslated: command
    ("/event list", N_("upcoming events, soonest first")),  # untranslated: command
    (
        "/event list rally",
        N_("only one type (rally, prayer vigil, press conference, town hall, …)"),
    ),  # untranslated: command
    ("/event list CA", N_("only one state; `/event list city Denver` for a city")),  # untranslated: command
    ("/event mine", N_("your upcoming events: those you registered, co-host or are going to")),  # untranslated: command
    (
        "/event list #WhereRTheRefugees",
        N_("only one campaign, by hashtag, slug or name; `/event list campaign refugees` to be sure"),
    ),  # untranslated: command
    (
        "/event near 95356",
        N_("upcoming events within 50 miles of a ZIP code, nearest first, and those online"),
    ),  # untranslated: command
    ("/event near Denver, CO 100 mi", N_("around a city, or further (up to 500 miles)")),  # untranslated: command
    ("/event show 12", N_("one event, with its details")),  # untranslated: command
    (
        "/event edit 12",
        N_("change an event you host (add co-hosts there); those going are told of a new time or place"),
    ),  # untranslated: command
    ("/event cancel 12", N_("cancel an event you host; its card and thread say so")),  # untranslated: command
    (
        "/event export",
        N_(
            "every event as a CSV file (all fields, who is going), sent to you in a DM; "
            "`/event export #WeAreAllAmerica` for one campaign's"
        ),
    ),  # untranslated: command
    (
        "/event report 12",
        N_("say how an event you hosted went (I also ask by DM when it's over)"),
    ),  # untranslated: command
    (
        "/event review",
        N_("whether new events wait for an admin's approval; admins: `on #channel`, `off`"),
    ),  # untranslated: command
    (
        "/event trust @someone",
        N_("admins: their events skip review (`/event untrust @someone` undoes it)"),
    ),  # untranslated: command
    (
        "/event language es",
        N_("what I post in this channel, in Spanish (`en`: English); choose your own language in my App Home"),
    ),  # untranslated: command
    ("/event help", N_("this help")),  # untranslated: command
]


def event_help() -> list[dict]:
    return _help(_("Register and find actions with /event"), EVENT_USAGE)


CAMPAIGN_USAGE = [
    (
        "/campaign list",
        N_("every campaign: days or weeks of action, their dates and hashtags"),
    ),  # untranslated: command
    (
        "/campaign show where r the refugees",
        N_("one campaign by name, slug or hashtag: call to action, totals, upcoming events, toolkits, sample posts"),
    ),  # untranslated: command
    (
        "/campaign new",
        N_("create a campaign: name, days, hashtags, call to action, description"),
    ),  # untranslated: command
    (
        "/campaign report where r the refugees",
        N_("post in this channel what its events add up to: events, states, people, press hits"),
    ),  # untranslated: command
    (
        "/campaign edit #WhereRTheRefugees",
        N_("change a campaign you created (admins: any campaign)"),
    ),  # untranslated: command
    ("/campaign help", N_("this help")),  # untranslated: command
]


def campaign_help() -> list[dict]:
    return _help(_("Weeks and days of action with /campaign"), CAMPAIGN_USAGE) + [
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": _(
                        "Events join a campaign in the event form's *Campaign* field; "
                        "left empty, they join the campaign running on their date."
                    ),
                }
            ],
        }
    ]


TOOLKIT_USAGE = [
    ("/toolkit", N_("every toolkit, with a button to open each")),  # untranslated: command
    (
        "/toolkit press conference",
        N_("one toolkit's steps, privately, with a “Post in channel” button"),
    ),  # untranslated: command
    (
        "/toolkit vigil",
        N_("near spellings and short names work: `press conf`, `congress visit`, `town hall`"),
    ),  # untranslated: command
    (
        "/toolkit asks",
        N_("key asks for Members of Congress; also `messages`, `calls`, `background`"),
    ),  # untranslated: command
    ("/toolkit add prayer vigil", N_("add your team's own note to a toolkit")),  # untranslated: command
    ("/toolkit help", N_("this help")),  # untranslated: command
]

POSTS_USAGE = [
    (
        "/posts tweets",
        N_("post the sample tweets in this channel, each with a one-click share link"),
    ),  # untranslated: command
    ("/posts facebook", N_("the sample Facebook posts")),  # untranslated: command
    (
        "/posts tweets @SenatorHandle",
        N_("fill in `@YourElectedOfficial` with your official's handle"),
    ),  # untranslated: command
    (
        "/posts #NoBanNoWallNoRaids",
        N_("only posts with a hashtag; or a campaign: `/posts where r the refugees`"),
    ),  # untranslated: command
    ("/posts add", N_("add your team's own sample post")),  # untranslated: command
    ("/posts help", N_("this help")),  # untranslated: command
]


def toolkit_help() -> list[dict]:
    return _help(_("Toolkit steps with /toolkit"), TOOLKIT_USAGE)


def posts_help() -> list[dict]:
    return _help(_("Sample posts with /posts"), POSTS_USAGE) + [
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": _(
                        "Posts go in the channel for everyone. “Fill in” fills `@YourElectedOfficial`, "
                        "`[YOUR MEMBER OF CONGRESS]` and `[OR ADD ORGANIZATION NAME]` before posting."
                    ),
                }
            ],
        }
    ]


CONGRESS_USAGE = [
    (
        "/congress 95356",
        N_("your senators and representative for a ZIP code: phones, nearest office, X handle, contact form"),
    ),  # untranslated: command
    ("/congress CA", N_("a state's members of Congress")),  # untranslated: command
    ("/congress Padilla", N_("one member by name")),  # untranslated: command
    ("/congress help", N_("this help")),  # untranslated: command
]


def congress_help() -> list[dict]:
    return _help(_("Members of Congress with /congress"), CONGRESS_USAGE) + [
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": _(
                        "Answered privately, with a “Post in channel” button. "
                        "A ZIP code split between districts lists each one."
                    ),
                }
            ],
        }
    ]


DIGEST_USAGE = [
    (
        "/digest subscribe",
        N_("post the next 7 days of actions in this channel every day at 08:00 (your Slack time zone)"),
    ),  # untranslated: command
    ("/digest subscribe 17:30", N_("every day at another time (24-hour HH:MM)")),  # untranslated: command
    ("/digest subscribe 08:00 quiet", N_("stay silent on a week with nothing planned")),  # untranslated: command
    ("/digest now", N_("post the digest in this channel now")),  # untranslated: command
    ("/digest unsubscribe", N_("stop the daily digest in this channel")),  # untranslated: command
    ("/digest help", N_("this help")),  # untranslated: command
]


def digest_help() -> list[dict]:
    return _help(_("A daily digest of upcoming actions with /digest"), DIGEST_USAGE)
