"""The numbers of a report, computed from stored run folders only (one replication at a time).

Each run folder is read once (:func:`load_run`): the indicators, list counts and area criteria of
:func:`simulation.experiments.compare.run_measures`, plus the few columns the report needs beyond them
(each area's list status, the referral waits by group, the referral lettings by housing
organisation). Everything else here is arithmetic on those frames: probabilities of the lists,
waits and loads with 95 % t-intervals over replications, and differences paired by replication
when the runs share seed and horizon (common random numbers, see :mod:`simulation.experiments.compare`).
"""

from __future__ import annotations

import copy
import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulation.base.errors import Words
from simulation.experiments.measures import (
    HOUSED_OUTCOMES,
    INDICATORS,
    LIST_COUNTS,
    WAIT_WINDOW_MONTHS,
    RunMeasures,
    kaplan_meier,
    paired_differences,
    run_measures,
    survival_quantile,
    t_interval,
)
from simulation.experiments.results import finished_replications, part_name, read_run_info
from simulation.report.plots import CRITERIA, LIST_LABELS

__all__ = [
    "ReportData",
    "RunData",
    "area_criteria",
    "final_criteria",
    "headroom_differences",
    "indicator_differences",
    "indicator_summary",
    "lists_spread",
    "load_run",
    "organisation_load",
    "risk_probabilities",
    "select_years",
    "start_status",
    "wait_summary",
]

LISTS = tuple(LIST_LABELS)
"""The four lists, in the order the report shows them."""

LIST_SEVERITY: dict[str, int] = {
    "forebyggelsesomraade": 1,
    "udsat": 2,
    "parallelsamfund": 3,
    "omdannelsesomraade": 4,
}
"""How grave each list is (higher: more consequences). A prevention area (§ 61 b) has the fewest
consequences; an udsat area (§ 61 a, stk. 2) brings refusals and referral bans; a parallelsamfund
is an udsat area with more than 50 % non-western residents; an omdannelsesområde (a parallelsamfund
for 5 years) must cut its family dwellings. Moving to a less grave list is an improvement, not a
risk."""

REPLICATIONS_FOR_YEARLY = 20
"""Below this many replications, year-by-year probabilities move in steps of 5 % or more and are
noise; the report says so and leans on the probability over the whole period."""


