"""Multi-workspace installs end to end: Bolt's OAuth flow against the fake Slack, each
workspace served with its own token (checked on the Authorization header Slack receives),
uninstalls, revoked tokens, org-wide installs and Slack Connect guests."""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import unescape
from pathlib import Path

import pytest
from cryptography.fernet import Fernet, InvalidToken
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import inspect, select, text

from bot.app import Transport, create_app, create_site, make_client, make_services
from bot.settings import load_settings
from conftest import TOKEN_KEY, bot_env, serving
from driver import SlackDriver, Workspace, visible_text
from fakeslack import CLIENT_ID, CLIENT_SECRET, FakeSlack
from messages.errors import not_installed
from schedhelp import ClockTick, announced, outbox_rows, wait_until
from services import Services, workspaces
from services.delivery import Deliverer
from storage.models import Event, OutboxStatus, WorkspaceStatus
from test_events_e2e import FUTURE, register
from timemath import UTC

TEAM_A, TEAM_B = "T0AAAAAAA", "T0BBBBBBB"
# 13:00 Pacific on Dec 4 2026 (FUTURE's start) is 21:00 UTC: both reminders (1 day, 1 hour) are due an hour before.
REMINDERS_DUE = datetime(2026, 12, 4, 20, 0, tzinfo=UTC)
UNINSTALLED_AT = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)  # the test clock's start


def install_env(slack, database_url: str) -> dict[str, str]:
    """A multi-workspace deployment: the app's client id and secret instead of a bot token."""
    env = {k: v for k, v in bot_env(slack, database_url).items() if k != "SLACK_BOT_TOKEN"}
    return {
        **env,
        "SLACK_CLIENT_ID": CLIENT_ID,
        "SLACK_CLIENT_SECRET": CLIENT_SECRET,
        "TOKEN_ENCRYPTION_KEY": TOKEN_KEY,
    }


@dataclass
class Deployment:
    """The app from the factory in multi-workspace mode, served over HTTP, with its delivery worker."""

    base_url: str
    slack: FakeSlack
    services: Services
    deliverer: Deliverer
    driver: SlackDriver

    def workspace(self, team_id: str, **org) -> SlackDriver:
        return self.driver.of(team_id, **org)

    def tick(self) -> None:
        """One clock tick: due reminders and digests queued, then delivered."""
        ClockTick(self.services, self.deliverer).run_once()


@pytest.fixture
def deployment(slack, database, clock):
    settings = load_settings(install_env(slack, database.url))
    services = make_services(settings, database, now=clock)
    worker = Deliverer(services, make_client(settings), channel_interval=0.0)
    worker.start(poll_seconds=3600)
    try:
        with serving(
            create_app(settings, services, transport=Transport.HTTP), database, create_site(settings, services, None)
        ) as url:
            base = url.removesuffix("/slack/events")
            yield Deployment(base, slack, services, worker, SlackDriver(url, slack, Workspace(TEAM_A)))
    finally:
        worker.stop()


# --- the browser's side of an install ----------------------------------------------------


@dataclass
class Page:
    status: int
    body: str
    headers: dict[str, str]


def get(url: str, headers: dict[str, str] | None = None) -> Page:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Page(response.status, response.read().decode(), dict(response.headers))
    except urllib.error.HTTPError as error:
        return Page(error.code, error.read().decode(), dict(error.headers))


@dataclass
class InstallLink:
    url: str
    query: dict[str, str]
    cookie: str  # what the browser sends back to /slack/oauth_redirect


def install_page(base_url: str, language: str = "en-US,en;q=0.9") -> InstallLink:
    """GET /slack/install as a browser: the "Add to Slack" link and the state cookie."""
    page = get(f"{base_url}/slack/install", headers={"Accept-Language": language})
    assert page.status == 200 and "Add Organizer Bot to your Slack" in page.body and 'alt="Add to Slack"' in page.body
    [href] = re.findall(r'<a href="([^"]+)"', page.body)
    url = unescape(href)
    cookie = page.headers["Set-Cookie"].split(";")[0]
    return InstallLink(url, dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query)), cookie)


