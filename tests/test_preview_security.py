"""The preview serves unpublished drafts: it answers only to its own address, refuses pages of
other sites, and a client that holds connections open cannot take it down."""

from __future__ import annotations

import http.client
import select
import socket
import textwrap
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import MINIMAL_SITE, OPEN_INCIDENT
from statusgen.serve.events import EventHub
from statusgen.serve.preview import Preview, PreviewOptions
from statusgen.serve.server import (
    KEEPALIVE_SECONDS,
    MAX_CONNECTIONS,
    TIMEOUT_SECONDS,
    HostPolicy,
    PreviewServer,
    make_server,
)

NOW = datetime(2026, 11, 20, 13, 10, tzinfo=UTC)
WAIT = 10.0  # seconds: every wait in these tests is bounded
SITE_PATHS = [
    "/",
    "/incidents/2026-11-20-api-errors/",
    "/no/such/page/",
    "/__statusgen__/reload.js",
    "/__statusgen__/events",
    "/api/v2/summary.json",
]


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site") / "content"
    for rel, text in {"site.yml": MINIMAL_SITE, **OPEN_INCIDENT}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def preview(content: Path) -> Preview:
    """One build for the module: the servers below only read it."""
    built = Preview(PreviewOptions(content, None, clock=lambda: NOW))
    assert built.build_once().ok
    return built


@contextmanager
def serving(
    preview: Preview,
    hub: EventHub | None = None,
    timeout: float = TIMEOUT_SECONDS,
    max_connections: int = MAX_CONNECTIONS,
) -> Iterator[PreviewServer]:
    """The preview's site on 127.0.0.1 and a free port, stopped afterwards."""
    hub = hub or EventHub()
    server = make_server(
        lambda: preview.site, "127.0.0.1", 0, hub, timeout=timeout, max_connections=max_connections
    )
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        hub.close()  # ends the event streams
        server.shutdown()
        server.server_close()
        thread.join(timeout=WAIT)


@pytest.fixture
def server(preview: Preview) -> Iterator[PreviewServer]:
    with serving(preview) as running:
        yield running


def port_of(server: PreviewServer) -> int:
    return int(server.server_address[1])


def host(server: PreviewServer, name: str = "127.0.0.1") -> dict[str, str]:
    """The `Host` header naming `name` and the server's port."""
    return {"Host": f"{name}:{port_of(server)}"}


def request(
    server: PreviewServer, path: str, headers: dict[str, str], method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    """One request over a real socket; an event stream is read up to its first blank line."""
    connection = http.client.HTTPConnection("127.0.0.1", port_of(server), timeout=WAIT)
    try:
        connection.request(method, path, headers=headers)
        response = connection.getresponse()
        if response.getheader("Content-Type", "").startswith("text/event-stream"):
            body = response.fp.readline()
        else:
            body = response.read()
        return response.status, dict(response.getheaders()), body
    finally:
        connection.close()


def idle_connection(server: PreviewServer) -> socket.socket:
    """A connection that never sends a byte."""
    return socket.create_connection(("127.0.0.1", port_of(server)), timeout=WAIT)


@pytest.mark.parametrize("path", SITE_PATHS)
def test_a_request_for_another_host_is_refused_without_any_of_the_site(
    server: PreviewServer, path: str
) -> None:
    """DNS rebinding: a page of evil.example that resolves its name to 127.0.0.1 gets a 403."""
    for method in ("GET", "HEAD"):
        status, headers, body = request(server, path, host(server, "evil.example"), method)
        assert status == 403 and headers["Content-Type"] == "text/plain; charset=utf-8"
        if method == "GET":
            assert b"DNS rebinding" in body and b"evil.example" in body
            assert b"<" not in body and b"Acme" not in body and b"data:" not in body


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "LOCALHOST", "[::1]"])
def test_the_addresses_the_preview_listens_on_are_served(server: PreviewServer, name: str) -> None:
    """The loopback names with the preview's port get the site."""
    status, _, body = request(server, "/", host(server, name))
    assert status == 200 and b"Acme Cloud" in body


@pytest.mark.parametrize(
    "value",
    [
        "127.0.0.1",
        "localhost:1",
        "127.0.0.1.evil.example:{port}",
        "localhost.:{port}",
        "user@127.0.0.1:{port}",
        "",
    ],
)
def test_a_host_without_the_preview_port_or_with_any_other_name_is_refused(
    server: PreviewServer, value: str
) -> None:
    """A name that merely starts like ours, another port, no port (80) or an empty Host: 403."""
    status, _, _ = request(server, "/", {"Host": value.format(port=port_of(server))})
    assert status == 403


def test_a_request_without_host_is_refused(server: PreviewServer) -> None:
    """Every browser sends Host: a request without one is not from a page of ours."""
    connection = http.client.HTTPConnection("127.0.0.1", port_of(server), timeout=WAIT)
    try:
        connection.putrequest("GET", "/", skip_host=True)
        connection.endheaders()
        assert connection.getresponse().status == 403
    finally:
        connection.close()


def test_an_event_stream_opened_by_a_page_of_another_site_is_refused(server: PreviewServer) -> None:
    """The right Host, but the Origin of another site: no stream (and no slot held by it)."""
    events = "/__statusgen__/events"
    status, _, body = request(server, events, {**host(server), "Origin": "http://evil.example"})
    assert status == 403 and b"other sites" in body
    assert request(server, events, {**host(server), "Origin": "null"})[0] == 403
    ours = f"http://localhost:{port_of(server)}"
    status, _, first = request(server, events, {**host(server), "Origin": ours})
    assert status == 200 and first == b"retry: 1000\n"


