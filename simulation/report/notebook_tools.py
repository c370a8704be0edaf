"""What the consultant notebooks share: paths, parameters, figures, words and the recommendation.

The notebooks in ``notebooks/`` use only the public API (``from simulation import …``); the
helpers they would otherwise each repeat live here and are reached as
``from simulation import notebook_tools``. Everything here presents: it reads parameters, draws
and shows figures, formats numbers and words, and writes the recommendation a notebook computed
from its own tables. No model logic and no decision rule: those stay readable in the notebooks.

IPython is imported only when a helper shows something, so the module imports without Jupyter.

Examples
--------
>>> from simulation import notebook_tools
>>> OUT = notebook_tools.repository_path("runs/notebooks/example")
>>> notebook_tools.show_figure(figure, OUT, "lists")  # out/figures/lists.png  # doctest: +SKIP
>>> notebook_tools.parameter_list("a.toml, b.toml")
['a.toml', 'b.toml']
>>> notebook_tools.ComparisonWords("da").change("housed_within_6_months_share", 0.047)
'+4,7 procentpoint'
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from functools import reduce
from pathlib import Path
from typing import Any, ClassVar, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from matplotlib.figure import Figure

from simulation.experiments.frontier import FRONTIER_LISTS, FRONTIER_SPEEDS
from simulation.experiments.measures import INDICATORS, t_interval
from simulation.experiments.robustness import RobustnessOutcome
from simulation.inputs.scenario import LoadedScenario
from simulation.planning import BAN_SUFFIXES, split_subgroup
from simulation.report.experiment_plots import (
    criteria_fan_figure,
    list_bands_figure,
    save_figure,
    share_axis,
)
from simulation.report.format import format_interval, format_level, indicator_kind
from simulation.report.i18n import LANGUAGES, Language, has_term, number, percent, signed, term
from simulation.report.palette import SERIES, line_styles
from simulation.report.palette import colours as palette_colours
from simulation.report.plots import CRITERIA
from simulation.report.robustness_section import danish_finding
from simulation.report.schema import (
    format_value,
    key_labels,
    named_content,
    parameters,
    settings_values,
)
from simulation.report.sensitivity_plots import output_name

__all__ = [
    "ComparisonWords",
    "EvaluationWords",
    "PlanWords",
    "check_comparison_parameters",
    "check_evaluation_parameters",
    "criteria_fan_figures",
    "difference_unit",
    "differences_figure",
    "error_bars",
    "headline_points_figure",
    "indicator_meaning",
    "list_bands_figure",
    "listed_by_value_figure",
    "main_effects_figure",
    "more_is_better",
    "parameter_list",
    "parameter_mapping",
    "publish_recommendation",
    "referral_group_of",
    "repository_path",
    "repository_root",
    "set_display_options",
    "show_figure",
    "show_synthetic_warning",
    "synthetic_note",
    "tornado_figure",
    "waits_by_group_figure",
]

NOTEBOOK_FOLDER = "notebooks"
"""The folder of the notebooks, where Jupyter starts their kernels."""


# --------------------------------------------------------------------------------------------------
# Paths and parameters


def repository_root(start: Path | None = None) -> Path:
    """The folder relative paths in a notebook's parameters are read from: the repository root.

    Jupyter runs a notebook in its own folder (``notebooks/``), papermill where it is started;
    both read relative paths from the repository root.

    Parameters
    ----------
    start
        The folder the kernel runs in (default: the current working directory).

    Returns
    -------
    Path
        The parent of ``start`` when ``start`` is the repository's ``notebooks/`` folder (a
        sibling ``scenarios/`` folder tells), else ``start`` itself.
    """
    here = Path.cwd() if start is None else start
    if here.name == NOTEBOOK_FOLDER and (here.parent / "scenarios").is_dir():
        return here.parent
    return here


def repository_path(path: str | Path) -> Path:
    """A path parameter: as given when absolute (``~`` expanded), else from the repository root.

    Examples
    --------
    >>> repository_path("/data/vejle.toml")
    PosixPath('/data/vejle.toml')
    """
    given = Path(str(path)).expanduser()
    return given if given.is_absolute() else repository_root() / given


def parameter_list(value: str | Sequence[Any]) -> list[Any]:
    """A list parameter, also as ``papermill -p`` passes it: text with a JSON list or commas.

    Examples
    --------
    >>> parameter_list('["a.toml", "b.toml"]'), parameter_list(["a.toml"])
    (['a.toml', 'b.toml'], ['a.toml'])
    """
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            return list(json.loads(text))
        return [part.strip() for part in text.split(",")]
    return list(value)


def parameter_mapping(value: str | Mapping[str, Any]) -> dict[str, Any]:
    """A dictionary parameter, also as ``papermill -p`` passes it: text with a JSON object.

    Examples
    --------
    >>> parameter_mapping('{"listed_final": 1.0}')
    {'listed_final': 1.0}
    """
    if isinstance(value, str):
        return dict(json.loads(value))
    return dict(value)


def _raise_problems(problems: Sequence[str]) -> None:
    if problems:
        raise ValueError("; ".join(problems))


def check_comparison_parameters(
    scenarios: Sequence[str | Path],
    replications: int,
    speed_measure: str,
    list_measure: str,
    language: str,
) -> None:
    """Check the parameters of the comparison notebook (``01_compare_agreements``).

    Raises
    ------
    ValueError
        Naming every parameter that is wrong: fewer than two scenarios or replications, a speed
        or list measure the decision rule does not know, a language without words.
    """
    problems = []
    if len(scenarios) < 2:
        problems.append(f"scenarios: give two or more scenario files, got {scenarios!r}")
    if replications < 2:
        problems.append(f"replications: paired 95 % intervals need at least 2, got {replications}")
    if speed_measure not in FRONTIER_SPEEDS:
        problems.append(
            f"speed_measure: expected one of {list(FRONTIER_SPEEDS)}, got {speed_measure!r}"
        )
    if list_measure not in FRONTIER_LISTS:
        problems.append(
            f"list_measure: expected one of {list(FRONTIER_LISTS)}, got {list_measure!r}"
        )
    if language not in LANGUAGES:
        problems.append(f"language: expected one of {list(LANGUAGES)}, got {language!r}")
    _raise_problems(problems)


def check_evaluation_parameters(
    uncertain: Mapping[str, Sequence[Any]],
    replications: int,
    headlines: Sequence[str],
    relevant_change: Mapping[str, float],
) -> None:
    """Check the parameters of the long-term evaluation notebook (``03_long_term_evaluation``).

    Raises
    ------
    ValueError
        Naming every parameter that is wrong: no swept key, a key with fewer than two distinct
        values, fewer than two replications, a headline that is not an indicator or has no
        relevant change.
    """
    problems = []
    if not uncertain:
        problems.append("uncertain: give at least one scenario key with its values")
    for key, values in uncertain.items():
        if len(values) < 2 or len(set(map(repr, values))) != len(values):
            problems.append(f"uncertain[{key!r}]: give two or more distinct values, got {values!r}")
    if replications < 2:
        problems.append(f"replications: 95 % intervals need at least 2, got {replications}")
    for headline in headlines:
        if headline not in INDICATORS:
            problems.append(f"headlines: {headline!r} is not one of {list(INDICATORS)}")
        if headline not in relevant_change:
            problems.append(f"relevant_change: give the change that would matter for {headline!r}")
    _raise_problems(problems)


# --------------------------------------------------------------------------------------------------
# Measures and referral groups, by name


def indicator_meaning(name: str) -> str:
    """What a run's indicator (a column of the indicators tables) measures, in words.

    Examples
    --------
    >>> indicator_meaning("wait_mean_months")
    'mean months waited (housed)'
    """
    return INDICATORS[name]


def more_is_better(speed_measure: str) -> bool:
    """Whether more of a speed measure is faster (a share housed) rather than slower (a wait).

    Examples
    --------
    >>> more_is_better("housed_within_6_months_share"), more_is_better("wait_mean_months")
    (True, False)
    """
    return FRONTIER_SPEEDS[speed_measure]


def referral_group_of(subgroup: str) -> tuple[str, bool]:
    """The referral group of a group of the referral plan, and whether it has a barred trait.

    The plan splits each referral group three ways by the § 59 bans: households barred from
    udsatte boligområder (stk. 6, ``<group>:barred_udsat``), households barred from
    forebyggelsesområder too (stk. 7, ``<group>:barred_prevention``), and the rest
    (``<group>``); either barred subgroup counts as barred here.

    Examples
    --------
    >>> referral_group_of("homeless:barred_udsat"), referral_group_of("refugees")
    (('homeless', True), ('refugees', False))
    """
    group, ban = split_subgroup(subgroup)
    return group, ban > 0


# --------------------------------------------------------------------------------------------------
# Showing: tables, figures, the synthetic-data warning


def set_display_options(precision: int = 3, language: Language = "en") -> None:
    """Show wide tables whole: 200 characters, 40 columns, ``precision`` decimals.

    In Danish (``language="da"``) numbers are shown with a decimal comma and a thousands dot.
    """
    if language not in LANGUAGES:
        raise ValueError(f"language: expected one of {list(LANGUAGES)}, got {language!r}")
    pd.set_option("display.width", 200)
    pd.set_option("display.max_columns", 40)
    pd.set_option("display.precision", precision)
    if language == "da":
        pd.set_option("display.float_format", lambda value: number(value, precision, "da"))
    else:
        pd.reset_option("display.float_format")


def _show_markdown(text: str) -> None:
    from IPython.display import Markdown, display

    display(Markdown(text))


def show_figure(figure: Figure, out: Path, name: str) -> None:
    """Save a figure as ``out/figures/<name>.png`` and show it (whatever matplotlib's backend)."""
    from IPython.display import Image, display

    target = save_figure(figure, out / "figures" / f"{name}.png")
    display(Image(filename=str(target)))


def criteria_fan_figures(
    area_criteria: pd.DataFrame,
    labels: Sequence[str],
    *,
    minimum_residents: int,
    language: Language = "en",
    names: Mapping[str, str] | None = None,
) -> dict[str, Figure]:
    """A fan chart per list criterion (criterion column: figure), for a comparison's scenarios.

    Parameters
    ----------
    area_criteria
        :attr:`simulation.experiments.compare.Comparison.area_criteria`.
    labels
        The scenarios, in the order to draw them.
    minimum_residents
        Areas with fewer residents are not assessed (the scenario's ``legal.minimum_residents``).
    language
        Language of titles, legends and tick labels (``"en"`` or ``"da"``).
    names
        The scenarios' names for the legend (default: the labels).
    """
    return {
        column: criteria_fan_figure(
            area_criteria,
            column,
            labels,
            minimum_residents=minimum_residents,
            language=language,
            names=names,
        )
        for column, *_ in CRITERIA
    }


def error_bars(
    centre: npt.ArrayLike,
    low: npt.ArrayLike,
    high: npt.ArrayLike,
    *,
    lowest: float | None = None,
    highest: float | None = None,
) -> npt.NDArray[np.float64]:
    """Interval ends as distances from the centre, as matplotlib's ``xerr``/``yerr`` want them.

    ``lowest`` and ``highest`` clip the ends to what is possible (a wait or a count is never
    below 0, a share never above 1), as an interval of few replications can reach past them.

    Returns
    -------
    numpy.ndarray
        Two rows (below, above) and a column per value; an unknown end (NaN) draws no bar.

    Examples
    --------
    >>> error_bars([2.0, 5.0], [1.0, float("nan")], [4.0, 6.0]).tolist()
    [[1.0, 0.0], [2.0, 1.0]]
    >>> error_bars([0.5], [-1.0], [2.0], lowest=0.0, highest=1.0).tolist()
    [[0.5], [0.5]]
    """
    middle = np.asarray(centre, dtype=np.float64)
    bottom = np.asarray(low, dtype=np.float64)
    top = np.asarray(high, dtype=np.float64)
    if lowest is not None:
        bottom = np.fmax(bottom, lowest)  # fmax: an unknown end stays unknown
    if highest is not None:
        top = np.fmin(top, highest)
    return np.nan_to_num(np.vstack([middle - bottom, top - middle]))


def possible_range(indicator: str) -> dict[str, float]:
    """What an indicator can be, for :func:`error_bars`: never below 0, a share never above 1.

    Every indicator of :data:`~simulation.experiments.measures.INDICATORS` is a count, a wait,
    an amount or a share.

    Examples
    --------
    >>> possible_range("wait_mean_months"), possible_range("housed_within_6_months_share")
    ({'lowest': 0.0}, {'lowest': 0.0, 'highest': 1.0})
    """
    if indicator_kind(indicator) == "share":
        return {"lowest": 0.0, "highest": 1.0}
    return {"lowest": 0.0}


def show_synthetic_warning(
    scenarios: Iterable[LoadedScenario],
    subject: Literal["results", "plan"] = "results",
    language: Language = "en",
) -> list[str]:
    """Show a warning above the results when a scenario describes a made-up municipality.

    Parameters
    ----------
    scenarios
        The scenarios the notebook runs.
    subject
        What the warning says illustrates the method: the ``"results"`` or the ``"plan"``.
    language
        The language of the warning (``"en"`` or ``"da"``).

    Returns
    -------
    list of str
        The names of the made-up municipalities (none when every scenario is real).
    """
    names = list(
        dict.fromkeys(
            loaded.scenario.municipality.name for loaded in scenarios if loaded.scenario.synthetic
        )
    )
    if names:
        _show_markdown(_SYNTHETIC_WARNING[language][subject].format(names=", ".join(names)))
    return names


_SYNTHETIC_WARNING: dict[Language, dict[str, str]] = {
    "en": {
        "results": (
            "**SYNTHETIC DATA.** {names} is a made-up municipality. The results illustrate the "
            "method and describe no real estate or person."
        ),
        "plan": (
            "**SYNTHETIC DATA.** {names} is a made-up municipality. The plan illustrates the "
            "method and describes no real estate or person."
        ),
    },
    "da": {
        "results": (
            "**SYNTETISKE DATA.** {names} er en opdigtet kommune. Resultaterne illustrerer "
            "metoden og beskriver ingen virkelig boligafdeling eller person."
        ),
        "plan": (
            "**SYNTETISKE DATA.** {names} er en opdigtet kommune. Planen illustrerer metoden og "
            "beskriver ingen virkelig boligafdeling eller person."
        ),
    },
}
"""The warning above the results of a made-up municipality, per language and subject."""


# --------------------------------------------------------------------------------------------------
# The recommendation

_SYNTHETIC_NOTE: dict[Language, str] = {
    "en": (
        "**Synthetic data:** {names} is a made-up municipality; this recommendation illustrates "
        "the method and says nothing about a real one."
    ),
    "da": (
        "**Syntetiske data:** {names} er en opdigtet kommune; anbefalingen illustrerer metoden "
        "og siger intet om en virkelig kommune."
    ),
}


def synthetic_note(names: Sequence[str], language: Language = "en") -> str:
    """The closing line of a recommendation drawn from made-up municipalities (``names``)."""
    return _SYNTHETIC_NOTE[language].format(names="; ".join(names))


def publish_recommendation(lines: Sequence[str], out: Path, facts: Mapping[str, Any]) -> str:
    """Show the recommendation and write it to ``out/recommendation.md`` and ``.json``.

    Parameters
    ----------
    lines
        Paragraphs and bullets (lines starting ``"- "``), in order: the paragraphs are set
        apart, the bullets of a list kept together.
    out
        The notebook's output folder.
    facts
        What the recommendation rests on and says, for ``recommendation.json``.

    Returns
    -------
    str
        The recommendation as Markdown.
    """
    text = "\n".join(line if line.startswith("- ") else f"\n{line}" for line in lines).strip()
    out.mkdir(parents=True, exist_ok=True)
    (out / "recommendation.md").write_text(text + "\n", encoding="utf-8")
    (out / "recommendation.json").write_text(json.dumps(facts, indent=2), encoding="utf-8")
    _show_markdown(text)
    return text


_COMPARISON_TEXT: dict[Language, dict[str, str]] = {
    "en": {
        "recommend": "**Recommendation: {agreement}** (scenario `{label}`).",
        "keep": "**Recommendation: keep the reference, {agreement}** (scenario `{label}`).",
        "rule": (
            "Why: of the agreements whose list risk ({list_name}) is not clearly higher than that "
            "of the safest one, {safest}, it houses referral households fastest ({speed_name})."
        ),
        "against": "Against the reference {reference}:",
        "alternatives": "The alternatives, against the reference {reference}:",
        "groups": "Median wait of each referral group ({label} against {reference}):",
        "tradeoff": (
            "The trade-off: {speed_name} improves by {gain}, at the cost of {cost} more "
            "{list_name}."
        ),
        "free": "No trade-off on these measures: it is faster and carries no more list risk.",
        "safer": "It is not faster than the reference; it is recommended for its lower list risk.",
        "price": (
            "The price of caution: {label}, the fastest agreement, would change {speed_name} by "
            "{gain} against the recommendation, but its list risk is clearly higher than the safest "
            "agreement's ({list_name} {difference} against {safest}, {interval}). It would be "
            "recommended if the extra list risk tolerated (`list_tolerance`) were at least "
            "{tolerance}."
        ),
        "fastest": (
            "The fastest alternative, {label}, would change {speed_name} by {gain} ({interval}), "
            "but it is {why}."
        ),
        "riskier": "clearly riskier than {safest} ({list_name} {difference}, {interval})",
        "dominated": "beaten on both counts by another agreement",
        "not_faster": "not faster than the reference",
        "acceptable": "acceptable",
        "not_acceptable": "clearly riskier than the safest",
        "interval": "95 % interval {low} to {high}",
        "clear": "clear",
        "unclear": "not distinguishable from no change",
        "uncertainty": (
            "Uncertainty: {replications} paired replications of {years} years (seed {seed}); a "
            "difference is *clear* when its 95 % interval excludes 0."
        ),
        "few": (
            "**Too few replications to decide on:** rerun with `replications` of 20 or more "
            "(now {replications}) before acting on this."
        ),
        "setup_line": (
            "{replications} paired replications × {years} years per scenario, seed {seed}, on "
            "{executor}; reference: {reference}"
        ),
        "waits_title": (
            "Median months from joining the referral queue to a home (housed households): mean "
            "over replications and 95 % interval"
        ),
        "waits_y": "median wait (months)",
        "differences_title": (
            "Scenario − {reference}: mean paired difference (point) and 95 % interval (bar)"
        ),
        "difference_axis": "difference ({unit})",
        "difference_column": "{name} − {reference} [95 % interval]",
        "headroom_heading": (
            "Distance to the 40 % line, final year (percentage points; negative: over the line)"
        ),
    },
    "da": {
        "recommend": "**Anbefaling: {agreement}** (scenarie `{label}`).",
        "keep": "**Anbefaling: behold referencen, {agreement}** (scenarie `{label}`).",
        "rule": (
            "Hvorfor: blandt de aftaler, hvis listerisiko ({list_name}) ikke er klart højere end "
            "den sikreste aftales, {safest}, boligplacerer de anviste husstande hurtigst "
            "({speed_name})."
        ),
        "against": "Sammenlignet med referencen {reference}:",
        "alternatives": "Alternativerne, sammenlignet med referencen {reference}:",
        "groups": "Median ventetid for hver målgruppe ({label} sammenlignet med {reference}):",
        "tradeoff": (
            "Afvejningen: {speed_name} forbedres med {gain}, mod {cost} mere {list_name}."
        ),
        "free": "Ingen afvejning på disse mål: den er hurtigere uden mere listerisiko.",
        "safer": "Den er ikke hurtigere end referencen; den anbefales for sin lavere listerisiko.",
        "price": (
            "Prisen for forsigtighed: {label}, den hurtigste aftale, ville ændre {speed_name} med "
            "{gain} i forhold til anbefalingen, men dens listerisiko er klart højere end den "
            "sikreste aftales ({list_name} {difference} i forhold til {safest}, {interval}). Den "
            "ville blive anbefalet, hvis den tålte ekstra listerisiko (`list_tolerance`) var "
            "mindst {tolerance}."
        ),
        "fastest": (
            "Det hurtigste alternativ, {label}, ville ændre {speed_name} med {gain} ({interval}), "
            "men det er {why}."
        ),
        "riskier": "klart mere risikabelt end {safest} ({list_name} {difference}, {interval})",
        "dominated": "slået på begge mål af en anden aftale",
        "not_faster": "ikke hurtigere end referencen",
        "acceptable": "acceptabel",
        "not_acceptable": "klart mere risikabel end den sikreste",
        "interval": "95 %-interval {low} til {high}",
        "clear": "statistisk sikker",
        "unclear": "kan ikke skelnes fra ingen ændring",
        "uncertainty": (
            "Usikkerhed: {replications} parrede gentagelser à {years} år (startværdi {seed}); en "
            "forskel er *statistisk sikker*, når dens 95 %-interval udelukker 0."
        ),
        "few": (
            "**For få gentagelser til at træffe beslutning:** kør igen med `replications` på "
            "20 eller flere (nu {replications}), før der handles på dette."
        ),
        "setup_line": (
            "{replications} parrede gentagelser × {years} år pr. scenarie, startværdi {seed}, "
            "kørt med {executor}; reference: {reference}"
        ),
        "waits_title": (
            "Median antal måneder fra optagelse i anvisningskøen til en bolig (boligplacerede "
            "husstande): middel over gentagelserne og 95 %-interval"
        ),
        "waits_y": "median ventetid (måneder)",
        "differences_title": (
            "Scenarie − {reference}: middel af de parrede forskelle (punkt) og 95 %-interval "
            "(streg)"
        ),
        "difference_axis": "forskel ({unit})",
        "difference_column": "{name} − {reference} [95 %-interval]",
        "headroom_heading": (
            "Afstand til 40 %-grænsen, sidste år (procentpoint; negativ: over grænsen)"
        ),
    },
}
"""The sentences of the comparison notebook's recommendation (``str.format`` templates)."""

_MONTHS: dict[Language, str] = {"en": " months", "da": " måneder"}
_NO_UNIT: dict[Language, str] = {"en": "", "da": ""}

_MEASURE_FORMATS: dict[
    str, tuple[dict[Language, str], float, int, dict[Language, str], dict[Language, str]]
] = {
    "housed_within_6_months_share": (
        {"en": "share housed within 6 months", "da": "andel boligplaceret inden for 6 måneder"},
        100,
        1,
        {"en": " %", "da": " %"},
        {"en": " pp", "da": " procentpoint"},
    ),
    "wait_median_months": (
        {"en": "median wait", "da": "median ventetid"},
        1,
        1,
        _MONTHS,
        _MONTHS,
    ),
    "wait_mean_months": (
        {"en": "mean wait", "da": "gennemsnitlig ventetid"},
        1,
        1,
        _MONTHS,
        _MONTHS,
    ),
    "wait_p90_months": (
        {"en": "90th percentile of the wait", "da": "90 %-fraktil af ventetiden"},
        1,
        1,
        _MONTHS,
        _MONTHS,
    ),
    "listed_area_years": (
        {
            "en": "area-years on the udsat or forebyggelse list",
            "da": "områdeår på udsat- eller forebyggelseslisten",
        },
        1,
        1,
        _NO_UNIT,
        _NO_UNIT,
    ),
    "listed_final": (
        {
            "en": "areas on the udsat or forebyggelse list in the final year",
            "da": "områder på udsat- eller forebyggelseslisten det sidste år",
        },
        1,
        1,
        _NO_UNIT,
        _NO_UNIT,
    ),
}
"""Per measure of the decision rule: (name, scale, decimals, unit of a level, unit of a change)."""


_HEADINGS: dict[str, tuple[str, str]] = {
    # the profile and the referral plan (02_referral_plan)
    "area": ("Boligområde", "Area"),
    "name": ("Navn", "Name"),
    "departments": ("Afdelinger", "Departments"),
    "residents": ("Beboere", "Residents"),
    "criteria_met": ("Kriterier opfyldt", "Criteria met"),
    "lists": ("Lister", "Lists"),
    "group": ("Målgruppe", "Referral group"),
    "arrivals_per_year": ("Nye sager pr. år", "New cases per year"),
    "barred_share": ("Andel omfattet af anvisningsforbud", "Share barred (§ 59 stk. 6–7)"),
    "fitting_capacity_per_year": (
        "Passende anvisningsret pr. år",
        "Fitting referral capacity per year",
    ),
    "fitting_capacity_outside_lists_per_year": (
        "Passende anvisningsret uden for listeområder pr. år",
        "Fitting referral capacity outside listed areas per year",
    ),
    "demand": ("Husstande at anvise", "Households to place"),
    "referrals": ("Anvist", "Placed"),
    "shortfall": ("Ikke anvist", "Unplaced"),
    "departments_compatible": ("Afdelinger, der passer", "Departments that fit"),
    "shortfall_per_demand": (
        "Flere ikke anvist pr. ekstra husstand (skyggepris)",
        "Extra unplaced per extra household (shadow price)",
    ),
    "department": ("Afdeling", "Department"),
    "status": ("Listestatus", "List status"),
    "total": ("I alt", "Total"),
    "vacancies": ("Ledige boliger", "Vacancies"),
    "slots": ("Anvisningsret", "Referral slots"),
    "load": ("Belastning", "Load"),
    "headroom": ("Råderum", "Headroom"),
    "headroom_left": ("Råderum tilbage", "Headroom left"),
    "above_ceiling": ("Over loftet", "Above the ceiling"),
    "binding": ("Bindende grænser", "Binding limits"),
    "slot_value_households": (
        "Værdi af én anvisningsret mere (husstande)",
        "Value of one more slot (households)",
    ),
    "headroom_value_households": (
        "Værdi af én person mere i råderummet (husstande)",
        "Value of one more person of headroom (households)",
    ),
    "slot_value_max_load": (
        "Værdi af én anvisningsret mere (højeste belastning, procentpoint)",
        "Value of one more slot (maximum load, percentage points)",
    ),
    "headroom_value_max_load": (
        "Værdi af én person mere i råderummet (højeste belastning, procentpoint)",
        "Value of one more person of headroom (maximum load, percentage points)",
    ),
    "pool": ("Pulje", "Pool"),
    "capacity": ("Passende boliger", "Fitting dwellings"),
    "value_households": (
        "Værdi af én passende bolig mere (husstande)",
        "Value of one more fitting dwelling (households)",
    ),
    "value_max_load": (
        "Værdi af én passende bolig mere (højeste belastning, procentpoint)",
        "Value of one more fitting dwelling (maximum load, percentage points)",
    ),
    "lever": ("Greb", "Lever"),
    "households_per_unit": ("Husstande pr. enhed", "Households per unit"),
    "fragile": ("Skrøbelig afdeling", "Fragile estate"),
    # the comparison of agreements (01_compare_agreements)
    "scenario": ("Scenarie", "Scenario"),
    "file": ("Scenariefil", "Scenario file"),
    "agreement": ("Aftale", "Agreement"),
    "synthetic": ("Syntetiske data", "Synthetic data"),
    "indicator": ("Nøgletal", "Indicator"),
    "meaning": ("Hvad det måler", "What it measures"),
    "area_name": ("Boligområde", "Area"),
    "measure": ("Mål", "Measure"),
    "median_wait_months": ("Median ventetid (måneder)", "Median wait (months)"),
    "mean_wait_months": ("Gennemsnitlig ventetid (måneder)", "Mean wait (months)"),
    "still_waiting": (
        "Venter stadig ved slut (husstande)",
        "Still waiting at the end (households)",
    ),
    "pairs": ("Parrede gentagelser", "Paired replications"),
    "reference_mean": ("Referencen, middel", "Reference, mean"),
    "scenario_mean": ("Scenariet, middel", "Scenario, mean"),
    "difference": ("Forskel [95 %-interval]", "Difference [95 % interval]"),
    "clear": ("Statistisk sikker (intervallet udelukker 0)", "Clear (the interval excludes 0)"),
    "risk_vs_safest": (
        "Listerisiko mod den sikreste aftale [95 %-interval]",
        "List risk against the safest agreement [95 % interval]",
    ),
    "acceptable": ("Acceptabel", "Acceptable"),
    "pareto": ("Ikke slået på begge mål", "Not beaten on both counts"),
    "recommended": ("Anbefalet", "Recommended"),
    # the long-term evaluation (03_long_term_evaluation)
    "point": ("Punkt", "Point"),
    "replications": ("Gentagelser", "Replications"),
    "key": ("Parameter", "Parameter"),
    "kind": ("Slags", "Kind"),
    "scenario_value": ("Scenariets værdi", "Scenario value"),
    "values_swept": ("Undersøgte værdier", "Values swept"),
    "headline": ("Resultat", "Headline"),
    "first_value": ("Første værdi", "First value"),
    "last_value": ("Sidste værdi", "Last value"),
    "mean_at_first": ("Gennemsnit ved første værdi", "Mean at the first value"),
    "mean_at_last": ("Gennemsnit ved sidste værdi", "Mean at the last value"),
    "swing": ("Udsving", "Swing"),
    "output": ("Resultat", "Output"),
    "parameter": ("Parameter", "Parameter"),
    "index": ("Indeks", "Index"),
    "value": ("Værdi", "Value"),
    "conf": ("95 %-konfidens (±)", "95 % confidence (±)"),
    "lower": ("Nedre grænse", "Lower limit"),
    "upper": ("Øvre grænse", "Upper limit"),
}
"""Column headings of the notebooks' tables: (Danish, English)."""

_INTERVAL_ENDS: dict[str, tuple[str, str]] = {
    "_low_95": ("nedre 95 %", "low 95 %"),
    "_high_95": ("øvre 95 %", "high 95 %"),
}
"""The ends of a 95 % interval, after the heading of what it is an interval of."""

_VALUES: dict[str, tuple[str, str]] = {
    "not listed": ("ikke på en liste", "not listed"),
    "udsat": ("udsat boligområde", "udsat area"),
    "forebyggelsesomraade": ("forebyggelsesområde", "forebyggelse area"),
    "referral slot": ("anvisningsret", "referral slot"),
    "person of headroom": ("person i råderummet", "person of headroom"),
    "fitting dwelling": ("passende bolig", "fitting dwelling"),
    "slots": ("anvisningsret", "slots"),
    "headroom": ("råderum", "headroom"),
    "fits": ("passende boliger", "fitting dwellings"),
    "max_load": ("højeste belastning", "maximum load"),
    "agreement lever": ("aftalens greb", "agreement lever"),
    "uncertain": ("usikker", "uncertain"),
    "mu_star": ("μ*", "μ*"),
    "sigma": ("σ", "σ"),
    "mu": ("μ", "μ"),
}
"""Values the notebooks' tables show in words: (Danish, English)."""


class NotebookWords:
    """A notebook's sentence templates (``words[key]``) and number formats, in one language.

    Subclasses give :attr:`TEXTS` (language → key → template) and their own ways of writing
    numbers; an unknown language is refused with the languages there are. :meth:`table` shows a
    table with its headings and values in words of the language.

    Examples
    --------
    >>> words = PlanWords("da")
    >>> frame = pd.DataFrame({"department": ["D1"], "status": ["not listed"], "fragile": [True]})
    >>> shown = words.table(frame.set_index("department"), {"D1": "Nordparken"})
    >>> list(shown.columns), shown.index.name, shown.to_numpy().tolist()
    (['Listestatus', 'Skrøbelig afdeling'], 'Afdeling', [['ikke på en liste', 'ja']])
    """

    TEXTS: ClassVar[Mapping[Language, Mapping[str, str]]] = {}

    def __init__(self, language: Language) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"language: expected one of {list(LANGUAGES)}, got {language!r}")
        self.language: Language = language
        self.text = self.TEXTS[language]

    def __getitem__(self, key: str) -> str:
        """The sentence template ``key``."""
        return self.text[key]

    def number(self, value: float, decimals: int = 2) -> str:
        """A number in the language's format (decimal comma in Danish)."""
        return number(float(value), decimals, self.language)

    def referral_group_names(self, loaded: LoadedScenario) -> dict[str, str]:
        """The scenario's referral groups by name (in Danish its ``[danish]`` names, if given)."""
        groups = named_content(loaded, self.language)["referral_groups"]
        return {str(group): str(fields["name"]) for group, fields in groups.items()}

    def _pick(self, words: tuple[str, str]) -> str:
        return words[0] if self.language == "da" else words[1]

    def heading(self, column: Hashable, names: Mapping[Hashable, str] | None = None) -> str:
        """A table's column heading in words: ``shortfall`` → ``Ikke anvist`` in Danish.

        ``names`` (ids by their names: groups, departments, scenario keys …) come first; an
        indicator has the report's name; ``<x>_low_95``/``_high_95`` are the ends of ``x``'s
        interval. Anything else keeps its label.
        """
        if names and column in names:
            return names[column]
        text = str(column)
        for suffix, end in _INTERVAL_ENDS.items():
            if text.endswith(suffix):
                return f"{self.heading(text.removesuffix(suffix), names)}, {self._pick(end)}"
        if text in _HEADINGS:
            return self._pick(_HEADINGS[text])
        if has_term(f"indicator:{text}"):
            return term(f"indicator:{text}", self.language)
        return text

    def value_word(self, value: Any, names: Mapping[Hashable, str] | None = None) -> Any:
        """A value of a table in words: ids by ``names``, list statuses, levers, yes/no."""
        if isinstance(value, bool | np.bool_):
            return term("yes" if value else "no", self.language)
        if not isinstance(value, str):
            return value
        if names and value in names:
            return names[value]
        if value in _VALUES:
            return self._pick(_VALUES[value])
        if ", " in value and all(part in _VALUES for part in value.split(", ")):
            return ", ".join(self._pick(_VALUES[part]) for part in value.split(", "))
        return value

    def table(
        self, frame: pd.DataFrame, names: Mapping[Hashable, str] | None = None
    ) -> pd.DataFrame:
        """``frame`` as a notebook shows it: headings, index names and values in words.

        Parameters
        ----------
        frame
            A table of the notebook (its keys as columns; left unchanged).
        names
            Ids by name (departments, referral groups, scenario keys, design points): in the
            index, in columns of ids and as column labels (a pivot's groups).

        Returns
        -------
        pandas.DataFrame
            A copy for display; write the original to CSV (its columns are the keys).
        """
        shown = frame.copy()
        for column in shown.columns:
            if shown[column].dtype == bool or not pd.api.types.is_numeric_dtype(shown[column]):
                shown[column] = [self.value_word(value, names) for value in shown[column]]
            elif _is_share(column, shown[column]):
                shown[column] = [
                    "" if pd.isna(value) else percent(float(value), 1, self.language)
                    for value in shown[column]
                ]
        shown.index = _index_in_words(shown.index, lambda value: self.value_word(value, names))
        shown.index.names = [
            None if level is None else self.heading(level) for level in shown.index.names
        ]
        shown.columns = _index_in_words(shown.columns, lambda label: self.heading(label, names))
        shown.columns.names = [
            None if level is None else self.heading(level) for level in shown.columns.names
        ]
        return shown


