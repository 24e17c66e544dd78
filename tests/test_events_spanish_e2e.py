"""`/event` in Spanish, end to end: the form, its errors, the card, lists, help and `/event language`,
each in the language of who reads it (a person's Slack, a channel's setting), as a user sees them."""

from __future__ import annotations

import pytest

from conftest import acquainted
from driver import labels, visible_text
from fakeslack import TEAM_ID
from schedhelp import announced
from services import languages

ROSA = "UROSA"  # her Slack is in Spanish
SARA = "U1"  # hers in English

EN_ESPAÑOL = {
    "Título": "Modesto: Puerta a puerta y manifestación #WeAreAllAmerica",
    "Tipo": "Visitas puerta a puerta",
    "Fecha de inicio": "2026-12-04",
    "Hora de inicio": "13:00",
    "Hora de fin": "15:30",
    "Zona horaria": "America/Los_Angeles",
    "Dirección": "4701 Sisk Road",
    "Ciudad": "Modesto",
    "Estado": "CA",
    "Código postal": "95356",
    "Organizaciones convocantes": "SIREN, Mi Familia Vota",
    "Nombre del contacto principal": "Jeremy Barousse",
    "Correo del contacto principal": "jeremy@siren-bayarea.org",
    "Detalles": "Tocamos puertas y llamamos a la oficina del representante.",
}

IN_ENGLISH = {
    "Title": "Denver prayer vigil",
    "Type": "Prayer vigil",
    "Start date": "2026-12-06",
    "Start time": "18:00",
    "Time zone": "America/Denver",
    "City": "Denver",
    "State": "CO",
}


@pytest.fixture
def rosa(slack, services):
    slack.add_user(ROSA, tz="America/Los_Angeles", real_name="Rosa Martínez", locale="es-LA")
    acquainted(services, slack, ROSA)
    return ROSA


def open_form(bot, *, user: str, channel: str = "C1") -> dict:
    assert bot.command("/event", "new", user=user, channel=channel).status == 200
    return bot.opened_view()


def register(bot, answers: dict, *, user: str, channel: str = "C1"):
    return bot.submit(open_form(bot, user=user, channel=channel), answers, user=user)


def fields_of(view: dict) -> dict[str, dict]:
    return {block["label"]["text"]: block["element"] for block in view["blocks"] if block["type"] == "input"}


def option_texts(element: dict) -> list[str]:
    return [option["text"]["text"] for option in element["options"]]


def test_a_spanish_speaker_opens_the_event_form_in_spanish(bot, rosa):
    view = open_form(bot, user=rosa)
    assert (view["title"]["text"], view["submit"]["text"], view["close"]["text"]) == (
        "Nuevo evento",
        "Registrar",
        "Cancelar",
    )
    assert labels(view)[:3] == ["Título", "Tipo", "Fecha de inicio"]
    assert {
        "Zona horaria",
        "Código postal",
        "Correo del contacto principal",
        "Abierto al público",
        "Recordatorios",
        "Anunciar en el canal",
    } <= set(labels(view))
    fields = fields_of(view)
    assert "Vigilia de oración" in option_texts(fields["Tipo"]) and "Visitas puerta a puerta" in option_texts(
        fields["Tipo"]
    )
    assert fields["Zona horaria"]["initial_option"]["text"]["text"] == "Pacífico (Los Ángeles)"  # her Slack time zone
    assert [o["text"]["text"] for o in fields["Recordatorios"]["initial_options"]] == ["1 día antes", "1 hora antes"]
    assert option_texts(fields["Abierto al público"]) == [
        "Sí, cualquier persona puede venir",
        "No, solo con invitación",
    ]
    assert "New event" not in visible_text(view)

    assert open_form(bot, user=SARA)["title"]["text"] == "New event"  # the next person, in her own language


