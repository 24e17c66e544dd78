"""Sending through SMTP servers that ask for TLS and a login, as providers do: STARTTLS on
submission (smtp://, 587) and TLS from the start (smtps://, 465), against aiosmtpd on loopback
with a certificate made for the test."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from email.message import EmailMessage

import pytest
from aiosmtpd.smtp import AuthResult

from messages.links import PublicLinks
from services.mailer import Mailer, classify
from services.slackapi import FailureKind
from smtpserver import SmtpServer

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl to make the test's certificate")
USER, PASSWORD = "events@example.org", "p@ss:word"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def server_context(certificate) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*map(str, certificate))
    return context


def client_context(certificate) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(certificate[0]))


def only_our_login(server, session, envelope, mechanism, auth_data):
    return AuthResult(success=auth_data.login.decode() == USER and auth_data.password.decode() == PASSWORD)


def message() -> EmailMessage:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"], mail["Message-ID"] = (
        USER,
        "ana@example.org",
        "Hello",
        "<test.1@example.org>",
    )
    mail.set_content("Hello")
    return mail


def mailer(server: SmtpServer, certificate, *, tls: bool, password: str = PASSWORD) -> Mailer:
    return Mailer(
        host="127.0.0.1",
        port=server.port,
        sender=USER,
        links=PublicLinks("https://events.example.org"),
        tls=tls,
        username=USER,
        password=password,
        context=client_context(certificate),
        timeout=5,
    )


def test_starttls_then_login_on_submission(certificate):
    with SmtpServer(
        tls_context=server_context(certificate), require_starttls=True, auth_required=True, authenticator=only_our_login
    ) as server:
        mailer(server, certificate, tls=False).send(message())
        [received] = server.wait_for(1)
        assert received["Message-ID"] == "<test.1@example.org>"
        with pytest.raises(Exception) as refused:  # a 535, then aiosmtpd hangs up
            mailer(server, certificate, tls=False, password="wrong").send(message())
        assert classify(refused.value).kind is not FailureKind.PERMANENT and len(server.received) == 1


def test_tls_from_the_first_byte(certificate):
    with SmtpServer(
        ssl_context=server_context(certificate),
        auth_required=True,
        auth_require_tls=False,
        authenticator=only_our_login,
    ) as server:
        mailer(server, certificate, tls=True).send(message())
        assert server.wait_for(1)[0]["Subject"] == "Hello"


def test_a_server_whose_certificate_is_not_trusted_gets_nothing(certificate):
    with SmtpServer(tls_context=server_context(certificate), require_starttls=True) as server:
        untrusted = Mailer(
            host="127.0.0.1", port=server.port, sender=USER, links=PublicLinks("https://e.example.org"), timeout=5
        )
        with pytest.raises(ssl.SSLError) as failed:
            untrusted.send(message())
        assert classify(failed.value).kind is FailureKind.UNCERTAIN and server.received == []