SHARE_COLUMNS = frozenset({"load", "max_load"})
"""Columns that hold a share 0–1 without saying so in their key (which else ends in ``_share``)."""


def _is_share(column: Hashable, values: pd.Series) -> bool:
    """Whether a numeric column is a share 0–1, shown in per cent (``0.69`` → ``69,0 %``)."""
    if not (str(column).endswith("_share") or column in SHARE_COLUMNS):
        return False
    finite = values.dropna().to_numpy(np.float64)
    return bool(((finite >= 0.0) & (finite <= 1.0)).all())


def _index_in_words(index: pd.Index, word: Callable[[Any], Any]) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        return pd.MultiIndex.from_tuples(
            [tuple(word(part) for part in entry) for entry in index], names=index.names
        )
    if pd.api.types.is_numeric_dtype(index) and index.dtype != bool:
        return index
    return pd.Index([word(value) for value in index], name=index.name)


class ComparisonWords(NotebookWords):
    """The sentences and number formats of the comparison notebook's recommendation.

    ``words[key]`` is a sentence template (:meth:`str.format`); the methods write the decision
    rule's measures (its speed and list measures) as levels, changes and 95 % intervals.

    Parameters
    ----------
    language
        ``"en"`` or ``"da"`` (Danish words, decimal comma).

    Examples
    --------
    >>> words = ComparisonWords("en")
    >>> words.change("wait_mean_months", -0.74), words.level("housed_within_6_months_share", 0.95)
    ('-0.7 months', '95.0 %')
    >>> words["few"].format(replications=2)[:36]
    '**Too few replications to decide on:'
    """

    TEXTS = _COMPARISON_TEXT

    def name(self, indicator: str) -> str:
        """The measure's name in words."""
        return _MEASURE_FORMATS[indicator][0][self.language]

    def level(self, indicator: str, value: float) -> str:
        """A level of the measure with its unit (a share in per cent)."""
        _, scale, decimals, unit, _ = _MEASURE_FORMATS[indicator]
        return number(scale * value, decimals, self.language) + unit[self.language]

    def change(self, indicator: str, value: float, unit: bool = True) -> str:
        """A change of the measure, signed, with its unit (percentage points for a share)."""
        _, scale, decimals, _, change_unit = _MEASURE_FORMATS[indicator]
        sign = "+" if scale * value > 0 else ""
        text = sign + number(scale * value, decimals, self.language)
        return text + (change_unit[self.language] if unit else "")

    def interval(self, indicator: str, row: pd.Series, verdict: bool = True) -> str:
        """The 95 % interval of a paired difference (a row of ``paired_differences``).

        With ``verdict``, followed by whether the difference is clear (its interval excludes 0).
        """
        low = self.change(indicator, row["difference_low_95"], unit=False)
        high = self.change(indicator, row["difference_high_95"])
        text = self["interval"].format(low=low, high=high)
        if not verdict:
            return text
        return text + "; " + (self["clear"] if row["clear"] else self["unclear"])

    def evidence(self, indicator: str, row: pd.Series, name: str | None = None) -> str:
        """``name: a → b, difference (95 % interval low to high; clear)`` for a paired difference.

        Parameters
        ----------
        indicator
            The measure.
        row
            Its paired difference: ``reference_mean``, ``scenario_mean``, ``difference_mean``,
            the interval and ``clear``.
        name
            What is measured (default: the measure's name).
        """
        return (
            f"{self.name(indicator) if name is None else name}: "
            f"{self.level(indicator, row['reference_mean'])} → "
            f"{self.level(indicator, row['scenario_mean'])}, "
            f"{self.change(indicator, row['difference_mean'])} ({self.interval(indicator, row)})"
        )

    # the tables and figures of the comparison, in words of the language

    def scenario_names(
        self, loaded: Sequence[LoadedScenario], labels: Sequence[str]
    ) -> dict[str, str]:
        """Each scenario (by its label) named by its agreement, in the language.

        In Danish the agreement's ``[danish]`` name where the scenario gives one, as the report
        names it; scenarios whose agreements share a name are named by the scenario's name, and
        by their labels if those are the same too.

        Examples
        --------
        >>> from simulation.inputs.scenario import load_scenario
        >>> loaded = [load_scenario("scenarios/eksempelby.toml")]  # doctest: +SKIP
        >>> ComparisonWords("da").scenario_names(loaded, ["eksempelby"])  # doctest: +SKIP
        {'eksempelby': 'Lovens standard (1 ud af 4)'}
        """
        danish = self.language == "da"

        def agreement(item: LoadedScenario) -> str:
            return (danish and item.scenario.danish.agreement) or item.scenario.agreement.name

        def scenario(item: LoadedScenario) -> str:
            return (danish and item.scenario.danish.name) or item.scenario.name

        named = {label: agreement(item) for label, item in zip(labels, loaded, strict=True)}
        for name_of in (scenario, lambda _: ""):
            shared = [name for name in named.values() if list(named.values()).count(name) > 1]
            for label, item in zip(labels, loaded, strict=True):
                if named[label] in shared:
                    named[label] = name_of(item) or f"{named[label]} ({label})"
        return named

    def quantity(self, indicator: str, value: float) -> str:
        """A level of an indicator, rounded to what it means: shares in per cent."""
        return format_level(value, indicator_kind(indicator), self.language)

    def difference(self, indicator: str, mean: float, low: float, high: float) -> str:
        """A signed paired difference with its 95 % interval; shares in percentage points."""
        kind = indicator_kind(indicator)
        scale = 100.0 if kind == "share" else 1.0
        decimals = 0 if kind == "lettings" else 1
        unit = _POINTS[self.language] if kind == "share" else ""
        shown = signed(scale * mean, decimals, self.language) + unit
        interval = format_interval(low, high, kind, self.language, sign=True)
        return f"{shown} {interval}" if interval else shown

    def overview_table(
        self, loaded: Sequence[LoadedScenario], labels: Sequence[str], names: Mapping[str, str]
    ) -> pd.DataFrame:
        """The scenarios' agreements side by side, their settings named as the report names them.

        One row per scenario (by its agreement's name): the scenario file, the agreement's
        referral and flexible shares, combined letting, tiers, placement policy and whether its
        data is synthetic, in words (shares in per cent, yes/no).
        """
        rows = []
        for label, item in zip(labels, loaded, strict=True):
            content = named_content(item, self.language)
            if self.language == "da" and item.scenario.danish.tiers:
                for tier in content["agreement"].get("tiers") or []:
                    tier["name"] = item.scenario.danish.tiers.get(tier["name"], tier["name"])
            fields = {parameter.path: parameter for parameter, _ in parameters(content)}
            labels_of = key_labels(list(_OVERVIEW_KEYS), self.language, content)
            row = {self.heading("scenario"): names[label], self.heading("file"): item.source.name}
            for key in _OVERVIEW_KEYS:
                value: Any = reduce(lambda part, name: part[name], key.split("."), content)
                if key == "agreement.tiers":
                    row[labels_of[key]] = ", ".join(tier["name"] for tier in value or []) or "–"
                else:
                    field = fields[key]
                    row[labels_of[key]] = format_value(
                        value, field.unit, self.language, schema_path=field.schema_path
                    )
            rows.append(row)
        return pd.DataFrame(rows).set_index(self.heading("scenario"))

    def headline_table(
        self, headline: pd.DataFrame, labels: Sequence[str], names: Mapping[str, str]
    ) -> pd.DataFrame:
        """The comparison's headline (:meth:`Comparison.headline`) as the notebook shows it.

        One row per indicator (by the report's name): each scenario's mean, then each
        alternative's paired difference from the reference (the first label) with its 95 %
        interval; shares in per cent and percentage points, counts to one decimal.
        """
        reference = labels[0]
        table = headline.set_index("indicator")
        shown = pd.DataFrame(index=pd.Index([self.heading(i) for i in table.index]))
        shown.index.name = self.heading("indicator")
        if self.language == "en":
            shown[self.heading("meaning")] = [indicator_meaning(i) for i in table.index]
        for label in labels:
            shown[names[label]] = [
                self.quantity(str(indicator), value) for indicator, value in table[label].items()
            ]
        for label in labels[1:]:
            prefix = f"{label}_minus_{reference}"
            heading = self["difference_column"].format(
                name=names[label], reference=names[reference]
            )
            ends = [f"{prefix}_{end}" for end in ("difference", "low_95", "high_95")]
            shown[heading] = [
                self.difference(indicator, *table.loc[indicator, ends]) for indicator in table.index
            ]
        return shown

    def differences_table(
        self,
        differences: pd.DataFrame,
        names: Mapping[str, str],
        by: str = "indicator",
        measure: str | None = None,
    ) -> pd.DataFrame:
        """Paired differences from the reference (:func:`paired_differences`) in words.

        Parameters
        ----------
        differences
            ``scenario``, ``by``, ``pairs``, ``reference_mean``, ``scenario_mean``,
            ``difference_mean``, its 95 % interval and ``clear``.
        names
            Scenarios (in the order to show them) and referral groups by name.
        by
            The column of what differs: ``indicator``, or ``group`` for the waits per group.
        measure
            The indicator every row measures (``by="group"``), else each row's ``indicator``.

        Returns
        -------
        pandas.DataFrame
            Indexed by scenario and indicator (or group) in words: the reference's and the
            scenario's means, the difference with its interval, whether it is clear (yes/no).
        """
        order = {label: position for position, label in enumerate(names)}
        records = sorted(
            differences.to_dict("records"), key=lambda row: order.get(row["scenario"], len(order))
        )
        rows = []
        for row in records:
            indicator = measure or str(row["indicator"])
            what = row[by]
            rows.append(
                {
                    "scenario": names.get(row["scenario"], row["scenario"]),
                    by: names.get(what, self.heading(what)),
                    "pairs": int(row["pairs"]),
                    "reference_mean": self.quantity(indicator, row["reference_mean"]),
                    "scenario_mean": self.quantity(indicator, row["scenario_mean"]),
                    "difference": self.difference(
                        indicator, *(row[f"difference_{end}"] for end in _ENDS)
                    ),
                    "clear": bool(row["clear"]),
                }
            )
        return self.table(pd.DataFrame(rows).set_index(["scenario", by]))

    def waits_table(
        self, per_group: pd.DataFrame, labels: Sequence[str], names: Mapping[str, str]
    ) -> pd.DataFrame:
        """Mean over replications of each group's waits and households left waiting, in words.

        ``per_group``: one row per scenario × replication × group with ``median_wait_months``,
        ``mean_wait_months`` and ``still_waiting``. Months and households to one decimal.
        """
        columns = ["median_wait_months", "mean_wait_months", "still_waiting"]
        means = per_group.groupby(["group", "scenario"])[columns].mean()
        summary = pd.DataFrame(means.unstack("scenario"))
        summary = summary.reindex(columns=pd.Index(list(labels)), level="scenario")
        groups = [group for group in dict.fromkeys(per_group["group"]) if group in summary.index]
        summary = summary.loc[groups].map(lambda value: self.number(value, 1))
        summary.columns.names = ["measure", "scenario"]
        return self.table(summary, _by_id(names))

    def headroom_table(
        self, headroom: pd.DataFrame, labels: Sequence[str], names: Mapping[str, str], rows: int
    ) -> pd.DataFrame:
        """Each area's mean distance to the 40 % line for adults outside work or education.

        ``headroom``: the comparison's ``criteria_headroom``. The ``rows`` areas closest to the
        line under the reference (the first label); percentage points to one decimal, negative
        over the line.
        """
        outside = headroom[headroom["criterion"] == "outside_work_education_share"]
        closest = outside.pivot(index="area_name", columns="scenario", values="headroom_mean")
        closest = closest[list(labels)].sort_values(labels[0]).head(rows)
        shown = (100 * closest).map(lambda value: self.number(value, 1))
        shown.columns.name = None
        shown = self.table(shown, _by_id(names))
        shown.columns = pd.MultiIndex.from_product([[self["headroom_heading"]], shown.columns])
        return shown

    def decision_table(
        self,
        decision: pd.DataFrame,
        speed_measure: str,
        list_measure: str,
        names: Mapping[str, str],
    ) -> pd.DataFrame:
        """The decision rule's table in words: speed, list risk, risk against the safest, verdicts.

        ``decision``: indexed by scenario, with the two measures, ``risk_vs_safest_mean``,
        ``_low_95`` and ``_high_95``, and ``acceptable``, ``pareto`` and ``recommended``.
        """
        shown = pd.DataFrame(index=pd.Index(list(decision.index), name="scenario"))
        for measure in dict.fromkeys([speed_measure, list_measure]):
            shown[measure] = [self.quantity(measure, value) for value in decision[measure]]
        shown["risk_vs_safest"] = [
            self.difference(list_measure, *row)
            for row in decision[[f"risk_vs_safest_{end}" for end in _ENDS]].to_numpy(float)
        ]
        for column in ("acceptable", "pareto", "recommended"):
            shown[column] = decision[column].astype(bool).to_numpy()
        return self.table(shown, _by_id(names))


