"""Hand-made worlds for the letting and referral tests: a few departments, a few dwellings each.

(``tests`` is not a package: ``conftest.py`` next to this file loads it as the module ``worlds``
and makes its fixtures, ``world``, ``make_world`` and ``script``, out of it.)

A :class:`World` is a real :class:`~simulation.model.HousingModel`, wired as in a run, built from
a department table written here: every department has :data:`DWELLINGS` (two of each size, 1 to
4 rooms, at :data:`RENTS`), is its own area, and starts full. Tests then set by hand what
they are about: which dwellings are vacant, who waits in the referral queue and since when,
which areas are on which list, the agreed shares; and, through :class:`Script`, the exact
waiting-list applicants the letting draws, in order.

Nothing of the world is listed on day 0 (no area has 1,000 residents), no referral group arrives
by itself (``arrivals_per_year = 0``), and the agreement is the legal default (share 1/4, no
flexible letting, no combined letting) unless a test says otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulation.inputs.scenario import LoadedScenario, build_scenario
from simulation.model import HousingModel
from simulation.people.households import ApplicantFlags, ReferralTraits
from simulation.people.population import HouseholdBatch, Population, Status
from simulation.people.state import AreaState, Channel, DepartmentState, Tally
from simulation.rules.letting import LettingOffice, LettingOutcome, Plan
from simulation.rules.referrals import ReferralQueue

ROOMS = (1, 1, 2, 2, 3, 3, 4, 4)
"""Every department's dwellings, in slot order (rooms)."""
DWELLINGS = len(ROOMS)
RENTS = {1: 3_000.0, 2: 4_000.0, 3: 5_000.0, 4: 6_000.0}
"""Monthly rent by rooms, the same in every department."""
GROUPS = {
    "anyone": {"rooms_min": 1, "max_rent_kr": 10_000.0},
    "single": {"rooms_min": 1, "max_rent_kr": 3_500.0},
    "family": {"rooms_min": 3, "max_rent_kr": 7_000.0},
}
"""Referral groups: ``anyone`` fits every dwelling, ``single`` only the 1-room ones (rent),
``family`` only those of 3 rooms or more."""
ANYONE, SINGLE, FAMILY = 0, 1, 2
"""The groups' codes (their order in :data:`GROUPS`)."""
APPLICANT_TAG = 1_000.0
"""Scripted applicant ``n`` has a first adult of income level ``APPLICANT_TAG + n`` (a name tag)."""
REFERRAL_TAG = 100_000.0
"""Referral household ``i`` has a first adult of income level ``REFERRAL_TAG + i``."""


def department_row(index: int, organisation: str) -> dict[str, Any]:
    """One full department of :data:`DWELLINGS` dwellings, its own area."""
    row: dict[str, Any] = {
        "department": f"d{index}",
        "name": f"Department {index}",
        "organisation": organisation,
        "area": f"d{index}",
    }
    for rooms, suffix in zip((1, 2, 3, 4), ("room", "rooms", "rooms", "rooms"), strict=True):
        row[f"dwellings_{rooms}_{suffix}"] = ROOMS.count(rooms)
        row[f"rent_{rooms}_{suffix}_kr"] = RENTS[rooms]
    row.update(
        households=DWELLINGS,
        residents=14,
        residents_0_17=4,
        residents_18_64=8,
        outside_work_education_18_64=2,
        residents_30_59=5,
        basic_education_30_59=1,
        mean_income_kr=300_000.0,
        nonwestern_share=0.1,
        convicted_share=0.0,
        turnover_share=np.nan,
    )
    return row


