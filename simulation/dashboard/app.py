"""The dashboard's page (Solara): levers on the left, the comparison on the right, updated as it runs.

Served by ``blandetby dashboard`` (:mod:`simulation.dashboard.server`); the settings come from
the environment. Every lever change is validated at once (:func:`~simulation.dashboard.levers.apply_settings`):
a refused value shows the validator's own message under its control and nothing runs; a valid
one asks the engine (:class:`~simulation.dashboard.engine.Engine`) for the paired comparison,
whose views (:mod:`simulation.dashboard.views`) replace the old ones as replications finish.
"""

from __future__ import annotations

import atexit
import json
import logging
import re
import threading
from collections.abc import Callable, Mapping
from html import escape
from pathlib import Path
from typing import Any, cast

import solara
from matplotlib.figure import Figure

from simulation.base.atomic import atomic_write_text
from simulation.dashboard.engine import Engine, Progress, WorkerPool
from simulation.dashboard.levers import (
    Lever,
    VariantOutcome,
    apply_settings,
    current_value,
    levers_for,
    problem_text,
    variant_toml,
)
from simulation.dashboard.server import DashboardSettings
from simulation.dashboard.views import ComparisonView, Language, comparison_view, text
from simulation.inputs.scenario import LoadedScenario, load_scenario

logger = logging.getLogger(__name__)

SETTINGS = DashboardSettings.from_environment()
POOL = WorkerPool(SETTINGS.workers)
SCENARIOS: dict[str, LoadedScenario] = {path: load_scenario(path) for path in SETTINGS.scenarios}
ENGINES: dict[str, Engine] = {
    path: Engine(loaded, SETTINGS.cache_dir, entropy=SETTINGS.entropy, pool=POOL)
    for path, loaded in SCENARIOS.items()
}
POOL.warm_up()
atexit.register(POOL.close)  # the workers go with the server, their semaphores too

TABS = ("lists_tab", "risk_tab", "waits_tab", "load_tab", "decision_tab", "profile_tab")

CSS = """
.report-view table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.85em; }
.report-view th, .report-view td { border: 1px solid #d9dee6; padding: 2px 6px; text-align: left; }
.report-view th { background: #f3f5f8; }
.report-view td.num, .report-view td.number { text-align: right; font-variant-numeric: tabular-nums; }
.report-view .lead { background: #f3f5f8; border-left: 4px solid #1f5f99; padding: 8px 12px; }
.report-view .note { color: #5b6472; font-size: 0.9em; }
.report-view h3 { font-size: 1.1em; margin: 1em 0 0.3em; }
.lever-problem { color: #b00020; font-size: 0.85em; white-space: pre-wrap; }
"""


def _key(settings: Mapping[str, Any]) -> str:
    return json.dumps(settings, sort_keys=True, default=str)


def _share_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _parse_share(typed: str) -> Any:
    """A typed share: a number (decimal point or comma); anything else goes to the validator as is."""
    cleaned = typed.strip().replace(",", ".")
    if not cleaned:
        return None
    try:
        return float(cleaned)
    except ValueError:
        return typed


def _slug(text_: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text_.lower()).strip("-") or "scenario"


@solara.component
def LeverControl(
    lever: Lever,
    value: Any,
    problems: list[str],
    language: Language,
    on_change: Callable[[str, Any], None],
) -> None:
    """One lever: its control and, under it, the validator's messages about it."""
    label = lever.text(language)
    test_id = "lever-" + re.sub(r"[^a-z0-9]+", "-", lever.path.lower()).strip("-")
    with solara.Column(gap="0px", classes=["lever", test_id]):
        if lever.kind == "share":
            solara.InputText(
                label,
                value=_share_text(value),
                on_value=lambda typed: on_change(lever.path, _parse_share(typed)),
                error=bool(problems),
                classes=[f"{test_id}-input"],
            )
        elif lever.kind == "switch":
            solara.Switch(
                label=label, value=bool(value), on_value=lambda on: on_change(lever.path, on)
            )
        elif lever.kind == "choice":
            solara.Select(
                label,
                values=list(lever.options),
                value=str(value),
                on_value=lambda chosen: on_change(lever.path, chosen),
            )
        elif lever.kind == "criteria":
            solara.SelectMultiple(
                label,
                values=list(value or []),
                all_values=list(lever.options),
                on_value=lambda chosen: on_change(lever.path, list(chosen)),
            )
        else:
            solara.SliderInt(
                f"{label}: {int(value)}",
                value=int(value),
                min=int(lever.low),
                max=int(lever.high),
                step=int(lever.step),
                thumb_label=True,
                on_value=lambda chosen: on_change(lever.path, int(chosen)),
            )
        for message in problems:
            solara.Text(message, classes=["lever-problem"])


