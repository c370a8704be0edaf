"""The consultant notebooks run top to bottom on the bundled example and recommend from their results.

Each notebook runs with papermill on small parameters, in a kernel started with *this*
interpreter: ``kernel_name="python3"`` alone would go through jupyter_client's search path
(``JUPYTER_PATH``, the user's data folder, ``sys.prefix``, the system folders), where a user-level
``python3`` spec may point at another Python without this package. :class:`ThisInterpreterKernel`
searches no folder, so jupyter_client falls back to ipykernel's own spec, which runs
``sys.executable``; the kernel's runtime, config and IPython folders are temporary, so no user
file or start-up script reaches it. The recommendation each notebook prints is checked against the
tables it wrote. The committed notebooks must carry no outputs, import only the public API of
``simulation`` and ``optimisation`` (their shared helpers are ``simulation.notebook_tools``) and keep
every code cell short.
"""

from __future__ import annotations

import ast
import html
import json
import math
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import numpy as np
import pandas as pd
import papermill
import pytest
from english import english_word_count
from IPython.core.inputtransformer2 import TransformerManager
from jupyter_client import AsyncKernelManager
from jupyter_client.kernelspec import KernelSpecManager
from traitlets import default

import optimisation
import simulation
from simulation.experiments.frontier import FRONTIER_SPEEDS, pareto_front
from simulation.experiments.measures import paired_differences
from simulation.report.notebook_export import notebook_html
from simulation.report.notebook_prose import DANISH_SECTIONS, METADATA_KEY, section_heading

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
EXAMPLE = ROOT / "scenarios" / "eksempelby.toml"
STRIP = ROOT / "tests" / "tools" / "strip_notebooks.py"

COMPARE = "01_compare_agreements.ipynb"
PLAN = "02_referral_plan.ipynb"
EVALUATION = "03_long_term_evaluation.ipynb"
TESTED = {COMPARE, PLAN, EVALUATION}
"""Every notebook in notebooks/ must be run by a test below (checked)."""

NUMBER = re.compile(r"\d+[.,]\d")

INDICATORS_SHOWN = ("housed_within_6_months_share", "listed_area_years", "wait_median_months")
"""Indicators notebook 01 shows in its tables (the Danish run must name them, not show them)."""

PUBLIC = {"simulation": set(simulation.__all__), "optimisation": set(optimisation.__all__)}
"""The packages a notebook may import from, and the names each offers."""

MAX_CELL_LINES = 30
"""No code cell is longer: what a cell does should fit on a screen (move helpers to notebook_tools)."""


class ThisInterpreterKernel(AsyncKernelManager):
    """Start ipykernel in ``sys.executable``, whatever kernel specs are installed."""

    @default("kernel_spec_manager")
    def _kernel_spec_manager_default(self) -> KernelSpecManager:
        return KernelSpecManager(kernel_dirs=[], ensure_native_kernel=True)


@pytest.fixture
def hermetic_jupyter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the kernel's connection files, config and IPython profile in temporary folders."""
    for variable in ("JUPYTER_RUNTIME_DIR", "JUPYTER_CONFIG_DIR", "IPYTHONDIR"):
        folder = tmp_path / "jupyter" / variable.lower()
        folder.mkdir(parents=True)
        monkeypatch.setenv(variable, str(folder))
    monkeypatch.delenv("JUPYTER_PATH", raising=False)


def execute(
    name: str, output: Path, parameters: dict[str, Any], cwd: Path
) -> nbformat.NotebookNode:
    """Run a notebook top to bottom with papermill; return the executed notebook."""
    papermill.execute_notebook(
        str(NOTEBOOKS / name),
        str(output),
        parameters=parameters,
        kernel_name="python3",
        kernel_manager_class=ThisInterpreterKernel,
        cwd=str(cwd),
        progress_bar=False,
        start_timeout=120,
        execution_timeout=600,
    )
    notebook = nbformat.read(output, as_version=4)
    errors = [
        f"{output['ename']}: {output['evalue']}"
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error"
    ]
    assert not errors, errors
    return notebook


