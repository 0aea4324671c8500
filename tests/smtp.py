"""A real SMTP server for tests (aiosmtpd on a free loopback port) that keeps what it receives."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from typing import Any


class Mailbox:
    """An aiosmtpd handler that refuses the first ``busy`` messages with 451, then keeps the rest."""

    def __init__(self, busy: int = 0) -> None:
        self.busy = busy
        self.messages: list[Any] = []

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
        if self.busy:
            self.busy -= 1
            return "451 Requested action aborted: try again later"
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server(busy: int = 0) -> Iterator[tuple[Mailbox, int]]:
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:  # a free port: aiosmtpd checks its server by connecting to the port given
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    box = Mailbox(busy)
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()
