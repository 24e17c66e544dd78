"""`/campaign` end to end, and campaigns wherever events show: the event modal's Campaign field,
cards, `/event show`, digests and `/event list <campaign>`, as a user sees them."""

from __future__ import annotations

import json

from driver import assert_valid_view, labels, visible_text
from handlers.events import EVENT_FROM_MESSAGE_SHORTCUT
from schedhelp import announced
from storage import campaigns as queries
from storage import events as event_queries
from test_events_e2e import FUTURE, register

TEAM = "T0TEST"
WEEK = {  # a team's own week of action around FUTURE's date (2026-12-04)
    "Name": "Central Valley Week of Action",
    "First day": "2026-11-30",
    "Last day": "2026-12-06",
    "Hashtags": "#CentralValleyRising, LetThemIn",
    "Call to action": "Find an event near you, or register your own with /event new.",
    "Description": "A week of canvasses and vigils across the Central Valley.",
}
WEEK_SLUG = "central-valley-week-of-action"
WEEK_LINE = ":loudspeaker: *Central Valley Week of Action* #CentralValleyRising #LetThemIn"
IN_WEEK = {**FUTURE, "Title": "Modesto: Canvass and Rally"}  # no hashtag: its date decides its campaign


def create(bot, answers=WEEK, *, user="U1"):
    """Type /campaign new, fill in the modal, submit; return the submission reply."""
    assert bot.command("/campaign", "new", user=user).body == ""
    view = bot.opened_view()
    return bot.submit(view, answers, user=user)


def stored(database, slug=WEEK_SLUG):
    with database.read() as session:
        return queries.get_campaign(session, TEAM, slug)


def event_of(database, event_id=1):
    with database.read() as session:
        return event_queries.get_event(session, TEAM, event_id)


# --- /campaign ----------------------------------------------------------------------


def test_help_and_unknown_input(bot):
    help_reply = bot.command("/campaign", "help")
    for usage in (
        "/campaign list",
        "/campaign show where r the refugees",
        "/campaign new",
        "/campaign edit #WhereRTheRefugees",
    ):
        assert usage in help_reply.text
    assert "join the campaign running on their date" in help_reply.text
    assert bot.command("/campaign", "").text == help_reply.text
    unknown = bot.command("/campaign", "frobnicate <!channel>")
    assert (
        "I don't know `/campaign frobnicate`" in unknown.text
        and "`/campaign show where r the refugees`" in unknown.text
    )
    assert "<!channel>" not in unknown.body


def test_list_shows_the_shipped_campaigns_with_their_dates_and_hashtags(bot):
    shown = bot.command("/campaign", "list").text
    assert "*Campaigns* (5)" in shown
    assert "*National Week of Action: #WhereRTheRefugees* · `/campaign show where-r-the-refugees`" in shown
    assert "Jan 27-Feb 3, 2018 · Over · #WhereRTheRefugees #LetThemIn" in shown
    assert "Wednesday, February 22nd, 2017 · Over · #WeAreAllAmerica" in shown
    assert "No set dates" in shown  # the action alerts
    # Past campaigns come after those without dates, the latest first.
    assert shown.index("NNIRR") < shown.index("#WhereRTheRefugees*") < shown.index("We Are All America Day")


def test_show_gives_the_call_to_action_totals_toolkits_and_sample_posts(bot):
    shown = bot.command("/campaign", "show we are all america").text
    assert "*We Are All America Day of Congressional Action*" in shown
    assert "Wednesday, February 22nd, 2017 · Over · #WeAreAllAmerica #NoBanNoWallNoRaids" in shown
    assert "*What to do*\nVisit your Members of Congress in-district during the President’s Day Recess" in shown
    assert "*Events*\n0" in shown and "*Going (RSVPs)*\n0" in shown and "*States*\n0" in shown
    assert (
        "• Congressional visit: meeting your Members of Congress in district · `/toolkit congressional-visit`" in shown
    )
    assert "`/toolkit prayer-vigil`" in shown and "`/toolkit protect-immigrants`" not in shown  # another campaign's
    assert "*Sample posts* (6 tweets, 2 Facebook posts)" in shown
    assert ">My America doesn’t turn its back on #refugees" in shown and "`/posts we-are-all-america`" in shown
    assert "None yet. Register one with `/event new`" in shown
    # By hashtag, by a word of its name, or not at all.
    assert "*National Week of Action: #WhereRTheRefugees*" in bot.command("/campaign", "show #WhereRTheRefugees").text
    assert "NNIRR: We Rise Up" in bot.command("/campaign", "show nnirr").text
    unknown = bot.command("/campaign", "show blorp & <!here>")
    assert (
        "I don't know the campaign “blorp &amp; &lt;!here&gt;”" in unknown.text
        and "`where-r-the-refugees`" in unknown.text
    )
    assert "Which campaign?" in bot.command("/campaign", "show").text  # none is running today


