"""An executed notebook as one self-contained HTML file a consultant hands over.

``blandetby notebook-html NOTEBOOK.ipynb --out FILE.html`` writes what the reader of a
recommendation needs and nothing else: the Markdown cells and the outputs (tables, figures,
printed text), **without the code** (no input cells, no prompts, no warnings on standard error,
which quote code), and **without any network reference**: no scripts at all (no require.js,
MathJax or widget loaders from a CDN), no external style sheets or fonts, every image embedded as a
``data:`` URI, and a Content-Security-Policy that forbids the page to fetch anything. The style
is the report's own (:data:`simulation.report.html.CSS`, system fonts only).

It is nbconvert's ``basic`` template (the cells alone, no page around them) inside the report's
page: nbconvert is in the ``notebooks`` extra. Mathematics in Markdown stays as written (``$…$``):
rendering it would need MathJax.

The page is in the language the notebook ran in: when its ``language`` parameter was ``"da"``,
each Markdown section the notebook keys (the title, the headings and the paragraphs that explain
the tables and figures) is exported in its Danish (:mod:`simulation.report.notebook_prose`), so
the client reads Danish around the Danish tables; the notebook itself keeps the English guide.

Examples
--------
>>> from simulation.report.notebook_export import network_references
>>> network_references('<img src="data:image/png;base64,AAAA" /><script src="https://x.org/a.js">')
['https://x.org/a.js']
"""

from __future__ import annotations

import copy
import html
import re
from pathlib import Path
from typing import Any

from simulation.base.atomic import atomic_write_text
from simulation.base.errors import Words
from simulation.base.version import __version__
from simulation.report.html import CSS
from simulation.report.notebook_prose import (
    MissingSectionError,
    in_notebook_language,
    notebook_language,
)

__all__ = ["NotebookExportError", "network_references", "notebook_html", "write_notebook_html"]

NOTEBOOK_CSS = """
.cell { margin: 0 0 0.8em; }
.output_area pre { white-space: pre-wrap; font-size: 0.88em; background: var(--soft);
  padding: 6px 10px; border-radius: 3px; }
.output_png img, .output_jpeg img, .output_svg svg { max-width: 100%; height: auto; }
table.dataframe { border-collapse: collapse; }
table.dataframe td, table.dataframe th { text-align: right; }
.output_html { overflow-x: auto; }
@media screen { table.dataframe tbody th { white-space: nowrap; } }
@media print { .output_html { overflow: visible; } table.dataframe { font-size: 0.72em; }
  table.dataframe th { overflow-wrap: anywhere; hyphens: auto; } }
a.anchor-link { display: none; }
.output_error { color: var(--warn); }
"""
"""What the notebook's cells need beyond the report's style."""

NETWORK_ATTRIBUTE = re.compile(
    r"""\b(?:src|href|data|poster|action|srcset)\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]+)""",
    re.IGNORECASE,
)
WEB_LINK = re.compile(r"""<a\s[^>]*?href=["'](https?://[^"']+)["'][^>]*>(.*?)</a>""", re.DOTALL)
NETWORK_CSS = re.compile(r"""(?:url\(\s*["']?|@import\s+["'])((?:https?:)?//[^"')\s]+)""")


class NotebookExportError(ValueError):
    """The notebook cannot be exported (not a notebook, not executed, or nbconvert missing)."""


def network_references(page: str) -> list[str]:
    """Every address a page would fetch: ``src``/``href``/… attributes and CSS ``url()``/``@import``.

    Links count too (:func:`notebook_html` writes a web link in a Markdown cell as its words and
    its address in brackets).
    """
    return [match.group(1) for match in NETWORK_ATTRIBUTE.finditer(page)] + [
        match.group(1) for match in NETWORK_CSS.finditer(page)
    ]


def _read(notebook: str | Path) -> Any:
    try:
        import nbformat
    except ImportError:
        raise NotebookExportError(
            Words(
                "exporting a notebook needs nbconvert: pip install -e '.[notebooks]'",
                "eksport af en notesbog skal bruge nbconvert: pip install -e '.[notebooks]'",
            )
        ) from None
    path = Path(notebook)
    if path.suffix != ".ipynb":
        raise NotebookExportError(
            Words(
                f"{path}: expected a notebook file (.ipynb)",
                f"{path}: forventede en notesbogsfil (.ipynb)",
            )
        )
    try:
        return nbformat.read(path, as_version=4)
    except FileNotFoundError:
        raise NotebookExportError(Words(f"{path} does not exist", f"{path} findes ikke")) from None
    except Exception as error:  # nbformat raises JSON, validation and reading errors
        reason = f"{type(error).__name__}: {error}"
        raise NotebookExportError(
            Words(
                f"{path} is not a readable notebook ({reason}); expected an "
                "executed .ipynb file (e.g. the output of papermill)",
                f"{path} er ikke en læsbar notesbog ({reason}); forventede en kørt .ipynb-fil "
                "(f.eks. resultatet af papermill)",
            )
        ) from None