def recommendation(notebook: nbformat.NotebookNode) -> str:
    """The Markdown the cell tagged ``recommendation`` displayed."""
    [cell] = [c for c in notebook.cells if "recommendation" in c.metadata.get("tags", [])]
    texts = [
        output["data"]["text/markdown"]
        for output in cell.outputs
        if output.output_type in ("display_data", "execute_result")
        and "text/markdown" in output["data"]
    ]
    assert texts, "the recommendation cell shows no Markdown"
    return "\n".join(texts)


def table_headings(notebook: nbformat.NotebookNode) -> set[str]:
    """The headings and index entries (``<th>``) of every table a notebook displayed."""
    found: set[str] = set()
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html", "")
            found |= {
                re.sub(r"<[^>]+>", "", heading).strip()
                for heading in re.findall(r"<th[^>]*>(.*?)</th>", html, flags=re.S)
            }
    return found - {""}


def shown_change(value: float, scale: float, unit: str, decimal: str = ".") -> str:
    """A difference as the English/Danish recommendation writes it (sign, one decimal, unit)."""
    text = f"{scale * value:,.1f}"
    if decimal == ",":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return ("+" if scale * value > 0 else "") + text + unit


# --------------------------------------------------------------------------------------------------
# The committed notebooks


def committed() -> list[Path]:
    return sorted(NOTEBOOKS.glob("*.ipynb"))


def test_every_notebook_is_run_by_a_test() -> None:
    assert {path.name for path in committed()} == TESTED