def test_a_new_campaign_from_the_modal(bot, slack, database):
    bot.command("/campaign", "new")
    view = bot.opened_view()
    assert view["title"]["text"] == "New campaign"
    assert labels(view) == ["Name", "First day", "Last day", "Hashtags", "Call to action", "Description"]
    reply = bot.submit(view, WEEK)
    assert reply.json["response_action"] == "update"
    assert_valid_view(reply.json["view"])
    confirmation = visible_text(reply.json["view"])
    assert (
        "*Central Valley Week of Action* is created" in confirmation and f"`/campaign show {WEEK_SLUG}`" in confirmation
    )
    assert slack.calls_to("chat.postMessage") == []  # nothing posted in a channel
    campaign = stored(database)
    assert campaign.hashtags == ["#CentralValleyRising", "#LetThemIn"]  # the # is optional
    assert (campaign.origin, campaign.created_by) == ("team", "U1")
    shown = bot.command("/campaign", "show central valley").text
    assert "Mon, Nov 30 – Sun, Dec 6, 2026 · Starts in 9 days · #CentralValleyRising #LetThemIn" in shown
    assert "*What to do*\nFind an event near you, or register your own with /event new." in shown
    assert "None of its own; `/toolkit` lists every toolkit." in shown
    listed = bot.command("/campaign", "list").text
    assert listed.index("Central Valley") < listed.index("NNIRR")  # coming campaigns first


def test_a_one_day_campaign_and_one_without_dates(bot, database):
    create(bot, {"Name": "Día de Acción en Fresno", "First day": "2026-12-12"})
    day = stored(database, "dia-de-accion-en-fresno")
    assert day.starts_on == day.ends_on and day.starts_on.isoformat() == "2026-12-12"
    assert "Sat, Dec 12, 2026 · Starts in 21 days" in bot.command("/campaign", "show dia de accion").text
    create(bot, {"Name": "Know your rights"})
    assert "No set dates" in bot.command("/campaign", "show know your rights").text


def test_show_without_a_name_is_the_campaign_running_today(bot):
    create(bot, {**WEEK, "First day": "2026-11-16", "Last day": "2026-11-22"})  # the clock: Sat Nov 21, 2026
    create(bot, {"Name": "Today only", "First day": "2026-11-21"})
    shown = bot.command("/campaign", "show").text
    assert "*Today only*" in shown and "Sat, Nov 21, 2026 · :large_green_circle: On now" in shown
    assert ":large_green_circle: On now · #CentralValleyRising" in bot.command("/campaign", "list").text


def test_invalid_input_keeps_the_modal_open_with_the_error_under_the_field(bot, database):
    create(bot)
    cases = [
        ({"Name": ""}, "name", "Give the campaign a name"),
        (
            {"Name": "central valley WEEK of action"},
            "name",
            "already a campaign called “Central Valley Week of Action”",
        ),
        ({"Name": "Other", "Last day": "2026-11-29"}, "ends_on", "cannot be before the first day"),
        ({"Name": "Other", "First day": None}, "starts_on", "Give the first day too"),
        ({"Name": "Other", "Hashtags": "#ok #not-a-tag"}, "hashtags", "“#not-a-tag” isn't a hashtag"),
        ({"Name": "Other", "Hashtags": " ".join(f"#t{n}" for n in range(11))}, "hashtags", "Up to 10 hashtags"),
    ]
    for answers, field, message in cases:
        reply = create(bot, {**WEEK, **answers})
        assert reply.json["response_action"] == "errors", answers
        assert message in reply.json["errors"][field]
    with database.read() as session:
        assert [c.slug for c in queries.campaigns(session, TEAM) if c.origin == "team"] == [WEEK_SLUG]


