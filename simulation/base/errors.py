"""Errors that a planner can act on, in English and in Danish.

Every problem names where it is (file, key path or CSV row and column), the value found and what was
expected. Problems are collected, not raised one at a time, so a user sees everything wrong with a file
in one go.

Every message is written in both languages where it is raised: a :class:`Words` is an English text
that carries its Danish beside it, so that ``str(error)`` stays English (for tests, logs and
library users) while the command line prints :func:`error_text` in the language of the command
(``blandetby … --lang da``). A :class:`Problem`'s parts may each be :class:`Words` (what was
expected, a row and column) or plain text that reads the same in both languages (a key path, a
file name, a value as the user wrote it).
"""

from __future__ import annotations

import argparse
import errno
from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "ARGUMENT_LANGUAGE",
    "ArgumentWordsError",
    "InputWarning",
    "OutputError",
    "Problem",
    "ScenarioError",
    "Words",
    "as_words",
    "at_row",
    "column_words",
    "danish_number",
    "error_text",
    "excerpt",
    "format_problems",
    "in_language",
    "os_reason",
    "show_value",
]

MAX_SHOWN = 50
"""How many problems a :class:`ScenarioError` message lists before it summarises the rest."""

EXCERPT_CHARACTERS = 60
"""The most characters of a user's text (a cell, a header, a TOML string) a message repeats."""


class Words(str):
    """An English text that carries its Danish: ``str`` operations see the English.

    ``Words`` is a ``str``, so code and tests that read a message (``"expected" in problem.expected``)
    keep working; :func:`in_language` picks the Danish. Building a new string from one (``+``, an
    f-string) keeps only the English: join with :meth:`join_words` instead.

    Examples
    --------
    >>> text = Words("a share from 0 to 1", "en andel fra 0 til 1")
    >>> str(text), in_language(text, "da")
    ('a share from 0 to 1', 'en andel fra 0 til 1')
    >>> in_language(Words.join_words("got ", text), "da")
    'got en andel fra 0 til 1'
    """

    danish: str

    def __new__(cls, english: str, danish: str) -> Words:  # noqa: D102
        made = super().__new__(cls, english)
        made.danish = danish
        return made

    def __reduce__(self) -> tuple[Any, ...]:  # pickled across processes with its Danish
        return (Words, (str(self), self.danish))

    def in_language(self, language: str) -> str:
        """The Danish text if ``language`` is ``da``, else the English."""
        return self.danish if language == "da" else str(self)

    @staticmethod
    def join_words(*parts: str) -> Words:
        """Concatenate texts, each part in its own language (plain text is the same in both)."""
        return Words(
            "".join(str(part) for part in parts), "".join(in_language(part, "da") for part in parts)
        )


def in_language(text: str, language: str) -> str:
    """``text`` in ``language``: the Danish of a :class:`Words`, plain text as it is."""
    return text.in_language(language) if isinstance(text, Words) else str(text)


def danish_number(text: str) -> str:
    """A number written the English way (``20,000.5``) the Danish way (``20.000,5``).

    >>> danish_number("20,000.5"), danish_number("0.25"), danish_number("> 0")
    ('20.000,5', '0,25', '> 0')
    """
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


OS_REASONS_DANISH = {
    errno.ENOENT: "findes ikke",
    errno.EACCES: "adgang nægtet",
    errno.EPERM: "handlingen er ikke tilladt",
    errno.EROFS: "filsystemet er skrivebeskyttet",
    errno.ENOSPC: "der er ikke mere plads på disken",
    errno.EISDIR: "er en mappe",
    errno.ENOTDIR: "er ikke en mappe",
    errno.EEXIST: "findes allerede",
    errno.ENAMETOOLONG: "navnet er for langt",
    errno.ELOOP: "for mange symbolske links",
    errno.EIO: "ind- eller uddatafejl",
}
"""The operating system's commonest reasons in Danish (others are shown as the system says them)."""


def os_reason(error: OSError) -> Words:
    """Why the operating system refused (``No such file or directory``; ``findes ikke``)."""
    english = str(error.strerror or error)
    return Words(english, OS_REASONS_DANISH.get(error.errno or 0, english))


def at_row(row: int | str, where: str = "") -> Words:
    """``row 12`` (``række 12``), followed by ``, where`` (e.g. a column) when given.

    >>> in_language(at_row(12, column_words("'households'")), "da")
    "række 12, kolonne 'households'"
    """
    if not where:
        return Words(f"row {row}", f"række {row}")
    return Words(f"row {row}, {where}", f"række {row}, {in_language(where, 'da')}")


