"""`statusgen serve`: preview the site while writing; every save rebuilds and reloads the page."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

import click

from statusgen.cli.options import content_argument, content_folder, parse_now
from statusgen.cli.reporting import (
    echo,
    error_console,
    markup,
    print_error_count,
    print_problems,
    print_refusal,
    printable,
)
from statusgen.output.location import OutputRefused
from statusgen.serve.preview import Outcome, Preview, PreviewOptions


def reporter(quiet: bool) -> Callable[[Outcome], None]:
    """Print each rebuild's outcome: a line when good, every error when not."""
    console = error_console()

    def report(outcome: Outcome) -> None:
        stamp = time.strftime("%H:%M:%S")
        if outcome.ok:
            assert outcome.result is not None
            print_problems(console, outcome.result.warnings)
            if not quiet:
                echo(
                    f"{stamp} rebuilt in {outcome.result.seconds:.2f} s ({outcome.result.pages} pages, each rendered when asked for); pages reload."
                )
            return
        if outcome.crash:
            console.print(f"{stamp} [bold red]build failed[/]:")
            console.print(printable(outcome.crash), markup=False, highlight=False)
        else:
            console.print(f"{stamp} ", end="")
            print_error_count(
                console, outcome.errors, "the preview keeps the last good build; fix and save."
            )

    return report


@click.command("serve")
@content_argument
@click.option("-p", "--port", default=8000, show_default=True, help="Port (0: any free port).")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to bind; the default keeps the preview on this machine.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    help="Build into this folder (default: a temporary one).",
)
@click.option(
    "--force",
    is_flag=True,
    help="With --output: replace the folder even if it holds files no statusgen build wrote.",
)
@click.option(
    "--theme",
    type=click.Path(path_type=Path, file_okay=False),
    help="Theme folder (overrides site.yml's theme:).",
)
@click.option(
    "--now",
    "now_text",
    metavar="ISO8601",
    help="Preview as if it were this time (default: the clock at each rebuild).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.option("-v", "--verbose", is_flag=True, help="Log every request.")
def serve_command(
    content: Path | None,
    content_option: Path | None,
    port: int,
    host: str,
    output: Path | None,
    force: bool,
    theme: Path | None,
    now_text: str | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """Build CONTENT (or --content DIR; default: ./content), serve it, rebuild on every
    change and reload open pages. Ctrl-C stops."""
    content = content_folder(content, content_option)
    parse_now(now_text)  # a bad --now is a usage error now, not at the first rebuild
    options = PreviewOptions(
        content, output, host, port, theme, lambda: parse_now(now_text), verbose, force=force
    )
    report = reporter(quiet)
    preview = Preview(options, report)
    try:
        first = preview.start()
    except OutputRefused as refused:  # checked before anything is written or served
        preview.stop()
        print_refusal(error_console(), refused)
        raise SystemExit(2) from None
    except OSError as error:
        preview.stop()
        raise click.UsageError(
            f"cannot listen on {host}:{port}: {error.strerror} (try --port 0 for any free port)"
        ) from None
    report(first)
    if host not in ("127.0.0.1", "localhost", "::1"):
        error_console().print(
            f"[bold yellow]warning[/]: listening on {markup(host)}: other machines can see this preview."
        )
    echo(f"Preview of {content} at {preview.url} — watching for changes; Ctrl-C stops.")
    stop = threading.Event()
    # Ctrl-C (SIGINT) and a service manager's SIGTERM both stop cleanly.
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while not stop.wait(0.2):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        preview.stop()
    echo("Preview stopped.")
