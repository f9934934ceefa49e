"""A built site served on 127.0.0.1 the way a static host serves it, for real clients and browsers."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


@dataclass
class ServedSite:
    root: Path
    base_url: str = ""
    requests: list[tuple[str, int]] = field(default_factory=list)  # (path, HTTP status), in order

    def url(self, path: str) -> str:
        return self.base_url + path


@contextmanager
def serve(
    root: Path, headers: Callable[[str], dict[str, str]] | None = None
) -> Iterator[ServedSite]:
    """Serve `root` on a free port; unknown paths get /404.html with status 404, as on Netlify.

    `headers(path)` gives extra response headers for a request path (e.g. netlify.toml's).
    """
    site = ServedSite(root)

    class Handler(SimpleHTTPRequestHandler):
        def end_headers(self) -> None:
            if headers is not None:
                for name, value in headers(self.path.split("?", 1)[0]).items():
                    self.send_header(name, value)
            super().end_headers()

        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            site.requests.append((self.path, int(code)))

        def send_error(
            self, code: int, message: str | None = None, explain: str | None = None
        ) -> None:
            page = root / "404.html"
            if code != 404 or not page.is_file():
                super().send_error(code, message, explain)
                return
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(root)))
    site.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    with running(server):
        yield site


@contextmanager
def running(server: ThreadingHTTPServer) -> Iterator[ThreadingHTTPServer]:
    """`server` answering on its own thread until the block ends, then closed."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
