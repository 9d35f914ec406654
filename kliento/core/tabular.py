"""Tables out as CSV and XLSX, streamed row by row, safe to open in a spreadsheet.

A cell of customer text that begins with `=`, `+`, `-`, `@`, a tab or a carriage return would
be run as a formula by Excel or LibreOffice (CSV injection): such text gets a leading single
quote, in CSV and in XLSX alike, and XLSX cells are only ever written as strings, numbers or
dates (never `write_formula`). Memory stays flat whatever the number of rows: CSV is written a
few rows at a time, XLSX with XlsxWriter's constant-memory mode into a temporary file.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import IO

from django.http import StreamingHttpResponse

Cell = str | int | float | bool | date | datetime | None
Row = Sequence[Cell]
FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 64 * 1024


def neutralise(text: str) -> str:
    """The text, quoted so that a spreadsheet shows it instead of running it."""
    return "'" + text if text.startswith(DANGEROUS_START) else text


def _csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    return neutralise(str(value))


def csv_chunks(headers: Sequence[str], rows: Iterable[Row]) -> Iterator[bytes]:
    """UTF-8 CSV (with a BOM, so Excel reads the accents right), a few hundred rows a chunk."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(h) for h in headers])
    first = True
    for n, row in enumerate(rows, 1):
        writer.writerow([_csv_text(v) for v in row])
        if n % 500 == 0:
            yield (("\ufeff" if first else "") + buffer.getvalue()).encode()
            first = False
            buffer.seek(0)
            buffer.truncate()
    yield (("\ufeff" if first else "") + buffer.getvalue()).encode()


def write_csv(out: IO[bytes], headers: Sequence[str], rows: Iterable[Row]) -> None:
    for chunk in csv_chunks(headers, rows):
        out.write(chunk)


def write_xlsx(path: str, headers: Sequence[str], rows: Iterable[Row],
               sheet: str = "Export") -> None:
    """Write an XLSX file at `path`; rows are flushed to disk as they are written."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(path, {
        "constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
        "strings_to_urls": False, "tmpdir": os.path.dirname(path) or None,
    })
    try:
        worksheet = workbook.add_worksheet(re.sub(r"[\[\]:*?/\\]", " ", sheet)[:31] or "Export")
        bold = workbook.add_format({"bold": True})
        when = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        day = workbook.add_format({"num_format": "yyyy-mm-dd"})
        for col, header in enumerate(headers):
            worksheet.write_string(0, col, neutralise(header), bold)
        for r, row in enumerate(rows, 1):
            for col, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, bool):
                    worksheet.write_boolean(r, col, value)
                elif isinstance(value, int | float):
                    worksheet.write_number(r, col, value)
                elif isinstance(value, datetime):
                    worksheet.write_datetime(r, col, value.replace(tzinfo=None), when)
                elif isinstance(value, date):
                    worksheet.write_datetime(r, col, datetime.combine(value, datetime.min.time()),
                                             day)
                else:
                    worksheet.write_string(r, col, neutralise(str(value)))
    finally:
        workbook.close()


def xlsx_chunks(headers: Sequence[str], rows: Iterable[Row],
                sheet: str = "Export") -> Iterator[bytes]:
    """An XLSX file as chunks: written to a temporary file (a zip is only whole at its end),
    then read back and removed."""
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        write_xlsx(path, headers, rows, sheet)
        with open(path, "rb") as f:
            while chunk := f.read(CHUNK):
                yield chunk
    finally:
        os.unlink(path)


def safe_filename(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "export"


def streaming_response(headers: Sequence[str], rows: Iterable[Row], filename: str,
                       format: str) -> StreamingHttpResponse:
    """A download of the table, produced while it is sent."""
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}")
    make: Callable[..., Iterator[bytes]] = csv_chunks if format == "csv" else xlsx_chunks
    response = StreamingHttpResponse(make(headers, rows), content_type=CONTENT_TYPES[format])
    response["Content-Disposition"] = (
        f'attachment; filename="{safe_filename(filename)}.{format}"')
    response["Cache-Control"] = "private, no-store"
    return response

