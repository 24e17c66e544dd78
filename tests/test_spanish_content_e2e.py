"""Toolkits, sample posts, digests, reminders and notices in Spanish, end to end: what a person
reads privately is in their language; what is shared in a channel, and what is posted there
later, in the channel's; a DM in its recipient's. English readers and channels are unchanged."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from conftest import acquainted
from driver import find_element, labels, visible_text
from fakeslack import TEAM_ID
from messages import content
from messages.mrkdwn import escape
from schedhelp import add_event, announced, dispatcher, wait_until
from services import languages
from test_change_notices_e2e import EVENT, _edit, _thread_note
from test_events_e2e import register
from timemath import UTC

TWEETS = content.read_yaml(content.CONTENT_DIR / "sample-tweets.yaml")["posts"]
SPANISH_TWEETS = [t["translations"]["es"]["text"] for t in TWEETS]
PRESS_STEPS = content.read_yaml(content.CONTENT_DIR / "press-conference.yaml")["sections"][0]["items"]


def spanish_person(slack, services, user="U3"):
    """Lucía, whose Slack is in Spanish, and whom the bot has met."""
    slack.add_user(user, tz="America/Chicago", real_name="Lucía Hernández", locale="es-LA")
    acquainted(services, slack, user)
    return user


def answered(bot, command: str, text: str, **kwargs) -> dict:
    """Type a command whose answer comes through its response URL; that answer."""
    before = len(bot.slack.calls_to("response_url"))
    bot.command(command, text, **kwargs)
    return bot.responded(before + 1)[before]


def spanish_channel(bot, channel="C7"):
    """`/event language es` in the channel, as an organizer sets it."""
    said = answered(bot, "/event", "language es", channel=channel)
    assert said["response_type"] == "in_channel" and "cambió el idioma de este canal a español" in said["text"]


def tweet_links(message: dict) -> list[dict]:
    return [
        e
        for b in message["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"].startswith("posts_share")
    ]


def tweet_text(url: str) -> str:
    return parse_qs(urlsplit(url).query)["text"][0]


# --- /toolkit ---------------------------------------------------------------------------


def test_a_spanish_speaker_reads_the_toolkits_in_spanish_and_their_steps_as_written(bot, slack, services):
    person = spanish_person(slack, services)
    bot.command("/toolkit", "", user=person)
    [listing] = bot.responded()
    shown = visible_text(listing)
    assert "*Guías* — elige una o escribe `/toolkit <tema>`" in shown
    assert (
        "*Tuits de ejemplo*\nPublicaciones de ejemplo · `/toolkit sample-tweets`" not in shown
    )  # posts are not toolkits
    assert "*Steps to a successful press conference*\nGuía · `/toolkit press-conference`" in shown
    assert find_element(listing["blocks"], "toolkit_open_0")["text"]["text"] == "Abrir"

    bot.command("/toolkit", "press conference", user=person)
    [steps] = bot.responded(2)[1:]
    shown = visible_text(steps)
    for n, step in enumerate(PRESS_STEPS, start=1):
        assert f"{n}. {escape(step)}" in shown  # no translation in the file: as written
    assert "Fuente: We Are All America Day of Action toolkit" in shown
    assert "Publicar en el canal" in shown and "Agregar nota del equipo" in shown and "Post in channel" not in shown

    bot.command("/toolkit", "tuits", user=person)  # found by its Spanish alias
    assert "*Tuits de ejemplo* se comparten con `/posts`" in visible_text(bot.responded(3)[2])
    bot.command("/toolkit", "qqqq zzzz", user=person)
    assert "No tengo ninguna guía llamada “qqqq zzzz”" in visible_text(bot.responded(4)[3])

    bot.command("/toolkit", "press conference", user="U1")  # an English speaker, the same toolkit
    shown = visible_text(bot.responded(5)[4])
    assert "Post in channel" in shown and "Source: We Are All America" in shown and "Publicar" not in shown


def test_post_in_channel_is_drawn_in_the_channels_language_not_the_clickers(bot, slack, services):
    person = spanish_person(slack, services)
    spanish_channel(bot, "C7")
    private = answered(bot, "/toolkit", "press conference", user="U1", channel="C7")
    assert "Post in channel" in visible_text(private)  # U1 reads English
    bot.click(private, "toolkit_share", user="U1", channel="C7")
    [post] = bot.posted(channel="C7")
    shown = visible_text(post)
    assert "Compartida por <@U1> · `/toolkit press-conference`" in shown and "Fuente: We Are All America" in shown
    assert all(escape(step) in shown for step in PRESS_STEPS)
    assert post["text"] == "Guía: Steps to a successful press conference"

    private = answered(bot, "/toolkit", "vigil", user=person, channel="C8")  # a Spanish speaker in an English channel
    assert "Publicar en el canal" in visible_text(private)
    bot.click(private, "toolkit_share", user=person, channel="C8")
    [post] = bot.posted(2, channel="C8")
    assert "Shared by <@U3>" in visible_text(post) and "Source:" in visible_text(post)


# --- /posts -------------------------------------------------------------------------------


def test_sample_tweets_in_a_spanish_channel_are_the_spanish_tweets(bot, slack, services):
    person = spanish_person(slack, services)
    spanish_channel(bot, "C7")
    bot.command("/posts", "tweets", user=person, channel="C7")
    [post] = bot.posted(channel="C7")
    shown = visible_text(post)
    assert "*Tuits de ejemplo*" in shown and "Compartido por <@U3> · copia el texto o haz clic para compartir" in shown
    for text in SPANISH_TWEETS:
        assert f"```{escape(text)}```" in shown
    links = tweet_links(post)
    assert [tweet_text(link["url"]) for link in links] == SPANISH_TWEETS
    assert {link["text"]["text"] for link in links} == {"Tuitear esto"}
    assert "Completa `@YourElectedOfficial` y publica una copia lista para compartir:" in shown
    assert find_element(post["blocks"], "posts_fill")["text"]["text"] == "Completar"
    assert post["text"] == "Tuits de ejemplo"

    bot.click(post, "posts_fill", user=person, channel="C7")  # the form is the clicker's: Spanish
    view = bot.opened_view()
    assert view["title"]["text"] == "Completar publicaciones" and view["submit"]["text"] == "Publicar en el canal"
    assert labels(view) == ["Usuario de Twitter del funcionario electo", "Tu código postal"]
    assert view["blocks"][1]["hint"]["text"] == "Reemplaza @YourElectedOfficial"
    bot.submit(view, {"Usuario de Twitter del funcionario electo": "SenKamalaHarris"}, user=person)
    [filled] = bot.posted(2, channel="C7")[1:]
    assert [tweet_text(link["url"]) for link in tweet_links(filled)] == [
        t.replace("@YourElectedOfficial", "@SenKamalaHarris") for t in SPANISH_TWEETS
    ]

    bot.click(post, "posts_fill", user="U1", channel="C7")  # an English speaker's form, on the same message
    assert bot.opened_view()["title"]["text"] == "Fill in sample posts"


def test_sample_tweets_in_an_english_channel_stay_as_written_whoever_asks(bot, slack, services):
    person = spanish_person(slack, services)
    bot.command("/posts", "tweets", user=person, channel="C8")
    [post] = bot.posted(channel="C8")
    shown = visible_text(post)
    assert "*Sample tweets*" in shown and "Shared by <@U3>" in shown
    assert [tweet_text(link["url"]) for link in tweet_links(post)] == [t["text"] for t in TWEETS]
    bot.click(post, "posts_fill", user=person, channel="C8")
    view = bot.opened_view()
    assert view["title"]["text"] == "Completar publicaciones"
    assert view["blocks"][0]["text"]["text"].startswith("Completa lo que sepas")

    bot.command("/posts", "#refugiados", user="U1", channel="C8")  # a Spanish hashtag finds the tweet, shown as written
    [found] = bot.posted(2, channel="C8")[1:]
    assert [tweet_text(link["url"]) for link in tweet_links(found)] == [TWEETS[0]["text"]]


def test_posts_answers_a_spanish_speaker_in_spanish(bot, slack, services):
    person = spanish_person(slack, services)
    reply = bot.command("/posts", "tweets @not-a-handle", user=person)
    assert "“@not-a-handle” no es un usuario de Twitter" in reply.text
    reply = bot.command("/posts", "#nothing", user=person)
    assert reply.status == 200
    assert "No hay publicaciones de ejemplo que coincidan" in bot.responded()[0]["text"]
    bot.command("/posts", "add", user=person, channel="C7")
    view = bot.opened_view()
    assert view["title"]["text"] == "Agregar publicación" and labels(view) == [
        "Plataforma",
        "Texto de la publicación",
        "Campaña",
    ]
    bot.submit(view, {"Texto de la publicación": "Nuestra comunidad dice #NoBanNoWallNoRaids"}, user=person)
    [added] = slack.wait_for("chat.postEphemeral")
    assert added["text"].startswith("Agregué tu publicación de ejemplo. Aparece con `/posts tweets`")
    spanish_channel(bot, "C7")
    bot.command("/posts", "#NoBanNoWallNoRaids", user="U1", channel="C7")
    [post] = bot.posted(channel="C7")
    assert "Nuestra comunidad dice #NoBanNoWallNoRaids" in visible_text(post)  # a team's post stays as written
    assert "Agregada por <@U3>" in visible_text(post)


# --- /digest --------------------------------------------------------------------------------


def test_a_digest_in_a_spanish_channel_is_spanish_and_an_english_one_english(bot, slack, database, clock, services):
    now = clock()  # Sat Nov 21 2026
    add_event(database, now, datetime(2026, 11, 23, 18, tzinfo=UTC), channel="C7", title="Vigilia por las familias")
    spanish_channel(bot, "C7")
    said = answered(bot, "/digest", "subscribe 08:00", user="U1", channel="C7")
    assert said["response_type"] == "in_channel"
    assert said["text"].startswith(":calendar: Este canal recibirá todos los días a las *08:00* (America/Chicago)")
    assert said["text"].endswith("Para detenerlo: `/digest unsubscribe`.")

    bot.command("/digest", "now", user="U1", channel="C7")
    [digest] = bot.posted(channel="C7")
    shown = visible_text(digest)
    assert ":calendar: *Lo que viene en los próximos 7 días* (1 acción)" in shown
    assert "*Lunes, 23 nov*" in shown and "Vigilia por las familias" in shown
    assert digest["text"] == "Resumen: 1 acción en los próximos 7 días"

    said = answered(bot, "/digest", "subscribe 9am quiet", user=spanish_person(slack, services), channel="C8")
    assert said["text"].startswith(":calendar: This channel will get the digest") and "I'll stay quiet" in said["text"]
    bot.command("/digest", "now", user="U3", channel="C8")
    [digest] = bot.posted(2, channel="C8")
    shown = visible_text(digest)
    assert (
        "*Coming up in the next 7 days* (1 action)" in shown
        and "*Monday, Nov 23*" in shown
        and "Vigilia por las familias" in shown
    )


# --- reminders ------------------------------------------------------------------------------


def test_reminders_speak_the_channels_language_in_the_thread_and_each_persons_by_dm(database, clock, slack, services):
    spanish_person(slack, services)
    start = clock() + timedelta(days=2)
    add_event(
        database, clock(), start, channel="C7", kinds=("1h",), going=("U3", "U2"), title="Vigilia <por> las familias"
    )
    languages.set_for_channel(services, TEAM_ID, "C7", "U1", "es")
    clock.set(start - timedelta(hours=1))
    dispatcher(slack, database, clock).run_once()
    posts = {p["channel"]: p for p in slack.calls_to("chat.postMessage")}
    assert set(posts) == {"C7", "U3", "U2"}

    shown = {channel: post["blocks"][0]["text"]["text"] for channel, post in posts.items()}
    thread = shown["C7"]
    assert thread.startswith(":alarm_clock: Recordatorio: :candle: *Vigilia &lt;por&gt; las familias* (")
    assert "evento #1) empieza en aproximadamente 1 hora." in thread
    assert "*Cuándo:*" in thread and "*Dónde:*" in thread and "*Guía:* `/toolkit prayer vigil`" in thread
    assert posts["C7"]["text"].startswith(
        "Recordatorio: Vigilia &lt;por&gt; las familias empieza en aproximadamente 1 hora ("
    )

    spanish_dm = shown["U3"]
    assert spanish_dm.startswith(":alarm_clock: Recordatorio: vas a ir a :candle:")
    assert "que empieza en aproximadamente 1 hora." in spanish_dm and "Detalles: `/event show 1`" in spanish_dm
    english_dm = shown["U2"]
    assert english_dm.startswith(":alarm_clock: Reminder: you're going to :candle:")
    assert "which starts in about 1 hour." in english_dm and "Details: `/event show 1`" in english_dm


# --- notices --------------------------------------------------------------------------------


def test_change_and_cancel_notices_reach_each_person_in_their_language(bot, slack, database, clock, services):
    person = spanish_person(slack, services)
    spanish_channel(bot, "C1")
    register(bot, EVENT)
    announced(database)
    card = slack.messages["C1"][0]
    before = len(slack.calls_to("response_url"))
    for n, who in enumerate((person, "U2"), start=1):
        bot.click(card, "event_rsvp", user=who)
        slack.wait_for("chat.update", n)
    rsvp = [r["text"] for r in bot.responded(before + 2)[before:]]
    assert any(text.startswith(":white_check_mark: Vas a ir a") for text in rsvp)
    assert any(text.startswith(":white_check_mark: You're going to") for text in rsvp)

    _edit(bot, {"Start time": "15:00", "End time": "17:00"})
    spanish = bot.direct_message(person)["text"]
    assert spanish.startswith(":arrows_counterclockwise: :clipboard: *Modesto: #WeAreAllAmerica Canvass and Rally* (")
    assert "evento #1), al que vas a ir, cambió (<@U1> lo actualizó):\n*Cuándo:*" in spanish
    assert spanish.endswith("Los recordatorios que faltan se mueven con él.")  # the card is a button away
    buttons = bot.direct_message(person)["blocks"][1]["elements"]
    assert [b["text"]["text"] for b in buttons] == ["No puedo ir", "Abrir la tarjeta", "Mapa"]
    english = bot.direct_message("U2")["text"]
    assert "event #1), which you're going to, has changed (<@U1> updated it):\n*When:*" in english
    note = _thread_note(slack)["text"]  # the card's thread is in the channel's language
    assert note.startswith(":pencil2: <@U1> actualizó este evento.\n*Cuándo:*")
    assert note.endswith("Les avisé por mensaje directo a las 2 personas que van.")

    bot.command("/event", "cancel 1", user="U1")  # the DMs go out after the ack, through the outbox
    wait_until(lambda: all(len(slack.dm(user)) == 2 for user in (person, "U2")))
    dms = {user: [p["text"] for p in slack.dm(user)] for user in (person, "U2")}
    assert dms[person][-1].startswith(
        ":no_entry: <@U1> canceló :clipboard: *Modesto: #WeAreAllAmerica Canvass and Rally*"
    )
    assert "al que dijiste que ibas a ir. Estaba previsto para" in dms[person][-1]
    assert "which you said you'd go to, has been cancelled by <@U1>" in dms["U2"][-1]


def test_a_post_that_cannot_be_shared_is_told_to_the_requester_in_their_language(bot, slack, services):
    person = spanish_person(slack, services)
    bot.command("/posts", "tweets", user=person, channel="C_GONE")
    told = bot.direct_message(person)["text"]
    assert told == (
        "No pude publicar en <#C_GONE> (channel_not_found). "
        "Invítame con `/invite @Organizer Bot` en <#C_GONE> y vuelve a intentarlo."
    )
