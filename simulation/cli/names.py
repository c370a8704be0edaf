"""What the terminal calls things: scenarios, referral groups, areas and departments by name.

A person reading a terminal reads "Hjemløse enlige" and "Nordparken afd. 1", not
``homeless_single`` and ``D0001``; in Danish (``--lang da``) the scenario's ``[danish]`` names
count where it gives them.
"""

from __future__ import annotations

from simulation.inputs.scenario import LoadedScenario
from simulation.report.i18n import Language

__all__ = ["area_names", "department_names", "group_names", "scenario_name"]


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