@dataclass(frozen=True)
class RunData:
    """What a report needs from one run folder.

    Attributes
    ----------
    label
        The scenario's label in the report.
    run_dir
        The run folder.
    info
        Its ``run.json``.
    measures
        :func:`simulation.experiments.compare.run_measures` of the folder.
    lists
        Per replication × year × area: ``area_name``, ``residents`` and the four list flags.
    referrals
        Per referral household: ``replication``, ``group``, ``arrival_month``, ``wait_months``
        (float, NaN unless housed) and ``outcome``.
    organisations
        Per replication × year × housing organisation: ``dwellings`` and ``lettings_referral``.
    adherence
        Per replication × plan window × reason: ``planned``, ``realised`` and ``unrealised``
        referrals (the ``plan_adherence`` table summed over departments and groups; ``reason``
        empty where the quota was met). Empty unless the policy plans quotas.
    """

    label: str
    run_dir: Path
    info: Mapping[str, Any]
    measures: RunMeasures = field(repr=False)
    lists: pd.DataFrame = field(repr=False)
    referrals: pd.DataFrame = field(repr=False)
    organisations: pd.DataFrame = field(repr=False)
    adherence: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)

    @property
    def scenario(self) -> Mapping[str, Any]:
        """``run.json`` → ``scenario``: file, name, digest, synthetic and the content."""
        scenario = self.info.get("scenario", {})
        return scenario if isinstance(scenario, Mapping) else {}

    @property
    def content(self) -> Mapping[str, Any]:
        """The validated scenario as stored in ``run.json``."""
        content = self.scenario.get("content", {})
        return content if isinstance(content, Mapping) else {}

    @property
    def name(self) -> str:
        """The scenario's name."""
        return str(self.scenario.get("name") or self.content.get("name") or self.label)

    @property
    def synthetic(self) -> bool:
        """Whether the scenario's data is made up."""
        return bool(self.scenario.get("synthetic", self.content.get("synthetic", False)))

    @property
    def replications(self) -> int:
        """Finished replications read."""
        return len(self.measures.indicators)

    @property
    def first_year(self) -> int:
        """The year of the day-0 row (the department data itself, before the first January)."""
        return int(self.lists["year"].min())

    @property
    def last_year(self) -> int:
        """The last simulated year (its 1 December list is the final one)."""
        return int(self.lists["year"].max())

    @property
    def years(self) -> int:
        """Simulated years."""
        return int(self.info.get("years", self.last_year - self.first_year))

    @property
    def minimum_residents(self) -> int:
        """An area needs this many residents to be listed."""
        return int(self.content.get("legal", {}).get("minimum_residents", 1000))

    @property
    def list_lag_years(self) -> int:
        """The lists of 1 December Y read the figures of Y minus this (0 for runs before the lag)."""
        return int(self.content.get("legal", {}).get("data_lag_years", 0))

    @property
    def tier_lag_years(self) -> int:
        """Tiers and referral plans of year Y read the figures of Y minus this."""
        return int(self.content.get("agreement", {}).get("data_lag_years", 0))

    @property
    def group_names(self) -> dict[str, str]:
        """Referral group id → name."""
        groups = self.content.get("referral_groups", {})
        return {str(key): str(value.get("name", key)) for key, value in groups.items()}

    def localised(self, language: str) -> RunData:
        """The run with the scenario's Danish names (``[danish]``) in place, for ``da``.

        The scenario's name and description, the agreement's name, the referral groups' and the
        tiers' names are replaced where the scenario gives a Danish one; nothing else changes.
        """
        danish = self.content.get("danish", {})
        if language != "da" or not isinstance(danish, Mapping) or not any(danish.values()):
            return self
        content = copy.deepcopy(dict(self.content))
        if danish.get("name"):
            content["name"] = danish["name"]
        if danish.get("description"):
            content["description"] = danish["description"]
        if danish.get("agreement"):
            content.setdefault("agreement", {})["name"] = danish["agreement"]
        for group, name in dict(danish.get("referral_groups", {})).items():
            if group in content.get("referral_groups", {}):
                content["referral_groups"][group]["name"] = name
        tiers = dict(danish.get("tiers", {}))
        for tier in content.get("agreement", {}).get("tiers", []) or []:
            tier["name"] = tiers.get(tier.get("name"), tier.get("name"))
        scenario = dict(self.scenario) | {"content": content, "name": content["name"]}
        return dataclasses.replace(self, info=dict(self.info) | {"scenario": scenario})


def _read_part(run_dir: Path, table: str, replication: int, columns: Sequence[str]) -> pd.DataFrame:
    return pd.read_parquet(
        run_dir / f"{table}.parquet" / part_name(replication), columns=list(columns)
    )


def load_run(label: str, run_dir: str | Path) -> RunData:
    """Read what a report needs from a run folder, one replication at a time.

    Parameters
    ----------
    label
        The scenario's label in the report.
    run_dir
        A run folder with at least one finished replication.

    Raises
    ------
    FileNotFoundError
        If the folder has no ``run.json``.
    ValueError
        If no replication has finished.
    """
    run_dir = Path(run_dir)
    info = read_run_info(run_dir)
    done = finished_replications(run_dir)
    if not done:
        raise ValueError(
            Words(
                f"{run_dir} has no finished replication yet",
                f"{run_dir} har endnu ingen færdig gentagelse",
            )
        )
    lists, referrals, organisations, adherence = [], [], [], []
    for replication in done:
        part = run_dir / "plan_adherence.parquet" / part_name(replication)
        if part.is_file():  # run folders from before plans were recorded have none
            plan = pd.read_parquet(
                part,
                columns=["window_start_month", "planned", "realised", "unrealised", "reason"],
            )
            plan["reason"] = plan["reason"].astype(str)
            summed = (
                plan.groupby(["window_start_month", "reason"], sort=True)[
                    ["planned", "realised", "unrealised"]
                ]
                .sum()
                .reset_index()
            )
            summed.insert(0, "replication", replication)
            adherence.append(summed)
        area = _read_part(
            run_dir, "area_year", replication, ["year", "area", "area_name", "residents", *LISTS]
        )
        area.insert(0, "replication", replication)
        lists.append(area)
        referral = _read_part(
            run_dir,
            "referrals",
            replication,
            ["group", "arrival_month", "wait_months", "outcome", "queue_months"],
        )
        referral["group"] = referral["group"].astype(str)
        referral["wait_months"] = referral["wait_months"].astype("Float64").astype(np.float64)
        referral.insert(0, "replication", replication)
        referrals.append(referral)
        departments = _read_part(
            run_dir,
            "department_year",
            replication,
            ["year", "organisation", "dwellings", "lettings_referral"],
        )
        departments["organisation"] = departments["organisation"].astype(str)
        per_organisation = (
            departments.groupby(["year", "organisation"], sort=False)[
                ["dwellings", "lettings_referral"]
            ]
            .sum()
            .reset_index()
        )
        per_organisation.insert(0, "replication", replication)
        organisations.append(per_organisation)
    return RunData(
        label=label,
        run_dir=run_dir,
        info=info,
        measures=run_measures(run_dir),
        lists=pd.concat(lists, ignore_index=True),
        referrals=pd.concat(referrals, ignore_index=True),
        organisations=pd.concat(organisations, ignore_index=True),
        adherence=pd.concat(adherence, ignore_index=True) if adherence else pd.DataFrame(),
    )


