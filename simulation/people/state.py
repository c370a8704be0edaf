"""The model's state per department and per area, as arrays (one entry per department or area).

The Mesa agents (:mod:`simulation.agents`) act on these arrays, so that the vectorised phases of a
month and the agents see one truth.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np
import pandas as pd

from simulation.people.households import DepartmentMix
from simulation.people.population import Population, Status, working_age

__all__ = [
    "DEPARTMENT_PAYS",
    "MUNICIPALITY_PAYS",
    "PAYERS",
    "AreaState",
    "Channel",
    "DepartmentState",
    "Tally",
]


class Channel(IntEnum):
    """How a dwelling was let (``docs/law.md`` §4, in order of precedence)."""

    REFERRAL = 0
    """Municipal referral (kommunal anvisning, § 59)."""
    FLEXIBLE = 1
    """Flexible letting (fleksibel udlejning, § 60), agreed or obligatory."""
    INTERNAL = 2
    """The internal waiting list: a sitting tenant of the organisation moves."""
    EXTERNAL = 3
    """The external waiting list."""


@dataclass
class DepartmentState:
    """Per department: identity, agreement placement and the letting counters."""

    ids: list[str]
    names: list[str]
    organisation_ids: list[str]
    area_ids: list[str]
    organisation: np.ndarray
    area: np.ndarray
    turnover: np.ndarray
    """Move-outs per dwelling and year."""
    referral_share: np.ndarray
    flexible_share: np.ndarray
    tier: np.ndarray
    """Index of the department's tier in the agreement (-1: no stepped model)."""
    referral_credit: np.ndarray
    """Claims earned and not yet used (the municipality claims when it reaches 1)."""
    internal_credit: np.ndarray
    """Offers to the internal list earned (every 2nd waiting-list letting by default)."""
    outside_share: np.ndarray
    """Share of adults 18–64 outside work and education, as of last 1 December."""
    mix: DepartmentMix

    @property
    def count(self) -> int:
        """Number of departments."""
        return len(self.ids)


@dataclass
class AreaState:
    """Per area: the list status published last 1 December and its consequences."""

    ids: list[str]
    names: list[str]
    udsat: np.ndarray
    """On the list of udsatte boligområder (which includes parallelsamfund and omdannelsesområder)."""
    parallelsamfund: np.ndarray
    omdannelsesomraade: np.ndarray
    forebyggelsesomraade: np.ndarray
    combined_letting_allowed: np.ndarray
    """≥ 1,000 residents and > 40 % of 18–64-year-olds outside work/education (§ 51 b)."""

    @property
    def count(self) -> int:
        """Number of areas."""
        return len(self.ids)

    @property
    def listed(self) -> np.ndarray:
        """On a list whose consequences include obligatory flexible letting (§ 60 stk. 4)."""
        result: np.ndarray = self.udsat | self.forebyggelsesomraade
        return result

    def status_frame(self) -> pd.DataFrame:
        """The list status as a frame, one row per area."""
        return pd.DataFrame(
            {
                "area": self.ids,
                "udsat": self.udsat,
                "parallelsamfund": self.parallelsamfund,
                "omdannelsesomraade": self.omdannelsesomraade,
                "forebyggelsesomraade": self.forebyggelsesomraade,
            }
        )


PAYERS = ("department", "municipality")
"""Who pays the rent of an empty dwelling: the department (its own vacancy loss), or the
municipality (tomgangsleje for a dwelling it referred or holds)."""
DEPARTMENT_PAYS, MUNICIPALITY_PAYS = 0, 1


@dataclass
class Tally:
    """Counts per department accumulated over a year (reset every January)."""

    departments: int
    move_outs: np.ndarray = field(init=False)
    lettings: np.ndarray = field(init=False)
    """Shape (channels, departments)."""
    refusals: np.ndarray = field(init=False)
    new_adults: np.ndarray = field(init=False)
    """Adults 18–64 moving in (all channels)."""
    new_adults_active: np.ndarray = field(init=False)
    """Of them, those in work or education."""
    vacant_months: np.ndarray = field(init=False)
    """Empty dwelling-months, shape (payers, departments): see :data:`PAYERS`."""
    vacant_rent: np.ndarray = field(init=False)
    """Their rent in kr (tomgangsleje), shape (payers, departments)."""

    def __post_init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Start counting afresh."""
        self.move_outs = np.zeros(self.departments, np.int64)
        self.lettings = np.zeros((len(Channel), self.departments), np.int64)
        self.refusals = np.zeros(self.departments, np.int64)
        self.new_adults = np.zeros(self.departments, np.int64)
        self.new_adults_active = np.zeros(self.departments, np.int64)
        self.vacant_months = np.zeros((len(PAYERS), self.departments), np.int64)
        self.vacant_rent = np.zeros((len(PAYERS), self.departments), np.float64)

    def add_vacant_month(self, payer: int, departments: np.ndarray, rents: np.ndarray) -> None:
        """Count one empty month per dwelling (its department and monthly rent) for ``payer``."""
        self.vacant_months[payer] += np.bincount(departments, minlength=self.departments)
        self.vacant_rent[payer] += np.bincount(departments, rents, minlength=self.departments)

    def add_lettings(self, channel: Channel, departments: np.ndarray) -> None:
        """Count one letting per entry of ``departments``."""
        self.lettings[channel] += np.bincount(departments, minlength=self.departments)

    def count_newcomers(self, population: Population, slots: np.ndarray, month: int) -> None:
        """Count the adults 18–64 who just moved into ``slots``, and those in work or education."""
        adults = working_age(population.adult[slots], population.born[slots], month)
        active = adults & (population.status[slots] <= Status.STUDENT)
        department = population.stock.department[slots]
        size = self.departments
        self.new_adults += np.bincount(department, adults.sum(axis=1), size).astype(np.int64)
        self.new_adults_active += np.bincount(department, active.sum(axis=1), size).astype(np.int64)