@pytest.mark.parametrize("path", committed(), ids=lambda path: path.name)
def test_committed_notebook_has_no_outputs_and_one_parameters_cell(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(cell.outputs == [] for cell in code), "outputs must be stripped"
    assert all(cell.execution_count is None for cell in code), "execution counts must be stripped"
    tags = [cell.metadata.get("tags", []) for cell in code]
    assert sum("parameters" in t for t in tags) == 1 and "parameters" in tags[0]
    assert "recommendation" in tags[-1], "the last code cell is the recommendation"
    assert not any("injected-parameters" in t for t in tags)
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    text = "\n".join(cell.source for cell in notebook.cells)
    assert "synthetic" in text.lower(), "say that the bundled example is synthetic"


def sections(path: Path) -> tuple[str, list[tuple[str | None, str]]]:
    """A committed notebook's name (its metadata) and (section key, text) of its Markdown cells."""
    notebook = nbformat.read(path, as_version=4)
    name = notebook.metadata.get(METADATA_KEY, {}).get("notebook", "")
    return name, [
        (cell.metadata.get(METADATA_KEY, {}).get("section"), cell.source)
        for cell in notebook.cells
        if cell.cell_type == "markdown"
    ]


def heading_text(markdown: str) -> str:
    """A section's heading as a page shows it: its first line without the ``#`` marks."""
    return section_heading(markdown).lstrip("#").strip()


@pytest.mark.parametrize("path", committed(), ids=lambda path: path.name)
def test_every_markdown_section_has_its_danish(path: Path) -> None:
    name, cells = sections(path)
    assert name in DANISH_SECTIONS, f"name the notebook in its metadata {METADATA_KEY}.notebook"
    keys = [key for key, _ in cells]
    assert None not in keys, f"every Markdown cell needs a {METADATA_KEY}.section key: {keys}"
    assert len(set(keys)) == len(keys), f"a section key is used twice: {keys}"
    danish = DANISH_SECTIONS[name]
    assert [key for key in keys if key not in danish] == [], "sections without Danish text"
    assert sorted(danish) == sorted(keys), "Danish text for a section the notebook does not have"
    for key, english in cells:
        level = section_heading(english).split(" ")[0]
        assert level in ("#", "##"), f"{key}: a section starts with its heading"
        assert section_heading(danish[key]).split(" ")[0] == level, f"{key}: the same heading level"
        assert heading_text(danish[key]) != heading_text(english), f"{key}: not translated"
        words = english_word_count(danish[key])
        assert sum(words.values()) == 0, f"{key}: English in the Danish text: {words}"
        assert "`" not in danish[key], f"{key}: the client's text names no code"
    assert sum(english_word_count("\n".join(text for _, text in cells)).values()) > 20


def exported_headings(page: str) -> list[str]:
    """The headings (``<h1>``…``<h6>``) of an exported page, as text."""
    return [
        html.unescape(re.sub(r"<[^>]+>", "", heading)).strip()
        for heading in re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", page, flags=re.S)
    ]


def check_handover_pages(name: str, english_run: Path, danish_run: Path) -> None:
    """The executed notebooks exported: the Danish page Danish throughout, the English unchanged."""
    notebook_name, cells = sections(NOTEBOOKS / name)
    danish_sections = DANISH_SECTIONS[notebook_name]
    english_headings = [heading_text(text) for _, text in cells]
    danish_headings = [heading_text(danish_sections[key]) for key, _ in cells if key]
    english = notebook_html(english_run)
    assert '<html lang="en">' in english and exported_headings(english) == english_headings
    assert sum(english_word_count(english).values()) > 100  # the counter does count
    danish = notebook_html(danish_run)
    assert '<html lang="da">' in danish and exported_headings(danish) == danish_headings
    counts = english_word_count(danish)
    assert not counts, f"English in the Danish page: {counts}"


def markdown_shown(notebook: Any) -> list[str]:
    """The Markdown an executed notebook displays (``display(Markdown(…))`` outputs)."""
    return [
        "".join(output.get("data", {}).get("text/markdown", ""))
        for cell in notebook.cells
        for output in cell.get("outputs", [])
    ]


def code_cells(path: Path) -> list[tuple[int, str]]:
    """(cell number, source) of every code cell of a notebook."""
    notebook = nbformat.read(path, as_version=4)
    return [(n, cell.source) for n, cell in enumerate(notebook.cells) if cell.cell_type == "code"]


def private_imports(source: str) -> list[str]:
    """What a cell takes from ``simulation`` or ``optimisation`` other than their public names.

    Catches ``import simulation.x``, ``from simulation.x import y``, ``from simulation import z``
    for a ``z`` not in the package's ``__all__`` (such as a subpackage) and ``simulation.z`` after
    ``import simulation``. IPython syntax (magics) is turned into Python first.
    """
    tree = ast.parse(TransformerManager().transform_cell(source))
    found, aliases = [], {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                package = alias.name.split(".")[0]
                if package not in PUBLIC:
                    continue
                if alias.name != package:
                    found.append(f"import {alias.name}")
                else:
                    aliases[alias.asname or package] = package
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            package = module.split(".")[0]
            if node.level or package not in PUBLIC:
                continue
            if module != package:
                found.append(f"from {module} import ...")
                continue
            found += [
                f"from {package} import {alias.name}"
                for alias in node.names
                if alias.name not in PUBLIC[package]
            ]
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            package = aliases.get(node.value.id)
            if package is not None and node.attr not in PUBLIC[package]:
                found.append(f"{node.value.id}.{node.attr}")
    return found


@pytest.mark.parametrize("path", committed(), ids=lambda path: path.name)
def test_committed_notebook_imports_only_the_public_api(path: Path) -> None:
    found = [
        f"cell {number}: {text}"
        for number, source in code_cells(path)
        for text in private_imports(source)
    ]
    assert not found, f"use the public API (simulation.__all__, optimisation.__all__): {found}"


def test_the_import_check_sees_private_imports() -> None:
    source = "\n".join(
        [
            "import simulation.experiments",
            "from simulation.report.i18n import number",
            "from simulation import compare, experiments",
            "from optimisation import REASON_TEXT, problem",
            "import simulation as sim",
            "sim.compare, sim.planning",
            "%matplotlib inline",
        ]
    )
    assert private_imports(source) == [
        "import simulation.experiments",
        "from simulation.report.i18n import ...",
        "from simulation import experiments",
        "from optimisation import problem",
        "sim.planning",
    ]
    assert private_imports("from simulation import compare, notebook_tools\nimport numpy") == []


@pytest.mark.parametrize("path", committed(), ids=lambda path: path.name)
def test_committed_notebook_has_short_code_cells(path: Path) -> None:
    lengths = {number: len(source.splitlines()) for number, source in code_cells(path)}
    long = {number: lines for number, lines in lengths.items() if lines > MAX_CELL_LINES}
    assert not long, f"code cells longer than {MAX_CELL_LINES} lines (cell: lines): {long}"


def test_strip_check_passes_on_the_committed_notebooks() -> None:
    result = subprocess.run(
        [sys.executable, str(STRIP), "--check", *map(str, committed())],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_strip_removes_outputs_counts_and_injected_cells(tmp_path: Path) -> None:
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
            nbformat.v4.new_markdown_cell(
                "## Planen", metadata={METADATA_KEY: {"section": "plan"}, "collapsed": True}
            ),
            nbformat.v4.new_code_cell("x = 2", metadata={"tags": ["injected-parameters"]}),
            nbformat.v4.new_code_cell(
                "x",
                execution_count=3,
                outputs=[nbformat.v4.new_output("execute_result", {"text/plain": "2"})],
                metadata={"papermill": {"duration": 0.1}, "tags": []},
            ),
        ],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3"},
            "papermill": {},
            METADATA_KEY: {"notebook": "referral_plan"},
        },
    )
    path = tmp_path / "run.ipynb"
    nbformat.write(notebook, path)
    check = [sys.executable, str(STRIP), "--check", str(path)]
    assert subprocess.run(check, capture_output=True, check=False).returncode == 1
    subprocess.run([sys.executable, str(STRIP), str(path)], check=True, capture_output=True)
    assert subprocess.run(check, capture_output=True, check=False).returncode == 0
    stripped = nbformat.read(path, as_version=4)
    assert [cell.source for cell in stripped.cells] == ["x = 1", "## Planen", "x"]
    assert stripped.cells[2].outputs == [] and stripped.cells[2].execution_count is None
    assert stripped.cells[2].metadata == {} and stripped.cells[0].metadata == {
        "tags": ["parameters"]
    }
    # the section key of a Markdown cell and the notebook's name stay: the Danish prose needs them
    assert stripped.cells[1].metadata == {METADATA_KEY: {"section": "plan"}}
    assert set(stripped.metadata) == {"kernelspec", METADATA_KEY}