@solara.component
def FigureView(figure_maker: Callable[[], Figure], key: Any) -> None:
    """A figure, drawn once per view (not on every render)."""
    figure = solara.use_memo(figure_maker, [key])
    solara.FigureMatplotlib(figure, dpi=80, format="png")


@solara.component
def Page() -> None:
    """The dashboard."""
    chosen_language, set_language = solara.use_state(cast(str, SETTINGS.language))
    language = cast(Language, chosen_language)
    scenario_path, set_scenario_path = solara.use_state(SETTINGS.scenarios[0])
    settings, set_settings = solara.use_state(cast(dict[str, Any], {}))
    years, set_years = solara.use_state(SETTINGS.years)
    replications, set_replications = solara.use_state(SETTINGS.replications)
    view, set_view = solara.use_state(cast(ComparisonView | None, None))
    progress, set_progress = solara.use_state(cast(Progress | None, None))
    tab, set_tab = solara.use_state(TABS[0])
    saved, set_saved = solara.use_state(cast(list[str], []))

    reference = SCENARIOS[scenario_path]
    engine = ENGINES[scenario_path]
    levers = levers_for(reference)
    outcome: VariantOutcome = solara.use_memo(
        lambda: apply_settings(reference, settings), [scenario_path, _key(settings)]
    )

    def change(path: str, value: Any) -> None:
        if path == "run.years":
            set_years(int(value))
        elif path == "run.replications":
            set_replications(int(value))
        else:
            # from the settings as they are now, not as this render saw them: a lever's callback
            # made before another lever's change was drawn would otherwise put back that
            # lever's old value (a typed 0.4 reverted to a refused 1.2, seen under load)
            set_settings(lambda current: {**current, path: value})

    def choose_scenario(path: str) -> None:
        set_settings({})
        set_scenario_path(path)

    def watch(cancel: threading.Event) -> None:
        set_progress(None)  # the request below, not the one before
        if outcome.variant is None:
            return
        for other in ENGINES.values():
            if other is not engine:
                other.cancel()
        woken = threading.Event()
        request = engine.request(
            outcome.variant,
            years=years,
            replications=replications,
            on_update=lambda _: woken.set(),
        )
        shown: tuple[int, ...] = ()
        while not cancel.is_set():
            woken.wait(0.5)
            woken.clear()
            now = request.progress
            if len(now.pairs) > len(shown):
                try:
                    fresh = comparison_view(
                        request.reference_dir, request.variant_dir, now.pairs, language
                    )
                except (OSError, ValueError) as error:  # a folder being written: next time
                    logger.warning("the view could not be read yet: %s", error)
                else:
                    shown = now.pairs
                    set_view(fresh)
            set_progress(now)
            if now.status != "running":
                break

    solara.use_thread(
        watch,
        dependencies=[scenario_path, _key(settings), years, replications, language],
        intrusive_cancel=False,
    )

    def save_scenario() -> None:
        if outcome.variant is None:
            return
        folder = Path(SETTINGS.save_dir)
        folder.mkdir(parents=True, exist_ok=True)
        target = (
            folder / f"{_slug(reference.scenario.name)}-variant-{outcome.variant.digest[:8]}.toml"
        )
        atomic_write_text(target, variant_toml(reference, settings, target, years=years))
        set_saved(lambda now: [*now, str(target)])

    def save_report() -> None:
        if view is None:
            return
        folder = Path(SETTINGS.save_dir)
        folder.mkdir(parents=True, exist_ok=True)
        digest = outcome.variant.digest[:8] if outcome.variant is not None else "reference"
        target = folder / f"{_slug(reference.scenario.name)}-report-{digest}-{language}.html"
        view.write_report(target)
        set_saved(lambda now: [*now, str(target)])

    solara.Style(CSS)
    solara.Title(text("title", language))
    with solara.AppBar():
        solara.AppBarTitle(text("title", language))
        solara.ToggleButtonsSingle(
            value=language, values=["da", "en"], on_value=set_language, classes=["language"]
        )
    with solara.Sidebar():
        if len(SCENARIOS) > 1:
            by_name = {
                f"{loaded.scenario.name} ({Path(path).name})": path
                for path, loaded in SCENARIOS.items()
            }
            solara.Select(
                "Scenarie" if language == "da" else "Scenario",
                values=list(by_name),
                value=next(name for name, path in by_name.items() if path == scenario_path),
                on_value=lambda name: choose_scenario(by_name[name]),
                classes=["scenario-choice"],
            )
        solara.HTML(tag="h2", unsafe_innerHTML=escape(reference.scenario.name))
        solara.HTML(tag="h3", unsafe_innerHTML=escape(text("levers", language)))
        for lever in levers:
            if lever.path.startswith("agreement.tiers[") and lever.path.endswith(".enabled"):
                solara.HTML(tag="h4", unsafe_innerHTML=escape(lever.text(language).split(":")[0]))
            if lever.path == "run.years":
                solara.HTML(tag="h3", unsafe_innerHTML=escape(text("run", language)))
            value = settings.get(
                lever.path,
                current_value(reference, lever, years=years, replications=replications),
            )
            if lever.path == "run.years":
                value = years
            elif lever.path == "run.replications":
                value = replications
            problems = [
                problem_text(problem, language) for problem in outcome.problems.get(lever.path, ())
            ]
            LeverControl(lever, value, problems, language, change)
        with solara.Row():
            solara.Button(
                text("reset", language), on_click=lambda: set_settings({}), classes=["reset"]
            )
            solara.Button(text("cancel", language), on_click=engine.cancel, classes=["cancel"])

    with solara.Column(classes=["main-view"]):
        StatusLine(outcome, progress, language)
        with solara.Row():
            solara.Button(
                text("save_scenario", language),
                on_click=save_scenario,
                disabled=outcome.variant is None or not outcome.overrides,
                classes=["save-scenario"],
            )
            solara.Button(
                text("save_report", language),
                on_click=save_report,
                disabled=view is None,
                classes=["save-report"],
            )
        for path in saved:
            solara.Success(text("saved", language).format(path=path), classes=["saved"])
        names = {text(name, language): name for name in TABS}
        solara.ToggleButtonsSingle(
            value=text(tab, language),
            values=list(names),
            on_value=lambda label: set_tab(names[label]),
            classes=["tabs"],
        )
        if view is not None:
            ComparisonPanel(view, tab)


