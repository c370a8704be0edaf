"""The levers of the dashboard: which fields of a scenario a planner moves, and what moving them makes.

A lever is one line of data (:class:`Lever`): the field's path in the scenario, its label in
Danish and English, the kind of control and its range. :data:`LEVERS` lists the agreement's
levers; :func:`tier_levers` adds one set per tier of the scenario's stepped model. The run's own
settings (horizon and replications) are :data:`RUN_LEVERS`: they apply to the reference and the
variant alike, so that the two stay paired.

A *setting* maps a lever's path to the value the planner chose. :func:`apply_settings` turns the
settings into a variant scenario through the same validation as a file
(:meth:`simulation.inputs.scenario.LoadedScenario.with_overrides`), and returns the validator's
own problems when a value is refused, each attached to the lever it concerns (a share above 1, a
tier that can never be reached). :func:`variant_toml` writes the variant as a scenario file that
``extends`` the reference and holds only what differs.

Examples
--------
>>> from simulation.dashboard.levers import LEVERS
>>> LEVERS[0].path
'agreement.default_referral_share'
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from simulation.base.errors import Problem, ScenarioError, in_language
from simulation.inputs.scenario import FlexibleCriterion, LoadedScenario

__all__ = [
    "LEVERS",
    "RUN_LEVERS",
    "Lever",
    "VariantOutcome",
    "apply_settings",
    "current_value",
    "levers_for",
    "problem_text",
    "tier_levers",
    "variant_toml",
]

Kind = Literal["share", "switch", "choice", "criteria", "integer"]
"""The control of a lever: a share typed as a number (0–1), an on/off switch, one choice of
several, several criteria at once, or a whole number (a slider)."""

Language = Literal["da", "en"]


@dataclass(frozen=True)
class Lever:
    """One control of the dashboard.

    Attributes
    ----------
    path
        The field it sets: a dotted key of the scenario (``agreement.default_referral_share``), a
        tier's field (``agreement.tiers[0].referral_share``; ``agreement.tiers[0].enabled`` keeps
        or drops the tier) or a run setting (``run.years``, ``run.replications``).
    label
        The label in Danish and English.
    kind
        The control (:data:`Kind`).
    low, high, step
        The range a slider offers (``integer``); a typed share is not bounded by the page, so that
        the validator, not the page, says what is wrong with it.
    options
        The choices of a ``choice`` or ``criteria`` lever.
    """

    path: str
    label: Mapping[Language, str]
    kind: Kind
    low: float = 0.0
    high: float = 1.0
    step: float = 0.01
    options: tuple[str, ...] = ()

    def text(self, language: Language) -> str:
        """The label in ``language``."""
        return self.label[language]

    @property
    def is_run_setting(self) -> bool:
        """Whether the lever sets the run (horizon, replications) rather than the scenario."""
        return self.path.startswith("run.")


# Adding a lever is one line here (a field that the scenario schema has).
LEVERS: tuple[Lever, ...] = (
    Lever("agreement.default_referral_share", {"da": "Kommunal anvisning (andel)", "en": "Default referral share"}, "share"),
    Lever("agreement.flexible_letting_share", {"da": "Fleksibel udlejning (andel)", "en": "Flexible letting share"}, "share"),
    Lever("agreement.flexible_criteria", {"da": "Kriterier for fleksibel udlejning", "en": "Flexible letting criteria"}, "criteria", options=tuple(c.value for c in FlexibleCriterion)),
    Lever("agreement.combined_letting", {"da": "Kombineret udlejning (§ 51 b)", "en": "Combined letting (§ 51 b)"}, "switch"),
    Lever("agreement.combined_letting_extended", {"da": "§ 51 b udvidet (førtidspension, dagpenge)", "en": "§ 51 b extended (disability pension, unemployment benefit)"}, "switch"),
    Lever("agreement.placement_policy", {"da": "Placering af anvisninger", "en": "Placement policy"}, "choice", options=("first_come", "threshold_rule", "optimised")),
    Lever("agreement.threshold_rule_above", {"da": "Tærskelregel: ingen anvisning over denne andel uden for arbejde", "en": "Threshold rule: no referrals above this share outside work"}, "share"),
    Lever("optimiser.safety_margin", {"da": "Sikkerhedsmargin under grænsen (optimeret)", "en": "Safety margin below the threshold (optimised)"}, "share"),
    Lever("agreement.referral_accounting", {"da": "Anvisningsretten opgøres pr.", "en": "Claims counted per"}, "choice", options=("department", "organisation", "municipality")),
    Lever("agreement.claim_carry_over_months", {"da": "Ubrugt anvisningsret gemmes (mdr.)", "en": "Unused claims carried over (months)"}, "integer", 0, 24, 1),
    Lever("agreement.hold_for_referral", {"da": "Kommunen holder boligen tom (mdr., betaler lejen)", "en": "Municipality holds the dwelling empty (months, pays the rent)"}, "integer", 0, 12, 1),
)  # fmt: skip
"""The agreement's levers, in the order the page shows them."""