def _by_id(names: Mapping[str, str]) -> dict[Hashable, str]:
    """Names by id, typed as :meth:`NotebookWords.table` takes them."""
    return {key: name for key, name in names.items()}


_POINTS: dict[Language, str] = {"en": " pp", "da": " procentpoint"}
"""The unit of a difference of shares."""

_ENDS = ("mean", "low_95", "high_95")
"""A paired difference and the ends of its 95 % interval (column suffixes)."""

_OVERVIEW_KEYS = (
    "agreement.default_referral_share",
    "agreement.flexible_letting_share",
    "agreement.combined_letting",
    "agreement.tiers",
    "agreement.placement_policy",
    "synthetic",
)
"""The settings the comparison notebook's overview shows per scenario."""


# --------------------------------------------------------------------------------------------------
# The referral plan notebook's words (02_referral_plan), English and Danish

_PLAN_TEXT: dict[Language, dict[str, str]] = {
    "en": {
        "lead": (
            "**Referral plan for {months} months under *{agreement}*** ({municipality}): {placed} "
            "of {demand} households placed ({share} %), **{unplaced} unplaced**; no department "
            "gives more than {max_load} % of its vacancies to referrals."
        ),
        "barred": "{name} with a barred trait (§ 59 stk. 6/7: not to listed areas)",
        "more": " and {count} more",
        "fitting": (
            "the dwellings that fit them ({rooms}+ rooms, rent at most {rent} kr a month) are "
            "all claimed in {count}"
        ),
        "headroom": (
            "the composition headroom is used up in {count} ({above} of them already at or above "
            "the ceiling)"
        ),
        "slots": "the referral slots are full in {count}",
        "compatible": "of the {count} departments that may take them, ",
        "incompatible": "no department both fits them and has a referral slot",
        "excluded": "; {count} more are excluded: {reason}",
        "all_placed": "Every referral group is placed in full: no lever is needed this period.",
        "short_title": "**Who falls short, and why:**",
        "short_group": "- {group} (`{key}`): {shortfall} of {demand} households unplaced; {why}.",
        "placed_in_full": "Placed in full: {groups}.",
        "nowhere": (
            "**Where extra capacity would help:** nowhere. No extra slot, person of headroom or "
            "fitting dwelling would house anyone more: the shortfall comes from the exclusions "
            "above (rent, rooms, bans). Widen what the groups may be offered (cheaper dwellings, "
            "a higher rent limit) instead."
        ),
        "levers_title": (
            "**Where extra capacity would house the most households** (shadow prices, at most "
            "per unit):"
        ),
        "for_group": " for `{group}`",
        "lever_line": (
            "- {what}: up to {value} more households housed, in any of {count} departments "
            "outside listed areas and below their ceiling: {departments}."
        ),
        "first": (
            "Recommended first: {what} in {department} {name} (up to {value} more households "
            "per unit), where it does not strain a fragile estate."
        ),
        "fragile": (
            "More capacity in {count} departments at or above their ceiling or in listed areas "
            "would also house up to {value} more households per unit ({departments}), but only "
            "by accepting a worse mix where the law already worries: not recommended."
        ),
        "max_load_one": "{count} department carries the maximum load of {max_load} %: {departments}.",
        "max_load_many": (
            "{count} departments carry the maximum load of {max_load} %: {departments}."
        ),
        "prices": (
            "Shadow prices are upper bounds for one whole unit (exact for small changes"
            "{relaxation}); the plan is for the state of the department data at the start of the "
            "scenario."
        ),
        "relaxation": "; from the LP relaxation of this integer plan",
        "lever:referral slot": "one more referral slot",
        "lever:person of headroom": "one more person of headroom",
        "lever:fitting dwelling": "one more fitting dwelling",
        "barred:1": "{name}, barred from udsatte boligområder (§ 59 stk. 6)",
        "barred:2": (
            "{name}, barred from udsatte boligområder and forebyggelsesområder (§ 59 stk. 6–7)"
        ),
        "scenario_line": "{scenario}: agreement {agreement}; plan for {months} months",
        "plan_line": (
            "{placed} of {demand} households placed, {unplaced} unplaced; maximum load {max_load} % "
            "of a department's vacancies; {kind} solved with {solver} in {seconds} s"
        ),
        "kind:integer": "integer plan (MILP)",
        "kind:lp": "LP plan",
    },
    "da": {
        "lead": (
            "**Anvisningsplan for {months} måneder under *{agreement}*** ({municipality}): "
            "{placed} af {demand} husstande anvist ({share} %), **{unplaced} ikke anvist**; ingen "
            "afdeling giver mere end {max_load} % af sine ledige boliger til anvisning."
        ),
        "barred": "{name} omfattet af anvisningsforbud (§ 59, stk. 6–7: ikke til listeområder)",
        "more": " og {count} flere",
        "fitting": (
            "de boliger, der passer til dem ({rooms}+ værelser, husleje højst {rent} kr. om "
            "måneden), er alle brugt i {count}"
        ),
        "headroom": (
            "råderummet for beboersammensætningen er brugt op i {count} ({above} af dem er "
            "allerede på eller over loftet)"
        ),
        "slots": "anvisningsretten er brugt op i {count}",
        "compatible": "af de {count} afdelinger, der må tage dem, ",
        "incompatible": "ingen afdeling både passer til dem og har anvisningsret tilbage",
        "excluded": "; {count} flere er udelukket: {reason}",
        "all_placed": (
            "Alle målgrupper bliver anvist fuldt ud: der er ikke brug for flere muligheder i "
            "denne periode."
        ),
        "short_title": "**Hvem mangler bolig, og hvorfor:**",
        "short_group": "- {group} (`{key}`): {shortfall} af {demand} husstande ikke anvist; {why}.",
        "placed_in_full": "Anvist fuldt ud: {groups}.",
        "nowhere": (
            "**Hvor mere kapacitet ville hjælpe:** ingen steder. Hverken mere anvisningsret, mere "
            "råderum eller flere passende boliger ville give nogen bolig: manglen skyldes "
            "udelukkelserne ovenfor (husleje, værelser, anvisningsforbud). Udvid i stedet, hvad "
            "målgrupperne kan tilbydes (billigere boliger, en højere huslejegrænse)."
        ),
        "levers_title": (
            "**Hvor mere kapacitet ville give flest husstande bolig** (skyggepriser, højst pr. "
            "enhed):"
        ),
        "for_group": " til `{group}`",
        "lever_line": (
            "- {what}: op til {value} husstande mere anvist, i en hvilken som helst af {count} "
            "afdelinger uden for listeområder og under deres loft: {departments}."
        ),
        "first": (
            "Anbefales først: {what} i {department} {name} (op til {value} husstande mere pr. "
            "enhed), hvor det ikke belaster en skrøbelig afdeling."
        ),
        "fragile": (
            "Mere kapacitet i {count} afdelinger på eller over deres loft eller i listeområder "
            "ville også give op til {value} husstande mere pr. enhed ({departments}), men kun ved "
            "at acceptere en dårligere beboersammensætning, hvor loven allerede er bekymret: "
            "anbefales ikke."
        ),
        "max_load_one": (
            "{count} afdeling bærer den højeste belastning på {max_load} %: {departments}."
        ),
        "max_load_many": (
            "{count} afdelinger bærer den højeste belastning på {max_load} %: {departments}."
        ),
        "prices": (
            "Skyggepriser er øvre grænser for én hel enhed (præcise for små ændringer"
            "{relaxation}); planen gælder afdelingsdataene ved scenariets start."
        ),
        "relaxation": "; fra LP-relaksationen af denne heltalsplan",
        "lever:referral slot": "én anvisningsret mere",
        "lever:person of headroom": "én person mere i råderummet for beboersammensætningen",
        "lever:fitting dwelling": "én passende bolig mere",
        "barred:1": "{name}, omfattet af anvisningsforbud (§ 59, stk. 6)",
        "barred:2": "{name}, omfattet af anvisningsforbud (§ 59, stk. 6–7)",
        "scenario_line": "{scenario}: aftalen {agreement}; plan for {months} måneder",
        "plan_line": (
            "{placed} af {demand} husstande anvist, {unplaced} ikke anvist; højeste belastning "
            "{max_load} % af en afdelings ledige boliger; {kind} løst med {solver} på {seconds} s"
        ),
        "kind:integer": "heltalsplan (MILP)",
        "kind:lp": "LP-plan",
    },
}

