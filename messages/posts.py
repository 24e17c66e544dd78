"""`/posts`: sample tweets and Facebook posts, placeholders filled in, one-click share links.

Every post is shown escaped in a code block (easy to copy) with a share button. A tweet
that is over 280 characters after filling is flagged instead of getting a share link
that would open a broken, truncated tweet. A shipped post is shown in its translation into
the language of the moment when its content file has one (messages.content), else as written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from urllib.parse import quote, urlencode

from messages import blockkit, mrkdwn
from messages.campaigns import HASHTAG, match_campaign
from messages.congress import names_list
from messages.content import all_post_hashtags, post_hashtags, post_text
from messages.i18n import N_, catalog
from messages.limits import (
    BUTTON_VALUE,
    MESSAGE_BLOCKS,
    OPTION_TEXT,
    SECTION_TEXT,
    SELECT_OPTIONS,
    chunk,
    shorten,
)
from messages.plural import number
from storage.congress import Member
from storage.models import Campaign, ContentPost
from storage.places import ZIP_CODE

_, ngettext, pgettext = catalog("posts")

TWITTER = "twitter"
FACEBOOK = "facebook"
PLATFORM_LABELS = {TWITTER: "Twitter", FACEBOOK: "Facebook"}  # untranslated: the platforms' names
SHARE_LABELS = {TWITTER: N_("Tweet this"), FACEBOOK: N_("Share on Facebook")}
PLATFORM_WORDS = {
    "tweets": TWITTER,
    "tweet": TWITTER,
    "twitter": TWITTER,
    "x": TWITTER,
    "facebook": FACEBOOK,
    "fb": FACEBOOK,
}
IGNORED_WORDS = {"posts", "post", "sample", "samples", "for"}
TWEET_LIMIT = 280
QUERY_MAX = 300  # a platform, a handle, a hashtag and a campaign name fit with room to spare
HANDLE = re.compile(r"^@\w{1,15}$")

HANDLE_PLACEHOLDER = "@YourElectedOfficial"
MEMBER_PLACEHOLDER = "[YOUR MEMBER OF CONGRESS]"
ORGANIZATION_PLACEHOLDER = "[OR ADD ORGANIZATION NAME]"

# Action ids, callback ids and block ids; defined here so messages and listeners agree.
SHARE_ACTION = "posts_share"  # link buttons: suffixed with the post's position to stay unique
FILL_ACTION = "posts_fill"
FILL_CALLBACK_ID = "posts_fill"
ADD_CALLBACK_ID = "posts_add"
HANDLE_BLOCK, MEMBER_BLOCK, ORGANIZATION_BLOCK, ZIP_BLOCK = "handle", "member", "organization", "zip"
PLATFORM_BLOCK, TEXT_BLOCK, CAMPAIGN_BLOCK = "platform", "text", "campaign"
_BODY_BLOCKS = MESSAGE_BLOCKS - 5


# --- what was asked for -----------------------------------------------------


@dataclass(frozen=True)
class PostQuery:
    platform: str | None = None
    hashtag: str | None = None
    campaign: str | None = None
    handle: str | None = None
    member: str | None = None
    organization: str | None = None
    zip_code: str | None = None  # its members of Congress fill in what `handle` and `member` leave

    def encode(self) -> str:
        return json.dumps({k: v for k, v in asdict(self).items() if v}, separators=(",", ":"))

    @classmethod
    def decode(cls, value: str) -> PostQuery:
        """A query from a button or form; anything that is not one of ours reads as no filter."""
        try:
            data = json.loads(value or "{}")
        except ValueError:
            return cls()
        if not isinstance(data, dict):
            return cls()
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__ and isinstance(v, str)})

    def filled(self, **values: str | None) -> PostQuery:
        return replace(self, **values)


def share_label(platform: str) -> str:
    """The share button's words: "Tweet this", "Share on Facebook"."""
    return _(SHARE_LABELS[platform])


def handle_error(handle: str) -> str:
    return _(
        "“{handle}” isn't a Twitter handle: use @ and up to 15 letters, digits or underscores, like `@SenatorHandle`."
    ).format(handle=mrkdwn.escape(shorten(handle, 50)))


