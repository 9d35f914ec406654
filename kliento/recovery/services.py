"""Use cases of the recovery domain: open a case, walk the playbook, keep promises, reply,
resolve, close — and the periodic checks of SLAs and promises."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Protocol

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from kliento.alerts.models import AlertChannel, AlertRule
from kliento.conversations.models import Conversation, Direction, Message
from kliento.core.calendar import BusinessCalendar, CalendarError
from kliento.core.languages import first_supported
from kliento.core.mail import queue_email
from kliento.core.models import PRIORITY_ORDER, Membership, Role, Team, User, Workspace
from kliento.core.services import workspace_calendar
from kliento.customers.models import Customer, IdentityKind
from kliento.feedback.models import Feedback, Polarity, Scale
from kliento.insights import loopfacts
from kliento.recovery import sla
from kliento.recovery.defaults import STEPS, TEMPLATES
from kliento.recovery.models import (
    OPEN_STATUSES,
    Case,
    CaseOutcome,
    CasePause,
    CaseStatus,
    CaseStep,
    NoticeRoute,
    Outcome,
    Playbook,
    PlaybookStep,
    Priority,
    Promise,
    PromiseState,
    ReplyTemplate,
    RootCause,
    StepKind,
    StepState,
)
from kliento.recovery.replies import Rendered, render
from kliento.surveys.models import Invitation

log = logging.getLogger(__name__)

FOLLOW_UP_AFTER = timedelta(days=3)
PROMISE_ESCALATE_AFTER = timedelta(hours=4)

# The seeds' recovery: contact and apologise at once, find out, explain, fix, compensate,
# make sure it does not happen again, follow up. (step key, title, business minutes, optional)
DEFAULT_STEPS = [
    ("contact", gettext_lazy("Contact the customer and apologise"), 60, False),
    ("find_out", gettext_lazy("Find out what went wrong"), 4 * 60, False),
    ("explain", gettext_lazy("Explain what happened"), 8 * 60, False),
    ("fix", gettext_lazy("Fix the problem"), 16 * 60, False),
    ("compensate", gettext_lazy("Compensate"), 16 * 60, True),
    ("prevent", gettext_lazy("Prevent it happening again (root cause and an action)"),
     24 * 60, False),
    ("follow_up", gettext_lazy("Follow up"), 40 * 60, False),
]
DEFAULT_ROOT_CAUSES = [
    ("product_defect", gettext_lazy("Product defect")),
    ("delivery_delay", gettext_lazy("Delivery delay")),
    ("billing_error", gettext_lazy("Billing error")),
    ("staff_attitude", gettext_lazy("Staff attitude")),
    ("long_wait", gettext_lazy("Long wait")),
    ("policy", gettext_lazy("Policy")),
    ("miscommunication", gettext_lazy("Miscommunication")),
    ("other", gettext_lazy("Other")),
]
TEMPLATE_NAMES = {key: title for key, title, _m, _o in DEFAULT_STEPS}


def ensure_defaults(workspace: Workspace) -> None:
    """The default playbook, root causes and reply templates, in the workspace's language."""
    with translation.override(workspace.default_language):
        if not Playbook.objects.for_workspace(workspace).exists():
            playbook = Playbook.objects.create(workspace=workspace, name=_("Service recovery"),
                                               is_default=True)
            PlaybookStep.objects.bulk_create([
                PlaybookStep(playbook=playbook, position=i, key=key, title=str(title),
                             due_minutes=minutes, optional=optional)
                for i, (key, title, minutes, optional) in enumerate(DEFAULT_STEPS, start=1)])
        RootCause.objects.bulk_create([
            RootCause(workspace=workspace, key=key, name=str(name))
            for key, name in DEFAULT_ROOT_CAUSES], ignore_conflicts=True)
        ReplyTemplate.objects.bulk_create([
            ReplyTemplate(workspace=workspace, key=key, name=str(TEMPLATE_NAMES[key]),
                          texts={lang: dict(t) for lang, t in TEMPLATES[key].items()})
            for key in STEPS], ignore_conflicts=True)


# -- opening -------------------------------------------------------------------------------


