"""Tables that fit the terminal: wrapped headings, then column groups, never a broken line.

A table wider than the terminal wraps its headings over several lines first (headings are
usually what makes it wide); if it is still too wide, the columns after the first are split
into groups that each fit, each group printed under the first column again.

Examples
--------
>>> lines = fit_table(["Name", "A long heading", "Another long heading"], [["x", "1", "2"]], 30)
>>> max(len(line) for line in lines) <= 30
True
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Sequence

__all__ = ["fit_table", "terminal_width", "wrap"]

MIN_WIDTH = 40
"""The narrowest terminal the tables are laid out for (a narrower one counts as this wide)."""


def terminal_width(default: int = 100) -> int:
    """The terminal's width in characters (``default`` when the output is not a terminal)."""
    return max(MIN_WIDTH, shutil.get_terminal_size((default, 24)).columns)


def wrap(text: str, width: int | None, indent: str = "") -> list[str]:
    """``text`` as lines of at most ``width`` characters (one line when ``width`` is None).

    A path or other word longer than the line stays whole (on a line of its own).
    """
    if width is None:
        return [text]
    lines = textwrap.wrap(
        text, width, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
    )
    return lines or [""]


def fit_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: int | None,
    *,
    indent: int = 2,
    gap: int = 2,
) -> list[str]:
    """The table as lines no longer than ``width``: first column left-aligned, the rest right.

    Parameters
    ----------
    header
        One heading per column.
    rows
        The cells, already formatted.
    width
        The terminal's width (None: one line per row however wide).
    indent, gap
        Spaces before the table and between columns.
    """
    natural = _layout(header, rows, indent, gap, wrap_headings=False)
    if width is None or max(len(line) for line in natural) <= width:
        return natural
    wrapped = _layout(header, rows, indent, gap, wrap_headings=True)
    if max(len(line) for line in wrapped) <= width:
        return wrapped
    widths = _widths(header, rows, wrap_headings=True)
    groups: list[list[int]] = [[]]
    used = indent + widths[0]
    for column in range(1, len(header)):
        if groups[-1] and used + gap + widths[column] > width:
            groups.append([])
            used = indent + widths[0]
        groups[-1].append(column)
        used += gap + widths[column]
    lines: list[str] = []
    for number, group in enumerate(groups):
        if number:
            lines.append("")
        columns = [0, *group]
        lines.extend(
            line[:width]
            for line in _layout(
                [header[c] for c in columns],
                [[row[c] for c in columns] for row in rows],
                indent,
                gap,
                wrap_headings=True,
            )
        )
    return lines


def _widths(
    header: Sequence[str], rows: Sequence[Sequence[str]], *, wrap_headings: bool
) -> list[int]:
    """Each column's width: its widest cell, and its heading's (longest word, if wrapped)."""
    widths = []
    for index, heading in enumerate(header):
        cells = max((len(row[index]) for row in rows), default=0)
        words = max((len(word) for word in heading.split()), default=0)
        shown = max(words, min(len(heading), max(cells, 10))) if wrap_headings else len(heading)
        widths.append(max(cells, shown))
    return widths


def _layout(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    indent: int,
    gap: int,
    *,
    wrap_headings: bool,
) -> list[str]:
    widths = _widths(header, rows, wrap_headings=wrap_headings)
    headings = [
        textwrap.wrap(heading, width) or [""] if wrap_headings else [heading]
        for heading, width in zip(header, widths, strict=True)
    ]
    height = max(len(lines) for lines in headings)
    out = []
    for line in range(height):
        cells = []
        for index, (lines, width) in enumerate(zip(headings, widths, strict=True)):
            text = lines[line - (height - len(lines))] if line >= height - len(lines) else ""
            cells.append(text.ljust(width) if index == 0 else text.rjust(width))
        out.append((" " * indent + (" " * gap).join(cells)).rstrip())
    for row in rows:
        cells = [
            cell.ljust(width) if index == 0 else cell.rjust(width)
            for index, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        out.append((" " * indent + (" " * gap).join(cells)).rstrip())
    return out
