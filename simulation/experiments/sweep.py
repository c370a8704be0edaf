"""Parameter sweeps: variations of scenario keys, factorial and Latin-hypercube designs, sweep folders."""

from __future__ import annotations

import itertools
import json
import logging
import math
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from simulation.base.errors import Problem, ScenarioError, Words, danish_number, show_value
from simulation.base.spreadsheet import CsvDialect
from simulation.experiments.executors import Executor
from simulation.experiments.folders import (
    ExperimentError,
    claim_folder,
    timestamp,
    write_csv,
    write_json,
    write_table,
)
from simulation.experiments.measures import INDICATORS, run_measures, t_interval
from simulation.experiments.results import (
    TABLES,
    finished_replications,
    read_run,
)
from simulation.experiments.runner import RunJob, RunOutcome, simulate_many
from simulation.inputs.scenario import LoadedScenario
from simulation.model import Planner

__all__ = [
    "MAX_POINTS",
    "Design",
    "DesignPoint",
    "SweepOutcome",
    "Variation",
    "design_points",
    "parse_variation",
    "point_scenarios",
    "read_sweep",
    "sweep",
    "sweep_measures",
]

logger = logging.getLogger(__name__)


Design = Literal["factorial", "lhs"]

MAX_POINTS = 10_000
"""The most design points of one sweep (each is a run folder of replications)."""


@dataclass(frozen=True)
class Variation:
    """One ``--vary`` option: a scenario key and its values, or a range for a Latin hypercube.

    Attributes
    ----------
    key
        A dotted scenario key, e.g. ``agreement.default_referral_share``.
    values
        The values (TOML scalars or arrays), when listed.
    low, high
        The range, when given as ``LOW:HIGH`` (only with the ``lhs`` design).
    integer
        Whether the range is of whole numbers (both ends written as integers).
    """

    key: str
    values: tuple[Any, ...] = ()
    low: float | None = None
    high: float | None = None
    integer: bool = False

    @property
    def is_range(self) -> bool:
        """Whether the variation is a range rather than a list of values."""
        return self.low is not None

    def as_json(self) -> dict[str, Any]:
        """The variation as JSON data (for ``sweep.json``)."""
        if self.is_range:
            return {"key": self.key, "low": self.low, "high": self.high, "integer": self.integer}
        return {"key": self.key, "values": list(self.values)}


_BARE_WORD = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


_RANGE = re.compile(r"^\s*([^:,\[\]\"']+?)\s*:\s*([^:,\[\]\"']+?)\s*$")


def _toml_value(text: str) -> Any:
    return tomllib.loads(f"value = {text}")["value"]