def priority_for(feedback: Feedback, base: str = Priority.NORMAL) -> str:
    """From the rule's level, one up for a VIP, one up for the lowest score of a scale."""
    level = PRIORITY_ORDER.index(Priority(base))
    if feedback.customer.vip:
        level += 1
    lowest = {Scale.CSAT: 1, Scale.NPS: 3, Scale.CES: 1, Scale.THUMBS: 0}
    if feedback.score is not None and feedback.scale and \
            feedback.score <= lowest.get(Scale(feedback.scale), -1):
        level += 1
    return PRIORITY_ORDER[min(level, len(PRIORITY_ORDER) - 1)]


def playbook_for(workspace: Workspace, *, rule: AlertRule | None = None,
                 team: Team | None = None) -> Playbook | None:
    """The rule's playbook, else the team's, else the workspace's default."""
    playbooks = Playbook.objects.for_workspace(workspace)
    if rule is not None and rule.playbook_id:
        chosen = playbooks.filter(pk=rule.playbook_id).first()
        if chosen is not None:
            return chosen
    if team is not None:
        chosen = playbooks.filter(team=team).first()
        if chosen is not None:
            return chosen
    return playbooks.filter(is_default=True).first() or playbooks.first()


def open_case_of(customer: Customer) -> Case | None:
    return (Case.objects.for_workspace(customer.workspace)
            .filter(customer=customer, status__in=OPEN_STATUSES).order_by("opened_at").first())


def join(case: Case, feedback: Feedback) -> Case:
    """A new voice of a customer who already has an open case joins it."""
    case.voices.add(feedback)
    return case


def customer_answered(case: Case, feedback: Feedback, now: datetime | None = None) -> Case:
    """The customer spoke while the case waited on them: their words join the case and the
    clock runs again from the moment they arrived."""
    now = now or timezone.now()
    with transaction.atomic():
        case.voices.add(feedback)
        if case.status == CaseStatus.WAITING:
            _set_status(case, CaseStatus.IN_PROGRESS, min(now, max(
                feedback.received_at or now, case.opened_at)))
            case.save(update_fields=["status"])
            _recompute(case, now)
    return case


def open_case(*, feedback: Feedback, owner: User | None = None, team: Team | None = None,
              priority: str = "", rule: AlertRule | None = None,
              now: datetime | None = None) -> Case:
    """A case for an unhappy customer, or the customer's open case with this voice joined."""
    now = now or timezone.now()
    existing = open_case_of(feedback.customer)
    if existing is not None:
        return join(existing, feedback)
    ws = feedback.workspace
    team = team or feedback.team
    playbook = playbook_for(ws, rule=rule, team=team)
    if priority and priority not in Priority.values:
        raise ValidationError({"priority": _("Unknown priority.")})
    for _attempt in range(3):
        try:
            with transaction.atomic():
                number = (Case.objects.for_workspace(ws).aggregate(n=Max("number"))["n"] or 0) + 1
                case = Case.objects.create(
                    workspace=ws, number=number, customer=feedback.customer, feedback=feedback,
                    rule=rule, team=team, owner=owner or feedback.agent, playbook=playbook,
                    priority=priority or priority_for(
                        feedback, rule.case_priority if rule else Priority.NORMAL),
                    opened_at=now)
                break
        except IntegrityError:  # two cases numbered at once: take the next number
            continue
    else:
        raise RuntimeError("could not number the case")
    case.voices.add(feedback)
    calendar = _calendar(ws, team)
    steps = []
    for step in (playbook.steps.all() if playbook else []):
        steps.append(CaseStep(case=case, position=step.position, key=step.key, title=step.title,
                              optional=step.optional,
                              due_at=calendar.add(now, step.due_minutes * 60)
                              if calendar else now + timedelta(minutes=step.due_minutes)))
    CaseStep.objects.bulk_create(steps)
    _recompute(case, now)
    return case


def _calendar(workspace: Workspace, team: Team | None = None) -> BusinessCalendar | None:
    try:
        calendar = workspace_calendar(workspace, team)
        calendar.add(timezone.now(), 60)
        return calendar
    except CalendarError:
        log.warning("workspace %s has no business hours; SLAs run on the clock", workspace.pk)
        return None


