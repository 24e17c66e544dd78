"""What the bot says about the languages it speaks (`/event language`)."""

from __future__ import annotations

from messages.i18n import LANGUAGES, N_, catalog
from messages.mrkdwn import escape, user

_, ngettext, pgettext = catalog("languages")

# Each language as a sentence names it, in the language of the sentence: "in Spanish", "en español".
_IN_WORDS = {
    # TRANSLATORS: a language's name inside a sentence ("I post in this channel in Spanish"), so lower case in Spanish
    "en": N_("English"),
    "es": N_("Spanish"),
}


def name_of(language: str) -> str:
    """A language named in itself: English, Español (a menu of languages)."""
    return LANGUAGES[language]


def in_words(language: str) -> str:
    """A language as a sentence in the language of the moment names it: Spanish, español."""
    return _(_IN_WORDS[language]) if language in _IN_WORDS else name_of(language)


def channel_language_set(user_id: str, language: str) -> str:
    """Said in the channel, in its new language."""
    return _(
        "{person} set this channel's language to {language}: my cards, digests, reminders and shared "
        "toolkits here are now in {language}. Toolkits and sample posts stay in the language they "
        "were written in when there is no translation."
    ).format(person=user(user_id), language=in_words(language))


def where_things_stand(channel_language: str | None, person_language: str, chosen: bool) -> str:
    """`/event language`: this channel's language, and the person's own."""
    yours = (
        _("I speak to you in {language}, as you chose in my App Home.")
        if chosen
        else _("I speak to you in {language}, the language of your Slack; you can choose another in my App Home.")
    )
    lines = [yours.format(language=in_words(person_language))]
    if channel_language is not None:
        lines.append(
            _(
                "I post in this channel in {language}. To change it: `/event language es` or `/event language en`."
            ).format(language=in_words(channel_language))
        )
    return "\n".join(lines)


def unknown_language(text: str) -> str:
    return _(
        "I don't speak “{text}”. I speak English (`/event language en`) and Spanish (`/event language es`)."
    ).format(text=escape(text))


def needs_channel() -> str:
    return _("A channel's language is set in the channel. In a DM I speak your own language: choose it in my App Home.")
