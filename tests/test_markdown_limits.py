"""Messages that would crash or stall Python-Markdown are refused with their file and line;
the build cache cannot smuggle HTML past the sanitiser; the clock's options stay in range;
what the commands print cannot drive the terminal."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from conftest import DEMO_NOW, EXAMPLE_CONTENT, OPEN_INCIDENT, ScratchSite
from statusgen.build import BuildOptions, build, load_and_validate
from statusgen.cli.main import main
from statusgen.cli.reporting import print_problems, printable
from statusgen.errors import ContentError, ContentInvalid, Source
from statusgen.render import markdown
from statusgen.render.markdown import (
    MAX_NESTING,
    MarkdownRenderer,
    _engine,
    nesting_depth,
    render_html,
    text_key,
)
from statusgen.validate.fields import (
    FENCE_OPENING,
    MAX_MESSAGE_CHARACTERS,
    markdown_text,
)

INCIDENT = "incidents/2026-11-20-api-errors"
HEADER = "---\nat: 2026-11-20T15:00:00+01:00\nstatus: identified\n---\n"
NOW = ["--now", "2026-11-23T13:30:00Z"]


def errors_for(scratch_site: ScratchSite, body: str) -> list[str]:
    root = scratch_site({**OPEN_INCIDENT, f"{INCIDENT}/02.md": HEADER + body})
    with pytest.raises(ContentInvalid) as caught:
        load_and_validate(root)
    return [e.format() for e in caught.value.errors]


# ---- nesting --------------------------------------------------------------------------


def bullets(depth: int) -> str:
    return "\n".join("    " * level + "- item" for level in range(depth)) + "\n"


def ordered(depth: int) -> str:
    return "\n".join("    " * level + "1. item" for level in range(depth)) + "\n"


@pytest.mark.parametrize("body", [bullets(500), ordered(350)])
def test_a_list_nested_hundreds_of_levels_is_an_error_naming_file_and_line(
    scratch_site: ScratchSite, body: str
) -> None:
    """Deep nesting exhausts Python-Markdown's stack; the update is refused at its first line."""
    (message,) = errors_for(scratch_site, body)
    assert message.startswith(f"{INCIDENT}/02.md:5: error:") and "are allowed" in message


@pytest.mark.parametrize(
    "body",
    [
        bullets(300).replace("    ", "\t"),
        ordered(300).replace("    ", "\t"),
        "- " * 600 + "x\n",
        "1. " * 400 + "x\n",
        "> " * 600 + "x\n",
    ],
    ids=[
        "tab-indented bullets",
        "tab-indented numbers",
        "bullets on one line",
        "numbers on one line",
        "quotes",
    ],
)
def test_nesting_beyond_the_bound_is_shown_as_plain_text(body: str) -> None:
    """Compact deep nesting fits in a small message: it is shown as written, escaped, not a crash."""
    html = render_html(_engine(), body + "<script>alert(1)</script>")
    assert (
        html.startswith("<p>")
        and "<li>" not in html
        and "<script>" not in html
        and "&lt;script&gt;" in html
    )


def test_nesting_a_person_writes_is_rendered_as_markdown() -> None:
    """Eight levels of list inside a quote is far below the bound."""
    text = "> " + bullets(8).replace("\n", "\n> ")
    assert nesting_depth(text) <= MAX_NESTING and render_html(_engine(), text).count("<ul>") == 8


def test_the_renderer_survives_a_recursion_the_bound_does_not_foresee() -> None:
    """Should Python-Markdown still exhaust the stack, the text is plain text, not a crash."""
    from statusgen.render.markdown import as_plain_text

    assert as_plain_text("a < b\n- c") == "<p>a &lt; b<br>\n- c</p>"


