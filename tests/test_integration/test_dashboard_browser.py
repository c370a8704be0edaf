"""The dashboard in a real browser: Debian's chromium driven by Playwright, no request leaves 127.0.0.1.

Starts ``blandetby dashboard`` on a free local port (scaled down: 3 years, 2 replications), moves a
lever, waits for the paired result and checks that the lists figure and the risk table changed;
types a share above 1 and a tier condition above 1 and checks that the validator's own message
shows next to the control and nothing runs; saves the variant as TOML and validates it with
``blandetby validate``; stops the server. Screenshots go to ``test-artefacts/dashboard/`` (or
``$BLANDETBY_TEST_ARTEFACTS``), which is not committed.

Needs ``chromium`` (``apt-get install -y chromium``; ``make test`` installs it when it runs as
root) and fails, rather than skips, without it: this test is the only proof that the page works.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "eksempelby_trappemodel.toml"
ARTEFACTS = Path(os.environ.get("BLANDETBY_TEST_ARTEFACTS", ROOT / "test-artefacts")) / "dashboard"
TIMEOUT_MS = 300_000  # two cores shared with others: a replication can take seconds
SETTLE_MS = 60_000  # for the page to show a typed value took


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def dashboard(tmp_path: Path) -> Iterator[tuple[str, Path, subprocess.Popen[str]]]:
    """The dashboard server on a free port: its address, its --out folder and its process."""
    port = _free_port()
    out = tmp_path / "dashboard"
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "simulation.cli.main",
            "dashboard",
            str(SCENARIO),
            "--port",
            str(port),
            "--years",
            "3",
            "--replications",
            "2",
            "--out",
            str(out),
        ],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    address = re.search(r"http://127\.0\.0\.1:\d+/", first)
    assert address, f"the command did not print its address: {first!r}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        assert process.poll() is None, (tmp_path / "server.log").read_text()
        time.sleep(0.5)
    else:
        pytest.fail("the dashboard did not start listening within 180 s")
    try:
        yield address.group(0), out, process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(tmp_path / "server.log", ARTEFACTS / "server.log")


@pytest.mark.slow
def test_move_a_lever_see_it_move_save_it(
    dashboard: tuple[str, Path, subprocess.Popen[str]], tmp_path: Path, chromium: str
) -> None:
    try:
        from playwright import sync_api
    except ImportError:  # never a skip: this test is the page's only proof
        pytest.fail("the browser test needs Playwright: pip install -e '.[test]' (make test does)")
    address, out, process = dashboard
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    requests: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(TIMEOUT_MS)
        page.on("request", lambda request: requests.append(request.url))
        page.goto(address)
        try:
            path = _use_the_page(page, out, tmp_path)
        except Exception:
            page.screenshot(path=ARTEFACTS / "failure.png", full_page=True)
            (ARTEFACTS / "failure.html").write_text(page.content(), encoding="utf-8")
            raise
        browser.close()

    text = path.read_text(encoding="utf-8")
    assert 'extends = "' in text
    assert "referral_share = 0.9" in text  # the green tier's
    assert "default_referral_share" not in text and "combined_letting" not in text
    check = subprocess.run(
        [sys.executable, "-m", "simulation.cli.main", "validate", str(path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert check.returncode == 0 and check.stdout.strip() == "OK", check.stderr
    outside = [url for url in requests if not _local(url, urlparse(address).netloc)]
    assert not outside, f"requests left 127.0.0.1: {outside[:10]}"
    assert len(requests) > 10  # the page, its scripts, its style sheets, the websocket
    assert process.poll() is None, "the server died during the test"


def _use_the_page(page: Any, out: Path, tmp_path: Path) -> Path:
    """Move the levers as the test says; return the saved scenario's path."""
    # the scenario as it is: the reference alone
    page.wait_for_selector(".status-done")
    page.wait_for_selector(".report-view.view-alone .lists-figure img")
    page.screenshot(path=ARTEFACTS / "1-reference.png", full_page=True)
    lists_before = page.locator(".lists-figure img").screenshot()
    page.get_by_role("button", name="Risk").click()
    risk_before = page.locator(".risk-view").inner_text()
    runs_before = sorted((out / "cache" / "runs").iterdir())

    # a share above 1: the validator's message at the control, nothing runs
    share = page.locator(".lever-agreement-default-referral-share input")
    problem = page.locator(".lever-agreement-default-referral-share .lever-problem")
    _enter(share, "1.5", lambda: problem.wait_for(timeout=SETTLE_MS))
    page.wait_for_selector(".status-invalid")
    page.screenshot(path=ARTEFACTS / "2-share-above-one.png", full_page=True)
    shown = problem.inner_text().strip()
    validated = _validate_text(tmp_path, "[agreement]\ndefault_referral_share = 1.5\n")
    assert shown in validated, (shown, validated)
    assert "expected a share from 0 to 1" in shown

    # a tier's condition that cannot hold (a share of adults above 1)
    condition = page.locator(
        ".lever-agreement-tiers-0-when-outside-work-education-share-above input"
    )
    _enter(share, "0.25", lambda: problem.wait_for(state="detached", timeout=SETTLE_MS))
    tier_problem = page.locator(
        ".lever-agreement-tiers-0-when-outside-work-education-share-above .lever-problem"
    )
    _enter(condition, "1.2", lambda: tier_problem.wait_for(timeout=SETTLE_MS))
    assert "agreement.tiers[0].when.outside_work_education_share_above: got 1.2" in (
        tier_problem.inner_text()
    )
    _enter(
        condition,
        "0.4",
        lambda: page.wait_for_selector(".status-invalid", state="detached", timeout=SETTLE_MS),
    )
    assert sorted((out / "cache" / "runs").iterdir()) == runs_before, "a refused value ran"

    # move one lever (the green tier's referral share: the default share is used by no
    # department under this stepped model): the paired result comes, and the views change
    green = page.locator(".lever-agreement-tiers-2-referral-share input")
    _enter(  # a decimal comma, as a Dane types it
        green,
        "0,9",
        lambda: page.wait_for_selector(
            ".status-running, .report-view.view-paired", timeout=SETTLE_MS
        ),
    )
    page.wait_for_selector(".report-view.view-paired")
    page.wait_for_selector(".status-done")
    risk_after = page.locator(".risk-view").inner_text()
    page.screenshot(path=ARTEFACTS / "3-risk-after.png", full_page=True)
    page.get_by_role("button", name="Lists").click()
    page.wait_for_selector(".report-view.view-paired .lists-figure img")
    time.sleep(1)  # the image is swapped in after the element appears
    lists_after = page.locator(".lists-figure img").screenshot()
    page.screenshot(path=ARTEFACTS / "4-lists-after.png", full_page=True)
    assert risk_after != risk_before
    assert "variant" in risk_after
    assert lists_after != lists_before

    # the other views render, each the pair's
    for name, shown in (
        ("Waits", ".view-waits_tab img"),
        ("Load", ".view-load_tab img"),
        ("Starting point", ".view-profile_tab .profile-view table"),
        ("Decision", ".view-decision_tab .decision-view table"),
    ):
        page.get_by_role("button", name=name, exact=True).click()
        page.wait_for_selector(f".report-view.view-paired{shown}")
    assert "variant" in page.locator(".decision-view").inner_text()
    page.screenshot(path=ARTEFACTS / "5-decision.png", full_page=True)

    # save the variant as a scenario: extends the reference, holds only what differs
    page.get_by_role("button", name=re.compile("Save the variant")).click()
    saved = page.locator(".saved")
    saved.wait_for()
    path = Path(re.search(r"Saved: (\S+\.toml)", saved.inner_text()).group(1))  # type: ignore[union-attr]
    return path


def _enter(field: Any, text: str, settled: Callable[[], None]) -> None:
    """Type ``text`` into a lever and press Enter until the page shows it took (``settled``).

    A value typed while the server is still sending the page its previous state can be
    overwritten by that state (seen once in a few runs on a loaded machine): type it again.
    """
    for _ in range(4):
        field.fill(text)
        field.press("Enter")
        try:
            settled()
            return
        except Exception:  # Playwright's TimeoutError
            if field.input_value() != text:
                continue
            raise
    settled()


def _local(url: str, server: str) -> bool:
    """Whether a request stays on the server: its own address, or data made in the page itself."""
    if url.startswith("data:"):
        return True
    parsed = urlparse(url.removeprefix("blob:"))
    return parsed.scheme in ("http", "ws") and parsed.netloc == server


def _validate_text(folder: Path, body: str) -> str:
    """What ``blandetby validate`` says about the scenario with ``body`` added."""
    scenario = folder / "bad.toml"
    scenario.write_text(
        f'extends = "{SCENARIO.as_posix()}"\nschema_version = 1\nname = "bad"\n{body}',
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "simulation.cli.main", "validate", str(scenario)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2, done.stdout
    return done.stderr
