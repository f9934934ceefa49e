"""`statusgen serve`: a preview that rebuilds on save, reloads pages, and survives a bad save."""

from __future__ import annotations

import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import OPEN_INCIDENT, ScratchSite, checkout_environment
from statusgen.serve.events import Event, EventHub
from statusgen.serve.server import RELOAD_SCRIPT, SNIPPET, inject
from statusgen.serve.watcher import Watcher

WAIT = 10.0  # seconds: every wait in these tests is bounded
UPDATE = "incidents/2026-11-20-api-errors/01.md"
INCIDENT_PAGE = "/incidents/2026-11-20-api-errors/"


class Events:
    """A server-sent events client on a thread: each event lands in a queue as (name, data)."""

    def __init__(self, url: str) -> None:
        self.queue: queue.Queue[tuple[str, str]] = queue.Queue()
        self.response = urllib.request.urlopen(url, timeout=WAIT * 3)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        name, data = "", []
        try:
            for raw in self.response:
                line = raw.decode("utf-8").rstrip("\n")
                if not line:
                    if name:
                        self.queue.put((name, "\n".join(data)))
                    name, data = "", []
                elif line.startswith("event: "):
                    name = line[7:]
                elif line.startswith("data: "):
                    data.append(line[6:])
        except OSError:
            pass

    def next(self) -> tuple[str, str]:
        return self.queue.get(timeout=WAIT)


class Server:
    """`python -m statusgen serve` in a subprocess, on a free port."""

    def __init__(self, content: Path, *args: str) -> None:
        env = checkout_environment(NO_COLOR="1", PYTHONUNBUFFERED="1")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "statusgen",
                "serve",
                str(content),
                "--port",
                "0",
                "--now",
                "2026-11-20T14:10:00+01:00",
                *args,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self._wait_for_url()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    def _wait_for_url(self) -> str:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            for line in self.lines:
                if match := re.search(r"http://127\.0\.0\.1:\d+/", line):
                    return match.group(0)
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError("the preview did not start:\n" + "".join(self.lines))

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=WAIT) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # what Ctrl-C sends
        return self.process.wait(timeout=WAIT)


@pytest.fixture
def content(scratch_site: ScratchSite) -> Path:
    return scratch_site(OPEN_INCIDENT)


@pytest.fixture
def server(content: Path) -> Iterator[Server]:
    running = Server(content)
    yield running
    running.stop()


def save(path: Path, text: str) -> None:
    """Like an editor: the whole file, replaced."""
    path.write_text(text, encoding="utf-8")


def eventually(check: Callable[[], bool]) -> bool:
    """True as soon as `check` is, False if it is not within WAIT seconds."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def test_pages_are_served_with_the_reload_script_injected(server: Server) -> None:
    """Every HTML response gets the script; the 404 page too; the script itself is served."""
    status, page = server.get("/")
    assert status == 200 and page.count(SNIPPET.decode()) == 1
    assert page.index(SNIPPET.decode()) < page.rindex("</body>")
    incident_status, incident = server.get("/incidents/2026-11-20-api-errors/")
    assert incident_status == 200 and SNIPPET.decode() in incident
    missing_status, missing = server.get("/no/such/page/")
    assert missing_status == 404 and SNIPPET.decode() in missing
    assert server.get("/__statusgen__/reload.js") == (200, RELOAD_SCRIPT.read_text())


def test_a_missing_page_gets_the_sites_own_404_page(server: Server) -> None:
    """Status 404 and the theme's 404 page, as the static host serves it."""
    status, page = server.get("/no/such/page/")
    assert status == 404 and "<title>Page not found · Acme Cloud</title>" in page
    assert page == server.get("/404.html")[1]
    request = urllib.request.Request(server.url + "no-such-file.css", method="HEAD")
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(request, timeout=WAIT)
    assert missing.value.code == 404


def test_saves_are_seen_after_the_content_folder_is_replaced(server: Server, content: Path) -> None:
    """`mv content old && cp -r old content`: the new folder is watched, the old one not."""
    events = Events(server.url + "__statusgen__/events")
    old = content.with_name("old")
    content.rename(old)
    shutil.copytree(old, content)
    while events.next()[0] != "reload":  # the swap itself rebuilds (maybe after an error)
        pass
    save(
        content / UPDATE,
        (content / UPDATE)
        .read_text()
        .replace("We are investigating errors", "Seen after the swap"),
    )
    assert eventually(lambda: "Seen after the swap" in server.get(INCIDENT_PAGE)[1])
    save(
        old / UPDATE,
        (old / UPDATE).read_text().replace("We are investigating errors", "Edited in the old copy"),
    )
    save(
        content / "incidents/2026-11-20-api-errors/incident.md",
        (content / "incidents/2026-11-20-api-errors/incident.md").read_text(),
    )
    assert events.next() == ("reload", "")
    assert "Edited in the old copy" not in server.get(INCIDENT_PAGE)[1]