def parse_query(text: str, campaigns: Sequence[Campaign]) -> PostQuery | str:
    """`tweets @SenatorHandle #NoBanNoWallNoRaids` -> PostQuery; or the friendly error to show."""
    query = PostQuery()
    words: list[str] = []
    for token in text.split():
        lowered = token.lower()
        if lowered in PLATFORM_WORDS:
            query = replace(query, platform=PLATFORM_WORDS[lowered])
        elif match := ZIP_CODE.fullmatch(token):
            query = replace(query, zip_code=match.group(1))
        elif token.startswith("@"):
            if not HANDLE.fullmatch(token):
                return handle_error(token)
            query = replace(query, handle=token)
        elif token.startswith("#") and len(token) > 1:
            if not HASHTAG.fullmatch(token):
                return _("“{text}” isn't a hashtag. Try `/posts #NoBanNoWallNoRaids`.").format(
                    text=mrkdwn.escape(shorten(token, 50))
                )
            query = replace(query, hashtag=token)
        elif lowered not in IGNORED_WORDS:
            words.append(token)
    if words:
        found = match_campaign(" ".join(words), campaigns)
        if found is None:
            names = ", ".join(f"`{c.slug}`" for c in campaigns)
            return _(
                "I don't know “{text}”. Try `/posts tweets`, `/posts facebook`, a hashtag, or a campaign: {campaigns}."
            ).format(text=mrkdwn.escape(shorten(" ".join(words), 100)), campaigns=names)
        query = replace(query, campaign=found.slug)
    return query


def select(posts: Sequence[ContentPost], query: PostQuery) -> list[ContentPost]:
    """Narrow by hashtag (case-insensitive, in the text or its hashtag list, in any language the
    post is written in); storage did platform and campaign."""
    if not query.hashtag:
        return list(posts)
    tag = query.hashtag.lower()
    return [
        p
        for p in posts
        if tag in (h.lower() for h in all_post_hashtags(p)) or tag in (h.lower() for h in HASHTAG.findall(p.text))
    ]


# --- filling and sharing ----------------------------------------------------


def fill(text: str, query: PostQuery) -> str:
    for placeholder, value in (
        (HANDLE_PLACEHOLDER, query.handle),
        (MEMBER_PLACEHOLDER, query.member),
        (ORGANIZATION_PLACEHOLDER, query.organization),
    ):
        if value:
            text = text.replace(placeholder, value)
    return text


def addressed(
    posts: Sequence[ContentPost], query: PostQuery, members: Sequence[Member]
) -> list[tuple[ContentPost, PostQuery]]:
    """Each post with what fills it: the members' names for `[YOUR MEMBER OF CONGRESS]`, and their
    handles for `@YourElectedOfficial`, all in one tweet where it fits in 280 characters, else one
    tweet a member. What the query names itself (a handle, a name) comes first."""
    if not members:
        return [(post, query) for post in posts]
    named = replace(query, member=query.member or names_list(members))
    handles = [f"@{m.twitter}" for m in members if m.twitter]
    pairs: list[tuple[ContentPost, PostQuery]] = []
    for post in posts:
        if query.handle or not handles or HANDLE_PLACEHOLDER not in post_text(post):
            pairs.append((post, named))
            continue
        together = replace(named, handle=" ".join(handles))
        if post.platform != TWITTER or tweet_length(fill(post_text(post), together)) <= TWEET_LIMIT:
            pairs.append((post, together))
        else:
            pairs += [(post, replace(named, handle=handle)) for handle in handles]
    return pairs


def placeholders_in(posts: Sequence[ContentPost]) -> list[str]:
    """The placeholders these posts contain (as shown in the language of the moment), in a fixed order."""
    return [
        p
        for p in (HANDLE_PLACEHOLDER, MEMBER_PLACEHOLDER, ORGANIZATION_PLACEHOLDER)
        if any(p in post_text(post) for post in posts)
    ]


_URL = re.compile(r"https?://\S+")