def test_no_response_may_be_embedded_by_a_page_of_another_site(server: PreviewServer) -> None:
    """A badge's width, say, would tell another site an unpublished status."""
    for path in ("/", "/badges/status.svg", "/no/such/page/"):
        headers = request(server, path, host(server, "localhost"))[1]
        assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
        assert headers["X-Content-Type-Options"] == "nosniff"


def test_a_preview_on_another_address_answers_to_that_address() -> None:
    """`--host` adds its own name; every interface accepts this machine's name and any IP
    address (an address cannot be rebound), never another name."""
    lan = HostPolicy.listening_on("192.168.1.20", 8000)
    assert lan.allows("192.168.1.20:8000") and lan.allows("localhost:8000")
    assert not lan.allows("192.168.1.21:8000") and not lan.allows("evil.example:8000")
    everywhere = HostPolicy.listening_on("0.0.0.0", 8000)
    assert everywhere.allows("10.0.0.7:8000") and everywhere.allows("[fe80::1]:8000")
    assert everywhere.allows(f"{socket.gethostname()}:8000")
    assert not everywhere.allows("evil.example:8000") and not everywhere.allows("10.0.0.7:8001")
    assert HostPolicy.listening_on("127.0.0.1", 80).allows("localhost")


def test_a_connection_that_sends_nothing_is_closed_after_the_timeout(preview: Preview) -> None:
    """An idle connection does not keep its thread."""
    with serving(preview, timeout=0.5) as server, idle_connection(server) as idle:
        started = time.monotonic()
        assert idle.recv(1) == b""  # closed by the server, well before WAIT
        assert time.monotonic() - started < WAIT / 2


def test_a_request_sent_a_byte_at_a_time_is_cut_off_at_the_deadline(preview: Preview) -> None:
    """Slowloris: each byte arrives before the socket timeout, yet the whole request must
    arrive within it."""
    trickle = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X-Slow: " + b"a" * 200
    with serving(preview, timeout=1.0) as server, idle_connection(server) as slow:
        started = time.monotonic()
        closed = False
        for byte in trickle:
            if time.monotonic() - started > WAIT / 2:
                break
            try:
                slow.send(bytes([byte]))
            except OSError:
                closed = True
                break
            if select.select([slow], [], [], 0.2)[0]:
                closed = slow.recv(1) == b""
                break
        assert closed, "the server still waits for the rest of the request"
        assert time.monotonic() - started < 3.0


def test_connections_beyond_the_limit_wait_for_a_free_one(preview: Preview) -> None:
    """With every slot held by an idle connection, a new request is served once the idle
    ones time out, not by one more thread."""
    with serving(preview, timeout=1.0, max_connections=2) as server, ExitStack() as stack:
        for _ in range(2):
            stack.enter_context(idle_connection(server))
        time.sleep(0.1)  # both are accepted and hold their slots
        started = time.monotonic()
        status, _, _ = request(server, "/", host(server))
        elapsed = time.monotonic() - started
        assert status == 200 and 0.7 < elapsed < WAIT / 2


def test_many_idle_connections_do_not_block_a_new_request(server: PreviewServer) -> None:
    """Twenty open tabs' worth of idle connections: the page still loads at once."""
    with ExitStack() as stack:
        for _ in range(20):
            stack.enter_context(idle_connection(server))
        started = time.monotonic()
        status, _, _ = request(server, "/", host(server))
        assert status == 200 and time.monotonic() - started < 2.0


def test_an_open_event_stream_outlives_the_timeout(preview: Preview) -> None:
    """A page's event stream is quiet between saves: it is not an idle connection."""
    assert KEEPALIVE_SECONDS < TIMEOUT_SECONDS  # a keep-alive is sent before a write can stall
    hub = EventHub()
    with serving(preview, hub, timeout=0.3) as server:
        connection = http.client.HTTPConnection("127.0.0.1", port_of(server), timeout=WAIT)
        try:
            connection.request("GET", "/__statusgen__/events", headers=host(server))
            response = connection.getresponse()
            assert response.fp.readline() == b"retry: 1000\n"
            time.sleep(1.0)
            hub.publish("reload")
            lines = [response.fp.readline() for _ in range(3)]
            assert lines[1] == b"event: reload\n" and lines[2].startswith(b"id: ")
        finally:
            connection.close()


def test_the_server_stops_while_connections_wait_for_a_slot(preview: Preview) -> None:
    """Ctrl-C is not held up by a connection waiting for a slot."""
    with ExitStack() as stack:
        server = stack.enter_context(serving(preview, max_connections=1))
        stack.enter_context(idle_connection(server))
        time.sleep(0.1)
        stack.enter_context(idle_connection(server))  # waits: the only slot is taken
        time.sleep(0.3)
        started = time.monotonic()
        stack.close()  # shutdown() must return although serve_forever waits for a slot
        assert time.monotonic() - started < 3.0


def test_the_preview_started_from_its_options_refuses_other_hosts(content: Path) -> None:
    """The whole preview (`statusgen serve`), not only the server: another Host gets 403."""
    running = Preview(PreviewOptions(content, None, port=0, clock=lambda: NOW))
    try:
        assert running.start().ok
        assert running.server is not None
        assert request(running.server, "/", host(running.server, "evil.example"))[0] == 403
        assert request(running.server, "/", host(running.server))[0] == 200
    finally:
        running.stop()