@pytest.mark.parametrize(
    "answers, errors",
    [
        (
            {
                "Título": "",
                "Correo del contacto principal": "no-es-un-correo",
                "Código postal": "9535",
                "Hora de fin": "12:00",
            },
            {
                "title": "Ponle un título al evento.",
                "contact_email": "Eso no parece un correo electrónico (nombre@ejemplo.org).",
                "zip_code": "Usa un código postal de 5 dígitos, como 95356.",
                "end_time": "El fin tiene que ser después del inicio.",
            },
        ),
        ({"Fecha de inicio": "2026-11-20"}, {"start_date": "El inicio ya pasó."}),
        ({"Título": "x" * 151}, {"title": "Déjalo en menos de 150 caracteres (ahora tiene 151)."}),
        (
            {
                "Fecha de inicio": "2027-03-14",
                "Hora de inicio": "02:30",
                "Hora de fin": None,
                "Zona horaria": "America/New_York",
            },
            {
                "start_time": "Las 2:30 no existen el 14 mar en America/New_York (ese día se adelantan los relojes); "
                "elige una hora después del cambio."
            },
        ),
    ],
)
def test_the_forms_errors_are_in_spanish_under_their_fields(bot, slack, rosa, answers, errors):
    reply = register(bot, {**EN_ESPAÑOL, **answers}, user=rosa)
    assert reply.json["response_action"] == "errors"
    assert reply.json["errors"] == errors
    assert slack.calls_to("chat.postMessage") == []


def test_a_card_in_a_spanish_channel_is_in_spanish_and_english_speakers_still_read_english(bot, slack, database, rosa):
    bot.command("/event", "language es", user=rosa, channel="C1")
    [said] = bot.responded()
    assert said["response_type"] == "in_channel"
    assert said["text"].startswith(f"<@{rosa}> cambió el idioma de este canal a español")

    reply = register(bot, EN_ESPAÑOL, user=rosa)
    assert reply.status == 200 and reply.body == ""
    [post] = bot.posted(channel="C1")
    card = visible_text(post)
    for phrase in (
        "*Visitas puerta a puerta* · evento #1",
        "*Cuándo*",
        "*Dónde*",
        "*Quién*",
        "Contacto: Jeremy Barousse",
        "Voy",
        "Agregar a Google Calendar",
        "Editar",
        "Cancelar evento",
        "¿Cancelar el evento #1 y avisar en su canal?",
        ":raised_hands: Todavía nadie dijo que va.",
        f"Lo registró <@{rosa}>",
    ):
        assert phrase in card, phrase
    assert "I'm going" not in card and "When" not in card
    # The notification: the event's own time, as Spanish writes it.
    assert (
        post["text"]
        == "Visitas puerta a puerta: Modesto: Puerta a puerta y manifestación #WeAreAllAmerica (vie, 4 dic 2026, 13:00 PST)"
    )

    # Sara reads English in the same channel: her answers are hers, not the channel's.
    listing = bot.command("/event", "list", user=SARA, channel="C1").text
    assert "*Upcoming events* 1–1" in listing and "· Canvass" in listing and "Próximos" not in listing
    bot.command("/event", "show 1", user=SARA, channel="C1")
    [shown] = bot.responded(2)[1:]
    assert "I'm going" in visible_text(shown) and "*Canvass* · event #1" in visible_text(shown)

    # Her click updates the card where everyone reads it: still in Spanish.
    announced(database)
    bot.click(post, "event_rsvp", user=SARA, channel="C1")
    [update] = slack.wait_for("chat.update")
    assert ":raised_hands: *1* va" in visible_text(update) and "Voy" in visible_text(update)


def test_a_card_in_an_english_channel_stays_english_whoever_registers_it(bot, rosa):
    reply = register(bot, EN_ESPAÑOL, user=rosa, channel="C2")
    assert reply.body == ""
    [post] = bot.posted(channel="C2")
    card = visible_text(post)
    assert "*Canvass* · event #1" in card and "*When*" in card and "I'm going" in card
    assert "Voy" not in card and "Cuándo" not in card
    # Rosa's own list is in Spanish all the same.
    assert "· Visitas puerta a puerta" in bot.command("/event", "list", user=rosa, channel="C2").text


