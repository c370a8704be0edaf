"""``blandetby notebook-html``: an executed notebook as one HTML file without code or network.

A small notebook (Markdown with a web link, a figure, a table, a printed line, a warning that
quotes code) is executed in a kernel of this interpreter, then exported; the page must carry no
input cell and no code, reference nothing on the network (no script at all, no CDN, no MathJax,
no external style sheet or font) and embed its figure as a data URI.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from simulation.cli.main import main
from simulation.report.notebook_export import network_references
from simulation.report.notebook_prose import DANISH_SECTIONS, METADATA_KEY

pytestmark = pytest.mark.xdist_group("notebooks")

CODE = "import matplotlib.pyplot as plt\nfigure, axes = plt.subplots()\naxes.plot([2026, 2027], [1, 2])\nplt.show()"
TABLE = "import pandas as pd\npd.DataFrame({'area': ['Nordparken'], 'residents': [1234]})"
PRINTED = "import warnings\nwarnings.warn('secret_variable_name')\nprint('Anbefaling: aftale B')"
NETWORK = ("cdn", "unpkg", "jsdelivr", "mathjax", "require.js", "googleapis", "@import")


@pytest.fixture
def executed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The small notebook, executed in a kernel started with this interpreter."""
    for variable in ("JUPYTER_RUNTIME_DIR", "JUPYTER_CONFIG_DIR", "IPYTHONDIR"):
        folder = tmp_path / "jupyter" / variable.lower()
        folder.mkdir(parents=True)
        monkeypatch.setenv(variable, str(folder))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    notebook = new_notebook(
        cells=[
            new_markdown_cell(
                "# Sammenligning af aftaler\n\nKilde: [Boligministeriet](https://www.example.dk/liste)."
            ),
            new_code_cell(CODE),
            new_code_cell(TABLE),
            new_code_cell(PRINTED),
        ]
    )
    NotebookClient(notebook, kernel_name="python3", timeout=120).execute()
    path = tmp_path / "executed.ipynb"
    nbformat.write(notebook, path)
    return path


@pytest.mark.slow
def test_an_executed_notebook_exports_without_code_or_network(
    executed: Path, tmp_path: Path
) -> None:
    out = tmp_path / "handover.html"
    with contextlib.redirect_stdout(io.StringIO()) as said:
        assert main(["notebook-html", str(executed), "--out", str(out)]) == 0
    assert str(out) in said.getvalue()
    page = out.read_text(encoding="utf-8")
    # no code: no input cells, no code element, no source line (the warning quoted one)
    assert "<code" not in page and "input_area" not in page and "jp-InputArea" not in page
    assert "plt.subplots" not in page and "pd.DataFrame" not in page
    assert "secret_variable_name" not in page
    # the outputs are there: the Markdown, the table, the printed line, the figure as a data URI
    assert "<h1" in page and "Sammenligning af aftaler" in page
    assert "<title>Sammenligning af aftaler</title>" in page  # the first heading, not the file
    assert "Nordparken" in page and "<table" in page
    assert "Anbefaling: aftale B" in page
    images = re.findall(r'<img[^>]*src="([^"]+)"', page)
    assert images and all(src.startswith("data:image/png;base64,") for src in images)
    # each image says what it is, by the heading of its section (not nbconvert's English filler)
    assert re.findall(r'<img[^>]*alt="([^"]+)"', page) == ["Figure: Sammenligning af aftaler"]
    assert "No description has been provided" not in page
    # nothing on the network: no script at all, no src/href to http(s), no CDN or MathJax
    assert "<script" not in page.lower()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.IGNORECASE)
    assert network_references(page) == []
    lowered = page.lower()
    assert not [word for word in NETWORK if word in lowered]
    assert "https://www.example.dk/liste" in page  # the link kept as words, not as a link
    assert "default-src 'none'" in page  # and the page may fetch nothing


def test_a_notebook_that_was_not_executed_or_is_not_one_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fresh = tmp_path / "fresh.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("1 + 1")]), fresh)
    assert main(["notebook-html", str(fresh)]) == 2
    assert "was not executed" in capsys.readouterr().err
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{not json", encoding="utf-8")
    assert main(["notebook-html", str(broken), "--out", str(tmp_path / "b.html")]) == 2
    error = capsys.readouterr().err
    assert "is not a readable notebook" in error and "Traceback" not in error
    assert main(["notebook-html", str(tmp_path / "missing.ipynb")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "b.html").exists() and not (tmp_path / "fresh.html").exists()


def test_network_references_sees_scripts_styles_and_fonts() -> None:
    page = (
        '<script src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js"></script>'
        '<link rel="stylesheet" href="//fonts.googleapis.com/css?family=Roboto" />'
        "<style>@import 'https://unpkg.com/x.css'; body { background: url(http://x.org/a.png) }"
        '</style><img src="data:image/png;base64,AAAA" /><a href="../docs/law.md">law</a>'
    )
    assert network_references(page) == [
        "https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js",
        "//fonts.googleapis.com/css?family=Roboto",
        "https://unpkg.com/x.css",
        "http://x.org/a.png",
    ]


def ran(language: str, *, section: str = "plan") -> nbformat.NotebookNode:
    """A notebook of the referral plan as papermill leaves it, run in ``language`` (no kernel)."""
    table = nbformat.v4.new_output(
        "execute_result", {"text/html": "<table><tr><th>Afdeling</th></tr></table>"}
    )
    return new_notebook(
        cells=[
            new_markdown_cell(
                "## The plan\n\nThe pieces.", metadata={METADATA_KEY: {"section": section}}
            ),
            new_code_cell('language = "en"', metadata={"tags": ["parameters"]}),
            new_code_cell(f'language = "{language}"', metadata={"tags": ["injected-parameters"]}),
            new_code_cell("plan.table()", outputs=[table], execution_count=1),
            new_markdown_cell("Vores egen note."),
        ],
        metadata={METADATA_KEY: {"notebook": "referral_plan"}},
    )


def test_a_danish_run_is_handed_over_with_the_danish_prose(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = {}
    for language in ("en", "da"):
        path = tmp_path / f"plan-{language}.ipynb"
        nbformat.write(ran(language), path)
        assert main(["notebook-html", str(path)]) == 0
        pages[language] = path.with_suffix(".html").read_text(encoding="utf-8")
    danish = DANISH_SECTIONS["referral_plan"]["plan"]
    assert '<html lang="da">' in pages["da"] and "<h2" in pages["da"]
    assert ">Planen<" in pages["da"] and danish.split("\n\n")[1].split()[0] in pages["da"]
    assert "The plan" not in pages["da"] and "The pieces" not in pages["da"]
    assert "Vores egen note." in pages["da"] and "Afdeling" in pages["da"]
    assert '<html lang="en">' in pages["en"] and ">The plan<" in pages["en"]
    titles = {
        language: re.search(r"<title>(.*?)</title>", page) for language, page in pages.items()
    }
    assert titles["da"] and titles["en"] and titles["da"].group(1) != titles["en"].group(1)
    assert "Planen" not in pages["en"]
    # a section the catalogue does not know would leave English on the client's page: refused
    unknown = tmp_path / "unknown.ipynb"
    nbformat.write(ran("da", section="our_own_table"), unknown)
    capsys.readouterr()
    assert main(["notebook-html", str(unknown)]) == 2
    error = capsys.readouterr().err
    assert "cell 1 ('our_own_table')" in error and "no Danish text" in error
    assert "Traceback" not in error and not unknown.with_suffix(".html").exists()
