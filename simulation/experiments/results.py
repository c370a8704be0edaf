"""Run folders: tidy tables that stream to disk one replication at a time, and survive a crash.

Layout of a run folder::

    RUN_DIR/
      run.json                            what was run: scenario (file, name, hash), entropy, years,
                                          package version, timings
      department_year.parquet/            one part per replication: replication-00000.parquet, …
      area_year.parquet/
      referrals.parquet/
      monthly.parquet/
      plan_adherence.parquet/
      lapsed_claims.parquet/
      replications/00000.json             written last for each replication: it is finished
      figures/*.png

Every table file is written atomically (a hidden temporary name, then a rename), and a replication
counts only once its marker in ``replications/`` exists, so a half-written replication is never
read and a resumed run redoes it. ``pandas.read_parquet("RUN_DIR/area_year.parquet")`` reads a
table directly; :func:`read_run` reads every table with the finished replications only, and warns
(:class:`IncompleteRunWarning`) when fewer have finished than the run asked for (an interrupted
run), or refuses them with ``complete_only=True``.

Tables (one row per replication × year × department or area, or per referral; shares 0–1):

``department_year``
    ``run_id, entropy, replication, year, department, area, organisation, dwellings, households,
    residents, adults_18_64, outside_work_education_share, basic_education_share,
    income_ratio_region, nonwestern_share, conviction_ratio, move_outs, lettings_referral,
    lettings_flexible, lettings_internal, lettings_external, refusals, vacant_months_department,
    vacant_months_municipality, vacant_rent_department_kr, vacant_rent_municipality_kr,
    new_adults_18_64, new_adults_in_work_or_education, rehoused_in, tier, referral_share_agreed,
    tier_data_year``. ``dwellings`` are the family dwellings left after development plans. Stocks
    are as of 1 December, flows over the calendar year (``vacant_*``: empty dwelling-months and
    their rent, by who pays it); ``tier`` and ``referral_share_agreed`` are those in force during
    the year (placed the December before, from the figures of ``tier_data_year``). The row of the
    year before the start is the department data itself (day 0), with no flows and no tier in
    force (empty, NaN).
``area_year``
    ``run_id, entropy, replication, year, data_year, area, area_name, residents,
    outside_work_education_share, conviction_ratio, basic_education_share, income_ratio_region,
    nonwestern_share, criteria_met, prevention_criteria_met, udsat, parallelsamfund,
    omdannelsesomraade, forebyggelsesomraade, parallelsamfund_years, family_dwellings,
    family_dwellings_share, rehoused_out, left_with_sale``: the values the law would
    publish that 1 December (2-year means for outside work/education and convictions), compared
    from the figures of ``data_year`` (``legal.data_lag_years`` earlier; residents of that
    January), the lists, and what development plans did that year (docs/law.md 3.1;
    ``family_dwellings_share`` is NaN where the area has no plan).
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
    rehousing_queue, queue_<group>…``.
``plan_adherence``
    ``run_id, entropy, replication, window_start_month, window_months, department, group,
    planned, realised, unrealised, claims, claims_lapsed, reason``: per plan window (a
    re-planning to the next), department and plan group (``<group>``, ``<group>:barred_udsat``,
    ``<group>:barred_prevention``), the referrals the plan wanted and those made; ``claims`` and
    ``claims_lapsed`` are the department's in the window; ``reason`` (for a quota not met) is the
    commonest reason its claims lapsed, else ``fewer_claims`` or ``claims_used_by_other_groups``.
    Empty unless the policy plans quotas (``optimised``).
``lapsed_claims``
    ``run_id, entropy, replication, month, department, reason, claims``: claims the municipality
    let go, by reason: ``nobody_waiting``, ``no_fitting_household`` (rooms, rent),
    ``barred`` (§ 59 stk. 6/7), ``not_in_plan``, ``volume_cap``; a claim carried over or a
    dwelling held lapses with the reason of its last try.
"""

from __future__ import annotations

import io
import json
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from simulation.base.atomic import atomic_path, atomic_write_text
from simulation.base.errors import InputWarning, OutputError, Words

