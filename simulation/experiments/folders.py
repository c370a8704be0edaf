"""Experiment folders: claiming a folder for one experiment, and writing its tables atomically."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from simulation.base.atomic import atomic_path, atomic_write_text
from simulation.base.errors import Words
from simulation.base.spreadsheet import CsvDialect, spreadsheet_csv

__all__ = [
    "ExperimentError",
    "claim_folder",
    "timestamp",
    "write_csv",
    "write_json",
    "write_table",
]

logger = logging.getLogger(__name__)


def write_table(frame: pd.DataFrame, stem: Path, dialect: CsvDialect = "en") -> None:
    """Write ``frame`` as ``stem.csv`` (rounded, in ``dialect``) and ``stem.parquet``, atomically.

    The Parquet file keeps full precision.
    """
    write_csv(frame, stem.with_suffix(".csv"), dialect)
    with atomic_path(stem.with_suffix(".parquet")) as temporary:
        frame.to_parquet(temporary, index=False)


def write_csv(frame: pd.DataFrame, target: Path, dialect: CsvDialect = "en") -> None:
    """Write ``frame`` as CSV to ``target`` atomically.

    Text a spreadsheet cannot take as formulas, values rounded to what they mean, in the dialect
    (:func:`simulation.base.spreadsheet.spreadsheet_csv`: ``da`` for Danish Excel).
    """
    atomic_write_text(target, spreadsheet_csv(frame, dialect))


def write_json(target: Path, data: Mapping[str, Any]) -> None:
    """Write ``data`` as indented JSON to ``target`` atomically."""
    atomic_write_text(target, json.dumps(data, indent=2, ensure_ascii=False, default=str))


def timestamp() -> str:
    """Now, in UTC, to the second (ISO 8601)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def claim_folder(manifest_path: Path, manifest: Mapping[str, Any], keys: Sequence[str]) -> None:
    """Write the manifest into a new folder, or check that the folder holds this experiment."""
    folder = manifest_path.parent
    if manifest_path.is_file():
        existing = json.loads(manifest_path.read_text(encoding="utf-8"))
        fingerprint = _fingerprint({k: manifest[k] for k in keys})
        if _fingerprint({k: existing.get(k) for k in keys}) != fingerprint:
            differs = [
                k for k in keys if _fingerprint(existing.get(k)) != _fingerprint(manifest[k])
            ]
            kind = str(manifest["kind"])
            raise ExperimentError(
                Words(
                    f"{folder} holds another {kind} (its {', '.join(differs)} "
                    "differ); choose another --out or delete the folder",
                    f"{folder} rummer en anden {KINDS_DANISH.get(kind, (kind, kind))[0]} (dens "
                    f"{', '.join(differs)} er anderledes); vælg en anden --out, eller slet mappen",
                )
            )
        return
    if folder.exists() and any(folder.iterdir()):
        kind = str(manifest["kind"])
        raise ExperimentError(
            Words(
                f"{folder} exists and is not a {kind} folder; choose another --out",
                f"{folder} findes og er ikke en {KINDS_DANISH.get(kind, (kind, kind))[1]}; vælg "
                "en anden --out",
            )
        )
    write_json(manifest_path, dict(manifest) | {"status": "running", "created": timestamp()})


def _fingerprint(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


KINDS_DANISH = {
    "sweep": ("afsøgning", "afsøgningsmappe"),
    "comparison": ("sammenligning", "sammenligningsmappe"),
    "sensitivity": ("følsomhedsanalyse", "mappe til følsomhedsanalyse"),
    "robustness": ("robusthedsanalyse", "mappe til robusthedsanalyse"),
    "frontier": ("front", "frontmappe"),
}
"""Each kind of experiment folder in Danish: (the experiment, its folder)."""


class ExperimentError(ValueError):
    """An experiment was asked for with invalid settings, or its folder holds another one."""