@dataclass(frozen=True)
class ReportData:
    """The runs of a report, in order; the first is the reference of paired differences."""

    runs: tuple[RunData, ...]

    def localised(self, language: str) -> ReportData:
        """The runs with their Danish names in place for ``da`` (:meth:`RunData.localised`)."""
        runs = tuple(run.localised(language) for run in self.runs)
        if all(new is old for new, old in zip(runs, self.runs, strict=True)):
            return self
        return ReportData(runs)

    @property
    def labels(self) -> tuple[str, ...]:
        """The scenario labels, reference first."""
        return tuple(run.label for run in self.runs)

    @property
    def reference(self) -> str:
        """The scenario the others are compared with."""
        return self.runs[0].label

    @cached_property
    def paired(self) -> bool:
        """Whether differences are paired: two or more runs with one seed, start and horizon."""
        if len(self.runs) < 2:
            return False
        keys = {
            (
                run.info.get("entropy"),
                run.info.get("years"),
                run.info.get("start_year"),
            )
            for run in self.runs
        }
        return len(keys) == 1 and min(run.replications for run in self.runs) >= 1

    @cached_property
    def waits(self) -> pd.DataFrame:
        """:func:`wait_summary` of the runs."""
        return wait_summary(self.runs)

    @cached_property
    def loads(self) -> pd.DataFrame:
        """:func:`organisation_load` of the runs."""
        return organisation_load(self.runs)

    @cached_property
    def indicators(self) -> pd.DataFrame:
        """:func:`indicator_summary` of the runs."""
        return indicator_summary(self.runs)

    @cached_property
    def differences(self) -> pd.DataFrame:
        """:func:`indicator_differences` (empty unless paired)."""
        return indicator_differences(self)

    @cached_property
    def lists_by_year(self) -> pd.DataFrame:
        """:func:`lists_spread` of the runs."""
        return lists_spread(self.runs)

    @cached_property
    def area_criteria(self) -> pd.DataFrame:
        """:func:`area_criteria` of the runs."""
        return area_criteria(self.runs)

    @cached_property
    def final_criteria(self) -> pd.DataFrame:
        """:func:`final_criteria` of the runs."""
        return final_criteria(self.runs)

    @cached_property
    def headroom_differences(self) -> pd.DataFrame:
        """:func:`headroom_differences` (empty unless paired)."""
        return headroom_differences(self)

    @cached_property
    def risks(self) -> dict[str, pd.DataFrame]:
        """:func:`risk_probabilities` per scenario label."""
        return {run.label: risk_probabilities(run) for run in self.runs}


# --------------------------------------------------------------------------------------------------
# The headline


def select_years(first: int, last: int, most: int = 6) -> list[int]:
    """Up to ``most`` years from ``first`` to ``last`` (both included), evenly spread.

    Examples
    --------
    >>> select_years(2025, 2045)
    [2025, 2029, 2033, 2037, 2041, 2045]
    >>> select_years(2025, 2027)
    [2025, 2026, 2027]
    """
    if last - first + 1 <= most:
        return list(range(first, last + 1))
    steps = np.linspace(first, last, most)
    return sorted({int(value) for value in np.rint(steps)})


