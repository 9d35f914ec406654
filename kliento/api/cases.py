from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from kliento import loop
from kliento.api.base import ERRORS, ERRORS_404, Datetime, Id, Page, workspace_of
from kliento.core.models import Membership, Team, User, Workspace
from kliento.feedback.models import Feedback
from kliento.recovery import services
from kliento.recovery.models import OPEN_STATUSES, Case, CaseStep
from kliento.recovery.report import recovery_report

router = Router(tags=["cases"])
COMPENSATION = Case._meta.get_field("compensation_value")
PriorityName = Literal["low", "normal", "high", "urgent"]


class SlaOut(Schema):
    first_contact_due: datetime | None
    resolution_due: datetime | None
    first_contact_breached: bool
    resolution_breached: bool
    paused: bool


class StepOut(Schema):
    id: int
    position: int
    key: str
    title: str
    optional: bool
    due_at: datetime | None
    state: str
    done_by_id: int | None
    done_at: datetime | None
    note: str


class PromiseOut(Schema):
    id: int
    case_id: int
    description: str
    due_at: datetime
    state: str
    owner_id: int | None
    created_at: datetime
    closed_at: datetime | None


class OutcomeOut(Schema):
    attempt: int = Field(..., description="1 for the first resolution, 2 after the first "
                                          "reopening, …")
    outcome: str = Field(..., description="recovered, not_recovered or no_answer")
    answered_at: datetime | None
    feedback_id: int | None


class CaseOut(Schema):
    id: int
    number: int
    customer_id: int
    feedback_id: Id
    voice_ids: list[int]
    team_id: int | None
    owner_id: int | None
    priority: str
    status: str
    compensation_kind: str
    compensation_value: Decimal | None
    root_cause: str | None
    prevention: str
    outcome: str
    opened_at: datetime
    first_contact_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    follow_up_at: datetime | None
    reopened_count: int = Field(..., description="How often an unhappy follow-up reopened "
                                                 "the case.")
    reopened_at: datetime | None
    escalated_at: datetime | None
    root_cause_in_doubt: bool = Field(..., description="Reopened after its root cause was "
                                                       "found: closing needs "
                                                       "root_cause_confirmed or a new one.")
    outcomes: list[OutcomeOut]
    sla: SlaOut
    steps: list[StepOut]
    promises: list[PromiseOut]

    @staticmethod
    def resolve_voice_ids(obj: Case) -> list[int]:
        return [f.pk for f in obj.voices.all()]

    @staticmethod
    def resolve_root_cause(obj: Case) -> str | None:
        return obj.root_cause.key if obj.root_cause else None

    @staticmethod
    def resolve_sla(obj: Case) -> dict[str, Any]:
        return {"first_contact_due": obj.first_contact_due,
                "resolution_due": obj.resolution_due,
                "first_contact_breached": obj.first_contact_breached,
                "resolution_breached": obj.resolution_breached,
                "paused": obj.status == "waiting_on_customer"}

    @staticmethod
    def resolve_steps(obj: Case) -> list[Any]:
        return list(obj.steps.all())

    @staticmethod
    def resolve_promises(obj: Case) -> list[Any]:
        return list(obj.promises.all())

    @staticmethod
    def resolve_outcomes(obj: Case) -> list[Any]:
        return list(obj.outcomes.all())


def _cases(request: HttpRequest) -> QuerySet[Case]:
    return (Case.objects.for_workspace(workspace_of(request))
            .select_related("root_cause")
            .prefetch_related("voices", "steps", "promises", "outcomes"))


def _case(request: HttpRequest, case_id: int) -> Case:
    return get_object_or_404(_cases(request), pk=case_id)


def _member(workspace: Workspace, email: str, field: str) -> User:
    member = (Membership.objects.for_workspace(workspace)
              .filter(user__email=email.strip().lower()).select_related("user").first())
    if member is None:
        raise ValidationError({field: "No member of this workspace has that e-mail."})
    return member.user


class CaseIn(Schema):
    feedback_id: int
    owner_email: str = ""
    priority: PriorityName | None = None


