"""The CSV rule against spreadsheet formulas: neutralised on export, restored on import."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from customer_graph.domain.csv_cells import csv_line, neutralised, restored


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("'=1", "''=1"),
        ("''+1", "'''+1"),
        ("'quoted", "'quoted"),
        ("'", "'"),
        ("Acme = best", "Acme = best"),
        ("", ""),
    ],
)
def test_cells_a_spreadsheet_would_run_get_one_more_quote(text: str, written: str) -> None:
    assert neutralised(text) == written
    assert restored(written) == text


@given(st.text(alphabet=st.sampled_from("'=+-@\t\rab ,\"\n"), max_size=12))
def test_every_text_reads_back_as_it_was_written(text: str) -> None:
    assert restored(neutralised(text)) == text
    line = csv_line([text, None])
    [cells] = list(csv.reader(io.StringIO(line, newline="")))
    assert [restored(cell) for cell in cells] == [text, ""]
    assert not cells[0].startswith(tuple("=+-@\t\r")), "nothing a spreadsheet would run"