__all__ = [
    "TABLES",
    "IncompleteRunError",
    "IncompleteRunWarning",
    "RunFolderError",
    "finished_replications",
    "incomplete_note",
    "read_run",
    "read_run_info",
    "write_replication",
]

TABLES = (
    "department_year",
    "area_year",
    "referrals",
    "monthly",
    "plan_adherence",
    "lapsed_claims",
)
"""The tables of a run folder."""

MARKERS = "replications"


class RunFolderError(OutputError):
    """The output folder holds a different run (or something else) and would be mixed up.

    Raised with a :class:`~simulation.base.errors.Words` message, so that it says itself in Danish.
    """


class IncompleteRunWarning(InputWarning):
    """A run folder holds fewer finished replications than its run asked for."""


class IncompleteRunError(ValueError):
    """A run folder is incomplete and only complete runs were asked for."""


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
        raise FileNotFoundError(
            Words(
                f"{run_dir} is not a run folder: it has no run.json",
                f"{run_dir} er ikke en kørselsmappe: den har ingen run.json",
            )
        )
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        where = f"{type(error).__name__} at byte {getattr(error, 'pos', 0)}"
        where_danish = f"{type(error).__name__} ved byte {getattr(error, 'pos', 0)}"
        raise RunFolderError(
            Words(
                f"{path} is damaged ({where}); "
                "expected the run.json blandetby writes: delete the folder or choose another --out",
                f"{path} er beskadiget ({where_danish}); forventede den run.json, som blandetby "
                "skriver: slet mappen, eller vælg en anden --out",
            )
        ) from None
    if not isinstance(info, dict):
        raise RunFolderError(
            Words(
                f"{path} is damaged (not a JSON object); expected the run.json blandetby writes",
                f"{path} er beskadiget (ikke et JSON-objekt); forventede den run.json, som "
                "blandetby skriver",
            )
        )
    return info


def incomplete_note(info: Mapping[str, Any], finished: int) -> str:
    """``"incomplete: k of R replications …"`` when fewer than asked have finished, else ``""``.

    Parameters
    ----------
    info
        The run's ``run.json`` (``replications`` is how many it asked for, ``status`` how it
        ended).
    finished
        How many replications have finished.
    """
    asked = int(info.get("replications", finished) or finished)
    if finished >= asked:
        return ""
    status = info.get("status", "unknown")
    return Words(
        f"incomplete: {finished} of {asked} replications (run.json status "
        f"{status!r}: interrupted, or still running); run the same "
        "command again to finish it",
        f"ufuldstændig: {finished} af {asked} gentagelser (run.json status {status!r}: afbrudt, "
        "eller kører stadig); kør den samme kommando igen for at gøre den færdig",
    )


def read_run(
    run_dir: str | Path, tables: Iterable[str] = TABLES, *, complete_only: bool = False
) -> dict[str, pd.DataFrame]:
    """Read a run folder's tables with all finished replications.

    Parameters
    ----------
    run_dir
        A folder written by ``blandetby run`` (or ``compare`` / ``sweep`` for one scenario).
    tables
        Which tables to read (default: all of :data:`TABLES`).
    complete_only
        Refuse a run with fewer finished replications than it asked for (instead of warning).

    Returns
    -------
    dict of str to pandas.DataFrame
        One frame per table, replications in order; half-written replications are left out.

    Raises
    ------
    FileNotFoundError
        If ``run_dir`` has no ``run.json``.
    RunFolderError
        If its ``run.json`` is damaged.
    IncompleteRunError
        With ``complete_only``, if not every replication asked for has finished.

    Warns
    -----
    IncompleteRunWarning
        If not every replication asked for has finished: "incomplete: k of R replications …".
    """
    run_dir = Path(run_dir)
    info = read_run_info(run_dir)
    done = finished_replications(run_dir)
    note = incomplete_note(info, len(done))
    if note and complete_only:
        raise IncompleteRunError(Words.join_words(f"{run_dir}: ", note))
    if note:
        warnings.warn(Words.join_words(f"{run_dir}: ", note), IncompleteRunWarning, stacklevel=2)
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
