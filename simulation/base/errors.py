"""Errors that a planner can act on.

Every problem names where it is (file, key path or CSV row and column), the value found and what was
expected. Problems are collected, not raised one at a time, so a user sees everything wrong with a file
in one go.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "InputWarning",
    "OutputError",
    "Problem",
    "ScenarioError",
    "excerpt",
    "show_value",
]

MAX_SHOWN = 50
"""How many problems a :class:`ScenarioError` message lists before it summarises the rest."""

EXCERPT_CHARACTERS = 60
"""The most characters of a user's text (a cell, a header, a TOML string) a message repeats."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file.

    Parameters
    ----------
    file
        The file the problem is in.
    location
        Where in the file: a key path such as ``agreement.tiers[1].referral_share``, or ``row 12,
        column 'households'`` for a CSV file; empty for a problem with the file as a whole.
    value
        The offending value, as text (empty when there is none, e.g. a missing key).
    expected
        What was expected instead, in words a planner understands.
    """

    file: Path | str
    location: str
    value: str
    expected: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.location}" if self.location else f"{self.file}"
        got = f"got {self.value}; " if self.value else ""
        return f"{where}: {got}expected {self.expected}"


class ScenarioError(ValueError):
    """A scenario, department or area file is invalid; carries every :class:`Problem` found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(format_problems(self.problems))


def format_problems(problems: Sequence[Problem]) -> str:
    """Render problems one per line, at most :data:`MAX_SHOWN` of them."""
    lines = [str(problem) for problem in problems[:MAX_SHOWN]]
    if len(problems) > MAX_SHOWN:
        lines.append(f"... and {len(problems) - MAX_SHOWN} more problems")
    return "\n".join(lines)


def excerpt(text: str, limit: int = EXCERPT_CHARACTERS) -> str:
    r"""A short, quoted and sanitised excerpt of a user's text, safe to print in a message.

    Control characters (NUL, escape sequences, line breaks) are shown escaped, and text longer than
    ``limit`` characters is cut with ``…`` and its length, so that a message about a file that
    could not be read never repeats more than a few words of it.

    Examples
    --------
    >>> excerpt("Afdeling")
    "'Afdeling'"
    >>> excerpt("PATH=/usr/bin\x00HOME=/root\x00SECRET=hunter2", limit=12)
    "'PATH=/usr/bi…' (39 characters)"
    """
    shown = text[:limit]
    cleaned = "".join(
        character if character.isprintable() else repr(character)[1:-1] for character in shown
    )
    if len(text) > limit:
        return f"'{cleaned}…' ({len(text)} characters)"
    return f"'{cleaned}'"


def show_value(value: object) -> str:
    """Render a value the way a user wrote it in TOML or CSV (strings quoted, long ones cut)."""
    if isinstance(value, str):
        return excerpt(value)
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    return str(value)


class InputWarning(UserWarning):
    """An input was read, but part of it was passed over (columns not used, a run not finished)."""


class OutputError(ValueError):
    """An output path cannot be used (a file where a folder is needed, another run's folder …)."""
