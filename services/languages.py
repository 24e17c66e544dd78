"""Which language the bot speaks: to a person, and in a channel.

A person is answered in the language they chose in App Home, else in their Slack language
(`users.info` with `include_locale`, remembered with their time zone), else in English. What
is posted in a channel (cards, digests, reminders in a card's thread, shared toolkits and
posts) is in the channel's language, set with `/event language`, English until then.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from slack_bolt import BoltContext
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError

from messages.i18n import DEFAULT_LANGUAGE, LANGUAGES, supported
from services.runtime import Services
from storage import languages as store
from storage.models import OutboxMessage


def slack_language(services: Services, client: WebClient, team_id: str, user_id: str) -> str:
    """The language of the person's Slack, English if Slack does not say."""
    return supported(services.users.profile(client, team_id, user_id).get("locale"))


def chosen_by(services: Services, team_id: str, user_id: str) -> str | None:
    """The language the person chose in App Home; None: they follow their Slack's."""
    with services.db.read() as session:
        return store.person_language(session, team_id, user_id)


def of_person(services: Services, client: WebClient, team_id: str, user_id: str) -> str:
    return chosen_by(services, team_id, user_id) or slack_language(services, client, team_id, user_id)


def of_request(services: Services, context: BoltContext) -> Callable[[], str | None]:
    """The language to answer a request in, worked out when the first message needs it.

    Nothing waits for Slack before the ack: until then the person's Slack language comes from
    the profile last seen (however old: a locale seldom changes). Someone the process has not
    seen yet is answered in English for now (None: asked again after the ack) while their
    profile is fetched in the background, for the rest of the request and the next ones."""

    def decide() -> str | None:
        if not (context.team_id and context.user_id and context.client):
            return DEFAULT_LANGUAGE
        try:
            chosen = chosen_by(services, context.team_id, context.user_id)
        except SQLAlchemyError:  # the database is failing: the apology for it is said in their Slack's language
            chosen = None
        if chosen:
            return chosen
        if _acked(context):
            return slack_language(services, context.client, context.team_id, context.user_id)
        profile = services.users.last_known(context.team_id, context.user_id)
        if profile is None:
            services.users.fetch_in_background(context.client, context.team_id, context.user_id)
            return None
        return supported(profile.get("locale"))

    return decide


def _acked(context: BoltContext) -> bool:
    ack = context.get("ack")
    return ack is not None and ack.response is not None


def choose_for_person(services: Services, team_id: str, user_id: str, language: str | None) -> str | None:
    """Their own choice (None: their Slack language again); what was stored."""
    chosen = language if language in LANGUAGES else None
    with services.db.session() as session:
        store.choose_person_language(session, team_id, user_id, chosen, services.now())
    return chosen


def of_channel(services: Services, team_id: str, channel_id: str | None) -> str:
    if not channel_id:
        return DEFAULT_LANGUAGE
    with services.db.read() as session:
        return store.channel_languages(session, team_id, [channel_id]).get(channel_id, DEFAULT_LANGUAGE)


def set_for_channel(services: Services, team_id: str, channel_id: str, user_id: str, language: str) -> None:
    with services.db.session() as session:
        store.set_channel_language(session, team_id, channel_id, language, user_id, services.now())


def is_person(conversation: str) -> bool:
    """A DM is addressed by its person's id (services.slackapi.Poster)."""
    return conversation[:1] in ("U", "W")


def for_deliveries(session, rows: Iterable[OutboxMessage]) -> dict[int, str | None]:
    """The language of each outbox row: its channel's, or the one its person chose; None for a
    person who chose none (`slack_language_when_drawn`)."""
    rows = list(rows)
    channels: dict[str, set[str]] = {}
    people: dict[str, set[str]] = {}
    for row in rows:
        (people if is_person(row.channel) else channels).setdefault(row.team_id, set()).add(row.channel)
    set_for = {
        (team, channel): language
        for team, ids in channels.items()
        for channel, language in store.channel_languages(session, team, ids).items()
    }
    chosen = {
        (team, user): language
        for team, ids in people.items()
        for user, language in store.person_languages(session, team, ids).items()
    }
    return {
        row.id: chosen.get((row.team_id, row.channel))
        if is_person(row.channel)
        else set_for.get((row.team_id, row.channel), DEFAULT_LANGUAGE)
        for row in rows
    }


def slack_language_when_drawn(
    services: Services, client: WebClient | None, team_id: str, user_id: str
) -> Callable[[], str]:
    """A person's Slack language, asked of Slack only if a message for them is drawn."""
    return lambda: slack_language(services, client, team_id, user_id) if client is not None else DEFAULT_LANGUAGE


def named(text: str) -> str | None:
    """The language someone names: `es`, `Spanish`, `español`, `espanol`, `en`, `English`, `inglés`."""
    wanted = text.strip().casefold()
    return next((code for code, names in _NAMES.items() if wanted in names), None)


_NAMES = {
    "en": {"en", "english", "inglés", "ingles"},
    "es": {"es", "spanish", "español", "espanol", "castellano"},
}
