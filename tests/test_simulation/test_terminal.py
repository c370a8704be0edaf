"""Terminal tables fit the terminal: wrapped headings, then column groups; no line too long."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulation.base.terminal import fit_table
from simulation.inputs.scenario import load_scenario
from simulation.report.profile import build_profile, in_language, render_profile

HEADER = ["Housing organisation", "Dwellings", "Affordable dwellings", "Vacancies per year"]
HEADER += ["Referral capacity per year", "Affordable referral capacity per year", "Share"]
ROWS = [["Andelsboligforeningen Hjem", "2,574", "257", "261", "65", "7", "20.7 %"]]


def test_a_table_that_fits_is_one_line_a_row() -> None:
    lines = fit_table(HEADER, ROWS, None)
    assert len(lines) == 2 and len(lines[0]) > 100  # as wide as it is without a limit
    assert fit_table(HEADER, ROWS, 500) == lines


@pytest.mark.parametrize("width", [80, 60, 40])
def test_a_wide_table_keeps_every_cell_within_the_width(width: int) -> None:
    lines = fit_table(HEADER, ROWS, width)
    assert max(len(line) for line in lines) <= width
    text = "\n".join(lines)
    for cell in ROWS[0]:
        assert cell in text  # nothing cut off
    # the first column repeats in each group of columns
    assert text.count("Andelsboligforeningen Hjem") >= 2


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_profile_fits_80_columns(example: Path, language: str) -> None:
    loaded = load_scenario(example)
    profile = in_language(build_profile(loaded), loaded, language)
    wide = render_profile(profile, language)  # type: ignore[arg-type]
    assert max(len(line) for line in wide.splitlines()) > 120
    text = render_profile(profile, language, width=80)  # type: ignore[arg-type]
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "Nordparken afd. 1" in text and "nordparken " not in text  # area names, not keys
