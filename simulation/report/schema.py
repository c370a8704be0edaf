"""The scenario schema in words: parameters with labels, units, sources and values, and diffs.

A run stores its whole validated scenario in ``run.json`` (``scenario.content``). This module walks
that content along the pydantic schema (:class:`simulation.inputs.scenario.Scenario`), so that every value
comes with its field: the unit and description of the field reference, the source tags of the
description ([C] confirmed, [S] secondary, [U] unverified, [A] assumption) and a short label in
Danish or English (:data:`simulation.report.i18n.TERMS`, keys ``field:<path>``).

Examples
--------
>>> from simulation.report.schema import format_value, source_tags
>>> source_tags("Share of ... (10.4 % in 2019) [C].")
('C',)
>>> format_value(0.25, "share 0–1", "da"), format_value(340000.0, "kr per year", "en")
('25 %', '340,000 kr per year')
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from simulation.inputs.scenario import LoadedScenario, Scenario, nested_model
from simulation.report.i18n import Language, has_term, number, percent, term

__all__ = [
    "MISSING",
    "Parameter",
    "describe_tiers",
    "differences",
    "format_value",
    "key_labels",
    "named_content",
    "parameter_label",
    "parameters",
    "setting_label",
    "settings_labels",
    "source_tags",
]

MISSING: Any = object()
"""Marks a parameter that a scenario does not have (e.g. a referral group only another has)."""

SKIP_IN_DIFF = frozenset({"schema_version", "name", "description"})
"""Top-level keys the diff leaves out (the scenario list shows names and descriptions)."""

_SOURCE = re.compile(r"\[([CSUA])(?=[\]:,;\s])")


@dataclass(frozen=True)
class Parameter:
    """One scenario value with its schema field.

    Attributes
    ----------
    path
        Where it is in the scenario, e.g. ``referral_groups.refugees.arrivals_per_year`` or
        ``agreement.tiers[0].referral_share``.
    schema_path
        The same with ids and indices generalised: ``referral_groups.<id>.arrivals_per_year``,
        ``agreement.tiers[].referral_share``.
    section
        The top-level table (``agreement``, ``behaviour`` …; ``top`` for top-level keys).
    owner
        For values inside a table per id or a list of tables: the id or ``[index]``.
    info
        The pydantic field (description, default, ``json_schema_extra["unit"]``).
    """

    path: str
    schema_path: str
    section: str
    owner: str | None
    info: FieldInfo

    @property
    def unit(self) -> str:
        """The field's unit (from the schema)."""
        extra = self.info.json_schema_extra
        return str(extra.get("unit", "")) if isinstance(extra, dict) else ""

    @property
    def description(self) -> str:
        """The field's description (English, from the schema)."""
        return self.info.description or ""

    @property
    def sources(self) -> tuple[str, ...]:
        """The source tags of the description: ``C``, ``S``, ``U``, ``A``."""
        return source_tags(self.description)


def source_tags(description: str) -> tuple[str, ...]:
    """The [C]/[S]/[U]/[A] tags in a field description, in order, without repeats."""
    return tuple(dict.fromkeys(_SOURCE.findall(description)))


def parameters(
    content: Mapping[str, Any], *, expand_lists: bool = True
) -> list[tuple[Parameter, Any]]:
    """Every leaf value of a scenario's content with its schema field, in schema order.

    Parameters
    ----------
    content
        A scenario as a dictionary (``run.json`` → ``scenario`` → ``content``).
    expand_lists
        Whether lists of tables (``agreement.tiers``) are walked item by item; otherwise the
        whole list is one value.

    Returns
    -------
    list of (Parameter, value)
        Values the content lacks are :data:`MISSING`.
    """
    found: list[tuple[Parameter, Any]] = []
    _walk(Scenario, content, "", "", None, None, expand_lists, found)
    return found


