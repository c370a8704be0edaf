"""The plain-language account of a referral plan, as text or Markdown.

Planners distrust a black box, so the account says what the plan does (households placed, the
maximum load, the headroom used), which limits bind where (slots, headroom, the dwellings that fit
a group), what one more slot, one more person of headroom or one more fitting dwelling would be
worth, and why any group falls short. Both renderings come from one list of
sections, so they never disagree.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd

from optimisation.constants import SolverName, Stage
from optimisation.diagnosis import ShortfallDiagnosis
from optimisation.problem import ReferralProblem
from optimisation.solve import StageResult
from optimisation.voice import Language, Voice

__all__ = [
    "DEGENERATE_SHOWN",
    "PRICE_LEVELS_SHOWN",
    "TOP_SHOWN",
    "ExplainablePlan",
    "explain_markdown",
    "explain_text",
]

FloatArray = npt.NDArray[np.float64]

TOP_SHOWN = 10
"""How many departments a list names before it says how many more there are."""

PRICE_LEVELS_SHOWN = 3
"""How many distinct values of a shadow price the account lists (largest first)."""

DEGENERATE_SHOWN = 5
"""How many degenerate prices the account names one by one."""


class ExplainablePlan(Protocol):
    """What the account reads from a plan: a :class:`~optimisation.ReferralPlan` has all of it.

    Written out here so that this module needs nothing from :mod:`optimisation.plan`, which
    imports it to give :meth:`ReferralPlan.explain`.
    """

    @property
    def problem(self) -> ReferralProblem:
        """The problem the plan solves."""

    @property
    def departments(self) -> pd.DataFrame:
        """One row per department (``DEPARTMENT_TABLE_COLUMNS``)."""

    @property
    def groups(self) -> pd.DataFrame:
        """One row per group."""

    @property
    def fits(self) -> pd.DataFrame:
        """One row per department and capacity pool with a finite capacity."""

    @property
    def areas(self) -> pd.DataFrame:
        """One row per area (empty without areas)."""

    @property
    def units(self) -> pd.DataFrame:
        """One row per claim accounting unit (empty without pooled claims)."""

    @property
    def placed(self) -> float:
        """Households placed."""

    @property
    def total_shortfall(self) -> float:
        """Households left unplaced (stage 1's optimum)."""

    @property
    def max_load(self) -> float:
        """The maximum load (stage 2's optimum)."""

    @property
    def headroom_used(self) -> float:
        """Headroom used in total (stage 3's optimum)."""

    @property
    def prices(self) -> tuple[StageResult, ...]:
        """Each stage's shadow prices."""

    @property
    def diagnoses(self) -> tuple[ShortfallDiagnosis, ...]:
        """Why each group with a shortfall falls short."""

    @property
    def solver(self) -> SolverName:
        """The solver used."""

    @property
    def integer(self) -> bool:
        """Whether referrals are whole households."""

    @property
    def prices_from_relaxation(self) -> bool:
        """Whether the prices come from the LP relaxation."""

    @property
    def unproven(self) -> tuple[Stage, ...]:
        """Stages whose optimum is not proven."""

    @property
    def gaps(self) -> Mapping[Stage, float]:
        """The relative gap of each unproven stage."""

    @property
    def sensitivities(self) -> pd.DataFrame:
        """Which stage-1 prices are confirmed gains (empty when not checked)."""

    @property
    def max_shortfall_share(self) -> float:
        """The largest share of any group's demand left unplaced."""

    @property
    def objectives(self) -> Mapping[Stage, float]:
        """Each stage's optimum."""


@dataclass
class _Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    table: tuple[list[str], list[list[str]]] | None = None
    notes: list[str] = field(default_factory=list)


def _price_lines(
    values: npt.NDArray[np.float64],
    departments: Sequence[Hashable],
    scale: float,
    phrase: str,
    voice: Voice,
    noun: str = "department",
) -> list[str]:
    """One line per distinct (rounded) positive price, largest first, naming the departments."""
    shown = np.round(values * scale, 2)
    positive = shown > 0
    levels = sorted(set(shown[positive].tolist()), reverse=True)
    lines = []
    for level in levels[:PRICE_LEVELS_SHOWN]:
        members = [departments[i] for i in np.flatnonzero(positive & (shown == level)).tolist()]
        if len(members) == 1:
            word = voice.count(1, noun).split(" ", 1)[1]
            where = voice.pick(f"in {word} ", f"i {word} ") + voice.quoted(members[0])
        else:
            words = voice.count(len(members), noun)
            where = voice.pick(f"in each of {words}: ", f"i hver af {words}: ") + voice.ids(
                members, TOP_SHOWN
            )
        lines.append(f"{phrase.format(voice.fixed(level))} {where}.")
    rest = int(positive.sum()) - sum(
        int((shown == level).sum()) for level in levels[:PRICE_LEVELS_SHOWN]
    )
    if rest:
        more = voice.count(rest, f"more {noun}")
        lines.append(
            voice.pick(
                f"(Smaller values in {more}; see the table.)",
                f"(Mindre værdier i {more}; se tabellen.)",
            )
        )
    return lines


def _fits_bullet(plan: ExplainablePlan, voice: Voice) -> str:
    """Where the dwellings that fit each capacity pool (usually a group) are used up."""
    fits = plan.fits
    binding = fits[fits["binding"].to_numpy(dtype=bool)]
    if binding.empty:
        return voice.pick(
            "The dwellings that fit each group (rooms, rent) have room left wherever a group "
            "may go.",
            "Der er plads tilbage i de boliger, der passer til hver målgruppe (rum, husleje), "
            "overalt hvor en målgruppe kan anvises.",
        )
    per_pool = []
    for pool, rows in binding.groupby("pool", sort=False)["department"]:
        ids = rows.tolist()
        count = voice.count(len(ids), "department")
        per_pool.append(
            voice.pick(
                f"for {voice.name(pool)} in {count} ({voice.ids(ids, TOP_SHOWN)})",
                f"til {voice.name(pool)} i {count} ({voice.ids(ids, TOP_SHOWN)})",
            )
        )
    departments = voice.count(binding["department"].nunique(), "department")
    return (
        voice.pick(
            f"The dwellings that fit a group (rooms, rent) are used up in {departments}: ",
            f"De boliger, der passer til en målgruppe (rum, husleje), er brugt op i {departments}: ",
        )
        + "; ".join(per_pool)
        + "."
    )


def _unit_noun(problem: ReferralProblem) -> str:
    """What a claim accounting unit is (a noun of :data:`~optimisation.voice.NOUNS`)."""
    return {
        "organisation": "housing organisation",
        "municipality": "municipality",
        "department": "department",
    }[problem.unit_kind]


def _pooled_claims(problem: ReferralProblem, voice: Voice) -> str:
    """A unit's pooled claims in words ("a housing organisation's pooled claims" and so on)."""
    if problem.unit_kind == "municipality":
        return voice.pick("the municipality's pooled claims", "kommunens samlede anvisningsret")
    noun = voice.count(1, _unit_noun(problem)).split(" ", 1)[1]
    return voice.pick(f"a {noun}'s pooled claims", f"en {noun}s samlede anvisningsret")


def _units_bullet(plan: ExplainablePlan, voice: Voice) -> str:
    """Which claim accounting units have used all their pooled claims, in words."""
    problem = plan.problem
    units = plan.units
    binding = units[units["binding"].to_numpy(dtype=bool)]
    carried = float(units["carried"].sum())
    with_carried = (
        voice.pick(
            f" (with {voice.amount(carried)} claims carried over)",
            f" (med {voice.amount(carried)} overførte anvisninger)",
        )
        if carried > 0
        else ""
    )
    if problem.unit_kind == "municipality" and len(units) == 1:
        row = units.iloc[0]
        used, claims = voice.amount(float(row["referrals"])), voice.amount(float(row["claims"]))
        if bool(row["binding"]):
            return voice.pick(
                f"Claims are counted across the municipality: its pooled claims{with_carried} "
                f"are all used ({used} of {claims}).",
                f"Anvisningsretten tælles for hele kommunen: den samlede ret{with_carried} er "
                f"brugt helt ({used} af {claims}).",
            )
        return voice.pick(
            f"Claims are counted across the municipality: its pooled claims{with_carried} "
            f"are not all used ({used} of {claims}).",
            f"Anvisningsretten tælles for hele kommunen: den samlede ret{with_carried} er ikke "
            f"brugt helt ({used} af {claims}).",
        )
    noun = _unit_noun(problem)
    singular = voice.count(1, noun).split(" ", 1)[1]
    of_all = voice.number(f"{len(units):,d}")
    text = voice.pick(
        f"Claims are counted per {singular}: the pooled claims{with_carried} are all used in "
        f"{voice.count(len(binding), noun)} of {of_all}",
        f"Anvisningsretten tælles pr. {singular}: den samlede ret{with_carried} er brugt helt i "
        f"{voice.count(len(binding), noun)} af {of_all}",
    )
    if len(binding):
        text += ": " + voice.ids(binding["unit"].tolist(), TOP_SHOWN)
    return text + "."


def _sections(plan: ExplainablePlan, voice: Voice | None = None) -> list[_Section]:
    voice = voice or Voice()
    say = voice.pick
    problem = plan.problem
    table = plan.departments
    departments = problem.departments
    kind = (
        say("integer plan (MILP)", "plan i hele husstande (MILP)")
        if plan.integer
        else say("LP plan", "LP-plan")
    )
    demand = float(problem.demand.sum())
    sections = []

    summary = _Section(say("Summary", "Resumé"))
    n_departments = voice.count(problem.n_departments, "department")
    n_groups = voice.count(problem.n_groups, "referral group")
    summary.paragraphs.append(
        say(
            f"Referral plan (kommunal anvisning) for {n_departments} and {n_groups}; {kind}, "
            f"solved with {plan.solver}.",
            f"Plan for kommunal anvisning til {n_departments} og {n_groups}; {kind}, løst med "
            f"{plan.solver}.",
        )
    )
    placed, wanted = voice.amount(plan.placed), voice.amount(demand)
    unplaced = voice.amount(plan.total_shortfall)
    summary.paragraphs.append(
        say(
            f"{placed} of {wanted} households are placed; {unplaced} remain unplaced (stage 1: "
            "as few as possible).",
            f"{placed} af {wanted} husstande anvises; {unplaced} anvises ikke (trin 1: så få som "
            "muligt).",
        )
    )
    if Stage.FAIRNESS in plan.objectives:
        share = voice.percent(plan.max_shortfall_share)
        summary.paragraphs.append(
            say(
                f"No group has more than {share} of its demand unplaced (fairness stage: with "
                "the total held, the largest share left unplaced is as small as possible).",
                f"Ingen målgruppe har mere end {share} af sit behov uden anvisning (trinnet for "
                "ligelig fordeling: med det samlede antal fastholdt er den største andel uden "
                "anvisning så lille som muligt).",
            )
        )
    load = voice.percent(plan.max_load)
    summary.paragraphs.append(
        say(
            f"No department gives more than {load} of its vacancies to referrals (the load is "
            "spread as evenly as the shortfall allows).",
            f"Ingen afdeling giver mere end {load} af sine ledige boliger til anvisning "
            "(belastningen er spredt så jævnt, som manglen tillader).",
        )
    )
    areas = plan.areas
    protected = areas[areas["protected"].to_numpy(dtype=bool)] if len(areas) else areas
    available = float(protected["headroom"].sum()) if len(protected) else 0.0
    if problem.department_ceilings:
        available += float(problem.headroom.sum())
    limits_text = []
    if problem.department_ceilings:
        threshold, margin = voice.percent(problem.threshold), voice.percent(problem.margin)
        limits_text.append(
            say(
                f"No department is pushed over its ceiling (threshold {threshold} minus margin "
                f"{margin}, unless a department has its own)",
                f"Ingen afdeling skubbes over sit loft (grænsen {threshold} minus margenen "
                f"{margin}, medmindre en afdeling har sit eget)",
            )
        )
    if len(protected):
        of = voice.pick(
            f"{len(protected):,d} of {len(areas):,d}", f"{len(protected)} af {len(areas)}"
        )
        limits_text.append(
            say(
                f"no protected area ({of}) ends the period above the ceiling of the list its "
                "share of adults outside work or education could put it on",
                f"intet beskyttet boligområde ({of}) slutter perioden over loftet for den liste, "
                "som dets andel af voksne uden for arbejde eller uddannelse kunne bringe det på",
            )
        )
    used, headroom = voice.amount(plan.headroom_used), voice.amount(available)
    summary.paragraphs.append(
        say(
            f"The plan uses {used} of {headroom} persons of headroom below the ceilings (stage 3: "
            "as little as possible). ",
            f"Planen bruger {used} af {headroom} personers råderum under lofterne (trin 3: så "
            "lidt som muligt). ",
        )
        + (
            _capitalised("; ".join(limits_text))
            + say(
                ", and one already above its ceiling takes only households that do not make it "
                "worse.",
                ", og en afdeling, der allerede er over sit loft, får kun husstande, der ikke gør "
                "det værre.",
            )
            if limits_text
            else say("Nothing limits the composition.", "Intet begrænser sammensætningen.")
        )
    )
    stages = {"shortfall": "mangel", "fairness": "fordeling", "max_load": "belastning"}
    stages["headroom"] = "råderum"
    for stage in plan.unproven:
        gap = plan.gaps.get(stage, float("nan"))
        gap_text = voice.fixed(100 * gap)
        where = (
            say(f"with a relative gap of {gap_text} %", f"med et relativt gab på {gap_text} %")
            if gap == gap
            else say("without a gap to report", "uden et gab at oplyse")
        )
        summary.paragraphs.append(
            say(
                f"The {stage} stage of this integer plan stopped at its limit {where}: its value "
                "is the best found, not proven best; every rule of the plan holds.",
                f"Trinnet '{stages.get(str(stage), str(stage))}' i denne plan i hele husstande "
                f"stoppede ved sin grænse {where}: værdien er den bedste fundne, ikke bevist den "
                "bedste; alle planens regler holder.",
            )
        )
    groups = plan.groups
    summary.table = (
        [
            say("group", "målgruppe"),
            say("demand", "behov"),
            say("placed", "anvist"),
            say("unplaced", "ikke anvist"),
        ],
        [
            [voice.name(g), voice.amount(d), voice.amount(r), voice.amount(s)]
            for g, d, r, s in zip(
                groups["group"].tolist(),
                groups["demand"].tolist(),
                groups["referrals"].tolist(),
                groups["shortfall"].tolist(),
                strict=True,
            )
        ],
    )
    sections.append(summary)

    limits = _Section(say("Binding limits", "Bindende grænser"))
    slots_full = table["slots_binding"].to_numpy(dtype=bool)
    headroom_full = table["headroom_binding"].to_numpy(dtype=bool)
    above = table["above_ceiling"].to_numpy(dtype=bool) & headroom_full
    at_max = table["load_binding"].to_numpy(dtype=bool)
    ids = np.array(departments, dtype=object)
    full = voice.count(int(slots_full.sum()), "department")
    limits.bullets.append(
        say(f"Referral slots are all used in {full}", f"Anvisningsretten er brugt helt i {full}")
        + (f": {voice.ids(ids[slots_full].tolist(), TOP_SHOWN)}." if slots_full.any() else ".")
    )
    used_up = voice.count(int(headroom_full.sum()), "department")
    limits.bullets.append(
        say(
            f"The composition headroom is used up in {used_up}",
            f"Råderummet for sammensætningen er brugt op i {used_up}",
        )
        + (f": {voice.ids(ids[headroom_full].tolist(), TOP_SHOWN)}" if headroom_full.any() else "")
        + (
            say(
                f"; {int(above.sum())} of them are already at or above the ceiling and take only "
                "households that do not worsen their mix.",
                f"; {int(above.sum())} af dem er allerede ved eller over loftet og får kun "
                "husstande, der ikke forværrer sammensætningen.",
            )
            if above.any()
            else "."
        )
    )
    if len(protected):
        binding = protected[protected["binding"].to_numpy(dtype=bool)]
        above_areas = binding[binding["above_ceiling"].to_numpy(dtype=bool)]
        areas_full = voice.count(len(binding), "protected area")
        limits.bullets.append(
            say(
                f"The headroom of {areas_full} is used up", f"Råderummet i {areas_full} er brugt op"
            )
            + (f": {voice.ids(binding['area'].tolist(), TOP_SHOWN)}" if len(binding) else "")
            + (
                say(
                    f"; {len(above_areas)} of them are already at or above their ceiling and "
                    "take only households that do not worsen their mix.",
                    f"; {len(above_areas)} af dem er allerede ved eller over deres loft og får "
                    "kun husstande, der ikke forværrer sammensætningen.",
                )
                if len(above_areas)
                else "."
            )
        )
    if problem.pooled and len(plan.units):
        limits.bullets.append(_units_bullet(plan, voice))
    fits = plan.fits
    if len(fits):
        limits.bullets.append(_fits_bullet(plan, voice))
    if plan.max_load > 0:
        at_most = voice.count(int(at_max.sum()), "department")
        limits.bullets.append(
            say(
                f"{at_most} at the maximum load of {load}: ",
                f"{at_most} ved den største belastning på {load}: ",
            )
            + f"{voice.ids(ids[at_max].tolist(), TOP_SHOWN)}."
        )
    sections.append(limits)

    shortfall = _Section(say("Shortfall", "Mangel"))
    if plan.diagnoses:
        shortfall.paragraphs.append(
            say(
                "Groups that cannot be placed in full, and what stops them (every department "
                "that could take them has its slots full, its headroom used up"
                + (" or the dwellings that fit them taken" if len(fits) else "")
                + "):",
                "Målgrupper, der ikke kan anvises fuldt ud, og hvad der stopper dem (hver "
                "afdeling, der kunne tage dem, har brugt sin anvisningsret, sit råderum"
                + (" eller de boliger, der passer til dem" if len(fits) else "")
                + "):",
            )
        )
        shortfall.bullets.extend(diagnosis.text(voice) for diagnosis in plan.diagnoses)
        if problem.n_groups > 1:
            shortfall.notes.append(
                say(
                    "The plan fixes the total shortfall at its minimum; which groups carry it "
                    "follows from the later stages (the most even load, then the least headroom "
                    "used), so groups whose households use more headroom are left short first.",
                    "Planen fastholder den samlede mangel på sit minimum; hvilke målgrupper der "
                    "bærer den, følger af de senere trin (den jævneste belastning, derefter det "
                    "mindste forbrug af råderum), så målgrupper, hvis husstande bruger mere "
                    "råderum, mangler først.",
                )
            )
    else:
        shortfall.paragraphs.append(say("Every household is placed.", "Alle husstande anvises."))
    sections.append(shortfall)

    prices = _Section(
        say(
            "What one more slot, person of headroom or fitting dwelling is worth",
            "Hvad én anvisningsret mere, én persons råderum mere eller én passende bolig mere er "
            "værd",
        )
        if len(plan.fits)
        else say(
            "What one more slot or one more person of headroom is worth",
            "Hvad én anvisningsret mere eller én persons råderum mere er værd",
        )
    )
    source = (
        say(
            "These shadow prices come from the LP relaxation of the integer plan (an integer "
            "program has none); they are rates for fractional changes.",
            "Disse skyggepriser kommer fra LP-relaksationen af planen i hele husstande (et "
            "heltalsprogram har ingen); de er rater for brøkdele af ændringer.",
        )
        if plan.prices_from_relaxation
        else say(
            "These are the shadow prices of each stage's LP.",
            "Dette er skyggepriserne i hvert trins LP.",
        )
    )
    fitting_rates = np.where(
        (problem.department_limit > 0)[:, None], plan.prices[0].capacity_price, 0.0
    )
    more_households = say(
        "would house {} more households", "ville skaffe {} flere husstande en bolig"
    )
    kinds: list[tuple[str, str, Sequence[Hashable], str]] = [
        (
            "slots",
            say("One more slot ", "Én anvisningsret mere ") + more_households,
            departments,
            "department",
        ),
        (
            "headroom",
            say("One more person of headroom ", "Én persons råderum mere ") + more_households,
            departments,
            "department",
        ),
        (
            "area",
            say("One more person of headroom ", "Én persons råderum mere ") + more_households,
            problem.areas,
            "area",
        ),
    ]
    if problem.pooled:
        pooled = _pooled_claims(problem, voice).replace("{", "{{").replace("}", "}}")
        kinds.append(
            (
                "claims",
                say(f"One more claim in {pooled} ", f"Én anvisning mere i {pooled} ")
                + more_households,
                problem.units,
                _unit_noun(problem),
            )
        )

    def fitting_phrase(pool_id: Hashable, up_to: bool) -> str:
        label = voice.name(pool_id).replace("{", "{{").replace("}", "}}")
        return say(
            f"One more fitting dwelling for {label} (a vacancy with rooms and rent that fit, for "
            "the municipality to claim) would house " + ("up to " if up_to else "") + "{} more "
            "households of it",
            f"Én passende bolig mere til {label} (en ledig bolig med rum og husleje, der passer, "
            "som kommunen kan anvise til) ville skaffe " + ("op til " if up_to else "") + "{} "
            "flere husstande fra målgruppen en bolig",
        )

    checked = plan.sensitivities
    gains_found = False
    if len(checked):
        prices.paragraphs.append(
            source
            + say(
                " A price is stated as a gain only where it is confirmed: HiGHS ranging shows "
                "that the rate holds for one whole extra unit, or stage 1 solved again with one "
                "more unit houses that many more. Elsewhere the LP is degenerate (several "
                "departments could take the same household, or a limit binds where nobody is "
                "left to place) or the price was not checked, and it is only a rate for small "
                "changes.",
                " En pris angives kun som en gevinst, hvor den er bekræftet: HiGHS' "
                "følsomhedsanalyse viser, at raten holder for én hel enhed mere, eller trin 1 "
                "løst igen med én enhed mere skaffer så mange flere en bolig. Andre steder er "
                "LP'en degenereret (flere afdelinger kunne tage den samme husstand, eller en "
                "grænse binder, hvor ingen er tilbage at anvise), eller prisen blev ikke "
                "kontrolleret, og den er kun en rate for små ændringer.",
            )
        )
        confirmed = checked[checked["reading"] == "confirmed"]
        for family, phrase, names, noun in kinds:
            rows = confirmed[confirmed["limit"] == family]
            column = {"area": "area", "claims": "unit"}.get(family, "department")
            values = _by_id(rows[column].tolist(), rows["gain_of_one"].tolist(), names)
            gains_found |= bool((values > 0).any())
            prices.bullets += _price_lines(values, names, 1.0, phrase, voice, noun=noun)
        for pool_id in problem.pools:
            rows = confirmed[(confirmed["limit"] == "fits") & (confirmed["pool"] == pool_id)]
            values = _by_id(rows["department"].tolist(), rows["gain_of_one"].tolist(), departments)
            gains_found |= bool((values > 0).any())
            prices.bullets += _price_lines(
                values, departments, 1.0, fitting_phrase(pool_id, up_to=False), voice
            )
        degenerate = checked[checked["reading"] == "degenerate"]
        for row in degenerate.head(DEGENERATE_SHOWN).itertuples(index=False):
            prices.bullets.append(_degenerate_text(row, voice))
        if len(degenerate) > DEGENERATE_SHOWN:
            more = len(degenerate) - DEGENERATE_SHOWN
            prices.bullets.append(
                say(
                    f"(The LP is degenerate at {more:,d} more limits checked; see the "
                    "sensitivities table.)",
                    f"(LP'en er degenereret ved {more} kontrollerede grænser mere; se tabellen "
                    "over følsomheder.)",
                )
            )
        unchecked = int((checked["reading"] == "unchecked").sum())
        if unchecked:
            limits_more = voice.count(unchecked, "more limit")
            prices.bullets.append(
                say(
                    f"{limits_more} {'has' if unchecked == 1 else 'have'} a positive shadow "
                    "price that was not checked: a rate for small changes, at most that many "
                    "households per unit, not a promised gain (see the sensitivities table).",
                    f"{limits_more} har en positiv skyggepris, der ikke blev kontrolleret: en "
                    "rate for små ændringer, højst så mange husstande pr. enhed, ikke en lovet "
                    "gevinst (se tabellen over følsomheder).",
                )
            )
    else:
        prices.paragraphs.append(
            source
            + say(
                " They were not checked by ranging or a re-solve: each is a rate for small "
                "changes, the effect of one whole unit at most, and where the LP is degenerate "
                "(several departments could take the same household) the effect of a whole "
                "extra unit can be smaller, even nothing.",
                " De blev ikke kontrolleret med følsomhedsanalyse eller en ny løsning: hver er "
                "en rate for små ændringer, højst virkningen af én hel enhed, og hvor LP'en er "
                "degenereret (flere afdelinger kunne tage den samme husstand), kan virkningen af "
                "en hel enhed mere være mindre, endda ingen.",
            )
        )
        stage_one = plan.prices[0]
        rates = {
            "slots": stage_one.slot_price,
            "headroom": stage_one.composition_price,
            "area": stage_one.area_price,
            "claims": stage_one.claims_price,
        }
        for family, phrase, names, noun in kinds:
            values = rates[family] if len(names) else np.zeros(0)
            gains_found |= bool((values > 0).any())
            up_to = phrase.replace("would house", "would house up to").replace(
                "ville skaffe", "ville skaffe op til"
            )
            prices.bullets += _price_lines(values, names, 1.0, up_to, voice, noun=noun)
        for pool, pool_id in enumerate(problem.pools):
            gains_found |= bool((fitting_rates[:, pool] > 0).any())
            prices.bullets += _price_lines(
                fitting_rates[:, pool], departments, 1.0, fitting_phrase(pool_id, up_to=True), voice
            )
    if not plan.diagnoses:
        prices.bullets.append(
            say(
                "Extra slots, headroom or fitting dwellings would house no one more: every "
                "household is placed.",
                "Mere anvisningsret, råderum eller flere passende boliger ville ikke skaffe "
                "flere en bolig: alle husstande anvises.",
            )
        )
    elif not gains_found:
        prices.bullets.append(
            say(
                "No extra slot, person of headroom or fitting dwelling anywhere is confirmed to "
                "house more households: see the shortfall above for what stops each group.",
                "Ingen ekstra anvisningsret, persons råderum eller passende bolig er nogen steder "
                "bekræftet at skaffe flere husstande en bolig: se manglen ovenfor for, hvad der "
                "stopper hver målgruppe.",
            )
        )
    slot_load = table["slot_value_max_load"].to_numpy(dtype=np.float64)
    headroom_load = table["headroom_value_max_load"].to_numpy(dtype=np.float64)
    prices.bullets += _price_lines(
        slot_load,
        departments,
        100.0,
        say(
            "With the shortfall held, one more slot would lower the maximum load by up to {} "
            "percentage points",
            "Med manglen fastholdt ville én anvisningsret mere sænke den største belastning med "
            "op til {} procentpoint",
        ),
        voice,
    )
    prices.bullets += _price_lines(
        headroom_load,
        departments,
        100.0,
        say(
            "With the shortfall held, one more person of headroom would lower the maximum load "
            "by up to {} percentage points",
            "Med manglen fastholdt ville én persons råderum mere sænke den største belastning "
            "med op til {} procentpoint",
        ),
        voice,
    )
    load_tradeoff = next(
        (result.tradeoff for result in plan.prices if result.stage is Stage.MAX_LOAD), 0.0
    )
    if load_tradeoff > 0:
        points = voice.fixed(100 * load_tradeoff)
        prices.bullets.append(
            say(
                "Leaving one more household unplaced would lower the maximum load by up to "
                f"{points} percentage points.",
                "At lade én husstand mere være uden anvisning ville sænke den største "
                f"belastning med op til {points} procentpoint.",
            )
        )
    sections.append(prices)
    return sections


def _capitalised(text: str) -> str:
    """``text`` with a capital first letter (it starts a sentence)."""
    return text[:1].upper() + text[1:]


def _by_id(
    ids: Sequence[Hashable], values: Sequence[float], order: Sequence[Hashable]
) -> FloatArray:
    """Values keyed by id, as an array in ``order`` (0 elsewhere)."""
    result = np.zeros(len(order))
    if not len(ids):  # the usual case for most limits: no need to index thousands of ids
        return result
    position = {ident: i for i, ident in enumerate(order)}
    for ident, value in zip(ids, values, strict=True):
        result[position[ident]] = value
    return result


def _degenerate_text(row: Any, voice: Voice | None = None) -> str:
    """One degenerate price, in words: the dual, and what the re-solve gave."""
    voice = voice or Voice()
    rate, gain = voice.fixed(row.rate), voice.fixed(row.gain_of_one)
    if voice.danish:
        unit = {
            "slots": "anvisningsret",
            "headroom": "persons råderum",
            "area": "persons råderum",
            "fits": f"passende bolig til {voice.name(row.pool)}",
            "claims": "anvisning i den samlede ret",
        }[row.limit]
        if row.limit == "area":
            where = f"boligområdet {voice.quoted(row.area)}"
        elif row.limit == "claims":
            where = f"den samlede anvisningsret for {voice.quoted(row.unit)}"
        else:
            where = f"afdelingen {voice.quoted(row.department)}"
        return (
            f"Degenereret i {where}: skyggeprisen, {rate} husstande pr. {unit}, holder ikke for "
            f"en hel {unit}; løst igen med én {unit} mere får {gain} flere husstande en bolig."
        )
    unit = {
        "slots": "slot",
        "headroom": "person of headroom",
        "area": "person of headroom",
        "fits": f"fitting dwelling for {voice.name(row.pool)}",
        "claims": "pooled claim",
    }[row.limit]
    if row.limit == "area":
        where = f"area {voice.quoted(row.area)}"
    elif row.limit == "claims":
        where = f"the pooled claims of unit {voice.quoted(row.unit)}"
    else:
        where = f"department {voice.quoted(row.department)}"
    return (
        f"Degenerate in {where}: the shadow price, {rate} households per {unit}, does "
        f"not hold for a whole {unit}; solving again with one more {unit} houses "
        f"{gain} more."
    )


def explain_text(
    plan: ExplainablePlan, language: Language = "en", names: Mapping[Hashable, str] | None = None
) -> str:
    """Render the account of a plan as plain text.

    Parameters
    ----------
    plan
        The plan.
    language
        ``en`` or ``da``.
    names
        Display names of departments, areas and groups by id (default: the ids).

    Returns
    -------
    str
        Paragraphs separated by blank lines; lists as ``- `` lines.
    """
    lines: list[str] = []
    for section in _sections(plan, Voice(language, dict(names or {}))):
        lines.append(section.title.upper())
        lines.extend(section.paragraphs)
        if section.table is not None:
            header, rows = section.table
            widths = [
                max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)
            ]
            for row in [header, *rows]:
                lines.append(
                    "  "
                    + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
                )
        lines.extend(f"- {bullet}" for bullet in section.bullets)
        lines.extend(section.notes)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def explain_markdown(
    plan: ExplainablePlan, language: Language = "en", names: Mapping[Hashable, str] | None = None
) -> str:
    """Render the account of a plan as Markdown.

    Parameters
    ----------
    plan
        The plan.
    language, names
        As for :func:`explain_text`.

    Returns
    -------
    str
        A ``# Referral plan`` document with one ``##`` section per topic.
    """
    voice = Voice(language, dict(names or {}))
    lines = [voice.pick("# Referral plan", "# Anvisningsplan"), ""]
    for section in _sections(plan, voice):
        lines.extend([f"## {section.title}", ""])
        for paragraph in section.paragraphs:
            lines.extend([paragraph, ""])
        if section.table is not None:
            header, rows = section.table
            lines.append("| " + " | ".join(header) + " |")
            lines.append("|" + "|".join("---" for _ in header) + "|")
            lines.extend("| " + " | ".join(row) + " |" for row in rows)
            lines.append("")
        if section.bullets:
            lines.extend(f"- {bullet}" for bullet in section.bullets)
            lines.append("")
        for note in section.notes:
            lines.extend([note, ""])
    return "\n".join(lines).rstrip() + "\n"