@dataclass
class World:
    """A hand-made world: a model whose state a test sets and whose letting it calls step by step."""

    model: HousingModel
    month: int = 0

    @property
    def population(self) -> Population:
        return self.model.population

    @property
    def departments(self) -> DepartmentState:
        return self.model.departments

    @property
    def areas(self) -> AreaState:
        return self.model.areas

    @property
    def queue(self) -> ReferralQueue:
        return self.model.queue

    @property
    def tally(self) -> Tally:
        return self.model.tally

    @property
    def office(self) -> LettingOffice:
        return self.model.organisations.office

    # -- setting the scene ---------------------------------------------------------------------------

    def slots(self, department: int, rooms: int | None = None) -> np.ndarray:
        """The department's dwellings (of ``rooms`` rooms), in slot order."""
        stock = self.population.stock
        slots = np.arange(stock.first_slot[department], stock.first_slot[department + 1])
        return slots if rooms is None else slots[stock.rooms[slots] == rooms]

    def vacate(
        self, department: int, rooms: int | None = None, count: int | None = None
    ) -> np.ndarray:
        """Empty the first ``count`` (default all) dwellings of a department (of ``rooms`` rooms)."""
        slots = self.slots(department, rooms)[:count]
        self.population.vacate(slots)
        return slots

    def shares(self, *, referral: float | None = None, flexible: float | None = None) -> None:
        """Set every department's agreed referral and flexible-letting shares."""
        if referral is not None:
            self.departments.referral_share[:] = referral
        if flexible is not None:
            self.departments.flexible_share[:] = flexible

    def list_area(
        self,
        department: int,
        *,
        udsat: bool = False,
        forebyggelse: bool = False,
        omdannelse: bool = False,
        combined_letting: bool = False,
    ) -> None:
        """Put a department's area on lists (an omdannelsesområde is also udsat and parallel)."""
        area = self.departments.area[department]
        status = {
            "udsat": udsat or omdannelse,
            "parallelsamfund": omdannelse,
            "omdannelsesomraade": omdannelse,
            "forebyggelsesomraade": forebyggelse,
            "combined_letting_allowed": combined_letting,
        }
        for name, value in status.items():
            flags = getattr(self.areas, name).copy()  # the published arrays are read-only
            flags[area] = value
            setattr(self.areas, name, flags)

    def wait(
        self,
        group: int,
        *,
        since: int = 0,
        count: int = 1,
        barred_udsat: bool = False,
        barred_prevention: bool = False,
        bans_end: int | None = None,
    ) -> list[int]:
        """Put ``count`` households of a referral group in line, waiting since month ``since``.

        Each is a single adult aged 40 outside work, tagged with its referral id (see :meth:`who`).
        With ``bans_end``, its bans are those with a duration (released from prison, evicted),
        which end in that month.
        """
        batch = HouseholdBatch.empty(count)
        batch.adult[:, 0] = True
        batch.born[:, 0] = since - 40 * 12
        batch.status[:, 0] = Status.OUTSIDE
        batch.income_level[:, 0] = REFERRAL_TAG + np.arange(
            len(self.queue), len(self.queue) + count
        )
        traits = ReferralTraits(
            barred_udsat=np.full(count, barred_udsat or barred_prevention),
            barred_prevention=np.full(count, barred_prevention),
            bans_end=None if bans_end is None else np.full(count, bans_end),
            lasting_udsat=np.zeros(count, bool),
            lasting_prevention=np.zeros(count, bool),
        )
        return self.queue.join(group, batch, traits, since)

    # -- acting ----------------------------------------------------------------------------------------

    def refer(self, vacancies: np.ndarray, plan: Plan | None = None) -> np.ndarray:
        """The municipality claims and refers (§ 59); per vacancy, whether it was referred."""
        self.model.municipality.plan = plan
        return self.model.municipality.claim(np.asarray(vacancies, np.int64), self.month)

    def let(self, vacancies: np.ndarray) -> LettingOutcome:
        """The housing organisations let ``vacancies`` (no referral step)."""
        return self.model.organisations.let(np.asarray(vacancies, np.int64), self.month)

    def let_month(self, vacancies: np.ndarray) -> None:
        """The month's letting in the model: rounds of referral then letting (a vacancy chain)."""
        self.model.month = self.month
        self.model._let(np.asarray(vacancies, np.int64))

    def let_external(self, vacancies: np.ndarray, *, flexible: bool = False) -> np.ndarray:
        """Let ``vacancies`` from the external list (as flexible offers if ``flexible``).

        Returns the dwellings left vacant (every applicant refused).
        """
        vacancies = np.asarray(vacancies, np.int64)
        return self.office.let_external(
            vacancies, self.month, flexible=np.full(vacancies.size, flexible)
        )

    # -- reading ---------------------------------------------------------------------------------------

    def lettings(self, department: int | None = None) -> dict[Channel, int]:
        """Lettings so far by channel (of one department, or all)."""
        counts = self.tally.lettings if department is None else self.tally.lettings[:, [department]]
        return {channel: int(counts[channel].sum()) for channel in Channel}

    def who(self, slot: int) -> tuple[str, int]:
        """Who lives in ``slot``: ``("referral", id)``, ``("applicant", n)``, ``("tenant", -1)``
        (there on day 0 or moved within the stock) or ``("vacant", -1)``."""
        if not self.population.occupied[slot]:
            return ("vacant", -1)
        tag = float(self.population.income_level[slot, 0])
        if tag >= REFERRAL_TAG:
            return ("referral", round(tag - REFERRAL_TAG))
        if tag >= APPLICANT_TAG:
            return ("applicant", round(tag - APPLICANT_TAG))
        return ("tenant", -1)


