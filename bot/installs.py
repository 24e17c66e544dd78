"""Multi-workspace install: Bolt's OAuth flow, keeping installations and OAuth states with
slack_sdk's SQLAlchemy stores in the bot's own database, on its own engine.

The stores' tables are created by migration 0010 (never by their `create_tables`), under the
names below. The install's pages speak the visitor's language (their browser's Accept-Language). This module is imported only when SLACK_CLIENT_ID is set: the stores import
sqlalchemy.ext.asyncio (and so greenlet), which single-workspace processes need not load.

Tokens are encrypted at rest (Fernet, with TOKEN_ENCRYPTION_KEY): the installation store is
slack_sdk's, its token columns typed to encrypt what is written and decrypt what is read, so
every one of its queries is unchanged. A database dump or backup holds no usable token.
"""

from __future__ import annotations

import base64
import contextvars
import hashlib
import logging
from collections.abc import Sequence
from urllib.parse import urljoin, urlsplit

import sqlalchemy
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth import OAuthFlow
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.oauth import RedirectUriPageRenderer
from slack_sdk.oauth.installation_store import Bot
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy.exc import SQLAlchemyError

from bot.manifest import BOT_SCOPES
from bot.server import INSTALL_PATHS
from bot.settings import Settings
from messages import install as install_text
from messages.i18n import DEFAULT_LANGUAGE, best_accepted, speaking
from services import Services, workspaces
from storage import Database

INSTALLATIONS_TABLE = "slack_installations"
BOTS_TABLE = "slack_bots"
STATES_TABLE = "slack_oauth_states"
TABLES = (INSTALLATIONS_TABLE, BOTS_TABLE, STATES_TABLE)
INSTALL_PATH, REDIRECT_PATH = INSTALL_PATHS
# How long the "Add to Slack" link stays good (Bolt's default).
STATE_SECONDS = 600

log = logging.getLogger(__name__)


# The credentials among the stores' columns (the app asks for no incoming webhook).
TOKEN_COLUMNS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")
# slack_sdk's token columns hold 200 characters; a Fernet token of 200 is 356 (migration 0016).
ENCRYPTED_TOKEN_LENGTH = 400
SLACK_TOKEN_PREFIX = "xox"  # every Slack token's; a Fernet token starts "gAAAAA"


def installation_store(settings: Settings, db: Database) -> EncryptedInstallationStore:
    """The store, once what it holds in plaintext or under a retired key is encrypted with the
    first key (a no-op once done: each process does it as it starts)."""
    assert settings.install is not None
    store = EncryptedInstallationStore(
        settings.install.token_keys,
        client_id=settings.install.client_id,
        engine=db.engine,
        installations_table_name=INSTALLATIONS_TABLE,
        bots_table_name=BOTS_TABLE,
    )
    try:
        if encrypted := store.encrypt_at_rest():
            log.info("encrypted %d stored workspace tokens with the first TOKEN_ENCRYPTION_KEY", encrypted)
    except SQLAlchemyError as error:  # not migrated yet, or the database away: the next start does it
        log.warning("could not encrypt the stored workspace tokens now: %s", type(error).__name__)
    return store


class EncryptedToken(sqlalchemy.types.TypeDecorator):
    """A token column as slack_sdk declares it, holding the token's Fernet encryption."""

    impl = sqlalchemy.String(ENCRYPTED_TOKEN_LENGTH)
    cache_ok = True  # its keys are compared by identity: one set per store

    def __init__(self, keys: MultiFernet) -> None:
        super().__init__()
        self.keys = keys

    def process_bind_param(self, value: str | None, dialect) -> str | None:
        return None if value is None else self.keys.encrypt(value.encode()).decode()

    def process_result_value(self, value: str | None, dialect) -> str | None:
        if value is None or value.startswith(
            SLACK_TOKEN_PREFIX
        ):  # a row saved before encryption, until encrypt_at_rest
            return value
        try:
            return self.keys.decrypt(value.encode()).decode()
        except InvalidToken:
            # Not under any key given (one removed before the rotation reached this row): the
            # workspace is answered as not installed until it installs again.
            log.warning("a stored workspace token opens with none of the TOKEN_ENCRYPTION_KEY keys")
            return None


