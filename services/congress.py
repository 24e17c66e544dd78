"""Who represents a ZIP code, a state or a name in Congress, as people ask it: `/congress 95356`,
`/congress CA`, `/congress Sen. Padilla`; and sharing the answer in a channel.

Slack-free apart from sharing: the public page answers with it too. The data is storage.congress'.
"""

from __future__ import annotations

import re

from messages import congress as render
from messages.i18n import speaking
from services import content, languages
from services.runtime import Services
from storage import congress
from storage.congress import Answer, Coverage, Member, ZipMembers
from storage.places import ZIP_CODE, name_words, state_code

# Titles people put before a name ("Rep. Bera", "Senator Padilla", "Congresswoman Norton"), and
# the chamber each says the member sits in.
TITLE_WORDS = {
    "sen": congress.SENATE,
    "senator": congress.SENATE,
    "rep": congress.HOUSE,
    "representative": congress.HOUSE,
    "congressman": congress.HOUSE,
    "congresswoman": congress.HOUSE,
    "del": congress.HOUSE,
    "delegate": congress.HOUSE,
    "hon": None,
    "honorable": None,
}
QUERY_MAX = 100  # longer than any name, state or ZIP code

__all__ = ["answer", "coverage", "members_of_zip", "named_in", "share", "suggest"]


def answer(text: str) -> Answer | None:
    """A ZIP code (`95356`, `95356-1234`), a state (`CA`, `California`) or a member's name; None
    when it is none of them."""
    query = " ".join(text[:QUERY_MAX].split())
    if ZIP_CODE.fullmatch(query):
        found = congress.members_of_zip(query)
        return Answer(query, zip_members=found) if found else Answer(query, no_district=query[:5])
    state = state_code(query)
    if state and (delegation := congress.delegation(state)):
        return Answer(query, state=state, members=tuple(delegation))
    named = _named(query, prefixes=False)
    return Answer(query, members=tuple(named)) if named else None


def _named(query: str, *, prefixes: bool) -> list[Member]:
    """Members by name, in the chamber a title before it says (`Rep. Scott`, `Sen. Scott`)."""
    words = name_words(query)
    chambers = {TITLE_WORDS[word] for word in words if TITLE_WORDS.get(word)}
    found = congress.find_members(" ".join(word for word in words if word not in TITLE_WORDS), prefixes=prefixes)
    return [member for member in found if not chambers or member.chamber in chambers]


def suggest(typed: str) -> list[Member]:
    """The members a menu offers as one types: a state's delegation (`CA`, `California`), else
    names begun (`pad`, `Rep. Ber`)."""
    query = " ".join(typed[:QUERY_MAX].split())
    state = state_code(query)
    if state and (delegation := congress.delegation(state)):
        return delegation
    return _named(query, prefixes=True)


# "Rep. Bera", "Sen. Gardner’s staff", "Congresswoman Ros Lehtinen": a title, then up to three capitalized words.
NAMED = re.compile(
    r"\b(Sen|Senator|Rep|Representative|Congressman|Congresswoman)\.?\s+((?:[A-Z][\w'’-]*\s*){1,3})"
)  # untranslated: a pattern
POSSESSIVE = re.compile(r"['’]s$")


def named_in(text: str, state: str | None) -> list[str]:
    """The bioguide ids of the members a listing names ("Legislative Visit with Rep. Bera"): each
    one whose name is unambiguous among the members of that chamber (of `state`, when known).
    A name no member has (a member since gone: "Sen. Gardner") links nobody."""
    linked: list[str] = []
    for title, words in NAMED.findall(text):
        names = [POSSESSIVE.sub("", word) for word in words.split()]
        # The longest run of words that names someone: "Rep. Bera Town Hall" is Bera.
        for count in range(len(names), 0, -1):
            run = " ".join(names[:count])
            # Only a match on a last name: "Rep. Jeff Denham" (gone) is not whichever Jeff is left.
            found = [
                m
                for m in _named(f"{title} {run}", prefixes=False)
                if (state is None or m.state == state) and set(name_words(m.last_name)) & set(name_words(run))
            ]
            if found:
                if len(found) == 1 and found[0].bioguide not in linked:
                    linked.append(found[0].bioguide)
                break
    return linked


# The committees that decide the coalition's issues (immigration, refugees, enforcement): the
# Judiciary and Homeland Security committees of both chambers (their congress-legislators ids).
ISSUE_COMMITTEES = ("SSJU", "HSJU", "SSGA", "HSHM")


def coverage(targeted: set[str]) -> Coverage:
    """What a campaign's events reach of Congress, and the issue committees' members they don't."""
    return congress.coverage(targeted, ISSUE_COMMITTEES)


def members_of_zip(zip_code: str) -> ZipMembers | None:
    return congress.members_of_zip(zip_code)


def share(services: Services, team_id: str, channel_id: str, query: str, user_id: str) -> bool:
    """Post an answer in a channel, in the channel's language, saying who shared it; False when
    the query no longer finds anyone (the data was reloaded since)."""
    found = answer(query)
    if found is None or found.no_district:
        return False
    with speaking(languages.of_channel(services, team_id, channel_id)):
        messages = render.answer_messages(found, shared_by=user_id)
        text = render.fallback_text(found)
    content.share(services, team_id, channel_id, messages, text, user_id)
    return True
