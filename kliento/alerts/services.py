"""Use cases of the alerts domain: channels, rules, raising alerts, the delivery outbox,
acknowledging and escalating."""

from __future__ import annotations

import logging
import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks.base import Task

from kliento.alerts.matching import clean_conditions, facts_of, matches
from kliento.alerts.message import build_message
from kliento.alerts.models import (
    Alert,
    AlertChannel,
    AlertRule,
    AlertState,
    Audience,
    ChannelKind,
    Delivery,
    DeliveryState,
    Escalation,
    EscalationLevel,
    EscalationPolicy,
)
from kliento.alerts.transports import REGISTRY, TransportError
from kliento.core import http
from kliento.core.calendar import CalendarError
from kliento.core.mail import queue_email
from kliento.core.models import Membership, Priority, Role, Team, User, Workspace
from kliento.core.services import require_role, workspace_calendar
from kliento.core.tasks import enqueue_on_commit, urgent
from kliento.feedback.models import Feedback
from kliento.recovery.models import Case, Playbook, Promise

log = logging.getLogger(__name__)

# About ten attempts over a day: 30 s, 2 min, 5 min, 15 min, 30 min, 1 h, 2 h, 4 h, 6 h, 9 h.
# Older voices (imports, history typed in late) are recorded without paging anybody.
ALERT_MAX_AGE = timedelta(days=3)
RETRY_DELAYS = [30, 120, 300, 900, 1800, 3600, 7200, 14400, 21600, 32400]


# -- channels --------------------------------------------------------------------------


def _check_target(kind: str, audience: str, target: str) -> str:
    target = target.strip()
    if kind == ChannelKind.EMAIL:
        if audience not in Audience.values:
            raise ValidationError({"audience": _("Unknown recipients.")})
        if audience == Audience.ADDRESSES:
            addresses = [a.strip().lower() for a in target.split(",") if a.strip()]
            if not addresses:
                raise ValidationError({"target": _("Give at least one e-mail address.")})
            for a in addresses:
                try:
                    validate_email(a)
                except ValidationError:
                    raise ValidationError({"target": _("“%(value)s” is not a valid e-mail "
                                                       "address.") % {"value": a[:80]}}) from None
            return ", ".join(addresses)
        return ""
    try:
        URLValidator(schemes=["https", "http"])(target)
    except ValidationError:
        raise ValidationError({"target": _("Give the webhook's full URL (https://…).")}) from None
    # A host written as an address is judged now; a name is judged when it is resolved, at
    # every send (no DNS lookups inside a request).
    address = http.literal_address(urlsplit(target).hostname or "")
    if address and not settings.ALLOW_PRIVATE_TARGETS and not http.is_public(address):
        raise ValidationError({"target": _(
            "%(address)s is a private, local or reserved address; Kliento sends only to "
            "public addresses.") % {"address": address}})
    return target


def create_channel(
    *, workspace: Workspace, actor: Membership | None, name: str, kind: str, target: str = "",
    audience: str = Audience.ADDRESSES, secret: str = "",
) -> AlertChannel:
    if actor is not None:
        require_role(actor, Role.MANAGER)
    if kind not in ChannelKind.values:
        raise ValidationError({"kind": _("Unknown kind “%(value)s”.") % {"value": kind[:20]}})
    if not name.strip():
        raise ValidationError({"name": _("A channel needs a name.")})
    channel = AlertChannel(workspace=workspace, name=name.strip()[:100], kind=kind,
                           audience=audience if kind == ChannelKind.EMAIL else Audience.ADDRESSES,
                           target=_check_target(kind, audience, target))
    if secret:
        if len(secret) < 16:
            raise ValidationError({"secret": _("A secret has at least 16 characters.")})
        channel.secret = secret
    channel.save()
    return channel