def _recompute(case: Case, now: datetime) -> None:
    calendar = _calendar(case.workspace, case.team)
    if calendar is None:
        from kliento.core.calendar import calendar_for

        calendar = calendar_for(time_zone="UTC", country="",
                                hours={d: ["00:00-24:00"] for d in
                                       ("mon", "tue", "wed", "thu", "fri", "sat", "sun")})
    sla.recompute(case, calendar, now)
    case.save()


def recompute_open_cases(*, workspace: Workspace, team: Team | None = None,
                         now: datetime | None = None) -> int:
    """Service levels or a calendar changed: every open case (of the team) gets its due
    times again, from its opening, as if the new rules had always applied."""
    now = now or timezone.now()
    cases = Case.objects.for_workspace(workspace).filter(status__in=OPEN_STATUSES)
    if team is not None:
        cases = cases.filter(team=team)
    count = 0
    for case in cases.select_related("workspace", "team").prefetch_related("pauses"):
        with transaction.atomic():
            _recompute(case, now)
        count += 1
    return count


# -- working the case ----------------------------------------------------------------------


@dataclass
class CaseChanges:
    owner: User | None = None
    team: Team | None = None
    priority: str | None = None
    status: str | None = None
    compensation_kind: str | None = None
    compensation_value: Decimal | None = None
    root_cause_key: str | None = None
    prevention: str | None = None


def _compensation(value: Decimal) -> Decimal:
    """A value the database column can hold: finite, not negative, within its digits."""
    field = Case._meta.get_field("compensation_value")
    if not value.is_finite():
        raise ValidationError({"compensation_value": _("Write the value as a number.")})
    if value < 0:
        raise ValidationError({"compensation_value": _("Cannot be negative.")})
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    whole = max(value.adjusted() + 1, 0) if value else 0
    if places > field.decimal_places or whole > field.max_digits - field.decimal_places:
        raise ValidationError({"compensation_value": _(
            "At most %(whole)d digits before the decimal point and %(places)d after it.") % {
                "whole": field.max_digits - field.decimal_places,
                "places": field.decimal_places}})
    return value


def update_case(*, case: Case, changes: CaseChanges, now: datetime | None = None) -> Case:
    """Change a case's owner, team, priority, status and details; SLAs follow the status."""
    now = now or timezone.now()
    c = changes
    if c.priority is not None:
        if c.priority not in Priority.values:
            raise ValidationError({"priority": _("Unknown priority.")})
        case.priority = c.priority
    if c.owner is not None:
        case.owner = c.owner
    if c.team is not None:
        case.team = c.team
    if c.compensation_kind is not None:
        case.compensation_kind = c.compensation_kind.strip()[:100]
    if c.compensation_value is not None:
        case.compensation_value = _compensation(c.compensation_value)
    if c.prevention is not None:
        case.prevention = c.prevention.strip()[:5000]
    if c.root_cause_key is not None:
        cause = _root_cause(case.workspace, c.root_cause_key)
        if cause != case.root_cause:
            case.root_cause_in_doubt = False  # a new cause is an answer to "does it hold?"
        case.root_cause = cause
    if c.status is not None and c.status != case.status:
        if c.status not in (CaseStatus.NEW, CaseStatus.IN_PROGRESS, CaseStatus.WAITING):
            raise ValidationError({"status": _("Resolve and close a case with their own "
                                               "actions.")})
        if not case.is_open:
            raise ValidationError({"status": _("The case is no longer open.")})
        _set_status(case, c.status, now)
    with transaction.atomic():
        case.save()
        _recompute(case, now)
    return case


def _set_status(case: Case, status: str, now: datetime) -> None:
    if status == CaseStatus.WAITING:
        CasePause.objects.create(case=case, started_at=now)
    elif case.status == CaseStatus.WAITING:
        CasePause.objects.filter(case=case, ended_at__isnull=True).update(ended_at=now)
    case.status = status


def _root_cause(workspace: Workspace, key: str) -> RootCause | None:
    if not key:
        return None
    cause = RootCause.objects.for_workspace(workspace).filter(key=key, is_active=True).first()
    if cause is None:
        raise ValidationError({"root_cause": _("Unknown root cause “%(value)s”.")
                               % {"value": key[:50]}})
    return cause


