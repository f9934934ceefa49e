"""The preview HTTP server: the last good build (in memory) as a static site, plus two
preview-only URLs.

- `/__statusgen__/reload.js`: the reload script, injected into every HTML response;
- `/__statusgen__/events`: server-sent events, `reload` after a good rebuild and `error`
  (the formatted errors) after a failed one.

The built files are never changed: the script tag is added to the bytes on their way out.

The preview serves unpublished drafts, so it answers only to the address it listens on (a
web page that points its own domain at 127.0.0.1, "DNS rebinding", gets a refusal, not the
site), holds at most MAX_CONNECTIONS connections at once and drops a connection that does not
send its request within TIMEOUT_SECONDS.
"""

from __future__ import annotations

import io
import ipaddress
import mimetypes
import re
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from statusgen.errors import ContentInvalid
from statusgen.serve.events import EventHub
from statusgen.serve.site import PreviewSite

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

PREFIX = "/__statusgen__/"
RELOAD_PATH = PREFIX + "reload.js"
EVENTS_PATH = PREFIX + "events"
RELOAD_SCRIPT = Path(__file__).with_name("reload.js")
SNIPPET = f'<script src="{RELOAD_PATH}"></script>'.encode()
KEEPALIVE_SECONDS = 15.0
# A browser opens at most six connections to a host, plus one event stream per open page.
MAX_CONNECTIONS = 64
# To send a whole request head, and for any read or write that stalls; above KEEPALIVE_SECONDS,
# so that an event stream whose page is open never times out.
TIMEOUT_SECONDS = 30.0
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
ALL_INTERFACES = ("", "0.0.0.0", "::")
# A Host header: a name or IPv4 address, or an IPv6 address in brackets; then maybe a port.
HOST_HEADER = re.compile(r"(\[[0-9a-f:.]+\]|[a-z0-9._-]+)(?::([0-9]{1,5}))?", re.IGNORECASE)
FEED_TYPES = {"rss.xml": "application/rss+xml", "atom.xml": "application/atom+xml"}
CONTENT_TYPES = {
    ".html": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".json": "application/json",
    ".xml": "application/xml",
    ".ics": "text/calendar",
    ".svg": "image/svg+xml",
    ".txt": "text/plain",
}
WAITING_PAGE = (
    b"<!doctype html><html lang=en><meta charset=utf-8><title>statusgen preview</title>"
    b"<body><p>No successful build yet: fix the errors shown in the terminal and save.</p></body></html>"
)


def shown(header: str | None) -> str:
    """A header's value quoted and cut short, for a message that repeats it."""
    return repr((header or "")[:100])


def is_ip_address(name: str) -> bool:
    """True for an IPv4 or IPv6 address literal (without brackets)."""
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class HostPolicy:
    """The `Host` (and `Origin`) a request may name: the address the preview listens on.

    A page of another site can point its own domain at 127.0.0.1 (DNS rebinding) and then read
    the preview as if it were its own origin: unpublished drafts, security incidents included.
    Its requests name its domain in `Host`; refusing every name but ours closes that door. An IP
    address cannot be rebound, so a preview on every interface accepts any address literal.
    """

    names: frozenset[str]  # lower case, IPv6 without brackets
    port: int
    any_address: bool = False

    @classmethod
    def listening_on(cls, host: str, port: int) -> HostPolicy:
        name = host.strip("[]").lower()
        if name in ALL_INTERFACES:  # other machines reach it by this machine's name or address
            return cls(frozenset({*LOOPBACK_NAMES, socket.gethostname().lower()}), port, True)
        return cls(frozenset({*LOOPBACK_NAMES, name}), port)

    def allows(self, host: str | None) -> bool:
        """True for `Host: 127.0.0.1:PORT`, `localhost:PORT`, `[::1]:PORT` or --host's name."""
        match = HOST_HEADER.fullmatch((host or "").strip())
        if match is None:
            return False
        name, port = match[1].strip("[]").lower(), int(match[2] or 80)
        return port == self.port and (
            name in self.names or (self.any_address and is_ip_address(name))
        )

    def allows_origin(self, origin: str | None) -> bool:
        """A request from a page of another site (an event stream, a fetch) is refused too;
        navigations and same-origin loads send no `Origin`."""
        if origin is None:
            return True
        scheme, _, authority = origin.partition("://")
        return scheme == "http" and self.allows(authority)

    def describe(self) -> str:
        """The addresses accepted, as a person types them."""
        names = sorted(f"[{name}]" if ":" in name else name for name in self.names)
        listed = ", ".join(f"{name}:{self.port}" for name in names)
        return listed + (" or any IP address of this machine" if self.any_address else "")


