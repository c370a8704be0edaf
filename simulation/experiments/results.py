"""Run folders: tidy tables that stream to disk one replication at a time, and survive a crash.

Layout of a run folder::

    RUN_DIR/
      run.json                            what was run: scenario (file, name, hash), entropy, years,
                                          package version, timings
      department_year.parquet/            one part per replication: replication-00000.parquet, …
      area_year.parquet/
      referrals.parquet/
      monthly.parquet/
      lapsed_claims.parquet/
      replications/00000.json             written last for each replication: it is finished
      figures/*.png

Every table file is written atomically (a hidden temporary name, then a rename), and a replication
counts only once its marker in ``replications/`` exists, so a half-written replication is never
read and a resumed run redoes it. ``pandas.read_parquet("RUN_DIR/area_year.parquet")`` reads a
table directly; :func:`read_run` reads every table with the finished replications only.

Tables (one row per replication × year × department or area, or per referral; shares 0–1):

``department_year``
    ``run_id, entropy, replication, year, department, area, organisation, dwellings, households,
    residents, adults_18_64, outside_work_education_share, basic_education_share,
    income_ratio_region, nonwestern_share, conviction_ratio, move_outs, lettings_referral,
    lettings_flexible, lettings_internal, lettings_external, refusals, vacant_months_department,
    vacant_months_municipality, vacant_rent_department_kr, vacant_rent_municipality_kr,
    new_adults_18_64, new_adults_in_work_or_education, tier, referral_share_agreed``. Stocks are
    as of 1 December, flows over the calendar year (``vacant_*``: empty dwelling-months and their
    rent, by who pays it); the row
    of the year before the start is the department data itself (day 0), with no flows.
``area_year``
    ``run_id, entropy, replication, year, area, area_name, residents, outside_work_education_share,
    conviction_ratio, basic_education_share, income_ratio_region, nonwestern_share, criteria_met,
    prevention_criteria_met, udsat, parallelsamfund, omdannelsesomraade, forebyggelsesomraade,
    parallelsamfund_years``: the values the law would publish that 1 December (2-year means for
    outside work/education and convictions), and the lists.
``referrals``
    ``run_id, entropy, replication, referral_id, group, arrival_month, housed_month, department,
    wait_months, left_month, outcome, queue_months, evicted_month, previous_referral_id,
    barred_from_listed_areas``, one row per spell in the queue; months count from the first
    simulated January (0); ``housed_month``, ``department`` and ``wait_months`` are empty while a
    household waits or after it found housing elsewhere (``left_month``). ``outcome`` is
    ``housed``, ``evicted`` (housed, then the tenancy failed in ``evicted_month``: the household
    joined the queue again as a new spell, whose ``previous_referral_id`` is this one), ``left``
    or ``waiting`` (at the end); ``queue_months`` is the time in the queue until housed, leaving
    or the end (a Kaplan–Meier duration, censored where not housed).
``monthly``
    ``run_id, entropy, replication, month, year, households, vacancies, referral_queue,
    queue_<group>…``.
``lapsed_claims``
    ``run_id, entropy, replication, month, department, reason, claims``: claims the municipality
    let go, by reason: ``nobody_waiting``, ``no_fitting_household`` (rooms, rent),
    ``barred`` (§ 59 stk. 6/7), ``not_in_plan``; a claim carried over or a dwelling held lapses
    with the reason of its last try.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from simulation.base.atomic import atomic_path, atomic_write_text

__all__ = ["TABLES", "finished_replications", "read_run", "read_run_info", "write_replication"]

TABLES = ("department_year", "area_year", "referrals", "monthly", "lapsed_claims")
"""The tables of a run folder."""

MARKERS = "replications"


def part_name(replication: int) -> str:
    """File name of one replication's part of a table."""
    return f"replication-{replication:05d}.parquet"


def write_replication(
    run_dir: Path,
    replication: int,
    tables: Mapping[str, pd.DataFrame],
    info: Mapping[str, Any],
) -> None:
    """Write one finished replication: each table atomically, then its marker.

    Parameters
    ----------
    run_dir
        The run folder.
    replication
        The replication's index.
    tables
        The tables by name (:data:`TABLES`); each already carries its run columns.
    info
        What to record in the marker (timing, seed), as JSON-serialisable values.
    """
    for name, frame in tables.items():
        target = run_dir / f"{name}.parquet" / part_name(replication)
        with atomic_path(target) as temporary:
            frame.to_parquet(temporary, index=False)
    marker = run_dir / MARKERS / f"{replication:05d}.json"
    atomic_write_text(marker, json.dumps(dict(info), indent=2, sort_keys=True))


def finished_replications(run_dir: str | Path) -> list[int]:
    """Indices of the replications whose every table has been written (marker present)."""
    folder = Path(run_dir) / MARKERS
    if not folder.is_dir():
        return []
    found = []
    for marker in folder.glob("*.json"):
        if marker.stem.isdigit():
            found.append(int(marker.stem))
    return sorted(found)


def read_run_info(run_dir: str | Path) -> dict[str, Any]:
    """The run's ``run.json`` (what was run, with what seed and code)."""
    path = Path(run_dir) / "run.json"
    if not path.is_file():
        raise FileNotFoundError(f"{run_dir} is not a run folder: it has no run.json")
    info: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return info


def read_run(run_dir: str | Path, tables: Iterable[str] = TABLES) -> dict[str, pd.DataFrame]:
    """Read a run folder's tables with all finished replications.

    Parameters
    ----------
    run_dir
        A folder written by ``blandetby run`` (or ``compare`` / ``sweep`` for one scenario).
    tables
        Which tables to read (default: all of :data:`TABLES`).

    Returns
    -------
    dict of str to pandas.DataFrame
        One frame per table, replications in order; half-written replications are left out.

    Raises
    ------
    FileNotFoundError
        If ``run_dir`` has no ``run.json``.
    """
    run_dir = Path(run_dir)
    read_run_info(run_dir)
    done = finished_replications(run_dir)
    result: dict[str, pd.DataFrame] = {}
    for name in tables:
        parts = [run_dir / f"{name}.parquet" / part_name(r) for r in done]
        frames = [pd.read_parquet(part) for part in parts if part.is_file()]
        result[name] = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return result


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    """A frame as Parquet bytes (for hashing and tests)."""
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()
