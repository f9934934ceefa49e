"""The preview HTTP server: the last good build (in memory) as a static site, plus two
preview-only URLs.

- `/__statusgen__/reload.js`: the reload script, injected into every HTML response;
- `/__statusgen__/events`: server-sent events, `reload` after a good rebuild and `error`
  (the formatted errors) after a failed one.

The built files are never changed: the script tag is added to the bytes on their way out.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from statusgen.errors import ContentInvalid
from statusgen.serve.events import EventHub
from statusgen.serve.site import PreviewSite

PREFIX = "/__statusgen__/"
RELOAD_PATH = PREFIX + "reload.js"
EVENTS_PATH = PREFIX + "events"
RELOAD_SCRIPT = Path(__file__).with_name("reload.js")
SNIPPET = f'<script src="{RELOAD_PATH}"></script>'.encode()
KEEPALIVE_SECONDS = 15.0
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

    def __init__(self, *args: Any, site: Callable[[], PreviewSite | None], hub: EventHub, verbose: bool = False, **kwargs: Any) -> None:
        self.site = site
        self.hub = hub
        self.verbose = verbose
        super().__init__(*args, **kwargs)

    def end_headers(self) -> None:
        # The site changes under the browser at every save: never serve a stale page.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        if self.verbose:
            super().log_message(format, *args)

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == RELOAD_PATH:
            self._send_bytes(HTTPStatus.OK, "text/javascript; charset=utf-8", RELOAD_SCRIPT.read_bytes())
        elif path == EVENTS_PATH:
            self._stream_events()
        else:
            self._send_file(path, head=False)

    def do_HEAD(self) -> None:
        self._send_file(urlsplit(self.path).path, head=True)

    def _send_bytes(self, status: HTTPStatus, content_type: str, body: bytes, head: bool = False) -> None:
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
            self._send_bytes(HTTPStatus.SERVICE_UNAVAILABLE, "text/html; charset=utf-8", inject(WAITING_PAGE), head)
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
                status, body, rel = HTTPStatus.NOT_FOUND, site.get("404.html") or b"Not found", "404.html"
        except ContentInvalid as invalid:  # a template that fails only on this page
            text = "\n".join(error.format() for error in invalid.errors)
            self._send_bytes(HTTPStatus.INTERNAL_SERVER_ERROR, "text/plain; charset=utf-8", text.encode(), head)
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
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            pass  # the page was closed or reloaded
        self.close_connection = True


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # event streams never block Ctrl-C
    allow_reuse_address = True


def content_type_of(path: str) -> str:
    """The type a static host would send (netlify.toml sets the same for feeds and the API)."""
    name = Path(path).name
    guessed = FEED_TYPES.get(name) or CONTENT_TYPES.get(Path(path).suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"
    textual = guessed.startswith("text/") or guessed in ("application/json", "application/xml", *FEED_TYPES.values())
    return f"{guessed}; charset=utf-8" if textual else guessed


def make_server(site: Callable[[], PreviewSite | None], host: str, port: int, hub: EventHub, verbose: bool = False) -> PreviewServer:
    """Bind now (port 0 picks a free port); serve with serve_forever()."""
    handler = partial(PreviewHandler, site=site, hub=hub, verbose=verbose)
    return PreviewServer((host, port), handler)