_EXCLUSION_REASONS_DA = {
    "rooms": "boligerne har det forkerte antal værelser",
    "rent": "for dyre",
    "ban": "omfattet af anvisningsforbud (§ 59, stk. 6–7, listeområde)",
    "not_listed": "ikke angivet som egnede",
}


class PlanWords(NotebookWords):
    """The sentences and number formats of the referral plan notebook's recommendation.

    Parameters
    ----------
    language
        ``"en"`` or ``"da"`` (Danish words, decimal comma).

    Examples
    --------
    >>> words = PlanWords("da")
    >>> words.amount(1234.56), words.lever("fitting dwelling")
    ('1.234,6', 'én passende bolig mere')
    >>> PlanWords("en").amount(1234.56)
    '1,234.6'
    """

    TEXTS = _PLAN_TEXT

    def amount(self, value: float) -> str:
        """Households, to one decimal (a plan of the LP is fractional)."""
        return number(float(value), 1, self.language)

    def lever(self, kind: str) -> str:
        """The words "one more …" for a lever of the levers table (``referral slot``, …)."""
        return self.text.get(f"lever:{kind}", kind)

    def group_names(self, names: Mapping[str, str]) -> dict[str, str]:
        """The plan's groups by name: each referral group and its two barred subgroups.

        Examples
        --------
        >>> PlanWords("da").group_names({"refugees": "Flygtninge"})["refugees:barred_udsat"]
        'Flygtninge, omfattet af anvisningsforbud (§ 59, stk. 6)'
        """
        named = dict(names)
        for group, name in names.items():
            for position, suffix in enumerate(BAN_SUFFIXES):
                if position > 0:
                    named[f"{group}{suffix}"] = self[f"barred:{position}"].format(name=name)
        return named

    def reason(self, reason: str, english: Mapping[str, str]) -> str:
        """Why households are excluded (``english``: the optimiser's ``REASON_TEXT``)."""
        if self.language == "da":
            return _EXCLUSION_REASONS_DA.get(reason, reason)
        return english.get(reason, reason)