# --------------------------------------------------------------------------------------------------
# Running them


@pytest.mark.slow
@pytest.mark.usefixtures("hermetic_jupyter")
def test_compare_notebook_recommends_an_acceptable_agreement(tmp_path: Path) -> None:
    out = tmp_path / "compare"
    small = {"replications": 2, "years": 3, "seed": 5, "out": str(out), "workers": 1}
    # the default scenarios, read from the repository root as when opened in Jupyter (notebooks/)
    text = recommendation(execute(COMPARE, tmp_path / "compare.ipynb", small, cwd=NOTEBOOKS))

    chosen = json.loads((out / "recommendation.json").read_text())
    manifest = json.loads((out / "comparison" / "compare.json").read_text())
    labels, reference = manifest["labels"], manifest["reference"]
    assert len(labels) >= 2 and chosen["labels"] == labels and chosen["reference"] == reference
    recommended, safest = chosen["recommended"], chosen["safest"]
    assert recommended in labels and f"`{recommended}`" in text and f"`{reference}`" in text

    # the rule, checked on the tables the comparison wrote
    indicators = pd.read_parquet(out / "comparison" / "indicators.parquet")
    speed, lists = chosen["speed_measure"], chosen["list_measure"]
    means = indicators.groupby("scenario")[[speed, lists]].mean().loc[labels]
    cost = -means[speed] if FRONTIER_SPEEDS[speed] else means[speed]
    assert means.loc[safest, lists] == means[lists].min()
    risk = paired_differences(indicators, safest, [lists]).set_index("scenario")
    acceptable = {
        label: label == safest or not risk.loc[label, "difference_low_95"] > 0 for label in labels
    }
    front = dict(zip(labels, pareto_front(np.column_stack([means[lists], cost])), strict=True))
    assert acceptable[recommended] and front[recommended]
    for label in labels:
        if cost[label] < cost[recommended]:
            assert not (acceptable[label] and front[label]), f"{label} is faster and acceptable"

    # the evidence: every alternative with its paired difference in speed, as computed
    # the Parquet table keeps full precision (the CSV is rounded for people)
    differences = pd.read_parquet(out / "comparison" / "differences.parquet")
    differences = differences[differences["indicator"] == speed].set_index("scenario")
    scale, unit = (100.0, " pp") if speed.endswith("_share") else (1.0, " months")
    for label in labels[1:]:
        assert f"`{label}`" in text
        assert shown_change(differences.loc[label, "difference_mean"], scale, unit) in text
    assert "95 % interval" in text and NUMBER.search(text)
    assert "Synthetic data" in text and "Too few replications" in text
    for figure in (
        "lists",
        "differences",
        "waits_by_group",
        "criteria_outside_work_education_share",
    ):
        assert (out / "figures" / f"{figure}.png").stat().st_size > 0

    # in Danish, from the same runs (the comparison resumes: nothing is simulated again), with the
    # scenarios given as text, the way `papermill -p scenarios "a.toml, b.toml"` passes them
    files = ", ".join(manifest["scenarios"][label]["file"] for label in labels)
    again = small | {"language": "da", "scenarios": files}
    danish_notebook = execute(COMPARE, tmp_path / "da.ipynb", again, cwd=ROOT)
    danish = recommendation(danish_notebook)
    assert danish.startswith("**Anbefaling") and f"`{recommended}`" in danish
    for label in labels[1:]:
        difference = differences.loc[label, "difference_mean"]
        assert shown_change(difference, scale, unit.replace("pp", "procentpoint"), ",") in danish
    # every table in Danish words: agreements, indicators and groups by name, no column key
    headings = table_headings(danish_notebook)
    assert {"Scenarie", "Nøgletal", "Målgruppe", "Anbefalet", "Bolig inden for 6 mdr."} <= headings
    assert "Lovens standard (1 ud af 4)" in headings and "Hjemløse enlige" in headings
    decision = pd.read_csv(out / "decision.csv")
    keys = set(decision.columns) | set(labels) | set(differences.columns) | set(differences.index)
    keys |= set(pd.read_csv(out / "waits_by_group.csv").columns) | set(INDICATORS_SHOWN)
    keys |= set(simulation.load_scenario(EXAMPLE).scenario.referral_groups)
    english = {"Scenario", "Indicator", "Referral group", "Recommended", "True", "False", "mean"}
    english |= {"Housed within 6 months", "Legal default (1 in 4)", "Homeless singles"}
    left = sorted(
        h for h in headings if h in keys | english or re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+", h)
    )
    assert not left, f"English or keys in the Danish tables: {left}"
    assert "risk_vs_safest_low_95" in decision.columns, "decision.csv keeps its keys"
    assert any(text.startswith("**SYNTETISKE DATA.**") for text in markdown_shown(danish_notebook))
    # handed over as one page: Danish headings and explanations around the Danish tables
    check_handover_pages(COMPARE, tmp_path / "compare.ipynb", tmp_path / "da.ipynb")


