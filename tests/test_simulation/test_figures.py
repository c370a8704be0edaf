"""Figures a planner can read: whole years, legends clear of the data, words for axes, clipped bars."""

from __future__ import annotations

import re
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from simulation.experiments.results import read_run
from simulation.report import palette
from simulation.report.data import ReportData, load_run
from simulation.report.experiment_plots import frontier_figure
from simulation.report.figures import evidence_figures
from simulation.report.plots import criteria_figure, lettings_figure, list_count_figure

pytestmark = pytest.mark.xdist_group("report")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, report_fixtures: ModuleType) -> Any:
    return report_fixtures.make_tiny_world(tmp_path_factory.mktemp("figures-world"))


@pytest.fixture(scope="module")
def tables(world: Any) -> dict[str, pd.DataFrame]:
    return read_run(world.run_dirs[0])


def visible_ticks(figure: Figure, axis_name: str = "x") -> list[str]:
    FigureCanvasAgg(figure).draw()
    ticks = []
    for axis in figure.axes:
        if not axis.get_visible():
            continue
        low, high = sorted(axis.get_xlim() if axis_name == "x" else axis.get_ylim())
        which = axis.xaxis if axis_name == "x" else axis.yaxis
        for tick, location in zip(which.get_ticklabels(), which.get_ticklocs(), strict=False):
            if low <= location <= high and tick.get_text():
                ticks.append(tick.get_text())
    return ticks


def assert_legends_clear_of_data(figure: Figure) -> None:
    """No legend inside a plot: legends belong to the figure, beside or below the axes."""
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    assert figure.legends, "the figure has no legend"
    for axis in figure.axes:
        assert axis.get_legend() is None, f"a legend sits on the plot {axis.get_title()!r}"
    for legend in figure.legends:
        box = legend.get_window_extent(renderer)
        for axis in figure.axes:
            if axis.get_visible() and axis.has_data():
                assert not box.overlaps(axis.get_window_extent(renderer)), axis.get_title()


def assert_words_not_keys(figure: Figure) -> None:
    for axis in figure.axes:
        for text in (axis.get_xlabel(), axis.get_ylabel(), axis.get_title()):
            assert not re.search(r"[a-z]+_[a-z]+", text), f"a key, not words: {text!r}"


def test_run_figures_have_whole_years_and_legends_beside_the_plot(
    tables: dict[str, pd.DataFrame],
) -> None:
    for figure in (
        lettings_figure(tables["department_year"]),
        list_count_figure(tables["area_year"]),
        criteria_figure(tables["area_year"], minimum_residents=0),
    ):
        ticks = visible_ticks(figure)
        assert ticks, "no year ticks"
        assert all(re.fullmatch(r"\d{4}", tick) for tick in ticks), ticks
        assert_legends_clear_of_data(figure)
        assert_words_not_keys(figure)
        labels = [axis.get_xlabel() for axis in figure.axes if axis.get_xlabel()]
        assert any("year" in label for label in labels)


def test_report_figures_say_mean_or_median_and_name_the_agreements(world: Any) -> None:
    data = ReportData(
        tuple(
            load_run(label, folder)
            for label, folder in zip(("standard", "hoej"), world.run_dirs, strict=True)
        )
    )
    figures = {item.id: item.figure for item in evidence_figures(data, "da")}
    lists = figures["figure-lists"]
    (legend,) = lists.legends
    assert "middel" in legend.get_title().get_text()
    shown = {text.get_text() for text in legend.get_texts()}
    assert shown == {run.name for run in data.runs}  # names, not the folder labels
    assert all(re.fullmatch(r"\d{4}", tick) for tick in visible_ticks(lists))
    for key in ("figure-lists", "figure-waits", "figure-load"):
        assert_legends_clear_of_data(figures[key])
    fan = next(figure for key, figure in figures.items() if key.startswith("figure-criteria"))
    assert "median" in fan.legends[0].get_title().get_text()
    # every series colour comes from the colour-blind-safe palette
    for axis in lists.axes:
        for line in axis.get_lines():
            assert line.get_color() in palette.OKABE_ITO


def test_the_frontier_clips_its_intervals_and_titles_its_axes_in_words() -> None:
    table = pd.DataFrame(
        {
            "point": ["p000", "p001", "p002"],
            "label": ["share=0.1", "share=0.25", "share=0.5"],
            "pareto": [True, True, False],
            "listed_area_years": [1.0, 3.0, 4.0],
            "listed_area_years_low_95": [-9.0, 0.5, 1.0],
            "listed_area_years_high_95": [11.0, 5.5, 7.0],
            "wait_mean_months": [12.0, 2.0, 6.0],
            "wait_mean_months_low_95": [-10.0, 0.5, 1.0],
            "wait_mean_months_high_95": [34.0, 3.5, 11.0],
        }
    )
    figure = frontier_figure(table, speed="wait_mean_months", lists="listed_area_years")
    FigureCanvasAgg(figure).draw()
    axis = figure.axes[0]
    assert axis.get_xlim()[0] == 0 and axis.get_ylim()[0] == 0
    assert_words_not_keys(figure)
    assert "months" in axis.get_ylabel()
    for collection in axis.collections:  # the error bars: no segment below 0
        for segment in collection.get_segments():  # type: ignore[attr-defined]
            assert np.all(np.asarray(segment) >= -1e-9)
    # labels are short ids; the varied values are in the key beside the plot, not on the data
    annotations = [child.get_text() for child in axis.texts]
    assert sorted(annotations) == ["p000", "p001", "p002"]
    assert "share=0.25" in figure.axes[1].texts[0].get_text()


def test_the_palette_is_colour_blind_safe() -> None:
    assert palette.colours(3) == ["#0072B2", "#E69F00", "#009E73"]
    assert len(set(palette.colours(7))) == 7
    assert "#000000" not in palette.colours(20)  # black is for thresholds
    assert palette.line_styles(9)[7] == "--"