def set_channel_active(*, channel: AlertChannel, actor: Membership, active: bool) -> None:
    require_role(actor, Role.MANAGER)
    channel.is_active = active
    channel.disabled_reason = "" if active else channel.disabled_reason
    channel.save(update_fields=["is_active", "disabled_reason"])


def send_test(*, channel: AlertChannel) -> Delivery:
    """A test message to one channel; its delivery shows the receiver's answer."""
    delivery = Delivery.objects.create(workspace=channel.workspace, channel=channel,
                                       event="test")
    enqueue_on_commit(_send_task(), delivery.pk)
    return delivery


def _send_task() -> Task[[int], None]:
    # Imported late: tasks.py imports this module.
    from kliento.alerts.tasks import send_delivery

    return urgent(send_delivery)


# -- rules and policies ------------------------------------------------------------------


@dataclass
class RuleInput:
    name: str
    conditions: dict[str, Any]
    channel_ids: list[int]
    escalation_policy_id: int | None = None
    group_minutes: int = 0
    open_case: bool = False
    is_active: bool = True
    playbook_id: int | None = None
    case_priority: str = "normal"


def save_rule(*, workspace: Workspace, actor: Membership | None, data: RuleInput,
              rule: AlertRule | None = None) -> AlertRule:
    if actor is not None:
        require_role(actor, Role.MANAGER)
    if not data.name.strip():
        raise ValidationError({"name": _("A rule needs a name.")})
    conditions = clean_conditions(data.conditions)
    channels = list(AlertChannel.objects.for_workspace(workspace).filter(pk__in=data.channel_ids))
    if len(channels) != len(set(data.channel_ids)):
        raise ValidationError({"channel_ids": _("Unknown channel.")})
    policy = None
    if data.escalation_policy_id:
        policy = EscalationPolicy.objects.for_workspace(workspace).filter(
            pk=data.escalation_policy_id).first()
        if policy is None:
            raise ValidationError({"escalation_policy_id": _("Unknown escalation policy.")})
    playbook = None
    if data.playbook_id:
        playbook = Playbook.objects.for_workspace(workspace).filter(pk=data.playbook_id).first()
        if playbook is None:
            raise ValidationError({"playbook_id": _("Unknown playbook.")})
    if data.case_priority not in Priority.values:
        raise ValidationError({"case_priority": _("Unknown priority.")})
    if not 0 <= data.group_minutes <= 7 * 24 * 60:
        raise ValidationError({"group_minutes": _("Between 0 and 10080 minutes.")})
    with transaction.atomic():
        rule = rule or AlertRule(workspace=workspace)
        rule.name = data.name.strip()[:100]
        rule.conditions = conditions
        rule.escalation_policy = policy
        rule.group_minutes = data.group_minutes
        rule.open_case = data.open_case
        rule.playbook = playbook
        rule.case_priority = data.case_priority
        rule.is_active = data.is_active
        rule.save()
        rule.channels.set(channels)
    return rule


def save_policy(*, workspace: Workspace, actor: Membership | None, name: str,
                levels: list[tuple[int, list[int]]], business_hours: bool = False,
                policy: EscalationPolicy | None = None) -> EscalationPolicy:
    """A policy from (delay in minutes, channel ids) per level, in order."""
    if actor is not None:
        require_role(actor, Role.MANAGER)
    if not name.strip():
        raise ValidationError({"name": _("A policy needs a name.")})
    if not levels:
        raise ValidationError({"levels": _("Give at least one level.")})
    with transaction.atomic():
        policy = policy or EscalationPolicy(workspace=workspace)
        policy.name = name.strip()[:100]
        policy.business_hours = business_hours
        policy.save()
        policy.levels.all().delete()
        for position, (delay, channel_ids) in enumerate(levels, start=1):
            if not 1 <= delay <= 30 * 24 * 60:
                raise ValidationError({"levels": _("Each delay is 1 to 43200 minutes.")})
            channels = list(AlertChannel.objects.for_workspace(workspace)
                            .filter(pk__in=channel_ids))
            if not channels or len(channels) != len(set(channel_ids)):
                raise ValidationError({"levels": _("Each level needs known channels.")})
            level = EscalationLevel.objects.create(policy=policy, position=position,
                                                   delay_minutes=delay)
            level.channels.set(channels)
    return policy


