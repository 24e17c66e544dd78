"""`/congress` end to end: a ZIP code's members privately, "Post in channel", split ZIP codes,
a state, a name, help and errors, in English and in Spanish, as a user sees them."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from driver import find_element, visible_text
from messages import content
from storage.models import Event
from test_posts_e2e import share_links, tweet_text
from test_public_web import AMERICA_CALL, SPANISH_BROWSER, site
from visitor import visit

ROSA = "UROSA"  # her Slack is in Spanish


def congress(bot, text, count=1, user="U1", channel="C1"):
    """Type /congress <text>; return the private replies."""
    before = len(bot.slack.calls_to("response_url"))
    reply = bot.command("/congress", text, user=user, channel=channel)
    assert reply.status == 200 and reply.body == ""
    return bot.responded(before + count)[before:]


def test_a_zip_code_gives_the_representative_and_senators_privately(bot, slack):
    [reply] = congress(bot, "95356")
    shown = visible_text(reply)
    assert reply["response_type"] == "ephemeral" and reply["replace_original"] is False
    assert "*Members of Congress for Modesto, CA 95356*" in shown
    assert "*Tom McClintock* — Representative, Republican, CA-5" in shown
    assert "Washington office: 202-225-2511" in shown
    assert "Nearest local office: 1020 15th Street, Suite 11, Modesto, CA 95354 · 209-550-6910" in shown
    assert "<https://x.com/RepMcClintock|@RepMcClintock>" in shown
    assert "*Alex Padilla* — Senator, Democrat, CA" in shown and "Washington office: 202-224-3553" in shown
    assert "<https://www.padilla.senate.gov/contact/|Contact form>" in shown
    assert "*Adam B. Schiff* — Senator, Democrat, CA" in shown
    assert "split" not in shown
    assert "Post in channel" in shown
    assert slack.calls_to("chat.postMessage") == []  # nothing public yet


def test_post_in_channel_shares_the_answer_saying_who_shared_it(bot, slack):
    [reply] = congress(bot, "95356", channel="C7")
    bot.click(reply, "congress_share", user="U1", channel="C7")
    [post] = bot.posted(channel="C7")
    shown = visible_text(post)
    assert "Shared by <@U1> · `/congress 95356`" in shown
    assert "*Tom McClintock* — Representative, Republican, CA-5" in shown and "Adam B. Schiff" in shown
    assert "Post in channel" not in shown


def test_a_split_zip_code_lists_every_district_and_says_an_address_decides(bot):
    [reply] = congress(bot, "10003")
    shown = visible_text(reply)
    assert "ZIP code 10003 is split between districts NY-10, NY-12: only a street address decides" in shown
    assert "*Daniel S. Goldman* — Representative, Democrat, NY-10" in shown
    assert "*Jerrold Nadler* — Representative, Democrat, NY-12" in shown
    assert "Kirsten E. Gillibrand" in shown and "Charles E. Schumer" in shown


def test_at_large_dc_and_territories(bot):
    [wyoming] = congress(bot, "82001")
    assert "*Harriet M. Hageman* — Representative, Republican, WY (at large)" in visible_text(wyoming)
    [dc] = congress(bot, "20001")
    shown = visible_text(dc)
    assert "*Eleanor Holmes Norton* — Delegate, Democrat, DC (at large)" in shown and "DC has no senators." in shown
    [puerto_rico] = congress(bot, "00601")
    assert "*Pablo José Hernández* — Resident Commissioner, Democrat, PR (at large)" in visible_text(puerto_rico)


def test_a_zip_code_in_no_district_gets_a_clear_error_with_an_example(bot):
    [reply] = congress(bot, "95353")
    shown = visible_text(reply)
    assert "I can't find ZIP code 95353 in any congressional district" in shown and "`/congress 95356`" in shown
    assert "Post in channel" not in shown


def test_a_states_delegation(bot):
    [reply] = congress(bot, "California")
    shown = visible_text(reply)
    assert "*Members of Congress for CA*" in shown
    assert (
        shown.index("Adam B. Schiff") < shown.index("Tom McClintock") < shown.index("Ami Bera")
    )  # senators, then CA-5, CA-6
    assert shown.count("— Representative,") >= 50 and shown.count("— Senator,") == 2
    assert "Post in channel" in shown


def test_one_member_by_name_with_every_local_office(bot):
    [reply] = congress(bot, "Rep. McClintock")
    shown = visible_text(reply)
    assert "*Tom McClintock* — Representative, Republican, CA-5" in shown
    assert "Local offices: Modesto (209-550-6910), El Dorado Hills (916-786-5560)" in shown
    [padilla] = congress(bot, "padilla")
    assert "*Alex Padilla* — Senator, Democrat, CA" in visible_text(padilla)


def test_a_common_name_lists_everyone_and_asks_for_more(bot):
    [reply] = congress(bot, "Scott")
    shown = visible_text(reply)
    assert "*Members of Congress named “Scott”*" in shown and "Add a first name or a state" in shown
    assert "Tim Scott" in shown and "Rick Scott" in shown


def test_help_and_unknown_input(bot):
    reply = bot.command("/congress", "help")
    assert "/congress 95356" in reply.text and "/congress CA" in reply.text and "/congress Padilla" in reply.text
    assert "/congress 95356" in bot.command("/congress", "").text
    [unknown] = congress(bot, "<!channel> zzzz")
    shown = visible_text(unknown)
    assert "I don't know “&lt;!channel&gt; zzzz”" in shown and "`/congress 95356`" in shown
    assert "<!channel>" not in json.dumps(unknown)


def test_in_spanish(bot, slack):
    slack.add_user(ROSA, tz="America/Los_Angeles", real_name="Rosa Martínez", locale="es-LA")
    [reply] = congress(bot, "95356", user=ROSA)
    shown = visible_text(reply)
    assert "*Congresistas de Modesto, CA 95356*" in shown
    assert "*Tom McClintock* — Representante, Republicano(a), CA-5" in shown
    assert "Oficina en Washington: 202-225-2511" in shown and "Oficina local más cercana:" in shown
    assert "*Alex Padilla* — Senador(a), Demócrata, CA" in shown and "Publicar en el canal" in shown
    [split] = congress(bot, "10003", user=ROSA)
    assert "El código postal 10003 está dividido entre los distritos NY-10, NY-12" in visible_text(split)
    [error] = congress(bot, "95353", user=ROSA)
    assert "No encuentro el código postal 95353" in visible_text(error)


# --- /posts and /toolkit with a ZIP code ----------------------------------------------------------

TWEETS = content.read_yaml(content.CONTENT_DIR / "sample-tweets.yaml")["posts"]
FACEBOOK = content.read_yaml(content.CONTENT_DIR / "sample-facebook-posts.yaml")["posts"]
MODESTO_HANDLES = "@RepMcClintock @SenAlexPadilla @SenAdamSchiff"
MODESTO_NAMES = "Tom McClintock, Alex Padilla, and Adam B. Schiff"


def test_posts_tweets_with_a_zip_code_address_its_members_handles(bot):
    bot.command("/posts", "tweets 95356", channel="C5")
    [post] = bot.posted(channel="C5")
    texts = [tweet_text(url) for url in share_links(post)]
    assert texts == [t["text"].replace("@YourElectedOfficial", MODESTO_HANDLES) for t in TWEETS]
    shown = visible_text(post)
    assert "@YourElectedOfficial" not in shown and "to the members of Congress for 95356" in shown
    assert not find_elements(post, "posts_fill")  # nothing left to fill in


def test_a_tweet_too_long_for_every_handle_becomes_one_tweet_a_member(bot):
    long_tweet = (
        "@YourElectedOfficial Keep families together! "
        + "please protect our immigrant and refugee neighbors " * 4
        + "#WeAreAllAmerica"
    )
    assert (
        len(long_tweet.replace("@YourElectedOfficial", MODESTO_HANDLES))
        > 280
        >= len(long_tweet.replace("@YourElectedOfficial", "@SenAlexPadilla"))
    )
    bot.command("/posts", "add")
    assert bot.submit(bot.opened_view(), {"Platform": "Twitter", "Post text": long_tweet}).body == ""
    bot.command("/posts", "tweets #WeAreAllAmerica 95356")
    [post] = bot.posted()
    texts = [tweet_text(url) for url in share_links(post)]
    mine = [t for t in texts if "please protect" in t]
    assert mine == [long_tweet.replace("@YourElectedOfficial", h) for h in MODESTO_HANDLES.split()]


def test_posts_facebook_with_a_zip_code_names_its_members(bot):
    bot.command("/posts", "facebook 95356-1234")
    [post] = bot.posted()
    quotes = [parse_qs(urlsplit(u).query)["quote"][0] for u in share_links(post)]
    assert quotes[1] == FACEBOOK[1]["text"].replace("[YOUR MEMBER OF CONGRESS]", MODESTO_NAMES)
    assert "[OR ADD ORGANIZATION NAME]" in quotes[0] and find_elements(
        post, "posts_fill"
    )  # still to fill: the organization


def test_posts_with_a_zip_code_in_no_district_say_so(bot, slack):
    bot.command("/posts", "tweets 95353")
    [reply] = bot.responded()
    assert (
        "I can't find ZIP code 95353 in any congressional district" in reply["text"]
        and "`/posts tweets 95356`" in reply["text"]
    )
    assert slack.calls_to("chat.postMessage") == []


def test_the_fill_in_form_takes_a_zip_code(bot):
    bot.command("/posts", "tweets")
    [post] = bot.posted()
    bot.click(post, "posts_fill")
    view = bot.opened_view()
    reply = bot.submit(view, {"Your ZIP code": "9535"})
    assert reply.json["response_action"] == "errors" and "isn't a ZIP code" in reply.json["errors"]["zip"]
    reply = bot.submit(view, {"Your ZIP code": "95353"})
    assert "I can't find ZIP code 95353" in reply.json["errors"]["zip"]
    assert bot.submit(view, {"Your ZIP code": "10003"}).body == ""
    filled = bot.posted(2)[1]
    assert tweet_text(share_links(filled)[0]) == TWEETS[0]["text"].replace(
        "@YourElectedOfficial", "@RepDanGoldman @RepJerryNadler @GillibrandNY @SenSchumer"
    )


def test_posts_in_spanish_join_the_names_as_spanish_does(bot, slack):
    bot.command("/event", "language es", channel="C9")
    bot.responded()  # said in the channel
    bot.command("/posts", "facebook 95356", channel="C9")
    [post] = bot.posted(channel="C9")
    quotes = [parse_qs(urlsplit(u).query)["quote"][0] for u in share_links(post)]
    assert "Tom McClintock, Alex Padilla y Adam B. Schiff" in quotes[1]
    assert "a congresistas de 95356" in visible_text(post)


def find_elements(message, action_id):
    return [
        e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"] if e["action_id"] == action_id
    ]


def toolkit(bot, text, count=1, channel="C1"):
    before = len(bot.slack.calls_to("response_url"))
    bot.command("/toolkit", text, channel=channel)
    return bot.responded(before + count)[before:]


def test_toolkit_calls_with_a_zip_code_gives_the_members_names_and_numbers(bot):
    [reply] = toolkit(bot, "calls 95356")
    shown = visible_text(reply)
    assert "*Your members of Congress for Modesto, CA 95356*" in shown
    assert (
        "• *Tom McClintock* — Representative, Republican, CA-5: Washington 202-225-2511 · Modesto office 209-550-6910"
        in shown
    )
    assert "• *Alex Padilla* — Senator, Democrat, CA: Washington 202-224-3553 · " in shown
    assert "• *Adam B. Schiff* — Senator, Democrat, CA: Washington 202-224-3841" in shown
    assert "live in ZIP code 95356" in shown
    assert (
        "Call your Members of Congress to demand a stop to the raids: 866-957-2612" in shown
    )  # the toolkit's own script follows
    assert shown.index("Tom McClintock") < shown.index("866-957-2612")


def test_post_in_channel_keeps_the_zip_codes_members(bot):
    [reply] = toolkit(bot, "call in 10003", channel="C4")
    bot.click(reply, "toolkit_share", channel="C4")
    [post] = bot.posted(channel="C4")
    shown = visible_text(post)
    assert "Shared by <@U1> · `/toolkit call-in 10003`" in shown
    assert (
        "Daniel S. Goldman" in shown
        and "Jerrold Nadler" in shown
        and "ZIP code 10003 is split between districts NY-10, NY-12" in shown
    )


def test_toolkit_with_a_zip_code_in_no_district_says_so(bot):
    [reply] = toolkit(bot, "calls 95353")
    assert "I can't find ZIP code 95353 in any congressional district" in visible_text(reply)
    [plain] = toolkit(bot, "calls")
    assert "Your members of Congress" not in visible_text(plain) and "866-957-2612" in visible_text(plain)


# --- the public page ------------------------------------------------------------------------------


def test_the_public_page_finds_the_members_with_tap_to_call_links(bot):
    page = visit(site(bot) + "/congress?zip=95356")
    assert page.status == 200
    shown = page.text
    assert "Members of Congress for Modesto, CA 95356" in shown
    assert "Tom McClintock Representative, Republican, CA-5 Washington office: 202-225-2511" in shown
    assert "Nearest local office: 1020 15th Street, Suite 11, Modesto, CA 95354 · 209-550-6910" in shown
    assert page.links["202-225-2511"] == "tel:+12022252511" and page.links["209-550-6910"] == "tel:+12095506910"
    assert page.links["@RepMcClintock"] == "https://x.com/RepMcClintock"
    assert "Alex Padilla Senator, Democrat, CA" in shown and page.links["202-224-3553"] == "tel:+12022243553"
    assert "<script" not in page.html  # no tracking, no map: nothing runs


def test_the_public_page_for_a_split_zip_code_a_bad_one_and_one_in_no_district(bot):
    split = visit(site(bot) + "/congress?zip=10003").text
    assert "ZIP code 10003 is split between districts NY-10, NY-12" in split and "Jerrold Nadler" in split
    bad = visit(site(bot) + "/congress?zip=<b>1234</b>")
    assert bad.status == 200 and "Type the 5 digits of a ZIP code" in bad.text and "<b>1234" not in bad.html
    nowhere = visit(site(bot) + "/congress?zip=95353").text
    assert "We can't find ZIP code 95353 in any congressional district" in nowhere
    assert "Call your members of Congress" in visit(site(bot) + "/congress").text  # the form alone


def test_the_campaign_page_links_to_the_lookup_which_gives_its_call_as_the_script(bot):
    campaign = visit(site(bot) + "/campaigns/we-are-all-america")
    link = campaign.links["Call your members of Congress"]
    assert link == "/congress?campaign=we-are-all-america"
    page = visit(site(bot) + link + "&zip=95356")
    assert "What to say" in page.text and "Say your name and that you live in ZIP code 95356, then:" in page.text
    assert AMERICA_CALL in page.text and "Tom McClintock" in page.text


def test_the_public_page_in_spanish(bot):
    page = visit(site(bot) + "/congress?zip=20001", SPANISH_BROWSER)
    assert '<html lang="es">' in page.html
    shown = page.text
    for said in (
        "Llama a tus congresistas",
        "Congresistas de Washington, DC 20001",
        "Eleanor Holmes Norton Delegado(a), Demócrata, DC (distrito único)",
        "Oficina en Washington:",
        "DC no tiene senadores.",
    ):
        assert said in shown, said


# --- the event form's Members of Congress -----------------------------------------------------------


def test_the_event_forms_member_menu_searches_as_one_types_and_the_card_names_them(bot, slack, database):
    from test_events_e2e import FUTURE

    assert bot.command("/event", "new").status == 200
    view = bot.opened_view()
    assert len(bot.suggest(view, "congress_members", "ber")) > 1  # Bera, Bergman, Bernie Moreno…
    bera = bot.suggest(view, "congress_members", "rep. bera")
    assert [o["text"]["text"] for o in bera] == ["Ami Bera — Representative, CA-6"] and bera[0]["value"] == "B001287"
    california = bot.suggest(view, "congress_members", "CA")
    assert [o["text"]["text"] for o in california[:2]] == ["Alex Padilla — Senator, CA", "Adam B. Schiff — Senator, CA"]
    assert bot.suggest(view, "congress_members", "zzzz") == []
    reply = bot.submit(view, {**FUTURE, "Type": "Legislative visit", "Members of Congress": [bera[0], california[0]]})
    assert reply.body == ""
    [card] = bot.posted()
    assert ":classical_building: *For* Ami Bera (Representative, CA-6), Alex Padilla (Senator, CA)" in visible_text(
        card
    )
    with database.session() as session:
        assert session.get(Event, 1).congress_members == "B001287 P000145"
    page = visit(site(bot) + "/events/1")
    assert "Members of Congress Ami Bera (Representative, CA-6), Alex Padilla (Senator, CA)" in page.text
    spanish = visit(site(bot) + "/events/1", SPANISH_BROWSER)
    assert "Congresistas Ami Bera (Representante, CA-6), Alex Padilla (Senador(a), CA)" in spanish.text
    [vevent] = visit(site(bot) + "/events/1.ics").calendar.walk("VEVENT")
    assert "Members of Congress: Ami Bera (Representative, CA-6), Alex Padilla (Senator, CA)" in str(
        vevent["DESCRIPTION"]
    )

    bot.command("/event", "edit 1")
    edit = bot.opened_view()
    chosen = find_element(edit["blocks"], "congress_members")["initial_options"]
    assert [o["value"] for o in chosen] == ["B001287", "P000145"]
    assert bot.submit(edit, {"Members of Congress": [chosen[1]]}).body == ""
    with database.session() as session:
        assert session.get(Event, 1).congress_members == "P000145"


def test_a_forged_member_is_refused_under_the_field(bot):
    from test_events_e2e import FUTURE

    bot.command("/event", "new")
    view = bot.opened_view()
    forged = {"text": {"type": "plain_text", "text": "Nobody"}, "value": "X999999"}
    reply = bot.submit(view, {**FUTURE, "Members of Congress": [forged]})
    assert reply.json["response_action"] == "errors"
    assert reply.json["errors"]["congress_members"] == "Choose members of Congress from the menu."


def test_a_listing_naming_a_member_links_them_in_the_form_and_on_the_card(bot):
    from handlers.events import EVENT_FROM_MESSAGE_SHORTCUT

    listing = (
        "Sacramento: #WeAreAllAmerica: Legislative Visit with Rep. Bera\n"
        "• Date and Time: 12/15/26 at 10:00am PT\n• Lead Organizations: Church World Service"
    )
    bot.message_shortcut(
        EVENT_FROM_MESSAGE_SHORTCUT, {"type": "message", "user": "U2", "ts": "1.2", "text": listing}, channel="C7"
    )
    view = bot.opened_view()
    chosen = find_element(view["blocks"], "congress_members")["initial_options"]
    assert [(o["value"], o["text"]["text"]) for o in chosen] == [("B001287", "Ami Bera — Representative, CA-6")]
    assert bot.submit(view, {}).body == ""
    [card] = bot.posted(channel="C7")
    assert ":classical_building: *For* Ami Bera (Representative, CA-6)" in visible_text(card)


# --- coverage, for staff ----------------------------------------------------------------------------


def test_campaign_show_says_whom_its_events_reach_and_which_committee_members_they_dont(bot):
    from test_events_e2e import FUTURE
    from test_public_web import AMERICA

    bot.command("/event", "new")
    view = bot.opened_view()
    chosen = bot.suggest(view, "congress_members", "Sen. Grassley") + bot.suggest(
        view, "congress_members", "Rep. Jim Jordan"
    )
    answers = {**FUTURE, "Type": "Legislative visit", "Campaign": AMERICA, "Members of Congress": chosen}
    assert bot.submit(view, answers).body == ""
    bot.posted()
    shown = bot.command("/campaign", "show we are all america").text
    assert "*Members of Congress:* its events are for 2 members (1 in the Senate)." in shown
    without = shown.split("No visit or call yet for the senators of ")[1].split("\n")[0]
    assert without.startswith("49 states: ") and "IA" not in without.split(": ")[1].split(", ") and "CA" in without
    assert "No visit or call yet for 436 of 437 members of the House." in shown  # the delegates too
    judiciary = next(line for line in shown.split("\n") if line.startswith("*Senate Committee on the Judiciary*"))
    assert "Chuck Grassley" not in judiciary and "Richard J. Durbin (IL)" in judiciary
    house = next(line for line in shown.split("\n") if line.startswith("*House Committee on the Judiciary*"))
    assert "Jim Jordan" not in house and "Jerrold Nadler (NY-12)" in house
    assert "*Senate Committee on Homeland Security and Governmental Affairs*, no action planned for" in shown