@router.post("", response={201: CaseOut, **ERRORS_404})
def create(request: HttpRequest, body: CaseIn) -> Status[Case]:
    """Open a case for a feedback; a customer with an open case has it joined there."""
    ws = workspace_of(request)
    feedback = get_object_or_404(Feedback.objects.for_workspace(ws), pk=body.feedback_id)
    owner = _member(ws, body.owner_email, "owner_email") if body.owner_email else None
    case = loop.open_case_by_hand(feedback=feedback, owner=owner)
    if body.priority:
        services.update_case(case=case, changes=services.CaseChanges(priority=body.priority))
    return Status(201, _cases(request).get(pk=case.pk))


class CaseQuery(Schema):
    state: Literal["new", "in_progress", "waiting_on_customer", "resolved", "closed",
                   "open"] | None = None
    owner: str = ""
    overdue: bool | None = None


@router.get("", response={200: list[CaseOut], **ERRORS})
@paginate(Page)
def list_cases(request: HttpRequest, filters: Query[CaseQuery]) -> QuerySet[Case]:
    qs = _cases(request)
    if filters.state == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif filters.state:
        qs = qs.filter(status=filters.state)
    if filters.owner:
        qs = qs.filter(owner__email=filters.owner.strip().lower())
    if filters.overdue is not None:
        now = timezone.now()
        late = Q(status__in=OPEN_STATUSES) & (
            Q(resolution_due__lte=now) | Q(first_contact_due__lte=now) |
            Q(resolution_breached=True) | Q(first_contact_breached=True))
        qs = qs.filter(late) if filters.overdue else qs.exclude(late)
    return qs.order_by("resolution_due", "opened_at")


class PromiseFiguresOut(Schema):
    made: int
    kept: int
    kept_on_time: int
    broken: int
    open: int
    overdue: int
    kept_rate: float | None = Field(..., description="Per cent kept of those settled.")


class OwnerPromisesOut(PromiseFiguresOut):
    owner_id: int | None
    owner: str


class RecoveriesOut(Schema):
    id: int | None
    name: str
    opened: int
    reopened: int
    escalated: int
    recovered_first_attempt: int
    recovered_after_reopening: int


class ReportOut(Schema):
    since: datetime
    until: datetime
    promises: PromiseFiguresOut
    promises_by_owner: list[OwnerPromisesOut] = Field(..., alias="by_owner")
    opened: int
    resolved: int
    first_contact_rate: float | None
    resolution_rate: float | None
    recovered: int
    not_recovered: int
    no_answer: int
    recovery_rate: float | None
    reopened: int = Field(..., description="Cases an unhappy follow-up reopened.")
    escalated: int
    recovered_first_attempt: int
    recovered_after_reopening: int
    recoveries_by_team: list[RecoveriesOut]
    recoveries_by_owner: list[RecoveriesOut]
    root_causes: list[tuple[str, int]]


class ReportQuery(Schema):
    days: int = Field(30, ge=1, le=3660)


@router.get("/report", response={200: ReportOut, **ERRORS})
def report(request: HttpRequest, filters: Query[ReportQuery]) -> Any:
    """Promises made and cases opened in the last `days`: kept/broken promises (overall and
    per owner), service levels met, customers won back (at the first attempt or after a
    reopening, overall, per team and per owner), root causes."""
    now = timezone.now()
    return recovery_report(workspace_of(request), now - timedelta(days=filters.days), now)


@router.get("/{case_id}", response={200: CaseOut, **ERRORS_404})
def detail(request: HttpRequest, case_id: Id) -> Case:
    return _case(request, case_id)


class CasePatch(Schema):
    owner_email: str | None = None
    team: str | None = None
    priority: PriorityName | None = None
    status: Literal["new", "in_progress", "waiting_on_customer"] | None = None
    compensation_kind: str | None = Field(None, max_length=100)
    compensation_value: Decimal | None = Field(
        None, max_digits=COMPENSATION.max_digits, decimal_places=COMPENSATION.decimal_places)
    root_cause: str | None = None
    prevention: str | None = Field(None, max_length=5000)


@router.patch("/{case_id}", response={200: CaseOut, **ERRORS_404})
def patch(request: HttpRequest, case_id: Id, body: CasePatch) -> Case:
    case = _case(request, case_id)
    ws = case.workspace
    changes = services.CaseChanges(
        owner=_member(ws, body.owner_email, "owner_email") if body.owner_email else None,
        priority=body.priority, status=body.status, compensation_kind=body.compensation_kind,
        compensation_value=body.compensation_value, root_cause_key=body.root_cause,
        prevention=body.prevention)
    if body.team:
        changes.team = Team.objects.for_workspace(ws).filter(name__iexact=body.team).first()
        if changes.team is None:
            raise ValidationError({"team": "No team of this workspace has that name."})
    services.update_case(case=case, changes=changes)
    return _cases(request).get(pk=case.pk)