# ---- pathological inline and block shapes ---------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "*a" * 200_000,
        "`" * 400_000,
        "`a" * 200_000,
        "\\" * 400_000,
        "_a" * 200_000,
        "-\n" * 200_000,
        "a" * 400_000,
    ],
    ids=[
        "emphasis",
        "backticks",
        "code spans",
        "backslashes",
        "underscores",
        "lines",
        "one huge word",
    ],
)
def test_a_400_kb_pathological_message_is_refused_before_rendering(
    scratch_site: ScratchSite, body: str
) -> None:
    """Shapes that took Python-Markdown 20 to 55 s are one error with its file, line and fix."""
    (message,) = errors_for(scratch_site, body)
    assert (
        message.startswith(f"{INCIDENT}/02.md:5: error: message has") and "are allowed" in message
    )
    assert "\n    fix: " in message


def test_a_long_real_postmortem_is_accepted() -> None:
    """A 50 KB write-up with headings, lists, links, code and tables passes every bound."""
    section = (
        "## Timeline\n\nAt 14:02 **alerts** fired for `api-gateway`; see the [runbook](https://example.com/rb) "
        "and the SLO dashboard.\n\n"
        "- first *hypothesis*: the database\n- second: the `load_balancer` config\n    - rolled back\n\n"
        "| step | owner |\n| --- | --- |\n| failover | db_team |\n\n"
        "```\nC:\\logs\\api\\error.log: *** connection reset ***\n```\n\n"
    )
    text = section * (50_000 // len(section))
    assert len(text) > 45_000 and text.count("\n") > 2_000 and markdown_text(text) is None


# ---- per block: the cost is (costly characters in a block) × (length of the block) ------

WORDS = "word " * 1_500  # one paragraph of 7,500 characters: under the block limit
FILLER = "\n\n".join([WORDS] * 12)  # about 90 KB of ordinary paragraphs
INTRO = "We are investigating.\n\nDetails follow.\n\n"  # the shape starts at the body's line 5


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (INTRO + "[" * 200 + "b " * 5_000, "this paragraph has 10,200 characters"),
        (INTRO + "-\n" * 2_000 + "b " * 60_000, "this paragraph has 124,000 characters"),
        (INTRO + "=\n" * 2_000 + "&" * 100_000, "this paragraph has 104,000 characters"),
        (INTRO + "***\n" * 600 + "b " * 30_000, "this paragraph has 62,400 characters"),
        (INTRO + "*a" * 1_000 + "&" * 100_000, "this paragraph has 102,000 characters"),
        (INTRO + "`" * 2_000 + "&" * 100_000, "this paragraph has 102,000 characters"),
        (
            INTRO + "[" * 100 + WORDS[:7_000] + "\n\n" + FILLER,
            "too many '[' in long paragraphs: this one has 100 in",
        ),
        (
            INTRO + "<" * 100 + WORDS[:7_000] + "\n\n" + FILLER,
            "too many '<' in long paragraphs: this one has 100 in",
        ),
        (
            INTRO + "<a " * 100 + "\n\n" + FILLER,
            "this '<' opens an HTML tag that Markdown reads far ahead",
        ),
        (
            INTRO + '<a x=">"> ' * 30 + "\n\n" + FILLER,
            "this '<' opens an HTML tag that Markdown reads far ahead",
        ),
    ],
    ids=[
        "brackets then words",
        "lines of -",
        "lines of =",
        "rules",
        "emphasis",
        "backticks",
        "brackets in a long paragraph",
        "angle brackets in a long paragraph",
        "unclosed tags",
        "quoted tags",
    ],
)
def test_a_costly_block_is_refused_at_its_line_with_a_fix(
    scratch_site: ScratchSite, body: str, says: str
) -> None:
    """Shapes within the per-message counts that took 1.5 to 23 s are refused at their block's line."""
    (message,) = errors_for(scratch_site, body)
    assert message.startswith(f"{INCIDENT}/02.md:9: error: {says}"), message
    assert "\n    fix: " in message and ("fenced code block" in message)


