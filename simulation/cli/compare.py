"""``blandetby compare A.toml B.toml …``: the same households under different agreements, side by side.

Each scenario runs with the same seed into its own run folder (``DIR/runs/<label>``), so that
replication *r* of every scenario sees the same initial population, referral arrivals and life
events: the differences are paired by replication. Writes tables (CSV and Parquet), figures and
``compare.json`` into DIR and prints the headline table with each scenario's difference from the
first and its 95 % interval.
"""

from __future__ import annotations

import argparse
import math
import shutil
import sys
import textwrap
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from simulation.base.errors import ScenarioError
from simulation.base.outputs import output_folder
from simulation.base.terminal import wrap
from simulation.cli import arguments
from simulation.cli.names import scenario_name
from simulation.experiments.compare import (
    BENCHMARK_SUFFIXES,
    Comparison,
    compare,
    scenario_labels,
)
from simulation.experiments.executors import (
    ExecutorError,
    add_executor_arguments,
    executor_from_arguments,
)
from simulation.experiments.folders import ExperimentError
from simulation.experiments.measures import INDICATORS
from simulation.experiments.runner import RunFolderError
from simulation.inputs.scenario import LoadedScenario
from simulation.report.experiment_plots import save_comparison_figures
from simulation.report.i18n import Language, has_term, number, term

from .run import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_OK,
    Progress,
    interrupted_message,
)

NAME = "compare"
HELP = (
    "run scenarios with common random numbers and compare them: lists, criteria, waits, "
    "lettings, with paired differences"
)

SHORT_NAMES = {
    "udsat_final": "Udsat areas, last 1 Dec",
    "parallelsamfund_final": "Parallelsamfund, last 1 Dec",
    "omdannelsesomraade_final": "Omdannelsesområder, last 1 Dec",
    "forebyggelsesomraade_final": "Forebyggelsesområder, last 1 Dec",
    "listed_final": "Listed areas, last 1 Dec",
    "listed_area_years": "Listed area-years, all years",
    "wait_median_months": "Referral wait, median (months)",
    "wait_p90_months": "Referral wait, p90 (months)",
    "wait_mean_months": "Referral wait, mean (months)",
    "housed_within_6_months_share": "Housed within 6 months",
    "not_housed_within_6_months": "Not housed within 6 months",
    "waiting_at_end": "Still waiting at the end",
    "referral_share_achieved": "Referral share achieved",
    "referral_share_agreed": "Referral share agreed",
    "lettings_referral_per_year": "Lettings/yr: referral",
    "lettings_flexible_per_year": "Lettings/yr: flexible",
    "lettings_internal_per_year": "Lettings/yr: internal list",
    "lettings_external_per_year": "Lettings/yr: external list",
}
"""Row names of the printed headline table (every :data:`INDICATORS` key)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument(
        "scenarios",
        type=Path,
        nargs="+",
        metavar="SCENARIO",
        help="two or more scenario TOML files; the first is the reference",
    )
    parser.add_argument(
        "--replications",
        type=arguments.replications,
        default=10,
        help="replications per scenario, paired by index (default 10)",
    )
    parser.add_argument(
        "--years", type=arguments.years, help="years to simulate (default: the first scenario's)"
    )
    parser.add_argument(
        "--seed", type=arguments.seed, default=0, help="seed shared by every scenario (default 0)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        help="comparison folder (default: comparisons/<A>-vs-<B>…-seed<seed>)",
    )
    parser.add_argument(
        "--benchmarks",
        action="store_true",
        help="also run, for each optimised scenario, first come, first served at the volume it "
        "achieved and the threshold rule (the simple rules it must beat)",
    )
    parser.add_argument("--no-figures", action="store_true", help="skip the figures")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    arguments.add_language_argument(parser, what="language of the written tables")
    arguments.add_input_arguments(parser)
    add_executor_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Run and compare the scenarios; print the headline table; exit 0 (2 on invalid input)."""
    if len(args.scenarios) < 2:
        language = arguments.error_language(args)
        print(
            "fejl: compare skal have mindst to scenariefiler"
            if language == "da"
            else "error: compare needs at least two scenario files",
            file=sys.stderr,
        )
        return EXIT_INVALID
    labels = scenario_labels(args.scenarios)
    out = output_folder(args.out or Path("comparisons") / f"{'-vs-'.join(labels)}-seed{args.seed}")
    loaded: list[LoadedScenario] = []
    problems = []
    for path in args.scenarios:
        try:
            loaded.append(arguments.load(args, path))
        except ScenarioError as error:
            problems.append(error)
    if problems:
        for problem in problems:
            arguments.print_error(problem, args, prefix=False)
        return EXIT_INVALID
    arguments.language(args, loaded[0])
    executor = executor_from_arguments(args, tasks=args.replications * len(loaded))
    progress = Progress("compare", quiet=args.quiet, language=args.lang)
    try:
        with progress:
            comparison = compare(
                loaded,
                out,
                labels=labels,
                replications=args.replications,
                years=args.years,
                entropy=args.seed,
                executor=executor,
                batch_size=args.batch_size,
                shared_filesystem=not args.no_shared_filesystem,
                on_replication=progress.advance,
                on_start=progress.start,
                csv_dialect=args.lang,
                figures=None if args.no_figures else save_comparison_figures,
                benchmarks=args.benchmarks,
            )
    except (RunFolderError, ExperimentError) as error:
        arguments.print_error(error, args)
        return EXIT_INVALID
    except ExecutorError as error:
        arguments.print_error(error, args)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print(interrupted_message(out, args.lang), file=sys.stderr)
        return EXIT_INTERRUPTED
    width = shutil.get_terminal_size((100, 24)).columns
    names = display_names(labels, loaded, args.lang)
    print(
        format_headline(
            comparison, seed=args.seed, terminal_width=width, language=args.lang, names=names
        )
    )
    print()
    print(format_prices(comparison, language=args.lang, names=names, terminal_width=width))
    folder = (
        f"Sammenligningsmappe: {out} (compare.json, tabeller som CSV og Parquet, figures/)"
        if args.lang == "da"
        else f"Comparison folder: {out} (compare.json, tables as CSV and Parquet, figures/)"
    )
    print("\n" + "\n".join(wrap(folder, width)))
    return EXIT_OK