def ensure_default_rule(workspace: Workspace) -> AlertRule | None:
    """A new workspace hears of every unhappy customer: negative feedback → the team by
    e-mail, escalating to the managers after an hour without acknowledgement."""
    if AlertRule.objects.for_workspace(workspace).exists():
        return None
    team = AlertChannel.objects.create(workspace=workspace, name=_("The team by e-mail"),
                                       kind=ChannelKind.EMAIL, audience=Audience.TEAM)
    managers = AlertChannel.objects.create(workspace=workspace, name=_("Managers by e-mail"),
                                           kind=ChannelKind.EMAIL, audience=Audience.MANAGERS)
    policy = save_policy(workspace=workspace, actor=None, name=_("Managers after an hour"),
                         levels=[(60, [managers.pk])])
    return save_rule(workspace=workspace, actor=None, data=RuleInput(
        name=_("Any negative feedback"), conditions={"polarity": ["negative"]},
        channel_ids=[team.pk], escalation_policy_id=policy.pk, group_minutes=60))


def would_have_matched(rule_conditions: dict[str, Any], workspace: Workspace,
                       days: int = 30, limit: int = 5000) -> tuple[int, int, list[Feedback]]:
    """(matched, looked at, the newest matches) over the last `days` of feedback."""
    conditions = clean_conditions(rule_conditions)
    since = timezone.now() - timedelta(days=days)
    recent = list(Feedback.objects.for_workspace(workspace).filter(received_at__gte=since)
                  .select_related("customer", "agent", "team")
                  .prefetch_related("customer__tags").order_by("-received_at")[:limit])
    found = [f for f in recent
             if matches(conditions, facts_of(f, {t.name for t in f.customer.tags.all()}))]
    return len(found), len(recent), found[:20]


# -- raising alerts ----------------------------------------------------------------------


def raise_alerts(feedback: Feedback, *, now: datetime | None = None) -> list[Alert]:
    """Evaluate every active rule against a new feedback; alert (or group) and notify."""
    now = now or timezone.now()
    if feedback.occurred_at < now - ALERT_MAX_AGE:
        return []
    ws = feedback.workspace
    rules = list(AlertRule.objects.for_workspace(ws).filter(is_active=True)
                 .select_related("escalation_policy").prefetch_related("channels"))
    if not rules:
        return []
    facts = facts_of(feedback, set(feedback.customer.tags.values_list("name", flat=True)))
    raised = []
    already = set(Alert.objects.filter(Q(feedback=feedback) | Q(repeats=feedback))
                  .values_list("rule_id", flat=True))
    for rule in rules:
        if rule.pk in already or not matches(rule.conditions, facts):
            continue  # processing runs again after a comment: never alert twice
        with transaction.atomic():
            if rule.group_minutes:
                recent = (Alert.objects.for_workspace(ws).select_for_update()
                          .filter(rule=rule, customer=feedback.customer,
                                  created_at__gte=now - timedelta(minutes=rule.group_minutes))
                          .order_by("-created_at").first())
                if recent is not None:
                    recent.repeats.add(feedback)
                    raised.append(recent)
                    continue
            alert = Alert.objects.create(
                workspace=ws, rule=rule, feedback=feedback, customer=feedback.customer,
                created_at=now, escalate_at=_next_escalation(rule.escalation_policy, 0, now,
                                             feedback.team))
            for channel in rule.channels.all():
                if channel.is_active:
                    _deliver(alert, channel, "alert.created", 0)
            raised.append(alert)
    return raised


