"""Uncertainty as data: the plausible range of each assumed ([A]) or unverified ([U]) parameter.

A ranges file (``scenarios/ranges/uncertainty.toml`` is the bundled one; a user may edit a copy) lists
scenario fields with a low and a high value, a distribution and the source of the range::

    schema_version = 1

    [[parameter]]
    path = "applicants.employed_share"
    low = 0.25
    high = 1.0
    distribution = "uniform"          # or "triangular" with mode = …
    source = "Aarhus 2013–16: the flexible-letting effect moves from +1.2 to +3.3 pp over this range"

A path names a numeric field of the scenario schema (see ``scenarios/README.md``). In
``referral_groups.*.leave_queue_per_year`` the ``*`` stands for every referral group of the
scenario: one parameter per group. Whole-number fields (``agreement.data_lag_years``) take whole
values, every value from low to high equally likely unless a distribution says otherwise.

:func:`read_ranges` checks the file alone (keys, numbers, low < high, a field of the schema);
:func:`scenario_parameters` checks it against a scenario (each end inside the field's bounds and
valid in the scenario, groups expanded). Both raise :class:`~simulation.base.errors.ScenarioError`
naming the file, the entry (``parameter[3].high``), the value and what was expected.
"""

from __future__ import annotations

import math
import tomllib
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from simulation.base.errors import Problem, ScenarioError, Words, danish_number, show_value
from simulation.inputs.scenario import (
    LoadedScenario,
    Scenario,
    field_bounds,
    nested_model,
    toml_expected,
)

__all__ = [
    "DEFAULT_RANGES",
    "DISTRIBUTIONS",
    "MAX_PARAMETERS",
    "Parameter",
    "RangeEntry",
    "read_ranges",
    "scenario_parameters",
]

DEFAULT_RANGES = Path(__file__).resolve().parents[2] / "scenarios" / "ranges" / "uncertainty.toml"
"""The bundled ranges file (in a source checkout)."""

DISTRIBUTIONS = ("uniform", "triangular")
"""The distributions a range may have (``triangular`` needs a ``mode`` between low and high)."""

MAX_PARAMETERS = 200
"""The most parameters one ranges file may give (after referral groups are expanded)."""

_ENTRY_KEYS = {"path", "low", "high", "distribution", "mode", "source"}


@dataclass(frozen=True)
class RangeEntry:
    """One entry of a ranges file, as written (its path may hold ``*`` for every group)."""

    path: str
    low: float
    high: float
    distribution: Literal["uniform", "triangular"] = "uniform"
    mode: float | None = None
    source: str = ""
    index: int = 0
    """The entry's position in the file (``parameter[index]``)."""


@dataclass(frozen=True)
class Parameter:
    """One uncertain parameter: a scenario field, its range and distribution.

    Attributes
    ----------
    name
        The dotted scenario key, e.g. ``applicants.sorting_by_trait.income``.
    low, high
        The range (both ends included).
    distribution
        ``uniform`` or ``triangular`` (peak at ``mode``).
    mode
        The peak of a triangular distribution.
    integer
        Whether the field takes whole numbers (values are then ``low`` … ``high`` in steps of 1).
    source
        Where the range comes from, or why it is what it is.
    """

    name: str
    low: float
    high: float
    distribution: Literal["uniform", "triangular"] = "uniform"
    mode: float | None = None
    integer: bool = False
    source: str = ""

    def value(self, unit: float) -> float | int:
        """The parameter's value at quantile ``unit`` (0–1) of its distribution.

        Examples
        --------
        >>> Parameter("x", 2.0, 4.0).value(0.25)
        2.5
        >>> Parameter("lag", 0, 2, integer=True).value(0.5)
        1
        >>> Parameter("t", 0.0, 1.0, "triangular", mode=0.0).value(0.75)
        0.5
        """
        u = min(max(float(unit), 0.0), 1.0)
        if self.integer:
            count = round(self.high - self.low) + 1
            return round(self.low) + min(int(u * count), count - 1)
        low, high = self.low, self.high
        if self.distribution == "triangular" and self.mode is not None:
            mode = self.mode
            cut = (mode - low) / (high - low)
            if u < cut:
                return low + math.sqrt(u * (high - low) * (mode - low))
            return high - math.sqrt((1.0 - u) * (high - low) * (high - mode))
        return low + u * (high - low)

    def as_json(self) -> dict[str, Any]:
        """The parameter as JSON data (for a manifest)."""
        return {
            "name": self.name,
            "low": self.low,
            "high": self.high,
            "distribution": self.distribution,
            "mode": self.mode,
            "integer": self.integer,
            "source": self.source,
        }


