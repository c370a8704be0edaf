"""The command line's help in Danish (``blandetby --lang da --help``, ``BLANDETBY_LANG=da``).

The commands are written in English; :func:`in_danish` puts the Danish text of :data:`HELP` in
place of every description, option help and group title of a built parser, and
:func:`argparse_language` translates argparse's own words ("usage:", "options", its error
messages), which argparse looks up through gettext at the moment it uses them. The words are those
of the law, of BL's agreement templates and of the report (:mod:`simulation.report.i18n`,
``docs/glossary.md``): "gentagelser" for replications, "startværdi" for seed, "anvisning" for
referral, "afdeling" for department.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator

from simulation.base.errors import ARGUMENT_LANGUAGE
from simulation.cli.danish_help import HELP
from simulation.report.i18n import Language

__all__ = [
    "ARGPARSE",
    "HELP",
    "METAVARS",
    "argparse_language",
    "help_texts",
    "in_danish",
    "untranslated",
]

ARGPARSE: dict[str, str] = {
    "usage: ": "brug: ",
    "positional arguments": "positionelle argumenter",
    "options": "tilvalg",
    "optional arguments": "tilvalg",
    "show this help message and exit": "vis denne hjælp og afslut",
    "show program's version number and exit": "vis programmets versionsnummer og afslut",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fejl: %(message)s\n",
    "the following arguments are required: %s": "disse argumenter mangler: %s",
    "unrecognized arguments: %s": "ukendte argumenter: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "ugyldigt valg: %(value)r (vælg mellem %(choices)s)"
    ),
    "expected one argument": "forventede ét argument",
    "expected at least one argument": "forventede mindst ét argument",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s: %(message)s",
    "invalid %(type)s value: %(value)r": "ugyldig %(type)s-værdi: %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": (
        "tvetydigt tilvalg: %(option)s kan være %(matches)s"
    ),
    "not allowed with argument %s": "ikke tilladt sammen med argument %s",
}
"""argparse's own words in Danish (the gettext message ids of Python 3.10–3.13)."""

METAVARS: dict[str, str] = {
    "ACTUAL.csv": "FAKTISK.csv",
    "ADDRESS": "ADRESSE",
    "AREAS.csv": "OMRÅDER.csv",
    "BATCH_SIZE": "ANTAL",
    "COMMAND": "KOMMANDO",
    "DEPARTMENTS": "AFDELINGER",
    "DIR": "MAPPE",
    "FILE": "FIL",
    "FILE.xlsx": "FIL.xlsx",
    "KEY=VALUES": "NØGLE=VÆRDIER",
    "MAX_RENT": "HUSLEJE",
    "MONTHS": "MÅNEDER",
    "OUT": "MAPPE",
    "OUTPUT": "RESULTAT",
    "PLAN_DIR": "PLANMAPPE",
    "PORT": "PORT",
    "RANGES": "INTERVALLER",
    "REPLICATIONS": "GENTAGELSER",
    "RUN_DIR": "KØRSELSMAPPE",
    "SAMPLES": "STIKPRØVER",
    "SCENARIO": "SCENARIE",
    "SEED": "STARTVÆRDI",
    "SHARE": "ANDEL",
    "WORKERS": "PROCESSER",
    "YEAR": "ÅR",
    "YEARS": "ÅR",
}
"""The placeholders of ``--help`` in Danish (``--seed STARTVÆRDI``); one-letter ones stay."""


@contextlib.contextmanager
def argparse_language(language: Language) -> Iterator[None]:
    """While inside, argparse says its own words (headings, errors) in ``language``."""
    if language != "da":
        yield
        return
    original = argparse._  # type: ignore[attr-defined]
    argparse._ = lambda text: ARGPARSE.get(text, original(text))  # type: ignore[attr-defined]
    token = ARGUMENT_LANGUAGE.set(language)  # the argument types' own messages
    try:
        yield
    finally:
        argparse._ = original  # type: ignore[attr-defined]
        ARGUMENT_LANGUAGE.reset(token)


def _parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """``parser`` and every subcommand's parser."""
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                yield from _parsers(sub)


def help_texts(parser: argparse.ArgumentParser) -> list[str]:
    """Every English text of ``parser``'s help that :func:`in_danish` translates."""
    texts: list[str] = []
    for each in _parsers(parser):
        if each.description:
            texts.append(each.description)
        for group in each._action_groups:
            if group.title and group.title not in ARGPARSE:
                texts.append(group.title)
        for action in each._actions:
            if action.help and action.help is not argparse.SUPPRESS and action.help not in ARGPARSE:
                texts.append(action.help)
            if isinstance(action, argparse._SubParsersAction):
                texts.extend(str(choice.help) for choice in action._choices_actions if choice.help)
    return list(dict.fromkeys(texts))


def untranslated(parser: argparse.ArgumentParser) -> list[str]:
    """The help texts of ``parser`` without a Danish text in :data:`HELP` (a test keeps it empty)."""
    return [text for text in help_texts(parser) if text not in HELP]


def _danish_metavar(action: argparse.Action) -> None:
    """Give ``action`` its Danish placeholder (a ``str`` metavar, or the option's dest)."""
    if action.nargs == 0 or isinstance(action, (argparse._HelpAction, argparse._VersionAction)):
        return
    if action.metavar is None and action.choices is not None:
        return  # shown as {da,en}
    if isinstance(action.metavar, str):
        action.metavar = METAVARS.get(action.metavar, action.metavar)
    elif action.metavar is None and action.option_strings:
        english = action.dest.upper()
        if english in METAVARS:
            action.metavar = METAVARS[english]


def in_danish(parser: argparse.ArgumentParser) -> None:
    """Put the Danish text in place of every description, help and group title of ``parser``.

    A text without a translation stays English (a test checks that none is missing).
    """
    for each in _parsers(parser):
        if each.description:
            each.description = HELP.get(each.description, each.description)
        for group in each._action_groups:
            if group.title:
                group.title = HELP.get(group.title, group.title)
        for action in each._actions:
            if isinstance(action.help, str) and action.help is not argparse.SUPPRESS:
                action.help = HELP.get(action.help) or ARGPARSE.get(action.help) or action.help
            _danish_metavar(action)
            if isinstance(action, argparse._SubParsersAction):
                for choice in action._choices_actions:
                    if isinstance(choice.help, str):
                        choice.help = HELP.get(choice.help, choice.help)
