"""``blandetby classify AREAS.csv``: put housing areas on the legal lists (§ 61 a / § 61 b).

Reads an area CSV (one row per area and year; see :func:`simulation.inputs.areas.read_area_values`),
classifies it under a legal regime and prints a table and the number of areas on each list, or
writes the full result to ``--out`` (a name ending in ``.csv`` or ``.parquet``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from simulation.base.atomic import atomic_path, atomic_write_text
from simulation.base.errors import OutputError, Words, os_reason
from simulation.base.outputs import output_file
from simulation.base.spreadsheet import spreadsheet_safe
from simulation.base.terminal import terminal_width
from simulation.cli import arguments
from simulation.inputs.areas import read_area_values
from simulation.inputs.csvfiles import PERCENT_COLUMNS
from simulation.inputs.scenario import Legal
from simulation.law.lists import classify_areas
from simulation.law.regimes import LIST_COLUMNS, REGIME_RULES, REGIMES, Regime
from simulation.report.classification import format_classification

NAME = "classify"
HELP = "classify housing areas onto the legal lists of § 61 a / § 61 b (udsat, parallelsamfund, …)"

OUT_SUFFIXES = (".csv", ".parquet")
"""What ``--out`` may be called: the formats written."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument(
        "areas",
        type=Path,
        metavar="AREAS.csv",
        help="area values: area, year, residents and the criteria in per cent (header row first)",
    )
    parser.add_argument(
        "--regime",
        choices=[str(regime) for regime in REGIMES],
        default=str(Regime.Y2021),
        help="the law that classifies: 2021 (current, default), 2018, 2014 or 2010",
    )
    parser.add_argument(
        "--yearly",
        action="store_true",
        help="the file holds each year's raw values; take the 2-year means the law prescribes "
        "(default: the values are as published)",
    )
    parser.add_argument(
        "--minimum-residents",
        type=arguments.schema_whole_number(Legal, "legal", "minimum_residents"),
        default=1000,
        metavar="N",
        help="residents an area needs to be listed (default: the law's 1000)",
    )
    parser.add_argument(
        "--transformation-years",
        type=arguments.schema_whole_number(Legal, "legal", "transformation_years"),
        default=None,
        metavar="N",
        help="consecutive parallelsamfund years that make an omdannelsesområde "
        "(default: the regime's, 2021: 5, 2018: 4)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="FILE",
        help="write the full classification here (.csv, or .parquet) instead of printing a table",
    )
    parser.add_argument(
        "--percent-columns",
        choices=PERCENT_COLUMNS,
        default="auto",
        help="how the per-cent columns are written: auto (as each header says: _pct or %% = per "
        "cent 0–100, _share = 0–1; a column whose values contradict it is refused), percent, or "
        "fractions (multiplied by 100)",
    )


def run(args: argparse.Namespace) -> int:
    """Classify the areas; print the table and counts, or write ``--out``."""
    if args.out is not None:
        output_file(args.out, suffixes=OUT_SUFFIXES)
        if args.areas.exists() and args.out.exists() and args.out.samefile(args.areas):
            raise OutputError(
                Words(
                    f"--out {args.out}: is the area file itself; expected another file name",
                    f"--out {args.out}: er selve filen med boligområder; forventede et andet "
                    "filnavn",
                )
            )
    frame = read_area_values(args.areas, regime=args.regime, percent_columns=args.percent_columns)
    result = classify_areas(
        frame,
        args.regime,
        values="yearly" if args.yearly else "published",
        minimum_residents=args.minimum_residents,
        transformation_years=args.transformation_years,
    )
    language = arguments.language(args)
    danish = language == "da"
    lines: list[str] = []
    if args.out is None:
        lines += [format_classification(result, language, width=terminal_width()), ""]
    else:
        try:
            _write(result, args.out)
        except OSError as error:
            reason = os_reason(error)
            _say(
                f"kunne ikke skrive {args.out}: {reason.danish}"
                if danish
                else f"could not write {args.out}: {error}",
                error=True,
            )
            return 1
        lines.append(
            f"skrev {len(result)} rækker (boligområder × år) til {args.out}"
            if danish
            else f"wrote {len(result)} rows (areas × years) to {args.out}"
        )
    lines += _counts(result, Regime(args.regime), language)
    _say("\n".join(lines))
    return 0


def _say(text: str, *, error: bool = False) -> None:
    """Print the command's output (or an error, to stderr)."""
    print(text, file=sys.stderr if error else sys.stdout)


def _write(result: pd.DataFrame, target: Path) -> None:
    """Write the classification atomically: Parquet for ``.parquet``, else CSV."""
    if target.suffix.lower() == ".parquet":
        with atomic_path(target) as temporary:
            result.to_parquet(temporary, index=False)
    else:
        atomic_write_text(target, spreadsheet_safe(result).to_csv(index=False))


def _counts(result: pd.DataFrame, regime: Regime, language: str = "en") -> list[str]:
    """One line per list of the regime: how many areas are on it in the latest year, and which."""
    danish = language == "da"
    if result.empty:
        return ["ingen boligområder" if danish else "no areas"]
    rules = REGIME_RULES[regime]
    latest = result[result["year"] == result["year"].max()]
    names = {
        "udsat": rules.list_name,
        "parallelsamfund": rules.parallel_name,
        "omdannelsesomraade": rules.transformation_name,
        "forebyggelsesomraade": "forebyggelsesområde" if rules.has_prevention else "",
    }
    if rules.parallel_nonwestern_pct is None:  # 2010, 2014: the ghetto list is reported twice
        names["udsat"] = ""
    year = int(latest["year"].iloc[0])
    lines = [
        f"listerne for {year} (lovgrundlag {regime}):"
        if danish
        else f"lists of {year} (regime {regime}):"
    ]
    for column in LIST_COLUMNS:
        if not names[column]:
            continue
        on_list = sorted(str(area) for area in latest.loc[latest[column], "area"])
        which = f" ({', '.join(on_list)})" if on_list else ""
        lines.append(f"  {names[column]}: {len(on_list)}{which}")
    return lines
