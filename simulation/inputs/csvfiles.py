"""CSV files as planners' spreadsheets and Landsbyggefonden's exports write them.

The department CSV (:mod:`simulation.inputs.departments`) and the area CSV of ``blandetby classify``
(:mod:`simulation.inputs.areas`) are read the same way:

- **Text, not binary.** UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark
  (Excel's "Unicode text") or Windows-1252 (Danish Excel's CSV). A file with NUL bytes or other
  control characters is refused as binary, without repeating any of it.
- **Any line ends**: LF, CRLF and classic-Mac CR; a stray CR is a line end.
- **Comma, semicolon or tab separated**, from the header line; a semicolon file has decimal commas.
  Blank lines and lines starting with ``#`` are skipped.
- **Tolerant headers**: case, spacing, punctuation, Danish letters, ``%``/``pct.``/``procent`` and
  filler words (``antal``, ``i alt``, ``kr.``, ``pr. md.``, ``år``) do not matter
  (:func:`header_key`). A header marked ``%``, ``pct`` or ``procent`` holds per cent.
- **Units that cannot be confused**: a per-cent column whose values all lie in 0–1, or a share column
  (0–1) with values above 1, is refused naming both readings, unless the user says which
  (:data:`PercentColumns`, ``--percent-columns``).
- **Columns not read** are ignored with one warning that lists them (or refused in strict mode).

Problems never repeat more than a short, sanitised excerpt of the file
(:func:`simulation.base.errors.excerpt`).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Literal, TypeVar

import numpy as np

from simulation.base.errors import (
    InputWarning,
    Problem,
    ScenarioError,
    Words,
    at_row,
    column_words,
    danish_number,
    excerpt,
    in_language,
    os_reason,
)

__all__ = [
    "MAX_BYTES",
    "MAX_ROW_PROBLEMS",
    "PERCENT_COLUMNS",
    "PercentColumns",
    "header_key",
    "ignored_columns",
    "match_headers",
    "number",
    "read_rows",
    "unit_problem",
]

Known = TypeVar("Known")
"""A known column, as a caller of :func:`match_headers` describes it."""

Rows = list[tuple[int, list[str]]]
"""A file's rows as (line number, cells); the line number as a spreadsheet shows it."""

MAX_BYTES = 100 * 1024 * 1024
"""The largest CSV file read (100 MiB: Beboerdata for all of Denmark is a few MiB)."""

MAX_ROW_PROBLEMS = 5
"""Problems of one kind in one column listed row by row; more are summed up for the column."""

PercentColumns = Literal["auto", "percent", "fractions"]
"""How share columns are written: ``auto`` as each header says (``%``, ``pct`` or ``procent`` in the
header: per cent 0–100; otherwise a share 0–1), refusing a column whose values contradict it;
``percent``: every share column in per cent; ``fractions``: every share column 0–1."""

PERCENT_COLUMNS: tuple[PercentColumns, ...] = ("auto", "percent", "fractions")
"""The values of :data:`PercentColumns` (for the command line's ``--percent-columns``)."""

PERCENT_WORDS = frozenset({"pct", "procent", "percent"})
"""Words of a header that say its values are per cent (``%`` is read as ``pct``)."""

FILLER_WORDS = frozenset(
    {"antal", "i", "alt", "aar", "kr", "pr", "md", "mdr", "maaned", "andel", "share", "of", "the"}
)
"""Words a header may carry or leave out (``Antal beboere`` is ``Beboere``; ``kr. pr. md.``)."""

CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
"""Control characters that have no place in a CSV text file (tab, line ends and form feed do)."""


def read_rows(path: Path, *, what: str) -> tuple[Rows, bool]:
    """Read a CSV file into rows of cells; tell whether it uses decimal commas.

    Parameters
    ----------
    path
        The file.
    what
        What the file should be, for messages (``"department CSV file"``).

    Returns
    -------
    tuple
        The rows as (line number, cells), blank and ``#`` lines skipped; and whether the file is
        semicolon-separated (its numbers then have decimal commas).

    Raises
    ------
    ScenarioError
        If the file is missing, unreadable, too large, binary or not CSV.
    """
    return parse_csv(path, read_text(path, what=what))