def display_names(
    labels: Sequence[str], loaded: Sequence[LoadedScenario], language: Language
) -> dict[str, str]:
    """Each label's name as a person reads it: the scenario's (Danish) name, not its file stem.

    Two scenarios with one name keep their labels in brackets; a benchmark label
    (``<label>-<suffix>``) gets its scenario's name and the rule's.
    """
    names = {
        label: scenario_name(each, language) for label, each in zip(labels, loaded, strict=False)
    }
    counts = Counter(names.values())
    names = {
        label: f"{name} ({label})" if counts[name] > 1 else name for label, name in names.items()
    }
    for label in list(names):
        for suffix in BENCHMARK_SUFFIXES:
            names[f"{label}-{suffix}"] = f"{names[label]}: {term(f'benchmark:{suffix}', language)}"
    return names


def _name(label: str, names: Mapping[str, str] | None) -> str:
    return (names or {}).get(label, label)


def _indicator(indicator: str, language: Language) -> str:
    if language == "en":
        return SHORT_NAMES.get(indicator, indicator)
    return term(f"indicator:{indicator}", "da") if has_term(f"indicator:{indicator}") else indicator


def format_headline(
    comparison: Comparison,
    *,
    seed: int,
    terminal_width: int | None = None,
    language: Language = "en",
    names: Mapping[str, str] | None = None,
) -> str:
    """The printed table: each scenario's mean, and its paired difference from the reference.

    When the wide table (one column per scenario and per difference) does not fit
    ``terminal_width`` characters, each scenario gets a block of its own against the reference.
    ``names`` maps labels to the names printed (default: the labels).
    """
    table = comparison.headline()
    reference = comparison.reference
    replications = comparison.indicators.groupby("scenario").size()
    count = int(replications.min()) if len(replications) else 0
    if language == "da":
        intro = (
            f"{len(comparison.labels)} scenarier, {count} "
            f"{'gentagelser' if count != 1 else 'gentagelse'} hver, startværdi {seed}; forskellene "
            "er parret efter gentagelse (samme startværdi: de samme husstande, tilgange og "
            "livsbegivenheder, hvor scenarierne ikke adskiller sig), med 95 %-t-intervaller over "
            "gentagelserne."
        )
    else:
        intro = (
            f"{len(comparison.labels)} scenarios, {count} replication{'s' if count != 1 else ''} "
            f"each, seed {seed}; differences are paired by replication (same seed: the same "
            "households, arrivals and life events wherever the scenarios do not differ), with 95 % "
            "t-intervals over replications."
        )
    lines = [intro, ""]
    if terminal_width is not None:
        lines = [*textwrap.wrap(lines[0], terminal_width), *lines[1:]]
    width = max(len(_indicator(key, language)) for key in SHORT_NAMES) + 2
    columns = list(comparison.labels)
    others = comparison.labels[1:]
    shown = {label: _name(label, names) for label in columns}
    cell = max(14, *(len(shown[label]) + 2 for label in columns))
    header = f"{'':<{width}}" + "".join(f"{shown[label]:>{cell}}" for label in columns)
    diff = max(34, *(len(f"  {shown[label]} − {shown[reference]}") + 2 for label in others))
    header += "".join(
        f"{'  ' + shown[label] + ' − ' + shown[reference]:<{diff}}" for label in others
    )
    if terminal_width is not None and len(header.rstrip()) > terminal_width:
        stacked = _stacked_headline(comparison, table, terminal_width, language, shown)
        return "\n".join([*lines, *stacked, *_meanings(table, terminal_width, language)])
    lines.append(header.rstrip())
    for _, row in table.iterrows():
        indicator = str(row["indicator"])
        share = "_share" in indicator
        text = f"{_indicator(indicator, language):<{width}}"
        text += "".join(
            f"{_number(row[label], share, language=language):>{cell}}" for label in columns
        )
        for label in others:
            prefix = f"{label}_minus_{reference}"
            text += f"{'  ' + _difference(row, prefix, share, language):<{diff}}"
        lines.append(text.rstrip())
    lines.extend(_meanings(table, terminal_width, language))
    return "\n".join(lines)