def test_brackets_spread_over_many_long_paragraphs_add_up_to_one_refusal(
    scratch_site: ScratchSite,
) -> None:
    """10 '[' in each of 13 long paragraphs costs as much as 130 in one: the worst block is named."""
    block = "[" * 10 + WORDS[:7_400]
    body = "\n\n".join([WORDS[:500]] + [block] * 12 + ["[" * 11 + WORDS[:7_400]])
    (message,) = errors_for(scratch_site, body)
    assert message.startswith(
        f"{INCIDENT}/02.md:{5 + 2 * 13}: error: too many '[' in long paragraphs: this one has 11"
    )


def test_the_line_counts_the_blank_lines_after_the_frontmatter(scratch_site: ScratchSite) -> None:
    """A blank line between '---' and the message still puts the error on the paragraph's line."""
    (message,) = errors_for(scratch_site, "\n\nShort.\n\n" + "a " * 4_100)
    assert message.startswith(f"{INCIDENT}/02.md:9: error: this paragraph has 8,200 characters")


def test_the_fence_pattern_is_the_installed_python_markdowns() -> None:
    """Validation keeps its own copy of the fence opening (so that it never imports
    Python-Markdown); it must be the renderer's, or a fence would be counted differently
    from how it renders. Fails when an upgrade of Python-Markdown changes it: copy it again."""
    from markdown.extensions.fenced_code import FencedBlockPreprocessor

    renderer = FencedBlockPreprocessor.FENCED_BLOCK_RE
    assert renderer.pattern.split("(?P<code>")[0] == FENCE_OPENING.pattern
    assert renderer.flags == FENCE_OPENING.flags


def test_an_unclosed_fence_is_counted_like_any_other_text() -> None:
    """Python-Markdown renders an unclosed fence as a paragraph, so its length counts."""
    problem = markdown_text("```\n" + "log line\n" * 2_000)
    assert problem is not None and problem.line == 1 and "this paragraph has" in problem.message


def test_many_unclosed_fences_are_refused_at_the_first(scratch_site: ScratchSite) -> None:
    """Each unclosed opening makes Python-Markdown scan to the end of the text, at every fence."""
    (message,) = errors_for(scratch_site, INTRO + "~~~a\n" * 500 + "\n" + FILLER)
    assert message.startswith(
        f"{INCIDENT}/02.md:9: error: this line opens a fenced code block that is never closed"
    )


def test_a_message_with_a_100_kb_fenced_log_is_accepted() -> None:
    """Fenced code is not parsed as Markdown: a long log with brackets and stars stays allowed."""
    log = "".join(
        f"2026-11-20T14:{i % 60:02d}:00Z <api-gw> [warn] retry *{i}* of `POST /v1`\n"
        for i in range(1_700)
    )
    text = "Logs of the failing gateway:\n\n```text\n" + log + "```\n\nWe are rolling back."
    assert len(log) > 100_000 and markdown_text(text) is None


