"""The report's "done when" in a real browser: Debian's chromium driven by Playwright.

A Danish report of the five Eksempelby agreements (all twelve areas, so that the tables are as
wide and as long as a planner's; scaled down to 2 replications × 3 years so that it is made in
well under a minute) is opened at 1280 × 800 and printed to A4 as Chromium prints it:

- the first screen holds the decision: the decision page's heading and its recommendation lie
  within the first viewport;
- without the appendix (the sections ``assumptions`` and ``details``, see
  :data:`simulation.report.build.APPENDIX`), the report prints to at most 12 A4 pages, and the
  decision page prints alone on the first;
- in print, no table (and nothing else) is wider than the printable page: nothing is cut off.

The PDFs and screenshots go to ``test-artefacts/report/`` (or ``$BLANDETBY_TEST_ARTEFACTS``),
which is not committed. Needs ``chromium`` (``make browser``) and fails, rather than skips,
without it: this test is the only proof of the report's first screen and its print.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path
from typing import Any

import pytest

from simulation.cli.main import main
from simulation.report.build import APPENDIX, write_report

pytestmark = pytest.mark.xdist_group("cli-report")

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
FIVE = (
    "eksempelby.toml",
    "eksempelby_hoej_anvisning.toml",
    "eksempelby_trappemodel.toml",
    "eksempelby_fleksibel.toml",
    "eksempelby_optimeret.toml",
)
"""The five Eksempelby agreements (today's legal default first: the reference)."""
ARTEFACTS = Path(os.environ.get("BLANDETBY_TEST_ARTEFACTS", ROOT / "test-artefacts")) / "report"
MAX_PAGES = 12
"""The issue's limit: the report without its appendix on at most 12 A4 pages."""
PRINTABLE_WIDTH_PX = round((210 - 2 * 12) / 25.4 * 96)
"""A4's width less the report's 12 mm margins (``@page``), in CSS pixels: 703."""
VIEWPORT = {"width": 1280, "height": 800}


@pytest.fixture(scope="module")
def danish_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Danish report of the five agreements: 2 replications × 3 years, seed 3."""
    folder = tmp_path_factory.mktemp("report-browser")
    compare_dir = folder / "compare"
    files = [str(SCENARIOS / name) for name in FIVE]
    argv = ["compare", *files, "--replications", "2", "--years", "3", "--seed", "3"]
    with contextlib.redirect_stdout(io.StringIO()):
        code = main([*argv, "--no-figures", "--quiet", "--out", str(compare_dir)])
    assert code == 0, "blandetby compare failed"
    return write_report([compare_dir], folder / "rapport.html", language="da")


def _pdf_pages(pdf: bytes) -> int:
    """The number of pages of a PDF Chromium wrote (its page tree's ``/Count``)."""
    counts = [int(found) for found in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", pdf)]
    counts += [int(found) for found in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", pdf)]
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    assert pages > 0, "no page objects found in the PDF"
    assert not counts or max(counts) == pages, (counts, pages)
    return pages


HIDE = "@media print {{ {selectors} {{ display: none !important; }} }}"

WIDE_ELEMENTS = """(limit) => {
  const wide = [];
  for (const node of document.querySelectorAll('main *')) {
    const box = node.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    const cut = node.scrollWidth > node.clientWidth + 1 && getComputedStyle(node).overflowX !== 'visible';
    if (node.parentElement && node.parentElement.dataset.wide) continue;  // its parent is named
    if (box.right > limit + 1 || (node.tagName === 'TABLE' && cut)) {
      node.dataset.wide = '1';
      const section = node.closest('section');
      wide.push(`${node.tagName.toLowerCase()}${node.className ? '.' + node.className : ''} in #${section ? section.id : '?'}: right edge ${Math.round(box.right)} px, scroll ${node.scrollWidth} > ${node.clientWidth}`);
    }
  }
  return wide;
}"""


@pytest.mark.slow
def test_danish_report_opens_on_the_decision_and_prints_to_twelve_pages(
    danish_report: Path, chromium: str
) -> None:
    try:
        from playwright import sync_api
    except ImportError:  # never a skip: this test is the report's only proof in a browser
        pytest.fail("the browser test needs Playwright: pip install -e '.[test]' (make test does)")
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    requests: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport=VIEWPORT)
        page.on("request", lambda request: requests.append(request.url))
        page.goto(danish_report.resolve().as_uri())
        try:
            _check(page)
        except Exception:
            page.screenshot(path=ARTEFACTS / "failure.png", full_page=True)
            raise
        finally:
            browser.close()
    outside = [url for url in requests if not url.startswith(("file:", "data:"))]
    assert not outside, f"the report fetched from the network: {outside[:5]}"


def _check(page: Any) -> None:
    # the first screen holds the decision: its heading and its recommendation
    page.screenshot(path=ARTEFACTS / "first-screen.png")
    assert page.locator("html").get_attribute("lang") == "da"
    heading = page.locator("#decision h2")
    assert heading.inner_text().strip() == "Beslutningsoplæg"
    for name, locator in (("heading", heading), ("recommendation", _recommendation(page))):
        box = locator.bounding_box()
        assert box is not None, f"the decision's {name} is not shown"
        assert box["y"] >= 0 and box["y"] + box["height"] <= VIEWPORT["height"], (
            f"the decision's {name} ends at {box['y'] + box['height']:.0f} px, below the first "
            f"screen ({VIEWPORT['height']} px)"
        )

    # in print, at the printable width of A4: nothing wider than the page, no table cut off
    page.emulate_media(media="print")
    page.set_viewport_size({"width": PRINTABLE_WIDTH_PX, "height": 1000})
    wide = page.evaluate(WIDE_ELEMENTS, PRINTABLE_WIDTH_PX)
    assert not wide, "cut off in print (wider than A4's printable width):\n" + "\n".join(wide[:15])

    # the whole report without its appendix on at most 12 A4 pages
    appendix = page.add_style_tag(
        content=HIDE.format(selectors=", ".join(f"#{key}" for key in APPENDIX))
    )
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (ARTEFACTS / "without-appendix.pdf").write_bytes(pdf)
    pages = _pdf_pages(pdf)
    assert pages <= MAX_PAGES, (
        f"the Danish report of five agreements prints to {pages} A4 pages without the appendix; "
        f"expected at most {MAX_PAGES} (see {ARTEFACTS / 'without-appendix.pdf'})"
    )
    appendix.evaluate("node => node.remove()")

    # the decision page alone: everything after it hidden, it fits on one page
    page.add_style_tag(content=HIDE.format(selectors="#decision ~ *, header.top ~ *"))
    decision = page.pdf(prefer_css_page_size=True, print_background=True)
    (ARTEFACTS / "decision-page.pdf").write_bytes(decision)
    assert _pdf_pages(decision) == 1, "the decision page does not fit on one A4 page"


def _recommendation(page: Any) -> Any:
    """The decision page's recommendation (its first element of class ``recommendation``)."""
    found = page.locator("#decision .recommendation").first
    assert found.count() == 1, "the decision page has no recommendation"
    return found