def complete_step(*, case: Case, step: CaseStep, user: User | None, note: str = "",
                  skip: bool = False, now: datetime | None = None) -> CaseStep:
    """Done (who, when, a note) — or skipped, which needs a reason."""
    now = now or timezone.now()
    if step.case_id != case.pk:
        raise CaseStep.DoesNotExist
    if step.state != StepState.OPEN:
        raise ValidationError(_("This step is finished already."))
    if skip and not note.strip():
        raise ValidationError({"note": _("Say why the step is skipped.")})
    step.state = StepState.SKIPPED if skip else StepState.DONE
    step.done_by = user
    step.done_at = now
    step.note = note.strip()[:5000]
    with transaction.atomic():
        step.save()
        if step.key == "contact" and not skip:
            sla.contacted(case, now)
            loopfacts.customer_contacted(case.workspace, case.customer_id)
        if case.status == CaseStatus.NEW:
            case.status = CaseStatus.IN_PROGRESS
        case.save()
        _recompute(case, now)
    return step


def add_promise(*, case: Case, owner: User | None, description: str, due_at: datetime
                ) -> Promise:
    if not description.strip():
        raise ValidationError({"description": _("Say what was promised.")})
    if due_at < timezone.now() - timedelta(minutes=5):
        raise ValidationError({"due_at": _("A promise is due in the future.")})
    return Promise.objects.create(workspace=case.workspace, case=case, customer=case.customer,
                                  owner=owner or case.owner,
                                  description=description.strip()[:300], due_at=due_at)


def settle_promise(*, promise: Promise, kept: bool) -> Promise:
    if promise.state != PromiseState.OPEN:
        raise ValidationError(_("This promise is settled already."))
    promise.state = PromiseState.KEPT if kept else PromiseState.BROKEN
    promise.closed_at = timezone.now()
    promise.save(update_fields=["state", "closed_at"])
    return promise


# -- replying ------------------------------------------------------------------------------


def customer_address(customer: Customer) -> str:
    identity = customer.identities.filter(kind=IdentityKind.EMAIL).order_by("pk").first()
    return identity.value if identity else ""


def language_of(case: Case) -> str:
    return first_supported(case.customer.language, case.feedback.language,
                           case.workspace.default_language)


def compose(*, case: Case, agent: User | None, template_key: str = "", subject: str = "",
            body: str = "", language: str = "", rating: tuple[str, str] = ("", ""),
            ) -> tuple[str, Rendered]:
    """The reply's subject and text, from a template in the customer's language (with
    fallback to the workspace's language, then English) or from the agent's own words."""
    language = language or language_of(case)
    if template_key:
        template = ReplyTemplate.objects.for_workspace(case.workspace).filter(
            key=template_key).first()
        if template is None:
            raise ValidationError({"template": _("Unknown reply template.")})
        texts = (template.texts.get(language) or template.texts.get(
            case.workspace.default_language) or template.texts.get("en") or {})
        subject = subject or texts.get("subject", "")
        body = body or texts.get("body", "")
    if not body.strip():
        raise ValidationError({"body": _("The reply is empty.")})
    promise = case.promises.filter(state=PromiseState.OPEN).order_by("due_at").first()
    tz = case.workspace.time_zone
    with translation.override(language), timezone.override(tz):
        promise_due = date_format(timezone.localtime(promise.due_at), "DATETIME_FORMAT") \
            if promise else ""
    values = {"first_name": case.customer.first_name, "case_number": str(case.number),
              "agent_name": str(agent or case.owner or case.workspace.name),
              "promise_due": promise_due, "company": case.workspace.name,
              "rating_snippet": rating[1]}
    return language, render(subject or f"#{case.number}", body, values, rating_html=rating[0])


