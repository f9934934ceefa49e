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
