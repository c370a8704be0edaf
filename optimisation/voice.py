"""The words of the optimiser's account in Danish or English, and the names it calls things by.

:mod:`optimisation` must not import :mod:`simulation`, so the Danish the account needs lives here:
nouns with their plurals, number formats (decimal comma and a dot between thousands in Danish)
and the display names of departments, areas and groups that the caller passes (``names``), so
that a planner reads "Nordparken afd. 1", not ``D0001``.

Examples
--------
>>> voice = Voice("da", {"D1": "Nordparken afd. 1"})
>>> voice.amount(1400.5), voice.percent(0.125), voice.count(2, "department")
('1.400,5', '12,5 %', '2 afdelinger')
>>> voice.ids(["D1", "D2"])
"'Nordparken afd. 1', 'D2'"
>>> Voice().amount(1400.5), Voice().count(1, "department")
('1,400.5', '1 department')
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["NOUNS", "REASON_DANISH", "Language", "Voice"]

Language = Literal["da", "en"]

NOUNS: Mapping[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "department": (("afdeling", "afdelinger"), ("department", "departments")),
    "referral group": (("målgruppe", "målgrupper"), ("referral group", "referral groups")),
    "protected area": (
        ("beskyttet boligområde", "beskyttede boligområder"),
        ("protected area", "protected areas"),
    ),
    "area": (("boligområde", "boligområder"), ("area", "areas")),
    "more department": (
        ("afdeling mere", "afdelinger mere"),
        ("more department", "more departments"),
    ),
    "more area": (("boligområde mere", "boligområder mere"), ("more area", "more areas")),
    "more limit": (("grænse mere", "grænser mere"), ("more limit", "more limits")),
    "housing organisation": (
        ("boligorganisation", "boligorganisationer"),
        ("housing organisation", "housing organisations"),
    ),
    "more housing organisation": (
        ("boligorganisation mere", "boligorganisationer mere"),
        ("more housing organisation", "more housing organisations"),
    ),
    "municipality": (("kommune", "kommuner"), ("municipality", "municipalities")),
    "more municipality": (
        ("kommune mere", "kommuner mere"),
        ("more municipality", "more municipalities"),
    ),
}
"""Each noun the account counts: (Danish singular, plural), (English singular, plural)."""

REASON_DANISH: Mapping[str, str] = {
    "rooms": "boligerne har det forkerte antal rum",
    "rent": "for dyre",
    "ban": "omfattet af anvisningsforbud (§ 59, stk. 6–7, område på en liste)",
    "not listed as compatible": "ikke opført som egnet",
}
"""The exclusion reasons of :data:`optimisation.problem.REASON_TEXT` in Danish."""


@dataclass(frozen=True)
class Voice:
    """How the account speaks: its language and the names of what it names."""

    language: Language = "en"
    names: Mapping[Hashable, str] = field(default_factory=dict)

    @property
    def danish(self) -> bool:
        """Whether the account is in Danish."""
        return self.language == "da"

    def pick(self, english: str, danish: str) -> str:
        """The English or the Danish text."""
        return danish if self.danish else english

    def number(self, text: str) -> str:
        """A number formatted the English way (``1,400.5``), in the account's language."""
        if not self.danish:
            return text
        return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")

    def amount(self, value: float) -> str:
        """Households or persons, to at most two decimals without trailing zeros."""
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
        return self.number("0" if text == "-0" else text)

    def fixed(self, value: float, decimals: int = 2) -> str:
        """``value`` with exactly ``decimals`` decimals."""
        return self.number(f"{value:,.{decimals}f}")

    def percent(self, share: float) -> str:
        """A share as per cent with one decimal (``12.5 %``)."""
        return self.number(f"{100 * share:.1f}") + " %"

    def count(self, number: int, noun: str) -> str:
        """``3 departments``: the number and the noun of :data:`NOUNS` in the right number."""
        danish, english = NOUNS[noun]
        one, many = danish if self.danish else english
        return f"{self.number(f'{number:,d}')} {one if number == 1 else many}"

    def name(self, ident: Hashable) -> str:
        """The display name of a department, area or group (the id where there is none)."""
        return str(self.names.get(ident, ident))

    def quoted(self, ident: Hashable) -> str:
        """The name in quotes, or the id as Python shows it when there is no name."""
        return repr(self.names[ident]) if ident in self.names else repr(ident)

    def ids(self, ids: Sequence[Hashable], limit: int = 10) -> str:
        """At most ``limit`` names, then how many more: ``'A', 'B' and 3 more``."""
        shown = ", ".join(self.quoted(ident) for ident in list(ids)[:limit])
        if len(ids) > limit:
            more = len(ids) - limit
            shown += f" og {more} til" if self.danish else f" and {more} more"
        return shown

    def reason(self, reason: str, english: str) -> str:
        """An exclusion reason in words (``english`` is its English text)."""
        return (
            REASON_DANISH.get(reason, REASON_DANISH.get(english, english))
            if self.danish
            else english
        )
