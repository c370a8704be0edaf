r"""Small HTML building blocks for the report: escaped text, tables, embedded figures, Markdown.

The report is one self-contained file: CSS inline, figures embedded as base64 PNG, no JavaScript,
no fonts or anything else fetched from the network. Every element is closed explicitly and void
elements are written ``<img ... />``, so that the page parses as well-formed XML too (handy for
tests and for tools that read it).

Text is escaped wherever it enters; :class:`Markup` marks a string that is already HTML.

Examples
--------
>>> str(table(["a", "b"], [["1 < 2", Cell("3", numeric=True)]]))  # doctest: +NORMALIZE_WHITESPACE
'<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1 &lt; 2</td><td
class="num">3</td></tr></tbody></table>'
>>> str(markdown_to_html("# Title\n\nSome *text* with `code`.", heading_offset=2))
'<h3>Title</h3>\n<p>Some <em>text</em> with <code>code</code>.</p>'
"""

from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from matplotlib.figure import Figure

__all__ = [
    "CSS",
    "Cell",
    "Markup",
    "element",
    "escape",
    "figure_html",
    "figure_png",
    "join",
    "markdown_to_html",
    "png_html",
    "table",
]

FIGURE_DPI = 96
"""Resolution of embedded figures (dots per inch): sharp on screen, small in the file."""

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class Markup(str):
    """A string that is already HTML (not escaped again)."""

    __slots__ = ()


def escape(text: object) -> Markup:
    """``text`` as HTML: ``&``, ``<``, ``>`` and quotes escaped; :class:`Markup` passes through."""
    if isinstance(text, Markup):
        return text
    return Markup(html.escape(str(text), quote=True))


def join(parts: Iterable[object], separator: str = "\n") -> Markup:
    """Join HTML parts (text parts are escaped)."""
    return Markup(separator.join(escape(part) for part in parts))


def element(tag: str, content: object = "", **attributes: object) -> Markup:
    """An element with escaped attributes; ``class_`` stands for ``class``; None leaves one out.

    Examples
    --------
    >>> str(element("p", "a & b", class_="note"))
    '<p class="note">a &amp; b</p>'
    """
    return Markup(f"<{tag}{_attributes(attributes)}>{escape(content)}</{tag}>")


def _attributes(attributes: Mapping[str, object]) -> str:
    parts = []
    for name, value in attributes.items():
        if value is None:
            continue
        key = name.rstrip("_").replace("_", "-")
        parts.append(f' {key}="{escape(value)}"')
    return "".join(parts)


@dataclass(frozen=True)
class Cell:
    """A table cell: text (or :class:`Markup`), right-aligned when numeric, with optional style."""

    content: object
    numeric: bool = False
    style: str | None = None
    css_class: str | None = None


def _cell(tag: str, value: object, numeric: bool = False) -> str:
    if isinstance(value, Cell):
        classes = " ".join(
            name for name in ("num" if value.numeric else "", value.css_class or "") if name
        )
        return str(element(tag, value.content, class_=classes or None, style=value.style))
    return str(element(tag, value, class_="num" if numeric else None))


def table(
    header: Sequence[object],
    rows: Iterable[Sequence[object]],
    *,
    caption: object | None = None,
    numeric: Sequence[bool] | None = None,
    css_class: str | None = None,
    id_: str | None = None,
) -> Markup:
    """A table with a header row, body rows and an optional caption.

    Parameters
    ----------
    header
        Column headings (text or :class:`Markup`).
    rows
        Body rows; each cell is text, :class:`Markup` or a :class:`Cell`.
    caption
        The caption shown above the table.
    numeric
        Per column, whether plain cells are right-aligned numbers.
    css_class, id_
        The table's class and id.
    """
    flags = list(numeric) if numeric is not None else [False] * len(header)
    parts = [f"<table{_attributes({'class': css_class, 'id': id_})}>"]
    if caption is not None:
        parts.append(str(element("caption", caption)))
    parts.append("<thead><tr>")
    parts.extend(
        _cell("th", Cell(name, numeric=flag) if not isinstance(name, Cell) else name)
        for name, flag in zip(header, flags, strict=True)
    )
    parts.append("</tr></thead><tbody>")
    for row in rows:
        parts.append("<tr>")
        parts.extend(_cell("td", value, flag) for value, flag in zip(row, flags, strict=True))
        parts.append("</tr>")
    parts.append("</tbody></table>")
    return Markup("".join(parts))


