"""Every command in the README runs, in the order a reader meets them, and does what it says."""

from __future__ import annotations

import glob
import os
import re
import shlex
import shutil
from pathlib import Path

import pytest

from simulation.cli.main import build_parser, main
from simulation.inputs.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.DOTALL)


def blocks(language: str) -> list[str]:
    return [body for kind, body in BLOCK.findall(README) if kind == language]


def commands(prefix: str) -> list[str]:
    found = []
    for body in blocks("bash"):
        for line in body.splitlines():
            line = line.split("  #", 1)[0].strip()
            if line.startswith(prefix):
                found.append(line)
    return found


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A folder laid out like the checkout (scenarios, example data), to run commands in."""
    shutil.copytree(ROOT / "scenarios", tmp_path / "scenarios")
    shutil.copytree(ROOT / "tests" / "data", tmp_path / "tests" / "data")
    previous = Path.cwd()
    os.chdir(tmp_path)
    yield tmp_path
    os.chdir(previous)


def test_the_readme_starts_with_exactly_the_two_set_up_commands() -> None:
    first = blocks("bash")[0].splitlines()
    assert [line.split("#")[0].strip() for line in first] == ["make run", "make test"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.strip().splitlines()[-1] == "make test"


SCALED_DOWN = {
    "--samples 8 --years 10 --workers 2 --out runs/sensitivity": (
        "--samples 2 --years 2 --workers 2 --out runs/sensitivity"
    ),
    "--samples 100 --years 10 --out runs/robustness": "--samples 12 --years 2 --out runs/robustness",
}
"""The README's two long commands (sensitivity and robustness: three minutes of the test's four on
an idle machine) run here on fewer samples and years: the commands as written, their options and
outputs are what this test proves; what the samples find is proven by ``test_sensitivity`` and
``test_robustness``."""


@pytest.mark.slow
def test_every_blandetby_command_and_python_snippet_runs(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    main_job = re.search(r"^run: install\n\t\$\(BIN\)/blandetby (.*)$", makefile, re.MULTILINE)
    assert main_job, "the Makefile's run target runs blandetby"
    job = main_job.group(1).replace("$(SCENARIO)", "scenarios/eksempelby.toml")
    job = job.replace("$(OUT)", "runs/eksempelby")
    listed = commands(".venv/bin/blandetby ")
    assert len(listed) >= 9
    for long, short in SCALED_DOWN.items():
        assert sum(long in line for line in listed) == 1, f"the README no longer runs {long!r}"
        listed = [line.replace(long, short) for line in listed]
    for line in [f"blandetby {job}", *listed]:
        words = shlex.split(line)[1:]
        arguments = []
        for word in words:
            arguments += sorted(glob.glob(word)) if "*" in word else [word]
        if arguments[0] == "dashboard":  # a server until Ctrl-C: test_dashboard_browser runs it
            parsed = build_parser().parse_args(arguments)
            assert all(path.is_file() for path in parsed.scenarios), line
            continue
        assert main(arguments) == 0, line
        capsys.readouterr()
    for snippet in blocks("python"):
        exec(compile(snippet, "README.md", "exec"), {})
    assert (workspace / "runs" / "rapport.html").stat().st_size > 50_000
    assert (workspace / "runs" / "plan" / "plan.csv").is_file()


def test_the_toml_example_is_a_valid_scenario(tmp_path: Path) -> None:
    [example] = blocks("toml")
    shutil.copytree(ROOT / "scenarios", tmp_path / "scenarios")
    path = tmp_path / "scenarios" / "readme_example.toml"
    path.write_text(example, encoding="utf-8")
    tiers = load_scenario(path).scenario.agreement.tiers
    assert [tier.name for tier in tiers] == ["red", "green"]


def test_benchmarks_named_in_the_readme_exist() -> None:
    for line in commands(".venv/bin/python benchmarks/"):
        script = ROOT / shlex.split(line)[1]
        assert script.is_file(), line