def _next_escalation(policy: EscalationPolicy | None, level: int, since: datetime,
                     team: Team | None = None) -> datetime | None:
    """When the next level is due: wall-clock minutes, or business minutes of the
    feedback's team's calendar (hours, time zone, holidays, closed days)."""
    if policy is None:
        return None
    nxt = policy.levels.filter(position=level + 1).first()
    if nxt is None:
        return None
    if policy.business_hours:
        try:
            return workspace_calendar(policy.workspace, team).add(since,
                                                                 nxt.delay_minutes * 60)
        except CalendarError:
            log.warning("workspace %s has no business hours; escalating on the clock",
                        policy.workspace_id)
    return since + timedelta(minutes=nxt.delay_minutes)


def _deliver(alert: Alert, channel: AlertChannel, event: str, level: int) -> Delivery:
    delivery = Delivery.objects.create(workspace=alert.workspace, alert=alert, channel=channel,
                                       event=event, escalation_level=level)
    enqueue_on_commit(_send_task(), delivery.pk)
    return delivery


def deliver_notice(*, channels: Iterable[AlertChannel], event: str, case: Case,
                   promise: Promise | None = None) -> list[Delivery]:
    """A notice about a recovery case (a deadline near or missed, a promise overdue) to
    each active channel, through the same outbox and retries as alerts."""
    deliveries = []
    for channel in channels:
        if channel.is_active and channel.workspace_id == case.workspace_id:
            delivery = Delivery.objects.create(workspace=case.workspace, case=case,
                                               promise=promise, channel=channel, event=event)
            enqueue_on_commit(_send_task(), delivery.pk)
            deliveries.append(delivery)
    return deliveries


# -- acknowledging and escalating ------------------------------------------------------


def acknowledge(*, alert: Alert, user: User | None) -> bool:
    """Somebody acts: escalation stops. False when it was acknowledged already."""
    with transaction.atomic():
        locked = Alert.objects.select_for_update().get(pk=alert.pk)
        if locked.state != AlertState.OPEN:
            return False
        locked.state = AlertState.ACKNOWLEDGED
        locked.acknowledged_at = timezone.now()
        locked.acknowledged_by = user
        locked.escalate_at = None
        locked.save(update_fields=["state", "acknowledged_at", "acknowledged_by",
                                   "escalate_at"])
    alert.refresh_from_db()
    return True


def escalate_due(now: datetime | None = None) -> int:
    """Periodic: every open alert whose escalate_at has passed moves up one level."""
    now = now or timezone.now()
    count = 0
    due = list(Alert.objects.filter(state=AlertState.OPEN, escalate_at__lte=now)
               .values_list("pk", flat=True)[:200])
    for pk in due:
        with transaction.atomic():
            alert = (Alert.objects.select_for_update(skip_locked=True, of=("self",))
                     .select_related("rule__escalation_policy", "feedback__team")
                     .filter(pk=pk, state=AlertState.OPEN, escalate_at__lte=now).first())
            if alert is None or alert.rule is None or alert.rule.escalation_policy is None:
                if alert is not None:
                    alert.escalate_at = None
                    alert.save(update_fields=["escalate_at"])
                continue
            policy = alert.rule.escalation_policy
            level = policy.levels.filter(position=alert.level + 1).prefetch_related(
                "channels").first()
            if level is None:
                alert.escalate_at = None
                alert.save(update_fields=["escalate_at"])
                continue
            alert.level = level.position
            Escalation.objects.create(alert=alert, level=level.position, at=now)
            for channel in level.channels.all():
                if channel.is_active:
                    _deliver(alert, channel, "alert.escalated", level.position)
            alert.escalate_at = _next_escalation(policy, level.position, now,
                                                 alert.feedback.team)
            alert.save(update_fields=["level", "escalate_at"])
            count += 1
    return count