RUN_LEVERS: tuple[Lever, ...] = (
    Lever("run.years", {"da": "År", "en": "Years"}, "integer", 1, 50, 1),
    Lever("run.replications", {"da": "Gentagelser", "en": "Replications"}, "integer", 1, 40, 1),
)
"""The run's settings: both scenarios of the comparison run with them."""

TIER_FIELDS: tuple[tuple[str, Mapping[Language, str], Kind], ...] = (
    ("enabled", {"da": "i brug", "en": "in use"}, "switch"),
    ("referral_share", {"da": "anvisningsandel", "en": "referral share"}, "share"),
    ("flexible_letting_share", {"da": "fleksibel udlejning", "en": "flexible letting share"}, "share"),
    ("when.outside_work_education_share_above", {"da": "betingelse: uden for arbejde/uddannelse over", "en": "condition: outside work/education above"}, "share"),
)  # fmt: skip
"""The levers of each tier: the field under ``agreement.tiers[i]``, its label and kind."""

_TIER_PATH = re.compile(r"^agreement\.tiers\[(\d+)\]\.(.+)$")


def tier_levers(loaded: LoadedScenario) -> tuple[Lever, ...]:
    """One set of levers per tier of the scenario's stepped model (none without tiers).

    A condition lever is offered only where the tier has that condition.
    """
    levers = []
    for index, tier in enumerate(loaded.scenario.agreement.tiers):
        for name, label, kind in TIER_FIELDS:
            if name.startswith("when.") and getattr(tier.when, name[5:]) is None:
                continue
            levers.append(
                Lever(
                    f"agreement.tiers[{index}].{name}",
                    {
                        "da": f"Trin {tier.name!r}: {label['da']}",
                        "en": f"Tier {tier.name!r}: {label['en']}",
                    },
                    kind,
                )
            )
    return tuple(levers)


def levers_for(loaded: LoadedScenario) -> tuple[Lever, ...]:
    """Every lever the page offers for a scenario: the agreement's, its tiers', the run's."""
    return (*LEVERS, *tier_levers(loaded), *RUN_LEVERS)


def _get(content: Mapping[str, Any], dotted: str) -> Any:
    node: Any = content
    for part in dotted.split("."):
        if not isinstance(node, Mapping):
            return None
        node = node.get(part)
    return node


def current_value(loaded: LoadedScenario, lever: Lever, *, years: int, replications: int) -> Any:
    """The lever's value in the (validated) scenario, or the run's setting."""
    if lever.path == "run.years":
        return years
    if lever.path == "run.replications":
        return replications
    content = loaded.scenario.model_dump(mode="json")
    match = _TIER_PATH.match(lever.path)
    if match:
        tier = content["agreement"]["tiers"][int(match.group(1))]
        if match.group(2) == "enabled":
            return True
        value = _get(tier, match.group(2))
        if value is None and match.group(2) == "referral_share":
            return content["agreement"]["default_referral_share"]
        if value is None and match.group(2) == "flexible_letting_share":
            return content["agreement"]["flexible_letting_share"]
        return value
    value = _get(content, lever.path)
    return list(value) if isinstance(value, list | tuple) else value