class DeadlineReader(io.RawIOBase):
    """The connection's socket as a file whose reads fail once `deadline` has passed.

    A socket timeout alone starts again at every byte, so a client that sends its request a
    byte at a time (slowloris) would hold a thread forever.
    """

    def __init__(self, connection: socket.socket, timeout: float) -> None:
        self.connection = connection
        self.timeout = timeout
        self.deadline: float | None = None  # monotonic clock

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        timeout = self.timeout
        if self.deadline is not None:
            timeout = min(timeout, self.deadline - time.monotonic())
            if timeout <= 0:
                raise TimeoutError("the request was not sent in time")
        self.connection.settimeout(timeout)
        return self.connection.recv_into(buffer)


def inject(html: bytes) -> bytes:
    """The page with the reload script before its last </body> (or at the end)."""
    index = html.lower().rfind(b"</body>")
    if index < 0:
        return html + SNIPPET
    return html[:index] + SNIPPET + html[index:]


class PreviewHandler(BaseHTTPRequestHandler):
    """Files of the current preview site; HTML gets the reload script; no caching."""

    hub: EventHub
    verbose: bool

    def __init__(
        self,
        *args: Any,
        site: Callable[[], PreviewSite | None],
        hub: EventHub,
        verbose: bool = False,
        timeout: float = TIMEOUT_SECONDS,
        **kwargs: Any,
    ) -> None:
        self.site = site
        self.hub = hub
        self.verbose = verbose
        self.reader_timeout = timeout  # read by setup(), which super().__init__ calls
        super().__init__(*args, **kwargs)

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.reader_timeout)  # for writes that stall, too
        self.rfile.close()  # replaced: the request is read against a deadline
        self.reader = DeadlineReader(self.connection, self.reader_timeout)
        self.rfile = io.BufferedReader(self.reader)

    def handle_one_request(self) -> None:
        self.reader.deadline = time.monotonic() + self.reader.timeout
        super().handle_one_request()

    def parse_request(self) -> bool:
        parsed = super().parse_request()  # the request line and headers are in
        self.reader.deadline = None
        self.connection.settimeout(self.reader.timeout)  # for writes: the whole timeout again
        return parsed

    def end_headers(self) -> None:
        # The site changes under the browser at every save: never serve a stale page.
        self.send_header("Cache-Control", "no-store")
        # No page of another site may embed a draft (a badge's width tells its status).
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        if self.verbose:
            super().log_message(format, *args)

    def refused(self, head: bool = False) -> bool:
        """Answer 403 to a request for another host or from another site; True if so."""
        assert isinstance(self.server, PreviewServer)
        hosts = self.server.hosts
        host, origin = self.headers.get("Host"), self.headers.get("Origin")
        if hosts.allows(host) and hosts.allows_origin(origin):
            return False
        if not hosts.allows(host):
            reason = f"This preview answers only to {hosts.describe()}, not to {shown(host)}."
        else:
            reason = f"This preview refuses requests from pages of other sites ({shown(origin)})."
        text = (
            f"{reason}\nIt serves unpublished drafts: another site that points its own name at"
            " this machine (DNS rebinding) must not read them.\n"
            "To open the preview under another name, start it with"
            " `statusgen serve --host NAME`.\n"
        )
        self.close_connection = True
        self._send_bytes(HTTPStatus.FORBIDDEN, "text/plain; charset=utf-8", text.encode(), head)
        return True

    def do_GET(self) -> None:
        if self.refused():
            return
        path = urlsplit(self.path).path
        if path == RELOAD_PATH:
            self._send_bytes(
                HTTPStatus.OK, "text/javascript; charset=utf-8", RELOAD_SCRIPT.read_bytes()
            )
        elif path == EVENTS_PATH:
            self._stream_events()
        else:
            self._send_file(path, head=False)

    def do_HEAD(self) -> None:
        if self.refused(head=True):
            return
        self._send_file(urlsplit(self.path).path, head=True)

    def _send_bytes(
        self, status: HTTPStatus, content_type: str, body: bytes, head: bool = False
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _send_file(self, url_path: str, head: bool) -> None:
        site = self.site()
        if site is None:
            # No good build yet: a page that shows the errors and reloads once fixed.
            self._send_bytes(
                HTTPStatus.SERVICE_UNAVAILABLE,
                "text/html; charset=utf-8",
                inject(WAITING_PAGE),
                head,
            )
            return
        rel = unquote(url_path).lstrip("/")
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        try:
            body = site.get(rel)
            if body is None and site.get(rel + "/index.html") is not None:
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)  # as a static host does
                self.send_header("Location", url_path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            status = HTTPStatus.OK
            if body is None:
                status, body, rel = (
                    HTTPStatus.NOT_FOUND,
                    site.get("404.html") or b"Not found",
                    "404.html",
                )
        except ContentInvalid as invalid:  # a template that fails only on this page
            text = "\n".join(error.format() for error in invalid.errors)
            self._send_bytes(
                HTTPStatus.INTERNAL_SERVER_ERROR, "text/plain; charset=utf-8", text.encode(), head
            )
            return
        content_type = content_type_of(rel)
        if content_type.startswith("text/html"):
            body = inject(body)
        self._send_bytes(status, content_type, body, head)

    def _stream_events(self) -> None:
        """Send events until the browser goes away or the server stops.

        A page that connects while the last build failed gets the errors at once, so a
        page loaded (or reloaded) during a broken save still shows the overlay.
        """
        latest = self.hub.latest  # before the headers: once they arrive, the client may save
        seen = latest.generation if latest else 0
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Connection", "keep-alive")
        self.end_headers()
        try:
            self.wfile.write(b"retry: 1000\n\n")
            if latest is not None and latest.name == "error":
                self.wfile.write(latest.encode())
            self.wfile.flush()
            while not self.hub.closed:
                event = self.hub.wait(seen, KEEPALIVE_SECONDS)
                if event is None:
                    self.wfile.write(b": keep-alive\n\n")
                else:
                    self.wfile.write(event.encode())
                    seen = event.generation
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError):
            pass  # the page was closed or reloaded, or stopped reading
        self.close_connection = True


