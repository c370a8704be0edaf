"""The report section "What would change the answer", from a robustness folder and a sensitivity folder.

It reads what ``blandetby robustness`` and ``blandetby sensitivity`` wrote (never live models) and
says, in Danish or English: the finding in one sentence (where the decision flips, with PRIM's
coverage and density), the box's limits per parameter, and the assumptions that move each output
most. ``blandetby report … --robustness DIR [--sensitivity DIR]`` places it after the evidence
(:func:`simulation.report.build.render_report`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from simulation.experiments.robustness import FEW_FLIPS, FlipBox
from simulation.report.html import Markup, element, join, table
from simulation.report.i18n import Language, number
from simulation.report.sensitivity_plots import output_name

__all__ = ["TOP_PARAMETERS", "danish_finding", "section_title", "what_would_change_section"]

TOP_PARAMETERS = 3
"""The most influential parameters shown per output."""

_WORDS: dict[str, tuple[str, str]] = {
    "title": ("Hvad ville ændre svaret", "What would change the answer"),
    "finding": ("Konklusion", "Finding"),
    "box": (
        "Hvor beslutningen vender (PRIM-boks): parameterværdier, hvor A ikke slår B",
        "Where the decision flips (PRIM box): parameter values where A does not beat B",
    ),
    "parameter": ("Parameter", "Parameter"),
    "above": ("over", "above"),
    "below": ("under", "below"),
    "drivers": (
        "De antagelser, der flytter hvert resultat mest",
        "The assumptions that move each output most",
    ),
    "output": ("Resultat", "Output"),
    "index": ("Indeks", "Index"),
    "value": ("Værdi", "Value"),
    "interval": ("± 95 %", "± 95 %"),
    "samples": (
        "{samples} stikprøver af de usikre parametre; begge aftaler kørt parvis (samme værdier, "
        "samme startværdier).",
        "{samples} samples of the uncertain parameters; both agreements run paired (same values, "
        "same seeds).",
    ),
    "none": ("Ingen robusthedsanalyse.", "No robustness analysis."),
}


def section_title(language: Language) -> str:
    """The section's heading."""
    return _word("title", language)


def _word(key: str, language: Language) -> str:
    danish, english = _WORDS[key]
    return danish if language == "da" else english


def what_would_change_section(
    robustness_dir: str | Path | None,
    sensitivity_dir: str | Path | None = None,
    language: Language = "en",
    *,
    heading: bool = True,
) -> Markup:
    """The section's HTML body: its heading (unless ``heading=False``), the finding, the box, the drivers."""
    parts: list[object] = [element("h2", _word("title", language))] if heading else []
    if robustness_dir is not None:
        folder = Path(robustness_dir)
        manifest = json.loads((folder / "robustness.json").read_text(encoding="utf-8"))
        finding = (language == "da" and manifest.get("finding_da")) or manifest.get("finding")
        if finding:
            parts.append(element("p", element("strong", finding)))
        parts.append(
            element("p", _word("samples", language).format(samples=manifest.get("samples", "?")))
        )
        box_path = folder / "box.csv"
        if box_path.is_file():
            box = pd.read_csv(box_path)
            if not box.empty:
                rows = [
                    [
                        str(row["parameter"]),
                        _bound(float(row["lower"]), language),
                        _bound(float(row["upper"]), language),
                    ]
                    for row in box.to_dict("records")
                ]
                parts.append(
                    table(
                        [
                            _word("parameter", language),
                            _word("above", language),
                            _word("below", language),
                        ],
                        rows,
                        caption=_word("box", language),
                        numeric=[False, True, True],
                    )
                )
    else:
        parts.append(element("p", _word("none", language)))
    if sensitivity_dir is not None:
        indices = pd.read_csv(Path(sensitivity_dir) / "indices.csv")
        main = indices[indices["index"].isin(["mu_star", "ST"])]
        rows = []
        for output, group in main.groupby("output", sort=False):
            ranked = group.sort_values("value", ascending=False).head(TOP_PARAMETERS)
            for record in ranked.to_dict("records"):
                rows.append(
                    [
                        str(output),
                        str(record["parameter"]),
                        str(record["index"]),
                        number(float(record["value"]), 3, language),
                        number(float(record["conf"]), 3, language),
                    ]
                )
        if rows:
            parts.append(
                table(
                    [
                        _word("output", language),
                        _word("parameter", language),
                        _word("index", language),
                        _word("value", language),
                        _word("interval", language),
                    ],
                    rows,
                    caption=_word("drivers", language),
                    numeric=[False, False, False, True, True],
                )
            )
    return join(parts)


def _bound(value: float, language: Language) -> str:
    return "–" if math.isnan(value) else number(value, 3, language)


def danish_finding(
    flip: FlipBox,
    a: str,
    b: str,
    *,
    output: str,
    samples: int,
    labels: Mapping[str, str] | None = None,
) -> str:
    """The finding of :func:`~simulation.experiments.robustness.describe_flip`, in Danish.

    ``labels`` names the parameters (default: their keys); the output is named by
    :func:`~simulation.report.sensitivity_plots.output_name`.

    Examples
    --------
    >>> import pandas as pd
    >>> limits = pd.DataFrame({"parameter": ["x"], "lower": [0.7], "upper": [float("nan")]})
    >>> danish_finding(FlipBox(limits, 0.9, 0.85, 0.8, ""), "A", "B", output="x", samples=100)
    'A er bedre end B på x (i 80 % af stikprøverne), undtagen når x > 0,7 (dækning 90 %, tæthed 85 %).'
    """
    what = output_name(output, "da")

    def shown(value: float) -> str:
        return f"{value:.3g}".replace(".", ",")

    if math.isnan(flip.coverage) and flip.a_wins >= 1.0:
        return f"{a} er bedre end {b} på {what} i alle stikprøver ({samples})."
    if math.isnan(flip.coverage) and flip.a_wins <= 0.0:
        return f"{a} er aldrig bedre end {b} på {what} ({samples} stikprøver)."
    conditions = []
    for name, lower, upper in zip(
        flip.limits["parameter"], flip.limits["lower"], flip.limits["upper"], strict=True
    ):
        low, high, label = float(lower), float(upper), (labels or {}).get(str(name), str(name))
        if not math.isnan(low) and not math.isnan(high):
            conditions.append(f"{shown(low)} < {label} < {shown(high)}")
        elif not math.isnan(low):
            conditions.append(f"{label} > {shown(low)}")
        else:
            conditions.append(f"{label} < {shown(high)}")
    unless = (
        "når " + " og ".join(conditions)
        if conditions
        else "i et område, PRIM ikke kunne afgrænse nærmere"
    )
    flips = round((1.0 - flip.a_wins) * samples)
    caution = (
        f"; kun {flips} stikprøver, hvor {a} ikke vinder: en grov afgrænsning, kør flere --samples"
        if flips < FEW_FLIPS
        else ""
    )
    return (
        f"{a} er bedre end {b} på {what} (i {100 * flip.a_wins:.0f} % af stikprøverne), undtagen "
        f"{unless} (dækning {100 * flip.coverage:.0f} %, tæthed {100 * flip.density:.0f} %"
        f"{caution})."
    )
