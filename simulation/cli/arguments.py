"""Arguments several commands share, each checked as strictly as the same value in a file.

A number on the command line has the bounds of the scenario field it stands for (``--years`` those
of ``horizon.years``, ``--months`` those of ``optimiser.planning_months``), so a run the command
line asks for is one the scenario file could ask for. ``--percent-columns`` and
``--strict-columns`` set how the department file is read (``municipality.percent_columns`` and
``municipality.strict_columns``) for every scenario the command loads.
"""

from __future__ import annotations

import argparse
import math
import sys
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from simulation.base.errors import (
    ArgumentWordsError,
    Words,
    danish_number,
    error_text,
    excerpt,
    in_language,
)
from simulation.inputs.csvfiles import PERCENT_COLUMNS
from simulation.inputs.scenario import (
    Horizon,
    LoadedScenario,
    OptimiserSettings,
    field_bounds,
    load_scenario,
)
from simulation.report.i18n import Language

__all__ = [
    "LANGUAGE_VARIABLE",
    "MAX_REPLICATIONS",
    "add_input_arguments",
    "add_language_argument",
    "default_language",
    "error_language",
    "finite_number",
    "folder_language",
    "help_language",
    "input_overrides",
    "language",
    "load",
    "months",
    "print_error",
    "replications",
    "schema_whole_number",
    "seed",
    "whole_number",
    "years",
]

LANGUAGE_VARIABLE = "BLANDETBY_LANG"
"""The environment variable that sets the default of ``--lang`` (``da`` or ``en``)."""

MAX_REPLICATIONS = 10_000
"""The most replications one command runs (a thousand already give intervals to a few per mille)."""

MAX_SEED = 2**32 - 1
"""The largest seed (stored as a 64-bit integer in every table)."""


def whole_number(low: int, high: int, *, like: str = "") -> Callable[[str], int]:
    """An argument type: a whole number from ``low`` to ``high``.

    Parameters
    ----------
    low, high
        The bounds (both allowed).
    like
        What the bounds are the same as, for the message (`` (as horizon.years in a scenario)``;
        a :class:`~simulation.base.errors.Words` to say it in Danish too).
    """
    bottom, top = f"{low:,}", f"{high:,}"
    like_danish = in_language(like, "da")

    def refusal(text: str) -> ArgumentWordsError:
        return ArgumentWordsError(
            Words(
                f"expected a whole number from {bottom} to {top}{like}, got {excerpt(text)}",
                f"forventede et helt tal fra {danish_number(bottom)} til {danish_number(top)}"
                f"{like_danish}, fik {excerpt(text)}",
            )
        )

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise refusal(text) from None
        if not low <= value <= high:
            raise refusal(text)
        return value

    return parse


def finite_number(low: float, high: float, *, low_open: bool = False) -> Callable[[str], float]:
    """An argument type: a finite number from ``low`` (excluded if ``low_open``) to ``high``."""
    span = f"above {low:g} and at most {high:,g}" if low_open else f"from {low:g} to {high:,g}"
    bottom, top = danish_number(f"{low:g}"), danish_number(f"{high:,g}")
    span_danish = f"over {bottom} og højst {top}" if low_open else f"fra {bottom} til {top}"

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or value > high or value < low or (low_open and value == low):
            raise ArgumentWordsError(
                Words(
                    f"expected a number {span}, got {excerpt(text)}",
                    f"forventede et tal {span_danish}, fik {excerpt(text)}",
                )
            )
        return value

    return parse


def schema_whole_number(model: type[BaseModel], section: str, name: str) -> Callable[[str], int]:
    """An argument type with the bounds of the scenario field ``section.name`` (of ``model``)."""
    low, high = field_bounds(model.model_fields[name])
    return whole_number(
        int(low.replace(",", "")),
        int(high.replace(",", "")),
        like=Words(
            f" (as {section}.{name} in a scenario file)",
            f" (som {section}.{name} i en scenariefil)",
        ),
    )


years = schema_whole_number(Horizon, "horizon", "years")
"""``--years``: the bounds of ``horizon.years``."""

months = schema_whole_number(OptimiserSettings, "optimiser", "planning_months")
"""``--months``: the bounds of ``optimiser.planning_months``."""

replications = whole_number(1, MAX_REPLICATIONS)
"""``--replications``: 1 to :data:`MAX_REPLICATIONS`."""

seed = whole_number(0, MAX_SEED)
"""``--seed``: 0 to :data:`MAX_SEED`."""


