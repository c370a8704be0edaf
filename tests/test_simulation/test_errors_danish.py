"""Every error a planner can meet has its Danish beside its English (``--lang da``).

An error is written in both languages where it is raised (:class:`~simulation.base.errors.Words`);
these tests make a new message without Danish fail, as ``danish_help`` does for help texts: the
scenario schema's every check (pydantic's error types, the validators' own messages, the ranges
with their units), and, read from the source, every :class:`Problem` and every error the command
line prints.
"""

from __future__ import annotations

import ast
import copy
import json
import pickle
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from simulation.base.errors import (
    MAX_SHOWN,
    Problem,
    ScenarioError,
    Words,
    at_row,
    column_words,
    error_text,
    format_problems,
    in_language,
)
from simulation.experiments.results import RunFolderError
from simulation.inputs.scenario import (
    EXPECTED_DANISH,
    UNITS_DANISH,
    Scenario,
    _translate,
    field_bounds,
    load_scenario,
)

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"

# -- the design ------------------------------------------------------------------------------------


def test_words_are_english_strings_that_carry_their_danish() -> None:
    text = Words("a share from 0 to 1", "en andel fra 0 til 1")
    assert text == "a share from 0 to 1" and "share" in text and isinstance(text, str)
    assert in_language(text, "da") == "en andel fra 0 til 1"
    assert in_language(text, "en") == "a share from 0 to 1"
    assert in_language("agreement.tiers[0]", "da") == "agreement.tiers[0]"  # plain: the same
    joined = Words.join_words("row 2: ", text)
    assert in_language(joined, "da") == "row 2: en andel fra 0 til 1"
    assert pickle.loads(pickle.dumps(text)).danish == text.danish  # across processes


def test_a_problem_reads_in_either_language() -> None:
    problem = Problem(
        "departments.csv",
        at_row(12, column_words("'households'")),
        "'abc'",
        Words("a number", "et tal"),
    )
    assert (
        str(problem) == "departments.csv: row 12, column 'households': got 'abc'; expected a number"
    )
    assert problem.text("da") == (
        "departments.csv: række 12, kolonne 'households': fik 'abc'; forventede et tal"
    )
    missing = Problem("scenario.toml", "agreement", "", Words("a table", "en tabel"))
    assert missing.text("da") == "scenario.toml: agreement: forventede en tabel"


def test_many_problems_are_summed_up_in_danish() -> None:
    problems = [
        Problem("a.csv", at_row(row), "'x'", Words("a number", "et tal")) for row in range(60)
    ]
    error = ScenarioError(problems)
    assert str(error).endswith(f"... and {60 - MAX_SHOWN} more problems")
    assert error_text(error, "da").endswith(f"... og {60 - MAX_SHOWN} problemer mere")
    assert error_text(error, "da") == format_problems(problems, "da")
    assert "række 59" not in error_text(error, "da") and "række 49" in error_text(error, "da")


def test_an_error_raised_with_words_says_its_danish_and_stays_english_as_str() -> None:
    error = RunFolderError(Words("x exists and is not a run folder", "x er ikke en kørselsmappe"))
    assert str(error) == "x exists and is not a run folder"
    assert error_text(error, "da") == "x er ikke en kørselsmappe"
    assert error_text(ValueError("plain"), "da") == "plain"  # no Danish given: as it is


def test_a_long_excerpt_and_a_refusal_of_the_system_in_danish(tmp_path: Path) -> None:
    from simulation.base.errors import excerpt

    long = excerpt("x" * 100, limit=5)
    assert long == "'xxxxx…' (100 characters)" and in_language(long, "da") == "'xxxxx…' (100 tegn)"
    with pytest.raises(OSError) as raised:
        (tmp_path / "missing.csv").read_text()
    assert error_text(raised.value, "da") == f"{tmp_path / 'missing.csv'}: findes ikke"
    assert "No such file or directory" in error_text(raised.value, "en")


def test_a_broken_ranges_file_in_danish(tmp_path: Path) -> None:
    from simulation.inputs.uncertainty import read_ranges

    path = tmp_path / "ranges.toml"
    path.write_text("schema_version = 1\n[[parameter]]\npath = \n", encoding="utf-8")
    with pytest.raises(ScenarioError) as raised:
        read_ranges(path)
    assert error_text(raised.value, "da") == (
        f"{path}: forventede gyldig TOML (linje 3, kolonne 8: ugyldig værdi)"
    )
    assert str(raised.value) == f"{path}: expected valid TOML (Invalid value (at line 3, column 8))"