def reply(*, case: Case, agent: User | None, template_key: str = "", subject: str = "",
          body: str = "", language: str = "",
          rating: tuple[str, str] = ("", "")) -> Message:
    """E-mail the customer, threaded with the case's earlier replies, sent by a task."""
    address = customer_address(case.customer)
    if not address:
        raise ValidationError({"customer": _("The customer has no e-mail address.")})
    language, rendered = compose(case=case, agent=agent, template_key=template_key,
                                 subject=subject, body=body, language=language, rating=rating)
    domain = case.workspace.slug + ".kliento"
    message_id = f"<case-{case.number}-{uuid.uuid4().hex[:12]}@{domain}>"
    with transaction.atomic():
        if case.conversation is None:
            case.conversation = Conversation.objects.create(
                workspace=case.workspace, customer=case.customer, channel="email",
                subject=rendered.subject, agent=agent, team=case.team)
            case.save(update_fields=["conversation"])
        earlier = list(Message.objects.filter(conversation=case.conversation,
                                              direction=Direction.OUTBOUND)
                       .exclude(external_id="").values_list("external_id", flat=True))
        headers = {"Message-ID": message_id}
        if earlier:
            headers["In-Reply-To"] = earlier[-1]
            headers["References"] = " ".join(earlier)
        message = Message.objects.create(
            workspace=case.workspace, conversation=case.conversation,
            direction=Direction.OUTBOUND, author=agent, body=rendered.text,
            external_id=message_id)
        html = render_to_string("recovery/email/reply.html", {
            "body": rendered.html, "language": language, "subject": rendered.subject})
        queue_email(workspace=case.workspace, kind="case_reply", to=address,
                    subject=rendered.subject, body_text=rendered.text, body_html=html,
                    headers=headers)
        if case.first_contact_at is None:
            sla.contacted(case, timezone.now())
            case.status = CaseStatus.IN_PROGRESS if case.status == CaseStatus.NEW \
                else case.status
            case.save()
            _recompute(case, timezone.now())
    return message


# -- closing the loop ----------------------------------------------------------------------


def resolve(*, case: Case, user: User | None, follow_up_after: timedelta = FOLLOW_UP_AFTER,
            now: datetime | None = None) -> Case:
    """The fix is done: the SLA stops and a follow-up survey is scheduled."""
    now = now or timezone.now()
    if not case.is_open:
        raise ValidationError(_("The case is no longer open."))
    with transaction.atomic():
        if case.status == CaseStatus.WAITING:
            _set_status(case, CaseStatus.IN_PROGRESS, now)
        case.status = CaseStatus.RESOLVED
        case.resolved_at = now
        case.follow_up_at = now + follow_up_after
        if case.resolution_due and now > case.resolution_due:
            case.resolution_breached = True
        case.save()
        _recompute(case, now)
    return case


def close(*, case: Case, root_cause_key: str = "", prevention: str | None = None,
          root_cause_confirmed: bool = False) -> Case:
    """Closing needs a root cause from the workspace's list.

    A case reopened after it had a root cause keeps it, but closing again needs either the
    confirmation that it still holds or another cause: the first fix did not hold, so the
    first diagnosis may not either."""
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("The case is closed already."))
    cause = _root_cause(case.workspace, root_cause_key) if root_cause_key else case.root_cause
    if cause is None:
        raise ValidationError({"root_cause": _("Closing a case needs its root cause.")})
    if case.root_cause_in_doubt and cause == case.root_cause and not root_cause_confirmed:
        raise ValidationError({"root_cause": _(
            "The case was reopened after its root cause “%(cause)s” was found: confirm that "
            "it still holds, or choose another.") % {"cause": case.root_cause}})
    case.root_cause = cause
    case.root_cause_in_doubt = False
    if prevention is not None:
        case.prevention = prevention.strip()[:5000]
    if case.resolved_at is None:
        case.resolved_at = timezone.now()
    case.status = CaseStatus.CLOSED
    case.closed_at = timezone.now()
    case.save()
    return case


def set_follow_up(case: Case, invitation: Invitation) -> None:
    case.follow_up = invitation
    case.save(update_fields=["follow_up"])


def template_body(case: Case, key: str) -> str:
    template = ReplyTemplate.objects.for_workspace(case.workspace).filter(key=key).first()
    if template is None:
        raise ValidationError({"template": _("Unknown reply template.")})
    return " ".join(t.get("body", "") for t in template.texts.values())


# The steps an unhappy follow-up sends back to be done again; the others stay done.
REOPENED_STEPS = (StepKind.CONTACT, StepKind.FIX, StepKind.FOLLOW_UP)
# Reopenings the owner gets; the next unhappy answer goes to the manager instead.
REOPENINGS_BEFORE_ESCALATION = 1


def is_unhappy(feedback: Feedback) -> bool:
    """A negative answer, or a happy score with clearly unhappy words ("mixed")."""
    return feedback.polarity == Polarity.NEGATIVE or feedback.mixed