def parse_variation(text: str) -> Variation:
    """Parse ``KEY=V1,V2,…`` or ``KEY=LOW:HIGH``; values are TOML (numbers, true/false, "text").

    Unquoted words (``next_vacancy``) are taken as text; arrays are written in brackets
    (``agreement.flexible_criteria=["employment"],["employment","education"]``).

    Raises
    ------
    ExperimentError
        Naming the option and what is wrong with it.
    """
    key, equals, rest = text.partition("=")
    key = key.strip()
    if not equals or not key or not rest.strip():
        raise ExperimentError(
            Words(
                f"--vary {text!r}: expected KEY=V1,V2,… or KEY=LOW:HIGH, e.g. "
                "agreement.default_referral_share=0.25,0.5",
                f"--vary {text!r}: forventede NØGLE=V1,V2,… eller NØGLE=FRA:TIL, f.eks. "
                "agreement.default_referral_share=0.25,0.5",
            )
        )
    if not re.fullmatch(r"[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*", key):
        raise ExperimentError(
            Words(
                f"--vary {text!r}: {key!r} is not a dotted scenario key",
                f"--vary {text!r}: {key!r} er ikke en scenarienøgle med punktummer",
            )
        )
    ranged = _RANGE.match(rest)
    if ranged:
        ends = []
        for part in ranged.groups():
            try:
                value = _toml_value(part)
            except tomllib.TOMLDecodeError:
                value = None
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ExperimentError(
                    Words(
                        f"--vary {text!r}: range end {part!r} is not a number (expected LOW:HIGH)",
                        f"--vary {text!r}: intervallets ende {part!r} er ikke et tal (forventede "
                        "FRA:TIL)",
                    )
                )
            ends.append(value)
        low, high = ends
        if not low < high:
            raise ExperimentError(
                Words(
                    f"--vary {text!r}: expected LOW < HIGH, got {low} and {high}",
                    f"--vary {text!r}: forventede FRA < TIL, fik {low} og {high}",
                )
            )
        integer = all(isinstance(end, int) for end in ends)
        return Variation(key, low=float(low), high=float(high), integer=integer)
    try:
        values = tomllib.loads(f"value = [{rest}]")["value"]
    except tomllib.TOMLDecodeError:
        values = []
        for part in rest.split(","):
            item = part.strip()
            try:
                values.append(_toml_value(item))
            except tomllib.TOMLDecodeError:
                if not _BARE_WORD.match(item):
                    raise ExperimentError(
                        Words(
                            f"--vary {text!r}: cannot read the value {item!r} (write numbers, "
                            'true/false, or text in quotes: "next_vacancy")',
                            f"--vary {text!r}: kan ikke læse værdien {item!r} (skriv tal, "
                            'true/false eller tekst i anførselstegn: "next_vacancy")',
                        )
                    ) from None
                values.append(item)
    if not values:
        raise ExperimentError(
            Words(f"--vary {text!r}: no values given", f"--vary {text!r}: ingen værdier givet")
        )
    canonical = [json.dumps(v, sort_keys=True) for v in values]
    if len(set(canonical)) != len(canonical):
        raise ExperimentError(
            Words(f"--vary {text!r}: a value is repeated", f"--vary {text!r}: en værdi gentages")
        )
    return Variation(key, values=tuple(values))


@dataclass(frozen=True)
class DesignPoint:
    """One point of a sweep: its id and the value of each varied key."""

    point: str
    values: Mapping[str, Any]

    @property
    def label(self) -> str:
        """``share=0.25, flexible_letting_share=0.3``: the last part of each key and its value."""
        return ", ".join(f"{key.rsplit('.', 1)[-1]}={_show(v)}" for key, v in self.values.items())


def _show(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, str):
        return value
    return json.dumps(value)


def design_points(
    variations: Sequence[Variation],
    design: Design = "factorial",
    *,
    samples: int | None = None,
    entropy: int = 0,
) -> list[DesignPoint]:
    """The points of a sweep design.

    Parameters
    ----------
    variations
        The varied keys (distinct).
    design
        ``factorial``: every combination of the listed values. ``lhs``: ``samples`` points of a
        Latin hypercube over the ranges (``LOW:HIGH``; whole numbers when both ends are) and the
        listed values (as equally likely levels), drawn from the seed.
    samples
        Points of the Latin hypercube.
    entropy
        The seed (the hypercube is drawn from its own stream of it).

    Raises
    ------
    ExperimentError
        If a key is repeated, a range is given for a factorial design, or ``samples`` is missing.
    """
    keys = [variation.key for variation in variations]
    if not variations:
        raise ExperimentError(
            Words(
                "a sweep needs at least one --vary KEY=…",
                "en afsøgning skal have mindst én --vary NØGLE=…",
            )
        )
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        names = ", ".join(repeated)
        raise ExperimentError(
            Words(f"--vary names {names} more than once", f"--vary nævner {names} mere end én gang")
        )
    if design == "factorial":
        ranges = [v.key for v in variations if v.is_range]
        if ranges:
            raise ExperimentError(
                Words(
                    f"--vary {ranges[0]}=LOW:HIGH is a range: use --design lhs --samples N, or "
                    "list values (KEY=V1,V2,…) for a factorial design",
                    f"--vary {ranges[0]}=FRA:TIL er et interval: brug --design lhs --samples N, "
                    "eller skriv værdierne op (NØGLE=V1,V2,…) for et fuldt faktorielt design",
                )
            )
        if samples is not None:
            raise ExperimentError(
                Words("--samples is for --design lhs", "--samples hører til --design lhs")
            )
        count = math.prod(len(v.values) for v in variations)
        if count > MAX_POINTS:
            raise ExperimentError(
                Words(
                    f"--vary gives {count:,} combinations; expected at most {MAX_POINTS:,} points "
                    "(vary fewer keys or values, or use --design lhs --samples N)",
                    f"--vary giver {danish_number(f'{count:,}')} kombinationer; forventede højst "
                    f"{danish_number(f'{MAX_POINTS:,}')} punkter (variér færre nøgler eller "
                    "værdier, eller brug --design lhs --samples N)",
                )
            )
        combos = list(itertools.product(*(v.values for v in variations)))
    elif design == "lhs":
        if samples is None or not 1 <= samples <= MAX_POINTS:
            most = f"{MAX_POINTS:,}"
            raise ExperimentError(
                Words(
                    f"--design lhs needs --samples N (N from 1 to {most})",
                    f"--design lhs skal have --samples N (N fra 1 til {danish_number(most)})",
                )
            )
        combos = _latin_hypercube(variations, samples, entropy)
    else:
        raise ExperimentError(
            Words(
                f"--design {design!r}: expected factorial or lhs",
                f"--design {design!r}: forventede factorial eller lhs",
            )
        )
    width = max(3, len(str(len(combos) - 1)))
    return [
        DesignPoint(f"p{index:0{width}d}", dict(zip(keys, combo, strict=True)))
        for index, combo in enumerate(combos)
    ]


