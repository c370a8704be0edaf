"""``blandetby dashboard``: bad input gets exit 2 and a clear message before any server starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulation.cli.main import main


def test_a_bad_scenario_is_refused_before_the_server_starts(
    write_scenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write_scenario(
        'extends = "{example}"\nschema_version = 1\nname = "x"\n'
        "[agreement]\ndefault_referral_share = 1.5\n"
    )
    out = tmp_path / "out"
    assert main(["dashboard", str(bad), "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert "agreement.default_referral_share: got 1.5; expected a share from 0 to 1" in error
    assert str(bad) in error
    assert "Traceback" not in error
    assert not out.exists()


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--port", "70000", "--port"),
        ("--replications", "0", "--replications"),
        ("--lang", "de", "--lang"),
    ],
)
def test_bad_options_exit_2(
    example: Path, option: str, value: str, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["dashboard", str(example), option, value])
    assert stopped.value.code == 2
    assert said in capsys.readouterr().err


def test_a_missing_scenario_file_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere.toml"
    assert main(["dashboard", str(missing), "--out", str(tmp_path / "out")]) == 2
    assert "nowhere.toml" in capsys.readouterr().err
