"""The ``blandetby`` command line.

Each subcommand lives in its own module under :mod:`simulation.cli` and exposes ``NAME``,
``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``. Exit codes: 0 success, 1 the work
failed (for example a solver error), 2 invalid input (a bad file or argument).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import warnings
from collections.abc import Sequence
from types import ModuleType
from typing import TextIO

from optimisation.errors import ProblemDataError
from simulation.base.errors import InputWarning, OutputError, ScenarioError, error_text
from simulation.base.version import __version__
from simulation.cli import (
    classify,
    compare,
    dashboard,
    followup,
    frontier,
    notebook_html,
    optimise,
    profile,
    report,
    robustness,
    run,
    sensitivity,
    sweep,
    validate,
)
from simulation.cli.arguments import (
    LANGUAGE_VARIABLE,
    add_language_argument,
    error_language,
    help_language,
    print_error,
)
from simulation.cli.danish import argparse_language, in_danish
from simulation.report.i18n import Language

__all__ = ["main"]

COMMANDS: tuple[ModuleType, ...] = (
    run,
    compare,
    sweep,
    frontier,
    sensitivity,
    robustness,
    optimise,
    profile,
    report,
    dashboard,
    followup,
    notebook_html,
    validate,
    classify,
)
"""The subcommands, in the order ``blandetby --help`` lists them."""

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_INVALID = 2


def build_parser(language: Language = "en") -> argparse.ArgumentParser:
    """The argument parser with every subcommand, its help in ``language``.

    Every subcommand takes ``--lang``; so does ``blandetby`` itself (``blandetby --lang da
    --help``), for the commands' default.
    """
    parser = argparse.ArgumentParser(
        prog="blandetby",
        description="Blandet By: see what a letting and referral agreement will do before anyone "
        "signs it.",
    )
    parser.add_argument("--version", action="version", version=f"blandetby {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    parser.add_argument(
        "--lang",
        dest="global_lang",
        choices=("da", "en"),
        default=None,
        help="language of the help and of every command's output, unless the command's own "
        f"--lang says otherwise (default: the scenario's language, else ${LANGUAGE_VARIABLE}, "
        "else en)",
    )
    subcommands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        sub = subcommands.add_parser(command.NAME, help=command.HELP, description=command.HELP)
        command.add_arguments(sub)
        if not any(action.dest == "lang" for action in sub._actions):
            add_language_argument(sub, what="language of the output")
        sub.set_defaults(handler=command.run)
    if language == "da":
        in_danish(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``blandetby`` with ``argv`` (default: the process arguments); return the exit code."""
    words = list(sys.argv[1:] if argv is None else argv)
    language = help_language(words)
    with argparse_language(language):  # argparse's own words, as it builds and as it parses
        parser = build_parser(language)
        args = parser.parse_args(words)
    if getattr(args, "lang", None) is None:
        args.lang = args.global_lang
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always", InputWarning)  # _InputWarnings says each once
            warnings.showwarning = _InputWarnings(args)
            code: int = args.handler(args)
    except ScenarioError as error:
        print_error(error, args, prefix=False)
        return EXIT_INVALID
    except (OutputError, ProblemDataError) as error:
        print_error(error, args)
        return EXIT_INVALID
    except KeyboardInterrupt:
        print("afbrudt" if error_language(args) == "da" else "interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (e.g. `blandetby … | head`): stop quietly, like other tools
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    return code


class _InputWarnings:
    """Shows a warning about the user's input once per command, as ``warning: …``.

    A command may read one department file several times (``compare`` loads each scenario), and
    Python's own once-per-place registry is reset whenever any library touches the warning
    filters; so the command line remembers what it has said. Other warnings print as Python does.
    """

    def __init__(self, args: argparse.Namespace | None = None) -> None:
        self.said: set[str] = set()
        self.args = args if args is not None else argparse.Namespace()

    def __call__(
        self,
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: TextIO | None = None,
        line: str | None = None,
    ) -> None:
        if not issubclass(category, InputWarning):
            sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))
        elif str(message) not in self.said:
            self.said.add(str(message))
            language = error_language(self.args)  # the command's, once it has settled it
            said = error_text(message, language) if isinstance(message, Warning) else message
            word = "advarsel" if language == "da" else "warning"
            print(f"{word}: {said}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