class EncryptedInstallationStore(SQLAlchemyInstallationStore):
    """slack_sdk's SQLAlchemy installation store, its tokens encrypted with the first of `keys`
    and decrypted with any of them."""

    def __init__(self, keys: Sequence[str], **store: object) -> None:
        self._keys = [Fernet(key) for key in keys]
        self._token_type = EncryptedToken(MultiFernet(self._keys))
        super().__init__(**store)

    # slack_sdk calls these on the instance; ours type the token columns.
    def build_installations_table(self, metadata: sqlalchemy.MetaData, table_name: str) -> sqlalchemy.Table:
        return self._encrypting(super().build_installations_table(metadata, table_name))

    def build_bots_table(self, metadata: sqlalchemy.MetaData, table_name: str) -> sqlalchemy.Table:
        return self._encrypting(super().build_bots_table(metadata, table_name))

    def _encrypting(self, table: sqlalchemy.Table) -> sqlalchemy.Table:
        for name in TOKEN_COLUMNS:
            if name in table.c:
                table.c[name].type = self._token_type
        return table

    def find_bot(self, **where: object) -> Bot | None:
        try:
            return super().find_bot(**where)
        except SQLAlchemyError as error:  # Bolt's authorize swallows it: _AuthorizeOrRaise raises it again
            _store_failure.set(error)
            raise

    def encrypt_at_rest(self) -> int:
        """Encrypt with the first key every stored token that is not: those saved in plaintext
        (before encryption) and, after a rotation, those under an older key. Returns how many.
        Each row is written only if unchanged since read (another process may do the same)."""
        count = 0
        with self.engine.begin() as connection:
            sqlite = connection.dialect.name == "sqlite"
            if sqlite:  # the replaced values' bytes are zeroed, not left in the file's free space
                connection.exec_driver_sql("PRAGMA secure_delete = ON")
            for table in (self.installations, self.bots):
                count += self._encrypt_table(connection, table)
            if sqlite:
                connection.exec_driver_sql("PRAGMA secure_delete = OFF")
        if (
            sqlite and count
        ):  # and out of the write-ahead log (outside any transaction): the files hold only what is current
            raw = self.engine.raw_connection()
            try:
                raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                raw.close()
        return count

    def _encrypt_table(self, connection: sqlalchemy.Connection, table: sqlalchemy.Table) -> int:
        first, every = self._keys[0], MultiFernet(self._keys)
        raw = sqlalchemy.table(
            table.name, *(sqlalchemy.column(name) for name in ("id", *TOKEN_COLUMNS) if name in table.c)
        )
        count = 0
        for row in connection.execute(sqlalchemy.select(raw)).mappings():
            for name, value in row.items():
                if name == "id" or value is None or _opens_with(first, value):
                    continue
                try:
                    encrypted = (
                        first.encrypt(value.encode())
                        if value.startswith(SLACK_TOKEN_PREFIX)
                        else every.rotate(value.encode())
                    ).decode()
                except InvalidToken:
                    continue  # under no key given: the reader warns of it
                updated = connection.execute(
                    raw.update().where(raw.c.id == row["id"], raw.c[name] == value).values({name: encrypted})
                )
                count += updated.rowcount
        return count


# The database error of this thread's last find_bot, for _AuthorizeOrRaise.
_store_failure: contextvars.ContextVar[SQLAlchemyError | None] = contextvars.ContextVar("store_failure", default=None)


class _AuthorizeOrRaise(InstallationStoreAuthorize):
    """Bolt's authorization by the stored installation, except that a database that fails is
    raised (for the global error handler: the bot cannot save right now) where Bolt would log
    it at INFO and tell the person the bot is not installed."""

    def __call__(self, **kwargs) -> AuthorizeResult | None:
        _store_failure.set(None)
        result = super().__call__(**kwargs)
        if result is None and (error := _store_failure.get()) is not None:
            raise error
        return result


def _opens_with(key: Fernet, value: str) -> bool:
    try:
        key.decrypt(value.encode())
    except InvalidToken:
        return False
    return True


def state_store(db: Database) -> SQLAlchemyOAuthStateStore:
    return SQLAlchemyOAuthStateStore(expiration_seconds=STATE_SECONDS, engine=db.engine, table_name=STATES_TABLE)


def oauth_flow(settings: Settings, services: Services) -> OAuthFlow:
    """Bolt's install flow, its pages in the visitor's language, and the authorization of every
    request by its workspace's token."""
    oauth = oauth_settings(settings, services)
    oauth.redirect_uri_page_renderer = _PagesInTheirLanguage(
        install_path=oauth.install_path, redirect_uri_path=oauth.redirect_uri_path
    )
    return _FlowInTheirLanguage(settings=oauth, logger=log)


class _FlowInTheirLanguage(OAuthFlow):
    def handle_installation(self, request: BoltRequest) -> BoltResponse:
        with speaking(visitor_language(request)):
            return _hardened(super().handle_installation(request))

    def handle_callback(self, request: BoltRequest) -> BoltResponse:
        with speaking(visitor_language(request)):
            return _hardened(super().handle_callback(request))

    def build_install_page_html(self, url: str, request: BoltRequest) -> str:
        return install_text.install_page(url)


class _PagesInTheirLanguage(RedirectUriPageRenderer):
    """The pages after Slack's authorize step."""

    def render_success_page(
        self,
        app_id: str,
        team_id: str | None,
        is_enterprise_install: bool | None = None,
        enterprise_url: str | None = None,
    ) -> str:
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


def _hardened(response: BoltResponse) -> BoltResponse:
    """The public site's security headers (web.responses), for the install pages: their one inline
    style (by its hash) and Slack's "Add to Slack" button image besides."""
    from web.responses import security_headers  # Flask's: once an install page is asked for

    style = base64.b64encode(hashlib.sha256(install_text.STYLE.encode()).digest()).decode()
    button = urlsplit(install_text.SLACK_BUTTON)
    for name, value in security_headers(
        images=f"{button.scheme}://{button.netloc}", styles=f"'sha256-{style}'"
    ).items():
        response.headers.setdefault(name.lower(), [value])
    return response


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
        workspaces.installed(
            services,
            team_id=installation.team_id,
            enterprise_id=installation.enterprise_id,
            org_install=bool(installation.is_enterprise_install),
        )
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
    oauth.authorize = _AuthorizeOrRaise(
        logger=log,
        client_id=oauth.client_id,
        client_secret=oauth.client_secret,
        installation_store=oauth.installation_store,
        cache_enabled=True,
        bot_only=True,
    )
    return oauth
