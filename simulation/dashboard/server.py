"""Start the dashboard's web server: Solara, offline, on the loopback interface only.

The page (:mod:`simulation.dashboard.app`) is served by ``solara run --production``: with the
``solara-assets`` package (pinned with Solara in ``pyproject.toml``) every script, style sheet
and font comes from the server itself (``/_solara/cdn/``), none from the internet, and Solara's
telemetry is switched off. The server gets its settings (:class:`DashboardSettings`) through one
environment variable, so that the page module reads them when Solara imports it.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

__all__ = [
    "ENVIRONMENT",
    "SETTINGS_VARIABLE",
    "DashboardSettings",
    "free_port",
    "serve",
    "server_command",
]

SETTINGS_VARIABLE = "BLANDETBY_DASHBOARD"
"""The environment variable that carries :class:`DashboardSettings` (JSON) to the page."""

ENVIRONMENT: Mapping[str, str] = {
    # a confidential planning tool sends nothing anywhere: no telemetry ...
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    # ... and the page's assets come from this server (solara-assets); one it lacks is not
    # fetched from the public CDN (Solara's default) but from a local port nobody listens on
    "SOLARA_ASSETS_PROXY": "True",
    "SOLARA_ASSETS_CDN": "http://127.0.0.1:9/no-cdn/",
    # the server is on 127.0.0.1 over http: the session cookie is lax, as it should be
    "PYTHONWARNINGS": "ignore:Cookies with samesite=none require https",
}
"""The server's environment: Solara offline and quiet."""


@dataclass(frozen=True)
class DashboardSettings:
    """What the page needs to know.

    Attributes
    ----------
    scenarios
        The scenario files (absolute paths), the first shown first.
    language
        ``da`` or ``en`` at start (the page can switch).
    cache_dir
        The engine's run folders (kept between sessions: settings seen before are not rerun).
    save_dir
        Where the page saves scenarios and reports.
    years, replications
        The run's horizon and replications at start.
    workers
        Worker processes for the replications.
    entropy
        The seed shared by the reference and every variant.
    """

    scenarios: Sequence[str]
    language: Literal["da", "en"] = "en"
    cache_dir: str = "runs/dashboard/cache"
    save_dir: str = "runs/dashboard"
    years: int = 10
    replications: int = 6
    workers: int = 2
    entropy: int = 0

    def to_json(self) -> str:
        """The settings as JSON (for :data:`SETTINGS_VARIABLE`)."""
        return json.dumps(asdict(self))

    @classmethod
    def from_environment(cls) -> DashboardSettings:
        """Read the settings the server was started with.

        Raises
        ------
        RuntimeError
            If the page was started without them (not through ``blandetby dashboard``).
        """
        text = os.environ.get(SETTINGS_VARIABLE)
        if not text:
            raise RuntimeError(
                f"{SETTINGS_VARIABLE} is not set: start the page with `blandetby dashboard SCENARIO`"
            )
        values = json.loads(text)
        return cls(**values)


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port free on ``host`` now (the system's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def server_command(port: int, host: str = "127.0.0.1") -> list[str]:
    """The command that serves the page (Solara in production mode, no browser opened)."""
    return [
        sys.executable,
        "-m",
        "solara",
        "run",
        "simulation.dashboard.app",
        "--production",
        "--no-open",
        "--no-check-version",  # else it asks pypi.org for a newer Solara at start
        "--host",
        host,
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve(settings: DashboardSettings, port: int, host: str = "127.0.0.1") -> int:
    """Run the server until it stops, Ctrl-C or SIGTERM; return its exit code (0 when stopped).

    The server stops with this process: Ctrl-C or SIGTERM here is passed on to it (and its
    worker processes exit with it).
    """
    environment = {**os.environ, **ENVIRONMENT, SETTINGS_VARIABLE: settings.to_json()}
    Path(settings.save_dir).mkdir(parents=True, exist_ok=True)
    previous = signal.signal(signal.SIGTERM, _interrupt)
    process = subprocess.Popen(server_command(port, host), env=environment)
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