def recompute_escalations(*, workspace: Workspace, team: Team | None = None) -> int:
    """New business hours, time zone or holidays: every open alert waiting for its next
    level in business hours gets that level's time again, counted on the new calendar from
    when it was raised (or last escalated). Only the team's alerts when a team's calendar
    changed; wall-clock escalations keep their time."""
    waiting = (Alert.objects.for_workspace(workspace)
               .filter(state=AlertState.OPEN, escalate_at__isnull=False,
                       rule__escalation_policy__business_hours=True))
    if team is not None:
        waiting = waiting.filter(feedback__team=team)
    count = 0
    for pk in list(waiting.values_list("pk", flat=True)):
        with transaction.atomic():
            # Locked and checked again: an escalation running meanwhile has the last word.
            alert = (waiting.select_for_update(of=("self",))
                     .select_related("rule__escalation_policy__workspace", "feedback__team")
                     .filter(pk=pk).first())
            if alert is None or alert.rule is None:
                continue
            since = alert.created_at
            if alert.level:
                last = (alert.escalations.filter(level=alert.level).order_by("-at")
                        .values_list("at", flat=True).first())
                since = last or since
            alert.escalate_at = _next_escalation(alert.rule.escalation_policy, alert.level,
                                                 since, alert.feedback.team)
            alert.save(update_fields=["escalate_at"])
        count += 1
    return count


# -- the outbox --------------------------------------------------------------------------


def claim(delivery_id: int, now: datetime | None = None) -> Delivery | None:
    """Take a due delivery for sending, with a lease; None when it is not ours to send.

    A delivery left `sending` by a worker that died is taken again once its lease passes.
    """
    now = now or timezone.now()
    claimed = Delivery.objects.filter(
        Q(state__in=[DeliveryState.PENDING, DeliveryState.RETRYING], next_attempt_at__lte=now)
        | Q(state=DeliveryState.SENDING, lease_until__lt=now),
        pk=delivery_id,
    ).update(state=DeliveryState.SENDING,
             # settings.py keeps the send deadline at most half of this lease
             lease_until=now + timedelta(seconds=settings.DELIVERY_LEASE_SECONDS))
    if not claimed:
        return None
    return (Delivery.objects.select_related("channel__workspace", "workspace", "alert__feedback",
                                            "alert__customer", "alert__rule",
                                            "alert__feedback__agent", "alert__feedback__team",
                                            "case__customer", "case__feedback", "case__owner",
                                            "case__team", "promise")
            .get(pk=delivery_id))


def send(delivery: Delivery) -> None:
    """One attempt: the transport's answer decides sent, retry later, or failed for good."""
    channel = delivery.channel
    now = timezone.now()
    attempts = delivery.attempts + 1
    if not channel.is_active:
        _finish(delivery, DeliveryState.FAILED, attempts, error=_("The channel is switched off."))
        return
    try:
        transport = REGISTRY[channel.kind](
            channel, reached=delivery.sent_to,
            on_reached=lambda address: _record_reached(delivery, address))
        outcome = transport.send(build_message(delivery))
    except TransportError as exc:
        if exc.gone:
            _disable_channel(channel, delivery)
        if exc.permanent or attempts >= len(RETRY_DELAYS) + 1:
            _finish(delivery, DeliveryState.FAILED, attempts, error=str(exc), status=exc.status,
                    response=exc.response)
        else:
            delay = RETRY_DELAYS[attempts - 1] * random.uniform(0.8, 1.2)  # jitter spreads herds
            if exc.retry_after is not None:
                delay = max(delay, min(exc.retry_after, 86400))
            _finish(delivery, DeliveryState.RETRYING, attempts, error=str(exc),
                    status=exc.status, response=exc.response,
                    next_at=now + timedelta(seconds=delay))
    except Exception as exc:  # a bug in a transport must not lose the delivery
        log.exception("delivery %s crashed", delivery.pk)
        _finish(delivery, DeliveryState.RETRYING, attempts, error=f"{type(exc).__name__}: {exc}",
                next_at=now + timedelta(seconds=RETRY_DELAYS[min(attempts, 9) - 1]))
    else:
        _finish(delivery, DeliveryState.SENT, attempts, status=outcome.status,
                response=outcome.response)


