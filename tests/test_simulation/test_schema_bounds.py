"""Every number a scenario can set has a finite range in the schema (walked field by field)."""

from __future__ import annotations

import math
import types
import typing
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from simulation.inputs.scenario import Scenario


def _bounds(constraints: list[Any]) -> tuple[float, float]:
    low, high = -math.inf, math.inf
    for item in constraints:
        if isinstance(item, FieldInfo):
            item_low, item_high = _bounds(list(item.metadata))
            low, high = max(low, item_low), min(high, item_high)
            continue
        for name in ("ge", "gt"):
            if getattr(item, name, None) is not None:
                low = max(low, float(getattr(item, name)))
        for name in ("le", "lt"):
            if getattr(item, name, None) is not None:
                high = min(high, float(getattr(item, name)))
    return low, high


def numbers(
    annotation: Any, constraints: list[Any], path: str, seen: frozenset[type] = frozenset()
) -> list[tuple[str, float, float]]:
    """(path, lowest, highest) of every number in ``annotation``, nested models included."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return numbers(args[0], [*constraints, *annotation.__metadata__], path, seen)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return []
        found = []
        for name, info in annotation.model_fields.items():
            found += numbers(
                info.annotation, list(info.metadata), f"{path}.{name}", seen | {annotation}
            )
        return found
    if annotation is bool:
        return []
    if annotation in (int, float):
        return [(path, *_bounds(constraints))]
    if origin is dict:
        return numbers(args[1], [], f"{path}.<id>", seen)
    if origin in (tuple, list):
        items = [a for a in args if a is not Ellipsis]
        # bounds on the field itself (max_length) do not bound its items
        return [n for item in dict.fromkeys(items) for n in numbers(item, [], f"{path}[]", seen)]
    if origin in (typing.Union, types.UnionType):
        return [n for a in args if a is not type(None) for n in numbers(a, constraints, path, seen)]
    return []


def test_every_number_of_the_schema_has_a_finite_range() -> None:
    found = numbers(Scenario, [], "scenario")
    assert len(found) > 50  # the walk reached the nested tables
    unbounded = [
        path for path, low, high in found if not (math.isfinite(low) and math.isfinite(high))
    ]
    assert unbounded == []