def _latin_hypercube(
    variations: Sequence[Variation], samples: int, entropy: int
) -> list[tuple[Any, ...]]:
    from scipy.stats import qmc

    rng = np.random.default_rng(np.random.SeedSequence([entropy, 0x4C4853]))  # "LHS"
    unit = qmc.LatinHypercube(d=len(variations), rng=rng).random(samples)
    combos = []
    for row in unit:
        combo: list[Any] = []
        for u, variation in zip(row.tolist(), variations, strict=True):
            if variation.is_range:
                low, high = float(variation.low or 0.0), float(variation.high or 0.0)
                if variation.integer:
                    combo.append(math.floor(low + u * (high - low + 1)))
                else:
                    combo.append(float(f"{low + u * (high - low):.6g}"))
            else:
                combo.append(
                    variation.values[min(int(u * len(variation.values)), len(variation.values) - 1)]
                )
        combos.append(tuple(combo))
    return combos


def point_scenarios(
    loaded: LoadedScenario, variations: Sequence[Variation], points: Sequence[DesignPoint]
) -> list[LoadedScenario]:
    """Validate every varied key and value alone, then build every point's scenario.

    Nothing runs; every problem found is reported at once.

    Raises
    ------
    ScenarioError
        Naming each bad key or value (and each invalid combination) with what was expected.
    """
    problems: list[Problem] = []
    for variation in variations:
        trial = [variation.low, variation.high] if variation.is_range else list(variation.values)
        for value in trial:
            if variation.is_range and variation.integer:
                value = int(value or 0)
            try:
                loaded.with_overrides({variation.key: value})
            except ScenarioError as error:
                problems.extend(_blame(error, variation.key, value))
                if any("a key of the scenario schema" in p.expected for p in error.problems):
                    break  # the key itself is wrong: one message is enough
    if problems:
        raise ScenarioError(problems)
    scenarios = []
    for point in points:
        try:
            scenarios.append(loaded.with_overrides(point.values))
        except ScenarioError as error:
            problems.extend(
                Problem(
                    Words(
                        f"{loaded.source} point {point.point} ({point.label})",
                        f"{loaded.source} punkt {point.point} ({point.label})",
                    ),
                    p.location,
                    p.value,
                    p.expected,
                )
                for p in error.problems
            )
    if problems:
        raise ScenarioError(problems)
    return scenarios