def test_the_creator_edits_and_the_slug_stays(bot, database):
    create(bot)
    bot.command("/campaign", "edit #CentralValleyRising", user="U1")
    view = bot.opened_view()
    assert view["title"]["text"] == "Edit campaign"
    by_label = {b["label"]["text"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert by_label["Name"]["initial_value"] == WEEK["Name"]
    assert (by_label["First day"]["initial_date"], by_label["Last day"]["initial_date"]) == ("2026-11-30", "2026-12-06")
    assert by_label["Hashtags"]["initial_value"] == "#CentralValleyRising #LetThemIn"
    reply = bot.submit(view, {"Name": "Central Valley Days of Action", "Last day": "2026-12-08"})
    assert "*Central Valley Days of Action* is saved" in visible_text(reply.json["view"])
    campaign = stored(database)  # same slug: events, toolkits and posts keep belonging to it
    assert campaign.name == "Central Valley Days of Action" and campaign.ends_on.isoformat() == "2026-12-08"


def test_others_cannot_edit_a_campaign_but_admins_can(bot, slack, database):
    create(bot)
    bot.command("/campaign", "edit central valley", user="U2")
    [refusal] = bot.responded()
    assert (
        "Only the person who created the campaign “Central Valley Week of Action” (<@U1>) or a workspace admin"
        in refusal["text"]
    )
    bot.command("/campaign", "edit where r the refugees", user="U1")  # shipped: admins only
    assert (
        "Only a workspace admin can edit the campaign “National Week of Action: #WhereRTheRefugees”"
        in bot.responded(2)[1]["text"]
    )
    assert len(slack.calls_to("views.open")) == 1  # only /campaign new's
    bot.command("/campaign", "edit where r the refugees", user="UADMIN")
    view = bot.opened_view()
    bot.submit(view, {"Call to action": "Call your Senators this week.", "Last day": "2018-02-04"}, user="UADMIN")
    edited = stored(database, "where-r-the-refugees")
    assert edited.call_to_action == "Call your Senators this week." and edited.origin == "team"
    assert edited.dates_text is None  # the seed's "Jan 27-Feb 3, 2018" no longer says the same days
    assert "Sat, Jan 27 – Sun, Feb 4, 2018" in bot.command("/campaign", "show where r the refugees").text


def test_an_edit_is_checked_when_it_is_saved(bot, slack, database):
    create(bot)
    bot.command("/campaign", "edit central valley", user="U1")
    view = bot.opened_view()
    replayed = bot.submit(view, {"Name": "Hijacked"}, user="U2")  # the creator's form, submitted by someone else
    assert (
        replayed.json["errors"]["name"] == "Only the person who created this campaign or a workspace admin can edit it."
    )
    bot.command("/campaign", "edit central valley", user="UADMIN")
    admin_view = bot.opened_view()
    slack.users["UADMIN"]["is_admin"] = False  # demoted while the modal was open
    demoted = bot.submit(admin_view, {"Name": "Edited by a former admin"}, user="UADMIN")
    assert "Only the person who created this campaign" in demoted.json["errors"]["name"]
    tampered = bot.submit(
        {**view, "private_metadata": json.dumps({"slug": "where-r-the-refugees"})}, {"Name": "Mine now"}, user="U1"
    )
    assert "Only the person who created this campaign" in tampered.json["errors"]["name"]
    gone = bot.submit({**view, "private_metadata": json.dumps({"slug": "no-such-campaign"})}, {}, user="U1")
    assert gone.json["errors"]["name"] == "This campaign no longer exists."
    assert stored(database).name == WEEK["Name"] and stored(database, "where-r-the-refugees").origin == "shipped"


def test_a_submission_delivered_twice_creates_one_campaign(bot, database):
    bot.command("/campaign", "new")
    view = bot.opened_view()
    assert bot.submit(view, WEEK).json["response_action"] == "update"
    assert bot.submit(view, WEEK).body == ""  # Slack's retry: already done
    with database.read() as session:
        assert [c.slug for c in queries.campaigns(session, TEAM) if c.origin == "team"] == [WEEK_SLUG]


# --- events and campaigns -----------------------------------------------------------


def test_the_event_modal_offers_the_teams_campaigns(bot):
    create(bot)
    bot.command("/event", "new")
    view = bot.opened_view()
    [field] = [b for b in view["blocks"] if b.get("label", {}).get("text") == "Campaign"]
    assert field["optional"] and "initial_option" not in field["element"]
    assert (
        "a hashtag in its title or details" in field["hint"]["text"] and "running on its date" in field["hint"]["text"]
    )
    options = [o["text"]["text"] for o in field["element"]["options"]]
    assert options[0] == WEEK["Name"] and options[-1] == "No campaign"  # coming campaigns first
    assert "National Week of Action: #WhereRTheRefugees" in options


def test_the_card_shows_the_campaign_chosen(bot, slack, database):
    register(bot, {**FUTURE, "Campaign": "National Week of Action: #WhereRTheRefugees"})
    [card] = bot.posted()
    assert ":loudspeaker: *National Week of Action: #WhereRTheRefugees* #WhereRTheRefugees #LetThemIn" in visible_text(
        card
    )
    assert event_of(database).campaign_slug == "where-r-the-refugees"
    assert "#WhereRTheRefugees #LetThemIn" in bot.command("/event", "show 1").text


def test_left_empty_the_event_joins_the_campaign_running_on_its_date(bot, slack, database):
    create(bot)
    register(bot, IN_WEEK)  # Dec 4, inside the week
    register(bot, {**FUTURE, "Title": "After the week", "Start date": "2026-12-07"})
    register(bot, {**FUTURE, "Title": "Opted out", "Campaign": "No campaign"})
    cards = {p["text"]: visible_text(p) for p in bot.posted(3)}
    [modesto] = [shown for text, shown in cards.items() if "Modesto" in text]
    assert WEEK_LINE in modesto
    assert all(":loudspeaker:" not in shown for text, shown in cards.items() if "Modesto" not in text)
    assert [event_of(database, n).campaign_slug for n in (1, 2, 3)] == [WEEK_SLUG, None, None]


def test_a_hashtag_naming_a_campaign_puts_the_event_in_it_whatever_week_it_falls_in(bot, slack, database):
    """Issue 25: "#WeAreAllAmerica Rally" in another campaign's week joined that week, and was
    counted in its report to partners."""
    create(bot)
    register(bot, {**FUTURE, "Title": "Rally for families", "Details": "Bring signs: #WeAreAllAmerica, #HereToStay"})
    [card] = bot.posted()
    assert ":loudspeaker: *We Are All America Day of Congressional Action* #WeAreAllAmerica" in visible_text(card)
    assert "#CentralValleyRising" not in visible_text(card)
    assert event_of(database).campaign_slug == "we-are-all-america"
    shown = bot.command("/campaign", f"show {WEEK_SLUG}").text
    assert "*Events*\n0" in shown


def test_a_listing_made_an_event_shows_the_campaign_its_hashtag_names_before_saving(bot, slack, database):
    create(bot)
    listing = {
        "type": "message",
        "user": "U2",
        "ts": "1763737200.000100",
        "team": TEAM,
        "text": "*Phoenix: #WeAreAllAmerica Rally*\n• Date and Time: 12/2/26 at 12:00pm MT\n"
        "• Address: 2200 East Camelback Rd. Phoenix, AZ",
    }
    bot.message_shortcut(EVENT_FROM_MESSAGE_SHORTCUT, listing, user="U1", channel="C7")
    view = bot.opened_view()
    [field] = [b for b in view["blocks"] if b.get("label", {}).get("text") == "Campaign"]
    assert field["element"]["initial_option"]["value"] == "we-are-all-america"  # not the week its Dec 2 falls in
    bot.submit(view, {}, user="U1")
    [card] = bot.posted(channel="C7")
    assert "#WeAreAllAmerica" in visible_text(card) and "#CentralValleyRising" not in visible_text(card)
    assert event_of(database).campaign_slug == "we-are-all-america"


def test_the_campaign_chosen_in_the_modal_wins_over_a_hashtag(bot, slack, database):
    create(bot)
    register(bot, {**FUTURE, "Campaign": WEEK["Name"]})  # "Modesto: #WeAreAllAmerica Canvass and Rally"
    assert event_of(database).campaign_slug == WEEK_SLUG


def test_editing_an_event_keeps_or_changes_its_campaign(bot, slack, database):
    create(bot)
    register(bot, IN_WEEK)
    bot.posted()
    announced(database)
    bot.command("/event", "edit 1", user="U1")
    view = bot.opened_view()
    [field] = [b for b in view["blocks"] if b.get("label", {}).get("text") == "Campaign"]
    assert field["element"]["initial_option"]["text"]["text"] == WEEK["Name"]
    bot.submit(view, {"Campaign": "NNIRR: We Rise Up for Immigrant and Refugee Justice"})
    [update] = slack.wait_for("chat.update")
    assert ":loudspeaker: *NNIRR: We Rise Up for Immigrant and Refugee Justice*" in visible_text(update)
    assert event_of(database).campaign_slug == "we-rise-up"


def test_a_campaign_that_is_not_the_teams_is_refused(bot, slack, database):
    bot.command("/event", "new")
    view = bot.opened_view()
    blocks = [
        {
            **b,
            "element": {
                **b["element"],
                "options": b["element"]["options"]
                + [{"text": {"type": "plain_text", "text": "Forged"}, "value": "forged"}],
            },
        }
        if b.get("block_id") == "campaign"
        else b
        for b in view["blocks"]
    ]
    reply = bot.submit({**view, "blocks": blocks}, {**FUTURE, "Campaign": "Forged"})
    assert reply.json["errors"]["campaign"] == "This campaign no longer exists."
    assert event_of(database) is None


def test_the_campaign_page_counts_its_events_and_lists_the_upcoming(bot, database):
    create(bot)
    register(bot, {**FUTURE, "Title": "Modesto canvass"})
    register(
        bot,
        {
            **FUTURE,
            "Title": "Denver vigil",
            "Type": "Prayer vigil",
            "City": "Denver",
            "State": "CO",
            "Start date": "2026-12-05",
        },
    )
    bot.click({"blocks": bot.posted(2)[0]["blocks"]}, "event_rsvp", user="U2")
    bot.responded()
    shown = bot.command("/campaign", f"show {WEEK_SLUG}").text
    assert (
        "*Events*\n2" in shown and "*Upcoming*\n2" in shown and "*Going (RSVPs)*\n1" in shown and "*States*\n2" in shown
    )
    assert shown.index("#1 Modesto canvass") < shown.index("#2 Denver vigil")


def test_the_digest_names_each_events_campaign_and_hashtags(bot, database):
    create(bot, {**WEEK, "First day": "2026-11-21", "Last day": "2026-11-28"})
    register(bot, {**IN_WEEK, "Start date": "2026-11-25"})
    register(bot, {**FUTURE, "Title": "Fresno vigil", "Start date": "2026-11-26", "Campaign": "No campaign"})
    bot.posted(2)
    bot.command("/digest", "now", channel="C7")
    [digest] = bot.posted(3, channel="C7")
    lines = visible_text(digest["blocks"]).splitlines()
    modesto = next(n for n, line in enumerate(lines) if "Canvass and Rally" in line)
    fresno = next(n for n, line in enumerate(lines) if "Fresno vigil" in line)
    # Said once, as its group's heading: the campaign's events under it, the others under their own.
    assert lines.count(WEEK_LINE) == 1 and lines.index(WEEK_LINE) < modesto
    assert modesto < lines.index(":pushpin: *Other actions*") < fresno


# --- /event list <campaign> -----------------------------------------------------------


def _listed(bot, query: str) -> str:
    return bot.command("/event", f"list {query}").text


def test_event_list_filters_by_campaign_name_slug_or_hashtag(bot):
    create(bot)
    register(bot, IN_WEEK)  # in the week
    register(bot, {**FUTURE, "Title": "Denver vigil", "City": "Denver", "State": "CO", "Campaign": "No campaign"})
    for query in (
        "central valley week of action",
        WEEK_SLUG,
        "#CentralValleyRising",
        "#letthemin",
        "campaign central valley",
    ):
        shown = _listed(bot, query)
        assert "in the campaign *Central Valley Week of Action*" in shown, query
        assert "Modesto" in shown and "Denver vigil" not in shown, query
    assert "No upcoming events in the campaign *National Week of Action: #WhereRTheRefugees*" in _listed(
        bot, "#WhereRTheRefugees"
    )
    assert "I don't know the campaign “blorp”" in _listed(bot, "campaign blorp")
    assert "I don't know the campaign “#NoSuchTag”" in _listed(bot, "#NoSuchTag")


def test_a_campaign_is_not_confused_with_a_type_a_state_or_a_city(bot):
    for name in ("Rally", "CA", "Denver Day of Action"):
        create(bot, {"Name": name, "First day": "2026-12-01", "Last day": "2026-12-31"})
    register(
        bot,
        {
            **FUTURE,
            "Title": "In the rally campaign",
            "Type": "Prayer vigil",
            "City": "Fresno",
            "State": "NY",
            "Campaign": "Rally",
        },
    )
    register(bot, {**FUTURE, "Title": "A rally in California", "Type": "Rally or action", "Campaign": "No campaign"})
    register(
        bot,
        {
            **FUTURE,
            "Title": "Denver rally",
            "Type": "Rally or action",
            "City": "Denver",
            "State": "CO",
            "Campaign": "Denver Day of Action",
        },
    )
    register(
        bot,
        {**FUTURE, "Title": "In the CA campaign", "Type": "Canvass", "City": "Reno", "State": "NV", "Campaign": "CA"},
    )

    rally = _listed(bot, "rally")  # the type, with the campaign offered
    assert "A rally in California" in rally and "Denver rally" in rally and "In the rally campaign" not in rally
    assert "Looking for the campaign *Rally*? `/event list campaign rally`" in rally
    assert "In the rally campaign" in _listed(bot, "campaign rally") and "A rally in California" not in _listed(
        bot, "campaign rally"
    )

    state = _listed(bot, "CA")  # the state
    assert "A rally in California" in state and "In the CA campaign" not in state
    assert "Looking for the campaign *CA*? `/event list campaign ca`" in state
    assert "In the CA campaign" in _listed(bot, "campaign CA") and "A rally in California" not in _listed(
        bot, "campaign CA"
    )

    city = _listed(bot, "Denver")  # a city; a word of a campaign's name does not make it the campaign
    assert "Denver rally" in city and "Looking for the campaign *Denver Day of Action*?" in city
    whole = _listed(bot, "denver day of action")  # the whole name is the campaign
    assert "in the campaign *Denver Day of Action*" in whole and "Looking for the city?" not in whole


def test_a_campaign_named_like_a_city_with_events_offers_the_city(bot):
    create(bot, {"Name": "Modesto", "First day": "2026-12-10"})
    register(bot, {**FUTURE, "Title": "Canvass in Modesto", "Campaign": "No campaign"})
    shown = _listed(bot, "modesto")
    assert "No upcoming events in the campaign *Modesto*" in shown
    assert "Looking for the city? `/event list city modesto`" in shown
    assert "Canvass in Modesto" in _listed(bot, "city modesto")


def test_the_campaign_filter_survives_paging(bot):
    create(bot)
    for n in range(12):
        register(bot, {**FUTURE, "Title": f"Vigil {n:02d}", "Start date": f"2026-12-0{1 + n % 6}"})
    register(bot, {**FUTURE, "Title": "Outside", "Campaign": "No campaign"})
    first = bot.command("/event", f"list {WEEK_SLUG}")
    assert "*Upcoming events* 1–10 in the campaign *Central Valley Week of Action*" in first.text
    bot.click({"blocks": first.json["blocks"]}, "event_list_page_next")
    [second] = bot.responded()
    assert "*Upcoming events* 11–12 in the campaign *Central Valley Week of Action*" in visible_text(second)
    assert "Outside" not in visible_text(second)


def test_sample_posts_of_a_teams_campaign(bot, slack):
    create(bot)
    bot.command("/posts", "add", channel="C5")
    view = bot.opened_view()
    bot.submit(view, {"Post text": "Join the #CentralValleyRising week!", "Campaign": WEEK["Name"]})
    assert (
        "*Sample posts* (1 tweet, 0 Facebook posts)\n>Join the #CentralValleyRising week!"
        in bot.command("/campaign", "show central valley").text
    )
    bot.command("/posts", "central valley", channel="C5")
    [shared] = bot.posted(channel="C5")
    assert "Central Valley Week of Action" in visible_text(
        shared
    ) and "Join the #CentralValleyRising week!" in visible_text(shared)


def test_a_workspaces_first_command_may_list_a_shipped_campaign(bot):
    """The shipped campaigns are loaded on a workspace's first use, whichever command that is."""
    reply = bot.command("/event", "list #WhereRTheRefugees")
    assert "I don't know the campaign" not in reply.text
    assert "National Week of Action: #WhereRTheRefugees" in visible_text(reply.json)