@dataclass(frozen=True)
class VariantOutcome:
    """What a set of settings makes of the reference scenario.

    Attributes
    ----------
    variant
        The validated variant (``None`` when a value is refused).
    overrides
        The dotted keys set on the reference (tiers as one list), as a file would set them.
    problems
        The validator's problems by lever path (``""``: not tied to one lever); empty when valid.
    """

    variant: LoadedScenario | None
    overrides: Mapping[str, Any]
    problems: Mapping[str, tuple[Problem, ...]]


def _changed(loaded: LoadedScenario, settings: Mapping[str, Any]) -> dict[str, Any]:
    """The scenario settings (not the run's) that differ from the reference."""
    levers = {lever.path: lever for lever in levers_for(loaded)}
    changed = {}
    for path, value in settings.items():
        lever = levers.get(path)
        if lever is None:
            raise KeyError(f"no lever {path!r}; the levers are {', '.join(levers)}")
        if lever.is_run_setting:
            continue
        reference = current_value(loaded, lever, years=0, replications=0)
        if not _same(value, reference):
            changed[path] = value
    return changed


def _same(value: Any, reference: Any) -> bool:
    if isinstance(value, float | int) and isinstance(reference, float | int):
        if isinstance(value, bool) or isinstance(reference, bool):
            return value is reference
        return math.isclose(float(value), float(reference), rel_tol=0, abs_tol=1e-12)
    if isinstance(value, list | tuple) and isinstance(reference, list | tuple):
        return sorted(map(str, value)) == sorted(map(str, reference))
    return bool(value == reference)


def _overrides(
    loaded: LoadedScenario, changed: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[int, int]]:
    """Dotted overrides for changed settings, and each kept tier's new index → its lever index."""
    overrides: dict[str, Any] = {}
    tier_changes: dict[int, dict[str, Any]] = {}
    for path, value in changed.items():
        match = _TIER_PATH.match(path)
        if match:
            tier_changes.setdefault(int(match.group(1)), {})[match.group(2)] = value
        else:
            overrides[path] = list(value) if isinstance(value, tuple) else value
    kept: dict[int, int] = {}
    if tier_changes:
        raw_tiers = loaded.raw.get("agreement", {}).get("tiers", [])
        tiers: list[dict[str, Any]] = []
        for index, raw in enumerate(raw_tiers):
            fields = tier_changes.get(index, {})
            if fields.get("enabled") is False:
                continue
            tier = {
                key: (dict(value) if isinstance(value, Mapping) else value)
                for key, value in raw.items()
            }
            for name, value in fields.items():
                if name == "enabled":
                    continue
                if name.startswith("when."):
                    tier.setdefault("when", {})[name[5:]] = value
                else:
                    tier[name] = value
            kept[len(tiers)] = index
            tiers.append(tier)
        overrides["agreement.tiers"] = tiers
    return overrides, kept


def _on_page(problem: Problem, kept: Mapping[int, int]) -> Problem:
    """The problem with the variant's tier index turned back into the page's (tiers dropped)."""
    location = re.sub(
        r"^agreement\.tiers\[(\d+)\]",
        lambda match: f"agreement.tiers[{kept.get(int(match.group(1)), int(match.group(1)))}]",
        problem.location,
    )
    return dataclasses.replace(problem, location=location)


def _lever_of(problem: Problem, paths: Sequence[str]) -> str:
    """The lever a problem concerns: its own, its tier's switch, or none (``""``)."""
    if problem.location in paths:
        return problem.location
    tier = re.match(r"^agreement\.tiers\[(\d+)\]", problem.location)
    if tier and f"{tier.group(0)}.enabled" in paths:
        return f"{tier.group(0)}.enabled"
    return ""


