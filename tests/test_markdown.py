"""Messages are Markdown, sanitised: nothing executable reaches a visitor."""

from __future__ import annotations

import pytest

from statusgen.render.markdown import MarkdownRenderer


@pytest.fixture
def render() -> MarkdownRenderer:
    return MarkdownRenderer()


def test_markdown_renders_lists_code_and_links(render: MarkdownRenderer) -> None:
    """Engineers write ordinary Markdown."""
    html = render("We rolled back:\n\n- `api` 4.2\n- see [the docs](https://example.com/docs)\n")
    assert "<li><code>api</code> 4.2</li>" in html
    assert (
        '<a href="https://example.com/docs" rel="noopener noreferrer nofollow">the docs</a>' in html
    )


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="data:text/html,<script>alert(1)</script>">x</a>',
        "<svg><script>alert(1)</script></svg>",
        '<iframe src="https://evil.example"></iframe>',
        '<p style="background:url(javascript:alert(1))">x</p>',
    ],
)
def test_executable_content_is_removed(render: MarkdownRenderer, payload: str) -> None:
    """Script tags, handlers, javascript: and data: URLs, frames and styles are stripped."""
    html = str(render(payload)).lower()
    for forbidden in ("<script", "onerror", "javascript:", "data:", "<iframe", "style="):
        assert forbidden not in html


def test_customer_actions_render_inline(render: MarkdownRenderer) -> None:
    """An action is one line of Markdown without a wrapping paragraph."""
    assert render.inline("Rotate your [token](https://example.com)") == (
        'Rotate your <a href="https://example.com" rel="noopener noreferrer nofollow">token</a>'
    )


def test_plain_text_of_a_message_is_unescaped_text() -> None:
    """Summaries are text: '&' and '<' appear as such, for templates to escape once."""
    from statusgen.render.markdown import plain_text

    assert plain_text(str(MarkdownRenderer()("R&D said `a < b`"))) == "R&D said a < b"


def test_an_update_keeps_its_line_breaks_and_a_document_does_not(
    render: MarkdownRenderer,
) -> None:
    """Updates are messages (Statuspage and chat tools show their line breaks); post-mortems
    and descriptions are documents whose authors may wrap lines."""
    text = "Database failover done.\nLatency back to normal.\n\n```\nline one\nline two\n```"
    update = str(render.update(text))
    assert "Database failover done.<br>\nLatency back to normal." in update
    assert "<pre><code>line one\nline two\n</code></pre>" in update  # code keeps its newlines only
    assert "<br>" not in str(render(text))


@pytest.mark.parametrize("kind", ["update", "document"])
def test_bare_urls_become_safe_links(render: MarkdownRenderer, kind: str) -> None:
    text = "Details: https://example.com/postmortem?id=42 and ops@example.com; javascript:alert(1)"
    html = str(render.update(text) if kind == "update" else render(text))
    assert (
        '<a href="https://example.com/postmortem?id=42" rel="noopener noreferrer nofollow">'
        "https://example.com/postmortem?id=42</a>"
    ) in html
    assert '<a href="mailto:ops@example.com" rel="noopener noreferrer nofollow">' in html
    assert "; javascript:alert(1)</p>" in html  # text, never a link


def test_the_update_mark_never_shows(render: MarkdownRenderer) -> None:
    assert "\x00" not in str(render.update("A message."))
    assert str(render.update("A message.")) == "<p>A message.</p>"