def _weight(char: str) -> int:
    # twitter-text v3: these ranges (Latin, general punctuation) count 1, everything else 2.
    code = ord(char)
    light = code <= 4351 or 8192 <= code <= 8205 or 8208 <= code <= 8223 or 8242 <= code <= 8247
    return 1 if light else 2


def tweet_length(text: str) -> int:
    """Twitter's weighted length: links count 23, wide characters (CJK, emoji) 2."""
    links = _URL.findall(text)
    rest = _URL.sub("", text)
    return 23 * len(links) + sum(_weight(c) for c in rest)


def tweet_url(text: str) -> str:
    return "https://twitter.com/intent/tweet?" + urlencode({"text": text}, quote_via=quote)


def facebook_url(text: str, hashtags: Sequence[str]) -> str:
    """Facebook's sharer needs a link to share: the post's first hashtag page; the text goes in `quote`."""
    tag = (hashtags[0] if hashtags else "").lstrip("#").lower()
    link = f"https://www.facebook.com/hashtag/{tag}" if tag else "https://www.facebook.com/"
    return "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": link, "quote": text}, quote_via=quote)


# --- the messages -----------------------------------------------------------


def _post_blocks(post: ContentPost, n: int, query: PostQuery) -> list[dict]:
    text = fill(post_text(post), query)
    blocks = [blockkit.section(shorten(f"```{mrkdwn.escape(text)}```", SECTION_TEXT))]
    notes = []
    if post.origin == "team" and post.created_by:
        notes.append(_("Added by {person}").format(person=mrkdwn.user(post.created_by)))
    if post.platform == TWITTER and tweet_length(text) > TWEET_LIMIT:
        length = tweet_length(text)
        notes.append(
            ngettext(
                ":warning: *Too long to tweet:* {count} character after filling in, over Twitter's {limit}. Shorten it before posting.",
                ":warning: *Too long to tweet:* {count} characters after filling in, over Twitter's {limit}. Shorten it before posting.",
                length,
            ).format(count=number(length), limit=number(TWEET_LIMIT))
        )
        blocks.append(blockkit.context(" · ".join(notes)))
        return blocks
    url = share_url(post, text)
    if url is None:
        notes.append(_("Too long for a share link: copy the text above."))
        blocks.append(blockkit.context(" · ".join(notes)))
        return blocks
    button = {
        "type": "button",
        "action_id": f"{SHARE_ACTION}_{n}",
        "text": {"type": "plain_text", "text": share_label(post.platform)},
        "url": url,
        "value": str(n),
    }
    blocks.append({"type": "actions", "elements": [button]})
    if notes:
        blocks.append(blockkit.context(" · ".join(notes)))
    return blocks


SHARE_URL_MAX = 3000  # a link button's URL limit, and ample for a browser


def share_url(post: ContentPost, text: str) -> str | None:
    """The one-click link sharing `text` (the post, filled in or not) on its platform; None
    when it cannot be shared whole (a tweet over 280 characters, a link over 3,000)."""
    if post.platform == TWITTER and tweet_length(text) > TWEET_LIMIT:
        return None
    url = tweet_url(text) if post.platform == TWITTER else facebook_url(text, post_hashtags(post))
    return url if len(url) <= SHARE_URL_MAX else None


def _kind(query: PostQuery) -> str:
    if query.platform == TWITTER:
        return _("Sample tweets")
    if query.platform == FACEBOOK:
        return _("Sample Facebook posts")
    return _("Sample posts")


def heading(query: PostQuery, campaign: Campaign | None) -> str:
    kind = _kind(query)
    scope = []
    if campaign:
        scope.append(mrkdwn.escape(campaign.name))
    if query.hashtag:
        scope.append(mrkdwn.escape(query.hashtag))
    if query.zip_code:
        scope.append(_("to the members of Congress for {zip}").format(zip=query.zip_code))
    return f"*{kind}*" + (f" · {' · '.join(scope)}" if scope else "")


