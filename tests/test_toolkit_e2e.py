"""`/toolkit` end to end: private first, "Post in channel", topic buttons, notes, event card link."""

from __future__ import annotations

import json

import pytest

from driver import find_element, visible_text
from fakeslack import TEAM_ID
from messages import content
from messages.mrkdwn import escape
from storage import content as queries


def toolkit(bot, text, count=1, **kwargs):
    """Type /toolkit <text>; return the private replies (there may be several for a long toolkit)."""
    before = len(bot.slack.calls_to("response_url"))
    reply = bot.command("/toolkit", text, **kwargs)
    assert reply.status == 200 and reply.body == ""
    replies = bot.responded(before + count)[before:]
    return replies


def all_replies_text(bot, text):
    """Every private reply to /toolkit <text>, waiting until the one with the share button arrives."""
    before = len(bot.slack.calls_to("response_url"))
    bot.command("/toolkit", text)
    n = 1
    while True:
        replies = bot.responded(before + n)[before:]
        if any('"toolkit_share"' in json.dumps(r) or "toolkit_open" in json.dumps(r) for r in replies):
            return replies
        n += 1


PRESS_STEPS = content.read_yaml(content.CONTENT_DIR / "press-conference.yaml")["sections"][0]["items"]


def test_press_conference_shows_all_16_steps_privately(bot, slack):
    [reply] = toolkit(bot, "press conference")
    shown = visible_text(reply)
    assert len(PRESS_STEPS) == 16
    for n, step in enumerate(PRESS_STEPS, start=1):
        assert f"{n}. {escape(step)}" in shown
    assert reply["response_type"] == "ephemeral" and reply["replace_original"] is False
    assert "Post in channel" in shown
    assert slack.calls_to("chat.postMessage") == []  # nothing public yet


def test_post_in_channel_shares_the_same_steps_with_attribution(bot, slack):
    [reply] = toolkit(bot, "press conf", channel="C7")
    bot.click(reply, "toolkit_share", user="U1", channel="C7")
    [post] = bot.posted(channel="C7")
    shown = visible_text(post)
    assert "Shared by <@U1>" in shown
    for step in PRESS_STEPS:
        assert escape(step) in shown
    assert "Post in channel" not in shown  # no private controls in the channel


def test_post_in_channel_joins_the_channel_if_needed(bot, slack):
    [reply] = toolkit(bot, "vigil")
    slack.fail_next("chat.postMessage", "not_in_channel")
    bot.click(reply, "toolkit_share")
    [join] = slack.wait_for("conversations.join")
    assert join["channel"] == "C1"
    slack.wait_for("chat.postMessage", 2)  # refused, then posted after joining
    assert "Shared by <@U1>" in visible_text(slack.messages["C1"][0])


def test_post_in_channel_tells_the_user_when_it_cannot(bot, slack):
    [reply] = toolkit(bot, "vigil", channel="C_GONE")
    bot.click(reply, "toolkit_share", channel="C_GONE")
    told = bot.direct_message("U1")  # by DM: the channel is out of reach
    assert "couldn't post in <#C_GONE>" in told["text"] and "/invite @Organizer Bot" in told["text"]


@pytest.mark.parametrize(
    "typed, slug",
    [
        ("press conf", "press-conference"),
        ("Press   Conference", "press-conference"),
        ("vigil", "prayer-vigil"),
        ("congress visit", "congressional-visit"),
        ("congressional-visit", "congressional-visit"),
        ("asks", "key-asks"),
        ("messages", "message-points"),
        ("calls", "call-in"),
        ("town hal", "town-hall"),
        ("prayer vigl", "prayer-vigil"),
    ],
)
def test_topic_matching_forgives_case_spaces_and_spelling(bot, typed, slug):
    [reply] = toolkit(bot, typed)
    title = content.read_yaml(content.CONTENT_DIR / f"{slug}.yaml")["title"]
    assert escape(title) in visible_text(reply)


def test_unknown_topic_lists_the_close_ones_as_buttons(bot):
    [reply] = toolkit(bot, "press thing")
    assert "Did you mean" in visible_text(reply)
    assert "Steps to a successful press conference" in visible_text(reply)
    [nothing] = toolkit(bot, "zzzzqqq")
    assert "I have no toolkit called “zzzzqqq”" in visible_text(nothing)


def test_no_argument_lists_topics_and_buttons_open_them(bot):
    [listing] = toolkit(bot, "")
    shown = visible_text(listing)
    for slug in ("press-conference", "prayer-vigil", "congressional-visit", "key-asks", "message-points", "call-in"):
        assert f"/toolkit {slug}" in shown
    assert "/toolkit sample-tweets" not in shown  # sample posts live in /posts
    button = next(
        e["action_id"]
        for b in listing["blocks"]
        if "accessory" in b
        for e in [b["accessory"]]
        if e["value"] == "town-hall"
    )
    bot.click(listing, button)
    [_, opened] = bot.responded(2)
    assert "Steps to attending a town hall meeting" in visible_text(opened)
    assert opened["replace_original"] is False


def test_help(bot):
    reply = bot.command("/toolkit", "help")
    assert "/toolkit press conference" in reply.text and "/toolkit asks" in reply.text


def test_sample_posts_point_to_posts(bot):
    [reply] = toolkit(bot, "tweets")
    assert "/posts tweets" in visible_text(reply)


def test_team_note_is_added_escaped_and_survives_a_reload(bot, slack, database):
    bot.command("/toolkit", "add vigil")
    view = bot.opened_view()
    reply = bot.submit(view, {"Note": "<!channel> bring candles & <https://x|y>"})
    assert reply.status == 200 and reply.body == ""
    [told] = slack.wait_for("chat.postEphemeral")
    assert "Added your note" in told["text"]
    with database.session() as session:
        queries.load_content(session, TEAM_ID, content.shipped_topics())
    [shown] = toolkit(bot, "prayer vigil")
    everything = json.dumps(shown)
    assert "<!channel>" not in everything and "<https://x" not in everything
    assert "&lt;!channel&gt; bring candles &amp; &lt;https://x|y&gt; (added by <@U1>)" in visible_text(shown)


def test_event_card_links_the_toolkit_for_its_type(bot, slack):
    from test_events_e2e import FUTURE, register

    register(bot, {**FUTURE, "Title": "Vigil for families", "Type": "Prayer vigil"})
    [card] = bot.posted()
    button = find_element(card["blocks"], "event_toolkit")
    assert button["text"]["text"] == "Toolkit: Prayer vigil" and button["value"] == "prayer-vigil"
    bot.click(card, "event_toolkit", user="U2")
    [answer] = bot.responded()
    assert "Steps to a successful prayer vigil" in visible_text(answer)
    assert answer["response_type"] == "ephemeral" and answer["replace_original"] is False

    register(bot, {**FUTURE, "Title": "Visit Rep. Denham", "Type": "Legislative visit"})
    visit = bot.posted(2)[1]
    assert find_element(visit["blocks"], "event_toolkit")["value"] == "congressional-visit"


def test_long_toolkits_fit_block_kit_and_lose_nothing(bot):
    for slug in ("key-asks", "background", "congressional-visit"):
        replies = all_replies_text(bot, slug)
        for r in replies:
            for block in r["blocks"]:
                assert len(block.get("text", {}).get("text", "")) <= 3000