def test_event_help_in_spanish_translates_what_each_command_does_not_the_command(bot, rosa):
    text = bot.command("/event", "help", user=rosa).text
    assert "*Registra y encuentra acciones con /event*" in text
    assert "`/event new`  registra una manifestación, vigilia, conferencia de prensa" in text
    assert "`/event list CA`  solo un estado; `/event list city Denver` para una ciudad" in text
    assert "`/event help`  esta ayuda" in text
    assert "Register and find actions" not in text
    assert "*Register and find actions with /event*" in bot.command("/event", "help", user=SARA).text


def test_event_list_in_spanish_reads_types_in_either_language(bot, rosa):
    register(bot, EN_ESPAÑOL, user=rosa)
    register(bot, IN_ENGLISH, user=SARA)
    bot.posted(2)

    listing = bot.command("/event", "list", user=rosa).text
    assert "*Próximos eventos* 1–2" in listing and "Detalles: `/event show <número>`" in listing
    assert "· Visitas puerta a puerta" in listing and "· Vigilia de oración" in listing
    for words in ("vigilia de oración", "Vigilia de Oracion", "vigilia", "prayer vigil"):
        found = bot.command("/event", f"list {words}", user=rosa).text
        assert (
            "*Próximos eventos* 1–1 que coinciden con" in found
            and "Denver prayer vigil" in found
            and "Modesto" not in found
        ), words
    assert "Modesto" in bot.command("/event", "list puerta a puerta", user=rosa).text
    assert "No hay eventos próximos que coincidan con “TX”." in bot.command("/event", "list TX", user=rosa).text
    assert (
        "Denver prayer vigil" in bot.command("/event", "list vigilia de oración", user=SARA).text
    )  # understood in English too

    mine = bot.command("/event", "mine", user=rosa).text
    assert "*Tus próximos eventos*" in mine and "_Lo registraste_" in mine


def test_event_language_shows_sets_and_refuses_in_each_persons_language(bot, services, rosa):
    shown = bot.command("/event", "language", user=rosa, channel="C1").text
    assert shown == (
        "Te hablo en español, el idioma de tu Slack; puedes elegir otro en la pestaña *Inicio* de la app.\n"
        "En este canal publico en inglés. Para cambiarlo: `/event language es` o `/event language en`."
    )

    assert bot.command("/event", "language es", user=SARA, channel="C1").body == ""
    [said] = bot.responded()
    assert said["response_type"] == "in_channel"
    assert said["text"].startswith(
        f"<@{SARA}> cambió el idioma de este canal a español: desde ahora mis tarjetas"
    )  # in its new language
    assert bot.command("/event", "language", user=SARA, channel="C1").text == (
        "I speak to you in English, the language of your Slack; you can choose another in my App Home.\n"
        "I post in this channel in Spanish. To change it: `/event language es` or `/event language en`."
    )

    assert bot.command("/event", "language en", user=rosa, channel="C1").body == ""
    assert bot.responded(2)[1]["text"].startswith(f"<@{rosa}> set this channel's language to English: my cards")

    assert bot.command("/event", "language fr", user=rosa, channel="C1").text == (
        "No hablo “fr”. Hablo inglés (`/event language en`) y español (`/event language es`)."
    )
    assert bot.command("/event", "language fr", user=SARA, channel="C1").text.startswith("I don't speak “fr”.")

    # In a DM: no channel to set, and only the person's own language to show.
    assert bot.command("/event", "language es", user=rosa, channel="D0ROSA").text == (
        "El idioma de un canal se elige en el canal. En un mensaje directo te hablo en tu propio idioma: "
        "elígelo en la pestaña *Inicio* de la app."
    )
    assert bot.command("/event", "language", user=rosa, channel="D0ROSA").text == (
        "Te hablo en español, el idioma de tu Slack; puedes elegir otro en la pestaña *Inicio* de la app."
    )

    # Chosen in App Home, it wins over Slack's language.
    languages.choose_for_person(services, TEAM_ID, SARA, "es")
    assert bot.command("/event", "language", user=SARA, channel="D0SARA").text == (
        "Te hablo en español, como elegiste en la pestaña *Inicio* de la app."
    )
