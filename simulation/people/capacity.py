"""Referral capacity from the department data: expected vacancies, and which fit which group.

Used by the profile of a scenario (the picture a negotiation starts from) and by the referral
optimiser's command (``blandetby optimise``). Vacancies are expected per dwelling size from each
department's turnover; a dwelling fits a referral group when it has enough rooms and a rent the
group can pay; households with a barred trait may not be referred to listed areas (§ 59 stk. 6/7).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.inputs.departments import DWELLING_COLUMNS, RENT_COLUMNS, ROOM_SIZES
from simulation.inputs.scenario import Behaviour, ReferralGroup

__all__ = ["dwelling_types", "fitting_vacancies"]


def dwelling_types(
    departments: pd.DataFrame, behaviour: Behaviour, months: int = 12
) -> pd.DataFrame:
    """Dwellings per department and size, with their rent and expected vacancies.

    Parameters
    ----------
    departments
        The department table.
    behaviour
        Supplies the turnover of departments that have none of their own.
    months
        The period the vacancies are expected over.

    Returns
    -------
    pandas.DataFrame
        One row per department and dwelling size present: ``department``, ``rooms``,
        ``dwellings``, ``rent_kr`` (per month) and ``vacancies`` (expected in the period).
    """
    turnover = departments["turnover_share"].fillna(behaviour.turnover_share_per_year).to_numpy()
    counts = departments[list(DWELLING_COLUMNS)].to_numpy(np.float64)
    rents = departments[list(RENT_COLUMNS)].to_numpy(np.float64)
    frame = pd.DataFrame(
        {
            "department": np.repeat(departments["department"].to_numpy(), len(ROOM_SIZES)),
            "rooms": np.tile(np.asarray(ROOM_SIZES), len(departments)),
            "dwellings": counts.ravel(),
            "rent_kr": rents.ravel(),
            "vacancies": (counts * turnover[:, None] * months / 12.0).ravel(),
        }
    )
    return frame[frame["dwellings"] > 0].reset_index(drop=True)


def fitting_vacancies(types: pd.DataFrame, groups: dict[str, ReferralGroup]) -> pd.DataFrame:
    """Expected vacancies per department that fit each referral group by rooms and rent.

    Returns
    -------
    pandas.DataFrame
        One row per department and group: ``department``, ``group``, ``vacancies`` (fitting,
        expected in the period of ``types``), ``reason`` (empty when some fit, else ``"rooms"``
        or ``"rent"``, the first limit that rules every dwelling out).
    """
    rows = []
    for group_id, group in groups.items():
        big_enough = types["rooms"] >= group.rooms_min
        affordable = types["rent_kr"] <= group.max_rent_kr
        fitting = types["vacancies"].where(big_enough & affordable, 0.0)
        per_department = pd.DataFrame(
            {
                "department": types["department"],
                "fits": fitting,
                "rooms_ok": big_enough,
            }
        ).groupby("department", sort=False)
        summary = per_department.agg(vacancies=("fits", "sum"), rooms_ok=("rooms_ok", "any"))
        reason = np.where(
            summary["vacancies"] > 0, "", np.where(summary["rooms_ok"], "rent", "rooms")
        )
        rows.append(
            pd.DataFrame(
                {
                    "department": summary.index.to_numpy(),
                    "group": group_id,
                    "vacancies": summary["vacancies"].to_numpy(),
                    "reason": reason,
                }
            )
        )
    if not rows:
        return pd.DataFrame(columns=["department", "group", "vacancies", "reason"])
    return pd.concat(rows, ignore_index=True)
