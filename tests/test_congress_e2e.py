"""`/congress` end to end: a ZIP code's members privately, "Post in channel", split ZIP codes,
a state, a name, help and errors, in English and in Spanish, as a user sees them."""

from __future__ import annotations

import json

from driver import visible_text

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
    assert shown.index("Adam B. Schiff") < shown.index("Tom McClintock") < shown.index("Ami Bera")  # senators, then CA-5, CA-6
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