def apply_settings(loaded: LoadedScenario, settings: Mapping[str, Any]) -> VariantOutcome:
    """Make the variant the settings describe, validated as a scenario file would be.

    Parameters
    ----------
    loaded
        The reference scenario.
    settings
        Lever path → value (levers left out keep the reference's value; run settings are ignored
        here).

    Returns
    -------
    VariantOutcome
        The variant, or the validator's problems attached to the levers they concern. The
        variant is ``loaded`` itself when nothing differs.
    """
    changed = _changed(loaded, settings)
    if not changed:
        return VariantOutcome(loaded, {}, {})
    overrides, kept = _overrides(loaded, changed)
    try:
        variant = loaded.with_overrides(overrides)
    except ScenarioError as error:
        paths = [lever.path for lever in levers_for(loaded)]
        problems: dict[str, list[Problem]] = {}
        for found in error.problems:
            problem = _on_page(found, kept)
            problems.setdefault(_lever_of(problem, paths), []).append(problem)
        return VariantOutcome(
            None, overrides, {path: tuple(found) for path, found in problems.items()}
        )
    return VariantOutcome(variant, overrides, {})


def problem_text(problem: Problem, language: str = "en") -> str:
    """A problem as the validator says it in ``language``, without the file (the page here)."""
    file = problem.file if isinstance(problem.file, str) else str(problem.file)
    return problem.text(language).removeprefix(f"{in_language(file, language)}: ")


# --------------------------------------------------------------------------------------------------
# The variant as a scenario file


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value} cannot be written to a scenario file")
        return repr(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'"{escaped}"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, Mapping):
        return (
            "{ " + ", ".join(f"{key} = {_toml_value(item)}" for key, item in value.items()) + " }"
        )
    raise TypeError(f"no TOML for {type(value).__name__}")


def variant_toml(
    loaded: LoadedScenario,
    settings: Mapping[str, Any],
    target: str | Path,
    *,
    name: str | None = None,
    years: int | None = None,
) -> str:
    """The variant as a scenario file at ``target``: ``extends`` the reference, only what differs.

    Parameters
    ----------
    loaded
        The reference scenario (its file is what the variant extends, by a path relative to
        ``target``).
    settings
        Lever path → value, as for :func:`apply_settings` (must be valid).
    target
        Where the file will be written (for the relative ``extends``).
    name
        The variant's name (default: the reference's with "(variant)").
    years
        The horizon, written only when it differs from the reference's.

    Raises
    ------
    ScenarioError
        If the settings are not valid.
    """
    outcome = apply_settings(loaded, settings)
    if outcome.variant is None:
        raise ScenarioError([problem for found in outcome.problems.values() for problem in found])
    extends = Path(os.path.relpath(Path(loaded.source).resolve(), Path(target).resolve().parent))
    title = name if name is not None else f"{loaded.scenario.name} (variant)"
    lines = [
        "# Made with `blandetby dashboard`: only what differs from the scenario it extends.",
        f"extends = {_toml_value(extends.as_posix())}",
        f"schema_version = {loaded.scenario.schema_version}",
        f"name = {_toml_value(title)}",
    ]
    tables: dict[str, dict[str, Any]] = {}
    tiers = outcome.overrides.get("agreement.tiers")
    for dotted, value in outcome.overrides.items():
        if dotted == "agreement.tiers":
            continue
        table, _, key = dotted.rpartition(".")
        tables.setdefault(table, {})[key] = value
    if tiers == []:
        tables.setdefault("agreement", {})["tiers"] = []
    if years is not None and years != loaded.scenario.horizon.years:
        tables.setdefault("horizon", {})["years"] = years
    for table, values in tables.items():
        lines += ["", f"[{table}]"]
        lines += [f"{key} = {_toml_value(value)}" for key, value in values.items()]
    for tier in tiers or []:
        lines += ["", "[[agreement.tiers]]"]
        lines += [f"{key} = {_toml_value(value)}" for key, value in tier.items()]
    return "\n".join(lines) + "\n"