def _walk(
    model: type[BaseModel],
    data: Any,
    path: str,
    schema_path: str,
    section: str | None,
    owner: str | None,
    expand_lists: bool,
    found: list[tuple[Parameter, Any]],
) -> None:
    values = data if isinstance(data, Mapping) else {}
    for name, info in model.model_fields.items():
        here = f"{path}.{name}" if path else name
        schema_here = f"{schema_path}.{name}" if schema_path else name
        part = section or (name if nested_model(info.annotation)[0] is not None else "top")
        value = values.get(name, MISSING)
        nested, kind = nested_model(info.annotation)
        if nested is not None and kind == "" and isinstance(value, Mapping):
            _walk(nested, value, here, schema_here, part, owner, expand_lists, found)
        elif nested is not None and kind == "id" and isinstance(value, Mapping):
            for key, item in value.items():
                _walk(
                    nested,
                    item,
                    f"{here}.{key}",
                    f"{schema_here}.<id>",
                    part,
                    str(key),
                    expand_lists,
                    found,
                )
        elif nested is not None and kind == "list" and expand_lists and isinstance(value, list):
            for index, item in enumerate(value):
                _walk(
                    nested,
                    item,
                    f"{here}[{index}]",
                    f"{schema_here}[]",
                    part,
                    f"[{index}]",
                    expand_lists,
                    found,
                )
        else:
            found.append((Parameter(here, schema_here, part, owner, info), value))


def differences(
    contents: Sequence[Mapping[str, Any]],
) -> list[tuple[Parameter, list[Any]]]:
    """The parameters whose values differ between scenarios, with each scenario's value.

    Lists of tables (the tiers of a stepped model) are compared whole. Names and descriptions of
    the scenarios are left out (:data:`SKIP_IN_DIFF`).

    Parameters
    ----------
    contents
        The scenarios' contents, in report order.

    Returns
    -------
    list of (Parameter, values)
        One entry per differing parameter, values in the order of ``contents``
        (:data:`MISSING` where a scenario lacks it).
    """
    per_scenario = [
        {
            parameter.path: (parameter, value)
            for parameter, value in parameters(c, expand_lists=False)
        }
        for c in contents
    ]
    order: dict[str, Parameter] = {}
    for found in per_scenario:
        for path, (parameter, _) in found.items():
            order.setdefault(path, parameter)
    result = []
    for path, parameter in order.items():
        if path in SKIP_IN_DIFF:
            continue
        values = [found.get(path, (parameter, MISSING))[1] for found in per_scenario]
        if any(not _same(values[0], other) for other in values[1:]):
            result.append((parameter, values))
    return result


def _same(first: Any, second: Any) -> bool:
    if first is MISSING or second is MISSING:
        return first is second
    return bool(first == second)


def parameter_label(
    parameter: Parameter, language: Language, content: Mapping[str, Any] | None = None
) -> str:
    """A short label for a parameter, e.g. ``Målgruppe Refugees: nye sager pr. år``.

    Falls back to the first sentence of the (English) description where no label is known.
    """
    key = f"field:{parameter.schema_path}"
    if has_term(key):
        label = term(key, language)
    else:
        label = parameter.description.split(". ")[0].rstrip(".") or parameter.path
    if parameter.owner is None:
        return label
    prefix = _owner_label(parameter, language, content or {})
    return f"{prefix}: {label[:1].lower() + label[1:]}"


def named_content(loaded: LoadedScenario, language: Language) -> dict[str, Any]:
    """The scenario as a dictionary, its referral groups named in ``language``.

    In Danish a group's ``[danish]`` name replaces its name where the scenario gives one, so that
    the labels of :func:`setting_label` and :func:`key_labels` read "Målgruppe Hjemløse enlige".
    """
    content: dict[str, Any] = loaded.scenario.model_dump(mode="json")
    if language == "da":
        for key, name in loaded.scenario.danish.referral_groups.items():
            if name and key in content["referral_groups"]:
                content["referral_groups"][key]["name"] = name
    return content


def setting_label(
    key: str, value: Any, language: Language, content: Mapping[str, Any] | None = None
) -> str:
    """A dotted scenario key and a value in words: ``Default referral share 50 %``.

    The key's short label (:func:`parameter_label`, with the names of areas, groups and tiers
    from ``content``) followed by the value read through the field's unit
    (:func:`format_value`: shares in per cent, months as "N months" …). A key inside a table
    per id (``agreement.referral_share_by_department.D0013``) names the id in brackets; a key the
    schema does not know keeps its last part.

    Parameters
    ----------
    key
        A dotted scenario key, as ``--vary`` takes it.
    value
        Its value.
    language
        ``"da"`` or ``"en"``.
    content
        The scenario as a dictionary (``Scenario.model_dump(mode="json")``), for the fields of
        tables per id and the names of their entries.

    Examples
    --------
    >>> from simulation.report.schema import setting_label
    >>> setting_label("agreement.default_referral_share", 0.5, "en", {"agreement": {}})
    'Default referral share 50 %'
    >>> setting_label("agreement.default_referral_share", 0.25, "da", {"agreement": {}})
    'Standardandel til kommunal anvisning 25 %'
    """
    return _setting_label(key, value, language, content or {}, _fields(content or {}))


