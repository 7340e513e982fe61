"""Markdown from packs is rendered without raw HTML or script URLs, and code fences keep their language."""

from __future__ import annotations

from certprep.packs.markdown import render_markdown


def test_raw_html_is_escaped() -> None:
    html = render_markdown('Hello <script>alert("x")</script> <img src=x onerror=alert(1)>')
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_script_links_are_not_links() -> None:
    html = render_markdown(
        "[click](javascript:alert(1)) [data](data:text/html,hi) [ok](https://learn.microsoft.com/x)"
    )
    assert 'href="javascript' not in html and 'href="data' not in html
    assert '<a href="https://learn.microsoft.com/x">ok</a>' in html


def test_code_fences_keep_their_language() -> None:
    for lang in ("yaml", "bicep", "kql", "powershell", "bash"):
        html = render_markdown(f"```{lang}\nx <b>y</b>\n```\n")
        assert f'<code class="language-{lang}">' in html and "&lt;b&gt;" in html


def test_info_string_flags_do_not_leak_into_class() -> None:
    html = render_markdown("```yaml azure-pipelines\ntrigger: none\n```\n")
    assert '<code class="language-yaml">' in html


def test_every_code_block_can_take_keyboard_focus() -> None:
    # A long line scrolls sideways; axe's scrollable-region-focusable (WCAG 2.1.1) needs the block reachable by Tab.
    html = render_markdown("```yaml\n" + "x" * 400 + "\n```\n\n    indented code\n\nand `inline` code\n")
    assert html.count('<pre tabindex="0">') == 2 and html.count("<pre") == 2
    assert "<code>inline</code>" in html


def test_tables_can_take_keyboard_focus() -> None:
    html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert '<table tabindex="0">' in html and html.count("<table") == 1
