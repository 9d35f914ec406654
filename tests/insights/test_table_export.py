"""Any dashboard table downloads as CSV or XLSX holding the same cells."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import openpyxl
import pytest
from django.http import Http404

from kliento.insights.export import table_response

ROWS = [["Support", 312, 71.5, date(2026, 11, 2), datetime(2026, 11, 2, 23, 30)],
        ["=cmd|' /C calc'!A0", 0, -3.5, None, None],
        ["\tTabbed", 1, 0.0, None, None], ["\rReturned", 2, 1.0, None, None],
        ["@SUM(1)", 3, 2.0, None, None], ["Rīga – ļoti labi", 4, 3.0, None, None]]
HEADERS = ["Komanda", "Atbildes", "CSAT %", "Diena", "Laiks"]


def test_a_table_downloads_as_csv_and_xlsx_with_the_same_cells():
    r = table_response(ROWS, HEADERS, "csat by team/2026", "csv")
    assert r["Content-Disposition"] == 'attachment; filename="csat-by-team-2026.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(r.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == HEADERS
    assert rows[1] == ["Support", "312", "71.5", "2026-11-02", "2026-11-02 23:30:00"]
    assert [row[0] for row in rows[2:]] == ["'=cmd|' /C calc'!A0", "'\tTabbed",
                                            "'\rReturned", "'@SUM(1)", "Rīga – ļoti labi"]
    assert rows[2][2] == "-3.5"  # numbers are numbers, never quoted
    x = table_response(ROWS, HEADERS, "csat by team", "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(x.streaming_content))).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == HEADERS
    assert values[1] == ["Support", 312, 71.5, datetime(2026, 11, 2),
                         datetime(2026, 11, 2, 23, 30)]
    # XLSX escapes a carriage return as _x000D_; Excel reads it back, openpyxl does not.
    assert [v[0].replace("_x000D_", "\r") for v in values[2:]] == [row[0] for row in rows[2:]]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_an_unknown_format_is_not_found():
    with pytest.raises(Http404):
        table_response(ROWS, HEADERS, "x", "pdf")