@solara.component
def StatusLine(outcome: VariantOutcome, progress: Progress | None, language: Language) -> None:
    """Progress, or why nothing runs."""
    with solara.Column(classes=["status"]):
        if outcome.variant is None:
            solara.Error(text("invalid", language), classes=["status-invalid"])
            loose = outcome.problems.get("", ())
            for problem in loose:
                solara.Text(problem_text(problem, language), classes=["lever-problem"])
            return
        if not outcome.overrides:
            solara.Info(text("same", language))
        if progress is None:
            solara.ProgressLinear(True)
            solara.Text(text("waiting", language))
            return
        line = text("progress", language).format(
            done=len(progress.pairs), total=progress.replications, seconds=progress.seconds
        )
        if progress.status == "running":
            solara.ProgressLinear(value=max(2.0, 100 * progress.fraction))
            if not progress.pairs:
                line = f"{line} — {text('waiting', language)}"
        elif progress.status == "cancelled":
            line = f"{line} — {text('cancelled', language)}"
        elif progress.status == "failed":
            solara.Error(text("failed", language).format(error=progress.error))
        solara.Text(line, classes=[f"status-{progress.status}"])


@solara.component
def ComparisonPanel(view: ComparisonView, tab: str) -> None:
    """The selected view of the comparison."""
    key = (id(view), view.replications, view.language)
    paired = "view-paired" if len(view.labels) > 1 else "view-alone"
    with solara.Column(classes=["report-view", f"view-{tab}", paired]):
        if tab == "lists_tab":
            with solara.Div(classes=["lists-figure"]):
                FigureView(view.lists_figure, key)
        elif tab == "risk_tab":
            solara.HTML(unsafe_innerHTML=view.risk_html(), classes=["risk-view"])
        elif tab == "waits_tab":
            FigureView(view.waits_figure, key)
        elif tab == "load_tab":
            FigureView(view.load_figure, key)
        elif tab == "decision_tab":
            solara.HTML(unsafe_innerHTML=view.decision_html(), classes=["decision-view"])
        else:
            solara.HTML(unsafe_innerHTML=view.profile_html(), classes=["profile-view"])