def approve(base_url: str, link: InstallLink, code: str) -> Page:
    """Slack sends the browser back to the redirect URL with a code and the state it was given."""
    query = urllib.parse.urlencode({"code": code, "state": link.query["state"]})
    return get(f"{base_url}/slack/oauth_redirect?{query}", headers={"Cookie": link.cookie})


def install(deployment: Deployment, team_id: str, **grant) -> str:
    """A workspace installs the app through /slack/install; returns the bot token Slack granted it."""
    code = f"code-{team_id}-{len(deployment.slack.calls)}"
    token = deployment.slack.add_oauth_code(code, team_id, **grant)
    page = approve(deployment.base_url, install_page(deployment.base_url), code)
    assert page.status == 200 and "Organizer Bot is installed" in page.body, page.body
    return token


def tokens_used(slack, method: str, **args) -> set[str | None]:
    """The tokens the app sent `method` with, to calls whose arguments include `args`."""
    return {c.token for c in slack.calls_of(method) if args.items() <= c.args.items()}


# --- installing ---------------------------------------------------------------------------


def test_install_page_offers_add_to_slack_with_a_state(deployment, slack):
    link = install_page(deployment.base_url)
    assert link.url.startswith(slack.base_url + "/oauth/v2/authorize?")  # Slack's page beside its API
    assert link.query["client_id"] == CLIENT_ID
    assert {"commands", "chat:write", "users:read", "im:write"} <= set(link.query["scope"].split(","))
    assert link.cookie == f"slack-app-oauth-state={link.query['state']}"
    assert install_page(deployment.base_url).query["state"] != link.query["state"]  # a new state each time


