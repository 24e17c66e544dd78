"""Who represents a ZIP code, a state or a name in Congress, as people ask it: `/congress 95356`,
`/congress CA`, `/congress Sen. Padilla`; and sharing the answer in a channel.

Slack-free apart from sharing: the public page answers with it too. The data is storage.congress'.
"""

from __future__ import annotations

from messages import congress as render
from messages.i18n import speaking
from services import content, languages
from services.runtime import Services
from storage import congress
from storage.congress import Answer, ZipMembers
from storage.places import ZIP_CODE, name_words, state_code

# Titles people put before a name: "Rep. Bera", "Senator Padilla", "Congresswoman Norton".
TITLE_WORDS = {"sen", "senator", "rep", "representative", "congressman", "congresswoman", "del", "delegate", "hon", "honorable"}
QUERY_MAX = 100  # longer than any name, state or ZIP code

__all__ = ["Answer", "answer", "members_of_zip", "share"]


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
    named = congress.find_members(" ".join(word for word in name_words(query) if word not in TITLE_WORDS))
    return Answer(query, members=tuple(named)) if named else None


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