def _fields(content: Mapping[str, Any]) -> dict[str, Parameter]:
    return {parameter.path: parameter for parameter, _ in parameters(content, expand_lists=False)}


def _setting_label(
    key: str,
    value: Any,
    language: Language,
    content: Mapping[str, Any],
    fields: Mapping[str, Parameter],
) -> str:
    label, shown = _setting_parts(key, value, language, content, fields)
    return f"{label} {shown}"


def _setting_parts(
    key: str,
    value: Any,
    language: Language,
    content: Mapping[str, Any],
    fields: Mapping[str, Parameter],
) -> tuple[str, str]:
    """A key's label and its value in words (read through the field's unit)."""
    label, parameter, inner = _key_label(key, language, content, fields)
    if parameter is None:
        return label, format_value(value, "", language)
    unit = parameter.unit.replace(" per department id", "") if inner else parameter.unit
    shown = format_value(value, unit, language, schema_path="" if inner else parameter.schema_path)
    return label, shown


def _key_label(
    key: str, language: Language, content: Mapping[str, Any], fields: Mapping[str, Parameter]
) -> tuple[str, Parameter | None, bool]:
    """A key's label, its field (None if unknown) and whether the key is inside the field."""
    parameter = fields.get(key)
    if parameter is not None:
        return parameter_label(parameter, language, content), parameter, False
    head, _, tail = key.rpartition(".")
    parameter = fields.get(head)
    if parameter is not None:
        return f"{parameter_label(parameter, language, content)} ({tail})", parameter, True
    return key.rsplit(".", 1)[-1], None, False


def key_labels(
    keys: Sequence[str], language: Language, content: Mapping[str, Any] | None = None
) -> dict[str, str]:
    """Dotted scenario keys by their short labels (:func:`parameter_label`).

    Examples
    --------
    >>> from simulation.report.schema import key_labels
    >>> key_labels(["agreement.default_referral_share"], "da", {"agreement": {}})
    {'agreement.default_referral_share': 'Standardandel til kommunal anvisning'}
    """
    content = content or {}
    fields = _fields(content)
    return {key: _key_label(key, language, content, fields)[0] for key in keys}


def settings_labels(
    points: Sequence[Mapping[str, Any]],
    language: Language,
    content: Mapping[str, Any] | None = None,
) -> list[str]:
    """Each point's keys and values in words (:func:`setting_label`), joined by ``;`` or ``,``.

    Danish writes decimal commas, so its settings are separated by semicolons.

    Examples
    --------
    >>> from simulation.report.schema import settings_labels
    >>> values = {"agreement.default_referral_share": 0.5, "horizon.years": 10}
    >>> settings_labels([values], "en", {"agreement": {}, "horizon": {}})
    ['Default referral share 50 %, Years simulated 10 years']
    """
    content = content or {}
    fields = _fields(content)
    separator = "; " if language == "da" else ", "
    return [
        separator.join(
            _setting_label(key, value, language, content, fields) for key, value in point.items()
        )
        for point in points
    ]


def settings_values(
    points: Sequence[Mapping[str, Any]],
    language: Language,
    content: Mapping[str, Any] | None = None,
) -> list[str]:
    """Each point's values in words, in its keys' order, joined by `` · `` (no labels).

    The short name of a design point where its keys are named once elsewhere (a table's
    columns, an axis title: :func:`key_labels`).

    Examples
    --------
    >>> from simulation.report.schema import settings_values
    >>> values = {"agreement.default_referral_share": 0.5, "horizon.years": 10}
    >>> settings_values([values], "da", {"agreement": {}, "horizon": {}})
    ['50 % · 10 år']
    """
    content = content or {}
    fields = _fields(content)
    return [
        " · ".join(
            _setting_parts(key, value, language, content, fields)[1] for key, value in point.items()
        )
        for point in points
    ]


def _owner_label(parameter: Parameter, language: Language, content: Mapping[str, Any]) -> str:
    owner = parameter.owner or ""
    if parameter.section == "areas":
        name = content.get("areas", {}).get(owner, {}).get("name", owner)
        return f"{term('area', language)} {name}"
    if parameter.section == "referral_groups":
        name = content.get("referral_groups", {}).get(owner, {}).get("name", owner)
        return f"{term('group', language)} {name}"
    if owner.startswith("["):
        tiers = content.get("agreement", {}).get("tiers", [])
        index = int(owner.strip("[]"))
        name = tiers[index].get("name", owner) if index < len(tiers) else owner
        return f"{term('tier', language)} {name}"
    return owner