def figure_png(figure: Figure, dpi: int = FIGURE_DPI) -> bytes:
    """A matplotlib figure as PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, dpi=dpi, format="png")
    return buffer.getvalue()


def png_html(
    data: bytes, alt: str, caption: object | None = None, *, id_: str | None = None
) -> Markup:
    """A ``<figure>`` with PNG bytes embedded as a base64 data URL, and its caption.

    Raises
    ------
    ValueError
        If ``data`` is not a PNG image.
    """
    if not data.startswith(PNG_SIGNATURE):
        raise ValueError("not a PNG image")
    source = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
    image = f'<img src="{source}" alt="{escape(alt)}" />'
    parts = [f"<figure{_attributes({'id': id_})}>", image]
    if caption is not None:
        parts.append(str(element("figcaption", caption)))
    parts.append("</figure>")
    return Markup("".join(parts))


def figure_html(
    figure: Figure, alt: str, caption: object | None = None, *, id_: str | None = None
) -> Markup:
    """A matplotlib figure embedded as PNG (see :func:`png_html`)."""
    return png_html(figure_png(figure), alt, caption, id_=id_)


# --------------------------------------------------------------------------------------------------
# Markdown: the small subset our own files use (headings, lists, tables, paragraphs, inline code,
# emphasis and links)

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_CODE = re.compile(r"`([^`]+)`")
_STRONG = re.compile(r"\*\*(.+?)\*\*")
_EMPHASIS = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def markdown_inline(text: str) -> Markup:
    """Inline Markdown as HTML: escaped text with `code`, **strong**, *emphasis* and links.

    Examples
    --------
    >>> str(markdown_inline("a **b** and [c](d.md) < e"))
    'a <strong>b</strong> and <a href="d.md">c</a> &lt; e'
    """
    codes: list[str] = []

    def keep(match: re.Match[str]) -> str:
        codes.append(str(element("code", match.group(1))))
        return f"\x00{len(codes) - 1}\x00"

    text = _CODE.sub(keep, text)
    escaped = str(escape(text))
    escaped = _STRONG.sub(r"<strong>\1</strong>", escaped)
    escaped = _EMPHASIS.sub(r"<em>\1</em>", escaped)
    escaped = _LINK.sub(lambda m: f'<a href="{m.group(2)}">{m.group(1)}</a>', escaped)
    escaped = re.sub("\x00(\\d+)\x00", lambda m: codes[int(m.group(1))], escaped)
    return Markup(escaped)


def _split_row(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|"):
        line = line[:-1]
    return [cell.strip() for cell in line.split("|")]


def markdown_to_html(
    text: str,
    *,
    heading_offset: int = 0,
    translate: Callable[[str], str] | None = None,
) -> Markup:
    """Convert simple Markdown to HTML: headings, bullet and numbered lists, tables, paragraphs.

    Parameters
    ----------
    text
        The Markdown.
    heading_offset
        Added to every heading level (``# A`` becomes ``<h3>`` with 2), capped at 6.
    translate
        Applied to the text of headings and table headers before they are written (for a
        Danish report of an English file); returns its argument when it knows no translation.

    Returns
    -------
    Markup
        The HTML, one block per line.
    """
    translate = translate or (lambda words: words)
    blocks: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    list_tag = ""
    lines = text.splitlines()

    def flush_paragraph() -> None:
        if paragraph:
            blocks.append(f"<p>{markdown_inline(' '.join(paragraph))}</p>")
            paragraph.clear()

    def flush_list() -> None:
        nonlocal list_tag
        if items:
            inner = "".join(f"<li>{markdown_inline(item)}</li>" for item in items)
            blocks.append(f"<{list_tag}>{inner}</{list_tag}>")
            items.clear()
        list_tag = ""

    index = 0
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        is_table = (
            stripped.startswith("|")
            and index + 1 < len(lines)
            and _TABLE_RULE.match(lines[index + 1]) is not None
        )
        if not stripped:
            flush_paragraph()
            flush_list()
        elif heading := _HEADING.match(stripped):
            flush_paragraph()
            flush_list()
            level = min(6, len(heading.group(1)) + heading_offset)
            words = translate(heading.group(2))
            blocks.append(f"<h{level}>{markdown_inline(words)}</h{level}>")
        elif is_table:
            flush_paragraph()
            flush_list()
            header = [translate(cell) for cell in _split_row(stripped)]
            index += 2
            body = []
            while index < len(lines) and lines[index].strip().startswith("|"):
                body.append(_split_row(lines[index]))
                index += 1
            width = len(header)
            rows = [(row + [""] * width)[:width] for row in body]
            blocks.append(
                str(
                    table(
                        [markdown_inline(cell) for cell in header],
                        [[markdown_inline(cell) for cell in row] for row in rows],
                    )
                )
            )
            continue
        elif (bullet := _BULLET.match(line)) or (numbered := _NUMBERED.match(line)):
            flush_paragraph()
            tag = "ul" if bullet else "ol"
            if list_tag and list_tag != tag:
                flush_list()
            list_tag = tag
            items.append((bullet or numbered).group(1))  # type: ignore[union-attr]
        elif items and line.startswith((" ", "\t")):
            items[-1] += " " + stripped  # a continued list item
        else:
            flush_list()
            paragraph.append(stripped)
        index += 1
    flush_paragraph()
    flush_list()
    return Markup("\n".join(blocks))


CSS = """
:root { --ink: #1d2430; --muted: #5b6472; --line: #d9dee6; --soft: #f3f5f8; --accent: #1f5f99;
  --warn: #8a4b00; --warn-bg: #fff4e0; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #ffffff;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 32px 64px; }
header.top { border-bottom: 3px solid var(--accent); margin-bottom: 16px; }
h1 { font-size: 1.8em; margin: 0.2em 0 0.3em; }
h2 { font-size: 1.4em; margin: 1.8em 0 0.5em; padding-bottom: 0.2em; border-bottom: 1px solid var(--line); color: var(--accent); }
h3 { font-size: 1.15em; margin: 1.4em 0 0.4em; }
h4 { font-size: 1em; margin: 1.1em 0 0.3em; }
h5, h6 { font-size: 0.95em; margin: 1em 0 0.3em; }
p, li { max-width: 78em; }
.meta { color: var(--muted); font-size: 0.9em; margin: 0.2em 0; }
.banner { background: var(--warn-bg); color: var(--warn); border: 1px solid #f0c98a; border-radius: 4px;
  padding: 8px 12px; font-weight: 600; margin: 12px 0; }
.note { color: var(--muted); font-size: 0.92em; }
.lead { font-size: 1.05em; background: var(--soft); border-left: 4px solid var(--accent); padding: 10px 14px; }
nav.toc ol { margin: 0.3em 0; padding-left: 1.4em; columns: 2; }
nav.toc a { color: var(--accent); text-decoration: none; }
table { border-collapse: collapse; margin: 0.6em 0 1.2em; font-size: 0.88em; }
caption { caption-side: top; text-align: left; font-weight: 600; padding: 4px 0; color: var(--ink); }
th, td { border: 1px solid var(--line); padding: 3px 7px; vertical-align: top; text-align: left; }
th { background: var(--soft); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
table.parameters { width: 100%; table-layout: fixed; }
table.parameters th:nth-child(1) { width: 20%; }
table.parameters th:nth-child(2) { width: 22%; }
table.parameters th:nth-child(3) { width: 17%; }
table.parameters th:nth-child(4) { width: 9%; }
table.parameters th:nth-child(5) { width: 6%; }
table code { word-break: break-all; }
table.parameters td, table.groups td { overflow-wrap: anywhere; }
table.groups code { word-break: normal; }
td.final, th.final { font-weight: 700; }
td.differs { background: #fff8e6; }
.table-wrap { overflow-x: auto; }
figure { margin: 0.8em 0 1.6em; }
figure img { max-width: 100%; height: auto; border: 1px solid var(--line); }
figcaption { color: var(--muted); font-size: 0.9em; margin-top: 4px; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.9em;
  background: var(--soft); padding: 0 3px; border-radius: 3px; }
dl.scenarios dt { font-weight: 700; margin-top: 0.5em; }
dl.scenarios dd { margin-left: 1.2em; }
.markdown h3, .markdown h4, .markdown h5 { color: var(--ink); }
footer { margin-top: 48px; color: var(--muted); font-size: 0.85em; border-top: 1px solid var(--line); padding-top: 8px; }
section.decision-page h2 { margin-top: 0.6em; }
.recommendation { font-size: 1.15em; font-weight: 700; background: #e8f1fa; border-left: 5px solid var(--accent);
  padding: 8px 12px; margin: 0.4em 0; }
.rule, .power { color: var(--muted); font-size: 0.9em; }
.caveat { border-left: 4px solid #f0c98a; padding: 4px 10px; background: var(--warn-bg); }
table.decision { width: 100%; table-layout: fixed; }
table.decision th:first-child { width: 26%; }
table.decision th, table.decision td { overflow-wrap: break-word; hyphens: auto; }
table.decision small { color: var(--muted); }
table.decision td.num { white-space: normal; }
table.wide { width: 100%; table-layout: fixed; }
table.wide th:first-child { width: 19%; }
table.wide td.num { white-space: normal; }
td.chosen, th.chosen { background: #e8f1fa; font-weight: 700; }
@page { size: A4; margin: 12mm; }
@media print { main { max-width: none; padding: 0; } h2, h3, caption { break-after: avoid; }
  figure { break-inside: avoid; } table { break-inside: auto; } tr { break-inside: avoid; }
  figure img { max-height: 72mm; width: auto; max-width: 100%; }
  figure { margin: 0.4em 0 0.8em; }
  body { font-size: 9.5pt; } table { font-size: 0.84em; } .table-wrap { overflow: visible; }
  table { max-width: 100%; } th, td { overflow-wrap: break-word; } td.num { white-space: normal; }
  h1 { font-size: 1.5em; margin: 0 0 0.2em; }
  section.decision-page h2 { margin: 0.3em 0 0.3em; } .recommendation { padding: 5px 10px; }
  section.decision-page th, section.decision-page td { padding: 2px 5px; }
  section.decision-page { break-after: page; font-size: 9pt; } section.decision-page p { margin: 0.3em 0; }
  section.decision-page table { margin: 0.3em 0 0.5em; } nav.toc { display: none; } }
""".strip()
"""The report's style sheet (inline in the page; system fonts only)."""
