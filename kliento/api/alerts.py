from datetime import datetime
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from kliento.alerts import services
from kliento.alerts.models import Alert, AlertChannel, AlertRule, Delivery
from kliento.api.base import ERRORS, ERRORS_404, Id, Page, workspace_of

router = Router(tags=["alerts"])


class ChannelIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    kind: Literal["email", "slack", "teams", "webhook"]
    target: str = Field("", max_length=1000)
    audience: Literal["addresses", "team", "team_manager", "managers"] = "addresses"
    secret: str = Field("", max_length=100)


class ChannelOut(Schema):
    id: int
    name: str
    kind: str
    target: str
    audience: str
    is_active: bool
    disabled_reason: str
    created_at: datetime


class ChannelCreatedOut(ChannelOut):
    secret: str = Field(..., description="Shown once: signs webhook bodies.")


class RuleIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    conditions: dict[str, Any] = Field(default_factory=dict)
    channel_ids: list[Id] = Field(default_factory=list)
    escalation_policy_id: Id | None = None
    group_minutes: int = 0
    open_case: bool = False
    is_active: bool = True
    playbook_id: Id | None = Field(None, description="The playbook of cases this rule "
                                    "opens; empty: the team's, else the default.")
    case_priority: Literal["low", "normal", "high", "urgent"] = "normal"


class RuleOut(Schema):
    id: int
    name: str
    conditions: dict[str, Any]
    channel_ids: list[int]
    escalation_policy_id: int | None
    group_minutes: int
    open_case: bool
    is_active: bool
    playbook_id: int | None
    case_priority: str

    @staticmethod
    def resolve_channel_ids(obj: AlertRule) -> list[int]:
        return [c.pk for c in obj.channels.all()]


class AlertOut(Schema):
    id: int
    state: str
    rule_id: int | None
    feedback_id: int
    customer_id: int
    level: int
    created_at: datetime
    escalate_at: datetime | None
    acknowledged_at: datetime | None
    acknowledged_by_id: int | None
    seconds_to_acknowledge: float | None
    repeat_feedback_ids: list[int]

    @staticmethod
    def resolve_repeat_feedback_ids(obj: Alert) -> list[int]:
        return [f.pk for f in obj.repeats.all()]


class DeliveryOut(Schema):
    id: int
    uuid: str
    alert_id: int | None
    case_id: int | None = Field(None, description="For notices about a recovery case.")
    channel_id: int
    event: str
    escalation_level: int
    state: str
    attempts: int
    next_attempt_at: datetime
    last_status: int | None
    last_error: str
    created_at: datetime
    sent_at: datetime | None

    @staticmethod
    def resolve_uuid(obj: Delivery) -> str:
        return str(obj.uuid)


@router.post("/alert-channels", response={201: ChannelCreatedOut, **ERRORS})
def create_channel(request: HttpRequest, body: ChannelIn) -> Status[AlertChannel]:
    channel = services.create_channel(workspace=workspace_of(request), actor=None, **body.dict())
    return Status(201, channel)


@router.get("/alert-channels", response={200: list[ChannelOut], **ERRORS})
@paginate(Page)
def list_channels(request: HttpRequest) -> QuerySet[AlertChannel]:
    return AlertChannel.objects.for_workspace(workspace_of(request)).order_by("pk")


@router.post("/alert-rules", response={201: RuleOut, **ERRORS})
def create_rule(request: HttpRequest, body: RuleIn) -> Status[AlertRule]:
    rule = services.save_rule(workspace=workspace_of(request), actor=None,
                              data=services.RuleInput(**body.dict()))
    return Status(201, rule)


@router.get("/alert-rules", response={200: list[RuleOut], **ERRORS})
@paginate(Page)
def list_rules(request: HttpRequest) -> QuerySet[AlertRule]:
    return (AlertRule.objects.for_workspace(workspace_of(request))
            .prefetch_related("channels").order_by("pk"))


class AlertQuery(Schema):
    state: Literal["open", "acknowledged"] | None = None


@router.get("/alerts", response={200: list[AlertOut], **ERRORS})
@paginate(Page)
def list_alerts(request: HttpRequest, filters: Query[AlertQuery]) -> QuerySet[Alert]:
    qs = Alert.objects.for_workspace(workspace_of(request)).prefetch_related("repeats")
    if filters.state:
        qs = qs.filter(state=filters.state)
    return qs.order_by("created_at", "pk")


@router.post("/alerts/{alert_id}/acknowledge", response={200: AlertOut, **ERRORS_404})
def acknowledge(request: HttpRequest, alert_id: Id) -> Alert:
    """Acknowledge by API (e.g. from a helpdesk); repeating it changes nothing."""
    alert = get_object_or_404(Alert.objects.for_workspace(workspace_of(request)), pk=alert_id)
    services.acknowledge(alert=alert, user=None)
    return alert


class DeliveryQuery(Schema):
    state: Literal["pending", "sending", "sent", "retrying", "failed"] | None = None


@router.get("/deliveries", response={200: list[DeliveryOut], **ERRORS})
@paginate(Page)
def list_deliveries(request: HttpRequest, filters: Query[DeliveryQuery]) -> QuerySet[Delivery]:
    qs = Delivery.objects.for_workspace(workspace_of(request))
    if filters.state:
        qs = qs.filter(state=filters.state)
    return qs.order_by("-created_at", "-pk")


@router.post("/deliveries/{delivery_id}/resend", response={200: DeliveryOut, **ERRORS_404})
def resend(request: HttpRequest, delivery_id: Id) -> Delivery:
    delivery = get_object_or_404(Delivery.objects.for_workspace(workspace_of(request)),
                                 pk=delivery_id)
    return services.resend(delivery=delivery)
