"""Errors of the referral optimiser: bad input data and failed solves.

Both are loud and specific: :class:`ProblemDataError` names every offending field with the values
(and department or group ids) it found; :class:`SolverError` carries the solver's status. The
optimiser never returns a half-filled plan.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from optimisation.constants import SolverName, SolverStatus, Stage

__all__ = ["DataIssue", "ProblemDataError", "SolverError"]

MAX_IDS_SHOWN = 10
"""How many offending ids an issue lists before it says how many more there are."""


def format_ids(ids: Sequence[Hashable], limit: int = MAX_IDS_SHOWN) -> str:
    """List ids for a message, at most ``limit`` of them, then how many more.

    Parameters
    ----------
    ids
        Department or group ids (or values).
    limit
        How many to show.

    Returns
    -------
    str
        For example ``"'A1', 'B7' and 3 more"``.
    """
    shown = ", ".join(repr(value) for value in list(ids)[:limit])
    if len(ids) > limit:
        shown += f" and {len(ids) - limit} more"
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
    """

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


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
        lines = [str(issue) for issue in self.issues]
        header = "invalid referral problem data" + (
            f" ({len(lines)} issues)" if len(lines) > 1 else ""
        )
        super().__init__(header + ":\n  " + "\n  ".join(lines))

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
    """

    def __init__(
        self, status: SolverStatus, solver: SolverName, stage: Stage | None, detail: str = ""
    ) -> None:
        self.status = status
        self.solver = solver
        self.stage = stage
        where = f"stage '{stage}'" if stage is not None else "before any stage"
        message = f"{solver} ended {where} with status '{status}'; no plan was produced"
        super().__init__(message + (f" ({detail})" if detail else ""))
