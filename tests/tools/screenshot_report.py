"""Build a tiny report and take a headless-browser screenshot of it, to look at with your own eyes.

Not a test (pytest does not collect it, and the suite never needs a browser)::

    .venv/bin/python tests/tools/screenshot_report.py            # Danish, 1280 × 4000 px
    .venv/bin/python tests/tools/screenshot_report.py --lang en --height 12000

It makes the three-area world of ``report_fixtures.py`` in a temporary folder (about two seconds),
writes the report with the plan, and, if ``chromium`` (Debian: ``apt-get install chromium``) or
``chromium-browser`` / ``google-chrome`` is on PATH, screenshots it with networking off. It
prints the paths of the HTML and the PNG.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def _fixtures() -> ModuleType:
    spec = importlib.util.spec_from_file_location("report_fixtures", HERE / "report_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["report_fixtures"] = module
    spec.loader.exec_module(module)
    return module


def screenshot(html: Path, png: Path, *, width: int = 1280, height: int = 4000) -> Path | None:
    """Screenshot ``html`` into ``png`` with a headless Chromium; None if there is no browser."""
    browser = next((found for name in BROWSERS if (found := shutil.which(name))), None)
    if browser is None:
        return None
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                f"--screenshot={png}",
                f"--window-size={width},{height}",
                html.resolve().as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    return png


def main(argv: list[str] | None = None) -> int:
    """Build the tiny report, screenshot it, print where both went; 1 if no browser is found."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=("da", "en"), default="da")
    parser.add_argument("--out", type=Path, help="folder for report.html and report.png")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=4000)
    args = parser.parse_args(argv)

    from simulation.report.build import write_report

    out = args.out or Path(tempfile.mkdtemp(prefix="blandetby-report-"))
    world = _fixtures().make_tiny_world(out / "world")
    html = write_report(
        [world.compare_dir], out / "report.html", language=args.lang, plan=world.plan_dir
    )
    print(f"HTML: {html}")
    png = screenshot(html, out / "report.png", width=args.width, height=args.height)
    if png is None:
        print(f"no browser found ({', '.join(BROWSERS)}); open the HTML yourself")
        return 1
    print(f"PNG: {png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