def test_optimiser_errors_say_themselves_in_danish_without_importing_simulation() -> None:
    from optimisation.constants import SolverName, SolverStatus, Stage
    from optimisation.errors import DataIssue, ProblemDataError, SolverError

    failed = SolverError(SolverStatus.INFEASIBLE, SolverName.HIGHS, Stage.SHORTFALL)
    assert (
        str(failed)
        == "highs ended stage 'shortfall' with status 'infeasible'; no plan was produced"
    )
    assert error_text(failed, "da") == (
        "highs sluttede i trin 'shortfall' med status 'infeasible' (ingen løsning opfylder "
        "betingelserne); der blev ikke lavet nogen plan"
    )
    assert pickle.loads(pickle.dumps(failed)).in_language("da") == failed.in_language("da")
    issues = [
        DataIssue("departments.vacancies", "negative for 'D1'", "negativ for 'D1'"),
        DataIssue("threshold", "got 2, expected a share 0–1"),
    ]
    bad = ProblemDataError(issues)
    assert str(bad).startswith("invalid referral problem data (2 issues):")
    danish = error_text(bad, "da")
    assert danish.startswith("ugyldige data for anvisningsproblemet (2 fejl):")
    assert "departments.vacancies: negativ for 'D1'" in danish


# -- the scenario schema: every check it can fail has Danish ---------------------------------------

WRONG_VALUES: tuple[Any, ...] = (
    "text",
    -1,
    10**12,
    0.5,
    True,
    [1],
    {"x": 1},
    [],
    2.5,
    0,
    "2027-01",
)
"""Values that break some field of every kind (numbers, shares, texts, lists, tables, choices)."""


