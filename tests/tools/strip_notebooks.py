"""Strip notebooks for committing: no outputs, no execution counts, no run metadata.

A committed notebook holds code and prose only. Running it (in Jupyter or with papermill) adds
outputs, execution counts, papermill's timing metadata and an ``injected-parameters`` cell; this
script removes them all and keeps only the cell tags (``parameters``, ``recommendation``), the
project's own metadata (``blandetby``: a Markdown cell's section key, the notebook's name; see
``simulation/report/notebook_prose.py``) and the notebook's kernel spec and language name.

Usage (from the repository root)::

    .venv/bin/python tests/tools/strip_notebooks.py notebooks/*.ipynb          # strip in place
    .venv/bin/python tests/tools/strip_notebooks.py --check notebooks/*.ipynb  # exit 1 if not stripped

``tests/test_integration/test_notebooks.py`` runs the check on every notebook.
"""

from __future__ import annotations

import argparse
import copy
import sys
from collections.abc import Sequence
from pathlib import Path

import nbformat
from nbformat import NotebookNode

KEPT_CELL_METADATA = ("tags", "blandetby")
"""Cell metadata that is part of the notebook (papermill finds its ``parameters`` cell by tag;
``notebook-html`` finds the Danish of a Markdown section by its ``blandetby`` key)."""

KEPT_METADATA = ("kernelspec", "blandetby")
"""Notebook metadata that is part of the notebook (the kernel; the notebook's name for its prose)."""

INJECTED_TAG = "injected-parameters"
"""The tag of the cell papermill inserts with the parameters of a run."""


def strip(notebook: NotebookNode) -> NotebookNode:
    """A copy of ``notebook`` without outputs, execution counts, run metadata or injected cells."""
    stripped = copy.deepcopy(notebook)
    cells = []
    for cell in stripped.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if INJECTED_TAG in tags:
            continue
        cell["metadata"] = {
            key: value
            for key, value in cell.get("metadata", {}).items()
            if key in KEPT_CELL_METADATA and value
        }
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        cells.append(cell)
    stripped.cells = cells
    metadata = {key: stripped.metadata[key] for key in KEPT_METADATA if key in stripped.metadata}
    language = stripped.metadata.get("language_info", {}).get("name")
    if language:
        metadata["language_info"] = {"name": language}
    stripped.metadata = metadata
    nbformat.validate(stripped)
    return stripped


def stripped_text(path: Path) -> tuple[str, str]:
    """The file's text as it is, and as it would be stripped."""
    text = path.read_text(encoding="utf-8")
    notebook = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
    return text, nbformat.writes(strip(notebook)) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Strip (or with ``--check`` only check) the notebooks given; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path, metavar="NOTEBOOK")
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if a notebook is not stripped"
    )
    args = parser.parse_args(argv)
    dirty = []
    for path in args.notebooks:
        text, clean = stripped_text(path)
        if text == clean:
            continue
        dirty.append(path)
        if not args.check:
            path.write_text(clean, encoding="utf-8")
    verb = "not stripped" if args.check else "stripped"
    for path in dirty:
        print(f"{path}: {verb}")
    return 1 if args.check and dirty else 0


if __name__ == "__main__":
    sys.exit(main())
