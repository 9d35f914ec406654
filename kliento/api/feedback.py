from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from kliento import loop
from kliento.api.base import ERRORS, ERRORS_404, Datetime, Id, Page, workspace_of
from kliento.api.schemas import ChannelName, FeedbackIn, FeedbackOut
from kliento.core.models import Membership, Team
from kliento.customers.models import Customer
from kliento.feedback import exports
from kliento.feedback.filters import FeedbackFilter, feedback_list
from kliento.feedback.models import Export, ExportState, Feedback
from kliento.loop import Voice, hear

router = Router(tags=["feedback"])


@router.post("", response={201: FeedbackOut, **ERRORS_404})
def create(request: HttpRequest, body: FeedbackIn) -> Status[Feedback]:
    """Hear one voice. The customer is given inline by any identity, or by `customer_id`."""
    workspace = workspace_of(request)
    if body.customer_id is not None:
        customer: object = get_object_or_404(
            Customer.objects.for_workspace(workspace), pk=body.customer_id
        )
    elif body.customer is not None:
        customer = body.customer.to_ref()
    else:
        raise ValidationError({"customer": "Give the customer (any identity) or customer_id."})
    agent = None
    if body.agent_email:
        member = (Membership.objects.for_workspace(workspace)
                  .filter(user__email=body.agent_email.strip().lower()).select_related("user")
                  .first())
        if member is None:
            raise ValidationError({"agent_email": "No member of this workspace has that e-mail."})
        agent = member.user
    team = None
    if body.team:
        team = Team.objects.for_workspace(workspace).filter(name__iexact=body.team).first()
        if team is None:
            raise ValidationError({"team": "No team of this workspace has that name."})
    feedback = hear(Voice(
        workspace=workspace, customer=customer,  # type: ignore[arg-type]
        channel=body.channel, source=body.source,
        score=body.score, scale=body.scale or "", text=body.text, language=body.language,
        agent=agent, team=team, occurred_at=body.occurred_at, metadata=body.metadata,
    ))
    return Status(201, feedback)


class FeedbackQuery(Schema):
    """The feedback list's filters (kliento.feedback.filters), as on the page: a figure's
    drill-down link works here unchanged. Days are the workspace's, both ends included."""

    from_: str | None = Field(None, alias="from", description="First day, YYYY-MM-DD")
    to: str | None = Field(None, description="Last day, YYYY-MM-DD")
    team: str | None = Field(None, description="Team id, or `none`")
    agent: str | None = Field(None, description="Agent (user) id, or `none`")
    channel: ChannelName | None = None
    language: str | None = Field(None, description="Language code, or `none`")
    survey: str | None = Field(None, description="Survey id, or `none`")
    polarity: str | None = Field(None, description="negative, neutral, positive or `none`")
    scale: str | None = Field(None, description="csat, nps, ces, thumbs or `none`")
    score: str | None = None
    theme: str | None = Field(None, description="Theme key")
    customer_tag: str | None = Field(None, description="Tag name")
    vip: str | None = Field(None, description="yes or no")
    root_cause: str | None = Field(None, description="Key of the case's root cause")
    contact: str | None = Field(None, description="Unhappy voices by their first contact: "
                                "yes, in_time, late, none, missed, pending or measured")
    recovered: str | None = Field(None, description="yes or no: unhappy voices whose "
                                  "customer answered positively later")
    customer_id: Id | None = None
    since: Datetime | None = Field(None, description="Received at or after (ISO 8601)")
    until: Datetime | None = Field(None, description="Received before (ISO 8601)")
    weekday: str | None = Field(None, description="1 (Monday) to 7 (Sunday), when the "
                                "customer spoke, on the workspace's clock")
    hour: str | None = Field(None, description="0 to 23, when the customer spoke, on the "
                             "workspace's clock")
    logged: str | None = Field(None, description="1: contacts agents logged")
    asked_from: str | None = Field(None, description="Answers to invitations asked from "
                                   "this day, YYYY-MM-DD")
    asked_to: str | None = Field(None, description="Answers to invitations asked up to "
                                 "this day, YYYY-MM-DD")


def parsed_filter(request: HttpRequest) -> FeedbackFilter:
    """The filter of the query string; a bad parameter is a 422 naming it (the schema above
    only documents them, so the page and the API share one parser and its messages)."""
    return FeedbackFilter.from_params(request.GET, workspace_of(request))


@router.get("", response={200: list[FeedbackOut], **ERRORS})
@paginate(Page)
def list_feedback(request: HttpRequest, filters: Query[FeedbackQuery]) -> QuerySet[Feedback]:
    return feedback_list(workspace_of(request), parsed_filter(request))


class ExportOut(Schema):
    id: int
    state: str
    format: str
    total: int
    done: int
    download_url: str | None

    @staticmethod
    def resolve_download_url(obj: Export) -> str | None:
        if obj.state != ExportState.DONE:
            return None
        return f"/api/v1/feedback/exports/{obj.pk}/download"


@router.get("/export", response={200: None, 202: ExportOut, **ERRORS},
            openapi_extra={"responses": {200: {"description": "The file (CSV or XLSX)"}}})
def export(request: HttpRequest, filters: Query[FeedbackQuery],
           format: Literal["csv", "xlsx"] = "csv") -> Any:
    """The feedback list with the same filters as CSV or XLSX, streamed. Over
    KLIENTO_EXPORT_INLINE_MAX_ROWS rows it is written by a task instead: 202 with the export,
    whose `download_url` appears when it is ready (poll `GET /feedback/exports/{id}`)."""
    workspace = workspace_of(request)
    f = parsed_filter(request)
    total = exports.matching(workspace, f).count()
    if exports.is_large(total):
        return Status(202, exports.start_export(workspace=workspace, actor=None, f=f,
                                                format=format, total=total))
    return exports.stream(workspace, f, format)


@router.get("/exports/{export_id}", response={200: ExportOut, **ERRORS_404})
def export_status(request: HttpRequest, export_id: Id) -> Export:
    return get_object_or_404(Export.objects.for_workspace(workspace_of(request)), pk=export_id)


@router.get("/exports/{export_id}/download", response={200: None, **ERRORS_404},
            openapi_extra={"responses": {200: {"description": "The file (CSV or XLSX)"}}})
def export_download(request: HttpRequest, export_id: Id) -> FileResponse:
    workspace = workspace_of(request)
    export = get_object_or_404(Export.objects.for_workspace(workspace), pk=export_id)
    path = exports.path_of(export)
    if export.state != ExportState.DONE or not export.file_name or not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True,
                        filename=f"{exports.filename(workspace)}.{export.format}")


class CorrectionIn(Schema):
    polarity: Literal["negative", "neutral", "positive", ""] = ""
    themes: list[str] | None = None


@router.post("/{feedback_id}/corrections", response={201: FeedbackOut, **ERRORS_404})
def correct_feedback(request: HttpRequest, feedback_id: Id,
                     body: CorrectionIn) -> Status[Feedback]:
    """Correct the sentiment and/or themes text analysis found; kept for retraining."""
    feedback = get_object_or_404(Feedback.objects.for_workspace(workspace_of(request)),
                                 pk=feedback_id)
    loop.correct_feedback(feedback=feedback, user=None, polarity=body.polarity, themes=body.themes)
    feedback.refresh_from_db()
    return Status(201, feedback)


@router.get("/{feedback_id}", response={200: FeedbackOut, **ERRORS_404})
def detail(request: HttpRequest, feedback_id: Id) -> Feedback:
    return get_object_or_404(Feedback.objects.for_workspace(workspace_of(request)), pk=feedback_id)