def _leaf_paths(model: Any, raw: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every field of the schema that ``raw`` reaches (its tables, lists and keyed tables)."""
    for name, info in model.model_fields.items():
        yield (*path, name)
        value = raw.get(name) if isinstance(raw, dict) else None
        annotation = info.annotation
        nested = [a for a in getattr(annotation, "__args__", ()) if hasattr(a, "model_fields")]
        target = (
            nested[-1] if nested else annotation if hasattr(annotation, "model_fields") else None
        )
        if target is None:
            continue
        if getattr(annotation, "__origin__", None) is dict and isinstance(value, dict):
            for key, item in value.items():
                yield from _leaf_paths(target, item, (*path, name, key))
        elif isinstance(value, dict):
            yield from _leaf_paths(target, value, (*path, name))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    yield from _leaf_paths(target, item, (*path, name, index))


def _schema_problems() -> list[Problem]:
    """The problems of the stepped example with each field set, in turn, to each wrong value."""
    raw = dict(load_scenario(SCENARIOS / "eksempelby_trappemodel.toml").raw)
    found: dict[tuple[str, str], Problem] = {}
    for path in _leaf_paths(Scenario, raw):
        for wrong in WRONG_VALUES:
            data = copy.deepcopy(raw)
            node = data
            for part in path[:-1]:
                node = node[part]
            node[path[-1]] = wrong
            try:
                Scenario.model_validate_json(json.dumps(data, default=str), strict=True)
            except ValidationError as error:
                for problem in _translate(error, "scenario.toml", data):
                    found.setdefault((str(problem.location), str(problem.expected)), problem)
    return list(found.values())


@pytest.fixture(scope="module")
def schema_problems() -> list[Problem]:
    return _schema_problems()


def test_the_schema_walk_meets_every_kind_of_check(schema_problems: list[Problem]) -> None:
    expected = " | ".join(str(problem.expected) for problem in schema_problems)
    for words in ("a valid number", "a valid integer", "a share from 0 to 1", "one of:", "or"):
        assert words in expected, words
    assert len(schema_problems) > 300


def test_every_schema_problem_has_danish(schema_problems: list[Problem]) -> None:
    """What each problem expected, and the value it names, is Danish (not the English again)."""
    english_only = [
        f"{problem.location}: {problem.expected}"
        for problem in schema_problems
        if re.search(r"[A-Za-z]{3}", str(problem.expected))
        and in_language(problem.expected, "da") == str(problem.expected)
        and not re.fullmatch(r"('[^']*'(, | or )?)+", str(problem.expected))  # choices: as written
    ]
    assert english_only == []
    for problem in schema_problems:
        if problem.value in ("a table", "an unknown key", "nothing") or str(
            problem.value
        ).startswith("a list of"):
            assert isinstance(problem.value, Words), problem


def test_every_pydantic_error_type_met_has_a_danish_template(
    schema_problems: list[Problem],
) -> None:
    assert {"float_type", "int_type", "string_type", "bool_type", "literal_error"} <= set(
        EXPECTED_DANISH
    )
    choices = [p for p in schema_problems if " or " in str(p.expected) and "'" in p.expected]
    assert choices and all(" eller " in in_language(p.expected, "da") for p in choices)


def _numeric_fields(model: Any) -> Iterator[tuple[str, Any]]:
    for name, info in model.model_fields.items():
        annotation = info.annotation
        nested = [a for a in getattr(annotation, "__args__", ()) if hasattr(a, "model_fields")]
        nested += [annotation] if hasattr(annotation, "model_fields") else []
        for each in nested:
            yield from _numeric_fields(each)
        yield name, info


def test_every_unit_a_range_names_is_danish() -> None:
    """A number out of range names the field's unit: each unit of a bounded field has Danish."""
    units = set()
    for _, info in _numeric_fields(Scenario):
        low, high = field_bounds(info)
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        unit = str(extra.get("unit", ""))
        if low and high and unit and not (unit.startswith("share") and (low, high) == ("0", "1")):
            units.add(unit)
    assert units, "no bounded field found"
    assert sorted(units - set(UNITS_DANISH)) == []


def test_every_unit_of_a_department_or_area_column_is_danish() -> None:
    from simulation.inputs import areas, departments
    from simulation.law.regimes import AREA_COLUMNS

    # a share's bound reads "a share from 0 to 1"; a count's or an amount's names its unit
    bounded = {column.unit for column in departments.COLUMNS if column.kind in ("count", "kr")}
    assert sorted(bounded - set(departments.UNITS_DANISH)) == []
    area_units = {column.unit for column in AREA_COLUMNS if column.kind not in ("text", "year")}
    assert sorted(area_units - set(areas.UNITS_DANISH)) == []


def test_a_number_out_of_range_reads_with_decimal_commas() -> None:
    from simulation.inputs.scenario import _range_expected

    expected = _range_expected(("behaviour", "income_employed_kr"))
    assert expected is not None
    danish = in_language(expected, "da")
    assert str(expected) == "a finite number above 0 and at most 10,000,000 (kr per year)"
    assert danish == "et endeligt tal over 0 og højst 10.000.000 (kr. pr. år)"


# -- the source: no message without Danish ----------------------------------------------------------

ERRORS_PRINTED = {
    "ArgumentWordsError",
    "ExecutorError",
    "ExperimentError",
    "FileNotFoundError",
    "FollowUpError",
    "IncompleteRunError",
    "OutputError",
    "ReportError",
    "RunFolderError",
}
"""The errors the command line prints with their message (ScenarioError prints its problems)."""

STILL_ENGLISH: dict[tuple[str, str], int] = {}
"""Raise sites whose message is English only, by file and error (none; were one left English for
a reason, it would be counted here)."""


def _literal_text(node: ast.expr) -> bool:
    """Whether ``node`` is text written in English in the source (a string or an f-string)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(re.search(r"[A-Za-z]", node.value))
    if isinstance(node, ast.JoinedStr):
        return any(
            isinstance(part, ast.Constant) and re.search(r"[A-Za-z]", str(part.value))
            for part in node.values
        )
    if isinstance(node, ast.BinOp):
        return _literal_text(node.left) or _literal_text(node.right)
    return False


def _english_only_sites() -> dict[tuple[str, str], int]:
    found: dict[tuple[str, str], int] = {}
    for path in sorted((ROOT / "simulation").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        file = path.relative_to(ROOT).as_posix()
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name == "Problem":
                # what was expected and the value's words; a location is a key path (the same
                # in both languages) unless it names a row or column
                parts = list(node.args[2:4]) + [
                    keyword.value
                    for keyword in node.keywords
                    if keyword.arg in ("value", "expected")
                ]
                location = node.args[1] if len(node.args) > 1 else None
                wordy = location is not None and re.search(
                    r"\b(row|column)\b", ast.unparse(location)
                )
                if any(_literal_text(part) for part in parts) or (
                    wordy and _literal_text(location)  # type: ignore[arg-type]
                ):
                    found[(file, f"Problem line {node.lineno}")] = 1
            elif (
                name in ERRORS_PRINTED | {"NotebookExportError"}
                and node.args
                and _literal_text(node.args[0])
            ):
                found[(file, name)] = found.get((file, name), 0) + 1
    return found


def test_every_problem_and_printed_error_is_raised_with_danish() -> None:
    """A new ``Problem(…, "expected …")`` or ``raise ReportError(f"…")`` without Danish fails."""
    assert _english_only_sites() == STILL_ENGLISH


def test_every_rule_a_cell_check_returns_is_danish() -> None:
    """A cell check returns ``(value, rule broken)``; a rule written as plain English text fails."""
    english = []
    for folder in ("inputs", "law"):
        for path in sorted((ROOT / "simulation" / folder).glob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple):
                    for element in node.value.elts:
                        if _literal_text(element) and " " in ast.unparse(element):
                            english.append(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
    assert english == []


def test_the_source_check_finds_english_text() -> None:
    tree = ast.parse('Problem(path, f"row {row}", "", "a number")').body[0]
    assert isinstance(tree, ast.Expr) and isinstance(tree.value, ast.Call)
    assert _literal_text(tree.value.args[1]) and _literal_text(tree.value.args[3])
    assert not _literal_text(ast.parse('Words("a", "et")').body[0].value)  # type: ignore[attr-defined]
    assert not _literal_text(ast.parse('"1"').body[0].value)  # type: ignore[attr-defined]
