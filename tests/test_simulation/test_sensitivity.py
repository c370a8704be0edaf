"""Global sensitivity: the ranges file, the engine on Ishigami and on Eksempelby (scaled down)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from simulation.base.errors import ScenarioError
from simulation.experiments.folders import ExperimentError
from simulation.experiments.sensitivity import (
    ISHIGAMI_INDICES,
    OUTPUTS,
    ModelShared,
    evaluate_scenario,
    evaluations_needed,
    ishigami,
    run_sensitivity,
    sample_unit,
)
from simulation.inputs.scenario import LoadedScenario, load_scenario
from simulation.inputs.uncertainty import (
    DEFAULT_RANGES,
    Parameter,
    read_ranges,
    scenario_parameters,
)

ROOT = Path(__file__).resolve().parents[2]

ISHIGAMI = [Parameter(name, -math.pi, math.pi) for name in ("x1", "x2", "x3")]


@pytest.fixture(scope="module")
def example() -> LoadedScenario:
    return load_scenario(ROOT / "scenarios" / "eksempelby.toml")


# -- the ranges file --------------------------------------------------------------------------------


def test_bundled_ranges_cover_the_assumptions_and_fit_eksempelby(example: LoadedScenario) -> None:
    parameters = scenario_parameters(example, read_ranges(DEFAULT_RANGES))
    names = {p.name for p in parameters}
    for expected in (
        "applicants.sorting_by_trait.outside_work_education",
        "applicants.employed_share",
        "behaviour.job_finding_per_year",
        "behaviour.selective_move_out_strength",
        "agreement.data_lag_years",
        "trends.job_finding_change_per_year",
        "referral_groups.refugees.leave_queue_per_year",  # the * became every group
    ):
        assert expected in names
    assert all(p.source for p in parameters)
    lag = next(p for p in parameters if p.name == "agreement.data_lag_years")
    assert lag.integer and {lag.value(u) for u in np.linspace(0, 1, 11)} == {0, 1, 2}


def _ranges(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "ranges.toml"
    path.write_text("schema_version = 1\n" + body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "location", "words"),
    [
        (
            '[[parameter]]\npath = "applicants.no_such"\nlow = 0\nhigh = 1\n',
            "parameter[0].path",
            "numeric field",
        ),
        ('[[parameter]]\npath = "name"\nlow = 0\nhigh = 1\n', "parameter[0].path", "numeric field"),
        (
            '[[parameter]]\npath = "applicants.sorting"\nlow = 0.5\nhigh = 0.2\n',
            "parameter[0].high",
            "above low",
        ),
        (
            '[[parameter]]\npath = "applicants.sorting"\nlow = "a"\nhigh = 0.2\n',
            "parameter[0].low",
            "finite number",
        ),
        (
            '[[parameter]]\npath = "applicants.sorting"\nlow = 0.1\nhigh = 0.2\ndistribution = "beta"\n',
            "parameter[0].distribution",
            "uniform",
        ),
        (
            '[[parameter]]\npath = "applicants.sorting"\nlow = 0.1\nhigh = 0.2\ndistribution = "triangular"\nmode = 0.5\n',
            "parameter[0].mode",
            "from low to high",
        ),
        (
            '[[parameter]]\npath = "applicants.sorting"\nlow = 0.1\nhigh = 0.2\ncolour = 1\n',
            "parameter[0].colour",
            "one of",
        ),
    ],
)
def test_a_bad_ranges_file_names_the_entry(
    tmp_path: Path, body: str, location: str, words: str
) -> None:
    with pytest.raises(ScenarioError) as raised:
        read_ranges(_ranges(tmp_path, body))
    assert any(p.location == location and words in p.expected for p in raised.value.problems), str(
        raised.value
    )


@pytest.mark.parametrize(
    ("body", "location", "words"),
    [
        (
            '[[parameter]]\npath = "applicants.sorting"\nlow = 0.5\nhigh = 1.5\n',
            "parameter[0].high",
            "from 0 to 1",
        ),
        (
            '[[parameter]]\npath = "agreement.data_lag_years"\nlow = 0\nhigh = 5\n',
            "parameter[0].high",
            "from 0 to 3",
        ),
        (
            '[[parameter]]\npath = "agreement.data_lag_years"\nlow = 0\nhigh = 1.5\n',
            "parameter[0].low",
            "whole numbers",
        ),
        (
            '[[parameter]]\npath = "referral_groups.nobody.leave_queue_per_year"\nlow = 0\nhigh = 0.5\n',
            "parameter[0].path",
            "a group",
        ),
    ],
)
def test_a_range_outside_the_field_is_refused_in_the_scenario(
    tmp_path: Path, example: LoadedScenario, body: str, location: str, words: str
) -> None:
    entries = read_ranges(_ranges(tmp_path, body))
    with pytest.raises(ScenarioError) as raised:
        scenario_parameters(example, entries, source="ranges.toml")
    assert any(p.location == location and words in p.expected for p in raised.value.problems), str(
        raised.value
    )


def test_a_range_the_scenario_rules_forbid_is_refused(
    tmp_path: Path, example: LoadedScenario
) -> None:
    """employed_share + student_share must stay at most 1 at both ends."""
    entries = read_ranges(
        _ranges(
            tmp_path, '[[parameter]]\npath = "applicants.employed_share"\nlow = 0.5\nhigh = 0.95\n'
        )
    )
    with pytest.raises(ScenarioError, match="student_share"):
        scenario_parameters(example, entries)


def test_triangular_quantiles_follow_the_distribution() -> None:
    parameter = Parameter("t", 0.0, 2.0, "triangular", mode=0.5)
    draws = np.array([parameter.value(u) for u in np.linspace(0, 1, 20_001)])
    assert draws.min() == pytest.approx(0.0) and draws.max() == pytest.approx(2.0)
    assert draws.mean() == pytest.approx((0.0 + 2.0 + 0.5) / 3, abs=1e-3)


# -- the engine on a function with known indices -------------------------------------------------


def test_sobol_indices_of_ishigami_match_the_analytic_values(tmp_path: Path) -> None:
    """Through run_sensitivity, the path the model takes: each index within its interval."""
    outcome = run_sensitivity(
        ishigami, None, ISHIGAMI, ["y"], tmp_path / "ishigami", method="sobol", samples=1024
    )
    assert outcome.complete and len(outcome.samples) == evaluations_needed("sobol", 1024, 3)
    table = outcome.indices.set_index(["parameter", "index"])
    for index, expected in ISHIGAMI_INDICES.items():
        for name, value in expected.items():
            found, conf = table.loc[(name, index), ["value", "conf"]]
            assert abs(found - value) <= max(conf, 0.02), (index, name, found, conf, value)
    # the folder is tidy and complete
    assert (tmp_path / "ishigami" / "indices.csv").is_file()
    manifest = json.loads((tmp_path / "ishigami" / "sensitivity.json").read_text())
    assert manifest["status"] == "complete"


def test_morris_ranks_ishigami_inputs_and_resumes(tmp_path: Path) -> None:
    folder = tmp_path / "morris"
    first = run_sensitivity(ishigami, None, ISHIGAMI, ["y"], folder, method="morris", samples=40)
    mu_star = first.indices[first.indices["index"] == "mu_star"].set_index("parameter")["value"]
    # x3 acts only through its interaction with x1, x2 strongly alone: all three matter
    assert mu_star["x2"] > 1 and mu_star["x1"] > 1 and mu_star["x3"] > 0.5
    # remove some samples: a rerun evaluates only those, and gives the same indices
    for path in sorted((folder / "samples").glob("*.json"))[:7]:
        path.unlink()
    again = run_sensitivity(ishigami, None, ISHIGAMI, ["y"], folder, method="morris", samples=40)
    assert again.ran == 7
    assert np.allclose(again.indices["value"], first.indices["value"], equal_nan=True)
    with pytest.raises(ExperimentError, match="holds another"):
        run_sensitivity(ishigami, None, ISHIGAMI, ["y"], folder, method="morris", samples=41)


def test_designs_are_checked() -> None:
    with pytest.raises(ExperimentError, match="power of 2"):
        sample_unit("sobol", ISHIGAMI, 100)
    with pytest.raises(ExperimentError, match="morris or sobol"):
        sample_unit("fast", ISHIGAMI, 100)  # type: ignore[arg-type]
    assert np.array_equal(
        sample_unit("morris", ISHIGAMI, 5, 3), sample_unit("morris", ISHIGAMI, 5, 3)
    )


# -- the engine on the model -------------------------------------------------------------------


def test_common_random_numbers_same_values_same_outputs(example: LoadedScenario) -> None:
    from simulation.experiments.sensitivity import SampleTask

    shared = ModelShared(example, entropy=3, replications=1, years=2)
    values = {"behaviour.job_finding_per_year": 0.13}
    first = evaluate_scenario(shared, SampleTask(0, values))
    second = evaluate_scenario(shared, SampleTask(5, values))
    assert first == second
    assert set(first) == set(OUTPUTS)
    assert 0 < first["outside_work_education_share_final"] < 1


@pytest.mark.slow
def test_morris_on_eksempelby_scaled_down(tmp_path: Path, example: LoadedScenario) -> None:
    parameters = scenario_parameters(example, read_ranges(DEFAULT_RANGES))[:4]
    outcome = run_sensitivity(
        evaluate_scenario,
        ModelShared(example, replications=1, years=3),
        parameters,
        list(OUTPUTS),
        tmp_path / "eksempelby",
        method="morris",
        samples=2,
    )
    assert outcome.complete and len(outcome.samples) == 2 * (4 + 1)
    assert set(outcome.indices.columns) == {"parameter", "output", "index", "value", "conf"}
    assert set(outcome.indices["parameter"]) <= {p.name for p in parameters}
    assert not outcome.indices.empty


# -- the command line ------------------------------------------------------------------------------


def test_command_refuses_a_bad_ranges_file_with_exit_2_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from simulation.cli.main import main

    ranges = _ranges(tmp_path, '[[parameter]]\npath = "applicants.sorting"\nlow = 0.5\nhigh = 2\n')
    out = tmp_path / "out"
    code = main(
        [
            "sensitivity",
            str(ROOT / "scenarios" / "eksempelby.toml"),
            "--ranges",
            str(ranges),
            "--out",
            str(out),
        ]
    )
    error = capsys.readouterr().err
    assert code == 2
    assert "parameter[0].high" in error and "got 2" in error and "Traceback" not in error
    assert not out.exists()


def test_command_refuses_a_sobol_sample_size_that_is_no_power_of_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from simulation.cli.main import main

    code = main(
        [
            "sensitivity",
            str(ROOT / "scenarios" / "eksempelby.toml"),
            "--method",
            "sobol",
            "--samples",
            "100",
            "--out",
            str(tmp_path / "out"),
        ]
    )
    assert code == 2 and "power of 2" in capsys.readouterr().err


@pytest.mark.slow
def test_command_writes_the_table_and_the_figure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from simulation.cli.main import main

    ranges = _ranges(
        tmp_path,
        '[[parameter]]\npath = "applicants.employed_share"\nlow = 0.45\nhigh = 0.65\n'
        '[[parameter]]\npath = "behaviour.selective_move_out_strength"\nlow = 0.0\nhigh = 3.0\n',
    )
    out = tmp_path / "out"
    arguments = [
        "sensitivity",
        str(ROOT / "scenarios" / "eksempelby.toml"),
        "--ranges",
        str(ranges),
        "--samples",
        "2",
        "--years",
        "3",
        "--workers",
        "1",
        "--out",
        str(out),
        "--quiet",
    ]
    assert main(arguments) == 0
    assert (out / "indices.csv").is_file() and (out / "sensitivity.png").is_file()
    assert "listed_area_years" in capsys.readouterr().out
    assert main(arguments) == 0  # resumes: nothing left to run
