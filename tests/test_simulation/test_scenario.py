"""Scenario files: loading, extends, overrides and errors a planner can act on."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from simulation.base.errors import ScenarioError
from simulation.inputs.scenario import SCHEMA_VERSION, load_scenario, scenario_problems

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.toml"))


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_every_bundled_scenario_is_valid(path: Path) -> None:
    loaded = load_scenario(path)
    assert loaded.scenario.schema_version == SCHEMA_VERSION
    assert loaded.scenario.synthetic, "the bundled example must say it is synthetic"
    assert len(loaded.departments) == 60
    assert set(loaded.departments["area"]) >= set(loaded.scenario.areas)


def test_extends_overrides_only_what_is_written(example: Path) -> None:
    base = load_scenario(example).scenario
    variant = load_scenario(example.parent / "eksempelby_hoej_anvisning.toml").scenario
    assert variant.agreement.default_referral_share == 0.5
    assert base.agreement.default_referral_share == 0.25
    # untouched keys of the same table survive the merge
    assert variant.agreement.placement_policy == base.agreement.placement_policy
    assert variant.referral_groups == base.referral_groups
    assert variant.name != base.name


def test_lists_replace_rather_than_merge(write_scenario) -> None:
    stepped = Path(__file__).resolve().parents[2] / "scenarios" / "eksempelby_trappemodel.toml"
    path = write_scenario(
        f'extends = "{stepped.as_posix()}"\nschema_version = 1\nname = "one tier"\n'
        '[[agreement.tiers]]\nname = "all"\nreferral_share = 0.1\n'
    )
    tiers = load_scenario(path).scenario.agreement.tiers
    assert [tier.name for tier in tiers] == ["all"]


def test_paths_are_relative_to_the_file_that_names_them(tmp_path: Path, example: Path) -> None:
    base_folder = tmp_path / "base"
    base_folder.mkdir()
    shutil.copy(example, base_folder / "eksempelby.toml")
    shutil.copy(example.parent / "eksempelby_departments.csv", base_folder)
    other = tmp_path / "elsewhere" / "deeper"
    other.mkdir(parents=True)
    variant = other / "variant.toml"
    variant.write_text(
        'extends = "../../base/eksempelby.toml"\nschema_version = 1\nname = "moved"\n',
        encoding="utf-8",
    )
    loaded = load_scenario(variant)
    assert Path(loaded.scenario.municipality.departments_file).parent == base_folder.resolve()


def test_unknown_key_is_named_with_a_suggestion(write_scenario) -> None:
    path = write_scenario(
        'extends = "{example}"\nschema_version = 1\nname = "x"\n'
        "[agreement]\ndefault_referal_share = 0.3\n"
    )
    [problem] = scenario_problems(path)
    assert problem.location == "agreement.default_referal_share"
    assert "did you mean 'default_referral_share'" in problem.expected
    assert str(path) in str(problem)


def test_wrong_type_names_key_value_and_expectation(write_scenario) -> None:
    path = write_scenario(
        'extends = "{example}"\nschema_version = 1\nname = "x"\n'
        '[agreement]\ndefault_referral_share = "a quarter"\n'
    )
    [problem] = scenario_problems(path)
    assert problem.location == "agreement.default_referral_share"
    assert problem.value == "'a quarter'"
    assert "number" in problem.expected


def test_numbers_written_as_text_are_not_accepted(write_scenario) -> None:
    path = write_scenario(
        'extends = "{example}"\nschema_version = 1\nname = "x"\n'
        '[agreement]\ndefault_referral_share = "0.3"\n'
    )
    assert scenario_problems(path), "strict validation: '0.3' is text, not a share"


def test_out_of_range_share_explains_how_shares_are_written(write_scenario) -> None:
    path = write_scenario(
        'extends = "{example}"\nschema_version = 1\nname = "x"\n'
        "[agreement]\nflexible_letting_share = 67\n"
    )
    [problem] = scenario_problems(path)
    assert problem.location == "agreement.flexible_letting_share"
    assert problem.value == "67"
    assert "0–1" in problem.expected and "0.25" in problem.expected


def test_every_problem_is_reported_at_once(write_scenario) -> None:
    path = write_scenario(
        'extends = "{example}"\nschema_version = 1\nname = "x"\ncolour = "red"\n'
        '[agreement]\nflexible_letting_share = 2\nplacement_policy = "random"\n'
        "[referral_groups.homeless_single.barred]\nevicted = -0.1\n"
    )
    locations = {problem.location for problem in scenario_problems(path)}
    assert locations == {
        "colour",
        "agreement.flexible_letting_share",
        "agreement.placement_policy",
        "referral_groups.homeless_single.barred.evicted",
    }


def test_missing_scenario_file(tmp_path: Path) -> None:
    [problem] = scenario_problems(tmp_path / "nowhere.toml")
    assert "nowhere.toml" in str(problem) and "existing scenario file" in problem.expected


def test_missing_department_file_names_the_key(write_scenario) -> None:
    path = write_scenario(
        'extends = "{example}"\nschema_version = 1\nname = "x"\n'
        '[municipality]\ndepartments_file = "missing.csv"\n'
    )
    [problem] = scenario_problems(path)
    assert problem.location == "municipality.departments_file"
    assert problem.value.endswith("missing.csv")


def test_missing_extends_target(write_scenario) -> None:
    path = write_scenario('extends = "nope.toml"\nschema_version = 1\nname = "x"\n')
    [problem] = scenario_problems(path)
    assert problem.location == "extends" and "nope.toml" in problem.value


def test_extends_cycle_is_an_error(write_scenario) -> None:
    write_scenario('extends = "b.toml"\nschema_version = 1\nname = "a"\n', "a.toml")
    path = write_scenario('extends = "a.toml"\nschema_version = 1\nname = "b"\n', "b.toml")
    [problem] = scenario_problems(path)
    assert "cycle" in problem.expected


def test_invalid_toml_says_where(write_scenario) -> None:
    path = write_scenario('schema_version = 1\nname = "x\n')
    [problem] = scenario_problems(path)
    assert "valid TOML" in problem.expected and "line 2" in problem.expected


def test_newer_schema_version_is_refused(write_scenario) -> None:
    path = write_scenario('extends = "{example}"\nschema_version = 2\nname = "x"\n')
    [problem] = scenario_problems(path)
    assert problem.location == "schema_version" and problem.value == "2"


def test_condition_less_tier_must_be_last(write_scenario) -> None:
    path = write_scenario(
        'extends = "{example}"\nschema_version = 1\nname = "x"\n'
        '[[agreement.tiers]]\nname = "all"\n[[agreement.tiers]]\nname = "red"\n'
        'when = { area_lists = ["udsat"] }\n'
    )
    [problem] = scenario_problems(path)
    assert problem.location == "agreement"
    assert "can never be reached" in problem.expected


def test_unknown_department_in_agreement(write_scenario) -> None:
    path = write_scenario(
        'extends = "{example}"\nschema_version = 1\nname = "x"\n'
        "[agreement.referral_share_by_department]\nD9999 = 0.5\n"
    )
    [problem] = scenario_problems(path)
    assert problem.location == "agreement.referral_share_by_department.D9999"


def test_bad_csv_row_surfaces_through_the_scenario(tmp_path: Path, example: Path) -> None:
    csv = (example.parent / "eksempelby_departments.csv").read_text(encoding="utf-8")
    lines = csv.splitlines()
    header_at = next(i for i, line in enumerate(lines) if line.startswith("department,"))
    cells = lines[header_at + 1].split(",")
    cells[12] = "many"  # households
    lines[header_at + 1] = ",".join(cells)
    (tmp_path / "departments.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = tmp_path / "s.toml"
    path.write_text(
        f'extends = "{example.as_posix()}"\nschema_version = 1\nname = "x"\n'
        '[municipality]\ndepartments_file = "departments.csv"\n',
        encoding="utf-8",
    )
    [problem] = scenario_problems(path)
    assert problem.location == f"row {header_at + 2}, column 'households'"
    assert problem.value == "'many'"


def test_overrides_validate_like_files(example: Path) -> None:
    loaded = load_scenario(example)
    changed = loaded.with_overrides({"agreement.default_referral_share": 0.4})
    assert changed.scenario.agreement.default_referral_share == 0.4
    assert changed.digest != loaded.digest
    with pytest.raises(ScenarioError, match="a key of the scenario schema"):
        loaded.with_overrides({"agreement.default_referal_share": 0.4})
    with pytest.raises(ScenarioError, match="a share from 0 to 1"):
        loaded.with_overrides({"agreement.default_referral_share": 4})
    group = loaded.with_overrides({"referral_groups.refugees.arrivals_per_year": 80})
    assert group.scenario.referral_groups["refugees"].arrivals_per_year == 80


def test_digest_is_stable_across_loads(example: Path) -> None:
    assert load_scenario(example).digest == load_scenario(example).digest


def test_loaded_scenario_is_frozen(example: Path) -> None:
    scenario = load_scenario(example).scenario
    with pytest.raises(ValueError, match="frozen"):
        scenario.agreement.default_referral_share = 0.9  # type: ignore[misc]


def _numeric_fields(model: type, prefix: str = "") -> list[tuple[str, object]]:
    """Every number field of the schema (nested tables followed), with its dotted key."""
    import typing

    from simulation.inputs.scenario import nested_model

    found = []
    for name, info in model.model_fields.items():  # type: ignore[attr-defined]
        nested, _ = nested_model(info.annotation)
        if nested is not None:
            found.extend(_numeric_fields(nested, f"{prefix}{name}."))
            continue
        kinds = {
            typing.get_origin(a) or a for a in (info.annotation, *typing.get_args(info.annotation))
        }
        inner = [
            typing.get_args(a)[0]
            for a in typing.get_args(info.annotation)
            if typing.get_origin(a) is typing.Annotated
        ]
        if kinds & {int, float} or set(inner) & {int, float}:
            found.append((f"{prefix}{name}", info))
    return found


def test_every_number_of_the_schema_has_a_lower_and_an_upper_bound() -> None:
    from simulation.inputs.scenario import Scenario, field_bounds

    fields = _numeric_fields(Scenario)
    assert len(fields) > 60
    unbounded = [key for key, info in fields if not all(field_bounds(info))]  # type: ignore[arg-type]
    assert unbounded == []


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        (
            "referral_groups.homeless_single.arrivals_per_year",
            "inf",
            "got inf; expected a finite number from 0 to 20,000 (households per year)",
        ),
        (
            "referral_groups.homeless_single.arrivals_per_year",
            "1e12",
            "got 1000000000000.0; expected a finite number from 0 to 20,000",
        ),
        (
            "municipality.regional_mean_income_kr",
            "1e308",
            "got 1e+308; expected a finite number from 10,000 to 10,000,000 (kr per year)",
        ),
        (
            "referral_groups.homeless_single.couple_share",
            "nan",
            "got nan; expected a share from 0 to 1",
        ),
        ("horizon.years", "101", "got 101; expected a finite number from 1 to 100 (years)"),
    ],
)
def test_numbers_that_would_crash_or_mislead_a_run_are_refused(
    write_scenario, key: str, value: str, expected: str
) -> None:
    table, _, name = key.rpartition(".")
    path = write_scenario(
        f'extends = "{{example}}"\nschema_version = 1\n[{table}]\n{name} = {value}\n'
    )
    [problem] = scenario_problems(path)
    assert str(problem).startswith(f"{path}: {key}: {expected}")


def test_how_the_department_file_is_read_is_not_part_of_the_digest(example: Path) -> None:
    plain = load_scenario(example)
    strict = load_scenario(
        example,
        {"municipality.strict_columns": True, "municipality.percent_columns": "fractions"},
    )
    assert strict.scenario.municipality.strict_columns
    assert strict.digest == plain.digest, "the same data read the same way is the same input"


def test_a_plan_measure_names_a_department_of_its_area() -> None:
    loaded = load_scenario(Path(__file__).resolve().parents[2] / "scenarios" / "eksempelby.toml")
    plan = {
        "measures": [{"year": 2027, "kind": "demolish", "dwellings": 10, "department": "D0060"}]
    }
    with pytest.raises(ScenarioError) as error:
        loaded.with_overrides({"areas.nordparken.development_plan": plan})
    assert "areas.nordparken.development_plan.measures[0].department" in str(error.value)
