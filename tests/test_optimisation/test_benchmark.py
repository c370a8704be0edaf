"""The national benchmark runs, prints its timing line last, and its plan keeps every rule."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace

import numpy as np
import pytest

from optimisation import ReferralProblem, plan_referrals

SCRIPT = Path(__file__).parents[2] / "benchmarks" / "plan_national.py"


def load_benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("plan_national", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_prints_its_timings_last() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--departments", "200", "--solver", "highs"],
        capture_output=True,
        text=True,
        check=True,
    )
    last = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(
        r"seconds=[\d.]+ cpu_seconds=[\d.]+ build_seconds=[\d.]+ solve_seconds=[\d.]+", last
    )


def test_national_instance_is_realistic() -> None:
    departments, groups, exclusions = load_benchmark().national_instance()
    assert len(departments) == 7085 and len(groups) == 6
    dwellings = departments["vacancies"].sum() / 0.104
    assert 75 * 7085 < dwellings < 87 * 7085
    assert 2000 < groups["demand"].sum() < 6000
    compatible_share = 1 - len(exclusions) / (len(departments) * len(groups))
    assert 0.65 < compatible_share < 0.75
    outside = departments["adults_outside"] / departments["adults"]
    assert 0.09 < outside.quantile(0.01) < 0.15 and 0.55 < outside.quantile(0.99) < 0.61


def test_national_capacity_is_a_share_of_the_slots() -> None:
    benchmark = load_benchmark()
    departments, groups, _ = benchmark.national_instance(300)
    compatibility = benchmark.national_capacity(departments, groups)
    assert len(compatibility) == 300 * len(groups)
    slots = (departments["referral_share"] * departments["vacancies"]).to_numpy()
    share = compatibility["capacity"].to_numpy().reshape(300, len(groups)) / slots[:, None]
    assert ((share >= 0) & (share <= 1)).all()
    means = share.mean(axis=0)
    np.testing.assert_allclose(means, benchmark.FITTING_SHARE.to_numpy(), atol=0.03)


@pytest.mark.slow
def test_national_plan(kit: SimpleNamespace) -> None:
    benchmark = load_benchmark()
    departments, groups, exclusions = benchmark.national_instance()
    compatibility = benchmark.national_capacity(departments, groups)
    problem = ReferralProblem.from_frames(departments, groups, compatibility, exclusions)
    plan = plan_referrals(problem, solver="highs")
    kit.assert_feasible(plan)
    assert len(plan.fits) == problem.compatible.sum() and plan.fits["binding"].any()
    assert plan.build_seconds <= plan.solve_seconds
    assert "Summary".upper() in plan.explain()
