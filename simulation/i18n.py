"""Danish and English words and number formats for what planners read (profiles, reports).

Danish text uses the decimal comma and a dot between thousands (12.345,6); English the reverse
(12,345.6). Every term a table or report shows is looked up here, so that a Danish output has no
English left in it; a missing term is an error, not a silent fallback.

Examples
--------
>>> number(12345.678, 1, "da"), number(12345.678, 1, "en")
('12.345,7', '12,345.7')
>>> percent(0.345, 1, "da")
'34,5 %'
>>> term("udsat", "da")
'Udsat boligområde'
"""

from __future__ import annotations

import math
from typing import Literal

__all__ = ["LANGUAGES", "Language", "number", "percent", "term"]

Language = Literal["da", "en"]
LANGUAGES: tuple[Language, ...] = ("da", "en")

TERMS: dict[str, tuple[str, str]] = {
    # the legal lists
    "udsat": ("Udsat boligområde", "Vulnerable area (udsat boligområde)"),
    "parallelsamfund": ("Parallelsamfund", "Parallel society (parallelsamfund)"),
    "omdannelsesomraade": ("Omdannelsesområde", "Transformation area (omdannelsesområde)"),
    "forebyggelsesomraade": ("Forebyggelsesområde", "Prevention area (forebyggelsesområde)"),
    "none": ("ingen", "none"),
    # identities
    "department": ("Afdeling", "Department"),
    "name": ("Navn", "Name"),
    "organisation": ("Boligorganisation", "Housing organisation"),
    "area": ("Boligområde", "Area"),
    "group": ("Målgruppe", "Referral group"),
    "departments": ("Afdelinger", "Departments"),
    "dwellings": ("Boliger", "Dwellings"),
    "households": ("Husstande", "Households"),
    "residents": ("Beboere", "Residents"),
    # the criteria
    "outside_work_education": ("Uden for arbejde/uddannelse", "Outside work/education"),
    "conviction_ratio": ("Dømte ift. landsgns.", "Convicted vs national"),
    "basic_education": ("Kun grundskole", "Basic school only"),
    "income": ("Indkomst ift. regionen", "Income vs region"),
    "nonwestern": ("Ikke-vestlige", "Non-western"),
    "margin": ("margin", "margin"),
    "criteria_met": ("Kriterier opfyldt", "Criteria met"),
    "lists": ("Lister", "Lists"),
    # letting and referral
    "tier": ("Trin", "Tier"),
    "referral_share": ("Anvisningsandel", "Referral share"),
    "mean_rent": ("Gns. husleje (kr./md.)", "Mean rent (kr/month)"),
    "affordable": ("Betalelige boliger", "Affordable dwellings"),
    "turnover": ("Fraflytning", "Turnover"),
    "vacancies_per_year": ("Ledige boliger pr. år", "Vacancies per year"),
    "referral_capacity": ("Anvisningsret pr. år", "Referral capacity per year"),
    "affordable_capacity": (
        "Betalelig anvisningsret pr. år",
        "Affordable referral capacity per year",
    ),
    "arrivals_per_year": ("Nye sager pr. år", "New cases per year"),
    "fitting_capacity": ("Passende anvisningsret pr. år", "Fitting referral capacity per year"),
    "of_which_outside_lists": ("heraf uden for listeområder", "of it outside listed areas"),
    "need_vs_capacity": ("Anvisningsbehov og anvisningsret", "Referral need and referral capacity"),
    "closest_to_threshold": (
        "Afdelinger tættest på en grænse",
        "Departments closest to a threshold",
    ),
    "areas_title": ("Boligområder: kriterier og lister", "Areas: criteria and lists"),
    "organisations_title": ("Boligorganisationer", "Housing organisations"),
    "synthetic": ("SYNTETISKE DATA", "SYNTHETIC DATA"),
    "total": ("I alt", "Total"),
}
"""Danish and English for every term shown to a planner."""


def term(key: str, language: Language) -> str:
    """The word for ``key`` in ``language``.

    Raises
    ------
    KeyError
        If the term has no translation (so that no untranslated text slips through).
    """
    danish, english = TERMS[key]
    return danish if language == "da" else english


def number(value: float, decimals: int = 0, language: Language = "en") -> str:
    """Format a number with the language's decimal mark and thousands separator ("–" for NaN)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{decimals}f}"
    if language == "da":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def percent(share: float, decimals: int = 1, language: Language = "en") -> str:
    """Format a share (0–1) as per cent, e.g. ``34,5 %`` in Danish."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "–"
    return f"{number(100 * share, decimals, language)} %"
