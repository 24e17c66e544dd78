"""Campaigns, review, reports and the export in Spanish, end to end: a person whose Slack is in
Spanish is answered in Spanish (`/campaign`, the campaign modal and its errors, the reject form,
the report form, the export's DM); what goes into a channel is in the channel's language (a
campaign's roll-up, the review request with its buttons); each host's DM is in that host's own
language. People whose Slack is in English still read English."""

from __future__ import annotations

import csv
import io

import pytest

from conftest import acquainted
from driver import find_element, labels, visible_text
from schedhelp import announced, dispatcher, wait_until
from services import languages
from test_events_e2e import FUTURE, register
from test_export_e2e import exported_to, seed
from test_reports_e2e import ENDS, asks
from test_review_e2e import REVIEW, answer, dms, has_buttons, review_request

TEAM = "T0TEST"
WEEK = "National Week of Action: #WhereRTheRefugees"
SEMANA = {  # the campaign modal, as a Spanish-speaking organizer fills it in
    "Nombre": "Semana de Acción del Valle Central",
    "Primer día": "2026-11-30",
    "Último día": "2026-12-06",
    "Hashtags": "#ValleCentralSeLevanta, LetThemIn",
    "Llamado a la acción": "Encuentra un evento cerca de ti.",
}


@pytest.fixture
def spanish(slack, services):
    """Marisol's Slack is in Spanish (Latin America); so is the second admin's. The bot has met both."""
    slack.add_user("UES", tz="America/Los_Angeles", real_name="Marisol Rivera", locale="es-LA")
    slack.add_user("UESADMIN", tz="America/Los_Angeles", real_name="Lupe Admin", locale="es-LA", is_admin=True)
    acquainted(services, slack, "UES", "UESADMIN")
    return slack


def decisions(slack, user: str) -> list[str]:
    """The DMs telling `user` what the reviewing admin decided (not the co-host notice, not other helpers' words)."""
    return [text for text in dms(slack, user) if "<@UESADMIN>" in text]


# --- /campaign ----------------------------------------------------------------------------------


def test_campaign_list_and_show_in_spanish_and_english_still_in_english(bot, spanish):
    listed = bot.command("/campaign", "list", user="UES").text
    assert "*Campañas* (5)" in listed and "Terminó" in listed and "Sin fechas fijas" in listed
    assert "Detalles: `/campaign show <nombre>` · una nueva: `/campaign new`" in listed
    assert "`/campaign show where-r-the-refugees`" in listed  # commands stay as typed
    assert "*Campaigns* (5)" in bot.command("/campaign", "list", user="U1").text

    shown = bot.command("/campaign", "show we are all america", user="UES").text
    assert "*We Are All America Day of Congressional Action*" in shown  # a name is content: as written
    assert "*Qué hacer*\nVisit your Members of Congress" in shown
    assert "*Eventos*\n0" in shown and "*Van (confirmaciones)*\n0" in shown and "*Estados*\n0" in shown
    assert "*Publicaciones de ejemplo* (6 tuits, 2 publicaciones de Facebook)" in shown
    assert "Todavía no hay. Registra uno con `/event new` y elige esta campaña." in shown
    assert "(quien la creó o un admin del espacio de trabajo)" in shown
    english = bot.command("/campaign", "show we are all america", user="U1").text
    assert "*What to do*" in english and "*Sample posts* (6 tweets, 2 Facebook posts)" in english

    assert (
        "No conozco la campaña “nada parecido”. Campañas: `"
        in bot.command("/campaign", "show nada parecido", user="UES").text
    )
    assert "No conozco `/campaign frobnicar`" in bot.command("/campaign", "frobnicar", user="UES").text
    assert bot.command("/campaign", "list", user="UES").json["text"] == "Campañas"  # the notification's text