@pytest.mark.slow
@pytest.mark.usefixtures("hermetic_jupyter")
def test_plan_notebook_explains_shortfalls_and_levers_from_the_plan(tmp_path: Path) -> None:
    out = tmp_path / "plan"
    parameters = {"months": 6, "out": str(out)}
    # the default scenario, read from the repository root as papermill started there would
    text = recommendation(execute(PLAN, tmp_path / "plan.ipynb", parameters, cwd=ROOT))

    groups = pd.read_csv(out / "groups.csv")
    plan = pd.read_csv(out / "plan.csv")
    placed = plan.groupby("group")["referrals"].sum().reindex(groups["group"]).fillna(0.0)
    np.testing.assert_allclose(placed + groups["shortfall"].to_numpy(), groups["demand"], atol=1e-6)
    assert "plan for 6 months" in text
    unplaced = float(groups["shortfall"].sum())
    assert f"**{unplaced:,.1f} unplaced**" in text
    for group in groups.loc[groups["shortfall"] > 0, "group"]:
        assert f"(`{group}`)" in text, f"the short group {group} is explained"
    summary = json.loads((out / "recommendation.json").read_text())
    assert summary["months"] == 6 and math.isclose(summary["unplaced"], unplaced, abs_tol=1e-6)

    levers = pd.read_csv(out / "levers.csv", keep_default_na=False)
    safe = levers[~levers["fragile"].astype(bool)]
    if unplaced > 0 and len(safe):
        first = summary["first_lever"]
        assert first["households_per_unit"] == pytest.approx(safe["households_per_unit"].max())
        assert f"Recommended first: one more {first['lever']}" in text
        assert first["department"] in text
    assert (out / "figures" / "plan.png").stat().st_size > 0
    assert (out / "explanation.md").read_text().startswith("# Referral plan")

    # in Danish: the same plan in Danish words and numbers (decimal comma)
    danish_out = tmp_path / "plan-da"
    again = parameters | {"language": "da", "out": str(danish_out)}
    danish_notebook = execute(PLAN, tmp_path / "plan-da.ipynb", again, cwd=ROOT)
    danish = recommendation(danish_notebook)
    assert danish.startswith("**Anvisningsplan for 6 måneder")
    shown = f"{unplaced:,.1f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    assert f"**{shown} ikke anvist**" in danish
    for english in ("households", "unplaced", "Shadow prices", "Recommended first"):
        assert english not in danish, english
    assert json.loads((danish_out / "recommendation.json").read_text())["language"] == "da"
    # every table in Danish words: no column key, English heading, department code or group id
    headings = table_headings(danish_notebook)
    assert "Afdeling" in headings and "Målgruppe" in headings and "Ikke anvist" in headings
    assert not (danish_out / "explanation.md").read_text().startswith("# Referral plan")
    keys = set(pd.read_csv(out / "departments.csv").columns) | set(groups.columns)
    keys |= set(pd.read_csv(out / "fits.csv").columns) | set(levers.columns)
    english = {"Department", "Referral group", "Name", "Unplaced", "True", "False", "not listed"}
    ids = set(groups["group"]) | set(pd.read_csv(out / "departments.csv")["department"])
    left = sorted(h for h in headings if h in keys | english | ids or re.fullmatch(r"D\d{4}", h))
    assert not left, f"English or ids in the Danish tables: {left}"
    assert any(text.startswith("**SYNTETISKE DATA.**") for text in markdown_shown(danish_notebook))
    check_handover_pages(PLAN, tmp_path / "plan.ipynb", tmp_path / "plan-da.ipynb")