def test_the_install_pages_speak_the_browsers_language(deployment, slack):
    page = get(f"{deployment.base_url}/slack/install", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    assert page.status == 200 and '<html lang="es">' in page.body
    assert "Agrega Organizer Bot a tu Slack" in page.body and 'alt="Agregar a Slack"' in page.body
    link = install_page(deployment.base_url)
    code = "code-spanish"
    slack.add_oauth_code(code, TEAM_A)
    query = urllib.parse.urlencode({"code": code, "state": link.query["state"]})
    done = get(
        f"{deployment.base_url}/slack/oauth_redirect?{query}", headers={"Cookie": link.cookie, "Accept-Language": "es"}
    )
    assert done.status == 200 and "Organizer Bot ya está instalado" in done.body
    assert f'content="0; URL=slack://app?team={TEAM_A}&amp;id=A0TEST"' in done.body  # it opens the app in their Slack
    failed = get(f"{deployment.base_url}/slack/oauth_redirect?error=access_denied", headers={"Accept-Language": "es"})
    assert "La instalación no terminó" in failed.body and "access_denied" in failed.body
    assert "The install did not finish" in get(f"{deployment.base_url}/slack/oauth_redirect?error=access_denied").body


def test_the_install_pages_carry_the_public_sites_security_headers(deployment, slack):
    slack.add_oauth_code("code-headers", TEAM_A)
    offer = get(f"{deployment.base_url}/slack/install")
    done = approve(deployment.base_url, install_page(deployment.base_url), "code-headers")
    failed = get(f"{deployment.base_url}/slack/oauth_redirect?error=access_denied")
    site = get(f"{deployment.base_url}/w/{TEAM_A}/events")
    assert (offer.status, done.status, failed.status, site.status) == (200, 200, 200, 200)
    site_policy = header(site, "Content-Security-Policy")
    for page in (offer, done, failed):
        policy = header(page, "Content-Security-Policy")
        for directive in ("frame-ancestors 'none'", "script-src 'self'", "base-uri 'none'", "form-action 'self'"):
            assert directive in policy and directive in site_policy
        assert header(page, "X-Content-Type-Options") == header(site, "X-Content-Type-Options") == "nosniff"
        [style] = re.findall(r"<style>(.*?)</style>", page.body)  # its one inline style, allowed by its hash alone
        assert (
            f"style-src 'self' 'sha256-{base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()}';" in policy
        )
    assert "img-src 'self' data: https://platform.slack-edge.com;" in header(
        offer, "Content-Security-Policy"
    )  # the button


def header(page: Page, name: str) -> str:
    return {key.lower(): value for key, value in page.headers.items()}[name.lower()]


def test_the_redirect_exchanges_the_code_and_stores_the_installation(deployment, slack, database):
    token = install(deployment, TEAM_A, team_name="Siren Bay Area")
    [exchange] = slack.calls_to("oauth.v2.access")
    assert exchange["client_id"] == CLIENT_ID and exchange["code"].startswith("code-")
    stored = deployment.services.installations.find_installation(enterprise_id=None, team_id=TEAM_A)
    assert (stored.bot_token, stored.team_name, stored.user_id) == (token, "Siren Bay Area", "U1")
    with database.read() as session:
        assert [s.workspace.status for s in workspaces.store.report(session)] == ["active"]
    # The workspace is answered with its token from the first command.
    deployment.workspace(TEAM_A).command("/event", "new")
    deployment.workspace(TEAM_A).opened_view()
    assert tokens_used(slack, "views.open") == {token}


def test_an_install_without_the_browser_state_is_refused(deployment, slack):
    link = install_page(deployment.base_url)
    slack.add_oauth_code("stolen", TEAM_A)
    forged = approve(
        deployment.base_url, InstallLink(link.url, {"state": "made-up"}, "slack-app-oauth-state=made-up"), "stolen"
    )
    assert forged.status == 401
    other_browser = approve(
        deployment.base_url, InstallLink(link.url, link.query, "slack-app-oauth-state=other"), "stolen"
    )
    assert other_browser.status == 400
    assert slack.calls_to("oauth.v2.access") == []
    assert approve(deployment.base_url, link, "stolen").status == 200
    assert approve(deployment.base_url, link, "stolen").status == 401  # a state is good for one install
    assert len(slack.calls_to("oauth.v2.access")) == 1


def told_not_installed(slack) -> bool:
    """Bolt answers a request it finds no installation for through the request's response URL."""
    wait_until(lambda: any(not_installed() == r.get("text") for r in slack.calls_to("response_url")))
    return True


def statuses(deployment: Deployment) -> dict[str, str]:
    """Each workspace's standing; events are handled after their ack, so tests wait for it."""
    return {s.workspace.team_id: s.workspace.status for s in workspaces.report(deployment.services)}


def test_the_install_paths_are_served_only_with_installs_and_only_to_get(deployment, bot):
    assert get(f"{deployment.base_url}/slack/oauth_redirect").status == 400  # no state from this browser: Bolt refuses
    refused = urllib.request.Request(f"{deployment.base_url}/slack/install", data=b"", method="POST")
    with pytest.raises(urllib.error.HTTPError) as wrong_method:
        urllib.request.urlopen(refused, timeout=10)
    assert wrong_method.value.code == 405 and wrong_method.value.headers["Allow"] == "GET"
    single_workspace = bot.url.removesuffix("/slack/events")
    assert get(f"{single_workspace}/slack/install").status == 404


def test_a_workspace_that_never_installed_is_not_served(deployment, slack):
    install(deployment, TEAM_A)
    assert deployment.workspace(TEAM_B).command("/event", "new").body == ""
    assert told_not_installed(slack)
    assert slack.calls_to("views.open") == [] and slack.calls_to("chat.postMessage") == []


# --- two workspaces, one deployment ---------------------------------------------------------


def test_two_workspaces_each_see_only_their_own_and_are_served_with_their_own_token(deployment, slack, database, clock):
    token_a, token_b = install(deployment, TEAM_A), install(deployment, TEAM_B)
    a, b = deployment.workspace(TEAM_A), deployment.workspace(TEAM_B)
    register(a, {**FUTURE, "Title": "Modesto canvass"}, channel="CA1")
    register(b, {**FUTURE, "Title": "Denver vigil"}, channel="CB1")
    wait_until(lambda: len(slack.calls_to("chat.postMessage")) == 2)
    announced(database, 1)
    announced(database, 2)

    assert tokens_used(slack, "chat.postMessage", channel="CA1") == {token_a}
    assert tokens_used(slack, "chat.postMessage", channel="CB1") == {token_b}
    assert tokens_used(slack, "views.open") == {token_a, token_b}
    assert "Modesto canvass" in visible_text(slack.history("CA1")[0]) and "event #1" in visible_text(
        slack.history("CA1")[0]
    )
    assert "Denver vigil" in visible_text(slack.history("CB1")[0])

    listed_a, listed_b = a.command("/event", "list").text, b.command("/event", "list").text
    assert "Modesto canvass" in listed_a and "Denver vigil" not in listed_a
    assert "Denver vigil" in listed_b and "Modesto canvass" not in listed_b
    assert "no event #1 in this workspace" in b.command("/event", "show 1").text  # A's event does not exist for B

    clock.set(REMINDERS_DUE)
    deployment.tick()
    reminders_a = [
        c for c in slack.calls_of("chat.postMessage") if c.args["channel"] == "CA1" and c.args.get("thread_ts")
    ]
    reminders_b = [
        c for c in slack.calls_of("chat.postMessage") if c.args["channel"] == "CB1" and c.args.get("thread_ts")
    ]
    assert len(reminders_a) == len(reminders_b) == 2  # 1 day (late) and 1 hour before
    assert {c.token for c in reminders_a} == {token_a} and {c.token for c in reminders_b} == {token_b}
    assert "Modesto canvass" in visible_text(slack.thread("CA1", slack.history("CA1")[0]["ts"])[0])


# --- tokens at rest ---------------------------------------------------------------------------

NEW_KEY = "mbVCF_1E3Dg5ap6uB5HPM7vKBQcdYUd7ePBzqvqHf9g="  # made by `organizer-bot keygen`, as TOKEN_KEY
TOKEN_VALUES = "SELECT {columns} FROM {table}"


def stored_tokens(database) -> list[str]:
    """Every token column's value, as a database dump would show it."""
    with database.engine.connect() as connection:
        return [
            value
            for table, columns in (
                ("slack_installations", "bot_token, bot_refresh_token, user_token, user_refresh_token"),
                ("slack_bots", "bot_token, bot_refresh_token"),
            )
            for row in connection.execute(text(TOKEN_VALUES.format(columns=columns, table=table)))
            for value in row
            if value is not None
        ]


def everything_stored(database) -> str:
    """Every row of every table, as text; for SQLite, the database's files as bytes too."""
    with database.engine.connect() as connection:
        rows = [
            repr(tuple(row))
            for name in inspect(connection).get_table_names()
            for row in connection.execute(text(f"SELECT * FROM {name}"))
        ]
    files = ""
    if database.engine.url.get_backend_name() == "sqlite":
        path = Path(database.engine.url.database)
        files = "".join(f.read_bytes().decode("latin-1") for f in path.parent.glob(path.name + "*"))
    return "\n".join(rows) + files


def served_with(settings_env: dict[str, str], slack, database, clock, team_id: str):
    """A process started with these settings, serving a workspace: its reply to `/event list`."""
    settings = load_settings(settings_env)
    services = make_services(settings, database, now=clock)
    with serving(create_app(settings, services, transport=Transport.HTTP), database) as url:
        return SlackDriver(url, slack, Workspace(team_id)).command("/event", "list")


def test_no_token_is_stored_or_logged_in_plaintext(deployment, slack, database, caplog):
    caplog.set_level(logging.INFO)
    token = install(deployment, TEAM_A)
    deployment.workspace(TEAM_A).command("/event", "new")
    deployment.workspace(TEAM_A).opened_view()
    assert tokens_used(slack, "views.open") == {token}  # decrypted for Slack, and only for Slack
    tokens = stored_tokens(database)
    assert len(tokens) == 2 and all(Fernet(TOKEN_KEY).decrypt(t.encode()).decode() == token for t in tokens)
    assert token not in everything_stored(database)
    assert token not in caplog.text and all(t not in caplog.text for t in tokens)


def test_after_a_key_rotation_the_bot_still_works_and_its_tokens_move_to_the_new_key(
    deployment, slack, database, clock
):
    token = install(deployment, TEAM_A)

    def restarted_with(keys: str) -> list[str | None]:
        """The tokens a process started with these keys authorized the workspace's command with."""
        before = len(slack.calls_of("auth.test"))
        env = {**install_env(slack, database.url), "TOKEN_ENCRYPTION_KEY": keys}
        assert served_with(env, slack, database, clock, TEAM_A).status == 200
        assert not any(not_installed() == r.get("text") for r in slack.calls_to("response_url"))
        return [call.token for call in slack.calls_of("auth.test")[before:]]

    assert restarted_with(f"{NEW_KEY},{TOKEN_KEY}") == [token]  # the new key first, the old one after it
    tokens = stored_tokens(database)
    assert len(tokens) == 2 and all(Fernet(NEW_KEY).decrypt(t.encode()).decode() == token for t in tokens)
    with pytest.raises(InvalidToken):
        Fernet(TOKEN_KEY).decrypt(tokens[0].encode())
    assert restarted_with(NEW_KEY) == [token]  # re-encrypted at that start: the old key can go
    assert token not in everything_stored(database)


def test_a_token_under_a_key_no_longer_given_is_not_installed_and_said_in_the_log(
    deployment, slack, database, clock, caplog
):
    install(deployment, TEAM_A)
    env = {**install_env(slack, database.url), "TOKEN_ENCRYPTION_KEY": NEW_KEY}  # the old key dropped before a rotation
    assert served_with(env, slack, database, clock, TEAM_A).status == 200
    assert told_not_installed(slack)
    assert "a stored workspace token opens with none of the TOKEN_ENCRYPTION_KEY keys" in caplog.text


def test_tokens_stored_in_plaintext_before_are_encrypted_at_start(slack, database):
    """Rows slack_sdk's own store wrote (before encryption); a rotating token's 200 characters
    fit once encrypted (356)."""
    refresh_token = "xoxe-1-" + "x" * 193
    plain_store = SQLAlchemyInstallationStore(
        client_id=CLIENT_ID,
        engine=database.engine,
        installations_table_name="slack_installations",
        bots_table_name="slack_bots",
    )
    plain_store.save(
        Installation(
            app_id="A0TEST",
            team_id=TEAM_A,
            user_id="U1",
            bot_token="xoxb-plain-1",
            bot_refresh_token=refresh_token,
            bot_id="B1",
            bot_user_id="UBOT",
        )
    )
    assert "xoxb-plain-1" in stored_tokens(database)

    services = make_services(load_settings(install_env(slack, database.url)), database)
    assert "xoxb-plain-1" not in everything_stored(database) and refresh_token not in everything_stored(database)
    bot = services.installations.find_bot(enterprise_id=None, team_id=TEAM_A)
    assert (bot.bot_token, bot.bot_refresh_token) == ("xoxb-plain-1", refresh_token)
    assert services.installations.encrypt_at_rest() == 0  # done once


# --- uninstall and revocation ---------------------------------------------------------------


def test_after_an_uninstall_nothing_more_is_sent_and_the_data_goes_after_the_grace_period(
    deployment, slack, database, clock
):
    token_a, token_b = install(deployment, TEAM_A), install(deployment, TEAM_B)
    a, b = deployment.workspace(TEAM_A), deployment.workspace(TEAM_B)
    register(a, {**FUTURE, "Title": "Modesto canvass"}, channel="CA1")
    register(b, {**FUTURE, "Title": "Denver vigil"}, channel="CB1")
    announced(database, 1)
    announced(database, 2)
    a.command("/digest", "subscribe 08:00", channel="CA1")

    assert a.event("app_uninstalled", {}).status == 200
    assert a.event("tokens_revoked", {"tokens": {"bot": ["UBOT"]}}).status == 200
    assert a.event("app_uninstalled", {}, retry_attempt=1, retry_reason="http_timeout").status == 200  # Slack retrying
    slack.revoke(token_a)  # what an uninstall does to the token on Slack's side
    wait_until(lambda: statuses(deployment) == {TEAM_A: "uninstalled", TEAM_B: "active"})
    assert deployment.services.installations.find_installation(enterprise_id=None, team_id=TEAM_A) is None
    a.command("/event", "list")
    assert told_not_installed(slack)  # requests are no longer served
    posts_before = len(slack.calls_to("chat.postMessage"))

    clock.set(REMINDERS_DUE)
    deployment.tick()
    assert tokens_used(slack, "chat.postMessage") == {token_a, token_b}  # A's only from before
    assert [c.args["channel"] for c in slack.calls_of("chat.postMessage")[posts_before:]] == ["CB1", "CB1"]
    [standing_a, _] = workspaces.report(deployment.services)
    assert standing_a.workspace.status == WorkspaceStatus.UNINSTALLED.value
    assert standing_a.workspace.purge_after == UNINSTALLED_AT + timedelta(days=30)  # UNINSTALL_GRACE_DAYS' default

    clock.set(standing_a.workspace.purge_after - timedelta(minutes=1))
    assert workspaces.purge_expired(deployment.services) == []
    clock.set(standing_a.workspace.purge_after)
    assert workspaces.purge_expired(deployment.services) == [TEAM_A]
    with database.read() as session:
        assert [(e.team_id, e.title) for e in session.scalars(select(Event))] == [(TEAM_B, "Denver vigil")]
        assert {r.team_id for r in outbox_rows(database)} == {TEAM_B}
    assert [s.workspace.team_id for s in workspaces.report(deployment.services)] == [TEAM_B]
    assert "Denver vigil" in b.command("/event", "show 2", user="U1").text  # B keeps everything


def test_a_revoked_token_holds_the_workspace_posts_until_it_is_reinstalled(deployment, slack, database, clock):
    token_a, token_b = install(deployment, TEAM_A), install(deployment, TEAM_B)
    a = deployment.workspace(TEAM_A)
    register(a, {**FUTURE, "Title": "Modesto canvass"}, channel="CA1")
    announced(database, 1)
    register(deployment.workspace(TEAM_B), {**FUTURE, "Title": "Denver vigil"}, channel="CB1")
    announced(database, 2)
    slack.revoke(token_a)  # an admin revoked it; Slack has not told the app (yet)

    clock.set(REMINDERS_DUE)
    deployment.tick()
    refused = [c for c in slack.calls_of("chat.postMessage") if c.token == token_a and c.error]
    assert [c.error for c in refused] == ["token_revoked"]  # tried once, then held with the rest
    held = [r for r in outbox_rows(database) if r.team_id == TEAM_A and r.status == OutboxStatus.HELD.value]
    assert len(held) == 2 and {r.last_error for r in held} <= {"token_revoked", "workspace_not_installed"}
    assert len([c for c in slack.calls_of("chat.postMessage") if c.token == token_b and c.args.get("thread_ts")]) == 2
    [standing_a, _] = workspaces.report(deployment.services)
    assert (standing_a.workspace.status, standing_a.workspace.problem, standing_a.held) == (
        "revoked",
        "token_revoked",
        2,
    )

    clock.advance(hours=2)
    deployment.tick()  # not retried: nothing more goes to Slack with the dead token
    assert len([c for c in slack.calls_of("chat.postMessage") if c.token == token_a]) == 2

    clock.set(REMINDERS_DUE + timedelta(minutes=10))
    new_token = install(deployment, TEAM_A)  # reinstalled: what was held goes out, with the new token
    wait_until(lambda: all(r.status == OutboxStatus.SENT.value for r in outbox_rows(database) if r.team_id == TEAM_A))
    assert len([c for c in slack.calls_of("chat.postMessage") if c.token == new_token and c.args.get("thread_ts")]) == 2
    assert workspaces.report(deployment.services)[0].workspace.status == "active"


# --- Enterprise Grid --------------------------------------------------------------------------


def test_an_org_wide_install_serves_every_workspace_of_the_organization(deployment, slack, database, clock):
    org_token = install(
        deployment, "T0ORGINST", enterprise_id="E0COALITION", enterprise_name="Coalition", is_enterprise_install=True
    )
    stored = deployment.services.installations.find_installation(
        enterprise_id="E0COALITION", team_id=None, is_enterprise_install=True
    )
    assert stored.bot_token == org_token and stored.team_id is None and stored.is_enterprise_install
    east = deployment.workspace("T0EAST", enterprise_id="E0COALITION", org_install=True)
    west = deployment.workspace("T0WEST", enterprise_id="E0COALITION", org_install=True)
    register(east, {**FUTURE, "Title": "Boston vigil"}, channel="CEAST")
    register(west, {**FUTURE, "Title": "Fresno rally"}, channel="CWEST")
    announced(database, 1)
    announced(database, 2)
    assert tokens_used(slack, "chat.postMessage") == {org_token}
    assert "Fresno rally" not in east.command("/event", "list").text  # each workspace's events are its own
    with database.read() as session:
        assert {e.team_id for e in session.scalars(select(Event))} == {"T0EAST", "T0WEST"}

    assert east.event("app_uninstalled", {}).status == 200  # the organization removes the app
    wait_until(lambda: statuses(deployment) == {"T0EAST": "uninstalled", "T0WEST": "uninstalled"})
    assert (
        deployment.services.installations.find_installation(
            enterprise_id="E0COALITION", team_id=None, is_enterprise_install=True
        )
        is None
    )
    posts = len(slack.calls_to("chat.postMessage"))
    clock.set(REMINDERS_DUE)
    deployment.tick()
    assert len(slack.calls_to("chat.postMessage")) == posts


# --- Slack Connect ------------------------------------------------------------------------------


def test_a_guest_from_another_workspace_rsvps_in_a_shared_channel_and_is_reminded(deployment, slack, database, clock):
    token_a = install(deployment, TEAM_A)
    slack.add_user("U1", team_id=TEAM_A, tz="America/Chicago")
    slack.add_user("UGUEST", team_id=TEAM_B, tz="America/Denver", is_admin=True)  # an admin, of the other organization
    a = deployment.workspace(TEAM_A)
    register(a, {**FUTURE, "Title": "Modesto canvass"}, channel="CSHARED")
    announced(database, 1)
    card = slack.history("CSHARED")[0]

    # Slack sends the click to the install that posted the card (team), naming the guest's own workspace (user.team_id).
    a.click(card, "event_rsvp", user="UGUEST", channel="CSHARED", user_team=TEAM_B)
    [confirmation] = slack.wait_for("response_url")
    assert "You're going" in confirmation["text"]
    wait_until(lambda: "*1* going" in visible_text(slack.history("CSHARED")[0]))
    assert tokens_used(slack, "chat.update") == {token_a}
    with database.read() as session:
        assert [e.team_id for e in session.scalars(select(Event))] == [
            TEAM_A
        ]  # the event stays its creator's workspace's

    a.click(card, "event_cancel", user="UGUEST", channel="CSHARED", user_team=TEAM_B)
    [_, refusal] = slack.wait_for("response_url", 2)
    assert "Only" in refusal["text"]  # another organization's admin is no admin here
    assert "Cancelled" not in visible_text(slack.history("CSHARED")[0])

    clock.set(REMINDERS_DUE)
    deployment.tick()
    dms = [c for c in slack.calls_of("chat.postMessage") if c.args["channel"] == "UGUEST"]
    assert len(dms) == 2 and {c.token for c in dms} == {token_a}
    assert "Modesto canvass" in visible_text(dms[0].args)
