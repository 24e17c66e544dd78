"""`/posts` end to end: sample posts into the channel, share links, Fill in, team posts, content coverage."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from driver import find_element, visible_text
from fakeslack import TEAM_ID
from messages import content
from messages.mrkdwn import escape
from storage import content as queries

TWEETS = content.read_yaml(content.CONTENT_DIR / "sample-tweets.yaml")["posts"]
FACEBOOK = content.read_yaml(content.CONTENT_DIR / "sample-facebook-posts.yaml")["posts"]


def share_links(message: dict) -> list[str]:
    return [
        e["url"]
        for b in message["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"].startswith("posts_share")
    ]


def tweet_text(url: str) -> str:
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "twitter.com", "/intent/tweet")
    return parse_qs(parts.query)["text"][0]


def test_tweets_go_in_the_channel_with_working_share_links(bot, slack):
    reply = bot.command("/posts", "tweets", channel="C5")
    assert reply.status == 200 and reply.body == ""
    [post] = bot.posted(channel="C5")
    shown = visible_text(post)
    assert "Shared by <@U1>" in shown
    assert len(TWEETS) == 6
    for tweet in TWEETS:
        assert f"```{escape(tweet['text'])}```" in shown
    assert [tweet_text(url) for url in share_links(post)] == [t["text"] for t in TWEETS]
    assert find_element(post["blocks"], "posts_fill")  # @YourElectedOfficial can be filled in


def test_handle_fills_your_elected_official(bot):
    bot.command("/posts", "tweets @SenKamalaHarris")
    [post] = bot.posted()
    texts = [tweet_text(url) for url in share_links(post)]
    assert texts == [t["text"].replace("@YourElectedOfficial", "@SenKamalaHarris") for t in TWEETS]
    assert "@YourElectedOfficial" not in visible_text(post)


def test_bad_handle_gets_a_friendly_error(bot, slack):
    reply = bot.command("/posts", "tweets @not-a-handle")
    assert "isn't a Twitter handle" in reply.text and "@SenatorHandle" in reply.text
    reply = bot.command("/posts", "tweets @abcdefghijklmnop")  # 16 characters
    assert "isn't a Twitter handle" in reply.text
    assert slack.calls_to("chat.postMessage") == []


def test_facebook_posts_with_share_links(bot):
    bot.command("/posts", "facebook")
    [post] = bot.posted()
    shown = visible_text(post)
    for item in FACEBOOK:
        assert escape(item["text"]) in shown
    for url, item in zip(share_links(post), FACEBOOK, strict=True):
        parts = urlsplit(url)
        assert parts.netloc == "www.facebook.com" and parts.path == "/sharer/sharer.php"
        query = parse_qs(parts.query)
        assert query["quote"][0] == item["text"] and query["u"][0].startswith("https://www.facebook.com/")


def test_hashtag_and_campaign_narrow_the_posts(bot, slack):
    bot.command("/posts", "#NoBanNoWallNoRaids")
    [post] = bot.posted()
    expected = [p["text"] for p in TWEETS + FACEBOOK if "#nobannowallnoraids" in p["text"].lower()]
    shown = visible_text(post)
    assert all(escape(text) in shown for text in expected)
    assert escape(TWEETS[0]["text"]) not in shown  # no #NoBanNoWallNoRaids in the first tweet
    bot.command("/posts", "tweets we are all america")
    assert len(share_links(bot.posted(2)[1])) == 6
    bot.command("/posts", "where r the refugees")
    assert "No sample posts match" in bot.responded()[0]["text"]
    assert "I don't know" in bot.command("/posts", "tweets blorp").text


def test_fill_in_modal_fills_placeholders_then_posts(bot, slack):
    bot.command("/posts", "facebook")
    [post] = bot.posted()
    bot.click(post, "posts_fill")
    view = bot.opened_view()
    labels = [b["label"]["text"] for b in view["blocks"] if b["type"] == "input"]
    assert labels == ["Member of Congress", "Organization name", "Your ZIP code"]  # Facebook posts have no handle
    reply = bot.submit(view, {"Member of Congress": "Rep. Jeff Denham", "Organization name": "SIREN"})
    assert reply.body == ""
    filled = bot.posted(2)[1]
    shown = visible_text(filled)
    assert "[YOUR MEMBER OF CONGRESS]" not in shown and "[OR ADD ORGANIZATION NAME]" not in shown
    quotes = [parse_qs(urlsplit(u).query)["quote"][0] for u in share_links(filled)]
    assert quotes[0] == FACEBOOK[0]["text"].replace("[OR ADD ORGANIZATION NAME]", "SIREN").replace(
        "[YOUR MEMBER OF CONGRESS]", "Rep. Jeff Denham"
    )
    assert "Rep. Jeff Denham" in quotes[1]
    assert not any(b["type"] == "actions" and b["elements"][0]["action_id"] == "posts_fill" for b in filled["blocks"])


def test_fill_in_rejects_a_bad_handle(bot, slack):
    bot.command("/posts", "tweets")
    [post] = bot.posted()
    bot.click(post, "posts_fill")
    view = bot.opened_view()
    reply = bot.submit(view, {"Elected official's handle": "@bad handle!"})
    assert reply.json["response_action"] == "errors" and "isn't a Twitter handle" in reply.json["errors"]["handle"]
    reply = bot.submit(view, {"Elected official's handle": "SenFeinstein"})  # the @ is optional
    assert reply.body == ""
    assert "@SenFeinstein" in tweet_text(share_links(bot.posted(2)[1])[0])


def add_post(bot, platform, text):
    bot.command("/posts", "add")
    view = bot.opened_view()
    return bot.submit(view, {"Platform": platform, "Post text": text})


def test_team_post_is_escaped_and_pings_nobody(bot, slack):
    assert add_post(bot, "Twitter", "<!channel> hi & <https://x|y>").body == ""
    slack.wait_for("chat.postEphemeral")
    bot.command("/posts", "tweets")
    [post] = bot.posted()
    everything = json.dumps(post)
    assert "<!channel>" not in everything and "<https://x" not in everything
    assert "```&lt;!channel&gt; hi &amp; &lt;https://x|y&gt;```" in visible_text(post)
    assert "Added by <@U1>" in visible_text(post)
    assert tweet_text(share_links(post)[-1]) == "<!channel> hi & <https://x|y>"  # the tweet itself is as written


def test_a_forged_campaign_is_refused_and_nothing_is_added(bot, slack, database):
    """The modal's campaign options can be forged: a campaign the workspace doesn't have is an error on the field."""
    bot.command("/posts", "add")
    view = bot.opened_view()
    campaign = next(block["element"] for block in view["blocks"] if block.get("block_id") == "campaign")
    campaign["options"].append({"text": {"type": "plain_text", "text": "Forged"}, "value": "someone-elses-campaign"})
    reply = bot.submit(view, {"Post text": "Forged #LetThemIn", "Campaign": "Forged"})
    assert reply.json["response_action"] == "errors"
    assert reply.json["errors"]["campaign"] == "This workspace has no such campaign. Pick one from the list, or none."
    with database.read() as session:
        assert all(p.text != "Forged #LetThemIn" for p in queries.posts(session, TEAM_ID))


def test_tweet_over_280_after_filling_is_flagged_without_a_share_link(bot, slack):
    long_tweet = "[YOUR MEMBER OF CONGRESS] " + "x" * 249  # 275 characters as written
    assert add_post(bot, "Twitter", long_tweet).body == ""
    assert add_post(bot, "Twitter", "y" * 281).json["response_action"] == "errors"
    bot.command("/posts", "tweets")
    [post] = bot.posted()
    bot.click(post, "posts_fill")
    view = bot.opened_view()
    bot.submit(view, {"Member of Congress": "Senator Dianne Feinstein of California"})
    filled = bot.posted(2)[1]
    assert len(share_links(filled)) == 6  # the six shipped tweets only
    assert "Too long to tweet:* 288 characters" in visible_text(filled)


def test_reload_keeps_team_posts(bot, slack, database):
    add_post(bot, "Facebook", "Our own post #LetThemIn")
    with database.session() as session:
        queries.load_content(session, TEAM_ID, content.shipped_topics())
        queries.load_content(session, TEAM_ID, content.shipped_topics())
    bot.command("/posts", "facebook")
    [post] = bot.posted()
    assert "Our own post #LetThemIn" in visible_text(post)
    assert len(share_links(post)) == 3


def test_bot_not_in_channel_joins_or_tells_the_user(bot, slack):
    slack.fail_next("chat.postMessage", "not_in_channel")
    bot.command("/posts", "tweets", channel="C9")
    slack.wait_for("conversations.join")
    bot.posted(2, channel="C9")  # refused, then posted after joining
    assert len(slack.messages["C9"]) == 1
    bot.command("/posts", "tweets", channel="C_GONE")
    told = bot.direct_message("U1")  # by DM: the channel is out of reach
    assert "couldn't post in <#C_GONE>" in told["text"] and "/invite @Organizer Bot" in told["text"]


def test_help(bot):
    for text in ("help", ""):
        reply = bot.command("/posts", text)
        assert "/posts tweets @SenatorHandle" in reply.text and "/posts facebook" in reply.text


def test_in_someone_elses_dm_the_advice_is_one_that_works_there(bot, slack):
    """/invite cannot be typed in a DM: the bot says to use a channel (or its own DM) instead."""
    slack.fail_next("chat.postMessage", "channel_not_found")
    bot.command("/posts", "tweets", channel="D0OTHER")
    told = bot.direct_message("U1")
    assert "run the command in a channel" in told["text"] and "/invite" not in told["text"]
