"""Multi-workspace install: Bolt's OAuth flow, keeping installations and OAuth states with
slack_sdk's SQLAlchemy stores in the bot's own database, on its own engine.

The stores' tables are created by migration 0010 (never by their `create_tables`), under the
names below. The install's pages speak the visitor's language (their browser's Accept-Language). This module is imported only when SLACK_CLIENT_ID is set: the stores import
sqlalchemy.ext.asyncio (and so greenlet), which single-workspace processes need not load.
"""

from __future__ import annotations

import logging
from urllib.parse import urljoin

from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth import OAuthFlow
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.oauth import RedirectUriPageRenderer
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from bot.manifest import BOT_SCOPES
from bot.server import INSTALL_PATHS
from bot.settings import Settings
from messages import install as install_text
from messages.i18n import DEFAULT_LANGUAGE, best_accepted, speaking
from services import Services
from services import workspaces
from storage import Database

INSTALLATIONS_TABLE = "slack_installations"
BOTS_TABLE = "slack_bots"
STATES_TABLE = "slack_oauth_states"
TABLES = (INSTALLATIONS_TABLE, BOTS_TABLE, STATES_TABLE)
INSTALL_PATH, REDIRECT_PATH = INSTALL_PATHS
# How long the "Add to Slack" link stays good (Bolt's default).
STATE_SECONDS = 600

log = logging.getLogger(__name__)


def installation_store(settings: Settings, db: Database) -> SQLAlchemyInstallationStore:
    assert settings.install is not None
    return SQLAlchemyInstallationStore(
        client_id=settings.install.client_id, engine=db.engine,
        installations_table_name=INSTALLATIONS_TABLE, bots_table_name=BOTS_TABLE,
    )


def state_store(db: Database) -> SQLAlchemyOAuthStateStore:
    return SQLAlchemyOAuthStateStore(expiration_seconds=STATE_SECONDS, engine=db.engine, table_name=STATES_TABLE)


def oauth_flow(settings: Settings, services: Services) -> OAuthFlow:
    """Bolt's install flow, its pages in the visitor's language, and the authorization of every
    request by its workspace's token."""
    oauth = oauth_settings(settings, services)
    oauth.redirect_uri_page_renderer = _PagesInTheirLanguage(install_path=oauth.install_path,
                                                             redirect_uri_path=oauth.redirect_uri_path)
    return _FlowInTheirLanguage(settings=oauth, logger=log)


class _FlowInTheirLanguage(OAuthFlow):
    def handle_installation(self, request: BoltRequest) -> BoltResponse:
        with speaking(visitor_language(request)):
            return super().handle_installation(request)

    def handle_callback(self, request: BoltRequest) -> BoltResponse:
        with speaking(visitor_language(request)):
            return super().handle_callback(request)

    def build_install_page_html(self, url: str, request: BoltRequest) -> str:
        return install_text.install_page(url)


class _PagesInTheirLanguage(RedirectUriPageRenderer):
    """The pages after Slack's authorize step."""

    def render_success_page(self, app_id: str, team_id: str | None, is_enterprise_install: bool | None = None,
                            enterprise_url: str | None = None) -> str:
        # Where slack_sdk's own page sends them: the app in their workspace, or their organization's app settings.
        if is_enterprise_install and enterprise_url and app_id:
            url = f"{enterprise_url}manage/organization/apps/profile/{app_id}/workspaces/add"
        elif team_id and app_id:
            url = f"slack://app?team={team_id}&id={app_id}"
        else:
            url = "slack://open"
        return install_text.installed_page(url)

    def render_failure_page(self, reason: str) -> str:
        return install_text.install_failed_page(self.install_path, reason)


def visitor_language(request: BoltRequest) -> str:
    """The best of our languages for the browser's Accept-Language (werkzeug parses the header)."""
    from werkzeug.http import parse_accept_header

    header = next(iter(request.headers.get("accept-language") or ()), "")
    return best_accepted(parse_accept_header(header)) or DEFAULT_LANGUAGE


def oauth_settings(settings: Settings, services: Services) -> OAuthSettings:
    """The install flow's settings and the authorization of every request by its workspace's token."""
    assert settings.install is not None and services.installations is not None

    def installed(args: SuccessArgs) -> BoltResponse:
        installation = args.installation
        workspaces.installed(services, team_id=installation.team_id, enterprise_id=installation.enterprise_id,
                             org_install=bool(installation.is_enterprise_install))
        log.info("installed in %s", installation.team_id or f"the organization {installation.enterprise_id}")
        return args.default.success(args)

    def failed(args: FailureArgs) -> BoltResponse:
        log.warning("an install did not complete: %s", args.reason)
        return args.default.failure(args)

    oauth = OAuthSettings(
        client_id=settings.install.client_id,
        client_secret=settings.install.client_secret,
        scopes=BOT_SCOPES,
        user_scopes=[],
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        # Slack's authorize page beside its Web API (GovSlack has its own; the tests, a fake).
        authorization_url=urljoin(settings.slack_api_url, "/oauth/v2/authorize"),
        installation_store=services.installations,
        installation_store_bot_only=True,
        state_store=state_store(services.db),
        state_expiration_seconds=STATE_SECONDS,
        callback_options=CallbackOptions(success=installed, failure=failed),
    )
    # Bolt's own authorize asks Slack (auth.test) at every request before the listener runs;
    # remembered per token, that call is made once. A revoked token's installation is deleted
    # (services.workspaces), so it is never found again. The app has no user tokens: the bot's
    # row is all a request needs (one query, where find_installation makes two for anyone but
    # the installer).
    oauth.authorize = InstallationStoreAuthorize(
        logger=log, client_id=oauth.client_id, client_secret=oauth.client_secret,
        installation_store=oauth.installation_store, cache_enabled=True, bot_only=True,
    )
    return oauth
