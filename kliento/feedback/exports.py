"""Exports of the feedback list (CSV, XLSX) with any filters: streamed up to
settings.EXPORT_INLINE_MAX_ROWS rows, larger ones written by a task to a file under
settings.EXPORT_DIR, with progress and a download link kept for EXPORT_KEEP_DAYS days."""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.fields.json import KT
from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kliento.core import tabular
from kliento.core.models import User, Workspace
from kliento.core.tasks import enqueue_on_commit
from kliento.customers.models import Identity, IdentityKind, Polarity
from kliento.feedback.filters import FeedbackFilter, zone
from kliento.feedback.judging import theme_names
from kliento.feedback.models import Channel, Export, ExportState, Feedback, Scale
from kliento.surveys.models import Survey

log = logging.getLogger(__name__)
PROGRESS_EVERY = 2000


def headers() -> list[str]:
    """The column headers, in the active language."""
    return [_("Id"), _("Received at"), _("Occurred at"), _("Customer name"),
            _("Customer e-mail"), _("Channel"), _("Survey"), _("Scale"), _("Score"),
            _("Polarity"), _("Language"), _("Themes"), _("Agent"), _("Team"), _("Text")]


def export_rows(workspace: Workspace, f: FeedbackFilter) -> Iterator[tabular.Row]:
    """One row per voice, newest first, read 2,000 at a time; a fixed number of queries.

    Labels are looked up now, in the active language, since the rows are produced later,
    while the response is sent."""
    tz = zone(workspace.time_zone)
    channels = {v: str(label) for v, label in Channel.choices}
    polarities = {v: str(label) for v, label in Polarity.choices}
    scales = {v: str(label) for v, label in Scale.choices}
    themes = theme_names(workspace)
    surveys = {str(pk): name for pk, name in
               Survey.objects.for_workspace(workspace).values_list("pk", "name")}
    email = Identity.objects.filter(customer=OuterRef("customer_id"),
                                    kind=IdentityKind.EMAIL).order_by("pk").values("value")[:1]
    records = (f.apply(Feedback.objects.for_workspace(workspace))
               .annotate(customer_email=Subquery(email), survey_ref=KT("metadata__survey_id"))
               .order_by("-received_at", "-pk")
               .values_list("pk", "received_at", "occurred_at", "customer__name",
                            "customer_email", "channel", "survey_ref", "scale", "score",
                            "polarity", "language", "themes", "agent__full_name",
                            "agent__email", "team__name", "text"))

    def rows() -> Iterator[tabular.Row]:
        for (pk, received, occurred, name, mail, channel, survey, scale, score, polarity,
             language, keys, agent_name, agent_email, team, text) in records.iterator(
                chunk_size=2000):
            yield [
                pk, timezone.localtime(received, tz).replace(tzinfo=None),
                timezone.localtime(occurred, tz).replace(tzinfo=None), name or "", mail or "",
                channels.get(channel, channel), surveys.get(str(survey), "") if survey else "",
                scales.get(scale, scale), score, polarities.get(polarity, polarity), language,
                ", ".join(themes.get(k, k) for k in _theme_keys(keys)),
                agent_name or agent_email or "", team or "", text,
            ]

    return rows()


def _theme_keys(themes: Any) -> list[str]:
    if not isinstance(themes, list):
        return []
    return [t["key"] for t in themes if isinstance(t, dict) and isinstance(t.get("key"), str)]


def filename(workspace: Workspace) -> str:
    return f"kliento-{workspace.slug}-feedback-{timezone.localdate():%Y-%m-%d}"


def stream(workspace: Workspace, f: FeedbackFilter, format: str) -> StreamingHttpResponse:
    """The export as a download produced while it is sent."""
    return tabular.streaming_response(headers(), export_rows(workspace, f), filename(workspace),
                                      format)


def matching(workspace: Workspace, f: FeedbackFilter) -> QuerySet[Feedback]:
    return f.apply(Feedback.objects.for_workspace(workspace))


def is_large(count: int) -> bool:
    return count > settings.EXPORT_INLINE_MAX_ROWS


def start_export(*, workspace: Workspace, actor: User | None, f: FeedbackFilter, format: str,
                 total: int) -> Export:
    """A large export, written by a task; its page shows progress and then the download."""
    if format not in tabular.FORMATS:
        raise ValueError(f"unknown format {format!r}")
    export = Export.objects.create(
        workspace=workspace, created_by=actor, format=format, params=f.params(),
        language=translation.get_language() or workspace.default_language, total=total)
    from kliento.feedback.tasks import write_export

    enqueue_on_commit(write_export, export.pk)
    return export


def path_of(export: Export) -> Path:
    return Path(settings.EXPORT_DIR) / export.file_name


def write(export_id: int) -> None:
    """Write one export's file; run again after a crash, it starts over."""
    export = Export.objects.filter(pk=export_id).select_related("workspace").first()
    if export is None or export.state not in (ExportState.QUEUED, ExportState.RUNNING):
        return
    workspace = export.workspace
    Export.objects.filter(pk=export.pk).update(state=ExportState.RUNNING, done=0)
    directory = Path(settings.EXPORT_DIR) / str(workspace.pk)
    directory.mkdir(parents=True, exist_ok=True)
    # An unguessable name: the file is served only through the members' download view, but
    # nothing about it should be predictable on disk either.
    name = f"{export.pk}-{secrets.token_hex(8)}.{export.format}"
    partial = directory / f".{name}.part"
    try:
        with translation.override(export.language or workspace.default_language):
            f = FeedbackFilter.from_params(export.params, workspace)
            rows = _counting(export_rows(workspace, f), lambda n: Export.objects.filter(
                pk=export.pk).update(done=n))
            if export.format == "csv":
                with open(partial, "wb") as out:
                    tabular.write_csv(out, headers(), rows)
            else:
                tabular.write_xlsx(str(partial), headers(), rows, sheet=_("Feedback"))
        os.replace(partial, directory / name)
    except Exception as exc:
        partial.unlink(missing_ok=True)
        log.exception("export %s failed", export.pk)
        Export.objects.filter(pk=export.pk).update(state=ExportState.FAILED,
                                                   error=f"{type(exc).__name__}: {exc}"[:2000],
                                                   finished_at=timezone.now())
        return
    now = timezone.now()
    done = Export.objects.get(pk=export.pk).done
    Export.objects.filter(pk=export.pk).update(
        state=ExportState.DONE, file_name=f"{workspace.pk}/{name}", finished_at=now,
        total=max(done, 0), expires_at=now + timedelta(days=settings.EXPORT_KEEP_DAYS))


def _counting(rows: Iterator[tabular.Row], report: Callable[[int], Any]) -> Iterator[tabular.Row]:
    n = 0
    for n, row in enumerate(rows, 1):
        yield row
        if n % PROGRESS_EVERY == 0:
            report(n)
    report(n)


def expired_exports() -> QuerySet[Export]:
    return Export.objects.filter(expires_at__lt=timezone.now()).exclude(
        state=ExportState.EXPIRED)


def remove_expired() -> int:
    """Delete the files of exports past their week and mark them expired."""
    count = 0
    for export in expired_exports():
        if export.file_name:
            path_of(export).unlink(missing_ok=True)
        Export.objects.filter(pk=export.pk).update(state=ExportState.EXPIRED, file_name="")
        count += 1
    return count
