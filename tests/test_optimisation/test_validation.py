"""Invalid input raises one clear ProblemDataError naming the field and the offending ids."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest

from optimisation import DataIssue, ProblemDataError, ReferralProblem


def frames(kit: SimpleNamespace) -> tuple[pd.DataFrame, pd.DataFrame]:
    departments = pd.DataFrame(
        [kit.department("A", 8, 0.25), kit.department("B", 8, 0.25), kit.department("C", 4, 0.5)]
    )
    groups = pd.DataFrame([kit.group("homeless", 3), kit.group("refugee", 2)])
    return departments, groups


def raises(departments: pd.DataFrame, groups: pd.DataFrame, **kwargs: Any) -> ProblemDataError:
    with pytest.raises(ProblemDataError) as caught:
        ReferralProblem.from_frames(departments, groups, **kwargs)
    assert isinstance(caught.value, ValueError)
    assert caught.value.issues and all(isinstance(i, DataIssue) for i in caught.value.issues)
    return caught.value


def test_valid_frames_pass(kit: SimpleNamespace) -> None:
    problem = ReferralProblem.from_frames(*frames(kit))
    assert problem.departments == ("A", "B", "C")
    assert problem.compatible.all()
    with pytest.raises(ValueError, match="read-only"):
        problem.vacancies[0] = 1.0


@pytest.mark.parametrize(
    ("column", "department", "value", "field", "fragment"),
    [
        ("vacancies", "B", -1.0, "departments.vacancies", "negative for 'B' (-1)"),
        ("households", "C", -5.0, "departments.households", "negative for 'C' (-5)"),
        ("referral_share", "A", 1.5, "departments.referral_share", "outside 0–1 for 'A' (1.5)"),
        ("referral_share", "B", -0.1, "departments.referral_share", "outside 0–1 for 'B'"),
        ("adults_outside", "A", 500.0, "departments.adults_outside", "more persons outside"),
        ("adults", "C", np.nan, "departments.adults", "missing (NaN) for 'C'"),
        ("vacancies", "A", "many", "departments.vacancies", "not a number for 'A' ('many')"),
        ("households", "B", np.inf, "departments.households", "infinite for 'B'"),
        ("ceiling", "C", 1.2, "departments.ceiling", "outside 0–1 for 'C' (1.2)"),
    ],
)
def test_bad_department_values(
    kit: SimpleNamespace, column: str, department: str, value: Any, field: str, fragment: str
) -> None:
    departments, groups = frames(kit)
    if column == "ceiling":
        departments["ceiling"] = np.nan
    departments[column] = departments[column].astype(object)
    departments.loc[departments["department"] == department, column] = value
    error = raises(departments, groups)
    assert field in error.fields
    assert fragment in str(error)


@pytest.mark.parametrize(
    ("column", "value", "field", "fragment"),
    [
        ("demand", -3.0, "groups.demand", "negative for 'refugee' (-3)"),
        ("outside_per_household", 2.0, "groups.outside_per_household", "more persons outside"),
        ("adults_per_household", np.nan, "groups.adults_per_household", "missing (NaN)"),
    ],
)
def test_bad_group_values(
    kit: SimpleNamespace, column: str, value: float, field: str, fragment: str
) -> None:
    departments, groups = frames(kit)
    groups.loc[groups["group"] == "refugee", column] = value
    error = raises(departments, groups)
    assert field in error.fields
    assert fragment in str(error)


def test_missing_columns_are_named(kit: SimpleNamespace) -> None:
    departments, groups = frames(kit)
    error = raises(
        departments.drop(columns=["adults", "referral_share"]), groups.drop(columns="demand")
    )
    assert error.fields == ("departments", "groups")
    message = str(error)
    assert "'referral_share', 'adults'" in message and "'demand'" in message


def test_not_a_frame(kit: SimpleNamespace) -> None:
    _, groups = frames(kit)
    error = raises({"department": ["A"]}, groups)  # type: ignore[arg-type]
    assert "expected a pandas DataFrame, got dict" in str(error)


def test_duplicate_and_missing_ids(kit: SimpleNamespace) -> None:
    departments, groups = frames(kit)
    departments.loc[2, "department"] = "A"
    groups.loc[1, "group"] = None
    error = raises(departments, groups)
    assert "duplicate department id(s) 'A'" in str(error)
    assert "groups.group" in error.fields


def test_empty_frames(kit: SimpleNamespace) -> None:
    departments, groups = frames(kit)
    error = raises(departments.iloc[:0], groups)
    assert "no departments" in str(error)


def test_unknown_ids_in_compatibility_and_exclusions(kit: SimpleNamespace) -> None:
    departments, groups = frames(kit)
    compatibility = pd.DataFrame(
        {"department": ["A", "X", "Y"], "group": ["homeless", "refugee", "elderly"]}
    )
    error = raises(departments, groups, compatibility=compatibility)
    assert error.fields == ("compatibility.department", "compatibility.group")
    assert "'X', 'Y'" in str(error) and "'elderly'" in str(error)
    exclusions = pd.DataFrame({"department": ["Q"], "group": ["homeless"], "reason": ["ban"]})
    error = raises(departments, groups, exclusions=exclusions)
    assert "exclusions.department" in error.fields and "'Q'" in str(error)


def test_exclusions_need_a_reason(kit: SimpleNamespace) -> None:
    departments, groups = frames(kit)
    exclusions = pd.DataFrame(
        {"department": ["A", "B"], "group": ["homeless"] * 2, "reason": ["ban", None]}
    )
    error = raises(departments, groups, exclusions=exclusions)
    assert error.fields == ("exclusions.reason",)
    assert "row(s) 1" in str(error)
    error = raises(departments, groups, exclusions=exclusions.drop(columns="reason"))
    assert "missing column(s) 'reason'" in str(error)


def test_duplicate_compatible_pairs(kit: SimpleNamespace) -> None:
    departments, groups = frames(kit)
    compatibility = pd.DataFrame({"department": ["A", "A"], "group": ["homeless", "homeless"]})
    error = raises(departments, groups, compatibility=compatibility)
    assert "duplicate (department, group) pair(s) ('A', 'homeless')" in str(error)


def test_many_offenders_are_capped(kit: SimpleNamespace) -> None:
    departments = pd.DataFrame([kit.department(f"afd{i}", -1, 0.25) for i in range(30)])
    _, groups = frames(kit)
    error = raises(departments, groups)
    message = str(error)
    assert "'afd0' (-1)" in message and "'afd9' (-1)" in message
    assert "'afd10'" not in message and "and 20 more" in message


def test_all_issues_in_one_error(kit: SimpleNamespace) -> None:
    departments, groups = frames(kit)
    departments.loc[0, "vacancies"] = -1
    departments.loc[1, "referral_share"] = 2
    groups.loc[0, "demand"] = -1
    error = raises(departments, groups)
    assert set(error.fields) == {
        "departments.vacancies",
        "departments.referral_share",
        "groups.demand",
    }
    assert "(3 issues)" in str(error)


@pytest.mark.parametrize(
    ("keyword", "value", "fragment"),
    [
        ("threshold", 1.5, "threshold: got 1.5, expected a share 0–1"),
        ("margin", 0.5, "ceiling would be negative"),
        ("waiting_list_outside", 2.0, "exceed the 1.3 adults"),
        ("waiting_list_adults", -1.0, "waiting_list_adults: got -1.0"),
        ("threshold", float("nan"), "threshold: got nan"),
    ],
)
def test_bad_parameters(kit: SimpleNamespace, keyword: str, value: float, fragment: str) -> None:
    error = raises(*frames(kit), **{keyword: value})
    assert fragment in str(error)


def test_direct_construction_is_validated(kit: SimpleNamespace) -> None:
    problem = ReferralProblem.from_frames(*frames(kit))
    with pytest.raises(ProblemDataError, match=r"departments\.vacancies: shape \(2,\)"):
        dataclasses.replace(problem, vacancies=np.array([1.0, 2.0]))
    with pytest.raises(ProblemDataError, match=r"compatible: shape \(3, 1\)"):
        dataclasses.replace(problem, compatible=np.ones((3, 1), dtype=bool))
    with pytest.raises(ProblemDataError, match=r"exclusions: .*\('A', 'nobody'\)"):
        dataclasses.replace(problem, exclusions={("A", "nobody"): ("ban",)})
    excluded = dataclasses.replace(problem, exclusions={("A", "homeless"): "ban"})
    assert not excluded.compatible[0, 0]
    assert excluded.exclusion_reasons("A", "homeless") == ("ban",)
