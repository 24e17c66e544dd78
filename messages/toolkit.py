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

from messages import mrkdwn
from messages.limits import BUTTON_TEXT, BUTTON_VALUE, FALLBACK_TEXT, MESSAGE_BLOCKS, SECTION_TEXT, chunk, shorten, split_text
from storage.models import ContentNote, ContentTopic

# Action ids; defined here so messages and listeners agree.
OPEN_ACTION = "toolkit_open"  # a topic button: value is the slug (suffix keeps ids unique in a message)
SHARE_ACTION = "toolkit_share"  # "Post in channel": value is the slug
ADD_NOTE_ACTION = "toolkit_add_note"
NOTE_CALLBACK_ID = "toolkit_note"
NOTE_BLOCK = "note"

KIND_LABELS = {
    "toolkit": "Toolkit",
    "asks": "Asks",
    "messages": "Messaging",
    "calls": "Call-in",
    "background": "Background",
    "posts": "Sample posts",
}
# What a user may type for a kind: `/toolkit asks`, `/toolkit messages`, `/toolkit calls`.
KIND_WORDS = {
    "toolkit": "toolkit", "toolkits": "toolkit", "steps": "toolkit",
    "ask": "asks", "asks": "asks",
    "message": "messages", "messages": "messages", "messaging": "messages",
    "call": "calls", "calls": "calls",
    "background": "background",
}
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
    return [p for p in {normalize(topic.slug), normalize(topic.title), *(normalize(a) for a in topic.aliases)} if p]


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


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


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
    texts: list[str] = []
    if topic.body.get("intro"):
        texts.append(mrkdwn.escape(topic.body["intro"]))
    texts += [_section_text(topic, section) for section in topic.body.get("sections", [])]
    if notes:
        lines = ["*Notes from your team*"]
        lines += [f"• {mrkdwn.escape(note.text)} (added by {mrkdwn.user(note.created_by)})" for note in notes]
        texts.append("\n".join(lines))
    blocks: list[dict] = []
    for text in texts:
        blocks += [_section(piece) for piece in split_text(text, SECTION_TEXT) if piece.strip()]
    return blocks


def title_text(topic: ContentTopic) -> str:
    return f"*{mrkdwn.escape(topic.title)}*"


def fallback_text(topic: ContentTopic) -> str:
    return shorten(f"{KIND_LABELS.get(topic.kind, 'Toolkit')}: {mrkdwn.escape(topic.title)}", FALLBACK_TEXT)


def toolkit_messages(topic: ContentTopic, notes: Sequence[ContentNote] = (), *, shared_by: str | None = None) -> list[list[dict]]:
    """The toolkit as one or more messages. Privately (`shared_by` None) the last one ends with
    "Post in channel" and "Add a note"; in a channel the first one says who shared it."""
    head = [_section(title_text(topic))]
    if shared_by:
        head.append(_context(f"Shared by {mrkdwn.user(shared_by)} · `/toolkit {topic.slug}`"))
    groups = list(chunk(_body_blocks(topic, notes), _BODY_BLOCKS)) or [[]]
    groups[0] = head + groups[0]
    if len(groups) > 1:
        for n, group in enumerate(groups, start=1):
            group.append(_context(f"{mrkdwn.escape(shorten(topic.title, 100))} ({n}/{len(groups)})"))
    footer = [_context(f"Source: {mrkdwn.escape(topic.source)}")]
    if not shared_by:
        footer.append(_toolkit_actions(topic))
    groups[-1] += footer
    return groups


def _toolkit_actions(topic: ContentTopic) -> dict:
    return {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "action_id": SHARE_ACTION,
                "style": "primary",
                "text": {"type": "plain_text", "text": "Post in channel"},
                "value": topic.slug,
            },
            {
                "type": "button",
                "action_id": ADD_NOTE_ACTION,
                "text": {"type": "plain_text", "text": "Add a team note"},
                "value": topic.slug,
            },
        ],
    }


