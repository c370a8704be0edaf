"""Output paths checked before any work starts: a bad ``--out`` costs nothing and creates nothing.

Every command that writes (``run``, ``compare``, ``sweep``, ``frontier``, ``optimise``,
``profile``, ``report``, ``classify``) checks its output path first: that a folder is not a file
(and a file not a folder), that nothing on the way is a file, that the file has a suffix the
command writes, and that the nearest existing folder on the way can be written to (tried with an
anonymous temporary file, so that this also holds for root on a read-only file system). A failed
check raises :class:`~simulation.base.errors.OutputError` and leaves the file system as it was.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from simulation.base.errors import OutputError, Words, os_reason

__all__ = ["output_file", "output_folder"]


def output_folder(path: str | Path, *, option: str = "--out") -> Path:
    """Check that ``path`` can be an output folder (absent, or a writable folder); return it.

    Parameters
    ----------
    path
        The folder.
    option
        The command-line option that named it (for the message).

    Raises
    ------
    OutputError
        If ``path`` is a file, lies under a file, or cannot be written to.
    """
    path = Path(path)
    if _exists(path, option) and not path.is_dir():
        raise OutputError(
            Words(
                f"{option} {path}: is a file; expected a folder for the output (or a new name)",
                f"{option} {path}: er en fil; forventede en mappe til resultatet (eller et nyt "
                "navn)",
            )
        )
    _check_writable(path, option)
    return path


def output_file(path: str | Path, *, suffixes: Sequence[str] = (), option: str = "--out") -> Path:
    """Check that ``path`` can be an output file (absent, or a file, in a writable folder).

    Parameters
    ----------
    path
        The file.
    suffixes
        The suffixes the command writes (``.csv``, ``.parquet``), lower case; empty for any.
    option
        The command-line option that named it.

    Raises
    ------
    OutputError
        If ``path`` is a folder, has another suffix, lies under a file, or its folder cannot be
        written to.
    """
    path = Path(path)
    if _exists(path, option) and path.is_dir():
        raise OutputError(
            Words(
                f"{option} {path}: is a folder; expected the name of the file to write",
                f"{option} {path}: er en mappe; forventede navnet på den fil, der skal skrives",
            )
        )
    if suffixes and path.suffix.lower() not in suffixes:
        found = f"{path.suffix!r}" if path.suffix else "no suffix"
        found_danish = f"{path.suffix!r}" if path.suffix else "ingen endelse"
        raise OutputError(
            Words(
                f"{option} {path}: got {found}; expected a file name ending in "
                f"{' or '.join(suffixes)} (the formats this command writes)",
                f"{option} {path}: fik {found_danish}; forventede et filnavn, der ender på "
                f"{' eller '.join(suffixes)} (de formater, kommandoen skriver)",
            )
        )
    _check_writable(path.parent, option, shown=path)
    return path


def _exists(path: Path, option: str) -> bool:
    try:
        return path.exists()
    except OSError as error:  # e.g. permission denied on a folder on the way
        reason = os_reason(error)
        raise OutputError(
            Words(
                f"{option} {path}: cannot be checked ({reason})",
                f"{option} {path}: kan ikke undersøges ({reason.danish})",
            )
        ) from None


def _check_writable(folder: Path, option: str, *, shown: Path | None = None) -> None:
    """Check that ``folder`` exists and is writable, or can be created in a writable folder."""
    shown = shown if shown is not None else folder
    nearest = folder
    while not _exists(nearest, option) and nearest.parent != nearest:
        nearest = nearest.parent
    if not nearest.is_dir():
        raise OutputError(
            Words(
                f"{option} {shown}: {nearest} is a file, so nothing can be created under it; "
                "expected a folder (or a new path)",
                f"{option} {shown}: {nearest} er en fil, så intet kan oprettes under den; "
                "forventede en mappe (eller en ny sti)",
            )
        )
    try:
        with tempfile.TemporaryFile(dir=nearest):
            pass
    except OSError as error:
        reason = os_reason(error)
        raise OutputError(
            Words(
                f"{option} {shown}: cannot write in {nearest} ({reason}); expected "
                "a folder you may write to",
                f"{option} {shown}: kan ikke skrive i {nearest} ({reason.danish}); forventede "
                "en mappe, du må skrive i",
            )
        ) from None
