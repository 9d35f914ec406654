from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Collection
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kliento.alerts.message import AlertMessage
from kliento.alerts.models import AlertChannel
from kliento.core import http


class TransportError(Exception):
    """Sending failed. `permanent`: retrying cannot help (4xx, bad target); `gone`: the
    receiver answered 410 and the channel must be switched off."""

    def __init__(self, message: str, *, permanent: bool, status: int | None = None,
                 retry_after: float | None = None, gone: bool = False,
                 response: str = "") -> None:
        super().__init__(message)
        self.permanent = permanent
        self.status = status
        self.retry_after = retry_after
        self.gone = gone
        self.response = response


@dataclass
class Outcome:
    status: int | None
    response: str


def retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, (parsedate_to_datetime(value) - timezone.now()).total_seconds())
    except (TypeError, ValueError):
        return None


class Transport(ABC):
    def __init__(self, channel: AlertChannel, *, reached: Collection[str] = (),
                 on_reached: Callable[[str], None] | None = None) -> None:
        """`reached`: recipients an earlier attempt of the same delivery already reached;
        `on_reached` is told of each new one at once (transports with several recipients)."""
        self.channel = channel
        self.reached = set(reached)
        self.on_reached = on_reached or (lambda address: None)

    @abstractmethod
    def send(self, message: AlertMessage) -> Outcome:
        """Deliver one message; raise TransportError when it did not arrive."""

    @staticmethod
    def title(message: AlertMessage) -> str:
        with translation.override(message.language):
            if message.event == "test":
                return _("Test alert from Kliento (%(workspace)s)") % {
                    "workspace": message.workspace}
            values = {"number": message.case_number, "customer": message.customer}
            if message.event == "case.sla_warning":
                return _("Case #%(number)s (%(customer)s) is close to its deadline") % values
            if message.event == "case.sla_breached":
                return _("Case #%(number)s (%(customer)s) missed its deadline") % values
            if message.event == "case.reopened":
                return _("Case #%(number)s (%(customer)s) is reopened: the customer is still "
                         "unhappy") % values
            if message.event == "case.escalated":
                return _("Case #%(number)s (%(customer)s) is escalated: still unhappy after "
                         "reopening") % values
            if message.event == "promise.overdue":
                return _("A promise to %(customer)s is overdue") % values
            if message.event == "promise.escalated":
                return _("A promise to %(customer)s is still not kept") % values
            if message.event == "alert.escalated":
                return _("Escalated (level %(level)s): %(customer)s is unhappy") % {
                    "level": message.level, "customer": message.customer}
            return _("%(customer)s is unhappy") % {"customer": message.customer}

    @staticmethod
    def action_label(message: AlertMessage) -> str:
        """The main button: acknowledge an alert, or open the case a notice is about."""
        with translation.override(message.language):
            return _("Open case") if message.is_case_notice else _("Acknowledge")

    @staticmethod
    def facts(message: AlertMessage) -> list[tuple[str, str]]:
        """(label, value) lines every transport shows, in the message's language."""
        m = message
        with translation.override(m.language):
            facts = [(_("Customer"), m.customer + (" (VIP)" if m.customer_vip else ""))]
            if m.case_number is not None:
                facts.append((_("Case"), f"#{m.case_number}"))
            if m.promise:
                facts.append((_("Promise"), m.promise))
            if m.due_at is not None:
                with timezone.override(m.time_zone):
                    facts.append((_("Due"), date_format(timezone.localtime(m.due_at),
                                                        "SHORT_DATETIME_FORMAT")))
            if m.score:
                facts.append((_("Score"), m.score))
            if m.channel:
                facts.append((_("Channel"), m.channel))
            if m.agent:
                facts.append((_("Owner") if m.is_case_notice else _("Agent"), m.agent))
        return facts

    def post_json(self, url: str, payload: Any, headers: dict[str, str] | None = None,
                  body: bytes | None = None) -> Outcome:
        data = body if body is not None else json.dumps(payload, ensure_ascii=False).encode()
        try:
            response = http.post(url, data, {"Content-Type": "application/json",
                                             **(headers or {})})
        except http.HttpError as exc:
            raise TransportError(str(exc), permanent=not exc.transient) from None
        excerpt = response.text[:500]
        if 200 <= response.status < 300:
            return Outcome(response.status, excerpt)
        transient = response.status in (408, 429) or response.status >= 500
        raise TransportError(
            f"HTTP {response.status}", permanent=not transient, status=response.status,
            retry_after=retry_after_seconds(response.headers.get("retry-after")),
            gone=response.status == 410, response=excerpt)
