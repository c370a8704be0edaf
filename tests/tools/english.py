"""Counting English in text meant to be Danish: the one counter of every language test.

A Danish page, message or help text has (almost) no common English word outside what it quotes:
file names, keys, options, identifiers and the user's own values. Words that are Danish too
("at", "to", "for", "in", "plan") are never counted.
"""

from __future__ import annotations

import re

__all__ = [
    "COMMON",
    "HELP",
    "MESSAGES",
    "english_word_count",
    "english_words",
]

COMMON = frozenset(
    {"the", "of", "and", "with", "which", "are", "this", "that", "from", "than", "is"}
)
"""Common English words that are not Danish words."""

MESSAGES = COMMON | {
    "expected", "got", "row", "column", "file", "folder", "must", "missing", "number", "share",
    "error", "nothing", "more", "should", "not", "an", "most", "least", "be", "found",
    "exists", "choose", "another", "cannot", "given", "one", "each", "every", "a", "in", "or",
    "no", "has", "valid", "unknown", "key", "problems", "was", "there", "now", "made", "none",
}  # fmt: skip
"""The words of error messages (the command names, such as "run", are not counted)."""

HELP = COMMON | {
    "to", "default", "each", "every", "file", "folder", "run", "show", "write", "print",
    "options", "usage", "arguments", "help", "replications", "seed", "years", "else",
}  # fmt: skip
"""The words of help texts and terminal output ("to" is counted: help never says "to" in Danish)."""

_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"|`[^`\n]*`")
_IDENTIFIERS = re.compile(
    r"--?[a-z][a-z0-9-]*|\$[A-Z_]+|[\w./<>*-]*[./_<>*][\w./<>*-]*|\{[^}]*\}"
)  # options, environment variables, paths, dotted keys, snake_case and placeholders
_WITH_DIGITS = re.compile(r"\w*\d\w*")  # numbers, ids and digests (bbe19a8e…)


def english_words(
    text: str, vocabulary: frozenset[str] | set[str] = MESSAGES, *, quoted: bool = False
) -> list[str]:
    """The words of ``vocabulary`` in terminal ``text``, leaving out identifiers and numbers.

    Quoted text (the user's values, keys) is left out too unless ``quoted``.

    Examples
    --------
    >>> english_words("error: x is not a run folder; expected a folder")
    ['error', 'is', 'not', 'a', 'folder', 'expected', 'a', 'folder']
    >>> english_words("fejl: 'the file' er ikke en kørselsmappe; --the-option")
    []
    """
    if not quoted:
        text = _QUOTED.sub(" ", text)
    text = _WITH_DIGITS.sub(" ", _IDENTIFIERS.sub(" ", text))
    return [word for word in re.findall(r"[A-Za-z]+", text) if word.lower() in vocabulary]


def english_word_count(html: str) -> dict[str, int]:
    """Common English words in the visible text of a page (code, style and data URIs left out)."""
    text = re.sub(r"<style[^>]*>.*?</style>|<code>.*?</code>|<img [^>]*>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    counts: dict[str, int] = {}
    for word in re.findall(r"[A-Za-zÆØÅæøå]+", text):
        if word.lower() in COMMON:
            counts[word.lower()] = counts.get(word.lower(), 0) + 1
    return counts
