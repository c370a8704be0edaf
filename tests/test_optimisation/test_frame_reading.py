"""Reading the pair frames: ids looked up once per distinct value must match a dict lookup.

``read_frames`` looks each distinct id up once; cells pandas and a dict see differently
(missing ids, ``1`` against ``1.0``) must still be read as a dict lookup reads them, and
repeated or reasoned rows must give the same pairs, reasons and messages as row by row.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from optimisation import ProblemDataError, ReferralProblem


def _frames(kit: SimpleNamespace, ids: list[object]) -> tuple[pd.DataFrame, pd.DataFrame]:
    departments = pd.DataFrame([kit.department(ident, 8, 0.25) for ident in ids])
    groups = pd.DataFrame([kit.group("homeless", 3), kit.group("refugee", 2)])
    return departments, groups


def test_missing_id_in_a_pair_frame_is_named(kit: SimpleNamespace) -> None:
    departments, groups = _frames(kit, ["A", "B"])
    compatibility = pd.DataFrame({"department": ["A", None], "group": ["homeless", "refugee"]})
    with pytest.raises(ProblemDataError) as caught:
        ReferralProblem.from_frames(departments, groups, compatibility=compatibility)
    assert caught.value.fields == ("compatibility.department",)
    assert "department(s) not in departments: nan" in str(caught.value)  # pandas str: NaN


def test_float_cells_find_integer_ids(kit: SimpleNamespace) -> None:
    departments, groups = _frames(kit, [101, 102, 103])
    compatibility = pd.DataFrame(
        {"department": [101.0, 103.0], "group": ["refugee", "homeless"], "capacity": [1.0, 2.0]}
    )
    exclusions = pd.DataFrame({"department": [102.0], "group": ["homeless"], "reason": ["ban"]})
    problem = ReferralProblem.from_frames(
        departments, groups, compatibility=compatibility, exclusions=exclusions
    )
    assert problem.compatible.tolist() == [[False, True], [False, False], [True, False]]
    assert problem.capacity is not None
    assert problem.capacity[0, 1] == 1.0 and problem.capacity[2, 0] == 2.0
    assert np.isinf(problem.capacity[1]).all()
    assert problem.exclusion_reasons(102, "homeless") == ("ban",)
    assert problem.exclusion_reasons(101, "homeless") == ("not_listed",)


def test_repeated_and_reasoned_rows(kit: SimpleNamespace) -> None:
    departments, groups = _frames(kit, ["A", "B"])
    grid = pd.DataFrame(
        {
            "department": ["A", "A", "B", "B"],
            "group": ["homeless", "refugee", "homeless", "refugee"],
            "reason": ["", "rent", None, "rooms"],
        }
    )
    exclusions = pd.DataFrame(
        {
            "department": ["A", "A", "B", "B"],
            "group": ["refugee", "refugee", "refugee", "homeless"],
            "reason": ["ban", "rent", "ban", " ban "],
        }
    )
    problem = ReferralProblem.from_frames(
        departments, groups, compatibility=grid, exclusions=exclusions
    )
    assert problem.compatible.tolist() == [[True, False], [False, False]]
    assert problem.exclusion_reasons("A", "refugee") == ("rent", "ban")
    assert problem.exclusion_reasons("B", "refugee") == ("rooms", "ban")
    assert problem.exclusion_reasons("B", "homeless") == ("ban",)
    # an allowed row after any row of the same pair is a duplicate; a reasoned one is not
    repeated = pd.concat([grid, grid.iloc[[1, 0]]], ignore_index=True)
    repeated.loc[4, "reason"] = "rooms"
    with pytest.raises(ProblemDataError) as caught:
        ReferralProblem.from_frames(departments, groups, compatibility=repeated)
    assert "duplicate (department, group) pair(s) ('A', 'homeless')" in str(caught.value)
    assert "'refugee'" not in str(caught.value)