def _decimals(value: float, most: int = 4) -> int:
    """The fewest decimals (up to ``most``) that show ``value`` exactly."""
    for decimals in range(most + 1):
        if abs(round(value, decimals) - value) < 1e-9 * max(1.0, abs(value)):
            return decimals
    return most


def _plain(value: float, language: Language) -> str:
    return number(value, _decimals(value), language)


def format_value(
    value: Any, unit: str, language: Language, *, schema_path: str = "", with_unit: bool = True
) -> str:
    """A scenario value in words and numbers of the language, read through its unit.

    Shares (units starting with ``share``) are shown in per cent, amounts in kr with their
    period, yes/no as words, known option values translated, lists joined; ``None`` (an empty
    optional field) reads "default". ``with_unit=False`` leaves out units a table shows in a
    column of their own (kr, years, months …; per cent signs stay).
    """
    if value is MISSING:
        return term("value_missing", language)
    if value is None:
        return term("value_default", language)
    if schema_path == "agreement.tiers":
        return describe_tiers(value, language)
    if isinstance(value, bool):
        return term("yes" if value else "no", language)
    separator = "; " if language == "da" else ", "
    if isinstance(value, Mapping):
        if not value:
            return term("none", language)
        item_unit = unit.replace(" per department id", "")
        return separator.join(
            f"{key}: {format_value(item, item_unit, language, with_unit=with_unit)}"
            for key, item in value.items()
        )
    if isinstance(value, list | tuple):
        if not value:
            return term("none", language)
        item_unit = "share 0–1" if unit.startswith("share") else unit
        if unit.startswith(("share 0–1 for", "children for", "relative")):
            item_unit = "share 0–1" if unit.startswith("share") else ""
        return separator.join(
            format_value(item, item_unit, language, with_unit=with_unit) for item in value
        )
    if isinstance(value, str):
        if has_term(f"value:{value}"):
            return term(f"value:{value}", language)
        if has_term(value) and unit == "list names":
            return term(value, language)
        return value
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return "–"
        if unit.startswith("share"):
            return percent(value, _decimals(100 * value, 2), language)
        if unit.startswith("kr"):
            suffix = term(f"unit:{unit}", language) if has_term(f"unit:{unit}") else unit
            shown = number(value, 0, language)
            return f"{shown} {suffix}" if with_unit else shown
        if unit == "year":
            return str(int(value))
        if (
            with_unit
            and unit in ("years", "months", "rooms", "residents", "criteria")
            and has_term(f"unit:{unit}")
        ):
            return f"{_plain(value, language)} {term(f'unit:{unit}', language)}"
        return _plain(value, language)
    return str(value)


def describe_tiers(tiers: Any, language: Language) -> str:
    """A stepped model in words: each tier's shares and when a department is placed on it."""
    from simulation.inputs.scenario import TierConditions

    if not tiers:
        return term("none", language)
    described = []
    for tier in tiers:
        settings = []
        for name in ("referral_share", "flexible_letting_share"):
            value = tier.get(name)
            if value is not None:
                label = term(f"field:agreement.tiers[].{name}", language)
                settings.append(f"{label} {format_value(value, 'share 0–1', language)}")
        when = tier.get("when") or {}
        conditions = []
        for name, info in TierConditions.model_fields.items():
            if name == "match":
                continue
            value = when.get(name)
            if value is None or value == [] or value == ():
                continue
            label = term(f"field:agreement.tiers[].when.{name}", language)
            extra = info.json_schema_extra
            unit = str(extra.get("unit", "")) if isinstance(extra, dict) else ""
            if name == "area_lists":
                shown = ", ".join(term(item, language) for item in value)
            else:
                shown = format_value(value, unit, language)
            conditions.append(f"{label} {shown}")
        if conditions:
            match = term(f"value:{when.get('match', 'any')}", language)
            settings.append(
                term("tier_when", language).format(match=match, conditions="; ".join(conditions))
            )
        else:
            settings.append(term("tier_always", language))
        described.append(f"{tier.get('name', '?')} ({', '.join(settings)})")
    return " → ".join(described)