def start_status(run: RunData) -> pd.Series:
    """Per area: the gravest list it is on in the starting year (``""`` if on none).

    Uses the first replication's starting row (the department data, the same in every one).
    """
    rows = run.lists[run.lists["year"] == run.first_year]
    rows = rows[rows["replication"] == rows["replication"].min()]
    status = pd.Series("", index=rows["area"].astype(str).to_numpy(), dtype=object)
    for name in sorted(LISTS, key=LIST_SEVERITY.__getitem__):
        on = rows[name].to_numpy(bool)
        status.iloc[on] = name
    return status


def risk_probabilities(run: RunData) -> pd.DataFrame:
    """Per area × list × year: the share of replications in which the area is on the list.

    Returns
    -------
    pandas.DataFrame
        ``area``, ``area_name``, ``list``, ``year``, ``probability`` (0–1), ``start_status``
        (the gravest list the area starts on, ``""`` if none), ``risk`` (the list is graver than
        the starting status: being on it is a step up, not a step down or staying) and
        ``period_probability`` (the share of replications in which the area is on the list in at
        least one simulated year, the starting year not counted); areas and lists that are never
        on the list in any replication are left out.
    """
    long = run.lists.melt(
        id_vars=["replication", "year", "area", "area_name"],
        value_vars=list(LISTS),
        var_name="list",
        value_name="on_list",
    )
    long["on_list"] = long["on_list"].astype(np.float64)
    probability = (
        long.groupby(["area", "area_name", "list", "year"], sort=False)["on_list"]
        .mean()
        .rename("probability")
        .reset_index()
    )
    simulated = long[long["year"] > run.first_year]
    ever = (
        simulated.groupby(["area", "list", "replication"], sort=False)["on_list"]
        .max()
        .groupby(level=["area", "list"])
        .mean()
        .rename("period_probability")
    )
    probability = probability.join(ever, on=["area", "list"])
    status = start_status(run)
    probability["start_status"] = probability["area"].astype(str).map(status).fillna("").astype(str)
    severity = probability["list"].map(LIST_SEVERITY)
    start = probability["start_status"].map(lambda name: LIST_SEVERITY.get(name, 0))
    probability["risk"] = severity > start
    seen = probability.groupby(["area", "list"])["probability"].transform("max") > 0
    return probability[seen].reset_index(drop=True)


def _interval(values: pd.Series | np.ndarray | Sequence[float], prefix: str) -> dict[str, float]:
    mean, low, high = t_interval(np.asarray(values, dtype=np.float64))
    return {f"{prefix}_mean": mean, f"{prefix}_low": low, f"{prefix}_high": high}


def wait_summary(runs: Sequence[RunData]) -> pd.DataFrame:
    """Referral waits per scenario × group (and for all groups): means and 95 % intervals.

    Per replication: households housed per year, the median and 90th percentile of the months
    waited (Kaplan–Meier: those never housed count, censored on leaving or at the end), the share housed within 6 months (of those who joined at least 6
    months before the end) and the households still waiting at the end; then the mean over
    replications with its t-interval.

    Returns
    -------
    pandas.DataFrame
        ``scenario``, ``group`` (``""`` for all groups), ``group_name``, ``replications`` and
        ``housed_per_year``, ``median``, ``p90``, ``housed_6m``, ``waiting_end``,
        ``never_housed`` (left the queue or still waiting) and ``evicted``, each with ``_mean``,
        ``_low`` and ``_high``.
    """
    rows = []
    for run in runs:
        names = run.group_names
        groups = [*names, *sorted(set(run.referrals["group"]) - set(names))]
        replications = [int(r) for r in run.measures.indicators["replication"]]
        for group in [*groups, ""]:
            mine = run.referrals if group == "" else run.referrals[run.referrals["group"] == group]
            parts = dict(iter(mine.groupby("replication", sort=False)))
            frame = pd.DataFrame(
                [
                    _wait_measures(parts.get(replication, mine.iloc[0:0]), run.years)
                    for replication in replications
                ]
            )
            row: dict[str, Any] = {
                "scenario": run.label,
                "group": group,
                "group_name": names.get(group, group),
                "replications": len(replications),
            }
            for column in WAIT_COLUMNS:
                row |= _interval(frame[column], column)
            rows.append(row)
    return pd.DataFrame(rows)


