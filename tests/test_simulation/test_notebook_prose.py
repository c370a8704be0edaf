"""The notebooks' prose in the language they ran in: the run's language, the Danish sections."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from simulation.base.errors import in_language
from simulation.report.notebook_prose import (
    DANISH_SECTIONS,
    METADATA_KEY,
    MissingSectionError,
    in_notebook_language,
    notebook_language,
    section_heading,
)


def keyed(text: str, section: str) -> nbformat.NotebookNode:
    return new_markdown_cell(text, metadata={METADATA_KEY: {"section": section}})


def plan_notebook(*parameters: str) -> nbformat.NotebookNode:
    """A small notebook named ``referral_plan``: keyed sections, a cell of the consultant's own."""
    cells = [
        keyed("# This year's referral plan\n\nThe municipality must house …", "introduction"),
        new_code_cell(parameters[0], metadata={"tags": ["parameters"]}),
        *[
            new_code_cell(text, metadata={"tags": ["injected-parameters"]})
            for text in parameters[1:]
        ],
        keyed("## The plan\n\nThe pieces.", "plan"),
        new_markdown_cell("Vores egen bemærkning til Vejle Kommune."),
    ]
    return new_notebook(cells=cells, metadata={METADATA_KEY: {"notebook": "referral_plan"}})


def test_the_language_is_the_last_one_the_parameter_cells_assign() -> None:
    assert notebook_language(plan_notebook('language = "en"  # "en" or "da"')) == "en"
    # papermill's injected cell comes after the parameters cell and wins
    assert notebook_language(plan_notebook('language = "en"', 'language = "da"')) == "da"
    # edited in Jupyter, no papermill
    assert notebook_language(plan_notebook('out = "x"\nlanguage = "da"')) == "da"
    # IPython syntax in a cell is not read, nor an assignment that is not a text
    assert notebook_language(plan_notebook("%matplotlib inline\nlanguage = 'da'")) == "en"
    assert notebook_language(plan_notebook("language = LANGUAGE")) == "en"
    # no cell assigns it: papermill's record of the run
    recorded = plan_notebook("out = 'x'")
    recorded.metadata["papermill"] = {"parameters": {"language": "da"}}
    assert notebook_language(recorded) == "da"
    assert notebook_language(new_notebook()) == "en"


def test_a_danish_run_gets_the_danish_of_every_keyed_section_only() -> None:
    notebook = plan_notebook('language = "en"', 'language = "da"')
    danish = in_notebook_language(notebook)
    texts = [cell.source for cell in danish.cells if cell.cell_type == "markdown"]
    assert texts == [
        DANISH_SECTIONS["referral_plan"]["introduction"].strip(),
        DANISH_SECTIONS["referral_plan"]["plan"].strip(),
        "Vores egen bemærkning til Vejle Kommune.",  # the consultant's own cell, as written
    ]
    assert (
        section_heading(texts[0])
        == "# Årets anvisningsplan: hvor kommunens anvisninger går hen, og hvad der begrænser dem"
    )
    # the notebook itself keeps its English guide
    assert notebook.cells[0].source.startswith("# This year's referral plan")
    english = plan_notebook('language = "en"')
    assert in_notebook_language(english) is english


def test_a_keyed_section_without_danish_is_refused_in_both_languages() -> None:
    notebook = plan_notebook('language = "da"')
    notebook.cells.append(keyed("## Our own table\n\nMore.", "our_table"))
    with pytest.raises(MissingSectionError) as raised:
        in_notebook_language(notebook, "runs/vejle/plan.ipynb")
    message = raised.value.args[0]
    assert message.startswith("runs/vejle/plan.ipynb: ") and "cell 5 ('our_table')" in message
    assert "remove its metadata 'blandetby'" in message
    assert "fjern dens metadata 'blandetby'" in in_language(message, "da")
    # a notebook without a name has no Danish at all
    del notebook.metadata[METADATA_KEY]
    with pytest.raises(MissingSectionError, match="cell 1 \\('introduction'\\)"):
        in_notebook_language(notebook)
