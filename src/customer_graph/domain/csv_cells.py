"""Text cells of the CSV files we write, safe to open in a spreadsheet, and read back exactly.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return before one) as a formula: a customer named ``=HYPERLINK(...)`` would
become a link, or worse, in the hands of whoever opens the export (OWASP, "CSV
Injection"). Such a cell is written with a single quote in front, which spreadsheets show
as text. Import takes exactly that quote off again, so export then import changes nothing.

The rule, both ways: a cell that starts with any number of single quotes followed by one
of ``= + - @``, tab or carriage return gets one more single quote in front on export
(``'=1`` is written ``''=1``), and loses one on import. Other cells are left as they are.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

FORMULA_STARTS = "=+-@\t\r"
_RUNS_AS_FORMULA = re.compile(r"'*[=+\-@\t\r]")
_NEUTRALISED = re.compile(r"'+[=+\-@\t\r]")


def neutralised(text: str) -> str:
    """The cell as written to a CSV file: a spreadsheet shows it, never runs it."""
    return "'" + text if _RUNS_AS_FORMULA.match(text) else text


def restored(cell: str) -> str:
    """The text a cell written by ``neutralised`` stands for."""
    return cell[1:] if _NEUTRALISED.match(cell) else cell


def csv_line(values: Iterable[str | None]) -> str:
    """One CSV line (CRLF-terminated) of text cells, each ``neutralised``; None is empty."""
    line = io.StringIO()
    csv.writer(line, lineterminator="\r\n").writerow(
        "" if value is None else neutralised(value) for value in values
    )
    return line.getvalue()
