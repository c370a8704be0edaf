"""The optimiser's errors in Danish (``in_language("da")``), without importing simulation.

``str(error)`` stays English; every issue the data checks raise carries its Danish, and a new
one without fails here.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from optimisation import ProblemDataError, ReferralProblem
from optimisation.checks import check_scalars, check_values
from optimisation.errors import format_ids

PACKAGE = Path(__file__).resolve().parents[2] / "optimisation"


def test_every_data_issue_has_its_danish() -> None:
    english: Counter[str] = Counter()
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            has_danish = len(node.args) >= 3 or any(k.arg == "danish" for k in node.keywords)
            if name == "DataIssue" and not has_danish:
                english[path.name] += 1
    assert english == Counter()


def test_bad_numbers_read_in_danish_with_decimal_commas() -> None:
    columns = {
        name: np.array([1.0, -2.5])
        for name in ("vacancies", "households", "adults", "adults_outside", "referral_share")
    }
    for name in ("demand", "adults_per_household", "outside_per_household"):
        columns[name] = np.array([1.0])
    issues = check_values(["A", "B"], ["g"], columns, None)
    issues += check_scalars(
        {"waiting_list_adults": 1, "waiting_list_outside": 2, "threshold": 0.3, "margin": 0.5}
    )
    error = ProblemDataError(issues)
    english, danish = str(error), error.in_language("da")
    assert english.startswith("invalid referral problem data (7 issues):")
    assert "departments.vacancies: negative for 'B' (-2.5)" in english
    assert danish.startswith("ugyldige data for anvisningsproblemet (7 fejl):")
    assert "departments.vacancies: negativ for 'B' (-2,5)" in danish
    assert "departments.referral_share: uden for 0–1 for 'B' (-2,5)" in danish
    assert (
        "margin: margenen 0,5 er større end grænsen 0,3, så loftet ville blive negativt" in danish
    )


def test_frames_with_a_missing_column_say_so_in_danish() -> None:
    departments = pd.DataFrame({"department": ["A"], "vacancies": [3]})
    groups = pd.DataFrame({"group": ["g"], "demand": [1.0]})
    with pytest.raises(ProblemDataError) as raised:
        ReferralProblem.from_frames(departments, groups)
    danish = raised.value.in_language("da")
    assert "kolonne(r) mangler: " in danish and "påkrævet: " in danish
    assert "missing column(s)" in str(raised.value)


def test_a_shape_issue_of_the_problem_in_danish() -> None:
    with pytest.raises(ProblemDataError) as raised:
        ReferralProblem(
            departments=("A", "B"),
            groups=("g",),
            vacancies=np.array([1.0, 2.0]),
            referral_share=np.array([0.25, 0.25]),
            households=np.array([10.0, 10.0]),
            adults=np.array([15.0, 15.0]),
            adults_outside=np.array([3.0, 3.0]),
            demand=np.array([1.0]),
            adults_per_household=np.array([1.0]),
            outside_per_household=np.array([1.0]),
            compatible=np.ones((1, 1), dtype=bool),
        )
    assert "compatible: form (1, 1), forventede (afdelinger, målgrupper) = (2, 1)" in (
        raised.value.in_language("da")
    )


def test_many_ids_are_counted_in_either_language() -> None:
    ids = [f"D{index}" for index in range(13)]
    assert format_ids(ids).endswith("'D9' and 3 more")
    assert format_ids(ids, language="da").endswith("'D9' og 3 til")
