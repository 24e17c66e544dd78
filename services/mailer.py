"""Sending email over SMTP with the standard library (smtplib), as the outbox's worker does.

A message is sent on a connection of its own: STARTTLS when the server offers it (smtp://),
TLS from the start (smtps://), then login when a user is given. Failures are classified as
the outbox's: a 4xx reply is transient (retried with backoff); a 5xx reply refusing the
recipient is permanent (that address will not take it: recorded, not retried), any other 5xx
is about the server or our account, not the person, so it is retried too (until the outbox
gives up, recorded where it can be seen); a connection lost or timed out may have lost the
server's answer after DATA, so it is uncertain: retried with the same Message-ID (SMTP has no
way to look), which receivers use to drop the repeat.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import parseaddr
from functools import lru_cache

from messages.links import PublicLinks
from services.slackapi import Failure, FailureKind

TIMEOUT = 30.0  # seconds per SMTP command


@dataclass(frozen=True)
class Mailer:
    host: str
    port: int
    sender: str  # EMAIL_FROM
    links: PublicLinks  # where the links in emails point (PUBLIC_BASE_URL)
    tls: bool = False
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = TIMEOUT
    context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)  # None: the system's trust store

    @property
    def domain(self) -> str:
        """The sender's domain, the right side of every Message-ID we make."""
        return parseaddr(self.sender)[1].rpartition("@")[2] or "localhost"

    def message_id(self, key: str) -> str:
        """The Message-ID of an outbox row's email: the same for every attempt at it."""
        return f"<{key.replace(':', '.')}@{self.domain}>"

    def send(self, message: EmailMessage) -> None:
        if self.tls:
            connection = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=self._tls())
        else:
            connection = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        with connection as smtp:
            smtp.ehlo()
            if not self.tls and smtp.has_extn("starttls"):
                smtp.starttls(context=self._tls())
                smtp.ehlo()
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(message)

    def _tls(self) -> ssl.SSLContext:
        return self.context or _system_trust()


@lru_cache(maxsize=1)
def _system_trust() -> ssl.SSLContext:
    """The system's trust store, loaded once: loading it costs more than sending a message."""
    return ssl.create_default_context()


def classify(error: Exception) -> Failure:
    """An SMTP failure as the outbox records it (codes, never an address: they are logged)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code = min((code for code, _reply in error.recipients.values()), default=550)
        return Failure(f"smtp_{code}", FailureKind.TRANSIENT if code < 500 else FailureKind.PERMANENT)
    if isinstance(error, smtplib.SMTPResponseException):
        return Failure(f"smtp_{error.smtp_code}", FailureKind.TRANSIENT)
    if isinstance(error, ConnectionRefusedError):  # nothing was sent
        return Failure("smtp_connection_refused", FailureKind.TRANSIENT)
    if isinstance(error, (smtplib.SMTPServerDisconnected, OSError)):
        return Failure(f"smtp_{type(error).__name__}", FailureKind.UNCERTAIN)
    return Failure(f"smtp_{type(error).__name__}", FailureKind.TRANSIENT)
