"""One channel-neutral alert message, built once, rendered by each transport."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kliento.alerts.models import Alert, Delivery
from kliento.core.urls_util import absolute_url
from kliento.recovery.models import CaseOutcome

# Case notices sent because of the customer's follow-up answer.
ANSWER_NOTICES = {"case.reopened", "case.escalated"}


@dataclass(frozen=True)
class AlertMessage:
    event: str                  # alert.created | alert.escalated | test | case.* | promise.*
    delivery_id: str
    alert_id: int | None
    workspace: str
    language: str               # the workspace's default; e-mail renders per recipient
    customer: str
    customer_vip: bool
    score: str                  # "2/5", "👎", or ""
    polarity: str
    channel: str
    text: str
    agent: str
    team: str
    team_id: int | None
    rule: str
    level: int
    created_at: datetime
    feedback_url: str
    customer_url: str
    acknowledge_url: str        # for a case notice: the case's page
    case_id: int | None = None
    case_number: int | None = None
    due_at: datetime | None = None
    time_zone: str = "UTC"
    promise: str = ""

    @property
    def is_case_notice(self) -> bool:
        return self.case_id is not None

    @property
    def short_text(self) -> str:
        return self.text if len(self.text) <= 500 else self.text[:497] + "…"


def build_message(delivery: Delivery) -> AlertMessage:
    alert: Alert | None = delivery.alert
    ws = delivery.workspace
    if delivery.case is not None:
        return _case_notice(delivery)
    if alert is None:  # a test delivery from the channel page
        return AlertMessage(
            event="test", delivery_id=str(delivery.uuid), alert_id=None, workspace=ws.name,
            language=ws.default_language, customer="Kliento", customer_vip=False, score="",
            polarity="", channel="", text="", agent="", team="", team_id=None, rule="", level=0,
            created_at=delivery.created_at, feedback_url=absolute_url("alert_list"),
            customer_url=absolute_url("alert_list"), acknowledge_url=absolute_url("alert_list"))
    feedback = alert.feedback
    customer = alert.customer
    customer_url = absolute_url("customer_detail", customer.pk)
    return AlertMessage(
        event=delivery.event, delivery_id=str(delivery.uuid), alert_id=alert.pk,
        workspace=ws.name, language=ws.default_language, customer=str(customer),
        customer_vip=customer.vip, score=feedback.score_label,
        polarity=feedback.polarity, channel=feedback.get_channel_display(),
        text=feedback.text, agent=str(feedback.agent or ""), team=str(feedback.team or ""),
        team_id=feedback.team_id,
        rule=alert.rule.name if alert.rule else "", level=delivery.escalation_level,
        created_at=alert.created_at, feedback_url=f"{customer_url}#feedback-{feedback.pk}",
        customer_url=customer_url,
        acknowledge_url=absolute_url("alert_acknowledge_link", alert.ack_key),
    )


def _case_notice(delivery: Delivery) -> AlertMessage:
    """A recovery case near or past its deadline, or a promise to its customer overdue."""
    case = delivery.case
    assert case is not None
    ws = delivery.workspace
    feedback = case.feedback
    if delivery.event in ANSWER_NOTICES:
        # Reopened or escalated because of a follow-up answer: that answer is the news, not
        # the voice that opened the case weeks ago.
        latest = (CaseOutcome.objects.filter(case=case, feedback__isnull=False)
                  .select_related("feedback").order_by("-attempt").first())
        if latest is not None and latest.feedback is not None:
            feedback = latest.feedback
    promise = delivery.promise
    due: datetime | None
    if promise is not None:
        due = promise.due_at
    elif case.first_contact_at is None and case.first_contact_due and (
            case.resolution_due is None or case.first_contact_due <= case.resolution_due):
        due = case.first_contact_due
    else:
        due = case.resolution_due
    case_url = absolute_url("case_detail", case.pk)
    return AlertMessage(
        event=delivery.event, delivery_id=str(delivery.uuid), alert_id=None, workspace=ws.name,
        language=ws.default_language, customer=str(case.customer),
        customer_vip=case.customer.vip, score=feedback.score_label, polarity=feedback.polarity,
        channel=feedback.get_channel_display(), text=feedback.text,
        agent=str(case.owner or ""), team=str(case.team or ""), team_id=case.team_id, rule="",
        level=0, created_at=delivery.created_at, feedback_url=case_url,
        customer_url=absolute_url("customer_detail", case.customer_id),
        acknowledge_url=case_url, case_id=case.pk, case_number=case.number, due_at=due,
        time_zone=ws.time_zone, promise=promise.description if promise else "")
