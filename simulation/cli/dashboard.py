"""``blandetby dashboard SCENARIO …``: the what-if page at the negotiating table, local and offline."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

from simulation.base.outputs import output_folder
from simulation.cli import arguments
from simulation.dashboard.levers import RUN_LEVERS
from simulation.dashboard.server import DashboardSettings, free_port, serve

NAME = "dashboard"
HELP = (
    "a local web page with the agreement's levers: move one and see the paired comparison with "
    "the scenario as it is, replication by replication (no network needed)"
)

MAX_PORT = 65_535


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument(
        "scenarios",
        nargs="+",
        type=Path,
        metavar="SCENARIO",
        help="scenario TOML files (the page starts with the first; the others are a choice)",
    )
    parser.add_argument(
        "--port",
        type=arguments.whole_number(0, MAX_PORT),
        default=0,
        help="port on 127.0.0.1 (default 0: a free one, printed)",
    )
    arguments.add_language_argument(parser, what="language of the page")
    years, replications = (lever for lever in RUN_LEVERS)  # the page's sliders' ranges
    parser.add_argument(
        "--years",
        type=arguments.whole_number(int(years.low), int(years.high)),
        default=10,
        help=f"years simulated at start ({int(years.low)}–{int(years.high)}, default 10)",
    )
    parser.add_argument(
        "--replications",
        type=arguments.whole_number(int(replications.low), int(replications.high)),
        default=6,
        help=f"paired replications at start ({int(replications.low)}–{int(replications.high)}, "
        "default 6)",
    )
    parser.add_argument(
        "--workers",
        type=arguments.whole_number(1, 64),
        default=2,
        help="worker processes for the replications (default 2)",
    )
    parser.add_argument(
        "--seed", type=arguments.seed, default=0, help="seed shared by every run (default 0)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("runs/dashboard"),
        help="folder for saved scenarios and reports, and the cache of runs under cache/ "
        "(default runs/dashboard)",
    )


def run(args: argparse.Namespace) -> int:
    """Check the scenarios, then serve the page until Ctrl-C."""
    output_folder(args.out)
    for index, path in enumerate(args.scenarios):
        loaded = arguments.load(args, path)  # a bad file: exit 2 before serving
        if index == 0:
            arguments.language(args, loaded)
    if importlib.util.find_spec("solara") is None:
        print(
            "fejl: instrumentbrættet skal bruge Solara: pip install -e '.[dashboard]' (make run "
            "installerer det)"
            if args.lang == "da"
            else "error: the dashboard needs Solara: pip install -e '.[dashboard]' (make run "
            "installs it)",
            file=sys.stderr,
        )
        return 2
    port = args.port or free_port()
    out = args.out.resolve()
    settings = DashboardSettings(
        scenarios=[str(path.resolve()) for path in args.scenarios],
        language=args.lang,
        cache_dir=str(out / "cache"),
        save_dir=str(out),
        years=args.years,
        replications=args.replications,
        workers=args.workers,
        entropy=args.seed,
    )
    if args.lang == "da":
        print(f"Blandet By: http://127.0.0.1:{port}/  (Ctrl-C stopper den)", flush=True)
    else:
        print(f"Blandet By dashboard: http://127.0.0.1:{port}/  (Ctrl-C stops it)", flush=True)
    return serve(settings, port)