def _difference(row: pd.Series, prefix: str, share: bool, language: Language) -> str:
    """``+1.5 [+0.2, +2.8]``: the paired difference and its interval (no interval if unknown)."""
    mean = row[f"{prefix}_difference"]
    low, high = row[f"{prefix}_low_95"], row[f"{prefix}_high_95"]
    text = _number(mean, share, signed=True, language=language)
    if not (pd.isna(low) or pd.isna(high)):
        separator = "; " if language == "da" else ", "
        text += (
            f" [{_number(low, share, signed=True, language=language)}{separator}"
            f"{_number(high, share, signed=True, language=language)}]"
        )
    return text


def _meanings(
    table: pd.DataFrame, terminal_width: int | None, language: Language = "en"
) -> list[str]:
    heading = (
        "Andele i procent (forskelle i procentpoint). Betydning:"
        if language == "da"
        else "Shares in per cent (differences in percentage points). Meanings:"
    )
    lines = ["", *(textwrap.wrap(heading, terminal_width) if terminal_width else [heading])]
    for indicator in table["indicator"]:
        meaning = (
            term(f"indicator_meaning:{indicator}", "da")
            if language == "da"
            else INDICATORS[indicator]
        )
        text = f"  {_indicator(indicator, language)}: {meaning}"
        if terminal_width is None:
            lines.append(text)
        else:
            lines.extend(textwrap.wrap(text, terminal_width, subsequent_indent="      "))
    return lines


def _stacked_headline(
    comparison: Comparison,
    table: pd.DataFrame,
    width: int,
    language: Language = "en",
    shown: Mapping[str, str] | None = None,
) -> list[str]:
    """One block per scenario: indicator, reference, scenario, paired difference [95 %].

    The indicator names get what the figures leave of ``width``; a longer name wraps onto a
    second line, so that no line is longer than ``width``.
    """
    reference = comparison.reference
    cell = 11
    danish = language == "da"
    columns = (
        ("reference", "dette", "forskel [95 %]")
        if danish
        else ("reference", "this", "difference [95 %]")
    )
    lines = []
    for label in comparison.labels[1:]:
        title = (
            f"{_name(label, shown)} mod {_name(reference, shown)}:"
            if danish
            else f"{_name(label, shown)} against {_name(reference, shown)}:"
        )
        lines.extend(textwrap.wrap(title, width))
        prefix = f"{label}_minus_{reference}"
        rows = []
        for _, row in table.iterrows():
            indicator = str(row["indicator"])
            share = "_share" in indicator
            figures = (
                f"{_number(row[reference], share, language=language):>{cell}}"
                f"{_number(row[label], share, language=language):>{cell}}"
                f"  {_difference(row, prefix, share, language)}"
            )
            rows.append((_indicator(indicator, language), figures))
        figures_width = max(len(columns[2]) + 2 * cell + 2, *(len(f) for _, f in rows))
        name_width = min(max(len(name) for name, _ in rows) + 1, width - figures_width)
        head = f"{'':<{name_width}}{columns[0]:>{cell}}{columns[1]:>{cell}}  {columns[2]}"
        lines.append(head[:width])
        for name, figures in rows:
            if name_width < 20:  # too narrow for names beside figures: a line each
                lines.extend(textwrap.wrap(name, width))
                lines.append(("  " + figures.lstrip())[:width])
                continue
            parts = textwrap.wrap(name, name_width - 1) or [""]
            lines.append(f"{parts[0]:<{name_width}}{figures}".rstrip())
            lines.extend(f"  {part}" for part in parts[1:])
        lines.append("")
    return lines