def world_scenario(
    departments: int = 3, organisations: Sequence[str] | None = None, **overrides: Any
) -> LoadedScenario:
    """The scenario of a hand-made world: its department table and a minimal scenario."""
    owners = list(organisations or ["org"] * departments)
    frame = pd.DataFrame([department_row(i, owners[i]) for i in range(departments)])
    raw: dict[str, Any] = {
        "schema_version": 1,
        "name": "Hand-made world",
        "synthetic": True,
        "municipality": {"name": "Testby", "departments_file": "hand-made.csv"},
        "areas": {f"d{i}": {"name": f"Area {i}"} for i in range(departments)},
        "referral_groups": {
            name: {"name": name, "arrivals_per_year": 0.0, **needs}
            for name, needs in GROUPS.items()
        },
        "horizon": {"start_year": 2026, "years": 1},
    }
    return build_scenario(raw, frame, source=Path("<hand-made world>"), overrides=overrides)


def make_world(
    departments: int = 3,
    *,
    seed: int = 0,
    organisations: Sequence[str] | None = None,
    **overrides: Any,
) -> World:
    """A hand-made world of ``departments`` departments (one organisation unless ``organisations``).

    ``overrides`` are dotted scenario keys, passed as ``**{"agreement.combined_letting": True}``.
    """
    loaded = world_scenario(departments, organisations, **overrides)
    return World(HousingModel(loaded, seed=seed))


# --------------------------------------------------------------------------------------------------
# Scripted waiting-list applicants


@dataclass(frozen=True)
class Applicant:
    """One scripted waiting-list applicant: a single adult aged 40, or with children, or 62.

    Only the flags the letting reads matter; the household is made to agree with them.
    """

    employed: bool = False
    student: bool = False
    commuter: bool = False
    senior: bool = False
    family_with_children: bool = False
    cash_benefit: bool = False
    cash_benefit_6_months: bool = False
    extended: bool = False


PLAIN = Applicant()
"""Outside work on no refused benefit, meeting no flexible criterion: refused by nothing."""
EMPLOYED = Applicant(employed=True)
STUDENT = Applicant(student=True)
COMMUTER = Applicant(commuter=True)
SENIOR = Applicant(senior=True)
PARENT = Applicant(family_with_children=True)
"""A household with children (applying for 3 rooms or more)."""
CASH_6_MONTHS = Applicant(cash_benefit=True, cash_benefit_6_months=True)
"""6 months of kontanthjælp: refused under § 51 b and § 51 c."""
CASH_NOW = Applicant(cash_benefit=True)
"""On kontanthjælp, for less than 6 months: refused under § 51 c only."""
PENSIONER = Applicant(extended=True)
"""On førtidspension: refused only under the extended § 51 b."""


@dataclass
class Script:
    """The waiting-list applicants the letting will draw, in order (then :attr:`otherwise`).

    Installed in place of :func:`simulation.people.households.draw_applicants`. Applicant ``n``
    (from 0, in the order drawn) is tagged so that :meth:`World.who` finds it in its dwelling.
    """

    upcoming: list[Applicant] = field(default_factory=list)
    otherwise: Applicant = PLAIN
    drawn: list[HouseholdBatch] = field(default_factory=list)
    calls: list[int] = field(default_factory=list)

    def then(self, *applicants: Applicant) -> Script:
        """Append applicants to the script."""
        self.upcoming.extend(applicants)
        return self

    def draw(
        self,
        rng: np.random.Generator,
        profile: object,
        rooms: np.ndarray,
        department: np.ndarray,
        *args: object,
        **keywords: object,
    ) -> tuple[HouseholdBatch, ApplicantFlags]:
        count = int(rooms.size)
        script = [self.upcoming.pop(0) if self.upcoming else self.otherwise for _ in range(count)]
        batch = HouseholdBatch.empty(count)
        batch.adult[:, 0] = True
        month = int(args[-1]) if args else 0
        age = np.array([62 if a.senior else 40 for a in script])
        batch.born[:, 0] = month - age * 12
        batch.status[:, 0] = [
            Status.EMPLOYED if a.employed else Status.STUDENT if a.student else Status.OUTSIDE
            for a in script
        ]
        batch.children[:] = [2 if a.family_with_children else 0 for a in script]
        batch.outside_since[:, 0] = [
            month - 8 if a.cash_benefit_6_months else month for a in script
        ]
        first = sum(self.calls)
        batch.income_level[:, 0] = APPLICANT_TAG + np.arange(first, first + count)
        self.calls.append(count)
        self.drawn.append(batch)

        def flag(name: str) -> np.ndarray:
            return np.array([getattr(a, name) for a in script], bool)

        flags = ApplicantFlags(**{f.name: flag(f.name) for f in fields(ApplicantFlags)})
        return batch, flags

    def applicants(self) -> HouseholdBatch:
        """Every applicant drawn so far, in order."""
        return HouseholdBatch.concatenate(self.drawn)


def same_household(batch: HouseholdBatch, row: int, population: Population, slot: int) -> bool:
    """Whether the household in ``slot`` is, column by column, row ``row`` of ``batch``."""
    return all(
        np.array_equal(getattr(batch, f.name)[row], getattr(population, f.name)[slot])
        for f in fields(HouseholdBatch)
    )