FIGURE_WORD = {"da": "Figur", "en": "Figure"}
"""How an image's alternative text starts, before the heading of the section it stands in."""

IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml")


def _without_code(notebook: Any, language: str = "en") -> Any:
    """A copy without code: stderr streams (warnings quote source lines) and raw cells removed.

    Every image an output shows gets an alternative text in ``language`` (``Figur: <the heading
    of its section>``) unless it has one, so that a screen reader says what it is and nbconvert
    does not put its English "No description has been provided" on a Danish page.
    """
    cleaned = copy.deepcopy(notebook)
    cleaned.cells = [cell for cell in cleaned.cells if cell.cell_type != "raw"]
    section = ""
    for cell in cleaned.cells:
        if cell.cell_type == "markdown":
            headings = re.findall(r"^#{1,6}\s+(.+?)\s*#*\s*$", cell.source, re.MULTILINE)
            section = headings[-1] if headings else section
        if cell.cell_type == "code":
            cell.outputs = [
                output
                for output in cell.outputs
                if not (output.output_type == "stream" and output.get("name") == "stderr")
            ]
            for output in cell.outputs:
                for kind in IMAGE_TYPES:
                    if kind in output.get("data", {}):
                        meta = output.setdefault("metadata", {}).setdefault(kind, {})
                        word = FIGURE_WORD.get(language, FIGURE_WORD["en"])
                        meta.setdefault("alt", f"{word}: {section}" if section else word)
    return cleaned


def _first_heading(notebook: Any) -> str:
    """The text of the notebook's first Markdown heading (in the language it is exported in)."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            found = re.search(r"^#{1,6}\s+(.+?)\s*#*\s*$", cell.source, re.MULTILINE)
            if found:
                return re.sub(r"[*_`]", "", found.group(1))
    return ""


def notebook_html(notebook: str | Path, *, title: str | None = None) -> str:
    """The executed ``notebook`` as one self-contained HTML page without code.

    The Markdown sections are in the language the notebook ran in (see
    :func:`~simulation.report.notebook_prose.in_notebook_language`), and so is the page's
    ``lang``.

    Raises
    ------
    NotebookExportError
        If the file is not a notebook, has no outputs at all (it was not executed), nbconvert is
        not installed, the notebook ran in Danish but a section it keys has no Danish text, or the
        page would still reference the network (a Markdown cell loading an image from the web).
    """
    node = _read(notebook)
    path = Path(notebook)
    code_cells = [cell for cell in node.cells if cell.cell_type == "code"]
    if code_cells and not any(cell.get("outputs") for cell in code_cells):
        raise NotebookExportError(
            Words(
                f"{path} has no outputs: it was not executed; run it first, e.g. "
                f".venv/bin/papermill {path} executed.ipynb -k python3",
                f"{path} har ingen resultater: den er ikke kørt; kør den først, f.eks. "
                f".venv/bin/papermill {path} executed.ipynb -k python3",
            )
        )
    try:
        node = in_notebook_language(node, str(path))
    except MissingSectionError as error:
        raise NotebookExportError(error.args[0]) from None
    language = "da" if notebook_language(node) == "da" else "en"
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_raw=True,
        embed_images=True,
        anchor_link_text="",
    )
    try:
        body, _ = exporter.from_notebook_node(
            _without_code(node, language), resources={"metadata": {"path": str(path.parent)}}
        )
    except (OSError, ValueError) as error:  # an embedded image that cannot be read
        raise NotebookExportError(f"{path}: {error}") from error
    # a link in a Markdown cell becomes its words and its address in brackets: nothing to follow
    body = WEB_LINK.sub(lambda match: f"{match.group(2)} ({match.group(1)})", body)
    heading = title or _first_heading(node) or path.stem.replace("_", " ")
    policy = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
    page = (
        f'<!DOCTYPE html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8" />\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1" />\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}" />\n'
        f'<meta name="generator" content="blandetby {html.escape(__version__)}" />\n'
        f"<title>{html.escape(heading)}</title>\n<style>\n{CSS}\n{NOTEBOOK_CSS}\n</style>\n"
        f"</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )
    found = network_references(page)
    if found:
        shown = ", ".join(found[:5])
        raise NotebookExportError(
            Words(
                f"{path}: the page would reference the network ({shown}); expected "
                "a notebook whose Markdown and outputs name sources in words and embed every image",
                f"{path}: siden ville henvise til netværket ({shown}); forventede en notesbog, "
                "hvis Markdown og resultater nævner kilder med ord og indlejrer hvert billede",
            )
        )
    return page


def write_notebook_html(
    notebook: str | Path, out: str | Path | None = None, *, title: str | None = None
) -> Path:
    """Write :func:`notebook_html` atomically (default: beside the notebook, ``.html``)."""
    target = Path(out) if out is not None else Path(notebook).with_suffix(".html")
    atomic_write_text(target, notebook_html(notebook, title=title))
    return target
