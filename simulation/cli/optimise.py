"""``blandetby optimise SCENARIO``: this period's referral plan, and why it looks as it does."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import textwrap
from pathlib import Path

import pandas as pd

from optimisation import SolverError, plot_plan
from simulation.base.atomic import atomic_path, atomic_write_text
from simulation.base.errors import Words
from simulation.base.outputs import output_folder
from simulation.base.spreadsheet import spreadsheet_csv
from simulation.base.terminal import terminal_width
from simulation.base.version import __version__
from simulation.cli import arguments
from simulation.cli.names import plan_names, scenario_name
from simulation.planning import plan_for_scenario
from simulation.report.i18n import number

NAME = "optimise"
HELP = (
    "plan the municipal referrals of a period across departments without overloading any; "
    "explain binding limits, shadow prices and shortfalls"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument("scenario", type=Path, metavar="SCENARIO", help="scenario TOML file")
    parser.add_argument(
        "--months",
        type=arguments.months,
        default=None,
        help="period planned (default: the scenario's)",
    )
    parser.add_argument("--integer", action="store_true", help="whole referrals (MILP)")
    parser.add_argument(
        "--solver", choices=("highs", "cbc"), default=None, help="default: HiGHS if installed"
    )
    parser.add_argument(
        "--out",
        type=Path,
        help="folder for the plan tables (plan, departments, groups, fits, areas, sensitivities, "
        "units with pooled claims, as CSV), explanation.md, plan.png",
    )
    arguments.add_language_argument(parser, what="language of the written tables")
    arguments.add_input_arguments(parser)


SOLVER_FAILED = Words("the solver failed", "løseren fejlede")
"""The words before a solver's error."""


def run(args: argparse.Namespace) -> int:
    """Plan, write the tables and the explanation, print the headline."""
    out = output_folder(args.out or Path("runs") / f"{args.scenario.stem}-plan")
    loaded = arguments.load(args, args.scenario)
    arguments.language(args, loaded)
    months = args.months or loaded.scenario.optimiser.planning_months
    try:
        planning, plan = plan_for_scenario(
            loaded, months=months, integer=args.integer or None, solver=args.solver
        )
    except SolverError as error:
        arguments.print_error(error, args, lead=SOLVER_FAILED)
        return 1
    for stem, frame in plan.to_frames().items():
        text = spreadsheet_csv(frame, args.lang, round_values=False)  # referrals ≤ slots
        atomic_write_text(out / f"{stem}.csv", text)
    names = plan_names(loaded, args.lang)
    atomic_write_text(out / "explanation.md", plan.explain_markdown(args.lang, names))
    # the plan is tied to its scenario: `blandetby report` refuses it beside runs of another one
    record = {
        "scenario": {
            "file": str(loaded.source),
            "name": loaded.scenario.name,
            "digest": loaded.digest,
        },
        "months": months,
        "integer": bool(args.integer),
        "solver": plan.solver,
        "package_version": __version__,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    atomic_write_text(out / "plan.json", json.dumps(record, indent=2) + "\n")
    listed_words = (
        {True: "område på en liste", False: "ikke på en liste"}
        if args.lang == "da"
        else {True: "listed area", False: "not listed"}
    )
    status = pd.Series(
        planning.departments["listed"].map(listed_words).to_numpy(),
        index=planning.departments["department"],
    )
    figure = plot_plan(plan, status=status, language=args.lang, names=names)
    with atomic_path(out / "plan.png") as temporary:
        figure.savefig(temporary, dpi=110, format="png")

    demand = plan.groups["demand"].sum()
    title = scenario_name(loaded, args.lang)
    placed, unplaced = plan.groups["referrals"].sum(), plan.total_shortfall
    written = ", ".join(f"{stem}.csv" for stem in plan.to_frames())
    if args.lang == "da":
        print(f"{title}: anvisningsplan for {months} måneder ({plan.solver})")
        print(
            f"  {number(placed, 0, 'da')} af {number(demand, 0, 'da')} husstande anvist; "
            f"{number(unplaced, 0, 'da')} ikke anvist; største belastning "
            f"{number(100 * plan.max_load, 0, 'da')} % af en afdelings ledige boliger"
        )
        print()
        print(_wrapped(plan.explain("da", names)))
        print(f"\nSkrevet til {out}: {written}, explanation.md, plan.png, plan.json")
        return 0
    print(f"{title}: referral plan for {months} months ({plan.solver})")
    print(
        f"  {placed:.0f} of {demand:.0f} households placed; "
        f"{unplaced:.0f} unplaced; highest load {100 * plan.max_load:.0f} % of a "
        "department's vacancies"
    )
    print()
    print(_wrapped(plan.explain("en", names)))
    print(f"\nWritten to {out}: {written}, explanation.md, plan.png, plan.json")
    return 0


def _wrapped(text: str) -> str:
    """The explanation wrapped to the terminal: bullets and notes with a hanging indent."""
    width = terminal_width()
    lines = []
    for line in text.splitlines():
        if len(line) <= width or line.startswith("  "):  # short, or a table row
            lines.append(line)
        else:
            indent = "  " if line.startswith("- ") else ""
            lines.extend(textwrap.wrap(line, width, subsequent_indent=indent))
    return "\n".join(lines)
