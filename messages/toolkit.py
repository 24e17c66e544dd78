"""`/toolkit`: topic matching, the topic list, and a toolkit's steps as Block Kit messages.

Everything shown is escaped (shipped content and team notes alike). A long toolkit is
split at line or word boundaries into as many sections and messages as it needs:
nothing is truncated or dropped.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from messages import blockkit, mrkdwn
from messages.congress import call_list
from messages.content import topic_body, topic_phrases, topic_title
from messages.i18n import N_, catalog
from messages.limits import (
    BUTTON_TEXT,
    BUTTON_VALUE,
    FALLBACK_TEXT,
    MESSAGE_BLOCKS,
    SECTION_TEXT,
    chunk,
    shorten,
    split_text,
)
from storage.congress import ZipMembers
from storage.models import ContentNote, ContentTopic
from storage.places import ZIP_CODE

_, ngettext, pgettext = catalog("toolkit")

# Action ids; defined here so messages and listeners agree.
OPEN_ACTION = "toolkit_open"  # a topic button: value is the slug (suffix keeps ids unique in a message)
SHARE_ACTION = (
    "toolkit_share"  # "Post in channel": value is the slug, and the ZIP code after a space when one was given
)
ADD_NOTE_ACTION = "toolkit_add_note"
NOTE_CALLBACK_ID = "toolkit_note"
NOTE_BLOCK = "note"

# TRANSLATORS: the kinds of topic `/toolkit` lists, shown under each topic's title.
KIND_LABELS = {
    "toolkit": N_("Toolkit"),
    "asks": N_("Asks"),
    "messages": N_("Messaging"),
    "calls": N_("Call-in"),
    "background": N_("Background"),
    "posts": N_("Sample posts"),
}
# What a user may type for a kind: `/toolkit asks`, `/toolkit messages`, `/toolkit calls`.
KIND_WORDS = {
    "toolkit": "toolkit",
    "toolkits": "toolkit",
    "steps": "toolkit",
    "ask": "asks",
    "asks": "asks",
    "message": "messages",
    "messages": "messages",
    "messaging": "messages",
    "call": "calls",
    "calls": "calls",
    "background": "background",
}


def kind_label(kind: str) -> str:
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


# Room left in a message for the title, attribution and buttons.
_BODY_BLOCKS = MESSAGE_BLOCKS - 5
QUERY_MAX = 100  # longer than any topic name or alias
_GOOD_MATCH = 0.8
_CLOSE_MATCH = 0.55


# --- matching ---------------------------------------------------------------


def normalize(text: str) -> str:
    """Case, hyphens, `#`, punctuation and extra spaces do not matter."""
    text = re.sub(r"[-_/]+", " ", text.lower())
    text = re.sub(r"[^\w\s]", "", text)
    return " ".join(text.split())


def _phrases(topic: ContentTopic) -> list[str]:
    """The slug, titles and aliases, in every language the topic is written in."""
    return [p for p in {normalize(topic.slug), *(normalize(phrase) for phrase in topic_phrases(topic))} if p]


@dataclass
class TopicMatch:
    topic: ContentTopic | None = None
    suggestions: list[ContentTopic] = field(default_factory=list)


def _tokens_prefix(query: str, phrase: str) -> bool:
    """Every word typed starts a word of the phrase, in order: `congress visit` ~ `congressional visit`."""
    words = phrase.split()
    position = 0
    for token in query.split():
        while position < len(words) and not words[position].startswith(token):
            position += 1
        if position == len(words):
            return False
        position += 1
    return True


def _score(query: str, topic: ContentTopic) -> float:
    best = 0.0
    for phrase in _phrases(topic):
        ratio = difflib.SequenceMatcher(None, query, phrase).ratio()
        if _tokens_prefix(query, phrase):
            ratio = max(ratio, 0.9 if len(query) >= 4 else 0.6)
        best = max(best, ratio)
    return best


def match_topic(query: str, topics: Sequence[ContentTopic]) -> TopicMatch:
    """The topic a person meant, or the close ones when it is not clear.

    Exact slug, title or alias first (several topics sharing an alias are offered as a
    choice), then a kind (`asks`), then the best near spelling if clearly ahead.
    """
    wanted = normalize(query[:QUERY_MAX])  # matching cost grows with the query: bound it first
    if not wanted:
        return TopicMatch()
    exact = [t for t in topics if wanted in _phrases(t)]
    if len(exact) == 1:
        return TopicMatch(exact[0])
    if exact:
        return TopicMatch(None, exact)
    kind = KIND_WORDS.get(wanted)
    if kind:
        of_kind = [t for t in topics if t.kind == kind]
        if len(of_kind) == 1:
            return TopicMatch(of_kind[0])
        if of_kind:
            return TopicMatch(None, of_kind)
    scored = sorted(((_score(wanted, t), i, t) for i, t in enumerate(topics)), key=lambda s: (-s[0], s[1]))
    close = [t for score, _, t in scored if score >= _CLOSE_MATCH][:5]
    if scored and scored[0][0] >= _GOOD_MATCH and (len(scored) == 1 or scored[0][0] - scored[1][0] >= 0.05):
        return TopicMatch(scored[0][2], close[1:])
    return TopicMatch(None, close)


# --- rendering --------------------------------------------------------------


def item_lines(item, number: int | None = None) -> list[str]:
    """One item as mrkdwn lines: `1. step`, `• text`, `• *Label* text` and `◦ sub-bullets`."""
    marker = f"{number}." if number is not None else "•"
    if isinstance(item, str):
        return [f"{marker} {mrkdwn.escape(item)}"]
    label = f"*{mrkdwn.escape(item['label'])}* " if item.get("label") else ""
    lines = [f"{marker} {label}{mrkdwn.escape(item['text'])}"]
    lines += [f"      ◦ {mrkdwn.escape(sub)}" for sub in item.get("subitems", [])]
    return lines


def _section_text(topic: ContentTopic, section: dict) -> str:
    lines: list[str] = []
    if section.get("heading"):
        lines.append(f"*{mrkdwn.escape(section['heading'])}*")
    if section.get("text"):
        lines.append(mrkdwn.escape(section["text"]))
    # Unlabelled steps of a step-by-step toolkit are numbered; everything else is a bullet list.
    numbered = topic.kind == "toolkit" and all(isinstance(item, str) for item in section["items"])
    for n, item in enumerate(section["items"], start=1):
        lines += item_lines(item, n if numbered else None)
    return "\n".join(lines)


def _body_blocks(topic: ContentTopic, notes: Sequence[ContentNote]) -> list[dict]:
    """The steps in the language of the moment if the content file translates them, else as
    written; team notes always as written."""
    body = topic_body(topic)
    texts: list[str] = []
    if body.get("intro"):
        texts.append(mrkdwn.escape(body["intro"]))
    texts += [_section_text(topic, section) for section in body.get("sections", [])]
    if notes:
        lines = [_("*Notes from your team*")]
        lines += [
            "• "
            + _("{note} (added by {person})").format(note=mrkdwn.escape(note.text), person=mrkdwn.user(note.created_by))
            for note in notes
        ]
        texts.append("\n".join(lines))
    blocks: list[dict] = []
    for text in texts:
        blocks += [blockkit.section(piece) for piece in split_text(text, SECTION_TEXT) if piece.strip()]
    return blocks


def title_text(topic: ContentTopic) -> str:
    return f"*{mrkdwn.escape(topic_title(topic))}*"


def fallback_text(topic: ContentTopic) -> str:
    # TRANSLATORS: a notification's text: "Toolkit: Steps to a successful press conference".
    return shorten(
        _("{kind}: {title}").format(
            kind=kind_label(topic.kind if topic.kind in KIND_LABELS else "toolkit"),
            title=mrkdwn.escape(topic_title(topic)),
        ),
        FALLBACK_TEXT,
    )


def toolkit_messages(
    topic: ContentTopic,
    notes: Sequence[ContentNote] = (),
    *,
    shared_by: str | None = None,
    callees: ZipMembers | None = None,
) -> list[list[dict]]:
    """The toolkit as one or more messages, after the members of Congress of a ZIP code when one was
    given (`callees`). Privately (`shared_by` None) the last one ends with "Post in channel" and
    "Add a note"; in a channel the first one says who shared it."""
    head = [blockkit.section(title_text(topic))]
    asked = f"{topic.slug} {callees.zip_code}" if callees else topic.slug
    if shared_by:
        head.append(
            blockkit.context(
                _("Shared by {person} · `/toolkit {topic}`").format(person=mrkdwn.user(shared_by), topic=asked)
            )
        )
    if callees:
        head += call_list(callees)
    groups = list(chunk(_body_blocks(topic, notes), _BODY_BLOCKS)) or [[]]
    groups[0] = head + groups[0]
    if len(groups) > 1:
        for n, group in enumerate(groups, start=1):
            # TRANSLATORS: the toolkit's title and which of its messages this is: "Rally (2/3)".
            group.append(
                blockkit.context(
                    _("{title} ({n}/{total})").format(
                        title=mrkdwn.escape(shorten(topic_title(topic), 100)), n=n, total=len(groups)
                    )
                )
            )
    footer = [blockkit.context(_("Source: {source}").format(source=mrkdwn.escape(topic.source)))]
    if not shared_by:
        footer.append(_toolkit_actions(topic, callees and callees.zip_code))
    groups[-1] += footer
    return groups


def _toolkit_actions(topic: ContentTopic, zip_code: str | None) -> dict:
    return {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "action_id": SHARE_ACTION,
                "style": "primary",
                "text": {"type": "plain_text", "text": pgettext("button", "Post in channel")},
                "value": f"{topic.slug} {zip_code}" if zip_code else topic.slug,
            },
            {
                "type": "button",
                "action_id": ADD_NOTE_ACTION,
                "text": {"type": "plain_text", "text": _("Add a team note")},
                "value": topic.slug,
            },
        ],
    }


def _open_button(topic: ContentTopic, n: int, label: str | None = None) -> dict:
    return {
        "type": "button",
        "action_id": f"{OPEN_ACTION}_{n}",
        "text": {"type": "plain_text", "text": shorten(label or pgettext("button", "Open"), BUTTON_TEXT)},
        "value": topic.slug[:BUTTON_VALUE],
    }


def topic_list(topics: Sequence[ContentTopic], *, intro: str | None = None) -> list[list[dict]]:
    """Every topic as a line with a button; as many messages as the block limit needs."""
    rows = [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": f"*{mrkdwn.escape(shorten(topic_title(t), 300))}*\n{kind_label(t.kind)} · `/toolkit {t.slug}`",
            },
            "accessory": _open_button(t, n),
        }
        for n, t in enumerate(topics)
    ]
    groups = list(chunk(rows, _BODY_BLOCKS)) or [[blockkit.section(_("No toolkits yet."))]]
    groups[0].insert(0, blockkit.section(intro or _("*Toolkits* — pick one, or type `/toolkit <topic>`")))
    return groups


def not_found(query: str, suggestions: Sequence[ContentTopic]) -> list[dict]:
    """An unknown topic: the close ones as buttons, else a pointer to the list."""
    asked = mrkdwn.escape(shorten(query, 200))
    if not suggestions:
        return [
            blockkit.section(
                _(
                    "I have no toolkit called “{query}”. Type `/toolkit` to see them all, e.g. `/toolkit press conference`."
                ).format(query=asked)
            )
        ]
    text = (
        _("Which one did you mean by “{query}”?")
        if any(normalize(query) in _phrases(t) or t.kind == KIND_WORDS.get(normalize(query)) for t in suggestions)
        else _("I have no toolkit called “{query}”. Did you mean:")
    ).format(query=asked)
    buttons = [_open_button(t, n, topic_title(t)) for n, t in enumerate(suggestions[:5])]
    return [blockkit.section(text), {"type": "actions", "elements": buttons}]


def posts_hint(topic: ContentTopic) -> list[dict]:
    return [
        blockkit.section(
            _("*{title}* are shared with `/posts`: try `/posts tweets` or `/posts facebook`.").format(
                title=mrkdwn.escape(topic_title(topic))
            )
        )
    ]


# --- the note modal ---------------------------------------------------------


def note_modal(topic: ContentTopic, channel_id: str | None) -> dict:
    return {
        "type": "modal",
        "callback_id": NOTE_CALLBACK_ID,
        "private_metadata": f"{topic.slug}|{channel_id or ''}",
        # TRANSLATORS: a modal's title, at most 24 characters.
        "title": {"type": "plain_text", "text": _("Add a team note")},
        "submit": {"type": "plain_text", "text": pgettext("button", "Add note")},
        "close": {"type": "plain_text", "text": pgettext("button", "Cancel")},
        "blocks": [
            blockkit.section(
                _(
                    "Your note is added to *{title}* for everyone in this workspace. Reloading the shipped toolkits keeps it."
                ).format(title=mrkdwn.escape(shorten(topic_title(topic), 500)))
            ),
            {
                "type": "input",
                "block_id": NOTE_BLOCK,
                "label": {"type": "plain_text", "text": pgettext("label", "Note")},
                "element": {"type": "plain_text_input", "action_id": NOTE_BLOCK, "multiline": True, "max_length": 2000},
            },
        ],
    }


def split_zip_code(text: str) -> tuple[str, str | None]:
    """`calls 95356` -> (`calls`, `95356`): a ZIP code after the topic asks for its members of Congress."""
    rest, _, last = text.rpartition(" ")
    match = ZIP_CODE.fullmatch(last)
    return (rest, match.group(1)) if match and rest else (text, None)


def parse_note_metadata(metadata: str) -> tuple[str, str | None]:
    slug, _, channel_id = metadata.partition("|")
    return slug, channel_id or None


def note_added_text(topic: ContentTopic) -> str:
    return _("Added your note to *{title}*. See it with `/toolkit {topic}`.").format(
        title=mrkdwn.escape(topic_title(topic)), topic=topic.slug
    )


# Short answers (and the notification text of longer ones).
def toolkit_help_title() -> str:
    return _("Toolkits")


def toolkit_help_usage() -> str:
    return _("How to use /toolkit")


def which_toolkit() -> str:
    return _("Which toolkit?")


def sample_posts() -> str:
    return _("Sample posts")


def toolkit_gone() -> str:
    return _("That toolkit is no longer available.")


def toolkit_gone_list() -> str:
    return _("That toolkit is no longer available. Type `/toolkit` to see them all.")


def which_toolkit_for_note() -> str:
    return _("Which toolkit is your note for? For example `/toolkit add prayer vigil`.")


def write_the_note() -> str:
    return _("Write the note you want to add.")
