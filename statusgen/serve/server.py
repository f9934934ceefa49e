"""The preview HTTP server: the built folder as a static site, plus two preview-only URLs.

- `/__statusgen__/reload.js`: the reload script, injected into every HTML response;
- `/__statusgen__/events`: server-sent events, `reload` after a good rebuild and `error`
  (the formatted errors) after a failed one.

The built files are never changed: the script tag is added to the bytes on their way out.
"""

from __future__ import annotations

import os
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from statusgen.serve.events import EventHub

PREFIX = "/__statusgen__/"
RELOAD_PATH = PREFIX + "reload.js"
EVENTS_PATH = PREFIX + "events"
RELOAD_SCRIPT = Path(__file__).with_name("reload.js")
SNIPPET = f'<script src="{RELOAD_PATH}"></script>'.encode()
KEEPALIVE_SECONDS = 15.0
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


class PreviewHandler(SimpleHTTPRequestHandler):
    """Static files from the output folder; HTML gets the reload script; no caching."""

    hub: EventHub
    verbose: bool

    def __init__(self, *args: Any, hub: EventHub, verbose: bool = False, **kwargs: Any) -> None:
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
        elif not self._send_html(head=False):
            super().do_GET()

    def do_HEAD(self) -> None:
        if not self._send_html(head=True):
            super().do_HEAD()

    def _send_bytes(self, status: HTTPStatus, content_type: str, body: bytes, head: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _html_file(self) -> tuple[HTTPStatus, Path] | None:
        """The HTML file this request shows, if any; a missing page shows the site's 404.html."""
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            if not urlsplit(self.path).path.endswith("/"):
                return None  # the base class redirects to the URL with a slash
            target = target / "index.html"
        if target.is_file():
            return (HTTPStatus.OK, target) if target.suffix == ".html" else None
        not_found = Path(self.directory) / "404.html"
        return (HTTPStatus.NOT_FOUND, not_found) if not_found.is_file() else None

    def _send_html(self, head: bool) -> bool:
        if not Path(self.directory).is_dir():
            # No good build yet: a page that shows the errors and reloads once fixed.
            self._send_bytes(HTTPStatus.SERVICE_UNAVAILABLE, "text/html; charset=utf-8", inject(WAITING_PAGE), head)
            return True
        found = self._html_file()
        if found is None:
            return False
        status, path = found
        try:
            body = inject(path.read_bytes())
        except OSError:  # swapped away by a rebuild between the check and the read
            return False
        self._send_bytes(status, "text/html; charset=utf-8", body, head)
        return True

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


def make_server(root: Path, host: str, port: int, hub: EventHub, verbose: bool = False) -> PreviewServer:
    """Bind now (port 0 picks a free port); serve with serve_forever()."""
    handler = partial(PreviewHandler, directory=os.fspath(root), hub=hub, verbose=verbose)
    return PreviewServer((host, port), handler)