def read_text(path: Path, *, what: str) -> str:
    """A CSV file's text, with its line ends made LF (see the module docstring).

    Raises
    ------
    ScenarioError
        If the file is missing, unreadable, larger than :data:`MAX_BYTES` or binary.
    """
    a_what = f"{'an' if what[:1] in 'aeiou' else 'a'} {what}"
    danish_what = FILE_KINDS_DANISH.get(what, what)
    if not path.is_file():
        raise ScenarioError(
            [Problem(path, "", "", Words(f"an existing {what}", f"en eksisterende {danish_what}"))]
        )
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)  # a /proc file says it is empty: read, then count
    except OSError as error:
        reason = os_reason(error)
        raise ScenarioError(
            [
                Problem(
                    path,
                    "",
                    "",
                    Words(
                        f"a readable {what} ({reason})",
                        f"en læsbar {danish_what} ({reason.danish})",
                    ),
                )
            ]
        ) from None
    if len(raw) > MAX_BYTES:
        raise ScenarioError(
            [
                Problem(
                    path,
                    "",
                    Words("a file larger than 100 MiB", "en fil på mere end 100 MiB"),
                    Words(
                        f"{a_what} of at most 100 MiB (one row per department or area)",
                        f"en {danish_what} på højst 100 MiB (én række pr. afdeling eller "
                        "boligområde)",
                    ),
                )
            ]
        )
    text = _decode(raw)
    if text is not None:
        text = text.rstrip("\x1a")  # the end-of-file mark of old DOS programs
    control = CONTROL.search(text) if text is not None else None
    if text is None or control is not None:
        if control is not None:
            at = control.start() + 1
            where = Words(f"a control character at character {at}", f"et kontroltegn ved tegn {at}")
        else:
            at = raw.find(bytes(1)) + 1
            where = Words(f"a NUL byte at byte {at}", f"en NUL-byte ved byte {at}")
        raise ScenarioError(
            [
                Problem(
                    path,
                    "",
                    Words.join_words(Words("binary data (", "binære data ("), where, ")"),
                    Words(
                        f"{a_what} as text: comma-, semicolon- or tab-separated, UTF-8 or "
                        "Windows-1252 (in a spreadsheet: Save as CSV)",
                        f"en {danish_what} som tekst: adskilt af komma, semikolon eller tabulator, "
                        "i UTF-8 eller Windows-1252 (i et regneark: Gem som CSV)",
                    ),
                )
            ]
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(raw: bytes) -> str | None:
    """Decode UTF-16 with a byte-order mark, else UTF-8, else Windows-1252; ``None`` if binary."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in raw:
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def parse_csv(path: Path, text: str) -> tuple[Rows, bool]:
    """Split CSV text (LF line ends) into (line number, cells) rows.

    Blank lines and lines starting with ``#`` are skipped; the separator is the one the first
    other line uses most (semicolon, comma or tab).

    Raises
    ------
    ScenarioError
        If a row is not CSV (a cell longer than the csv module's limit of 131,072 characters).
    """
    lines = [line for line in text.split("\n") if line.strip() and not line.startswith("#")]
    first_line = lines[0] if lines else ""
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    if first_line.count("\t") > max(first_line.count(";"), first_line.count(",")):
        delimiter = "\t"
    reader = csv.reader(io.StringIO(text, newline="\n"), delimiter=delimiter)
    rows: Rows = []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells) or cells[0].lstrip().startswith("#"):
                continue
            rows.append((reader.line_num, cells))
    except csv.Error as error:
        raise ScenarioError(
            [
                Problem(
                    path,
                    at_row(reader.line_num + 1),
                    "",
                    Words(f"a CSV row ({error})", f"en CSV-række ({error})"),
                )
            ]
        ) from None
    return rows, delimiter == ";"


def header_key(header: str) -> tuple[str, bool]:
    """Fold a header for matching; tell whether it marks per cent.

    Case, Danish letters, punctuation, spacing, the per-cent words and :data:`FILLER_WORDS` are
    folded away, so ``"Dømte (%)"``, ``"dømte, pct."`` and ``"Andel dømte"`` are the same column
    (the first two in per cent).

    Examples
    --------
    >>> header_key("Antal beboere 0-17 år")
    ('beboere_0_17', False)
    >>> header_key("Ikke-vestlige indvandrere og efterkommere (%)")
    ('ikke_vestlige_indvandrere_og_efterkommere', True)
    >>> header_key("nonwestern_share")
    ('nonwestern', False)
    """
    text = header.strip().casefold()
    for danish, ascii_ in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("é", "e")):
        text = text.replace(danish, ascii_)
    text = text.replace("%", " pct ").replace("+", " plus ")
    words = []
    percent = False
    for word in re.findall(r"[a-z0-9]+", text):
        if word.endswith("procent") and word != "procent":  # fraflytningsprocent
            percent = True
            word = word.removesuffix("procent")
        words.append(word)
    percent = percent or any(word in PERCENT_WORDS for word in words)
    kept = [word for word in words if word not in PERCENT_WORDS and word not in FILLER_WORDS]
    return "_".join(kept), percent


def match_headers(
    path: Path,
    header: list[str],
    lookup: Callable[[str], Known | None],
    name: Callable[[Known], str],
) -> tuple[dict[int, Known], dict[int, str], list[Problem]]:
    """Match a CSV header's cells to known columns.

    Parameters
    ----------
    path
        The file (for problems).
    header
        The header cells as written.
    lookup
        The known column a header cell names (``None`` if none).
    name
        The canonical name of a known column (two cells naming one column is a problem).

    Returns
    -------
    tuple
        Known columns by cell position, unknown header cells by position (stripped), and a
        problem for every column given twice.
    """
    matched: dict[int, Known] = {}
    unknown: dict[int, str] = {}
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for index, raw_header in enumerate(header):
        found = lookup(raw_header)
        if found is None:
            unknown[index] = raw_header.strip()
            continue
        canonical = name(found)
        if canonical in seen:
            problems.append(
                Problem(
                    path,
                    column_words(excerpt(raw_header)),
                    "",
                    Words(
                        f"each column once; {canonical!r} is already given as "
                        f"{excerpt(seen[canonical])}",
                        f"hver kolonne én gang; {canonical!r} er allerede givet som "
                        f"{excerpt(seen[canonical])}",
                    ),
                )
            )
            continue
        seen[canonical] = raw_header
        matched[index] = found
    return matched, unknown, problems


def ignored_columns(
    path: Path, unknown: Mapping[int, str], *, strict: bool, expected: str
) -> list[Problem]:
    """Warn once about the columns not read, or (``strict``) return a problem for each.

    Parameters
    ----------
    path
        The file.
    unknown
        The header cells no known column matched, by position.
    strict
        Refuse them instead of ignoring them.
    expected
        Where the known columns are listed (for the problems).
    """
    if not unknown:
        return []
    if strict:
        return [
            Problem(path, column_words(excerpt(text) if text else str(position + 1)), "", expected)
            for position, text in unknown.items()
        ]
    shown = [
        excerpt(text, 30) if text else f"(column {position + 1}, no header)"
        for position, text in unknown.items()
    ]
    shown_danish = [
        excerpt(text, 30) if text else f"(kolonne {position + 1}, ingen overskrift)"
        for position, text in unknown.items()
    ]
    more = len(shown) - 12
    listed = ", ".join(shown[:12]) + (f" and {more} more" if more > 0 else "")
    listed_danish = ", ".join(shown_danish[:12]) + (f" og {more} mere" if more > 0 else "")
    plural = len(shown) != 1
    warnings.warn(
        Words(
            f"{path}: {len(shown)} column{'s' if plural else ''} not used by blandetby, "
            f"ignored: {listed}",
            f"{path}: {len(shown)} kolonne{'r' if plural else ''}, som blandetby ikke bruger, "
            f"springes over: {listed_danish}",
        ),
        InputWarning,
        stacklevel=3,
    )
    return []


def number(cell: str, decimal_comma: bool) -> tuple[float | None, str]:
    """A cell as a finite number ≥ 0; else ``None`` and the rule it breaks.

    Spaces (also non-breaking) are thousands separators; in a decimal-comma file ``.`` is one too.
    """
    text = cell.replace(" ", "").replace("\u00a0", "")
    if decimal_comma:
        text = text.replace(".", "").replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None, A_NUMBER
    if not np.isfinite(value):
        return None, A_FINITE_NUMBER
    if value < 0:
        return None, A_NUMBER_NOT_NEGATIVE
    return value, ""


A_NUMBER = Words("a number", "et tal")
"""The rule of a cell that is not a number."""

A_FINITE_NUMBER = Words("a finite number", "et endeligt tal")
"""The rule of a cell that is infinite or not a number (``inf``, ``nan``)."""

A_NUMBER_NOT_NEGATIVE = Words("a number ≥ 0", "et tal ≥ 0")
"""The rule of a negative cell."""

FILE_KINDS_DANISH = {
    "department CSV file": "CSV-fil med afdelinger",
    "area CSV file": "CSV-fil med boligområder",
    "CSV file": "CSV-fil",
    "actual figures CSV file": "CSV-fil med faktiske tal",
}
"""The kinds of file :func:`read_text` reads (its ``what``), in Danish (``en …``)."""


def range_problems(
    path: Path,
    header: str,
    rows: Sequence[int],
    values: Sequence[float],
    *,
    percent: bool,
    forced: bool,
) -> list[Problem]:
    """Values above 100 (per cent) or 1 (shares): a problem per row, or one for the column.

    Parameters
    ----------
    path, header
        The file and the column's header as written.
    rows
        The row of each value, as a spreadsheet numbers it.
    values
        The column's numbers (NaN where a cell is empty).
    percent
        Whether the column is read as per cent (0–100) or as shares (0–1).
    forced
        Whether ``--percent-columns`` said so (and not the header).
    """
    highest = 100.0 if percent else 1.0
    numbers = np.asarray(values, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        above = np.flatnonzero(numbers > highest)
    rule = "a percentage from 0 to 100" if percent else "a share from 0 to 1"
    danish = "en procentsats fra 0 til 100" if percent else "en andel fra 0 til 1"
    if forced:
        option = "percent" if percent else "fractions"
        rule += f", as --percent-columns {option} says"
        danish += f", som --percent-columns {option} siger"
    elif not percent:
        rule += " (35 % is 0.35, or give the column a header with %)"
        danish += " (35 % er 0,35, eller giv kolonnen en overskrift med %)"
    expected = Words(rule, danish)
    location = column_words(excerpt(header))
    if len(above) > MAX_ROW_PROBLEMS:
        low, high = f"{numbers[above].min():g}", f"{numbers[above].max():g}"
        span = Words(
            f"{len(above)} values from {low} to {high}",
            f"{len(above)} værdier fra {danish_number(low)} til {danish_number(high)}",
        )
        return [Problem(path, location, span, expected)]
    return [
        Problem(path, at_row(rows[index], location), excerpt(f"{numbers[index]:g}"), expected)
        for index in above.tolist()
    ]


def unit_problem(
    path: Path,
    header: str,
    values: Sequence[float],
    *,
    percent: bool,
    fraction_may_exceed_one: bool = False,
    hint: str,
) -> Problem | None:
    """A column whose values contradict the unit its header gives (``auto`` mode), else ``None``.

    Parameters
    ----------
    path, header
        The file and the column's header as written.
    values
        The column's numbers (NaN where a cell is empty).
    percent
        Whether the header says per cent (0–100); otherwise the values are shares 0–1.
    fraction_may_exceed_one
        Whether a share of the column may be above 1 (income relative to the region).
    hint
        How the user says which reading is right (``--percent-columns …``).

    Returns
    -------
    Problem or None
        For a per-cent column whose values all lie in 0–1 (not all 0), or a share column whose
        non-zero values are mostly above 1 and none above 100: the column, its range and both
        readings. (A share column with a stray value above 1 is left to the row checks.)
    """
    given = np.asarray(values, dtype=np.float64)
    numbers = given[np.isfinite(given)]
    if numbers.size == 0:
        return None
    low, high = float(numbers.min()), float(numbers.max())
    rows = (
        f"all {numbers.size} rows"
        if numbers.size == given.size
        else f"the {numbers.size} rows with one"
    )
    rows_danish = (
        f"alle {numbers.size} rækker"
        if numbers.size == given.size
        else f"de {numbers.size} rækker med en værdi"
    )

    def da(value: float) -> str:
        return danish_number(f"{value:g}")

    span = Words(
        f"values from {low:g} to {high:g} in {rows}",
        f"værdier fra {da(low)} til {da(high)} i {rows_danish}",
    )
    hint_danish = in_language(hint, "da")
    if percent and 0 < high <= 1:
        return Problem(
            path,
            column_words(excerpt(header)),
            span,
            Words(
                f"per cent (0–100), as the header says; read as per cent they are "
                f"{low:g}–{high:g} %, read as shares (0–1) they are "
                f"{100 * low:g}–{100 * high:g} %: {hint}",
                f"procent (0–100), som overskriften siger; læst som procent er de "
                f"{da(low)}–{da(high)} %, læst som andele (0–1) er de "
                f"{da(100 * low)}–{da(100 * high)} %: {hint_danish}",
            ),
        )
    above = int(np.count_nonzero(numbers > 1))
    mostly_above = 2 * above > np.count_nonzero(numbers > 0)  # else a typo in a row or two
    if not percent and not fraction_may_exceed_one and high <= 100 and above and mostly_above:
        return Problem(
            path,
            column_words(excerpt(header)),
            span,
            Words(
                f"a share from 0 to 1, as the header says; read as shares, {high:g} is "
                f"impossible (above 1), read as per cent they are {low / 100:g}–{high / 100:g} "
                f"as shares: {hint}",
                f"en andel fra 0 til 1, som overskriften siger; læst som andele er {da(high)} "
                f"umuligt (over 1), læst som procent er de {da(low / 100)}–{da(high / 100)} "
                f"som andele: {hint_danish}",
            ),
        )
    return None
