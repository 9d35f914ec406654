"""Exports of the feedback list: CSV and XLSX with the same rows, formula-looking text kept as
text, one workspace's rows only, and large exports written by a task with a download link."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime

import openpyxl
import pytest

from kliento.feedback.models import Export

pytestmark = pytest.mark.django_db

FORMULAS = ['=HYPERLINK("http://evil.test","click")', "+1", "@SUM(A1:A2)", "-2+3"]


@pytest.fixture
def voices(world, api):
    ids = []
    r = api.post("/customers", {"email": "ilze@example.lv", "name": "=Ilze"})
    ids.append(api.post("/feedback", {
        "customer_id": r.json()["id"], "score": 2, "scale": "csat", "channel": "email",
        "language": "lv", "text": "Gaidīju, ļoti ilgi", "agent_email": "alice@acme.test",
        "team": "Support", "occurred_at": "2026-11-02T21:30:00Z"}).json()["id"])
    for n, text in enumerate(FORMULAS):
        ids.append(api.post("/feedback", {
            "customer": {"email": f"c{n}@example.ee", "name": f"Klient {n}"}, "score": 9,
            "scale": "nps", "channel": "web", "text": text}).json()["id"])
    return ids


def csv_rows(response):
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with its BOM
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def xlsx_rows(content: bytes):
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    cells = [[c for c in row] for row in sheet.iter_rows()]
    assert not any(c.data_type == "f" for row in cells for c in row)  # never a formula
    return [[_text(c.value) for c in row] for row in cells]


def _text(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def test_xlsx_holds_the_same_rows_as_the_csv(world, signed_in, voices,
                                             django_assert_max_num_queries):
    client = signed_in(world.carol)
    with django_assert_max_num_queries(12):
        r = client.get("/feedback/export.csv")
        rows = csv_rows(r)
    assert r["Content-Type"].startswith("text/csv")
    assert 'attachment; filename="kliento-acme-feedback-' in r["Content-Disposition"]
    x = client.get("/feedback/export.xlsx")
    assert x["Content-Type"].startswith("application/vnd.openxmlformats")
    assert xlsx_rows(b"".join(x.streaming_content)) == rows
    assert rows[0] == ["Id", "Received at", "Occurred at", "Customer name", "Customer e-mail",
                       "Channel", "Survey", "Scale", "Score", "Polarity", "Language",
                       "Themes", "Agent", "Team", "Text"]
    assert len(rows) == 1 + len(voices)
    ilze = next(row for row in rows if row[0] == str(voices[0]))
    # the workspace's time: 21:30 UTC is 23:30 in Riga
    assert ilze[2] == "2026-11-02 23:30:00"
    assert ilze[3:6] == ["'=Ilze", "ilze@example.lv", "E-mail"]
    assert ilze[7:] == ["CSAT (1–5)", "2", "Negative", "lv", "", "Alice Agent", "Support",
                        "Gaidīju, ļoti ilgi"]


def test_formula_looking_text_stays_text(world, signed_in, api, voices):
    client = signed_in(world.carol)
    texts = [row[-1] for row in csv_rows(client.get("/feedback/export.csv"))[1:]]
    for formula in FORMULAS:
        assert "'" + formula in texts
    book = openpyxl.load_workbook(io.BytesIO(b"".join(
        client.get("/feedback/export.xlsx").streaming_content)))
    cells = {c.value: c.data_type for row in book.worksheets[0].iter_rows() for c in row}
    for formula in FORMULAS:
        assert cells["'" + formula] == "s"
    # the API's export is the same file
    r = api.get("/feedback/export", format="xlsx")
    assert xlsx_rows(b"".join(r.streaming_content)) == xlsx_rows(b"".join(
        client.get("/feedback/export.xlsx").streaming_content))


def test_headers_and_labels_are_in_the_users_language(world, signed_in, voices):
    world.carol.language = "lv"
    world.carol.save()
    rows = csv_rows(signed_in(world.carol).get("/feedback/export.csv",
                                                HTTP_ACCEPT_LANGUAGE="lv"))
    assert {"Kanāls", "Komanda", "Aģents", "Valoda", "Teksts"} <= set(rows[0])
    assert "E-pasts" in {row[5] for row in rows[1:]}


def test_one_workspace_never_exports_another_workspaces_rows(world, signed_in, other_api,
                                                             voices):
    other_api.post("/feedback", {"customer": {"email": "z@globex.pl"}, "text": "Globex"})
    rows = csv_rows(signed_in(world.mallory).get("/feedback/export.csv"))
    assert [row[-1] for row in rows[1:]] == ["Globex"]
    rows = csv_rows(other_api.get("/feedback/export", format="csv"))
    assert [row[-1] for row in rows[1:]] == ["Globex"]


def test_only_members_export(world, client, voices):
    r = client.get("/feedback/export.csv")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    assert client.get("/feedback/export.pdf").status_code in (302, 404)


def test_a_large_export_runs_as_a_task_with_progress_and_a_download(
        world, signed_in, voices, settings, tmp_path, django_capture_on_commit_callbacks,
        run_tasks):
    settings.EXPORT_INLINE_MAX_ROWS = 3
    settings.EXPORT_DIR = tmp_path / "exports"
    client = signed_in(world.carol)
    with django_capture_on_commit_callbacks() as pending:
        r = client.get("/feedback/export.xlsx", {"channel": "web"})
    export = Export.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/feedback/exports/{export.pk}/"
    page = client.get(r["Location"]).content.decode()
    assert f"0 of {len(FORMULAS)} rows written" in page
    assert 'hx-trigger="every 2s"' in page and "<script" not in page.split("</head>")[1]
    assert "/download/" not in page
    with run_tasks():  # the worker runs the task (a real RQ worker on the Redis backend)
        for callback in pending:
            callback()
    export.refresh_from_db()
    assert (export.state, export.done, export.total) == ("done", 4, 4)
    fragment = client.get(r["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "every 2s" not in fragment  # finished: the polling stops
    link = re.search(r'href="(/feedback/exports/\d+/download/)"', fragment).group(1)
    download = client.get(link)
    assert download.status_code == 200
    rows = xlsx_rows(b"".join(download.streaming_content))
    assert len(rows) == 1 + len(FORMULAS)
    assert {row[5] for row in rows[1:]} == {"Web"}
    # another workspace's member gets nothing, not even its progress
    other = signed_in(world.mallory)
    assert other.get(link).status_code == 404
    assert other.get(r["Location"]).status_code == 404


def test_a_large_api_export_answers_202_then_offers_its_download(
        world, api, other_api, voices, settings, tmp_path, run_tasks):
    settings.EXPORT_INLINE_MAX_ROWS = 2
    settings.EXPORT_DIR = tmp_path / "exports"
    with run_tasks():
        r = api.get("/feedback/export", format="csv")
    assert r.status_code == 202, r.content
    export_id = r.json()["id"]
    status = api.get(f"/feedback/exports/{export_id}").json()
    assert status["state"] == "done" and status["done"] == status["total"] == len(voices)
    download = api.client.get(status["download_url"])
    assert download.status_code == 200
    assert len(csv_rows(download)) == 1 + len(voices)
    assert other_api.get(f"/feedback/exports/{export_id}").status_code == 404
    assert other_api.client.get(status["download_url"]).status_code == 404


def test_export_files_are_removed_after_a_week_by_a_task(
        world, signed_in, voices, settings, tmp_path, run_tasks):
    from kliento.feedback import jobs

    settings.EXPORT_INLINE_MAX_ROWS = 1
    settings.EXPORT_DIR = tmp_path / "exports"
    client = signed_in(world.carol)
    with run_tasks():
        client.get("/feedback/export.csv")
    export = Export.objects.get()
    path = settings.EXPORT_DIR / export.file_name
    assert path.is_file()
    assert jobs.remove_expired_exports() == 0
    Export.objects.filter(pk=export.pk).update(expires_at=datetime(2020, 1, 1, tzinfo=None))
    with run_tasks():
        assert jobs.remove_expired_exports() == 1
    assert not path.exists()
    assert client.get(f"/feedback/exports/{export.pk}/download/").status_code == 404
    assert "expired" in client.get(f"/feedback/exports/{export.pk}/").content.decode()