class StepIn(Schema):
    note: str = Field("", max_length=5000)
    skip: bool = False
    by_email: str = ""


@router.post("/{case_id}/steps/{step_id}/complete", response={200: CaseOut, **ERRORS_404})
def complete_step(request: HttpRequest, case_id: Id, step_id: Id, body: StepIn) -> Case:
    case = _case(request, case_id)
    step = get_object_or_404(CaseStep.objects.filter(case=case), pk=step_id)
    user = _member(case.workspace, body.by_email, "by_email") if body.by_email else None
    services.complete_step(case=case, step=step, user=user, note=body.note, skip=body.skip)
    return _cases(request).get(pk=case.pk)


class PromiseIn(Schema):
    description: str = Field(..., min_length=1, max_length=300)
    due_at: Datetime
    owner_email: str = ""


@router.post("/{case_id}/promises", response={201: PromiseOut, **ERRORS_404})
def promise(request: HttpRequest, case_id: Id, body: PromiseIn) -> Status[Any]:
    case = _case(request, case_id)
    owner = _member(case.workspace, body.owner_email, "owner_email") if body.owner_email \
        else None
    return Status(201, services.add_promise(case=case, owner=owner,
                                            description=body.description, due_at=body.due_at))


class SettleIn(Schema):
    state: Literal["kept", "broken"]


@router.post("/{case_id}/promises/{promise_id}", response={200: PromiseOut, **ERRORS_404})
def settle_promise(request: HttpRequest, case_id: Id, promise_id: Id, body: SettleIn) -> Any:
    """Record whether a promise was kept or broken (once)."""
    case = _case(request, case_id)
    promise = get_object_or_404(case.promises.all(), pk=promise_id)
    return services.settle_promise(promise=promise, kept=body.state == "kept")


class ReplyIn(Schema):
    template: str = ""
    subject: str = Field("", max_length=300)
    body: str = Field("", max_length=20_000)
    language: Literal["en", "lv", "pl", "sr", "sr-latn", "et", "hu", ""] = ""
    by_email: str = ""


class ReplyOut(Schema):
    id: int
    conversation_id: int
    body: str
    message_id: str

    @staticmethod
    def resolve_message_id(obj: Any) -> str:
        return str(obj.external_id)


@router.post("/{case_id}/replies", response={201: ReplyOut, **ERRORS_404})
def reply(request: HttpRequest, case_id: Id, body: ReplyIn) -> Status[Any]:
    """E-mail the customer (from a template in their language, or your own words)."""
    case = _case(request, case_id)
    agent = _member(case.workspace, body.by_email, "by_email") if body.by_email else None
    message = loop.reply_to_case(case=case, agent=agent, template_key=body.template,
                                 subject=body.subject, body=body.body, language=body.language)
    return Status(201, message)


class ResolveIn(Schema):
    follow_up_after_days: float = Field(3, ge=0, le=60)


@router.post("/{case_id}/resolve", response={200: CaseOut, **ERRORS_404})
def resolve(request: HttpRequest, case_id: Id, body: ResolveIn) -> Case:
    from datetime import timedelta

    case = _case(request, case_id)
    services.resolve(case=case, user=None,
                     follow_up_after=timedelta(days=body.follow_up_after_days))
    return _cases(request).get(pk=case.pk)


class CloseIn(Schema):
    root_cause: str = ""
    root_cause_confirmed: bool = Field(False, description="A reopened case keeps its root "
                                                          "cause only when this says it "
                                                          "still holds.")
    prevention: str | None = Field(None, max_length=5000)


@router.post("/{case_id}/close", response={200: CaseOut, **ERRORS_404})
def close(request: HttpRequest, case_id: Id, body: CloseIn) -> Case:
    case = _case(request, case_id)
    services.close(case=case, root_cause_key=body.root_cause, prevention=body.prevention,
                   root_cause_confirmed=body.root_cause_confirmed)
    return _cases(request).get(pk=case.pk)