def read_ranges(path: str | Path) -> list[RangeEntry]:
    """Read and check a ranges file on its own (not yet against a scenario).

    Raises
    ------
    ScenarioError
        Naming every problem: a file that cannot be read, an unknown key, a path that is not a
        numeric field of the schema, an end that is not a number, low not below high, an unknown
        distribution or a mode outside the range.
    """
    source = Path(path)
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError(
            [
                Problem(
                    source,
                    "",
                    "",
                    Words(
                        "an existing ranges TOML file", "en eksisterende TOML-fil med intervaller"
                    ),
                )
            ]
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError(
            [
                Problem(
                    source,
                    "",
                    type(error).__name__,
                    Words("a readable UTF-8 TOML file", "en læsbar TOML-fil i UTF-8"),
                )
            ]
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError([Problem(source, "", "", toml_expected(error))]) from None
    problems: list[Problem] = []
    version = data.get("schema_version")
    if version != 1:
        problems.append(Problem(source, "schema_version", show_value(version), "1"))
    unknown = sorted(set(data) - {"schema_version", "parameter"})
    for key in unknown:
        problems.append(
            Problem(
                source,
                key,
                Words("an unknown key", "en ukendt nøgle"),
                Words("schema_version or [[parameter]]", "schema_version eller [[parameter]]"),
            )
        )
    raw = data.get("parameter", [])
    if not isinstance(raw, list) or not raw:
        problems.append(
            Problem(
                source,
                "parameter",
                show_value(raw),
                Words("one [[parameter]] table or more", "én [[parameter]]-tabel eller flere"),
            )
        )
        raise ScenarioError(problems)
    entries: list[RangeEntry] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        where = f"parameter[{index}]"
        if not isinstance(item, dict):
            problems.append(Problem(source, where, show_value(item), Words("a table", "en tabel")))
            continue
        for key in sorted(set(item) - _ENTRY_KEYS):
            problems.append(
                Problem(
                    source,
                    f"{where}.{key}",
                    Words("an unknown key", "en ukendt nøgle"),
                    Words(
                        f"one of: {', '.join(sorted(_ENTRY_KEYS))}",
                        f"en af: {', '.join(sorted(_ENTRY_KEYS))}",
                    ),
                )
            )
        entry = _entry(source, where, index, item, problems)
        if entry is None:
            continue
        if entry.path in seen:
            problems.append(
                Problem(
                    source,
                    f"{where}.path",
                    entry.path,
                    Words("each path once", "hver sti én gang"),
                )
            )
            continue
        seen.add(entry.path)
        entries.append(entry)
    if problems:
        raise ScenarioError(problems)
    return entries


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _entry(
    source: Path, where: str, index: int, item: Mapping[str, Any], problems: list[Problem]
) -> RangeEntry | None:
    before = len(problems)
    path = item.get("path")
    if not isinstance(path, str) or not path:
        problems.append(
            Problem(
                source,
                f"{where}.path",
                show_value(path),
                Words("a dotted scenario key (text)", "en scenarienøgle med punktummer (tekst)"),
            )
        )
        path = ""
    elif _field(path) is None:
        problems.append(
            Problem(
                source,
                f"{where}.path",
                path,
                Words(
                    "a numeric field of the scenario schema (see scenarios/README.md), e.g. "
                    "applicants.employed_share or referral_groups.*.leave_queue_per_year",
                    "et talfelt i scenarieskemaet (se scenarios/README.md), f.eks. "
                    "applicants.employed_share eller referral_groups.*.leave_queue_per_year",
                ),
            )
        )
    ends = {}
    for key in ("low", "high"):
        number = _number(item.get(key))
        if number is None:
            problems.append(
                Problem(
                    source,
                    f"{where}.{key}",
                    show_value(item.get(key)),
                    Words("a finite number", "et endeligt tal"),
                )
            )
        ends[key] = number
    low, high = ends["low"], ends["high"]
    if low is not None and high is not None and not low < high:
        problems.append(
            Problem(
                source,
                f"{where}.high",
                show_value(item["high"]),
                Words(
                    f"a number above low ({low:g})",
                    f"et tal over low ({danish_number(f'{low:g}')})",
                ),
            )
        )
    distribution = item.get("distribution", "uniform")
    if distribution not in DISTRIBUTIONS:
        problems.append(
            Problem(
                source,
                f"{where}.distribution",
                show_value(distribution),
                Words(" or ".join(DISTRIBUTIONS), " eller ".join(DISTRIBUTIONS)),
            )
        )
    mode = None
    if "mode" in item:
        mode = _number(item["mode"])
        if distribution != "triangular":
            problems.append(
                Problem(
                    source,
                    f"{where}.mode",
                    show_value(item["mode"]),
                    Words(
                        'mode only with distribution = "triangular"',
                        'mode kun med distribution = "triangular"',
                    ),
                )
            )
        elif mode is None or low is None or high is None or not low <= mode <= high:
            problems.append(
                Problem(
                    source,
                    f"{where}.mode",
                    show_value(item["mode"]),
                    Words("a number from low to high", "et tal fra low til high"),
                )
            )
    elif distribution == "triangular":
        problems.append(
            Problem(
                source,
                f"{where}.mode",
                Words("nothing", "intet"),
                Words("the peak (mode) of the triangle", "trekantens top (mode)"),
            )
        )
    text = item.get("source", "")
    if not isinstance(text, str):
        problems.append(
            Problem(source, f"{where}.source", show_value(text), Words("text", "tekst"))
        )
        text = ""
    if len(problems) > before or low is None or high is None:
        return None
    return RangeEntry(path, low, high, distribution, mode, text, index)


def _field(path: str) -> tuple[Any, bool] | None:
    """The field info a dotted path names (``*`` or an id for dict keys) and whether it is integer.

    ``None`` when the path is not a numeric field of the schema.
    """
    model: type[BaseModel] = Scenario
    parts = path.split(".")
    index = 0
    while index < len(parts):
        fields = model.model_fields
        name = parts[index]
        if name not in fields:
            return None
        info = fields[name]
        index += 1
        table, how = nested_model(info.annotation)
        if table is None:
            if index != len(parts):
                return None
            kinds = _numeric_kinds(info.annotation)
            if not kinds:
                return None
            return info, kinds == {int}
        if how == "list":
            return None  # tiers are agreement structure, not uncertain numbers
        if how == "id":
            index += 1  # the group or area id, or *
        if index >= len(parts):
            return None
        model = table
    return None


def _numeric_kinds(annotation: Any) -> set[type]:
    """``{int}``, ``{float}`` or both for a numeric (optional) field; empty for anything else."""
    kinds: set[type] = set()
    candidates = [annotation]
    while candidates:
        item = candidates.pop()
        if typing.get_origin(item) is typing.Annotated:
            candidates.append(typing.get_args(item)[0])
        elif item in (int, float):
            kinds.add(item)
        elif item is type(None):
            continue
        elif typing.get_origin(item) in (typing.Union, types.UnionType):
            candidates.extend(typing.get_args(item))
        elif item is bool:
            return set()
        else:
            return set()
    return kinds


def scenario_parameters(
    loaded: LoadedScenario, entries: Sequence[RangeEntry], *, source: str | Path = "ranges"
) -> list[Parameter]:
    """The parameters of a ranges file for one scenario, each end checked in the scenario.

    ``*`` in a path becomes every referral group (or area) of the scenario; a path naming a group
    the scenario does not have is an error. Both ends of every range must be valid values of the
    field (its bounds, and the scenario's own rules, such as employed plus student shares at most 1).

    Raises
    ------
    ScenarioError
        Naming the file, the entry, the value and what was expected.
    """
    problems: list[Problem] = []
    parameters: list[Parameter] = []
    scenario = loaded.scenario
    for entry in entries:
        where = f"parameter[{entry.index}]"
        found = _field(entry.path)
        if found is None:
            problems.append(
                Problem(source, f"{where}.path", entry.path, Words("a numeric field", "et talfelt"))
            )
            continue
        info, integer = found
        names = _expand(entry.path, scenario)
        if not names:
            problems.append(
                Problem(
                    source,
                    f"{where}.path",
                    entry.path,
                    Words(
                        f"a group or area of {loaded.source.name} "
                        f"(referral groups: {', '.join(scenario.referral_groups) or 'none'})",
                        f"en målgruppe eller et boligområde i {loaded.source.name} "
                        f"(målgrupper: {', '.join(scenario.referral_groups) or 'ingen'})",
                    ),
                )
            )
            continue
        if integer and not (entry.low.is_integer() and entry.high.is_integer()):
            problems.append(
                Problem(
                    source,
                    f"{where}.low",
                    show_value(entry.low),
                    Words("whole numbers for a whole-number field", "hele tal for et heltalsfelt"),
                )
            )
            continue
        low_bound, high_bound = field_bounds(info)
        for key, value in (("low", entry.low), ("high", entry.high)):
            if not _inside(value, low_bound, high_bound):
                problems.append(
                    Problem(
                        source,
                        f"{where}.{key}",
                        show_value(value),
                        Words(
                            f"a value of {entry.path} from {low_bound or '-∞'} to "
                            f"{high_bound or '∞'}",
                            f"en værdi af {entry.path} fra {danish_number(low_bound or '-∞')} "
                            f"til {danish_number(high_bound or '∞')}",
                        ),
                    )
                )
        if any(p.location.startswith(where) for p in problems):
            continue
        for name in names:
            for key, value in (("low", entry.low), ("high", entry.high)):
                try:
                    loaded.with_overrides({name: int(value) if integer else value})
                except ScenarioError as error:
                    problems.extend(
                        Problem(source, f"{where}.{key} ({name})", show_value(value), p.expected)
                        for p in error.problems
                    )
            parameters.append(
                Parameter(
                    name,
                    entry.low,
                    entry.high,
                    entry.distribution,
                    entry.mode,
                    integer,
                    entry.source,
                )
            )
    if len(parameters) > MAX_PARAMETERS:
        problems.append(
            Problem(
                source,
                "parameter",
                Words(f"{len(parameters)} parameters", f"{len(parameters)} parametre"),
                Words(f"at most {MAX_PARAMETERS}", f"højst {MAX_PARAMETERS}"),
            )
        )
    if problems:
        raise ScenarioError(problems)
    return parameters


def _inside(value: float, low: str, high: str) -> bool:
    def bound(text: str) -> float:
        return float(text.removeprefix("> ").removeprefix("< ").replace(",", ""))

    if low:
        if low.startswith(">") and not value > bound(low):
            return False
        if not low.startswith(">") and not value >= bound(low):
            return False
    if high:
        if high.startswith("<") and not value < bound(high):
            return False
        if not high.startswith("<") and not value <= bound(high):
            return False
    return True


def _expand(path: str, scenario: Scenario) -> list[str]:
    """The concrete keys of a path: ``*`` becomes each group (or area) id; an unknown id, none."""
    parts = path.split(".")
    if parts[0] not in ("referral_groups", "areas") or len(parts) < 2:
        return [path]
    ids = list(getattr(scenario, parts[0]))
    if parts[1] == "*":
        return [".".join([parts[0], key, *parts[2:]]) for key in ids]
    return [path] if parts[1] in ids else []