def test_the_campaign_modal_its_errors_and_its_answer_in_spanish(bot, spanish, database):
    assert bot.command("/campaign", "new", user="UES").body == ""
    form = bot.opened_view()
    assert (form["title"]["text"], form["submit"]["text"], form["close"]["text"]) == (
        "Nueva campaña",
        "Crear",
        "Cancelar",
    )
    assert labels(form) == ["Nombre", "Primer día", "Último día", "Hashtags", "Llamado a la acción", "Descripción"]
    assert "Deja ambos días vacíos" in visible_text(form)

    wrong = bot.submit(form, {"Nombre": "", "Último día": "2026-12-06", "Hashtags": "#ok, no-es-hashtag!"}, user="UES")
    errors = wrong.json["errors"]
    assert wrong.json["response_action"] == "errors"
    assert errors == {
        "name": "Ponle un nombre a la campaña.",
        "starts_on": "Pon también el primer día, o borra el último.",
        "hashtags": "“no-es-hashtag!” no es un hashtag: usa # y letras, números o _, como #WhereRTheRefugees.",
    }
    backwards = bot.submit(form, {**SEMANA, "Último día": "2026-11-01"}, user="UES")
    assert backwards.json["errors"] == {"ends_on": "El último día no puede ser antes del primero."}
    taken = bot.submit(form, {**SEMANA, "Nombre": WEEK.upper()}, user="UES")
    assert taken.json["errors"]["name"] == f"Ya hay una campaña llamada “{WEEK}” (where-r-the-refugees)."

    saved = bot.submit(form, SEMANA, user="UES").json
    assert saved["response_action"] == "update" and saved["view"]["title"]["text"] == "Campaña creada"
    text = visible_text(saved["view"])
    assert "Listo, se creó *Semana de Acción del Valle Central*." in text
    assert "• Mírala con `/campaign show semana-de-accion-del-valle-central`" in text

    # Its creator's edit form, and another member's refusal, each in their own language.
    bot.command("/campaign", "edit semana de accion", user="UES")
    edit = bot.opened_view()
    assert (edit["title"]["text"], edit["submit"]["text"]) == ("Editar campaña", "Guardar")
    bot.command("/campaign", "edit semana de accion", user="U2")
    assert "Only the person who created the campaign “Semana de Acción del Valle Central” (<@UES>)" in visible_text(
        bot.responded()[0]
    )
    assert (
        bot.submit(edit, {"Descripción": "Vigilias y visitas puerta a puerta."}, user="UES").json["view"]["title"][
            "text"
        ]
        == "Campaña guardada"
    )


# --- after the event: the report and the campaign's roll-up -------------------------------------------


def test_the_report_form_in_spanish_and_the_roll_up_in_a_spanish_channel(bot, spanish, database, clock):
    """Marisol co-hosts an event announced in an English channel: she is asked in Spanish, fills
    in the form in Spanish; the note in the card's thread is in the channel's English. The
    campaign's roll-up is in Spanish where the channel speaks Spanish, whoever asks."""
    register(bot, {**FUTURE, "Campaign": WEEK, "Co-hosts": ["UES"]}, user="U1")
    announced(database)
    slack = spanish
    clock.set(ENDS)
    dispatcher(slack, database, clock).run_once()
    wait_until(lambda: asks(slack, "U1") and any("¿Cómo salió?" in text for text in dms(slack, "UES")))
    [ask] = [m for m in slack.dm("UES") if "¿Cómo salió?" in visible_text(m)]
    assert "Cuéntale a la coalición en un minuto" in visible_text(ask) and "evento #1" in visible_text(ask)
    assert find_element(ask["blocks"], "report_open")["text"]["text"] == "Cuéntanos cómo salió"
    assert "Tell the coalition in a minute" in visible_text(asks(slack, "U1")[0])  # her co-host's Slack is in English

    bot.click(ask, "report_open", user="UES", channel="DUES")
    form = bot.opened_view()
    assert (form["title"]["text"], form["submit"]["text"]) == ("¿Cómo salió?", "Guardar informe")
    assert labels(form) == [
        "Asistencia",
        "Enlaces de cobertura de prensa",
        "Lo que dijo la autoridad",
        "Enlace a las fotos",
        "Siguiente paso",
    ]
    wrong = bot.submit(form, {"Asistencia": "-3", "Enlaces de cobertura de prensa": "ver el Bee"}, user="UES").json[
        "errors"
    ]
    assert wrong == {
        "turnout": "Escribe el número de personas, de 0 a 1.000.000.",
        "press_links": "“ver el Bee” no es un enlace: escribe cada uno completo, empezando con https://, uno por línea.",
    }
    answers = {"Asistencia": 1350, "Enlaces de cobertura de prensa": "https://news.example/1\nhttps://news.example/2"}
    assert bot.submit(form, answers, user="UES").body == ""
    card = slack.history("C1")[0]
    wait_until(lambda: slack.thread("C1", card["ts"]))
    note = slack.thread("C1", card["ts"])[0]["text"]
    assert "<@UES> reported how it went" in note and "*Turnout:* 1,350 people" in note

    bot.command("/event", "language es", user="U1", channel="CES")
    bot.command("/campaign", "report where r the refugees", user="U1", channel="CES")
    wait_until(lambda: slack.history("CES"))
    [post] = [m for m in slack.history("CES") if ":bar_chart:" in m["text"]]
    assert post["text"] == (
        f":bar_chart: *{WEEK}*: 1 evento en 1 estado, 1.350 personas, 2 menciones en prensa.\n"
        "_Según los informes de 1 de 1 evento._"
    )
    in_a_dm = bot.command("/campaign", "report #WhereRTheRefugees", user="U1", channel="DU1").text
    assert "1 event in 1 state, 1,350 people, 2 press hits" in in_a_dm  # to the asker, in the asker's language
    assert (
        "1 evento en 1 estado" in bot.command("/campaign", "report #WhereRTheRefugees", user="UES", channel="DUES").text
    )
    assert "¿Qué campaña?" in bot.command("/campaign", "report", user="UES").text