# --------------------------------------------------------------------------------------------------
# The long-term evaluation notebook's words (03_long_term_evaluation), English and Danish

_EVALUATION_TEXT: dict[Language, dict[str, str]] = {
    "en": {
        "swing": ("`{key}` from {first} to {last}: {swing} (95 % interval {low} to {high})"),
        "headline": (
            "**{headline}** ({meaning}): {mean} on average over {points} design points × "
            "{replications} replications of {years} years; the point means range from {low} to "
            "{high}. **Verdict: {verdict}** against a relevant change of ±{relevant}."
        ),
        "lever_tag": " [agreement lever]",
        "sensitive_advice": (
            "Before relying on {headline}, pin down {names}: calibrate against local data, or "
            "report {headline} as the range {low}–{high} rather than one number."
        ),
        "inconclusive_advice": (
            "The 95 % intervals of {names} straddle ±{relevant}: rerun with more replications "
            "(now {replications}) to tell whether they matter."
        ),
        "robust_advice": (
            "No uncertain parameter moves {headline} by ±{relevant} over the ranges swept: the "
            "headline can be reported as one number."
        ),
        "lever": (
            "The agreement's lever `{lever}` moves {headline} by {swing}, {relation} the most "
            "influential uncertain parameter, `{unknown}` ({unknown_swing}): over these ranges, "
            "the choice of agreement matters {relation} what we do not know."
        ),
        "relation:same": "as much as",
        "relation:more": "more than",
        "relation:less": "less than",
        "overall:robust": (
            "**Overall: the headlines are robust** to the uncertain parameters over the ranges "
            "swept."
        ),
        "overall:sensitive": (
            "**Overall: the headlines are not robust**: {which}; decide on ranges, not single "
            "numbers."
        ),
        "overall:inconclusive": (
            "**Overall: inconclusive**: {which}; more replications (now {replications}) would tell."
        ),
        "is": "{headline} is {verdict}",
        "too_small": (
            "**Too small a run to conclude:** {replications} replications of {years} years; use "
            "20 or more of each for a long-term evaluation."
        ),
        "verdict:robust": "robust",
        "verdict:sensitive": "sensitive",
        "verdict:inconclusive": "inconclusive",
        "design_line": (
            "{scenario}: {points} design points × {replications} replications × {years} years "
            "= {runs} runs, seed {seed}"
        ),
        "points_title": "Headlines per design point: mean and 95 % interval over replications",
        "points_y": "design point, the values of",
        "lists_title": (
            "Listed areas per year by value (mean over replications and the other parameters)"
        ),
        "lists_x": "list of 1 December",
        "lists_y": "areas on the udsat or forebyggelse list",
        "value": "value",
        "effects_title": (
            "Main effects: mean headline per value (others averaged out), 95 % intervals"
        ),
        "tornado_title": (
            "Sensitivity of the headlines: swing from the first to the last value (95 % interval)"
        ),
        "first_listed": "first value listed",
        "last_listed": "last value listed",
        "overall_mean": "{headline} (overall mean {mean})",
        "robustness_incomplete": "incomplete: run the notebook again to finish the robustness runs",
    },
    "da": {
        "swing": ("`{key}` fra {first} til {last}: {swing} (95 %-interval {low} til {high})"),
        "headline": (
            "**{headline}** ({meaning}): {mean} i gennemsnit over {points} designpunkter × "
            "{replications} gentagelser à {years} år; punkternes gennemsnit ligger fra {low} til "
            "{high}. **Vurdering: {verdict}** over for en relevant ændring på ±{relevant}."
        ),
        "lever_tag": " [aftalens greb]",
        "sensitive_advice": (
            "Før der bygges på {headline}, skal {names} fastlægges: kalibrér mod lokale data, "
            "eller angiv {headline} som intervallet {low}–{high} frem for ét tal."
        ),
        "inconclusive_advice": (
            "95 %-intervallerne for {names} går på tværs af ±{relevant}: kør igen med flere "
            "gentagelser (nu {replications}) for at afgøre, om de betyder noget."
        ),
        "robust_advice": (
            "Ingen usikker parameter flytter {headline} med ±{relevant} inden for de undersøgte "
            "intervaller: tallet kan angives som ét tal."
        ),
        "lever": (
            "Aftalens greb `{lever}` flytter {headline} med {swing}, {relation} den mest "
            "indflydelsesrige usikre parameter, `{unknown}` ({unknown_swing}): inden for disse "
            "intervaller betyder valget af aftale {relation} det, vi ikke ved."
        ),
        "relation:same": "lige så meget som",
        "relation:more": "mere end",
        "relation:less": "mindre end",
        "overall:robust": (
            "**Samlet: resultaterne er robuste** over for de usikre parametre inden for de "
            "undersøgte intervaller."
        ),
        "overall:sensitive": (
            "**Samlet: resultaterne er ikke robuste**: {which}; beslut ud fra intervaller, ikke "
            "enkelttal."
        ),
        "overall:inconclusive": (
            "**Samlet: uafklaret**: {which}; flere gentagelser (nu {replications}) vil afgøre det."
        ),
        "is": "{headline} er {verdict}",
        "too_small": (
            "**For lille en kørsel til at konkludere:** {replications} gentagelser à {years} år; "
            "brug mindst 20 af hver til en langsigtet evaluering."
        ),
        "verdict:robust": "robust",
        "verdict:sensitive": "følsom",
        "verdict:inconclusive": "uafklaret",
        "design_line": (
            "{scenario}: {points} designpunkter × {replications} gentagelser × {years} år "
            "= {runs} kørsler, startværdi {seed}"
        ),
        "points_title": (
            "Resultater pr. designpunkt: gennemsnit og 95 %-interval over gentagelserne"
        ),
        "points_y": "designpunkt, værdierne af",
        "lists_title": (
            "Områder på en liste pr. år efter værdi (gennemsnit over gentagelserne og de andre "
            "parametre)"
        ),
        "lists_x": "listen pr. 1. december",
        "lists_y": "områder på udsat- eller forebyggelseslisten",
        "value": "værdi",
        "effects_title": (
            "Hovedeffekter: gennemsnitligt resultat pr. værdi (de andre parametre udjævnet), "
            "95 %-intervaller"
        ),
        "tornado_title": (
            "Resultaternes følsomhed: udsving fra første til sidste værdi (95 %-interval)"
        ),
        "first_listed": "første værdi",
        "last_listed": "sidste værdi",
        "overall_mean": "{headline} (samlet gennemsnit {mean})",
        "robustness_incomplete": (
            "ufuldstændig: kør notesbogen igen for at gøre robusthedskørslerne færdige"
        ),
    },
}