def _blame(error: ScenarioError, key: str, value: Any) -> list[Problem]:
    """The problems of one ``--vary`` value, labelled with the option."""
    return [
        Problem(f"--vary {key}={show_value(value)}", p.location, p.value, p.expected)
        for p in error.problems
    ]


@dataclass(frozen=True)
class SweepOutcome:
    """What :func:`sweep` did: the folder, its points and each point's run."""

    sweep_dir: Path
    points: Sequence[DesignPoint]
    runs: Sequence[RunOutcome]
    measures: pd.DataFrame
    """Per point × replication: ``point``, the varied keys, ``replication`` and the indicators."""
    summary: pd.DataFrame
    """Per point: the varied keys and, per indicator, ``<indicator>`` (mean), ``_low_95``, ``_high_95``."""
    point_names: Mapping[str, str] = field(default_factory=dict)
    """Each point's values in words, by point id (empty unless :func:`sweep` was given them)."""


def sweep(
    loaded: LoadedScenario,
    variations: Sequence[Variation],
    out_dir: str | Path,
    *,
    design: Design = "factorial",
    samples: int | None = None,
    replications: int = 10,
    years: int | None = None,
    entropy: int = 0,
    executor: Executor | None = None,
    planner: Planner | None = None,
    batch_size: int | None = None,
    shared_filesystem: bool = True,
    on_replication: Callable[[int], None] | None = None,
    on_start: Callable[[int, int], None] | None = None,
    csv_dialect: CsvDialect = "en",
    point_names: Mapping[str, str] | None = None,
) -> SweepOutcome:
    """Run a scenario at every point of a design, each point a run folder under ``out_dir/points``.

    All points share the seed (common random numbers across points). Every key and value is
    validated, and every point's scenario built, before anything runs. Re-running the same call
    resumes.

    Parameters
    ----------
    loaded
        The base scenario.
    variations
        The varied keys (:func:`parse_variation`).
    out_dir
        The sweep folder.
    design, samples
        See :func:`design_points`.
    replications
        Replications per point.
    years
        Years to simulate (default: each point's horizon, ``horizon.years``, which may vary).
    entropy
        The seed of every point (and of the hypercube).
    executor, planner, batch_size, shared_filesystem, on_replication, on_start
        As for :func:`simulation.experiments.runner.simulate_many`.
    csv_dialect
        How the CSV tables are written (``"da"`` for Danish Excel); Parquet keeps full precision.
    point_names
        Each point's values in words, by point id (``Default referral share 50 %``), written to
        ``points.csv`` as ``point_name`` beside the machine-readable ``label``
        (``default_referral_share=0.5``).

    Raises
    ------
    ExperimentError
        If the design is invalid or ``out_dir`` holds another sweep.
    ScenarioError
        If a key or value is invalid (nothing has run).
    """
    points = design_points(variations, design, samples=samples, entropy=entropy)
    scenarios = point_scenarios(loaded, variations, points)
    out = Path(out_dir)
    horizon = years  # None: each point's own horizon (which may be varied)
    manifest = {
        "kind": "sweep",
        "scenario": {
            "file": str(loaded.source),
            "name": loaded.scenario.name,
            "digest": loaded.digest,
        },
        "digest": loaded.digest,
        "design": design,
        "samples": samples,
        "variations": [variation.as_json() for variation in variations],
        "keys": [variation.key for variation in variations],
        "entropy": entropy,
        "years": horizon,
        "points": [
            {"point": p.point, "values": dict(p.values), "run": f"points/{p.point}"} for p in points
        ],
    }
    claim_folder(out / "sweep.json", manifest, ("digest", "points", "entropy", "years"))
    jobs = [
        RunJob(scenario, out / "points" / point.point, entropy, horizon, replications)
        for point, scenario in zip(points, scenarios, strict=True)
    ]
    point_table = pd.DataFrame(
        [
            {
                "point": p.point,
                **p.values,
                "label": p.label,
                **({"point_name": point_names.get(p.point, p.label)} if point_names else {}),
                "run": f"points/{p.point}",
            }
            for p in points
        ]
    )
    write_csv(point_table, out / "points.csv", csv_dialect)
    runs = simulate_many(
        jobs,
        planner=planner,
        executor=executor,
        batch_size=batch_size,
        shared_filesystem=shared_filesystem,
        on_replication=on_replication,
        on_start=on_start,
    )
    measures = sweep_measures(out)
    summary = _point_summary(measures, [v.key for v in variations])
    write_table(measures, out / "indicators", csv_dialect)
    write_table(summary, out / "summary", csv_dialect)
    finished = {p.point: len(r.ran) for p, r in zip(points, runs, strict=True)}
    write_json(
        out / "sweep.json",
        manifest
        | {
            "replications": replications,
            "ran_now": finished,
            "status": "complete"
            if all(len(finished_replications(job.run_dir)) >= replications for job in jobs)
            else "partial",
            "updated": timestamp(),
        },
    )
    return SweepOutcome(out, points, runs, measures, summary, dict(point_names or {}))


