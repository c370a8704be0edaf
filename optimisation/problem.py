"""The referral problem: departments, referral groups, what fits where, and the composition rule.

A :class:`ReferralProblem` is the data of one planning period (``docs/optimiser.md``, "Data"
and "Headroom"), validated once at the boundary and then frozen. It also derives the two
quantities the LP is built from:

* the **headroom** ``R_d`` of each department (afdeling): with leavers at the department's average
  and every vacancy let from the waiting list, the department ends the period with
  ``O⁰ = O − f O + o_w v`` adults 18–64 outside work or education among ``A⁰ = A − f A + a_w v``
  adults, where ``f = min(1, v / H)`` is the share of households that move out (``f = 0`` for a
  department without households). Its headroom is ``R = max(0, θ A⁰ − O⁰)`` persons, where the
  ceiling ``θ`` is the legal threshold minus a safety margin (or a per-department ceiling);
* the **headroom use** ``w_dg = (o_g − o_w) − θ_d (a_g − a_w)`` persons of one referral of group g
  in place of a waiting-list household. Only ``max(0, w_dg)`` counts against the headroom: a
  referral that improves the composition (``w ≤ 0``) never makes room for one that worsens it, so
  the plan does not rely on an improving household turning up to offset a worsening one.

Compatibility says which groups may be referred to which departments (rooms, rent, the § 59 stk. 6/7
bans in listed areas). The caller may give a *reason* for each excluded pair (e.g. ``"rooms"``,
``"rent"``, ``"ban"``), which the shortfall diagnosis uses to say what blocks a group.

Compatibility is a yes or no; the optional **capacity** ``c_dg`` says how many: the referrals of
group g that department d can take in the period because it has that many vacancies that fit the
group (rooms, rent) and that the municipality may claim (households per period; ``inf`` = no limit
beyond the department's slots). A department with one cheap one-room flat and thirty dear
three-room flats has slots for about thirty referrals, but room for only one homeless single.

Groups that need the same dwellings may share one capacity: a **capacity pool** (``capacity_pool``,
one pool id per group). The simulation splits each referral group into households with and
without a trait barred from listed areas; both need the same rooms at the same rent, so a
department's fitting vacancies are one resource for the two, and the LP limits their *sum*:
``Σ_{g in pool p} x_dg ≤ c_dp``. Every compatible group of a pool must then be given the same
capacity in a department (it is the pool's); by default each group is its own pool.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from optimisation.checks import (
    check_capacity,
    check_scalars,
    check_values,
    index_exclusions,
    show_pairs,
)
from optimisation.errors import DataIssue, ProblemDataError, format_ids
from optimisation.frames import (
    NOT_LISTED,
    check_ids,
    is_missing,
    read_area_ceilings,
    read_frames,
)

__all__ = [
    "REASON_TEXT",
    "UNIT_KINDS",
    "ReferralProblem",
]

IntArray = npt.NDArray[np.intp]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

REASON_TEXT: Mapping[str, str] = {
    "rooms": "the dwellings have the wrong number of rooms",
    "rent": "too expensive",
    "ban": "barred (§ 59 stk. 6/7, listed area)",
    NOT_LISTED: "not listed as compatible",
}
"""Plain-language text for the usual exclusion reasons; any other reason is shown as given."""

UNIT_KINDS = ("department", "organisation", "municipality")
"""What a claim accounting unit may be (``ReferralProblem.unit_kind``)."""


_COLUMNS = (
    "vacancies",
    "referral_share",
    "households",
    "adults",
    "adults_outside",
    "demand",
    "adults_per_household",
    "outside_per_household",
)
"""The per-department and per-group arrays, by field name."""

_SCALARS = ("waiting_list_adults", "waiting_list_outside", "threshold", "margin")
"""The scalar fields."""


def _frozen(values: Any, dtype: type = np.float64) -> npt.NDArray[Any]:
    array: npt.NDArray[Any] = np.array(values, dtype=dtype, copy=True)
    array.flags.writeable = False
    return array


@dataclass(frozen=True, eq=False)
class ReferralProblem:
    """The data of one referral plan (kommunal anvisning: municipal referral), validated.

    Build it with :meth:`from_frames` from tables, or directly from arrays (the simulation does);
    either way every value is checked and an invalid one raises
    :class:`~optimisation.ProblemDataError`. Arrays are copied and made read-only. Equality is
    identity (the fields are arrays).

    Parameters
    ----------
    departments
        Department (afdeling) ids, unique, in the order of the per-department arrays.
    groups
        Referral group ids, unique, in the order of the per-group arrays.
    vacancies
        Expected vacancies ``v_d`` in the period, dwellings per period, ``≥ 0``.
    referral_share
        Agreed share ``s_d`` of the vacancies the municipality may claim, 0–1; the department has
        ``s_d v_d`` referral slots (dwellings per period).
    households
        Households ``H_d`` living in the department today.
    adults
        Residents aged 18–64 ``A_d`` (persons).
    adults_outside
        Of them, persons outside work or education ``O_d`` (persons, ``≤ adults``).
    demand
        Households ``q_g`` of each group to be housed in the period (households per period).
    adults_per_household
        Adults 18–64 ``a_g`` in a household of the group (persons per household).
    outside_per_household
        Of them, adults outside work or education ``o_g`` (persons per household).
    compatible
        Boolean matrix (departments × groups): may the group be referred to the department?
    ceiling
        Optional per-department ceiling ``θ_d`` (share 0–1) on the end-of-period share of adults
        outside work or education; NaN entries (or ``None``) use ``threshold − margin``.
    exclusions
        Why pairs are excluded: ``{(department, group): ("rent", "ban"), ...}``. Every pair listed
        is excluded (it overrides ``compatible``); the reasons feed the shortfall diagnosis.
    waiting_list_adults
        Adults 18–64 ``a_w`` in a household from the waiting list (persons per household).
    waiting_list_outside
        Of them, adults outside work or education ``o_w`` (persons per household).
    threshold
        The legal threshold ``T`` on the share of adults 18–64 outside work or education (0.40,
        § 61 a).
    margin
        Safety margin ``m`` below the threshold; the default ceiling is ``θ = T − m``.
    capacity
        Optional matrix (departments × groups) of capacities ``c_dg``: at most this many
        referrals of the group in the department, because only so many of its vacancies fit the
        group (rooms, rent) and may be claimed (households per period, ``≥ 0``; ``inf`` = no limit
        beyond the slots). ``None`` means no pair has a capacity. Entries of excluded pairs are
        ignored; NaN is not allowed (write ``inf`` for "no limit").
    capacity_pool
        Optional pool id per group (in group order): groups with the same pool id need the same
        dwellings and share one capacity per department, ``Σ_{g in pool} x_dg ≤ c_d,pool``, so
        their compatible pairs in a department must have the same capacity. ``None`` puts each
        group in its own pool (whose id is the group id).
    newcomer_adults, newcomer_outside
        Optional per-department profile of the household a vacancy is let to when it is not a
        referral (persons 18–64, and of them outside work or education, per household): where
        applicants resemble the department's residents, fragile departments get more newcomers
        outside work. NaN entries (or ``None``) use ``waiting_list_adults`` /
        ``waiting_list_outside``.
    area
        Optional area (boligområde) id of each department, in department order: the lists of
        § 61 a/b are about areas, and an area's end-of-period share of adults outside work or
        education is what ``area_ceiling`` protects (``docs/optimiser.md``, "Area protection").
    area_ceiling
        Ceiling ``θ_a`` (share 0–1) per area id for the protected areas; an area not given (or
        NaN) is not protected.
    department_ceilings
        Whether each department's own ceiling is a constraint too (the ``composition_{d}`` rows);
        with ``False`` only the areas are protected.
    dwellings
        Optional matrix (departments × groups) of the whole dwellings that fit the group and fall
        vacant in the period (``inf`` = no limit): an integer plan's capacity rows count these
        real dwellings, within the department's whole slots ``⌊s_d v_d⌋`` (the municipality asks
        for a dwelling that fits), instead of rounding each pair's expected claims ``c_dg``
        down. Shared within a capacity pool like ``capacity``; ignored by the LP. ``None``: an
        integer plan uses ``⌊c_dg⌋``.
    claim_unit
        Optional accounting unit of each department's claims (in department order): the
        agreement counts the municipality's claims per unit (§ 59 stk. 2), e.g. per housing
        organisation or across the municipality (``docs/optimiser.md``, "Pooled claims"). The
        LP then limits the referrals of each unit's departments together to the unit's claims
        ``Σ_{d∈u} s_d v_d`` (plus ``carried_claims``), row ``claims_{unit}``, and each department
        only to its vacancies (where its share is above 0) and its fitting dwellings.
        ``None``: each department's own claims ``s_d v_d`` limit it (the ``slots`` rows).
    carried_claims
        Claims each unit carries over from earlier periods (whole claims not yet used,
        households), added to its claims; only with ``claim_unit``. Units not given carry none.
    unit_kind
        What the units are, for the account: ``"organisation"`` (housing organisations),
        ``"municipality"`` (one unit) or ``"department"``.

    Raises
    ------
    ProblemDataError
        If any value is invalid (negative counts, shares outside 0–1, NaN, shape mismatches,
        duplicate or unknown ids ...), naming the field and the offending ids.
    """

    departments: tuple[Hashable, ...]
    groups: tuple[Hashable, ...]
    vacancies: FloatArray
    referral_share: FloatArray
    households: FloatArray
    adults: FloatArray
    adults_outside: FloatArray
    demand: FloatArray
    adults_per_household: FloatArray
    outside_per_household: FloatArray
    compatible: BoolArray
    ceiling: FloatArray | None = None
    exclusions: Mapping[tuple[Hashable, Hashable], tuple[str, ...]] = field(default_factory=dict)
    waiting_list_adults: float = 1.3
    waiting_list_outside: float = 0.3
    threshold: float = 0.40
    margin: float = 0.05
    capacity: FloatArray | None = None
    capacity_pool: tuple[Hashable, ...] | None = None
    newcomer_adults: FloatArray | None = None
    newcomer_outside: FloatArray | None = None
    area: tuple[Hashable, ...] | None = None
    area_ceiling: Mapping[Hashable, float] | None = None
    department_ceilings: bool = True
    dwellings: FloatArray | None = None
    claim_unit: tuple[Hashable, ...] | None = None
    carried_claims: Mapping[Hashable, float] | None = None
    unit_kind: str = "organisation"

    def __post_init__(self) -> None:
        issues: list[DataIssue] = []
        departments = tuple(_python(ident) for ident in self.departments)
        groups = tuple(_python(ident) for ident in self.groups)
        object.__setattr__(self, "departments", departments)
        object.__setattr__(self, "groups", groups)
        issues += check_ids("departments.department", departments, "department")
        issues += check_ids("groups.group", groups, "group")
        n_departments, n_groups = len(departments), len(groups)

        for name in ("vacancies", "referral_share", "households", "adults", "adults_outside"):
            issues += self._freeze_vector(name, n_departments, "departments")
        for name in ("demand", "adults_per_household", "outside_per_household"):
            issues += self._freeze_vector(name, n_groups, "groups")
        if self.ceiling is not None:
            issues += self._freeze_vector("ceiling", n_departments, "departments", allow_nan=True)
        for name in ("newcomer_adults", "newcomer_outside"):
            if getattr(self, name) is not None:
                issues += self._freeze_vector(name, n_departments, "departments", allow_nan=True)
        issues += self._freeze_areas(n_departments)

        compatible = np.array(self.compatible, dtype=bool, copy=True)
        if compatible.shape != (n_departments, n_groups):
            issues.append(
                DataIssue(
                    "compatible",
                    f"shape {compatible.shape}, expected (departments, groups) = "
                    f"({n_departments}, {n_groups})",
                    f"form {compatible.shape}, forventede (afdelinger, målgrupper) = "
                    f"({n_departments}, {n_groups})",
                )
            )
        exclusions, exclusion_issues = index_exclusions(self.exclusions, departments, groups)
        issues += exclusion_issues
        if not issues:
            for department_index, group_index in exclusions:
                compatible[department_index, group_index] = False
            named = {(departments[d], groups[g]): reasons for (d, g), reasons in exclusions.items()}
            object.__setattr__(self, "exclusions", MappingProxyType(named))
        compatible.flags.writeable = False
        object.__setattr__(self, "compatible", compatible)
        issues += self._freeze_capacity(n_departments, n_groups)
        issues += self._freeze_units(n_departments)
        issues += check_scalars({name: getattr(self, name) for name in _SCALARS})
        if issues:
            raise ProblemDataError(issues)
        issues += check_values(
            departments, groups, {name: getattr(self, name) for name in _COLUMNS}, self.ceiling
        )
        for name in ("capacity", "dwellings"):
            if getattr(self, name) is not None:
                issues += check_capacity(
                    departments,
                    groups,
                    getattr(self, name),
                    compatible,
                    self.pool_index,
                    f"compatibility.{name}",
                )
        issues += self._check_newcomers()
        if issues:
            raise ProblemDataError(issues)

    # -- validation --------------------------------------------------------------------------------

    def _freeze_vector(
        self, name: str, length: int, frame: str, allow_nan: bool = False
    ) -> list[DataIssue]:
        where = f"{frame}.{name}"
        try:
            array = _frozen(getattr(self, name))
        except (TypeError, ValueError) as error:
            return [DataIssue(where, f"not numbers ({error})", f"ikke tal ({error})")]
        object.__setattr__(self, name, array)
        if array.shape != (length,):
            return [
                DataIssue(
                    where,
                    f"shape {array.shape}, expected ({length},)",
                    f"form {array.shape}, forventede ({length},)",
                )
            ]
        ids = self.departments if frame == "departments" else self.groups
        bad = np.isinf(array) if allow_nan else ~np.isfinite(array)
        if bad.any():
            offending = [ids[i] for i in np.flatnonzero(bad)]
            return [
                DataIssue(
                    where,
                    f"missing or not finite (NaN/inf) for {format_ids(offending)}",
                    "mangler eller er ikke endelig (NaN/inf) for "
                    + format_ids(offending, language="da"),
                )
            ]
        return []

    def _freeze_areas(self, n_departments: int) -> list[DataIssue]:
        """Copy and check ``area`` (one id per department) and ``area_ceiling`` (known ids, 0–1)."""
        issues: list[DataIssue] = []
        if self.area is None:
            if self.area_ceiling:
                issues.append(
                    DataIssue(
                        "areas.ceiling",
                        "area ceilings given without areas",
                        "lofter for boligområder givet uden boligområder",
                    )
                )
            object.__setattr__(self, "area_ceiling", MappingProxyType({}))
            return issues
        area = tuple(_python(ident) for ident in self.area)
        object.__setattr__(self, "area", area)
        if len(area) != n_departments:
            return [
                DataIssue(
                    "departments.area",
                    f"{len(area)} ids, expected {n_departments}",
                    f"{len(area)} id'er, forventede {n_departments}",
                )
            ]
        missing = [self.departments[i] for i, ident in enumerate(area) if is_missing(ident)]
        if missing:
            issues.append(
                DataIssue(
                    "departments.area",
                    f"missing for {format_ids(missing)}",
                    f"mangler for {format_ids(missing, language='da')}",
                )
            )
        ceilings = {_python(k): float(v) for k, v in (self.area_ceiling or {}).items()}
        object.__setattr__(self, "area_ceiling", MappingProxyType(ceilings))
        unknown = [ident for ident in ceilings if ident not in set(area)]
        if unknown:
            issues.append(
                DataIssue(
                    "areas.area",
                    f"not an area of any department: {format_ids(unknown)}",
                    f"ikke boligområde for nogen afdeling: {format_ids(unknown, language='da')}",
                )
            )
        bad = [
            f"{ident!r} ({value:g})"
            for ident, value in ceilings.items()
            if not 0 <= value <= 1 and not np.isnan(value)
        ]
        if bad:
            issues.append(
                DataIssue(
                    "areas.ceiling",
                    f"outside 0–1 for {', '.join(bad)}",
                    f"uden for 0–1 for {', '.join(bad)}",
                )
            )
        return issues

    def _freeze_units(self, n_departments: int) -> list[DataIssue]:
        """Copy and check ``claim_unit`` (one id per department) and ``carried_claims``."""
        issues: list[DataIssue] = []
        if self.unit_kind not in UNIT_KINDS:
            issues.append(
                DataIssue(
                    "unit_kind",
                    f"got {self.unit_kind!r}, expected one of {format_ids(UNIT_KINDS)}",
                    f"fik {self.unit_kind!r}, forventede en af {format_ids(UNIT_KINDS)}",
                )
            )
        carried = {_python(k): v for k, v in (self.carried_claims or {}).items()}
        if self.claim_unit is None:
            if carried:
                issues.append(
                    DataIssue(
                        "carried_claims",
                        "carried-over claims given without claim units",
                        "overførte krav givet uden regnskabsenheder for kravene",
                    )
                )
            object.__setattr__(self, "carried_claims", MappingProxyType({}))
            return issues
        unit = tuple(_python(ident) for ident in self.claim_unit)
        object.__setattr__(self, "claim_unit", unit)
        if len(unit) != n_departments:
            return [
                DataIssue(
                    "departments.unit",
                    f"{len(unit)} ids, expected {n_departments}",
                    f"{len(unit)} id'er, forventede {n_departments}",
                )
            ]
        missing = [self.departments[i] for i, ident in enumerate(unit) if is_missing(ident)]
        if missing:
            issues.append(
                DataIssue(
                    "departments.unit",
                    f"missing for {format_ids(missing)}; give every department the accounting "
                    "unit of its claims (its housing organisation, or one id for the municipality)",
                    f"mangler for {format_ids(missing, language='da')}; giv hver afdeling "
                    "regnskabsenheden for dens krav (dens boligorganisation, eller ét id for "
                    "kommunen)",
                )
            )
        known = set(unit)
        unknown = [ident for ident in carried if ident not in known]
        if unknown:
            issues.append(
                DataIssue(
                    "carried_claims",
                    f"not a unit of any department: {format_ids(unknown)}",
                    f"ikke regnskabsenhed for nogen afdeling: {format_ids(unknown, language='da')}",
                )
            )
        bad = []
        for ident, value in carried.items():
            number = _number(value)
            if number is None or not math.isfinite(number) or number < 0:
                bad.append(f"{ident!r} ({value!r})")
        if bad:
            issues.append(
                DataIssue(
                    "carried_claims",
                    f"expected a finite number of claims ≥ 0 for {', '.join(bad)}",
                    f"forventede et endeligt antal krav ≥ 0 for {', '.join(bad)}",
                )
            )
        else:
            carried = {ident: float(value) for ident, value in carried.items()}
        object.__setattr__(self, "carried_claims", MappingProxyType(carried))
        return issues

    def _check_newcomers(self) -> list[DataIssue]:
        """Newcomer profiles: persons ``≥ 0``, those outside work no more than the adults."""
        issues: list[DataIssue] = []
        adults, outside = self.newcomer_adults_by_department, self.newcomer_outside_by_department
        for name, values in (("newcomer_adults", adults), ("newcomer_outside", outside)):
            negative = np.flatnonzero(values < 0).tolist()
            if negative:
                issues.append(
                    DataIssue(
                        f"departments.{name}",
                        f"negative for {format_ids([self.departments[i] for i in negative])}",
                        "negativ for "
                        + format_ids([self.departments[i] for i in negative], language="da"),
                    )
                )
        exceed = np.flatnonzero(outside > adults + 1e-12).tolist()
        if exceed:
            issues.append(
                DataIssue(
                    "departments.newcomer_outside",
                    "more persons outside work/education than adults for "
                    + format_ids([self.departments[i] for i in exceed]),
                    "flere personer uden for arbejde/uddannelse end voksne for "
                    + format_ids([self.departments[i] for i in exceed], language="da"),
                )
            )
        return issues

    def _freeze_capacity(self, n_departments: int, n_groups: int) -> list[DataIssue]:
        """Copy, freeze and check ``capacity`` and ``capacity_pool`` (shapes, NaN, ids)."""
        issues: list[DataIssue] = []
        if self.capacity_pool is not None:
            pools = tuple(_python(ident) for ident in self.capacity_pool)
            object.__setattr__(self, "capacity_pool", pools)
            if len(pools) != n_groups:
                issues.append(
                    DataIssue(
                        "groups.capacity_pool",
                        f"{len(pools)} ids, expected {n_groups}",
                        f"{len(pools)} id'er, forventede {n_groups}",
                    )
                )
            missing = [self.groups[i] for i, pool in enumerate(pools) if is_missing(pool)]
            if missing and len(pools) == n_groups:
                issues.append(
                    DataIssue(
                        "groups.capacity_pool",
                        f"missing pool id for {format_ids(missing)}",
                        f"id for fælles kapacitet mangler for {format_ids(missing, language='da')}",
                    )
                )
        for name in ("capacity", "dwellings"):
            if getattr(self, name) is None:
                continue
            where = f"compatibility.{name}"
            try:
                capacity = _frozen(getattr(self, name))
            except (TypeError, ValueError) as error:
                issues.append(DataIssue(where, f"not numbers ({error})", f"ikke tal ({error})"))
                continue
            object.__setattr__(self, name, capacity)
            if capacity.shape != (n_departments, n_groups):
                issues.append(
                    DataIssue(
                        where,
                        f"shape {capacity.shape}, expected (departments, groups) = "
                        f"({n_departments}, {n_groups})",
                        f"form {capacity.shape}, forventede (afdelinger, målgrupper) = "
                        f"({n_departments}, {n_groups})",
                    )
                )
                continue
            missing_value = np.isnan(capacity)
            if missing_value.any():
                issues.append(
                    DataIssue(
                        where,
                        "missing (NaN) for "
                        + show_pairs(self.departments, self.groups, missing_value)
                        + "; use inf for no limit",
                        "mangler (NaN) for "
                        + show_pairs(self.departments, self.groups, missing_value, language="da")
                        + "; brug inf for ingen grænse",
                    )
                )
        return issues

    # -- construction from tables ------------------------------------------------------------------

    @classmethod
    def from_frames(
        cls,
        departments: pd.DataFrame,
        groups: pd.DataFrame,
        compatibility: pd.DataFrame | None = None,
        exclusions: pd.DataFrame | None = None,
        *,
        waiting_list_adults: float = 1.3,
        waiting_list_outside: float = 0.3,
        threshold: float = 0.40,
        margin: float = 0.05,
        areas: pd.DataFrame | None = None,
        department_ceilings: bool = True,
        carried_claims: Mapping[Hashable, float] | None = None,
        unit_kind: str = "organisation",
    ) -> ReferralProblem:
        """Build a problem from tables, checking every column.

        Parameters
        ----------
        departments
            One row per department: ``department`` (id), ``vacancies`` (dwellings per period),
            ``referral_share`` (0–1), ``households``, ``adults`` (persons 18–64) and
            ``adults_outside`` (persons 18–64 outside work or education); optionally ``ceiling``
            (0–1, a per-department ceiling that overrides ``threshold − margin``; empty cells use
            the default), ``area`` (the department's area id), ``unit`` (the accounting unit of
            its claims, see ``claim_unit``; every department needs one), ``newcomer_adults`` and
            ``newcomer_outside`` (the profile of a non-referral newcomer there; empty cells use
            the waiting-list profile). Other columns are ignored.
        groups
            One row per referral group: ``group`` (id), ``demand`` (households per period),
            ``adults_per_household`` and ``outside_per_household`` (persons per household);
            optionally ``capacity_pool`` (groups with the same pool id share one capacity per
            department; empty cells put the group in its own pool).
        compatibility
            The allowed (``department``, ``group``) pairs, one row each; pairs not listed are
            excluded (reason ``"not_listed"``). ``None`` allows every pair. An optional
            ``reason`` column turns a row into an *excluded* pair with that reason (empty
            reason = allowed), so a caller can pass the whole department × group grid with the
            reason for each excluded pair. An optional ``capacity`` column gives an allowed
            pair's capacity: at most this many referrals of the group in the department
            (households per period, ``≥ 0``), because only so many of its vacancies fit the group;
            empty (NaN) or ``inf`` means no limit beyond the slots, and it is ignored on excluded
            rows. Other columns are ignored.
        exclusions
            Excluded pairs with their reason: columns ``department``, ``group``, ``reason``
            (e.g. ``"rooms"``, ``"rent"``, ``"ban"`` or free text). A pair may appear several
            times with different reasons. Exclusions override ``compatibility``, so a
            scenario-derived caller can give "fits by rooms and rent" as ``compatibility`` and
            the § 59 bans as ``exclusions``.
        waiting_list_adults
            Adults 18–64 in a waiting-list household (persons per household).
        waiting_list_outside
            Of them, adults outside work or education (persons per household).
        threshold
            The legal threshold on the share of adults outside work or education (0–1).
        margin
            Safety margin below the threshold (0–1).
        areas
            The protected areas: ``area`` (an id of ``departments.area``) and ``ceiling``
            (0–1, the most the area's end-of-period share of adults outside work or education
            may be); an area not listed, or with an empty ceiling, is not protected.
        department_ceilings
            Whether each department's own ceiling is a constraint too.
        carried_claims
            Claims carried over per unit of ``departments.unit`` (see ``carried_claims``).
        unit_kind
            What the units are (see ``unit_kind``).

        Returns
        -------
        ReferralProblem
            The validated, frozen problem.

        Raises
        ------
        ProblemDataError
            One error listing every issue: missing columns, NaN or non-numeric values, negative
            counts or capacities, shares outside 0–1, duplicate ids, a department or group in
            ``compatibility`` / ``exclusions`` that is not in ``departments`` / ``groups``, or
            groups of one capacity pool with different capacities in a department.

        Examples
        --------
        >>> import pandas as pd
        >>> departments = pd.DataFrame({
        ...     "department": ["A", "B"], "vacancies": [8.0, 4.0], "referral_share": [0.25, 0.5],
        ...     "households": [80, 40], "adults": [100, 50], "adults_outside": [20, 10]})
        >>> groups = pd.DataFrame({"group": ["homeless"], "demand": [3.0],
        ...     "adults_per_household": [1.0], "outside_per_household": [1.0]})
        >>> problem = ReferralProblem.from_frames(departments, groups)
        >>> problem.slots.tolist()
        [2.0, 2.0]

        With a capacity: only one vacancy in A fits the group (say, the only cheap flat).

        >>> compatibility = pd.DataFrame({"department": ["A", "B"], "group": ["homeless"] * 2,
        ...     "capacity": [1.0, None]})
        >>> problem = ReferralProblem.from_frames(departments, groups, compatibility)
        >>> problem.pair_capacity.tolist()
        [[1.0], [inf]]
        """
        return cls(
            **read_frames(departments, groups, compatibility, exclusions),
            waiting_list_adults=waiting_list_adults,
            waiting_list_outside=waiting_list_outside,
            threshold=threshold,
            margin=margin,
            area_ceiling=read_area_ceilings(areas),
            department_ceilings=department_ceilings,
            carried_claims=carried_claims,
            unit_kind=unit_kind,
        )

    # -- derived quantities ------------------------------------------------------------------------

    @property
    def n_departments(self) -> int:
        """Number of departments."""
        return len(self.departments)

    @property
    def n_groups(self) -> int:
        """Number of referral groups."""
        return len(self.groups)

    @cached_property
    def theta(self) -> FloatArray:
        """Ceiling ``θ_d`` per department (share 0–1).

        The per-department ``ceiling`` where given, else ``threshold − margin``.
        """
        default = self.threshold - self.margin
        if self.ceiling is None:
            return _frozen(np.full(self.n_departments, default))
        return _frozen(np.where(np.isnan(self.ceiling), default, self.ceiling))

    @cached_property
    def slots(self) -> FloatArray:
        """Referral slots ``s_d v_d`` per department (dwellings per period)."""
        return _frozen(self.referral_share * self.vacancies)

    # -- pooled claims -----------------------------------------------------------------------------

    @property
    def pooled(self) -> bool:
        """Whether claims are counted per accounting unit (``claim_unit`` given)."""
        return self.claim_unit is not None

    @cached_property
    def units(self) -> tuple[Hashable, ...]:
        """Accounting unit ids, each once, in the order of their first department (or none)."""
        return () if self.claim_unit is None else tuple(dict.fromkeys(self.claim_unit))

    @cached_property
    def unit_index(self) -> IntArray:
        """Position in :attr:`units` of each department's unit (−1 without units)."""
        return _positions(self.claim_unit, self.units, self.n_departments)

    @cached_property
    def unit_carried(self) -> FloatArray:
        """Claims carried over into each unit (households per period)."""
        carried = self.carried_claims or {}
        return _frozen([float(carried.get(ident, 0.0)) for ident in self.units])

    @cached_property
    def unit_claims(self) -> FloatArray:
        """Claims ``C_u = Σ_{d∈u} s_d v_d + carried_u`` of each unit (households per period)."""
        if not self.units:
            return _frozen(np.zeros(0))
        earned = np.bincount(self.unit_index, self.slots, minlength=len(self.units))
        return _frozen(earned + self.unit_carried)

    @cached_property
    def department_limit(self) -> FloatArray:
        """The right-hand side of each department's ``slots`` row (dwellings per period).

        Its own claims :attr:`slots` without units; with units its vacancies where its share is
        above 0 (the unit's claims may fall on any of them), else 0.
        """
        if self.claim_unit is None:
            return self.slots
        return _frozen(np.where(self.referral_share > 0, self.vacancies, 0.0))

    @cached_property
    def leaving_share(self) -> FloatArray:
        """Share ``f = min(1, v/H)`` of today's households that move out in the period.

        0 where there are no households; capped at 1 when vacancies exceed households.
        """
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(self.households > 0, self.vacancies / self.households, 0.0)
        return _frozen(np.minimum(share, 1.0))

    @cached_property
    def newcomer_adults_by_department(self) -> FloatArray:
        """Adults 18–64 ``a_w,d`` of a household let a vacancy in each department (persons).

        ``newcomer_adults`` where given, else ``waiting_list_adults``.
        """
        return _frozen(
            _or_default(self.newcomer_adults, self.waiting_list_adults, self.n_departments)
        )

    @cached_property
    def newcomer_outside_by_department(self) -> FloatArray:
        """Of them, adults outside work or education ``o_w,d`` (persons per household).

        ``newcomer_outside`` where given, else ``waiting_list_outside``.
        """
        return _frozen(
            _or_default(self.newcomer_outside, self.waiting_list_outside, self.n_departments)
        )

    @cached_property
    def baseline_adults(self) -> FloatArray:
        """Adults 18–64 ``A⁰_d`` at the end of the period (persons).

        With leavers at the department's average and every vacancy let to a newcomer.
        """
        return _frozen(
            self.adults * (1 - self.leaving_share)
            + self.newcomer_adults_by_department * self.vacancies
        )

    @cached_property
    def baseline_outside(self) -> FloatArray:
        """Adults outside work or education ``O⁰_d`` at the end of the period (persons).

        With leavers at the department's average and every vacancy let to a newcomer.
        """
        return _frozen(
            self.adults_outside * (1 - self.leaving_share)
            + self.newcomer_outside_by_department * self.vacancies
        )

    @cached_property
    def headroom(self) -> FloatArray:
        """Headroom ``R_d = max(0, θ_d A⁰_d − O⁰_d)`` per department (persons).

        How many more adults outside work or education the department can take before the ceiling.
        """
        return _frozen(np.maximum(0.0, self.theta * self.baseline_adults - self.baseline_outside))

    @cached_property
    def extra_adults(self) -> FloatArray:
        """Adults a referral brings in place of a newcomer, ``a_g − a_w,d`` (departments × groups)."""
        return _frozen(
            self.adults_per_household[None, :] - self.newcomer_adults_by_department[:, None]
        )

    @cached_property
    def extra_outside(self) -> FloatArray:
        """Of them outside work or education, ``o_g − o_w,d`` (departments × groups, persons)."""
        return _frozen(
            self.outside_per_household[None, :] - self.newcomer_outside_by_department[:, None]
        )

    @cached_property
    def usage(self) -> FloatArray:
        """Headroom use ``w_dg = (o_g − o_w,d) − θ_d (a_g − a_w,d)`` of one referral (persons).

        Departments × groups, persons per household referred in place of a newcomer; negative
        for a household that improves the mix.
        """
        return _frozen(self.extra_outside - self.theta[:, None] * self.extra_adults)

    @cached_property
    def protection_usage(self) -> FloatArray:
        """What one referral costs the protected limits, ``max(0, w_dg) + max(0, w^a_dg)``.

        Departments × groups (persons): the department's own headroom (with department
        ceilings) plus its area's (where protected); stage 3 minimises its sum over the plan.
        """
        own = np.maximum(self.usage, 0.0) if self.department_ceilings else 0.0
        return _frozen(own + np.maximum(self.area_usage, 0.0))

    # -- areas ---------------------------------------------------------------------------------------

    @cached_property
    def areas(self) -> tuple[Hashable, ...]:
        """Area ids, each once, in the order of their first department (empty without areas)."""
        return () if self.area is None else tuple(dict.fromkeys(self.area))

    @cached_property
    def area_index(self) -> IntArray:
        """Position in :attr:`areas` of each department's area (−1 without areas)."""
        return _positions(self.area, self.areas, self.n_departments)

    @cached_property
    def area_theta(self) -> FloatArray:
        """Ceiling ``θ_a`` per area (share 0–1); NaN for an area that is not protected."""
        ceilings = self.area_ceiling or {}
        return _frozen([ceilings.get(ident, np.nan) for ident in self.areas])

    @cached_property
    def protected_areas(self) -> BoolArray:
        """Whether each area has a ceiling (is protected)."""
        return _frozen(~np.isnan(self.area_theta), bool)

    def _area_sum(self, values: FloatArray) -> FloatArray:
        if not self.areas:
            return np.zeros(0)
        total: FloatArray = np.bincount(self.area_index, values, minlength=len(self.areas)).astype(
            np.float64
        )
        return total

    @cached_property
    def area_baseline_adults(self) -> FloatArray:
        """Adults 18–64 ``A⁰_a = Σ_{d∈a} A⁰_d`` per area at the end of the period (persons)."""
        return _frozen(self._area_sum(self.baseline_adults))

    @cached_property
    def area_baseline_outside(self) -> FloatArray:
        """Adults outside work or education ``O⁰_a = Σ_{d∈a} O⁰_d`` per area (persons)."""
        return _frozen(self._area_sum(self.baseline_outside))

    @cached_property
    def area_headroom(self) -> FloatArray:
        """Headroom ``R_a = max(0, θ_a A⁰_a − O⁰_a)`` per protected area (persons; 0 elsewhere)."""
        room = (
            np.nan_to_num(self.area_theta) * self.area_baseline_adults - self.area_baseline_outside
        )
        return _frozen(np.where(self.protected_areas, np.maximum(room, 0.0), 0.0))

    @cached_property
    def area_above_ceiling(self) -> BoolArray:
        """Whether a protected area ends the period at or above its ceiling without referrals."""
        room = (
            np.nan_to_num(self.area_theta) * self.area_baseline_adults - self.area_baseline_outside
        )
        return _frozen(self.protected_areas & (room <= 0), bool)

    @cached_property
    def area_usage(self) -> FloatArray:
        """Area headroom use ``w^a_dg = (o_g − o_w,d) − θ_a(d) (a_g − a_w,d)`` (persons).

        Departments × groups: the use of the headroom of the department's area by one referral
        in place of a newcomer; 0 where the department's area is not protected.
        """
        if not self.areas:
            return _frozen(np.zeros((self.n_departments, self.n_groups)))
        theta = self.area_theta[self.area_index]
        usage = self.extra_outside - np.nan_to_num(theta)[:, None] * self.extra_adults
        return _frozen(np.where(np.isnan(theta)[:, None], 0.0, usage))

    @cached_property
    def above_ceiling(self) -> BoolArray:
        """Whether a department ends the period at or above its ceiling even without referrals.

        That is ``θ A⁰ − O⁰ ≤ 0``: it may take only households with ``w ≤ 0``.
        """
        return _frozen(self.theta * self.baseline_adults - self.baseline_outside <= 0, bool)

    @cached_property
    def pools(self) -> tuple[Hashable, ...]:
        """Capacity pool ids, each once, in the order of their first group.

        The group ids themselves when ``capacity_pool`` is ``None``.
        """
        if self.capacity_pool is None:
            return self.groups
        return tuple(dict.fromkeys(self.capacity_pool))

    @cached_property
    def pool_index(self) -> IntArray:
        """Position in :attr:`pools` of each group's capacity pool (one per group)."""
        if self.capacity_pool is None:
            return _frozen(np.arange(self.n_groups), np.intp)
        position = {pool: i for i, pool in enumerate(self.pools)}
        return _frozen([position[pool] for pool in self.capacity_pool], np.intp)

    @cached_property
    def pool_capacity(self) -> FloatArray:
        """Capacity of each pool in each department (departments × pools, households per period).

        The capacity its compatible groups share there (they are given the same value); ``inf``
        where none is given or no group of the pool is compatible.
        """
        return _frozen(self._per_pool(self.capacity))

    def _per_pool(self, matrix: FloatArray | None) -> FloatArray:
        result = np.full((self.n_departments, len(self.pools)), np.inf)
        if matrix is not None:
            given = np.where(self.compatible, matrix, np.inf)
            for pool in range(len(self.pools)):
                result[:, pool] = given[:, self.pool_index == pool].min(axis=1)
        return result

    @cached_property
    def pool_dwellings(self) -> FloatArray:
        """Whole fitting dwellings of each pool in each department (departments × pools).

        ``inf`` where none are given; see ``dwellings``.
        """
        return _frozen(self._per_pool(self.dwellings))

    def pool_limit(self, integer: bool) -> FloatArray:
        """The limit of each pool's ``fits`` row (departments × pools, households per period).

        For the LP :attr:`pool_capacity`; for an integer plan the whole dwellings
        (:attr:`pool_dwellings`) where given, else the capacity rounded down.

        Parameters
        ----------
        integer
            Whether the plan is in whole households.
        """
        if not integer:
            return self.pool_capacity
        if self.dwellings is not None:
            return _frozen(np.floor(self.pool_dwellings + 1e-9))
        return _frozen(np.floor(self.pool_capacity + 1e-9))

    @cached_property
    def pair_capacity(self) -> FloatArray:
        """The capacity that limits each pair (departments × groups, households per period).

        Its pool's capacity in the department (shared with the pool's other groups); ``inf``
        where there is none.
        """
        return _frozen(self.pool_capacity[:, self.pool_index])

    @property
    def has_capacity(self) -> bool:
        """Whether any compatible pair has a finite capacity."""
        return bool(np.isfinite(self.pool_capacity).any())

    def exclusion_reasons(self, department: Hashable, group: Hashable) -> tuple[str, ...]:
        """Return the reasons given for excluding a pair (empty if none were given).

        Parameters
        ----------
        department, group
            The pair's ids.

        Returns
        -------
        tuple of str
            The reasons, e.g. ``("rent", "ban")``.
        """
        return self.exclusions.get((department, group), ())


# -- helpers ---------------------------------------------------------------------------------------


def _or_default(values: FloatArray | None, default: float, length: int) -> FloatArray:
    """``values`` with NaN (or ``None``) replaced by ``default``."""
    if values is None:
        return np.full(length, float(default))
    return np.where(np.isnan(values), float(default), values)


def _positions(
    ids: tuple[Hashable, ...] | None, order: tuple[Hashable, ...], length: int
) -> IntArray:
    """Position in ``order`` of each id (all −1 when ``ids`` is ``None``), frozen."""
    if ids is None:
        return _frozen(np.full(length, -1), np.intp)
    position = {ident: i for i, ident in enumerate(order)}
    return _frozen([position[ident] for ident in ids], np.intp)


def _number(value: object) -> float | None:
    """A real number as float; ``None`` for anything else (bools and strings included)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        return None
    return float(value)


def _python(ident: Hashable) -> Hashable:
    """Turn a numpy scalar id (``np.str_``, ``np.int64``) into its plain Python value."""
    return ident.item() if isinstance(ident, np.generic) else ident
