"""What the terminal calls things: scenarios, referral groups, areas and departments by name.

A person reading a terminal reads "Hjemløse enlige" and "Nordparken afd. 1", not
``homeless_single`` and ``D0001``; in Danish (``--lang da``) the scenario's ``[danish]`` names
count where it gives them.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

from simulation.inputs.scenario import LoadedScenario
from simulation.report.i18n import Language, has_term, term
from simulation.report.schema import named_content, settings_labels
from simulation.report.sensitivity_plots import OUTPUT_NAMES, output_name

__all__ = [
    "OUTPUT_NAMES",
    "area_names",
    "department_names",
    "group_names",
    "output_name",
    "parameter_name",
    "point_names",
    "scenario_name",
]


def scenario_name(loaded: LoadedScenario, language: Language) -> str:
    """The scenario's name in ``language`` (the ``[danish]`` name in Danish, if it has one)."""
    scenario = loaded.scenario
    return (scenario.danish.name if language == "da" else "") or scenario.name


def group_names(loaded: LoadedScenario, language: Language) -> dict[str, str]:
    """Each referral group's name by id (its ``[danish]`` name in Danish, if it has one)."""
    scenario = loaded.scenario
    danish = scenario.danish.referral_groups if language == "da" else {}
    return {
        key: danish.get(key) or group.name or key for key, group in scenario.referral_groups.items()
    }


def area_names(loaded: LoadedScenario) -> dict[str, str]:
    """Each area's name by id."""
    return {key: area.name or key for key, area in loaded.scenario.areas.items()}


def department_names(loaded: LoadedScenario) -> dict[str, str]:
    """Each department's name by code, where the department file gives one (else the code)."""
    departments = loaded.departments
    if "name" not in departments:
        return {}
    return {
        str(code): str(name) if isinstance(name, str) and name.strip() else str(code)
        for code, name in zip(departments["department"], departments["name"], strict=True)
    }


def parameter_name(path: str, language: Language) -> str:
    """A scenario field's label (``field:`` terms of the report), else its dotted path."""
    for key in (f"field:{path}", f"field:{path.replace('.*', '')}"):
        if has_term(key):
            return term(key, language)
    return path


def point_names(
    loaded: LoadedScenario, points: Sequence[Mapping[str, Any]], language: Language
) -> list[str]:
    """Sweep points' varied keys and values in words: ``Default referral share 50 %``.

    The labels of the report's parameter appendix (:func:`simulation.report.schema.setting_label`),
    with the referral groups named in the language (:func:`simulation.report.schema.named_content`).
    """
    return settings_labels(points, language, named_content(loaded, language))


BAN_SUFFIXES = {
    "barred_udsat": (
        "omfattet af anvisningsforbud (§ 59, stk. 6)",
        "barred from udsatte boligområder (§ 59 stk. 6)",
    ),
    "barred_prevention": (
        "omfattet af anvisningsforbud (§ 59, stk. 6–7)",
        "barred from udsatte boligområder and forebyggelsesområder (§ 59 stk. 6–7)",
    ),
}
"""The planner's classes ``<group>:barred_udsat`` and ``<group>:barred_prevention`` in words."""


def plan_names(loaded: LoadedScenario, language: Language) -> dict[Hashable, str]:
    """Names for what a referral plan names: departments, areas, groups and their ban classes."""
    groups = group_names(loaded, language)
    names: dict[Hashable, str] = {}
    for each in (department_names(loaded), area_names(loaded), groups):
        names.update(each)
    for key, name in groups.items():
        for suffix, (danish, english) in BAN_SUFFIXES.items():
            names[f"{key}:{suffix}"] = f"{name}, {danish if language == 'da' else english}"
    return names