class EvaluationWords(NotebookWords):
    """The sentences and number formats of the long-term evaluation notebook's recommendation.

    Parameters
    ----------
    language
        ``"en"`` or ``"da"`` (Danish words, decimal comma).

    Examples
    --------
    >>> words = EvaluationWords("da")
    >>> words.signed(-0.254), words.verdict("sensitive"), words.number(1.5, 2)
    ('-0,25', 'følsom', '1,50')
    >>> EvaluationWords("en").signed(0.5)
    '+0.50'
    """

    TEXTS = _EVALUATION_TEXT

    def signed(self, value: float) -> str:
        """A swing with its sign, to two decimals (``+0.50``; ``-0,25`` in Danish)."""
        text = f"{float(value):+.2f}"
        return text.replace(".", ",") if self.language == "da" else text

    def value(self, value: object) -> str:
        """A swept parameter value as written (a decimal comma in Danish)."""
        text = str(value)
        return text.replace(".", ",") if self.language == "da" and _is_number(text) else text

    def verdict(self, verdict: str) -> str:
        """``robust``, ``sensitive`` or ``inconclusive`` in the language."""
        return self.text[f"verdict:{verdict}"]

    def values(self, values: Iterable[object]) -> str:
        """Swept values as written, joined (by ``;`` in Danish, which writes decimal commas)."""
        return ("; " if self.language == "da" else ", ").join(self.value(v) for v in values)

    def names(
        self,
        loaded: LoadedScenario,
        keys: Iterable[str],
        points: Sequence[Any] = (),
        headlines: Iterable[str] = (),
    ) -> dict[str, str]:
        """What the notebook's tables and figures name in words, by id.

        Scenario keys by the labels of the report's parameter appendix
        (:func:`simulation.report.schema.key_labels`), design points (:class:`DesignPoint`) by
        their values in words in the keys' order (``20 % · 0,5``: the keys are named once, in
        the table's columns and the figure's axis), headlines and sensitivity outputs by their
        names.
        """
        content = named_content(loaded, self.language)
        named: dict[str, str] = key_labels(list(keys), self.language, content)
        labels = settings_values([point.values for point in points], self.language, content)
        named |= {point.point: label for point, label in zip(points, labels, strict=True)}
        named |= {headline: self.heading(headline) for headline in headlines}
        return named

    def finding(
        self,
        outcome: RobustnessOutcome,
        a: LoadedScenario,
        b: LoadedScenario,
        names: Mapping[str, str],
        output: str = "listed_area_years",
    ) -> str:
        """Where agreement ``a`` stops beating ``b``, in one sentence of the language.

        English is the sentence of :func:`~simulation.experiments.robustness.describe_flip`;
        Danish names the scenarios by their ``[danish]`` names and the parameters by ``names``.
        """
        if outcome.flip is None:
            return self["robustness_incomplete"]
        if self.language != "da":
            return outcome.flip.sentence
        return danish_finding(
            outcome.flip,
            a.scenario.danish.name or a.scenario.name,
            b.scenario.danish.name or b.scenario.name,
            output=output,
            samples=len(outcome.samples),
            labels=names,
        )

    def output(self, output: str) -> str:
        """An output of the sensitivity analysis or an indicator in words."""
        return output_name(output, self.language)

    def meaning(self, indicator: str) -> str:
        """What an indicator measures, in words (the report's meaning; in English its own)."""
        if self.language == "da" and has_term(f"indicator_meaning:{indicator}"):
            return term(f"indicator_meaning:{indicator}", "da")
        if self.language == "da" and has_term(f"indicator:{indicator}"):
            return term(f"indicator:{indicator}", "da")
        return indicator_meaning(indicator)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# --------------------------------------------------------------------------------------------------