def _sweep_manifest(sweep_dir: Path) -> dict[str, Any]:
    path = sweep_dir / "sweep.json"
    if not path.is_file():
        raise FileNotFoundError(
            Words(
                f"{sweep_dir} is not a sweep folder: it has no sweep.json",
                f"{sweep_dir} er ikke en afsøgningsmappe: den har ingen sweep.json",
            )
        )
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return manifest


def read_sweep(
    sweep_dir: str | Path, tables: Iterable[str] = TABLES, *, complete_only: bool = False
) -> dict[str, pd.DataFrame]:
    """Read a sweep folder's run tables, all points stacked, with the varied values as columns.

    Parameters
    ----------
    sweep_dir
        A folder written by ``blandetby sweep`` (or ``frontier``).
    tables
        Which tables (default: all of :data:`simulation.experiments.results.TABLES`).
    complete_only
        Refuse a point whose run has not finished every replication (instead of warning, as
        :func:`~simulation.experiments.results.read_run` does).

    Returns
    -------
    dict of str to pandas.DataFrame
        Each table with ``point`` and one column per varied key (named by the dotted key) in
        front of the run columns; finished replications only.
    """
    sweep_dir = Path(sweep_dir)
    manifest = _sweep_manifest(sweep_dir)
    names = list(tables)
    parts: dict[str, list[pd.DataFrame]] = {name: [] for name in names}
    for point in manifest["points"]:
        run = read_run(sweep_dir / point["run"], names, complete_only=complete_only)
        for name in names:
            frame = run[name]
            if frame.empty:
                continue
            _insert_point_columns(frame, point["point"], point["values"])
            parts[name].append(frame)
    return {
        name: pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
        for name, frames in parts.items()
    }


def _insert_point_columns(frame: pd.DataFrame, point: str, values: Mapping[str, Any]) -> None:
    for position, (key, value) in enumerate(values.items()):
        frame.insert(position, key, [value] * len(frame) if isinstance(value, list) else value)
    frame.insert(0, "point", point)


def sweep_measures(sweep_dir: str | Path) -> pd.DataFrame:
    """Per point × finished replication: ``point``, the varied keys, ``replication``, indicators."""
    sweep_dir = Path(sweep_dir)
    manifest = _sweep_manifest(sweep_dir)
    frames = []
    for point in manifest["points"]:
        indicators = run_measures(sweep_dir / point["run"]).indicators.copy()
        _insert_point_columns(indicators, point["point"], point["values"])
        frames.append(indicators)
    return pd.concat(frames, ignore_index=True)


def _point_summary(measures: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    rows = []
    for point, group in measures.groupby("point", sort=True):
        row: dict[str, Any] = {"point": point}
        for key in keys:
            row[key] = group[key].iloc[0]
        row["replications"] = len(group)
        for indicator in INDICATORS:
            mean, low, high = t_interval(group[indicator].astype(np.float64))
            row[indicator] = mean
            row[f"{indicator}_low_95"] = low
            row[f"{indicator}_high_95"] = high
        rows.append(row)
    return pd.DataFrame(rows)
