"""The public face: event pages, the map and calendar feeds, as a Flask app.

bot/ mounts it beside Bolt on the same waitress server (bot.server.FrontDoor): Slack's
requests never reach it, and it reads only what services.public lets the public see.
The routes live in one blueprint, registered twice: at the root for the default workspace,
and under `/w/<team_id>/` for any workspace the site serves.
"""

from __future__ import annotations

from flask import Blueprint, Flask, redirect, render_template, url_for
from werkzeug.exceptions import HTTPException

from messages import campaigns as campaign_text
from messages import events as event_text
from messages import public as text
from services import Services
from web import feeds, pages, responses
from web.site import EXTENSION, Site, State, absolute, choose_team, link, state, team_id

STATIC_MAX_AGE = 24 * 3600  # the vendored files are versioned by their path


def create_web(services: Services, site: Site) -> Flask:
    app = Flask(__name__)
    app.extensions[EXTENSION] = State(services=services, site=site)
    app.config.update(SEND_FILE_MAX_AGE_DEFAULT=STATIC_MAX_AGE)
    app.jinja_env.globals.update(t=text, link=link, absolute=absolute)
    app.jinja_env.filters.update(when=event_text.when_plain, place=event_text.address_text,
                                 type_label=event_text.type_label, contact=event_text.contact_line)
    app.jinja_env.globals.update(campaign_dates=campaign_text.dates_plain)
    public = _public_blueprint()
    app.register_blueprint(public)
    app.register_blueprint(public, url_prefix="/w/<team_id>", name="workspace")
    app.get("/")(lambda: redirect(url_for("public.events")))
    app.register_error_handler(HTTPException, _error_page)
    app.after_request(lambda response: responses.harden(response, state().site.tile_origin))
    return app


def _public_blueprint() -> Blueprint:
    bp = Blueprint("public", __name__)
    bp.url_value_preprocessor(lambda endpoint, values: choose_team((values or {}).pop("team_id", None)))

    @bp.url_defaults
    def stay_in_the_workspace(endpoint: str, values: dict) -> None:
        # Links from a /w/<team_id>/ page keep its prefix.
        if endpoint.startswith("workspace."):
            values.setdefault("team_id", team_id())

    pages.register(bp)
    feeds.register(bp)
    return bp


def _error_page(error: HTTPException):
    status = error.code or 500
    title, message = (text.NOT_FOUND_TITLE, text.NOT_FOUND) if status == 404 else (text.ERROR_TITLE, text.ERROR)
    response = responses.page(render_template("error.html", title=title, message=message), status=status)
    if error.code == 405:
        response.headers["Allow"] = ", ".join(error.valid_methods or ())
    return response