# --- review --------------------------------------------------------------------------------------------


def test_review_in_a_spanish_review_channel_with_each_host_told_in_their_language(bot, spanish, services, database):
    slack = spanish
    languages.set_for_channel(services, TEAM, REVIEW, "UESADMIN", "es")
    assert "*La revisión está desactivada.*" in bot.command("/event", "review", user="UES").text
    assert "*Review is off.*" in bot.command("/event", "review", user="U1").text
    bot.command("/event", "review on", user="UES", channel=REVIEW)
    assert answer(bot, 1) == "Solo los admins del espacio de trabajo pueden cambiar quién revisa los eventos."
    bot.command("/event", "review on", user="UESADMIN", channel=REVIEW)
    assert answer(bot, 2).startswith(
        f":inbox_tray: La revisión está activada: los eventos nuevos de miembros que no son admins "
        f"ni de confianza esperan en <#{REVIEW}>"
    )
    assert (
        "¿En qué canal se revisan los eventos nuevos?"
        in bot.command("/event", "review on #events-review", user="UES").text
    )

    # U1 (English) registers with Marisol as co-host: the request is drawn in the review channel's Spanish.
    register(bot, {**FUTURE, "Co-hosts": ["UES"]}, user="U1")
    request = review_request(slack)
    text = visible_text(request)
    assert (
        ":inbox_tray: *Esperando revisión*" in text and "evento #1" in text and "Lo registró <@U1> para <#C1>" in text
    )
    assert [
        find_element(request["blocks"], action)["text"]["text"] for action in ("review_approve", "review_reject")
    ] == ["Aprobar", "Rechazar"]
    wait_until(lambda: dms(slack, "U1"))
    assert (
        "is saved and waiting for review by the coalition's admins" in dms(slack, "U1")[0]
    )  # its creator reads English
    status = bot.command("/event", "review", user="UES").text
    assert f"*La revisión está activada* en <#{REVIEW}>" in status and "Esperando una decisión: 1 evento." in status

    # The reject form, in the clicking admin's Spanish, its error too.
    bot.click(request, "review_reject", user="UES", channel=REVIEW)
    assert answer(bot, 3) == "Solo los admins del espacio de trabajo pueden aprobar o rechazar eventos."
    bot.click(request, "review_reject", user="UESADMIN", channel=REVIEW)
    form = bot.opened_view()
    assert (form["title"]["text"], form["submit"]["text"], form["close"]["text"]) == (
        "Rechazar evento",
        "Rechazar",
        "Volver",
    )
    assert labels(form) == ["Motivo"] and "Le llegará tu motivo por mensaje directo" in visible_text(form)
    assert bot.submit(form, {"Motivo": " "}, user="UESADMIN").json["errors"] == {
        "reason": "Di por qué, para que quien organiza sepa qué cambiar."
    }
    assert bot.submit(form, {"Motivo": "Falta la dirección"}, user="UESADMIN").body == ""

    wait_until(lambda: len(dms(slack, "U1")) == 2 and decisions(slack, "UES"))
    assert "was not approved by <@UESADMIN>, so it will not be announced.\n>Falta la dirección" in dms(slack, "U1")[1]
    [told] = decisions(slack, "UES")
    assert told.startswith(
        ":x: <@UESADMIN> no aprobó tu evento #1 “Modesto: #WeAreAllAmerica Canvass and Rally”, así que no "
        "se va a anunciar.\n>Falta la dirección\nPuedes preguntarle por qué"
    )
    wait_until(lambda: not has_buttons(slack.history(REVIEW)[0]))
    redrawn = visible_text(slack.history(REVIEW)[0])
    assert (
        ":inbox_tray: Revisión" in redrawn
        and ":x: <@UESADMIN> no lo aprobó el" in redrawn
        and "Motivo: Falta la dirección" in redrawn
    )

    # A second event, approved; an English admin's second click is answered in English.
    register(bot, {**FUTURE, "Title": "Fresno vigil", "Co-hosts": ["UES"]}, user="U1")
    second = review_request(slack, 2)
    bot.click(second, "review_approve", user="UESADMIN", channel=REVIEW)
    assert answer(bot, 4).startswith(":white_check_mark: Aprobaste el evento #2: su tarjeta se publica en <#C1>")
    bot.click(second, "review_approve", user="UADMIN", channel=REVIEW)
    assert answer(bot, 5).startswith("Event #2 was already decided. :white_check_mark: Approved by <@UESADMIN>")
    wait_until(lambda: len(decisions(slack, "UES")) == 2)
    assert (
        ":white_check_mark: <@UESADMIN> aprobó tu evento #2 “Fresno vigil” y ya está anunciado en <#C1>."
        in decisions(slack, "UES")
    )

    bot.command("/event", "trust <@UES>", user="UESADMIN")
    assert answer(bot, 6) == ":handshake: <@UES> ahora es de confianza: sus eventos nuevos se anuncian sin revisión."
    bot.command("/event", "review off", user="UESADMIN")
    assert answer(bot, 7) == "La revisión está desactivada: los eventos nuevos se anuncian en cuanto se guardan."
    assert (
        "Personas de confianza (sus eventos no pasan por revisión): <@UES>"
        in bot.command("/event", "review", user="UES").text
    )