def case_followed_up_by(feedback: Feedback) -> Case | None:
    """The case whose follow-up survey (of this attempt or an earlier one) this answers."""
    invitation_id = feedback.metadata.get("invitation_id")
    if not isinstance(invitation_id, int):
        return None
    return (Case.objects.for_workspace(feedback.workspace)
            .filter(Q(follow_up_id=invitation_id) | Q(outcomes__invitation_id=invitation_id))
            .distinct().first())


@dataclass
class OutcomeRecorded:
    outcome: CaseOutcome
    event: str = ""  # "case.reopened" or "case.escalated" when the answer sent the case back


def record_outcome(*, case: Case, feedback: Feedback,
                   now: datetime | None = None) -> OutcomeRecorded:
    """The follow-up's answer says whether the customer was won back; an unhappy answer to a
    resolved case reopens it, and an unhappy answer after a reopening escalates it.

    Each answer is one attempt's outcome. Heard again (a comment added, a score changed),
    it updates that outcome, and reopens only when a happy answer has turned unhappy; an
    unhappy answer that turns happy later leaves the reopened case open."""
    now = now or timezone.now()
    verdict = Outcome.RECOVERED if feedback.polarity == Polarity.POSITIVE and \
        not feedback.mixed else Outcome.NOT_RECOVERED
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).select_related(
            "workspace", "customer", "team__manager", "owner", "feedback").get(pk=case.pk)
        record = CaseOutcome.objects.filter(case=case, feedback=feedback).first()
        if record is None:
            record, created = CaseOutcome.objects.get_or_create(
                case=case, attempt=case.reopened_count + 1, defaults={
                    "outcome": verdict, "answered_at": feedback.received_at or now,
                    "feedback": feedback,
                    "invitation_id": feedback.metadata.get("invitation_id")})
            if not created:
                return OutcomeRecorded(record)  # this attempt has its outcome already
            case.voices.add(feedback)
        elif record.outcome != verdict:
            record.outcome = verdict
            record.save(update_fields=["outcome"])
        if record.attempt != case.reopened_count + 1:
            return OutcomeRecorded(record)  # the case was reopened for this answer already
        if case.outcome != verdict:
            case.outcome = verdict
            case.save(update_fields=["outcome"])
        if not is_unhappy(feedback) or case.is_open or case.escalated_at is not None:
            # Neutral is not won back but no complaint either; an open case is being worked;
            # an escalated case is the manager's and does not loop again.
            return OutcomeRecorded(record)
        return OutcomeRecorded(record, _reopen(case, feedback, now))


def _reopen(case: Case, feedback: Feedback, now: datetime) -> str:
    """Open the case again as a fresh attempt: new deadlines from now, the steps to redo
    reopened, the owner and the manager told. Returns the event for the alert channels."""
    escalate = case.reopened_count >= REOPENINGS_BEFORE_ESCALATION
    previous_owner = case.owner
    calendar = _calendar(case.workspace, case.team)
    for step in case.steps.filter(key__in=REOPENED_STEPS):
        # The step keeps its place in the playbook's rhythm: due as long after the
        # reopening as it was after the opening.
        if calendar is not None and step.due_at is not None:
            step.due_at = calendar.add(now, calendar.between(case.opened_at, step.due_at))
        elif step.due_at is not None:
            step.due_at = now + max(timedelta(0), step.due_at - case.opened_at)
        step.state = StepState.OPEN
        step.done_by = None
        step.done_at = None
        step.note = ""
        step.save(update_fields=["due_at", "state", "done_by", "done_at", "note"])
    case.status = CaseStatus.NEW
    case.reopened_count += 1
    case.reopened_at = now
    case.outcome = Outcome.PENDING
    case.follow_up = None
    case.follow_up_at = None
    case.resolved_at = case.closed_at = case.first_contact_at = case.warned_at = None
    case.first_contact_breached = case.resolution_breached = False
    case.root_cause_in_doubt = case.root_cause_id is not None
    if escalate:
        case.escalated_at = now
        level = PRIORITY_ORDER.index(Priority(case.priority))
        case.priority = PRIORITY_ORDER[min(level + 1, len(PRIORITY_ORDER) - 1)]
        if case.team is not None and case.team.manager is not None:
            case.owner = case.team.manager
    case.save()
    _recompute(case, now)
    said = f"{feedback.score_label} {feedback.text}".strip()
    if escalate:
        _notify([*([previous_owner] if previous_owner else []), *_managers(case)], case,
                "case_escalated",
                gettext_lazy("Case #%(number)s (%(customer)s) is escalated: still unhappy "
                             "after reopening"),
                gettext_lazy("%(customer)s is still unhappy after case #%(number)s was "
                             "reopened and resolved again. The case is open again, with a "
                             "higher priority, for the manager."), detail=said)
        return "case.escalated"
    _notify([*([case.owner] if case.owner else []), *_managers(case)], case, "case_reopened",
            gettext_lazy("Case #%(number)s (%(customer)s) is reopened: the customer is still "
                         "unhappy"),
            gettext_lazy("%(customer)s answered the follow-up of case #%(number)s unhappily. "
                         "The case is open again and due for a first contact."), detail=said)
    return "case.reopened"


