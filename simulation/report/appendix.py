"""The report's last sections: the starting point (profile), the referral plan, the assumptions.

The profile re-loads the scenario file a run recorded (if it still exists); the plan is read from
an optimiser's output folder; the assumptions come from the scenario schema and ``MODEL.md``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulation.base.errors import ScenarioError
from simulation.base.spreadsheet import read_spreadsheet_csv
from simulation.inputs.scenario import LoadedScenario, load_scenario
from simulation.report.data import ReportData, RunData
from simulation.report.figures import plan_figure
from simulation.report.format import (
    MAX_ROWS,
    markdown_translator,
    note,
    owner_content,
    slug,
    subsection,
    truncated_note,
    wrap,
)
from simulation.report.html import (
    Cell,
    Markup,
    element,
    escape,
    figure_html,
    join,
    markdown_to_html,
    png_html,
    table,
)
from simulation.report.i18n import Language, has_term, number, percent, signed, term
from simulation.report.profile import (
    Profile,
    build_profile,
    group_table,
    in_language,
    organisation_table,
    relative_margins,
)
from simulation.report.schema import (
    MISSING,
    Parameter,
    format_value,
    parameter_label,
    parameters,
)

__all__ = [
    "assumptions_section",
    "model_assumptions_markdown",
    "plan_section",
    "profile_section",
    "scenario_file",
]

# --------------------------------------------------------------------------------------------------
# 4. The starting point


def scenario_file(run: RunData, *, search_from: Path | None = None) -> Path | None:
    """The run's scenario file if it still exists: as recorded, else beside the run folder.

    A relative path recorded in ``run.json`` is tried from ``search_from`` (default: the current
    folder), then from each folder above the run folder.
    """
    recorded = run.scenario.get("file")
    if not recorded:
        return None
    path = Path(str(recorded))
    if path.is_absolute():
        return path if path.is_file() else None
    bases = [search_from or Path.cwd(), *run.run_dir.resolve().parents]
    for base in bases:
        if (base / path).is_file():
            return base / path
    return None


def profile_section(data: ReportData, language: Language) -> Markup:
    """Section 4: the starting point (the first scenario's profile), once.

    Later scenarios show only the tables of their profile that differ from the first one (the
    capacity per referral group changes with the agreement; the areas rarely do).
    """
    parts: list[object] = []
    loaded_cache: dict[Path, LoadedScenario | str] = {}
    first: tuple[str, pd.DataFrame, Markup, Markup] | None = None
    same: list[str] = []
    for run in data.runs:
        block: list[object] = []
        recorded = str(run.scenario.get("file", "–"))
        path = scenario_file(run)
        if path is None:
            block.append(element("p", term("profile_missing", language).format(file=recorded)))
            parts.append(subsection(f"profile-{slug(run.label)}", run.label, *block))
            continue
        key = path.resolve()
        if key not in loaded_cache:
            try:
                loaded_cache[key] = load_scenario(path)
            except (ScenarioError, OSError, ValueError) as error:
                first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
                loaded_cache[key] = first_line
        loaded = loaded_cache[key]
        if isinstance(loaded, str):
            block.append(
                element("p", term("profile_invalid", language).format(file=recorded, error=loaded))
            )
            parts.append(subsection(f"profile-{slug(run.label)}", run.label, *block))
            continue
        block.append(note(term("profile_intro", language).format(file=str(path))))
        if run.scenario.get("digest") and loaded.digest != run.scenario.get("digest"):
            block.append(element("p", term("profile_changed", language), class_="banner"))
        profile = in_language(build_profile(loaded), loaded, language)
        areas = _profile_areas(profile, run.minimum_residents)
        organisations = join(_profile_organisation_table(profile, language))
        groups = wrap(_profile_group_table(profile, language))
        if first is None:
            block.extend(_profile_area_table(areas, profile.regime, language))
            block.extend([organisations, groups])
            first = (run.name, areas, organisations, groups)
            parts.append(subsection(f"profile-{slug(run.label)}", run.name, *block))
            continue
        # the starting point appears once: later agreements show only what differs from it
        differing: list[object] = []
        if not first[1].equals(areas):
            differing.extend(_profile_area_table(areas, profile.regime, language))
        if str(organisations) != str(first[2]):
            differing.append(organisations)
        if str(groups) != str(first[3]):
            differing.append(groups)
        if not differing:
            same.append(run.name)
            continue
        intro = term("profile_only_differences", language).format(label=first[0])
        parts.append(subsection(f"profile-{slug(run.label)}", run.name, note(intro), *differing))
    if same and first is not None:
        parts.append(
            element(
                "p",
                term("profile_same_as", language).format(labels=", ".join(same), label=first[0]),
            )
        )
    return join(parts)


def _profile_areas(profile: Profile, minimum_residents: int) -> pd.DataFrame:
    areas = profile.areas
    return areas[(areas["departments"] > 1) | (areas["residents"] >= minimum_residents)].copy()


def _profile_area_table(areas: pd.DataFrame, regime: str, language: Language) -> list[object]:
    relative = np.nanmin(relative_margins(areas, regime), axis=1)
    ordered = areas.assign(relative=relative).sort_values(
        ["criteria_met", "relative"], ascending=[False, True], kind="stable"
    )
    shown = ordered.head(MAX_ROWS)
    with_margin = term("with_margin", language)
    header: list[object] = [
        term("area", language),
        term("residents", language),
        f"{term('outside_work_education', language)} {with_margin}",
        f"{term('conviction_ratio', language)} {with_margin}",
        f"{term('basic_education', language)} {with_margin}",
        f"{term('income', language)} {with_margin}",
        term("nonwestern", language),
        term("criteria_met", language),
        term("lists", language),
    ]
    rows = []
    for row in shown.to_dict("records"):
        lists = str(row["lists"])
        rows.append(
            [
                str(row["name"]),
                number(row["residents"], 0, language),
                _with_margin(
                    percent(row["outside_work_education_share"], 1, language),
                    signed(100 * row["outside_margin"], 1, language),
                ),
                _with_margin(
                    number(row["conviction_ratio"], 2, language),
                    signed(row["conviction_margin"], 2, language),
                ),
                _with_margin(
                    percent(row["basic_education_share"], 1, language),
                    signed(100 * row["basic_margin"], 1, language),
                ),
                _with_margin(
                    percent(row["income_ratio_region"], 1, language),
                    signed(100 * row["income_margin"], 1, language),
                ),
                percent(row["nonwestern_share"], 1, language),
                number(row["criteria_met"], 0, language),
                ", ".join(term(name, language) for name in lists.split(", ")) if lists else "–",
            ]
        )
    parts: list[object] = [
        wrap(
            table(
                header,
                rows,
                caption=term("areas_title", language),
                numeric=[False, *[True] * 7, False],
                css_class="wide",
            )
        ),
        note(term("profile_margin_note", language)),
    ]
    if len(areas) > len(shown):
        parts.append(truncated_note(len(shown), len(areas), "order_closest", language))
    return parts


def _with_margin(value: str, margin: str) -> Markup:
    return Markup(f'{escape(value)} <span class="note">({escape(margin)})</span>')


def _profile_organisation_table(profile: Profile, language: Language) -> list[object]:
    header, rows = organisation_table(profile, language)
    shown = rows[:MAX_ROWS]
    parts: list[object] = [
        wrap(
            table(
                header,
                shown,
                caption=term("organisations_title", language),
                numeric=[False, *[True] * 6],
            )
        )
    ]
    if len(rows) > len(shown):
        parts.append(truncated_note(len(shown), len(rows), "order_largest", language))
    return parts


def _profile_group_table(profile: Profile, language: Language) -> Markup:
    header, rows = group_table(profile, language)
    return table(
        header, rows, caption=term("need_vs_capacity", language), numeric=[False, *[True] * 4]
    )


# --------------------------------------------------------------------------------------------------
# 5. The referral plan


def _group_display(group: str, names: Mapping[str, str], language: Language) -> str:
    base, _, barred = group.partition(":")
    name = names.get(base, base)
    return f"{name} ({term('barred_suffix', language)})" if barred else name


def _binding(value: object, language: Language) -> str:
    if not isinstance(value, str) or not value.strip():
        return "–"
    words = []
    for token in (part.strip() for part in value.split(",")):
        words.append(term(f"binding:{token}", language) if has_term(f"binding:{token}") else token)
    return ", ".join(words)


def plan_section(plan_dir: Path, data: ReportData, language: Language) -> Markup:
    """Section 5: the optimiser's referral plan, its figure and its explanation."""
    names: dict[str, str] = {}
    for run in data.runs:
        names = run.group_names | names
    parts: list[object] = [note(term("plan_intro", language).format(folder=str(plan_dir)))]
    record_path = plan_dir / "plan.json"
    if record_path.is_file():
        record = json.loads(record_path.read_text(encoding="utf-8"))
        digest = record.get("scenario", {}).get("digest")
        made_for = next(
            (run.name for run in data.runs if run.scenario.get("digest") == digest),
            str(record.get("scenario", {}).get("name", "–")),
        )
        parts.append(element("p", term("plan_made_for", language).format(name=made_for)))
    groups = read_spreadsheet_csv(plan_dir / "groups.csv")
    departments = read_spreadsheet_csv(plan_dir / "departments.csv")
    pairs = read_spreadsheet_csv(plan_dir / "plan.csv")

    header = [
        term("group", language),
        term("demand", language),
        term("placed", language),
        term("unplaced", language),
        term("compatible_departments", language),
    ]
    rows = [
        [
            _group_display(str(row["group"]), names, language),
            number(float(row["demand"]), 1, language),
            number(float(row["referrals"]), 1, language),
            number(float(row["shortfall"]), 1, language),
            number(float(row.get("departments_compatible", math.nan)), 0, language),
        ]
        for row in groups.to_dict("records")
    ]
    parts.append(
        wrap(
            table(
                header,
                rows,
                caption=term("plan_groups_title", language),
                numeric=[False, True, True, True, True],
            )
        )
    )

    busy = departments[
        (departments["referrals"] > 0.005) | departments["binding"].fillna("").astype(str).ne("")
    ].sort_values("referrals", ascending=False, kind="stable")
    shown = busy.head(MAX_ROWS)
    header = [
        term("department", language),
        term("vacancies", language),
        term("slots", language),
        term("referrals", language),
        term("load", language),
        term("ceiling", language),
        term("headroom_left", language),
        term("binding_limit", language),
    ]
    rows = [
        [
            str(row["department"]),
            number(float(row["vacancies"]), 1, language),
            number(float(row["slots"]), 1, language),
            number(float(row["referrals"]), 1, language),
            percent(float(row["load"]), 1, language),
            percent(float(row["ceiling"]), 1, language),
            number(float(row["headroom_left"]), 1, language),
            _binding(row.get("binding"), language),
        ]
        for row in shown.to_dict("records")
    ]
    parts.append(
        wrap(
            table(
                header,
                rows,
                caption=term("plan_departments_title", language),
                numeric=[False, *[True] * 6, False],
            )
        )
    )
    if len(busy) > len(shown):
        parts.append(truncated_note(len(shown), len(busy), "order_most_referrals", language))

    placed = pairs[pairs["referrals"] > 0.005].sort_values(
        "referrals", ascending=False, kind="stable"
    )
    shown_pairs = placed.head(2 * MAX_ROWS)
    rows = [
        [
            str(row["department"]),
            _group_display(str(row["group"]), names, language),
            number(float(row["referrals"]), 2, language),
        ]
        for row in shown_pairs.to_dict("records")
    ]
    parts.append(
        wrap(
            table(
                [
                    term("department", language),
                    term("group", language),
                    term("referrals", language),
                ],
                rows,
                caption=term("plan_pairs_title", language),
                numeric=[False, False, True],
            )
        )
    )
    if len(placed) > len(shown_pairs):
        parts.append(
            truncated_note(len(shown_pairs), len(placed), "order_most_referrals", language)
        )

    picture = plan_dir / "plan.png"
    caption = term("plan_figure_caption", language)
    if language == "en" and picture.is_file():
        parts.append(
            png_html(
                picture.read_bytes(),
                term("plan_figure_title", language),
                caption,
                id_="figure-plan",
            )
        )
    else:
        parts.append(
            figure_html(
                plan_figure(departments, language),
                term("plan_figure_title", language),
                caption,
                id_="figure-plan",
            )
        )

    explanation = plan_dir / "explanation.md"
    if explanation.is_file() and language == "da":
        # the optimiser explains itself in English: the tables above carry its numbers in Danish
        parts.append(
            subsection(
                "plan-explanation",
                term("plan_explanation_title", language),
                note(term("plan_explanation_english", language).format(file=str(explanation))),
            )
        )
    elif explanation.is_file():
        body: list[object] = []
        body.append(
            Markup(
                '<div class="markdown">'
                + markdown_to_html(
                    explanation.read_text(encoding="utf-8"),
                    heading_offset=3,
                    translate=markdown_translator(language),
                )
                + "</div>"
            )
        )
        parts.append(
            subsection("plan-explanation", term("plan_explanation_title", language), *body)
        )
    else:
        parts.append(note(term("plan_missing_file", language).format(file="explanation.md")))
    return join(parts)


# --------------------------------------------------------------------------------------------------
# 6. Assumptions


def assumptions_section(data: ReportData, language: Language) -> Markup:
    """Section 6: parameters with value, unit, source, description; the code's assumptions."""
    contents = [run.content for run in data.runs]
    found: dict[str, tuple[Parameter, list[Any]]] = {}
    # several agreements: their tiers are compared whole (in words), not key by key
    expand = len(contents) == 1
    for index, content in enumerate(contents):
        for parameter, value in parameters(content, expand_lists=expand):
            entry = found.setdefault(parameter.path, (parameter, [MISSING] * len(contents)))
            entry[1][index] = value
    sections: dict[str, list[tuple[Parameter, list[Any]]]] = {}
    same = 0
    for parameter, values in found.values():
        if _skip_parameter(parameter, values):
            continue
        if len(contents) > 1 and not _differs(parameter, values, language):
            same += 1
            continue
        sections.setdefault(parameter.section, []).append((parameter, values))

    intro: list[object] = [element("p", term("parameters_intro", language))]
    if len(contents) > 1:
        intro.append(note(term("parameters_only_differences", language).format(same=same)))
    if language == "da":  # the schema's descriptions are English: the Danish labels stand alone
        intro.append(note(term("descriptions_in_english", language)))
    described = language != "da"
    blocks: list[object] = []
    for section, entries in sections.items():
        key = f"section:{section}"
        heading = term(key, language) if has_term(key) else section
        blocks.append(Markup(f'<h4 id="assumptions-{escape(section)}">{escape(heading)}</h4>'))
        if section == "referral_groups":
            blocks.append(wrap(_group_parameter_table(entries, data, language)))
            continue
        rows = [
            [
                parameter_label(parameter, language, owner_content(parameter, contents)),
                Markup(f"<code>{escape(parameter.path)}</code>"),
                _values_cell(parameter, values, data, language),
                _unit(parameter, language),
                _sources(parameter),
                *([parameter.description] if described else []),
            ]
            for parameter, values in entries
        ]
        blocks.append(
            wrap(
                table(
                    [
                        term("parameter", language),
                        term("key", language),
                        term("value", language),
                        term("unit", language),
                        term("source", language),
                        *([term("description", language)] if described else []),
                    ],
                    rows,
                    css_class="parameters" if described else "parameters short",
                )
            )
        )
    parts: list[object] = [
        subsection("assumptions-parameters", term("parameters_title", language), *intro, *blocks),
        subsection(
            "assumptions-model",
            term("model_assumptions_title", language),
            *_model_assumptions(language),
        ),
    ]
    return join(parts)


def _unit(parameter: Parameter, language: Language) -> str:
    key = f"unit:{parameter.unit}"
    return term(key, language) if has_term(key) else parameter.unit


def _sources(parameter: Parameter) -> str:
    return " ".join(f"[{tag}]" for tag in parameter.sources) or "–"


def _group_parameter_table(
    entries: Sequence[tuple[Parameter, list[Any]]], data: ReportData, language: Language
) -> Markup:
    """The referral groups' parameters: one row per field, one column per group."""
    owners = list(dict.fromkeys(parameter.owner or "" for parameter, _ in entries))
    names: dict[str, str] = {}
    for run in reversed(data.runs):
        names |= run.group_names
    fields: dict[str, dict[str, tuple[Parameter, list[Any]]]] = {}
    for parameter, values in entries:
        fields.setdefault(parameter.schema_path, {})[parameter.owner or ""] = (parameter, values)
    header: list[object] = [term("parameter", language), term("key", language)]
    header += [Cell(names.get(owner, owner), numeric=True) for owner in owners]
    header += [term("unit", language), term("source", language)]
    if language != "da":
        header.append(term("description", language))
    rows = []
    for schema_path, by_owner in fields.items():
        sample = next(iter(by_owner.values()))[0]
        key = f"field:{schema_path}"
        label = (
            term(key, language)
            if has_term(key)
            else schema_path.removeprefix("referral_groups.<id>.")
            if language == "da"
            else sample.description.split(". ")[0]
        )
        cells: list[object] = [
            label,
            Markup(f"<code>{escape(schema_path.removeprefix('referral_groups.<id>.'))}</code>"),
        ]
        for owner in owners:
            if owner not in by_owner:
                cells.append(Cell("–", numeric=True))
                continue
            parameter, values = by_owner[owner]
            shown = _values_cell(parameter, values, data, language)
            cells.append(shown if isinstance(shown, Cell) else Cell(shown, numeric=True))
        cells += [_unit(sample, language), _sources(sample)]
        if language != "da":
            cells.append(sample.description)
        rows.append(cells)
    return table(header, rows, css_class="groups")


def _differs(parameter: Parameter, values: Sequence[Any], language: Language) -> bool:
    """Whether the agreements give a parameter different values (as a reader sees them)."""
    shown = {
        format_value(
            value, parameter.unit, language, schema_path=parameter.schema_path, with_unit=False
        )
        for value in values
    }
    return len(shown) > 1


def _skip_parameter(parameter: Parameter, values: Sequence[Any]) -> bool:
    """Names of areas, groups and tiers show in their rows' labels; per-area defaults are noise."""
    if parameter.schema_path in ("schema_version", "areas.<id>.name", "referral_groups.<id>.name"):
        return True
    if parameter.schema_path == "agreement.tiers[].name" or parameter.section == "danish":
        return True
    if parameter.section == "areas":
        default = parameter.info.default
        return all(value is MISSING or value == default for value in values)
    return False


def _values_cell(
    parameter: Parameter, values: Sequence[Any], data: ReportData, language: Language
) -> object:
    shown = [
        format_value(
            value, parameter.unit, language, schema_path=parameter.schema_path, with_unit=False
        )
        for value in values
    ]
    if len(set(shown)) == 1:
        return shown[0]
    lines = "<br />".join(
        f"<strong>{escape(run.label)}</strong>: {escape(text)}"
        for run, text in zip(data.runs, shown, strict=True)
    )
    return Cell(Markup(lines), css_class="differs")


def model_assumptions_markdown() -> str | None:
    """The "Assumptions" table of the package's ``MODEL.md`` (None if the file is missing)."""
    try:
        text = resources.files("simulation").joinpath("MODEL.md").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return None
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == "## Assumptions"), None)
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    table_lines = [line for line in lines[start + 1 : end] if line.strip().startswith("|")]
    return "\n".join(table_lines) if table_lines else None


def _model_assumptions(language: Language) -> list[object]:
    markdown = model_assumptions_markdown()
    if markdown is None:
        return [note(term("model_assumptions_missing", language))]
    if language == "da":  # the table of MODEL.md is English: point to it instead
        return [element("p", term("model_assumptions_english", language))]
    parts: list[object] = [note(term("model_assumptions_english", language))]
    parts.append(wrap(markdown_to_html(markdown, translate=markdown_translator(language))))
    return parts