# --- the export ----------------------------------------------------------------------------------------


def test_the_exports_dm_is_in_spanish_and_its_file_stays_data(bot, spanish, database, clock):
    seed(database, clock())
    assert bot.command("/event", "export", user="UES").text == (
        "Estoy preparando el CSV de los eventos; en un momento te llega a nuestro mensaje directo."
    )
    bot.command("/event", "export", user="U1")
    wait_until(lambda: len(spanish.calls_to("files.completeUploadExternal")) == 2)
    message, rows = exported_to(spanish, "UES")
    assert message["text"] == (
        "Aquí tienes la exportación que pediste: 6 eventos, uno por fila. Faltan los correos de contacto "
        "de 3 eventos no abiertos al público: solo los admins y quienes organizan cada evento los reciben."
    )
    assert message["files"][0]["title"] == "Eventos" and message["files"][0]["name"].startswith("events-")
    english, english_rows = exported_to(spanish, "U1")
    assert english["text"].startswith("Here is the export you asked for: 6 events, one a row.")
    # The file is the same data for both: English columns and values, which the import reads back.
    [shared] = spanish.files_in("DUES")
    header = next(csv.reader(io.StringIO(shared["bytes"].decode("utf-8-sig"))))
    assert header == list(english_rows[0])
    assert {row["status"] for row in rows} == {"upcoming", "past", "cancelled"}
    assert {row["event_type"] for row in rows} == {"Rally or action"} and {row["is_public"] for row in rows} == {
        "yes",
        "no",
    }
    assert bot.command("/event", "export nada parecido", user="UES").text.startswith(
        "No conozco la campaña “nada parecido”."
    )
