"""One channel-neutral alert message, built once, rendered by each transport."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kliento.alerts.models import Alert, Delivery
from kliento.core.urls_util import absolute_url


@dataclass(frozen=True)
class AlertMessage:
    event: str                  # alert.created | alert.escalated | test
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
    acknowledge_url: str

    @property
    def short_text(self) -> str:
        return self.text if len(self.text) <= 500 else self.text[:497] + "…"


def build_message(delivery: Delivery) -> AlertMessage:
    alert: Alert | None = delivery.alert
    ws = delivery.workspace
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


