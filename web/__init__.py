"""The public face: event pages, the map and calendar feeds, as a Flask app.

bot/ mounts it beside Bolt on the same waitress server (bot.server.FrontDoor): Slack's
requests never reach it, and it reads only what services.public lets the public see.
The routes live in one blueprint, registered twice: at the root for the default workspace,
and under `/w/<team_id>/` for any workspace the site serves. Each answer is in its visitor's
language, English or Spanish (web.language): the templates' words and messages.public's come
from the `public` catalog.
"""

from __future__ import annotations

from flask import Blueprint, Flask, redirect, render_template, url_for
from werkzeug.exceptions import HTTPException

from messages import campaigns as campaign_text
from messages import congress as congress_text
from messages import events as event_text
from messages import public as text
from messages.i18n import LANGUAGES, current_language
from messages.links import WORKSPACE_PATH
from messages.plural import number
from services import Services
from web import congress, feeds, forms, language, pages, responses, signups
from web.site import EXTENSION, Site, State, choose_team, feed_address, feed_link, link, state, team_id

STATIC_MAX_AGE = 24 * 3600  # the vendored files are versioned by their path


def create_web(services: Services, site: Site) -> Flask:
    app = Flask(__name__)
    app.wsgi_app = language.in_the_pages_language(app.wsgi_app)
    app.extensions[EXTENSION] = State(services=services, site=site)
    app.config.update(
        SEND_FILE_MAX_AGE_DEFAULT=STATIC_MAX_AGE, MAX_CONTENT_LENGTH=forms.BODY_MAX, MAX_FORM_MEMORY_SIZE=forms.BODY_MAX
    )
    _templates_speak(app)
    app.jinja_env.globals.update(t=text, link=link, feed_link=feed_link, feed_address=feed_address)
    app.jinja_env.filters.update(
        when=event_text.when_plain,
        place=event_text.address_text,
        number=number,
        type_label=event_text.type_label,
        contact=event_text.contact_line,
        miles=event_text.miles_text,
    )
    app.jinja_env.globals.update(campaign_dates=campaign_text.dates_plain)
    app.jinja_env.filters.update(congress_members=congress_text.targets_plain)
    public = _public_blueprint()
    app.register_blueprint(public)
    app.register_blueprint(public, url_prefix=WORKSPACE_PATH.format(team_id="<team_id>"), name="workspace")
    app.get("/")(lambda: redirect(url_for("public.events")))
    app.register_error_handler(HTTPException, _error_page)
    app.after_request(lambda response: responses.harden(response, state().site.tile_origin))
    return app


def _templates_speak(app: Flask) -> None:
    """The templates' `_()`, `ngettext()` and `pgettext()` read the `public` catalog (as
    tools/i18n.py extracts them: trimmed), in the language of the moment; they hand back plain
    text, which autoescaping escapes like any other."""
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.install_gettext_callables(text._, text.ngettext, newstyle=False, pgettext=text.pgettext)
    app.jinja_env.globals.update(
        languages=LANGUAGES, language=current_language, chosen_language=language.chosen, switch_to=language.switch_to
    )


def _public_blueprint() -> Blueprint:
    bp = Blueprint("public", __name__)
    bp.url_value_preprocessor(lambda endpoint, values: choose_team((values or {}).pop("team_id", None)))

    @bp.url_defaults
    def stay_in_the_workspace(endpoint: str, values: dict) -> None:
        # Links from a /w/<team_id>/ page keep its prefix, and links from a page in a chosen
        # language (?lang=es) keep it.
        if endpoint.startswith("workspace."):
            values.setdefault("team_id", team_id())
        values.setdefault(language.PARAMETER, language.chosen())

    pages.register(bp)
    feeds.register(bp)
    signups.register(bp)
    congress.register(bp)
    return bp


def _error_page(error: HTTPException):
    status = error.code or 500
    title, message = (text.not_found_title(), text.not_found()) if status == 404 else (text.error_title(), text.error())
    response = responses.page(render_template("error.html", title=title, message=message), status=status)
    if error.code == 405:
        response.headers["Allow"] = ", ".join(error.valid_methods or ())
    return response