def format_prices(
    comparison: Comparison,
    *,
    language: Language = "en",
    names: Mapping[str, str] | None = None,
    terminal_width: int | None = None,
) -> str:
    """The printed price table: listed area-years avoided per 100 not housed within 6 months."""
    prices = comparison.prices
    reference = comparison.reference
    danish = language == "da"
    wrap = (
        (lambda text, indent="": textwrap.wrap(text, terminal_width, subsequent_indent=indent))
        if terminal_width
        else (lambda text, indent="": [text])
    )
    heading = (
        f"Pris i forhold til {_name(reference, names)}: undgåede områdeår på en liste pr. 100 "
        "anviste husstande, der ikke får bolig inden for 6 måneder (højere er billigere), med "
        "95 %-intervaller:"
        if danish
        else f"Price against {_name(reference, names)}: listed area-years avoided per 100 "
        "referral households not housed within 6 months (higher is cheaper), with 95 % intervals:"
    )
    lines = wrap(heading)
    if prices.empty:
        return "\n".join(
            [*lines, "  (intet scenarie at prissætte)" if danish else "  (no scenario to price)"]
        )
    for _, row in prices.iterrows():
        avoided = _interval(
            row["area_years_avoided"],
            row["area_years_avoided_low"],
            row["area_years_avoided_high"],
            language=language,
        )
        extra = _interval(
            row["not_housed_extra"],
            row["not_housed_extra_low"],
            row["not_housed_extra_high"],
            language=language,
        )
        if row["reading"] == "price":
            price = _interval(
                row["price"], row["price_low"], row["price_high"], decimals=2, language=language
            )
        elif row["reading"] == "faster":
            price = (
                "ingen: det giver også flere bolig inden for 6 måneder"
                if danish
                else "none: it also houses more within 6 months"
            )
        else:
            price = (
                "ingen: intet klart tab af hastighed" if danish else "none: no clear loss of speed"
            )
        name = _name(str(row["scenario"]), names)
        text = (
            f"  {name}: undgåede områdeår {avoided}; ikke i bolig inden for 6 måneder {extra}; "
            f"pris {price}"
            if danish
            else f"  {name}: area-years avoided {avoided}; not housed within 6 months {extra}; "
            f"price {price}"
        )
        lines.extend(wrap(text, "      "))
    contrasts = comparison.contrasts
    if not contrasts.empty:
        lines += [
            "",
            *wrap(
                "Hvert optimeret scenarie mod sine sammenligningsregler (parret, 95 %-intervaller):"
                if danish
                else "Each optimised scenario against its benchmarks (paired, 95 % intervals):"
            ),
        ]
        for (scenario, benchmark), rows in contrasts.groupby(["scenario", "reference"], sort=False):
            parts = []
            for _, row in rows.iterrows():
                indicator = str(row["indicator"])
                scale = 100.0 if indicator.endswith("_share") else 1.0
                parts.append(
                    f"{_indicator(indicator, language)} "
                    + _interval(
                        scale * row["difference_mean"],
                        scale * row["difference_low_95"],
                        scale * row["difference_high_95"],
                        language=language,
                    )
                    + ((" pp" if not danish else " %-point") if scale != 1.0 else "")
                )
            lines.extend(
                wrap(
                    f"  {_name(str(scenario), names)} − {_name(str(benchmark), names)}: "
                    + "; ".join(parts),
                    "      ",
                )
            )
    return "\n".join(lines)


def _interval(
    mean: object, low: object, high: object, *, decimals: int = 1, language: Language = "en"
) -> str:
    values = [float(v) for v in (mean, low, high)]  # type: ignore[arg-type]
    if math.isnan(values[0]):
        return "–"
    if language == "da":
        text = signed_text(values[0], decimals, "da", always=True)
        if not (math.isnan(values[1]) or math.isnan(values[2])):
            text += (
                f" [{signed_text(values[1], decimals, 'da', always=True)}; "
                f"{signed_text(values[2], decimals, 'da', always=True)}]"
            )
        return text
    text = f"{values[0]:+.{decimals}f}"
    if not (math.isnan(values[1]) or math.isnan(values[2])):
        text += f" [{values[1]:+.{decimals}f}, {values[2]:+.{decimals}f}]"
    return text


def signed_text(value: float, decimals: int, language: Language, *, always: bool) -> str:
    """``value`` with ``decimals`` decimals in ``language``, with ``+`` before it if ``always``."""
    text = number(value, decimals, language)
    return f"+{text}" if always and not text.startswith("-") else text


def _number(value: object, share: bool, *, signed: bool = False, language: Language = "en") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    figure = float(value)  # type: ignore[arg-type]
    if share:
        figure *= 100
    if language == "da":
        return signed_text(figure, 1, "da", always=signed)
    sign = "+" if signed else ""
    return f"{figure:{sign}.1f}"