# The long-term evaluation notebook's figures, in the words of its language


def headline_points_figure(
    summary: pd.DataFrame,
    headlines: Sequence[str],
    words: EvaluationWords,
    names: Mapping[str, str],
    keys: Sequence[str] = (),
) -> Figure:
    """Each headline per design point: mean and 95 % interval, points named by their values.

    Parameters
    ----------
    summary
        The sweep's summary indexed by point (``<headline>``, ``_low_95``, ``_high_95``).
    headlines
        The indicators judged.
    words
        The notebook's words (titles, axis names, numbers).
    names
        Points by their values in words and the swept keys by their labels
        (:meth:`EvaluationWords.names`).
    keys
        The swept keys, in the order a point's values are written: the axis says which is which.
    """
    figure = Figure(figsize=(6 * len(headlines), 0.28 * len(summary) + 1.8), layout="constrained")
    axes = np.atleast_1d(figure.subplots(1, len(headlines)))
    for axis, headline in zip(axes, headlines, strict=True):
        ordered = summary.sort_values(headline)
        centre = ordered[headline].to_numpy(float)
        low, high = ordered[f"{headline}_low_95"], ordered[f"{headline}_high_95"]
        errors = error_bars(centre, low, high, **possible_range(headline))
        axis.errorbar(centre, range(len(ordered)), xerr=errors, fmt="o", capsize=2, markersize=4)
        axis.set_yticks(
            range(len(ordered)), [names.get(p, str(p)) for p in ordered.index], fontsize=7
        )
        meaning = textwrap.fill(words.meaning(headline), 70)
        axis.set_title(f"{words.heading(headline)}\n{meaning}", fontsize=9)
        share_axis(axis.xaxis, words.language, share=False)
        axis.grid(alpha=0.3, axis="x")
    if keys:
        order = "\n".join(names.get(key, key) for key in keys)
        axes[0].set_ylabel(f"{words['points_y']}:\n{order}", fontsize=8)
    figure.suptitle(words["points_title"])
    return figure


def listed_by_value_figure(
    yearly: pd.DataFrame,
    uncertain: Mapping[str, Sequence[Any]],
    words: EvaluationWords,
    names: Mapping[str, str],
) -> Figure:
    """Listed areas per year, one line per value of each swept key (others averaged out).

    Parameters
    ----------
    yearly
        Per point × replication × year: ``year``, ``listed`` and the swept keys' values.
    uncertain
        The swept keys and their values.
    words, names
        The notebook's words; keys by their names (:meth:`EvaluationWords.names`).
    """
    from matplotlib.ticker import MaxNLocator

    keys = list(uncertain)
    figure = Figure(figsize=(4.6 * len(keys), 3.6), layout="constrained")
    axes = np.atleast_1d(figure.subplots(1, len(keys), sharey=True))
    for axis, key in zip(axes, keys, strict=True):
        for index, value in enumerate(uncertain[key]):
            mine = yearly[yearly[key] == value].groupby("year")["listed"].mean()
            axis.plot(
                mine.index,
                mine.to_numpy(),
                marker="o",
                markersize=3,
                color=SERIES[index % len(SERIES)],
                linestyle=line_styles(len(uncertain[key]))[index],
                label=words.value(value),
            )
        axis.set_title(names.get(key, key), fontsize=9)
        axis.set_xlabel(words["lists_x"])
        axis.xaxis.set_major_locator(MaxNLocator(integer=True))
        share_axis(axis.yaxis, words.language, share=False)
        axis.grid(alpha=0.3)
        axis.legend(fontsize=8, title=words["value"], title_fontsize=8)
    axes[0].set_ylabel(words["lists_y"])
    figure.suptitle(words["lists_title"])
    return figure


