"""The Mesa agents: departments and the municipality.

Households are not agents: they live column-wise in :class:`~simulation.people.population.Population` so
that a whole country steps in vectorised passes. Departments (afdelinger) and the municipality are
Mesa agents that own their indicators, tier and queue; their state is held in the model's arrays
(:mod:`simulation.people.state`), which the agents read and write, so the vectorised phases and the agents
see one truth.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

if TYPE_CHECKING:
    from simulation.model import HousingModel
    from simulation.rules.referrals import ReferralQueue

__all__ = ["Department", "Municipality"]


class Department(mesa.Agent):
    """A department (afdeling) of family dwellings, owned by a housing organisation.

    Parameters
    ----------
    model
        The model.
    index
        The department's position in the model's arrays.
    """

    def __init__(self, model: HousingModel, index: int) -> None:
        super().__init__(model)
        self.index = index
        self.housing_model = model

    @property
    def department_id(self) -> str:
        """The department's id from the department data."""
        return self.housing_model.departments.ids[self.index]

    @property
    def area(self) -> str:
        """The id of the department's area (boligområde)."""
        return self.housing_model.departments.area_ids[self.index]

    @property
    def organisation(self) -> str:
        """The department's housing organisation (boligorganisation)."""
        return self.housing_model.departments.organisation_ids[self.index]

    @property
    def tier(self) -> str | None:
        """The name of the department's tier in a stepped model, if any."""
        tier = int(self.housing_model.departments.tier[self.index])
        tiers = self.housing_model.scenario.agreement.tiers
        return tiers[tier].name if tier >= 0 else None

    @property
    def referral_share(self) -> float:
        """The share of vacancies the municipality may claim here."""
        return float(self.housing_model.departments.referral_share[self.index])

    @property
    def outside_work_education_share(self) -> float:
        """Share of adults 18–64 outside work and education, as of last 1 December."""
        return float(self.housing_model.departments.outside_share[self.index])

    def __repr__(self) -> str:
        return f"Department({self.department_id!r}, area={self.area!r}, tier={self.tier!r})"


class Municipality(mesa.Agent):
    """The municipality (kommune): it refers urgent households and publishes nothing itself.

    It owns the referral queue and the placement policy (``next_vacancy`` or ``optimised``).
    """

    def __init__(self, model: HousingModel, queue: ReferralQueue) -> None:
        super().__init__(model)
        self.queue = queue
        self.housing_model = model

    @property
    def waiting(self) -> int:
        """Households waiting for a referral now."""
        return self.queue.waiting()

    def __repr__(self) -> str:
        return f"Municipality(waiting={self.waiting})"
