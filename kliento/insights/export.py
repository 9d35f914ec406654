"""Dashboard tables as CSV or XLSX downloads (streamed; formula-looking text kept as text)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.http import Http404, StreamingHttpResponse

from kliento.core import tabular
from kliento.core.tabular import Cell

__all__ = ["Cell", "table_response"]


def table_response(rows: Iterable[Sequence[Cell]], headers: Sequence[str], filename: str,
                   format: str) -> StreamingHttpResponse:
    """A table as a download: `format` "csv" or "xlsx" (anything else is a 404), `filename`
    without its extension. Cells are str, int, float, bool, date, datetime (naive, already in
    the workspace's time) or None; headers should already be translated."""
    if format not in tabular.FORMATS:
        raise Http404
    return tabular.streaming_response(headers, rows, filename, format)
