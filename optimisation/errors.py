"""Errors of the referral optimiser: bad input data and failed solves.

Both are loud and specific: :class:`ProblemDataError` names every offending field with the values
(and department or group ids) it found; :class:`SolverError` carries the solver's status. The
optimiser never returns a half-filled plan.

``str(error)`` is English; ``error.in_language("da")`` says the same in Danish (the command line's
``--lang da``): a :class:`DataIssue` carries its Danish beside its English, and a
:class:`SolverError` builds its Danish from its status and stage.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from optimisation.constants import SolverName, SolverStatus, Stage

__all__ = ["DataIssue", "ProblemDataError", "SolverError"]

MAX_IDS_SHOWN = 10
"""How many offending ids an issue lists before it says how many more there are."""


def format_ids(ids: Sequence[Hashable], limit: int = MAX_IDS_SHOWN, language: str = "en") -> str:
    """List ids for a message, at most ``limit`` of them, then how many more.

    Parameters
    ----------
    ids
        Department or group ids (or values).
    limit
        How many to show.
    language
        ``da`` for ``og 3 til``.

    Returns
    -------
    str
        For example ``"'A1', 'B7' and 3 more"``.
    """
    shown = ", ".join(repr(value) for value in list(ids)[:limit])
    if len(ids) > limit:
        more = len(ids) - limit
        shown += f" og {more} til" if language == "da" else f" and {more} more"
    return shown


@dataclass(frozen=True)
class DataIssue:
    """One thing wrong with the optimiser's input.

    Parameters
    ----------
    field
        Where: the frame and column, e.g. ``"departments.referral_share"``, or a parameter name.
    message
        What is wrong and what was expected, naming the offending ids and values.
    danish
        The message in Danish (empty: the English message serves in Danish too).
    """

    field: str
    message: str
    danish: str = ""

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"

    def in_language(self, language: str) -> str:
        """The issue in ``language`` (``da`` or ``en``)."""
        message = self.danish if language == "da" and self.danish else self.message
        return f"{self.field}: {message}"


class ProblemDataError(ValueError):
    """The data for a :class:`~optimisation.ReferralProblem` is invalid.

    One error carries every issue found (``issues``), so a caller sees everything wrong at once.

    Parameters
    ----------
    issues
        The issues found, at least one.
    """

    def __init__(self, issues: Iterable[DataIssue]) -> None:
        self.issues: tuple[DataIssue, ...] = tuple(issues)
        super().__init__(self.in_language("en"))

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.issues,))

    def in_language(self, language: str) -> str:
        """Every issue, one a line, under a header, in ``language`` (``da`` or ``en``)."""
        lines = [issue.in_language(language) for issue in self.issues]
        if language == "da":
            header = "ugyldige data for anvisningsproblemet" + (
                f" ({len(lines)} fejl)" if len(lines) > 1 else ""
            )
        else:
            header = "invalid referral problem data" + (
                f" ({len(lines)} issues)" if len(lines) > 1 else ""
            )
        return header + ":\n  " + "\n  ".join(lines)

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields that have issues, in the order found."""
        return tuple(dict.fromkeys(issue.field for issue in self.issues))


class SolverError(RuntimeError):
    """A solve did not end with a proven optimum, so no plan is returned.

    Parameters
    ----------
    status
        The solver's status, as a :class:`~optimisation.SolverStatus`.
    solver
        Which solver was used.
    stage
        The lexicographic stage that failed (``None`` if no stage ran).
    detail
        Extra text (e.g. the solver's own error message).
    detail_danish
        ``detail`` in Danish (empty: ``detail`` serves in Danish too, e.g. a solver's own words).
    """

    def __init__(
        self,
        status: SolverStatus,
        solver: SolverName,
        stage: Stage | None,
        detail: str = "",
        detail_danish: str = "",
    ) -> None:
        self.status = status
        self.solver = solver
        self.stage = stage
        self.detail = detail
        self.detail_danish = detail_danish
        super().__init__(self.in_language("en"))

    def __reduce__(self) -> tuple[object, ...]:
        return (
            type(self),
            (self.status, self.solver, self.stage, self.detail, self.detail_danish),
        )

    def in_language(self, language: str) -> str:
        """What failed, in ``language`` (``da`` or ``en``)."""
        stage, status = self.stage, self.status
        if language == "da":
            where = f"i trin '{stage}'" if stage is not None else "før noget trin"
            detail = self.detail_danish or self.detail
            message = (
                f"{self.solver} sluttede {where} med status '{status}' "
                f"({STATUS_DANISH[status]}); der blev ikke lavet nogen plan"
            )
        else:
            where = f"stage '{stage}'" if stage is not None else "before any stage"
            detail = self.detail
            message = f"{self.solver} ended {where} with status '{status}'; no plan was produced"
        return message + (f" ({detail})" if detail else "")


STATUS_DANISH: dict[SolverStatus, str] = {
    SolverStatus.OPTIMAL: "optimal",
    SolverStatus.FEASIBLE: "mulig, men ikke bevist optimal",
    SolverStatus.INFEASIBLE: "ingen løsning opfylder betingelserne",
    SolverStatus.UNBOUNDED: "ubegrænset",
    SolverStatus.NOT_SOLVED: "løseren stoppede uden svar",
    SolverStatus.UNDEFINED: "løserens svar kunne ikke tolkes",
    SolverStatus.ERROR: "løseren kunne ikke køre",
}
"""Each solver status in Danish words (the status itself is shown as the solver says it)."""