def posts_messages(
    posts: Sequence[ContentPost],
    query: PostQuery,
    *,
    shared_by: str,
    campaign: Campaign | None = None,
    members: Sequence[Member] = (),
) -> list[list[dict]]:
    """The posts for the channel, filled in for `members` (those of `query.zip_code`), as many
    messages as the block limit needs; "Fill in" at the end when placeholders remain."""
    pairs = addressed(posts, query, members)
    body: list[dict] = []
    for n, (post, filled) in enumerate(pairs):
        body += _post_blocks(post, n, filled)
    groups = list(chunk(body, _BODY_BLOCKS)) or [[]]
    shared = _("Shared by {person} · copy the text or click to share").format(person=mrkdwn.user(shared_by))
    groups[0] = [blockkit.section(heading(query, campaign)), blockkit.context(shared)] + groups[0]
    remaining = placeholders_in([_filled_post(post, filled) for post, filled in pairs])
    if remaining:
        shown = ", ".join(f"`{mrkdwn.escape(p)}`" for p in remaining)
        # TRANSLATORS: {placeholders} are the placeholders as the posts write them: `@YourElectedOfficial`, `[YOUR MEMBER OF CONGRESS]`.
        groups[-1].append(
            blockkit.section(_("Fill in {placeholders} and post a ready-to-share copy:").format(placeholders=shown))
        )
        groups[-1].append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "action_id": FILL_ACTION,
                        "text": {"type": "plain_text", "text": pgettext("button", "Fill in")},
                        "value": query.encode()[:BUTTON_VALUE],
                    }
                ],
            }
        )
    return groups


def _filled_post(post: ContentPost, query: PostQuery) -> ContentPost:
    """The post as shown (in the language of the moment), filled in."""
    return ContentPost(
        text=fill(post_text(post), query), platform=post.platform, hashtags=post_hashtags(post), origin=post.origin
    )


def fallback_text(query: PostQuery) -> str:
    return _kind(query)


def no_posts_text(query: PostQuery) -> str:
    return _("No sample posts match. Try `/posts tweets`, `/posts facebook` or `/posts help`.")


# --- modals -----------------------------------------------------------------


def _replaces(placeholder: str) -> str:
    return _("Replaces {placeholder}").format(placeholder=placeholder)


def fill_modal(query: PostQuery, channel_id: str, placeholders: Sequence[str]) -> dict:
    blocks = [
        blockkit.section(
            _("Fill in what you know; anything left empty stays as it is. The filled posts go in the channel.")
        )
    ]
    if HANDLE_PLACEHOLDER in placeholders:
        blocks.append(
            blockkit.input_block(
                HANDLE_BLOCK,
                _("Elected official's handle"),
                blockkit.text_input(HANDLE_BLOCK, query.handle, 16, placeholder="@SenatorHandle"),
                optional=True,
                hint=_replaces(HANDLE_PLACEHOLDER),
            )
        )
    if MEMBER_PLACEHOLDER in placeholders:
        # TRANSLATORS: an example name in the field, as people there would write one.
        blocks.append(
            blockkit.input_block(
                MEMBER_BLOCK,
                _("Member of Congress"),
                blockkit.text_input(MEMBER_BLOCK, query.member, 100, placeholder=_("Senator Jane Doe")),
                optional=True,
                hint=_replaces(MEMBER_PLACEHOLDER),
            )
        )
    if ORGANIZATION_PLACEHOLDER in placeholders:
        blocks.append(
            blockkit.input_block(
                ORGANIZATION_BLOCK,
                _("Organization name"),
                blockkit.text_input(ORGANIZATION_BLOCK, query.organization, 100),
                optional=True,
                hint=_replaces(ORGANIZATION_PLACEHOLDER),
            )
        )
    if HANDLE_PLACEHOLDER in placeholders or MEMBER_PLACEHOLDER in placeholders:
        blocks.append(
            blockkit.input_block(
                ZIP_BLOCK,
                _("Your ZIP code"),
                blockkit.text_input(ZIP_BLOCK, query.zip_code, 10, placeholder="95356"),
                optional=True,
                hint=_("Fills in your members of Congress: their handles and names"),
            )
        )
    return {
        "type": "modal",
        "callback_id": FILL_CALLBACK_ID,
        "private_metadata": json.dumps({"q": query.encode(), "c": channel_id}),
        # TRANSLATORS: a modal's title, at most 24 characters.
        "title": {"type": "plain_text", "text": _("Fill in sample posts")},
        "submit": {"type": "plain_text", "text": pgettext("button", "Post in channel")},
        "close": {"type": "plain_text", "text": pgettext("button", "Cancel")},
        "blocks": blocks,
    }