def main_effects_figure(
    levels: pd.DataFrame,
    keys: Sequence[str],
    headlines: Sequence[str],
    words: EvaluationWords,
    names: Mapping[str, str],
) -> Figure:
    """The mean headline per value of each key (the others averaged out), 95 % intervals.

    Parameters
    ----------
    levels
        ``key, value, headline, mean, low_95, high_95``.
    keys, headlines
        The swept keys (columns) and the headlines (rows).
    words, names
        The notebook's words; keys by their names (:meth:`EvaluationWords.names`).
    """
    figure = Figure(figsize=(3.6 * len(keys), 2.8 * len(headlines)), layout="constrained")
    axes = np.atleast_2d(figure.subplots(len(headlines), len(keys), squeeze=False))
    for row, headline in enumerate(headlines):
        for column, key in enumerate(keys):
            axis = axes[row, column]
            mine = levels[(levels["key"] == key) & (levels["headline"] == headline)]
            centre = mine["mean"].to_numpy(float)
            errors = error_bars(centre, mine["low_95"], mine["high_95"], **possible_range(headline))
            positions = np.arange(len(mine))
            axis.errorbar(positions, centre, yerr=errors, fmt="o-", capsize=3)
            axis.set_xticks(positions, [words.value(value) for value in mine["value"]])
            share_axis(axis.yaxis, words.language, share=False)
            axis.grid(alpha=0.3)
            if row == 0:
                axis.set_title(names.get(key, key), fontsize=9)
            if row == len(headlines) - 1:
                axis.set_xlabel(words["value"])
            if column == 0:
                axis.set_ylabel(words.heading(headline), fontsize=9)
    figure.suptitle(words["effects_title"])
    return figure


def tornado_figure(
    effects: pd.DataFrame,
    measures: pd.DataFrame,
    headlines: Sequence[str],
    words: EvaluationWords,
    names: Mapping[str, str],
) -> Figure:
    """Each key's swing of each headline from its first to its last value (a tornado).

    Parameters
    ----------
    effects
        ``headline, key, first_value, last_value, mean_at_first, mean_at_last, swing`` and its
        interval, largest swing first per headline.
    measures
        Per point × replication: the headlines (their overall mean is the centre).
    headlines
        The indicators judged.
    words, names
        The notebook's words; keys by their names (:meth:`EvaluationWords.names`).
    """
    keys = effects["key"].nunique()
    figure = Figure(figsize=(7 * len(headlines), 0.8 * keys + 1.8), layout="constrained")
    axes = np.atleast_1d(figure.subplots(1, len(headlines)))
    for axis, headline in zip(axes, headlines, strict=True):
        centre = float(measures[headline].mean())
        rows = effects[effects["headline"] == headline].iloc[::-1]
        records: list[dict[Hashable, Any]] = rows.to_dict("records")
        positions = np.arange(len(rows))
        axis.barh(
            positions,
            rows["mean_at_first"] - centre,
            left=centre,
            color="tab:blue",
            alpha=0.45,
            label=words["first_listed"],
        )
        axis.barh(
            positions,
            rows["mean_at_last"] - centre,
            left=centre,
            color="tab:blue",
            label=words["last_listed"],
        )
        axis.axvline(centre, color="black", linewidth=0.8)
        axis.set_yticks(
            positions,
            [
                f"{names.get(row['key'], row['key'])}\n{words.value(row['first_value'])} → "
                f"{words.value(row['last_value'])}"
                for row in records
            ],
            fontsize=8,
        )
        for position, row in zip(positions, records, strict=True):
            axis.annotate(
                f"{words.signed(row['swing'])} [{words.signed(row['swing_low_95'])}"
                f"{'; ' if words.language == 'da' else ', '}{words.signed(row['swing_high_95'])}]",
                (max(row["mean_at_first"], row["mean_at_last"], centre), position),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
            )
        axis.margins(x=0.35)
        share_axis(axis.xaxis, words.language, share=False)
        axis.set_xlabel(
            words["overall_mean"].format(
                headline=words.heading(headline), mean=words.number(centre)
            )
        )
        axis.set_title(textwrap.fill(words.meaning(headline), 70), fontsize=9)
        axis.legend(fontsize=8, loc="lower right")
    figure.suptitle(words["tornado_title"])
    return figure


# --------------------------------------------------------------------------------------------------
# The comparison notebook's figures, in the words of its language

_DIFFERENCE_UNITS: dict[str, tuple[str, str]] = {
    "share": ("procentpoint", "percentage points"),
    "months": ("måneder", "months"),
    "lettings": ("udlejninger pr. år", "lettings per year"),
    "listed_area_years": ("områdeår", "area-years"),
    "waiting_at_end": ("husstande", "households"),
    "never_housed": ("husstande", "households"),
    "not_housed_within_6_months": ("husstande", "households"),
    "evicted": ("husstande", "households"),
}
"""The unit of a difference, by indicator or by its kind (:func:`indicator_kind`); counts of
areas (``…_final``) otherwise."""


def difference_unit(indicator: str, language: Language) -> str:
    """The unit a paired difference of ``indicator`` is shown in (percentage points for shares).

    Examples
    --------
    >>> difference_unit("housed_within_6_months_share", "da"), difference_unit("udsat_final", "en")
    ('procentpoint', 'areas')
    """
    words = _DIFFERENCE_UNITS.get(indicator) or _DIFFERENCE_UNITS.get(
        indicator_kind(indicator), ("områder", "areas")
    )
    return words[0] if language == "da" else words[1]


def waits_by_group_figure(
    per_group: pd.DataFrame,
    labels: Sequence[str],
    groups: Sequence[str],
    words: ComparisonWords,
    names: Mapping[str, str],
) -> Figure:
    """Each referral group's median wait per scenario: mean over replications, 95 % interval.

    Parameters
    ----------
    per_group
        One row per scenario × replication × group with ``median_wait_months``.
    labels
        The scenarios, in the order to draw them.
    groups
        The referral groups (ids), one panel each.
    words
        The notebook's words (titles, axis names, numbers).
    names
        Scenarios and referral groups by name.
    """
    figure = Figure(figsize=(3.2 * len(groups), 4.4), layout="constrained")
    axes = np.atleast_1d(figure.subplots(1, len(groups)))
    colours = palette_colours(len(labels))
    for axis, group in zip(axes, groups, strict=True):
        mine = per_group[per_group["group"] == group]
        bars = np.array(
            [
                t_interval(mine.loc[mine["scenario"] == label, "median_wait_months"])
                for label in labels
            ],
            dtype=float,
        ).reshape(len(labels), 3)
        # a wait is never negative: the interval of a few replications stops at 0, as does the axis
        means, errors = bars[:, 0], error_bars(*bars.T, lowest=0.0)
        axis.bar(range(len(labels)), np.nan_to_num(means), yerr=errors, color=colours, capsize=3)
        axis.set_ylim(bottom=0.0, top=max(1.0, float(np.nanmax(bars, initial=0.0)) * 1.05))
        axis.set_xticks(
            range(len(labels)),
            [names.get(label, label) for label in labels],
            rotation=60,
            ha="right",
            fontsize=7,
        )
        axis.set_title(names.get(group, group), fontsize=9)
        share_axis(axis.yaxis, words.language, share=False)
        axis.grid(alpha=0.3, axis="y")
    axes[0].set_ylabel(words["waits_y"])
    figure.suptitle(textwrap.fill(words["waits_title"], int(figure.get_figwidth() * 14)))
    return figure


def differences_figure(
    differences: pd.DataFrame,
    indicators: Sequence[str],
    labels: Sequence[str],
    words: ComparisonWords,
    names: Mapping[str, str],
) -> Figure:
    """Every alternative's mean paired difference from the reference, with its 95 % interval.

    One panel per indicator (by the report's name; the x axis in the difference's unit, shares
    in percentage points), one row per alternative (by its agreement's name).

    Parameters
    ----------
    differences
        :attr:`Comparison.differences`: ``scenario``, ``indicator``, ``difference_mean`` and
        its interval ``difference_low_95``, ``difference_high_95``.
    indicators
        The indicators to draw (up to 4 per row of panels).
    labels
        The scenarios, the reference first.
    words, names
        The notebook's words; scenarios by name.
    """
    others = list(labels[1:])
    columns = min(4, len(indicators))
    lines = int(np.ceil(len(indicators) / columns))
    figure = Figure(
        figsize=(3.6 * columns, (1.2 + 0.5 * len(others)) * lines + 0.8), layout="constrained"
    )
    axes = np.atleast_1d(figure.subplots(lines, columns, squeeze=False))
    for index, (axis, indicator) in enumerate(zip(axes.ravel(), indicators, strict=False)):
        rows = differences[differences["indicator"] == indicator].set_index("scenario")
        rows = rows.reindex(others)
        scale = 100.0 if indicator_kind(indicator) == "share" else 1.0
        centre = scale * rows["difference_mean"].to_numpy(float)
        low = scale * rows["difference_low_95"].to_numpy(float)
        high = scale * rows["difference_high_95"].to_numpy(float)
        positions = range(len(others))
        axis.errorbar(centre, positions, xerr=error_bars(centre, low, high), fmt="o", capsize=3)
        axis.axvline(0, color="black", linewidth=0.8)
        first = index % columns == 0
        axis.set_yticks(
            positions,
            [names.get(label, label) if first else "" for label in others],
            fontsize=8,
        )
        axis.set_ylim(-0.7, len(others) - 0.3)
        axis.invert_yaxis()
        axis.set_title(words.heading(indicator), fontsize=9)
        axis.set_xlabel(
            words["difference_axis"].format(unit=difference_unit(indicator, words.language)),
            fontsize=8,
        )
        share_axis(axis.xaxis, words.language, share=False)
        axis.grid(alpha=0.3, axis="x")
    for axis in axes.ravel()[len(indicators) :]:
        axis.set_visible(False)
    reference = names.get(labels[0], labels[0])
    figure.suptitle(words["differences_title"].format(reference=reference))
    return figure
