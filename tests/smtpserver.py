"""A real SMTP server on loopback (aiosmtpd), keeping what it is sent, and failing on request as
mail servers do: a 4xx or a 5xx reply to the message, a recipient refused, or the connection
dropped after DATA (the message taken, the answer never sent)."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
from collections import deque
from email.message import EmailMessage

from aiosmtpd.controller import Controller

DROP = "drop"  # take the message, then close the connection before answering


class _Keeper:
    def __init__(self) -> None:
        self.received: list[EmailMessage] = []
        self.faults: deque[str] = deque()  # for the next messages, in order: a reply, or DROP
        self.refused: dict[str, str] = {}  # address -> the RCPT reply refusing it
        self.lock = threading.Condition()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return self.refused[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            fault = self.faults.popleft() if self.faults else None
            if fault is None or fault == DROP:
                self.received.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
                self.lock.notify_all()
        if fault == DROP:
            server.transport.close()
            return "250 OK"  # never reaches the client
        return fault or "250 OK"


class SmtpServer:
    """`options` go to aiosmtpd's SMTP (tls_context and require_starttls for STARTTLS,
    authenticator); `ssl_context` makes it speak TLS from the first byte (smtps)."""

    def __init__(self, *, ssl_context=None, **options) -> None:
        self._keeper = _Keeper()
        # aiosmtpd's Controller connects to its own port once started: it needs a real one, not 0.
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._controller = Controller(
            self._keeper,
            hostname="127.0.0.1",
            port=self.port,
            ssl_context=ssl_context,
            server_hostname="localhost" if ssl_context else None,
            **options,
        )

    def __enter__(self) -> SmtpServer:
        self._controller.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._controller.stop()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def received(self) -> list[EmailMessage]:
        with self._keeper.lock:
            return list(self._keeper.received)

    def fail_next(self, *faults: str) -> None:
        """The next messages get these answers ("451 4.3.0 Try later", "554 5.3.0 No", DROP), in order."""
        with self._keeper.lock:
            self._keeper.faults.extend(faults)

    def refuse(self, address: str, reply: str = "550 5.1.1 No such user") -> None:
        self._keeper.refused[address] = reply

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        with self._keeper.lock:
            while len(self._keeper.received) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{len(self._keeper.received)} emails received, not {count}")
                self._keeper.lock.wait(left)
            return list(self._keeper.received)