def column_words(name: str) -> Words:
    """``column 'x'`` (``kolonne 'x'``); ``name`` as it should be shown (quoted or a number)."""
    return Words(f"column {name}", f"kolonne {name}")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file.

    Parameters
    ----------
    file
        The file the problem is in (or what stands for it: a :class:`Words` such as "--vary …").
    location
        Where in the file: a key path such as ``agreement.tiers[1].referral_share``, or ``row 12,
        column 'households'`` for a CSV file (:func:`at_row`, :class:`Words` with its Danish); empty
        for a problem with the file as a whole.
    value
        The offending value, as text (empty when there is none, e.g. a missing key).
    expected
        What was expected instead, in words a planner understands: a :class:`Words` with its
        Danish (plain English text is printed as it is in a Danish message too).
    """

    file: Path | str
    location: str
    value: str
    expected: str

    def __str__(self) -> str:
        return self.text("en")

    def text(self, language: str = "en") -> str:
        """The problem in ``language``: ``file: where: got …; expected …`` (``fik …; forventede …``)."""
        location = in_language(self.location, language)
        value = in_language(self.value, language)
        expected = in_language(self.expected, language)
        file = in_language(self.file, language) if isinstance(self.file, str) else self.file
        where = f"{file}: {location}" if location else f"{file}"
        if language == "da":
            got = f"fik {value}; " if value else ""
            return f"{where}: {got}forventede {expected}"
        got = f"got {value}; " if value else ""
        return f"{where}: {got}expected {expected}"


class ScenarioError(ValueError):
    """A scenario, department or area file is invalid; carries every :class:`Problem` found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(format_problems(self.problems))

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.problems,))

    def in_language(self, language: str) -> str:
        """Every problem in ``language``, one per line (see :func:`format_problems`)."""
        return format_problems(self.problems, language)


def format_problems(problems: Sequence[Problem], language: str = "en") -> str:
    """Render problems one per line, at most :data:`MAX_SHOWN` of them, in ``language``."""
    lines = [problem.text(language) for problem in problems[:MAX_SHOWN]]
    more = len(problems) - MAX_SHOWN
    if more > 0:
        lines.append(
            f"... og {more} problemer mere" if language == "da" else f"... and {more} more problems"
        )
    return "\n".join(lines)


def as_words(error: BaseException) -> Words:
    """An error's message in both languages, to raise again as another error's message."""
    return Words(str(error), error_text(error, "da"))


def error_text(error: BaseException, language: str = "en") -> str:
    """What an error says in ``language``.

    An error with an ``in_language(language)`` method (:class:`ScenarioError`, the optimiser's
    errors) says it itself; an error raised with one :class:`Words` message says its Danish; any
    other error says ``str(error)``.
    """
    method = getattr(error, "in_language", None)
    if callable(method):
        return str(method(language))
    if len(error.args) == 1 and isinstance(error.args[0], Words):
        return error.args[0].in_language(language)
    if isinstance(error, OSError) and error.strerror and language == "da":  # [Errno 13] …
        reason = os_reason(error).danish
        return f"{error.filename}: {reason}" if error.filename else reason
    return str(error)


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
        return Words(f"'{cleaned}…' ({len(text)} characters)", f"'{cleaned}…' ({len(text)} tegn)")
    return f"'{cleaned}'"


def show_value(value: object) -> str:
    """Render a value the way a user wrote it in TOML or CSV (strings quoted, long ones cut)."""
    if isinstance(value, str):
        return excerpt(value)
    if isinstance(value, dict):
        return Words("a table", "en tabel")
    if isinstance(value, list):
        return Words(f"a list of {len(value)}", f"en liste med {len(value)}")
    return str(value)


ARGUMENT_LANGUAGE: ContextVar[str] = ContextVar("argument_language", default="en")
"""The language argparse speaks while it parses (set by the command line's ``argparse_language``)."""


class ArgumentWordsError(argparse.ArgumentTypeError):
    """A command-line value an argument type refuses, said in the language argparse speaks.

    argparse shows ``str(error)``; raised with a :class:`Words` message, this error's ``str`` is
    the Danish while :data:`ARGUMENT_LANGUAGE` is ``da`` (``blandetby … --lang da``).
    """

    def __str__(self) -> str:
        message = self.args[0] if self.args else ""
        return in_language(message, ARGUMENT_LANGUAGE.get())


class InputWarning(UserWarning):
    """An input was read, but part of it was passed over (columns not used, a run not finished)."""


class OutputError(ValueError):
    """An output path cannot be used (a file where a folder is needed, another run's folder …).

    Raised with a :class:`Words` message, it says itself in Danish too (:func:`error_text`).
    """