WAIT_COLUMNS = (
    "housed_per_year",
    "median",
    "p90",
    "housed_6m",
    "waiting_end",
    "never_housed",
    "evicted",
)
"""The measures of :func:`wait_summary` (each with ``_mean``, ``_low``, ``_high``)."""


def _wait_measures(referrals: pd.DataFrame, years: int) -> dict[str, float]:
    """One replication's waits (as :func:`simulation.experiments.compare.run_measures` measures them)."""
    housed = referrals["outcome"].isin(HOUSED_OUTCOMES).to_numpy(bool)
    waits = referrals["wait_months"].to_numpy(np.float64)
    times, survival = kaplan_meier(referrals["queue_months"].to_numpy(np.float64), housed)
    observed = referrals["arrival_month"].to_numpy() + WAIT_WINDOW_MONTHS < years * 12
    quick = housed & (np.nan_to_num(waits, nan=np.inf) <= WAIT_WINDOW_MONTHS)
    return {
        "housed_per_year": float(housed.sum()) / max(years, 1),
        "median": survival_quantile(times, survival, 0.5),
        "p90": survival_quantile(times, survival, 0.9),
        "housed_6m": float(quick[observed].mean()) if observed.any() else math.nan,
        "waiting_end": float((referrals["outcome"] == "waiting").sum()),
        "never_housed": float(referrals["outcome"].isin(("left", "waiting")).sum()),
        "evicted": float((referrals["outcome"] == "evicted").sum()),
    }


def organisation_load(runs: Sequence[RunData]) -> pd.DataFrame:
    """Referral lettings per housing organisation and scenario, per year and per 100 dwellings.

    Returns
    -------
    pandas.DataFrame
        ``scenario``, ``organisation``, ``dwellings`` (day 0) and ``per_year`` and ``per_100``
        (referral lettings per 100 dwellings per year), each with ``_mean``, ``_low``, ``_high``
        (95 % t-interval over replications).
    """
    rows = []
    for run in runs:
        frame = run.organisations
        start = frame[frame["year"] == run.first_year]
        dwellings = start.groupby("organisation", sort=False)["dwellings"].mean()
        flows = frame[frame["year"] > run.first_year]
        years = max(run.last_year - run.first_year, 1)
        per_replication = (
            flows.groupby(["organisation", "replication"], sort=False)["lettings_referral"].sum()
            / years
        )
        for organisation in sorted(dwellings.index):
            values = (
                per_replication.loc[organisation].to_numpy(np.float64)
                if organisation in per_replication.index.get_level_values(0)
                else np.zeros(run.replications)
            )
            homes = float(dwellings.loc[organisation])
            rows.append(
                {
                    "scenario": run.label,
                    "organisation": organisation,
                    "dwellings": homes,
                    **_interval(values, "per_year"),
                    **_interval(100 * values / homes if homes else values * math.nan, "per_100"),
                }
            )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------------
# The evidence


def indicator_summary(runs: Sequence[RunData]) -> pd.DataFrame:
    """Per scenario × indicator (:data:`~simulation.experiments.compare.INDICATORS`): mean, 95 % interval.

    Returns
    -------
    pandas.DataFrame
        ``scenario``, ``indicator``, ``mean``, ``low``, ``high``, ``replications``.
    """
    rows = []
    for run in runs:
        for indicator in INDICATORS:
            values = run.measures.indicators[indicator].astype(np.float64)
            mean, low, high = t_interval(values)
            rows.append(
                {
                    "scenario": run.label,
                    "indicator": indicator,
                    "mean": mean,
                    "low": low,
                    "high": high,
                    "replications": int(values.notna().sum()),
                }
            )
    return pd.DataFrame(rows)


