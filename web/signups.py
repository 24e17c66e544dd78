"""Signing up from an event's page, and a sign-up's own page (its event, cancel, forget).

Every change is a POST from a form of this site carrying its token; a GET changes nothing
(mail scanners follow the links in emails). Nothing here logs what a person typed.
"""

from __future__ import annotations

import string

from flask import Blueprint, Response, abort, redirect, render_template, request

from messages import events as event_text
from messages import public as text
from messages.i18n import current_language
from services import public, signups
from web import forms, responses
from web.pages import event_page, signup_purpose
from web.site import link, state, team_id

TOKEN_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-_")
TOKEN_MAX = 64


def register(bp: Blueprint) -> None:
    bp.post("/events/<int:event_id>/signup")(sign_up)
    bp.get("/signups/<token>")(signup_page)
    bp.post("/signups/<token>/cancel")(cancel)
    bp.post("/signups/<token>/forget")(forget)


def sign_up(event_id: int) -> Response:
    services = state().services
    shown = public.event(services, team_id(), event_id)
    if shown is None:
        abort(404)
    if forms.posted_by_a_robot():
        abort(400)
    answers = signups.Answers.read(request.form)
    if not _token_ok(signup_purpose(event_id)):
        return event_page(shown, answers=answers, problems={"": text.form_expired()}, status=422)
    if not state().signup_limit.allow(request.remote_addr or ""):
        return _too_many()
    outcome = signups.sign_up(services, team_id(), event_id, answers, current_language())
    if isinstance(outcome, signups.Refused):
        if outcome.limited:
            return _too_many()
        problems = {"": text.signups_closed()} if outcome.closed else outcome.problems
        return event_page(shown, answers=answers, problems=problems, status=422)
    return redirect(link("signup_page", token=outcome.token), code=303)


def _too_many() -> Response:
    html = render_template("error.html", title=text.too_many_title(), message=text.too_many_signups())
    response = responses.page(html, status=429)
    response.headers["Retry-After"] = "3600"
    return response


def signup_page(token: str) -> Response:
    shown = _page_of(token)
    services = state().services
    html = render_template(
        "signup.html",
        signup=shown.signup,
        event=shown.event,
        title=text.signup_title(shown.event.title),
        ended=shown.event.effective_end < services.now(),
        emails=services.mailer is not None,
        google_url=event_text.google_calendar_url(shown.event),
        csrf_token=forms.csrf_token(state().site.form_key, _purpose(token), services.now()),
        token_field=forms.TOKEN_FIELD,
    )
    return responses.private_page(html)


def cancel(token: str) -> Response:
    """Also a mail client's one-click unsubscribe (RFC 8058): its POST carries no form token,
    and needs none; the sign-up's own token, which only its person has, is the secret."""
    return _change(token, signups.cancel, one_click=request.form.get("List-Unsubscribe") == "One-Click")


def forget(token: str) -> Response:
    return _change(token, signups.forget)


def _change(token: str, change, *, one_click: bool = False) -> Response:
    _page_of(token)
    if not one_click and not _token_ok(_purpose(token)):
        abort(400)
    change(state().services, team_id(), token)
    return redirect(link("signup_page", token=token), code=303)


def _page_of(token: str) -> signups.SignupPage:
    if len(token) > TOKEN_MAX or not TOKEN_CHARACTERS.issuperset(token):
        abort(404)
    shown = signups.page(state().services, team_id(), token)
    if shown is None:
        abort(404)
    return shown


def _purpose(token: str) -> str:
    return f"signup-page:{team_id()}:{token}"


def _token_ok(purpose: str) -> bool:
    token = request.form.get(forms.TOKEN_FIELD, "")
    return forms.same_origin() and forms.csrf_valid(state().site.form_key, purpose, token, state().services.now())