def zip_code(text: str) -> str | None:
    """`95356` or `95356-1234` -> `95356`; None when it is not a ZIP code."""
    match = ZIP_CODE.fullmatch(text.strip())
    return match.group(1) if match else None


def zip_error(text: str) -> str:
    return _("“{text}” isn't a ZIP code: 5 digits, like 95356.").format(text=mrkdwn.escape(shorten(text, 50)))


def no_district(zip_code: str) -> str:
    return _(
        "I can't find ZIP code {zip} in any congressional district (a PO box, or a single building's?). "
        "Try the ZIP code of a street address, e.g. `/posts tweets 95356`."
    ).format(zip=zip_code)


def parse_fill_metadata(metadata: str) -> tuple[PostQuery, str]:
    try:
        data = json.loads(metadata or "{}")
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    query, channel = data.get("q", "{}"), data.get("c", "")
    return PostQuery.decode(query if isinstance(query, str) else "{}"), channel if isinstance(channel, str) else ""


def add_modal(campaigns: Sequence[Campaign], channel_id: str | None) -> dict:
    platform_options = [
        {"text": {"type": "plain_text", "text": label}, "value": value} for value, label in PLATFORM_LABELS.items()
    ]
    campaign_options = [
        {"text": {"type": "plain_text", "text": shorten(c.name, OPTION_TEXT)}, "value": c.slug} for c in campaigns
    ][:SELECT_OPTIONS]
    return {
        "type": "modal",
        "callback_id": ADD_CALLBACK_ID,
        "private_metadata": channel_id or "",
        # TRANSLATORS: a modal's title, at most 24 characters.
        "title": {"type": "plain_text", "text": _("Add a sample post")},
        "submit": {"type": "plain_text", "text": pgettext("button", "Add post")},
        "close": {"type": "plain_text", "text": pgettext("button", "Cancel")},
        "blocks": [
            {
                "type": "input",
                "block_id": PLATFORM_BLOCK,
                "label": {"type": "plain_text", "text": _("Platform")},
                "element": {
                    "type": "static_select",
                    "action_id": PLATFORM_BLOCK,
                    "options": platform_options,
                    "initial_option": platform_options[0],
                },
            },
            blockkit.input_block(
                TEXT_BLOCK,
                _("Post text"),
                blockkit.text_input(TEXT_BLOCK, None, 2000, multiline=True),
                optional=False,
                hint=_("You may use {handle}, {member} and {organization}.").format(
                    handle=HANDLE_PLACEHOLDER, member=MEMBER_PLACEHOLDER, organization=ORGANIZATION_PLACEHOLDER
                ),
            ),
            {
                "type": "input",
                "block_id": CAMPAIGN_BLOCK,
                "optional": True,
                "label": {"type": "plain_text", "text": _("Campaign")},
                "element": {"type": "static_select", "action_id": CAMPAIGN_BLOCK, "options": campaign_options},
            },
        ],
    }


def added_text(platform: str) -> str:
    if platform == TWITTER:
        return _("Added your sample post. It appears with `/posts tweets` for everyone in this workspace.")
    return _("Added your sample post. It appears with `/posts facebook` for everyone in this workspace.")


def posts_help_title() -> str:
    return _("How to use /posts")


def nothing_to_fill() -> str:
    return _("These posts have nothing left to fill in.")


def write_the_post() -> str:
    return _("Write the post.")


def no_such_campaign() -> str:
    return _("This workspace has no such campaign. Pick one from the list, or none.")


def tweet_too_long(text: str) -> str:
    length = tweet_length(text)
    return ngettext(
        "That's {count} character; a tweet holds {limit}.", "That's {count} characters; a tweet holds {limit}.", length
    ).format(count=number(length), limit=number(TWEET_LIMIT))