def due_follow_ups(now: datetime) -> list[Case]:
    return list(Case.objects.filter(follow_up_at__lte=now, follow_up__isnull=True,
                                    status__in=[CaseStatus.RESOLVED, CaseStatus.CLOSED])
                .select_related("workspace", "customer", "team", "owner")[:100])


def mark_no_answers(now: datetime) -> int:
    """Follow-ups that expired unanswered: the attempt's outcome is "no answer"."""
    expired = Case.objects.filter(outcome=Outcome.PENDING, follow_up__isnull=False,
                                  follow_up__feedback__isnull=True,
                                  follow_up__expires_at__lt=now)
    count = 0
    for case in expired[:500]:
        with transaction.atomic():
            if not Case.objects.filter(pk=case.pk, outcome=Outcome.PENDING).update(
                    outcome=Outcome.NO_ANSWER):
                continue  # another worker took it
            CaseOutcome.objects.get_or_create(
                case=case, attempt=case.reopened_count + 1,
                defaults={"outcome": Outcome.NO_ANSWER, "invitation_id": case.follow_up_id})
        count += 1
    return count


# -- periodic checks -----------------------------------------------------------------------


def _managers(case: Case) -> list[User]:
    if case.team and case.team.manager:
        return [case.team.manager]
    return [m.user for m in Membership.objects.for_workspace(case.workspace)
            .filter(role__in=[Role.MANAGER, Role.ADMIN]).select_related("user")]


def _notify(users: list[User], case: Case, kind: str, subject: StrOrPromise,
            text: StrOrPromise, detail: str = "") -> None:
    """E-mail people about a case, each in their own language (the customer's words, as
    `detail`, quoted as they are)."""
    from kliento.core.urls_util import absolute_url

    link = absolute_url("case_detail", case.pk)
    quoted = f"\n\n> {detail[:2000]}" if detail else ""
    for user in {u.pk: u for u in users if u and u.is_active}.values():
        values = {"number": case.number, "customer": case.customer}
        with translation.override(user.language or case.workspace.default_language):
            queue_email(workspace=case.workspace, kind=kind, to=user.email,
                        subject=str(subject) % values,
                        body_text=f"{str(text) % values}{quoted}\n\n{link}\n")


def notice_channels(case: Case) -> list[AlertChannel]:
    """The channels that hear of a reopened or escalated case: those for breaches, since
    both concern the manager as much as the owner."""
    return _channels(case, "breach_channels")


def _channels(case: Case, which: str) -> list[AlertChannel]:
    """The channels the case's team chose for this notice, else the workspace's."""
    routes = NoticeRoute.objects.for_workspace(case.workspace)
    for route in ((routes.filter(team=case.team).first() if case.team_id else None),
                  routes.filter(team__isnull=True).first()):
        if route is not None and getattr(route, which).exists():
            return list(getattr(route, which).filter(is_active=True))
    return []


class Tell(Protocol):
    """Writes a notice about a case to channels (the alert outbox's `deliver_notice`),
    passed in by the loop so that recovery does not call into alerts."""

    def __call__(self, *, channels: Iterable[AlertChannel], event: str, case: Case,
                 promise: Promise | None = None) -> object: ...


def _tell_channels(tell: Tell, case: Case, which: str, event: str,
                   promise: Promise | None = None) -> None:
    tell(channels=_channels(case, which), event=event, case=case, promise=promise)