def test_a_message_of_ordinary_paragraphs_up_to_the_size_limit_is_accepted() -> None:
    """Many real paragraphs, each with links, emphasis and code, pass every per-block bound."""
    paragraph = (
        "At 14:02 **alerts** fired for `api-gateway`: the [runbook](https://example.com/rb) says to "
        "fail over, and <https://status.example.com> was updated. "
        + "Error rates rose to 12 % in eu-west-1 while the database failed over to its replica. "
        * 7
    )
    text = "\n\n".join([paragraph] * (MAX_MESSAGE_CHARACTERS // (len(paragraph) + 2)))
    assert len(text) > 120_000 and markdown_text(text) is None


def test_every_update_of_the_example_site_is_accepted() -> None:
    """The bounds refuse nothing that the example content holds."""
    load_and_validate(EXAMPLE_CONTENT)


# ---- the build cache is not trusted ---------------------------------------------------


def test_a_poisoned_cache_entry_is_sanitised_like_fresh_output() -> None:
    """HTML read from the cache goes through nh3 again before it reaches a page."""
    text = "We are investigating."
    renderer = MarkdownRenderer(
        {text_key(text): '<p>ok</p><script>alert(1)</script><a href="javascript:x">x</a>'}
    )
    html = str(renderer(text))
    assert "<script" not in html and "javascript:" not in html and html.startswith("<p>ok</p>")


def test_a_poisoned_cache_file_never_reaches_the_published_site(tmp_path: Path) -> None:
    """Rewriting .statusgen-cache/markdown.json between builds publishes no script."""
    cache_dir, out = tmp_path / "cache", tmp_path / "out"
    options = BuildOptions(EXAMPLE_CONTENT, out, DEMO_NOW, None, cache_dir, 1)
    build(options)
    stored = json.loads((cache_dir / "markdown.json").read_text(encoding="utf-8"))
    stored["html"] = {
        key: html + "<script>alert('cache')</script>" for key, html in stored["html"].items()
    }
    (cache_dir / "markdown.json").write_text(json.dumps(stored), encoding="utf-8")
    build(options)
    pages = [p.read_text(encoding="utf-8") for p in out.rglob("*.html")]
    assert pages and not any("alert('cache')" in page for page in pages)


def test_the_cache_key_covers_the_renderers_own_source() -> None:
    """An edited renderer with an unchanged version number never reuses old output."""
    import hashlib

    source_hash = hashlib.sha256(Path(markdown.__file__).read_bytes()).hexdigest()
    assert source_hash in markdown.RENDERER_KEY


# ---- the clock ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "now",
    [
        "9999-12-31T00:00:00Z",
        "9999-07-01T00:00:00Z",
        "9999-12-31T23:00:00-05:00",
        "1989-12-31T23:59:59Z",
    ],
)
def test_now_outside_1990_to_2199_is_a_usage_error(tmp_path: Path, now: str) -> None:
    """A mistyped year is exit status 2 at once, not an overflow or minutes of work."""
    result = CliRunner().invoke(
        main, ["build", str(EXAMPLE_CONTENT), "--output", str(tmp_path / "out"), "--now", now]
    )
    assert result.exit_code == 2 and "outside 1990–2199" in result.output


@pytest.mark.parametrize("epoch", ["99999999999999", "-99999999999999999999", "7258118400"])
def test_source_date_epoch_outside_1990_to_2199_is_a_usage_error(
    tmp_path: Path, epoch: str
) -> None:
    """SOURCE_DATE_EPOCH gets the same range as --now."""
    result = CliRunner().invoke(
        main,
        ["build", str(EXAMPLE_CONTENT), "--output", str(tmp_path / "out")],
        env={"SOURCE_DATE_EPOCH": epoch},
    )
    assert result.exit_code == 2 and "outside 1990–2199" in result.output


# ---- terminal output ------------------------------------------------------------------


def test_printable_makes_terminal_controls_visible() -> None:
    """ESC, CR, BEL, DEL, C1 and bidi overrides are shown as escapes; tab and newline stay."""
    assert (
        printable("a\x1b[2J\r\x07\x7f\x9b\u202eb\t\n")
        == "a\\x1b[2J\\x0d\\x07\\x7f\\x9b\\u202eb\t\n"
    )


def test_problems_print_escape_sequences_visibly() -> None:
    """A title or file name holding ESC [ … never reaches the terminal raw."""
    stream = io.StringIO()
    problem = ContentError(
        Source("incidents/\x1b]0;pwned\x07/01.md", 3),
        "title",
        "bad \x1b[31mred\x1b[0m title",
        "fix \u202eit",
    )
    print_problems(Console(file=stream, highlight=False, soft_wrap=True), [problem])
    output = stream.getvalue()
    assert "\x1b" not in output and "\u202e" not in output
    assert "\\x1b]0;pwned\\x07" in output and "bad \\x1b[31mred\\x1b[0m title" in output


def test_an_output_path_with_markup_is_printed_as_written(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """`[/]` in --output is text, not a rich closing tag that crashes the error report."""
    root = scratch_site({**OPEN_INCIDENT, f"{INCIDENT}/02.md": HEADER + "[" * 300})
    output = tmp_path / "out[/]\x1b[2J"
    result = CliRunner().invoke(main, ["build", str(root), "--output", str(output), *NOW])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "out[/]\\x1b[2J is unchanged" in result.output and "\x1b" not in result.output