class PreviewServer(ThreadingHTTPServer):
    """A thread per connection, at most `max_connections` of them: the next connection
    waits for a free one (an idle connection frees its own within the handler's timeout)."""

    daemon_threads = True  # event streams never block Ctrl-C
    allow_reuse_address = True
    request_queue_size = MAX_CONNECTIONS  # waiting connections queue in the kernel meanwhile

    def __init__(
        self,
        address: tuple[str, int],
        handler: Callable[..., Any],
        max_connections: int = MAX_CONNECTIONS,
    ) -> None:
        super().__init__(address, handler)
        self.hosts = HostPolicy.listening_on(address[0], self.server_address[1])  # port 0: bound
        self.slots = threading.BoundedSemaphore(max_connections)
        self.stopping = threading.Event()

    def process_request(self, request: Any, client_address: Any) -> None:
        while not self.slots.acquire(timeout=0.2):
            if self.stopping.is_set():  # shutdown() waits for this loop: never block it
                self.shutdown_request(request)
                return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()  # no thread started: nothing else gives the slot back
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return  # a browser that went away: nothing to report
        super().handle_error(request, client_address)

    def shutdown(self) -> None:
        self.stopping.set()
        super().shutdown()


def content_type_of(path: str) -> str:
    """The type a static host would send (netlify.toml sets the same for feeds and the API)."""
    name = Path(path).name
    guessed = (
        FEED_TYPES.get(name)
        or CONTENT_TYPES.get(Path(path).suffix)
        or mimetypes.guess_type(path)[0]
        or "application/octet-stream"
    )
    textual = guessed.startswith("text/") or guessed in (
        "application/json",
        "application/xml",
        *FEED_TYPES.values(),
    )
    return f"{guessed}; charset=utf-8" if textual else guessed


def make_server(
    site: Callable[[], PreviewSite | None],
    host: str,
    port: int,
    hub: EventHub,
    verbose: bool = False,
    max_connections: int = MAX_CONNECTIONS,
    timeout: float = TIMEOUT_SECONDS,
) -> PreviewServer:
    """Bind now (port 0 picks a free port); serve with serve_forever()."""
    handler = partial(PreviewHandler, site=site, hub=hub, verbose=verbose, timeout=timeout)
    return PreviewServer((host, port), handler, max_connections)