def test_the_watcher_follows_a_folder_deleted_and_created_again(tmp_path: Path) -> None:
    """A folder that is removed and made again is reported as a whole, then watched anew."""
    folder = tmp_path / "content"
    folder.mkdir()
    batches: queue.Queue[frozenset[str]] = queue.Queue()
    watcher = Watcher(batches.put, delay=0.02)
    watcher.watch([folder])
    watcher.start()
    seen: set[str] = set()

    def saw(path: Path) -> bool:
        while not batches.empty():
            seen.update(batches.get())
        return str(path.resolve()) in seen

    try:
        shutil.rmtree(folder)
        folder.mkdir()
        assert eventually(lambda: saw(folder))
        time.sleep(0.2)  # the new folder is watched by now
        (folder / "site.yml").write_text("name: x\n", encoding="utf-8")
        assert eventually(lambda: saw(folder / "site.yml"))
    finally:
        watcher.stop()


def test_a_save_rebuilds_and_sends_reload(server: Server, content: Path) -> None:
    """Change one update on disk: a `reload` event arrives, and the page shows the new text."""
    events = Events(server.url + "__statusgen__/events")
    save(
        content / UPDATE,
        (content / UPDATE).read_text().replace("We are investigating errors", "Rollback under way"),
    )
    assert events.next() == ("reload", "")
    assert "Rollback under way" in server.get("/incidents/2026-11-20-api-errors/")[1]


def test_a_broken_save_sends_error_and_the_next_good_save_reloads(
    server: Server, content: Path
) -> None:
    """The errors go to the page and the terminal; the last good site stays up; a fix clears it."""
    events = Events(server.url + "__statusgen__/events")
    good = (content / UPDATE).read_text()
    save(content / UPDATE, good.replace("status: investigating", "status: investigatign"))
    name, data = events.next()
    assert name == "error"
    assert (
        "incidents/2026-11-20-api-errors/01.md:3: error: status: unknown value 'investigatign'"
        in data
    )
    assert "did you mean 'investigating'" in data
    assert server.get("/")[0] == 200  # still serving the last good build
    late = Events(server.url + "__statusgen__/events")  # a page opened during the breakage
    assert late.next()[0] == "error"
    save(content / UPDATE, good)
    assert events.next() == ("reload", "")
    assert any("unknown value 'investigatign'" in line for line in server.lines)
    assert server.process.poll() is None


def test_ctrl_c_stops_cleanly(content: Path) -> None:
    """SIGINT ends the preview with exit 0 and a last line, no traceback."""
    running = Server(content)
    Events(running.url + "__statusgen__/events")  # an open event stream must not block the exit
    assert running.stop() == 0
    output = "".join(running.lines)
    assert "Preview stopped." in output and "Traceback" not in output


def test_the_built_site_never_contains_the_preview_script(content: Path, tmp_path: Path) -> None:
    """--output keeps the build on disk: the script is only added by the server, on the way out."""
    out = tmp_path / "preview"
    running = Server(content, "--output", str(out))
    try:
        assert SNIPPET.decode() in running.get("/")[1]
    finally:
        running.stop()
    pages = list(out.rglob("*.html"))
    assert pages and not any(b"__statusgen__" in page.read_bytes() for page in pages)


def test_injection_goes_before_the_last_body_end_tag_or_at_the_end() -> None:
    """Pages without </body> still get the script."""
    assert inject(b"<p>a</p></body></html>") == b"<p>a</p>" + SNIPPET + b"</body></html>"
    assert inject(b"<p>a</p>") == b"<p>a</p>" + SNIPPET


def test_multiline_errors_are_sent_as_one_event_with_several_data_lines() -> None:
    """SSE data may not contain a newline: each line gets its own `data:` field."""
    assert (
        Event(3, "error", "a.md:1: error\n    fix: b").encode()
        == b"event: error\nid: 3\ndata: a.md:1: error\ndata:     fix: b\n\n"
    )


def test_waiting_clients_wake_on_publish_and_on_close() -> None:
    """The hub hands the newest event to every waiter, and releases them when stopping."""
    hub = EventHub()
    assert hub.wait(0, timeout=0.01) is None
    threading.Timer(0.05, hub.publish, ("reload",)).start()
    event = hub.wait(0, timeout=WAIT)
    assert event is not None and event.name == "reload" and event.generation == 1
    threading.Timer(0.05, hub.close).start()
    assert hub.wait(1, timeout=WAIT) is None and hub.closed


def test_the_overlay_script_shows_errors_as_text_only() -> None:
    """Error text reaches the page through textContent, never as HTML."""
    script = RELOAD_SCRIPT.read_text()
    assert "textContent = text" in script and "innerHTML" not in script
    assert 'addEventListener("reload"' in script and 'addEventListener("error"' in script