def _open_button(topic: ContentTopic, n: int, label: str = "Open") -> dict:
    return {
        "type": "button",
        "action_id": f"{OPEN_ACTION}_{n}",
        "text": {"type": "plain_text", "text": shorten(label, BUTTON_TEXT)},
        "value": topic.slug[:BUTTON_VALUE],
    }


def topic_list(topics: Sequence[ContentTopic], *, intro: str = "*Toolkits* — pick one, or type `/toolkit <topic>`") -> list[list[dict]]:
    """Every topic as a line with a button; as many messages as the block limit needs."""
    rows = [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": f"*{mrkdwn.escape(shorten(t.title, 300))}*\n{KIND_LABELS.get(t.kind, t.kind)} · `/toolkit {t.slug}`"},
            "accessory": _open_button(t, n),
        }
        for n, t in enumerate(topics)
    ]
    groups = list(chunk(rows, _BODY_BLOCKS)) or [[_section("No toolkits yet.")]]
    groups[0].insert(0, _section(intro))
    return groups


def not_found(query: str, suggestions: Sequence[ContentTopic]) -> list[dict]:
    """An unknown topic: the close ones as buttons, else a pointer to the list."""
    if not suggestions:
        return [_section(f"I have no toolkit called “{mrkdwn.escape(shorten(query, 200))}”. Type `/toolkit` to see them all, e.g. `/toolkit press conference`.")]
    text = (
        f"Which one did you mean by “{mrkdwn.escape(shorten(query, 200))}”?"
        if any(normalize(query) in _phrases(t) or t.kind == KIND_WORDS.get(normalize(query)) for t in suggestions)
        else f"I have no toolkit called “{mrkdwn.escape(shorten(query, 200))}”. Did you mean:"
    )
    buttons = [_open_button(t, n, t.title) for n, t in enumerate(suggestions[:5])]
    return [_section(text), {"type": "actions", "elements": buttons}]


def posts_hint(topic: ContentTopic) -> list[dict]:
    return [_section(f"*{mrkdwn.escape(topic.title)}* are shared with `/posts`: try `/posts tweets` or `/posts facebook`.")]


# --- the note modal ---------------------------------------------------------


def note_modal(topic: ContentTopic, channel_id: str | None) -> dict:
    return {
        "type": "modal",
        "callback_id": NOTE_CALLBACK_ID,
        "private_metadata": f"{topic.slug}|{channel_id or ''}",
        "title": {"type": "plain_text", "text": "Add a team note"},
        "submit": {"type": "plain_text", "text": "Add note"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            _section(f"Your note is added to *{mrkdwn.escape(shorten(topic.title, 500))}* for everyone in this workspace. Reloading the shipped toolkits keeps it."),
            {
                "type": "input",
                "block_id": NOTE_BLOCK,
                "label": {"type": "plain_text", "text": "Note"},
                "element": {"type": "plain_text_input", "action_id": NOTE_BLOCK, "multiline": True, "max_length": 2000},
            },
        ],
    }


def parse_note_metadata(metadata: str) -> tuple[str, str | None]:
    slug, _, channel_id = metadata.partition("|")
    return slug, channel_id or None


def note_added_text(topic: ContentTopic) -> str:
    return f"Added your note to *{mrkdwn.escape(topic.title)}*. See it with `/toolkit {topic.slug}`."


TOOLKIT_HELP_TITLE = "Toolkits"
TOOLKIT_HELP_USAGE = "How to use /toolkit"
WHICH_TOOLKIT = "Which toolkit?"
SAMPLE_POSTS = "Sample posts"
TOOLKIT_GONE = "That toolkit is no longer available."
TOOLKIT_GONE_LIST = "That toolkit is no longer available. Type `/toolkit` to see them all."
WHICH_TOOLKIT_FOR_NOTE = "Which toolkit is your note for? For example `/toolkit add prayer vigil`."
WRITE_THE_NOTE = "Write the note you want to add."