def add_input_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--percent-columns`` and ``--strict-columns`` (how the department CSV is read)."""
    group = parser.add_argument_group("department data")
    group.add_argument(
        "--percent-columns",
        choices=PERCENT_COLUMNS,
        help="how the share columns of the department CSV are written: auto (as each header "
        "says: %%, pct or procent = per cent, else 0–1; a column whose values contradict it is "
        "refused), percent or fractions (default: the scenario's municipality.percent_columns)",
    )
    group.add_argument(
        "--strict-columns",
        action="store_true",
        help="refuse department CSV columns the model does not read (default: ignore them with "
        "one warning)",
    )


def input_overrides(args: argparse.Namespace) -> dict[str, Any]:
    """The scenario keys the department-data options set (none when they are not given)."""
    overrides: dict[str, Any] = {}
    if getattr(args, "percent_columns", None) is not None:
        overrides["municipality.percent_columns"] = args.percent_columns
    if getattr(args, "strict_columns", False):
        overrides["municipality.strict_columns"] = True
    return overrides


def load(args: argparse.Namespace, path: Path) -> LoadedScenario:
    """Load a scenario with the department-data options of ``args``."""
    return load_scenario(path, input_overrides(args))


def default_language() -> str:
    """``da`` or ``en``: from :data:`LANGUAGE_VARIABLE` if it says one of them, else ``en``."""
    import os

    value = os.environ.get(LANGUAGE_VARIABLE, "").strip().lower()
    return value if value in ("da", "en") else "en"


def folder_language(folder: Path) -> str:
    """The ``language`` of the scenario a run or compare folder was made from (``auto`` if unknown).

    A run folder records its scenario in ``run.json``; a compare folder's reference is its first
    run (``compare.json``'s first label). An unreadable record says nothing (``auto``).
    """
    import json

    record = folder / "run.json"
    try:
        if not record.is_file() and (folder / "compare.json").is_file():
            labels = json.loads((folder / "compare.json").read_text(encoding="utf-8"))["labels"]
            record = folder / "runs" / str(labels[0]) / "run.json"
        content = json.loads(record.read_text(encoding="utf-8"))["scenario"]["content"]
        value = content.get("language", "auto") if isinstance(content, dict) else "auto"
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return "auto"
    return value if value in ("da", "en") else "auto"


def language(
    args: argparse.Namespace, loaded: LoadedScenario | None = None, *, folder: Path | None = None
) -> Language:
    """The language a command speaks: ``--lang``, else the scenario's, else the environment's.

    Without either, :func:`default_language` gives English. Sets ``args.lang`` to the answer, so
    that the rest of the command reads one value.
    """
    chosen = getattr(args, "lang", None)
    if chosen not in ("da", "en") and loaded is not None and loaded.scenario.language != "auto":
        chosen = loaded.scenario.language
    if chosen not in ("da", "en") and folder is not None:
        chosen = folder_language(folder)
    if chosen not in ("da", "en"):
        chosen = default_language()
    args.lang = chosen
    return "da" if chosen == "da" else "en"


def help_language(argv: Sequence[str]) -> Language:
    """The language of ``--help``, known before the parser is built.

    ``--lang da`` / ``--lang=da`` anywhere in ``argv`` (the last one counts), else
    :data:`LANGUAGE_VARIABLE`, else English. A scenario's ``language`` cannot count: help is
    printed before any file is read.
    """
    chosen = ""
    words = list(argv)
    for index, word in enumerate(words):
        if word == "--lang" and index + 1 < len(words):
            chosen = words[index + 1]
        elif word.startswith("--lang="):
            chosen = word.removeprefix("--lang=")
    if chosen not in ("da", "en"):
        chosen = default_language()
    return "da" if chosen == "da" else "en"


def add_language_argument(parser: argparse.ArgumentParser, *, what: str) -> None:
    """``--lang da|en``; unset, the scenario's ``language`` counts (see :func:`language`).

    Without a scenario language: the environment (:data:`LANGUAGE_VARIABLE`), else English.

    Parameters
    ----------
    what
        What the language changes in this command, for the help text.
    """
    parser.add_argument(
        "--lang",
        choices=("da", "en"),
        default=None,
        help=f"{what}; da also writes CSV files as Danish Excel opens them (semicolons, "
        f"decimal commas, UTF-8 with BOM) (default: the scenario's language, else "
        f"${LANGUAGE_VARIABLE}, else en)",
    )


def error_language(args: argparse.Namespace, *, scenario: Path | None = None) -> Language:
    """The language of an error message, which may come before the scenario is validated.

    ``--lang`` if given (or already settled by :func:`language`), else the ``language`` the
    scenario file (or a file it extends) says, read as plain TOML so that a file with a bad value
    elsewhere is still answered in its language, else :func:`default_language`.
    """
    chosen = getattr(args, "lang", None)
    if scenario is None:  # run, sweep …: SCENARIO; compare: the first; robustness: A
        named = getattr(args, "scenario", None) or getattr(args, "a", None)
        scenario = named or next(iter(getattr(args, "scenarios", None) or []), None)
    if chosen not in ("da", "en") and isinstance(scenario, Path):
        chosen = _file_language(scenario)
    if chosen not in ("da", "en"):
        chosen = default_language()
    return "da" if chosen == "da" else "en"


def _file_language(path: Path) -> str:
    """The ``language`` a scenario file says, or the file it extends (``""`` if none can be read)."""
    for _ in range(10):  # a chain of extends, not a cycle
        try:
            with path.open("rb") as handle:
                data = tomllib.load(handle)
        except (OSError, ValueError):
            return ""
        if "language" in data or not isinstance(data.get("extends"), str):
            return str(data.get("language", ""))
        path = path.parent / data["extends"]
    return ""


def print_error(
    error: BaseException,
    args: argparse.Namespace,
    *,
    prefix: bool = True,
    lead: str = "",
    after: str = "",
) -> None:
    """Print ``error`` on standard error in the command's language (see :func:`error_language`).

    Parameters
    ----------
    error
        The error; its Danish comes from :func:`~simulation.base.errors.error_text`.
    args
        The command's arguments (for ``--lang``).
    prefix
        Start with ``error:`` (``fejl:``); a list of input problems, which names its files, does not.
    lead
        Words before the error's own (a :class:`~simulation.base.errors.Words`, e.g. "the solver
        failed").
    after
        A line to add (a :class:`~simulation.base.errors.Words`, e.g. "nothing was run").
    """
    language = error_language(args)
    text = error_text(error, language)
    if lead:
        text = f"{in_language(lead, language)}: {text}"
    if prefix:
        text = f"{'fejl' if language == 'da' else 'error'}: {text}"
    if after:
        text = f"{text}\n{in_language(after, language)}"
    print(text, file=sys.stderr)


NOTHING_RUN = Words("nothing was run", "intet blev kørt")
"""The line after input problems found before anything ran."""

NOTHING_MORE_RUN = Words("nothing more was run", "intet mere blev kørt")
"""The line after input problems found part way."""
