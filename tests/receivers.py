"""Real receivers on 127.0.0.1 for `statusgen notify`: webhook servers that answer as told,
and an SMTP server (aiosmtpd) that keeps what it is sent."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def event(self) -> str:
        return self.headers["X-Statusgen-Event"]


# What the receiver answers to its n-th request (1-based): a status and extra headers, or
# None to never answer (the connection stays open until the client gives up).
Behaviour = Callable[[int], tuple[int, dict[str, str]] | None]


def always_ok(_: int) -> tuple[int, dict[str, str]]:
    return 200, {}


def fails_first(times: int, status: int = 503, retry_after: str = "1") -> Behaviour:
    """Fails `times` requests (asking to come back after `retry_after` seconds), then recovers."""

    def answer(n: int) -> tuple[int, dict[str, str]]:
        return (status, {"Retry-After": retry_after}) if n <= times else (200, {})

    return answer


def never_answers(_: int) -> None:
    return None


@dataclass
class Receiver:
    url: str = ""
    received: list[Received] = field(default_factory=list)  # answered with 2xx, in order
    attempts: list[Received] = field(default_factory=list)  # every request, in order
    release: threading.Event = field(default_factory=threading.Event)

    @property
    def events(self) -> list[str]:
        return [r.event for r in self.received]


@contextmanager
def webhook_receiver(behaviour: Behaviour = always_ok) -> Iterator[Receiver]:
    receiver = Receiver()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            request = Received(self.path, dict(self.headers.items()), body)
            with lock:
                receiver.attempts.append(request)
                answer = behaviour(len(receiver.attempts))
            if answer is None:
                receiver.release.wait(30)  # hold the connection: the client times out
                return
            status, headers = answer
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")
            if 200 <= status < 300:
                with lock:
                    receiver.received.append(request)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_port}/hook/s3cr3t-path-token"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        receiver.release.set()
        server.shutdown()
        server.server_close()


@dataclass
class Mailbox:
    host: str = "127.0.0.1"
    port: int = 0
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)  # (from, to)
    logins: list[str] = field(default_factory=list)

    @property
    def events(self) -> list[str]:
        return [str(m["X-Statusgen-Event"]) for m in self.messages]


class _Handler:
    def __init__(self, box: Mailbox) -> None:
        self.box = box

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.box.messages.append(parsed)
        self.box.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def smtp_server(user: str | None = None, password: str | None = None) -> Iterator[Mailbox]:
    """aiosmtpd on a free port; with `user`, it requires that login (over loopback, no TLS)."""
    box = Mailbox(port=_free_port())

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, auth: Any) -> Any:
        ok = isinstance(auth, LoginPassword) and (auth.login.decode(), auth.password.decode()) == (
            user,
            password,
        )
        if ok:
            box.logins.append(auth.login.decode())
        return AuthResult(success=ok)

    extra: dict[str, Any] = (
        {"authenticator": authenticate, "auth_required": True, "auth_require_tls": False}
        if user
        else {}
    )
    controller = Controller(_Handler(box), hostname=box.host, port=box.port, **extra)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


def wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.02)