@pytest.mark.slow
@pytest.mark.usefixtures("hermetic_jupyter")
def test_evaluation_notebook_judges_robustness_from_the_sweep(tmp_path: Path) -> None:
    out = tmp_path / "evaluation"
    uncertain = {
        "behaviour.selective_move_out_strength": [0.5, 3.0],
        "agreement.default_referral_share": [0.15, 0.5],
    }
    parameters = {
        "scenario": str(EXAMPLE),
        "uncertain": json.dumps(uncertain),  # as `papermill -p uncertain '{...}'` passes it
        "replications": 2,
        "years": 2,
        "seed": 3,
        "out": str(out),
        "workers": 1,
        "ranges": str(ROOT / "scenarios" / "ranges" / "uncertainty.toml"),
        "sensitivity_samples": 2,
        "challenger": str(ROOT / "scenarios" / "eksempelby_fleksibel.toml"),
        "robustness_samples": 4,
    }
    text = recommendation(
        execute(EVALUATION, tmp_path / "evaluation.ipynb", parameters, cwd=tmp_path)
    )
    # the global sensitivity and the robustness over the bundled ranges file
    indices = pd.read_csv(out / "sensitivity" / "indices.csv")
    assert set(indices["index"]) == {"mu_star", "mu", "sigma"}
    assert (out / "figures" / "sensitivity.png").stat().st_size > 0
    robust = json.loads((out / "robustness" / "robustness.json").read_text())
    assert robust["status"] == "complete" and "on listed area-years" in robust["finding"]

    summary = json.loads((out / "recommendation.json").read_text())
    headlines = list(summary["verdicts"])
    assert headlines == ["listed_final", "wait_mean_months"]
    assert set(summary["verdicts"].values()) <= {"robust", "sensitive", "inconclusive"}
    # the main effects, recomputed from the sweep's own table of indicators
    measures = pd.read_parquet(out / "sweep" / "indicators.parquet")
    assert len(measures) == 4 * 2
    for headline in headlines:
        swings = {
            key: abs(
                measures.loc[measures[key] == values[-1], headline].mean()
                - measures.loc[measures[key] == values[0], headline].mean()
            )
            for key, values in uncertain.items()
        }
        named = summary["most_influential"][headline]
        assert swings[named] == pytest.approx(max(swings.values()))
        assert f"**Verdict: {summary['verdicts'][headline]}**" in text
        assert f"**{headline}**" in text and f"`{named}`" in text
    # a reversed swing in the text is the one in the effects table
    effects = pd.read_csv(out / "effects.csv")
    np.testing.assert_allclose(effects["swing"], effects["mean_at_last"] - effects["mean_at_first"])
    lever = effects[effects["key"] == "agreement.default_referral_share"].iloc[0]
    assert f"{lever['swing']:+.2f}" in text and NUMBER.search(text)
    assert "Synthetic data" in text
    for figure in ("tornado", "main_effects", "points", "lists_by_year"):
        assert (out / "figures" / f"{figure}.png").stat().st_size > 0

    # in Danish, from the same folders (every step resumes: nothing is simulated again)
    again = parameters | {"language": "da"}
    danish_notebook = execute(EVALUATION, tmp_path / "evaluation-da.ipynb", again, cwd=tmp_path)
    danish = recommendation(danish_notebook)
    assert danish.startswith("**Samlet")
    # every table in Danish words: no column key, English heading, scenario key or point id
    headings = table_headings(danish_notebook)
    assert "Standardandel til kommunal anvisning" in headings and "Udsving" in headings
    keys = set(effects.columns) | set(pd.read_csv(out / "levels.csv").columns) | set(uncertain)
    keys |= set(indices.columns) | set(headlines) | {"scenario value", "values swept"}
    english = {"Swing", "Headline", "Parameter kind", "Value", "True", "False", "uncertain"}
    left = sorted(h for h in headings if h in keys | english or re.fullmatch(r"p\d{3}", h))
    assert not left, f"English or keys in the Danish tables: {left}"
    assert any(text.startswith("**SYNTETISKE DATA.**") for text in markdown_shown(danish_notebook))
    printed = "".join(
        output.get("text", "")
        for cell in danish_notebook.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "stream"
    )
    assert "bedre end" in printed and "beats" not in printed  # the robustness finding
    verdict_da = {"robust": "robust", "sensitive": "følsom", "inconclusive": "uafklaret"}
    for headline in headlines:
        assert f"**Vurdering: {verdict_da[summary['verdicts'][headline]]}**" in danish
    assert f"{lever['swing']:+.2f}".replace(".", ",") in danish
    assert "Syntetiske data" in danish and "95 %-interval" in danish
    for english in ("Verdict", "Overall", "replications", "on average"):
        assert english not in danish, english
    check_handover_pages(
        EVALUATION, tmp_path / "evaluation.ipynb", tmp_path / "evaluation-da.ipynb"
    )