def _record_reached(delivery: Delivery, address: str) -> None:
    """Kept at once, not when the attempt ends: a worker that dies after writing to three of
    five people must not write to those three again when the delivery is taken up anew."""
    delivery.sent_to = [*delivery.sent_to, address]
    Delivery.objects.filter(pk=delivery.pk).update(sent_to=delivery.sent_to)


def _finish(delivery: Delivery, state: str, attempts: int, *, error: str = "",
            status: int | None = None, response: str = "", next_at: datetime | None = None,
            ) -> None:
    delivery.state = state
    delivery.attempts = attempts
    delivery.last_error = error[:2000]
    delivery.last_status = status
    delivery.last_response = response[:2000]
    delivery.lease_until = None
    if next_at is not None:
        delivery.next_attempt_at = next_at
    if state == DeliveryState.SENT:
        delivery.sent_at = timezone.now()
    delivery.save(update_fields=["state", "attempts", "last_error", "last_status",
                                 "last_response", "lease_until", "next_attempt_at", "sent_at"])


def _disable_channel(channel: AlertChannel, delivery: Delivery) -> None:
    """The receiver said 410 Gone: stop sending there and tell the workspace's admins."""
    with transaction.atomic():
        updated = AlertChannel.objects.filter(pk=channel.pk, is_active=True).update(
            is_active=False, disabled_reason=_("The receiver answered 410 Gone."))
        channel.is_active = False
        if not updated:
            return
        admins = Membership.objects.for_workspace(channel.workspace).filter(
            role=Role.ADMIN).select_related("user")
        for m in admins:
            queue_email(workspace=channel.workspace, kind="channel_disabled", to=m.user.email,
                        subject=_("Kliento switched off the alert channel “%(name)s”")
                        % {"name": channel.name},
                        body_text=_("The receiver of the channel “%(name)s” answered 410 Gone, "
                                    "so Kliento no longer sends alerts there. Check the "
                                    "address and switch the channel on again in Alerts → "
                                    "Channels.") % {"name": channel.name})


def resend(*, delivery: Delivery) -> Delivery:
    """Send a delivery again from the start (same delivery id, so receivers deduplicate).

    A delivery that was sent goes to everyone again; one that failed or is waiting for a
    retry goes only to the e-mail recipients it has not reached.
    """
    if delivery.state == DeliveryState.SENDING:
        raise ValidationError(_("This delivery is being sent right now."))
    sent_to = [] if delivery.state == DeliveryState.SENT else delivery.sent_to
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.PENDING, next_attempt_at=timezone.now(), attempts=0,
        lease_until=None, sent_to=sent_to)
    enqueue_on_commit(_send_task(), delivery.pk)
    delivery.refresh_from_db()
    return delivery


def mark_dispatched(ids: list[int], now: datetime | None = None) -> None:
    """Deliveries handed to a task again are pending from now: the next periodic pass leaves
    them alone unless that task, too, is lost (30 s later)."""
    now = now or timezone.now()
    Delivery.objects.filter(pk__in=ids).exclude(state=DeliveryState.SENT).update(
        state=DeliveryState.PENDING, next_attempt_at=now, lease_until=None)


def due_deliveries(now: datetime | None = None, limit: int = 500) -> list[int]:
    """Retries whose time has come, pending ones whose task seems lost, expired leases."""
    now = now or timezone.now()
    return list(Delivery.objects.filter(
        Q(state=DeliveryState.RETRYING, next_attempt_at__lte=now)
        | Q(state=DeliveryState.PENDING, next_attempt_at__lte=now - timedelta(seconds=30))
        | Q(state=DeliveryState.SENDING, lease_until__lt=now)
    ).order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