def check_slas(now: datetime | None = None, *, tell: Tell) -> int:
    """Warn the owner before a breach; at the breach, tell the owner and the manager — by
    e-mail and, through `tell`, the alert channels of the team's notice route."""
    now = now or timezone.now()
    count = 0
    open_cases = Case.objects.filter(status__in=[CaseStatus.NEW, CaseStatus.IN_PROGRESS])
    related = ("workspace", "customer", "owner", "team__manager", "feedback")
    # A warning the check reaches only after the deadline itself would say less than the
    # breach notice that follows: those cases get the breach alone.
    for case in open_cases.filter(warn_at__lte=now, warned_at__isnull=True,
                                  resolution_due__gt=now,
                                  resolution_breached=False).select_related(*related)[:200]:
        with transaction.atomic():
            if not Case.objects.filter(pk=case.pk, warned_at__isnull=True).update(
                    warned_at=now):
                continue  # another worker took it
            if case.owner:
                _notify([case.owner], case, "case_sla_warning",
                        gettext_lazy("Case #%(number)s (%(customer)s) is close to its "
                                     "deadline"),
                        gettext_lazy("Case #%(number)s of %(customer)s is due soon."))
            _tell_channels(tell, case, "warning_channels", "case.sla_warning")
        count += 1
    breached = open_cases.filter(resolution_due__lte=now, resolution_breached=False) | \
        open_cases.filter(first_contact_due__lte=now, first_contact_breached=False,
                          first_contact_at__isnull=True)
    for case in breached.select_related(*related)[:200]:
        first = case.first_contact_at is None and case.first_contact_due is not None and \
            case.first_contact_due <= now
        resolution = case.resolution_due is not None and case.resolution_due <= now
        with transaction.atomic():
            # The flags change only from false to true, once: whoever flips them notifies.
            flipped = Case.objects.filter(
                pk=case.pk, first_contact_breached=case.first_contact_breached,
                resolution_breached=case.resolution_breached).update(
                first_contact_breached=case.first_contact_breached or first,
                resolution_breached=case.resolution_breached or resolution)
            if not flipped:
                continue
            _notify([*([case.owner] if case.owner else []), *_managers(case)], case,
                    "case_sla_breach",
                    gettext_lazy("Case #%(number)s (%(customer)s) missed its deadline"),
                    gettext_lazy("Case #%(number)s of %(customer)s is past its service "
                                 "level."))
            _tell_channels(tell, case, "breach_channels", "case.sla_breached")
        count += 1
    return count


def check_promises(now: datetime | None = None, *, tell: Tell) -> int:
    """An overdue promise reminds its owner; hours later it goes to the manager (by e-mail
    and, through `tell`, the notice route's channels)."""
    now = now or timezone.now()
    count = 0
    overdue = Promise.objects.filter(state=PromiseState.OPEN, due_at__lte=now).select_related(
        "case__workspace", "case__customer", "case__team__manager", "case__feedback", "owner")
    for promise in overdue.filter(reminded_at__isnull=True)[:200]:
        with transaction.atomic():
            if not Promise.objects.filter(pk=promise.pk, reminded_at__isnull=True).update(
                    reminded_at=now):
                continue
            _notify([promise.owner] if promise.owner else _managers(promise.case),
                    promise.case, "promise_overdue",
                    gettext_lazy("A promise to %(customer)s is overdue"),
                    gettext_lazy("Case #%(number)s: a promise to %(customer)s is due and not "
                                 "kept."))
            _tell_channels(tell, promise.case, "warning_channels", "promise.overdue", promise)
        count += 1
    for promise in overdue.filter(escalated_at__isnull=True,
                                  due_at__lte=now - PROMISE_ESCALATE_AFTER)[:200]:
        with transaction.atomic():
            if not Promise.objects.filter(pk=promise.pk, escalated_at__isnull=True).update(
                    escalated_at=now):
                continue
            _notify(_managers(promise.case), promise.case, "promise_escalated",
                    gettext_lazy("A promise to %(customer)s is still not kept"),
                    gettext_lazy("Case #%(number)s: a promise to %(customer)s is hours "
                                 "overdue."))
            _tell_channels(tell, promise.case, "breach_channels", "promise.escalated",
                           promise)
        count += 1
    return count