def indicator_differences(data: ReportData) -> pd.DataFrame:
    """Each scenario minus the first, paired by replication (empty unless :attr:`ReportData.paired`).

    See :func:`simulation.experiments.compare.paired_differences` for the columns.
    """
    if not data.paired:
        return pd.DataFrame()
    frames = []
    for run in data.runs:
        frame = run.measures.indicators.copy()
        frame.insert(0, "scenario", run.label)
        frames.append(frame)
    return paired_differences(pd.concat(frames, ignore_index=True), data.reference)


def lists_spread(runs: Sequence[RunData]) -> pd.DataFrame:
    """Areas on each list per scenario and year: ``mean``, ``p10``, ``p90`` over replications.

    The layout of :attr:`simulation.experiments.compare.Comparison.lists_by_year` (``scenario``, ``year``,
    ``list``, …), so that :func:`simulation.report.experiment_plots.list_bands_figure` draws it.
    """
    frames = []
    for run in runs:
        counts = run.measures.lists_by_year
        long = counts.melt(
            id_vars=["replication", "year"], value_vars=list(LIST_COUNTS), var_name="list"
        )
        long["value"] = long["value"].astype(np.float64)
        grouped = long.groupby(["year", "list"], sort=True)["value"]
        spread = pd.DataFrame(
            {
                "mean": grouped.mean(),
                "p10": grouped.quantile(0.1),
                "p90": grouped.quantile(0.9),
            }
        ).reset_index()
        spread.insert(0, "scenario", run.label)
        frames.append(spread)
    return pd.concat(frames, ignore_index=True)


def area_criteria(runs: Sequence[RunData]) -> pd.DataFrame:
    """Per scenario × replication × year × area: the criteria and their headroom (fan charts)."""
    frames = []
    for run in runs:
        frame = run.measures.area_criteria.copy()
        frame.insert(0, "scenario", run.label)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _big_areas(run: RunData) -> list[str]:
    residents = run.lists.groupby("area", sort=False)["residents"].max()
    return [str(area) for area in residents.index if residents[area] >= run.minimum_residents]


def final_criteria(runs: Sequence[RunData]) -> pd.DataFrame:
    """The four criteria in the final year per scenario × area (areas that can be listed).

    Returns
    -------
    pandas.DataFrame
        ``scenario``, ``area``, ``area_name``, ``criterion``, ``mean``, ``low``, ``high``.
    """
    rows = []
    for run in runs:
        criteria = run.measures.area_criteria
        final = criteria[criteria["year"] == run.last_year]
        for area in _big_areas(run):
            mine = final[final["area"] == area]
            if mine.empty:
                continue
            for column, *_ in CRITERIA:
                mean, low, high = t_interval(mine[column].astype(np.float64))
                rows.append(
                    {
                        "scenario": run.label,
                        "area": area,
                        "area_name": str(mine["area_name"].iloc[0]),
                        "criterion": column,
                        "mean": mean,
                        "low": low,
                        "high": high,
                    }
                )
    return pd.DataFrame(rows)


def headroom_differences(data: ReportData) -> pd.DataFrame:
    """Final-year headroom to the udsat thresholds, each scenario minus the first, paired.

    Returns
    -------
    pandas.DataFrame
        ``scenario``, ``area``, ``area_name``, ``criterion``, ``mean``, ``low``, ``high``
        (positive: the scenario keeps the area further from the threshold); empty unless
        :attr:`ReportData.paired`.
    """
    if not data.paired:
        return pd.DataFrame()
    reference = data.runs[0]
    base = reference.measures.area_criteria
    base = base[base["year"] == reference.last_year].set_index(["area", "replication"])
    rows = []
    for run in data.runs[1:]:
        criteria = run.measures.area_criteria
        final = criteria[criteria["year"] == run.last_year].set_index(["area", "replication"])
        for area in _big_areas(reference):
            if area not in final.index.get_level_values(0):
                continue
            mine = final.loc[area]
            theirs = base.loc[area]
            for column, *_ in CRITERIA:
                difference = (mine[f"{column}_headroom"] - theirs[f"{column}_headroom"]).dropna()
                mean, low, high = t_interval(difference)
                rows.append(
                    {
                        "scenario": run.label,
                        "area": area,
                        "area_name": str(mine["area_name"].iloc[0]),
                        "criterion": column,
                        "mean": mean,
                        "low": low,
                        "high": high,
                    }
                )
    return pd.DataFrame(rows)
