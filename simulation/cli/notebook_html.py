"""``blandetby notebook-html NOTEBOOK.ipynb --out FILE.html``: a notebook to hand over.

Writes an executed notebook (e.g. papermill's output) as one self-contained HTML file without
its code and without any network reference (:mod:`simulation.report.notebook_export`): the
Markdown, the tables, the figures embedded and the printed recommendation.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from simulation.base.outputs import output_file
from simulation.cli import arguments
from simulation.report.notebook_export import NotebookExportError, write_notebook_html

from .run import EXIT_INVALID, EXIT_OK

NAME = "notebook-html"
HELP = (
    "write an executed notebook as one self-contained HTML file to hand over: no code, no "
    "network reference, figures embedded"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument(
        "notebook", type=Path, metavar="NOTEBOOK.ipynb", help="an executed notebook"
    )
    parser.add_argument(
        "--out", type=Path, help="the HTML file (default: the notebook's name with .html)"
    )
    parser.add_argument(
        "--title",
        help="the page's title (default: the notebook's first heading, else its file name)",
    )


def run(args: argparse.Namespace) -> int:
    """Export the notebook and say where it went; exit 2 on invalid input."""
    target = output_file(args.out or args.notebook.with_suffix(".html"), suffixes=(".html",))
    try:
        written = write_notebook_html(args.notebook, target, title=args.title)
    except NotebookExportError as error:
        arguments.print_error(error, args)
        return EXIT_INVALID
    danish = arguments.error_language(args) == "da"
    print(f"Notesbogen er skrevet til {written}" if danish else f"Notebook written to {written}")
    return EXIT_OK
