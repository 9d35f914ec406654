"""The loop: every voice of the customer, step by step. The only module that composes domains.

    hear(voice)             record the Feedback (one transaction), then on commit:
    process_feedback(id)    a task: judge the words (language, sentiment, themes, mixed)
                            and count the voice into the insights rollups (one
                            transaction), update the customer's satisfaction, evaluate
                            the alert rules (alert, group, notify, escalate later), and
                            recovery: a negative voice joins the customer's open case, a
                            rule may open one, a follow-up answer sets a case's outcome
                            (unhappy: the case reopens; unhappy again: it goes to the
                            manager)

Sources (surveys, conversations, imports, the API) build a `Voice` and call `hear`:
    log_interaction()       an agent documents a contact: conversation + voice
    answer_invitation()     a one-click survey answer: voice (or a changed score) + invitation
    comment_on_invitation() the follow-up comment: text added to the same Feedback

The figures (insights) follow every change of a voice: as it is processed (a new voice, a
changed score, an added comment), or in the change's own transaction (a correction,
`correct_feedback`; a deletion, `delete_feedback`); an invitation counts as asked when
made, and as answered once, when its answer's voice is first processed.

Deadlines follow the calendar: new business hours, closed days, a time zone or a country
(`update_workspace`, `set_business_hours`, `set_team_hours`) call `calendar_changed`, which
enqueues one task after commit, `recompute_deadlines`: the open recovery cases get their
due times again (recovery), the open alerts escalating in business hours their next
level's time (alerts), and the unhappy voices their close-the-loop deadline (insights).

The periodic checks of recovery deadlines (`check_slas`, `check_promises`) e-mail the people
(recovery) and tell the team's notice channels through the alert outbox (alerts).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django_tasks import task
from django_tasks_db import DatabaseBackend

from kliento.alerts.models import Alert
from kliento.alerts.services import (
    deliver_notice,
    ensure_default_rule,
    raise_alerts,
    recompute_escalations,
)
from kliento.conversations.services import record_contact
from kliento.core import services as core
from kliento.core.models import Membership, Team, User, Workspace
from kliento.core.services import create_workspace
from kliento.core.tasks import enqueue_on_commit, urgent
from kliento.customers.models import Customer
from kliento.customers.services import (
    CustomerRef,
    find_or_create_customer,
    normalize_email,
    set_satisfaction,
)
from kliento.feedback import services as feedback_services
from kliento.feedback.judging import analyse_feedback, correct, ensure_default_themes
from kliento.feedback.models import Channel, Feedback, Polarity, Source
from kliento.feedback.services import (
    change_score,
    mark_processed,
    record_feedback,
    satisfaction_of,
    set_comment,
    validate_voice_fields,
)
from kliento.insights import loopfacts
from kliento.insights import services as insights
from kliento.insights.tasks import rebuild_rollups
from kliento.recovery import services as recovery
from kliento.recovery.models import Case, CaseStatus
from kliento.surveys import services as surveys
from kliento.surveys.imports import Recipient
from kliento.surveys.models import Invitation, SendBatch, Survey

log = logging.getLogger(__name__)


def open_workspace(*, name: str, owner: User | None = None, **options: str) -> Workspace:
    """A new workspace, ready to hear: its owner as admin and the default alert rule."""
    with transaction.atomic():
        workspace = create_workspace(name=name, owner=owner, **options)
        ensure_default_rule(workspace)
        ensure_default_themes(workspace)
        recovery.ensure_defaults(workspace)
    return workspace


@dataclass
class Voice:
    """What a customer said, through any channel, before it becomes a Feedback row."""

    workspace: Workspace
    customer: CustomerRef | Customer
    channel: str
    source: str
    score: int | None = None
    scale: str = ""
    text: str = ""
    language: str = ""
    agent: User | None = None
    team: Team | None = None
    conversation_id: int | None = None
    occurred_at: datetime | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


def hear(voice: Voice) -> Feedback:
    """Record a voice as Feedback and have it processed once the record is committed.

    Raises ValidationError (naming each bad field) and writes nothing when the voice is invalid.
    """
    validate_voice_fields(channel=voice.channel, source=voice.source, score=voice.score,
                          scale=voice.scale, text=voice.text)
    with transaction.atomic():
        feedback = _record(voice)
        # Close the loop counts every unhappy voice from the moment it is heard (a score
        # says so before any words are judged), and a logged contact or praise at once; a
        # one-click answer (`_record` alone, the cheapest path) at its processing.
        loopfacts.follow_voice(feedback.pk)
        return feedback


def _record(voice: Voice) -> Feedback:
    """`hear`, inside a transaction the caller holds (no savepoint of its own)."""
    customer = voice.customer
    if isinstance(customer, CustomerRef):
        customer = find_or_create_customer(workspace=voice.workspace, ref=customer)
    feedback = record_feedback(
        workspace=voice.workspace, customer=customer, channel=voice.channel,
        source=voice.source, score=voice.score, scale=voice.scale, text=voice.text,
        language=voice.language, agent=voice.agent, team=voice.team,
        conversation_id=voice.conversation_id, occurred_at=voice.occurred_at,
        metadata=voice.metadata,
    )
    # An unhappy score is processed ahead of the queue: its alert must not wait behind
    # a burst of happy answers.
    enqueue_on_commit(urgent(process_feedback) if feedback.polarity == Polarity.NEGATIVE
                      else process_feedback, feedback.pk)
    return feedback


@task()
def process_feedback(feedback_id: int) -> None:
    """The loop's processing step for one Feedback, run by the worker after commit."""
    feedback = Feedback.objects.select_related("customer__workspace").filter(pk=feedback_id).first()
    if feedback is None:
        log.warning("feedback %s vanished before processing", feedback_id)
        return
    customer = feedback.customer
    # The rollups count the voice as judged, in the judgement's own transaction.
    with transaction.atomic():
        if feedback.text and feedback.analysed_at is None:
            analyse_feedback(feedback)
        insights.count_voice(feedback.pk)
        # A survey answer's invitation is answered (and counted so) as its voice is.
        answered = surveys.mark_answered(feedback)
        if answered is not None:
            insights.count_answer(answered)
    s = satisfaction_of(customer)
    set_satisfaction(customer=customer, last_polarity=s.last_polarity,
                     last_feedback_at=s.last_feedback_at, rolling_csat=s.rolling_csat)
    # Again after a changed score or an added comment: five stars with angry words alert
    # once the words arrive; a rule never alerts twice for the same feedback.
    alerts = raise_alerts(feedback)
    _recover(feedback, alerts)
    mark_processed(feedback)


@dataclass
class Interaction:
    """A contact an agent documents by hand: a call, a visit, a chat or an e-mail."""

    workspace: Workspace
    customer: CustomerRef | Customer
    channel: str
    agent: User
    team: Team | None = None
    subject: str = ""
    note: str = ""
    customer_said: str = ""
    score: int | None = None
    scale: str = ""
    occurred_at: datetime | None = None


def log_interaction(interaction: Interaction) -> Feedback:
    """Document a contact and hear what the customer said (or how they rated it)."""
    i = interaction
    validate_voice_fields(channel=i.channel, source=Source.INTERACTION, score=i.score,
                          scale=i.scale, text=i.customer_said)
    when = i.occurred_at or timezone.now()
    with transaction.atomic():
        customer = i.customer
        if isinstance(customer, CustomerRef):
            customer = find_or_create_customer(workspace=i.workspace, ref=customer)
        conversation = record_contact(
            workspace=i.workspace, customer=customer, channel=i.channel, agent=i.agent,
            team=i.team, subject=i.subject, note=i.note, occurred_at=when,
        )
        return hear(Voice(
            workspace=i.workspace, customer=customer, channel=i.channel,
            source=Source.INTERACTION, score=i.score, scale=i.scale, text=i.customer_said,
            agent=i.agent, team=i.team, conversation_id=conversation.pk,
            occurred_at=when,
        ))


def answer_invitation(
    key: str, score: int, *, channel: str
) -> tuple[surveys.Decision, Invitation]:
    """Record a one-click answer exactly once; a changed score within the edit window counts.

    A first answer is four statements: the invitation claimed (locked, checked and read in
    one), the voice, the invitation's link to it, the voice's task. Anything else (a score
    changed or clicked again, a link too late, revoked or unknown) reads the invitation
    and decides. Concurrent clicks of the same link leave one answer: the claim holds the
    row until commit, and a click that waited finds it answered. The invitation becomes
    "answered", and is counted so, when its voice is processed (`process_feedback`).
    Raises Invitation.DoesNotExist for an unknown key.
    """
    with transaction.atomic():
        invitation = surveys.claim_first_answer(key, score)
        if invitation is not None:
            _record_answer(invitation, score, channel)
            return surveys.Decision.RECORD, invitation
        invitation = surveys.read_invitation(key)
        decision = surveys.decide_answer(invitation, score)
        if decision is surveys.Decision.RECORD:
            # The claim missed it a moment ago (its voice deleted since, say): decide again
            # holding the lock.
            invitation = surveys.lock_invitation(key)
            decision = surveys.decide_answer(invitation, score)
            if decision is surveys.Decision.RECORD:
                invitation.answered_at = timezone.now()
                _record_answer(invitation, score, channel)
        elif decision is surveys.Decision.CHANGE and invitation.feedback is not None:
            # The rollups follow when the voice is processed again, as for a first answer.
            change_score(invitation.feedback, score)
            _reprocess(invitation.feedback.pk)
    return decision, invitation


def _record_answer(invitation: Invitation, score: int, channel: str) -> None:
    feedback = _record(Voice(
        workspace=invitation.workspace, customer=invitation.customer, channel=channel,
        source=Source.SURVEY, score=score, scale=invitation.survey.scale,
        language=invitation.language, agent=invitation.agent, team=invitation.team,
        conversation_id=invitation.conversation_id,
        metadata={"survey_id": invitation.survey_id, "invitation_id": invitation.pk,
                  "unverified": invitation.unverified, "reference": invitation.reference},
    ))
    surveys.link_answer(invitation, feedback)


def comment_on_invitation(invitation: Invitation, text: str) -> bool:
    """Add the customer's comment to their answer; False when it can no longer change."""
    with transaction.atomic():
        invitation = surveys.lock_invitation(invitation.key)
        if not surveys.may_comment(invitation) or invitation.feedback is None:
            return False
        set_comment(invitation.feedback, text)
        _reprocess(invitation.feedback.pk)
    return True


def _reprocess(feedback_id: int) -> None:
    enqueue_on_commit(process_feedback, feedback_id)


def correct_feedback(*, feedback: Feedback, user: User | None, polarity: str = "",
                     themes: list[str] | None = None) -> Any:
    """A person corrects what text analysis made of a voice; the figures follow at once."""
    with transaction.atomic():
        correction = correct(feedback=feedback, user=user, polarity=polarity, themes=themes)
        insights.count_voice(feedback.pk)
    return correction


def delete_feedback(feedback: Feedback) -> None:
    """Delete a voice; it leaves the figures in the same transaction."""
    with transaction.atomic():
        insights.forget_voice(feedback)
        feedback_services.delete_feedback(feedback)


def _ask(*, survey: Survey, customer: Customer, req: surveys.InvitationRequest) -> Invitation:
    """A new invitation, counted as asked on its day (unless it was skipped)."""
    invitation = surveys.create_invitation(survey=survey, customer=customer, req=req)
    insights.count_invitation(invitation)
    return invitation


SWEEP_AFTER = timedelta(minutes=1)


def sweep_unprocessed_feedback(now: datetime | None = None) -> int:
    """Periodic: a voice still unprocessed a minute after it arrived is processed again.

    Its task was lost (a worker killed mid-run, a queue flushed, a failure): an unhappy
    customer must never be dropped silently. Processing is idempotent (an alert rule never
    fires twice for one feedback), so a late duplicate costs only time. Voices whose task
    is still waiting in the database queue are left to it, so a backlog is not doubled.
    """
    now = now or timezone.now()
    due = list(Feedback.objects.filter(processed_at__isnull=True,
                                       received_at__lt=now - SWEEP_AFTER)
               .order_by("received_at").values_list("pk", "polarity")[:500])
    if not due:
        return 0
    waiting = _queued_feedback_ids([pk for pk, _p in due])
    count = 0
    for pk, polarity in due:
        if pk in waiting:
            continue
        task_ = urgent(process_feedback) if polarity == Polarity.NEGATIVE else process_feedback
        task_.enqueue(pk)
        count += 1
    if count:
        log.warning("re-enqueued processing of %d feedback left unprocessed", count)
    return count


def _queued_feedback_ids(ids: list[int]) -> set[int]:
    """Those of `ids` whose processing task waits in (or runs from) the database queue."""
    if not isinstance(process_feedback.get_backend(), DatabaseBackend):
        return set()
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    pending = DBTaskResult.objects.filter(
        task_path=process_feedback.module_path,
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
        args_kwargs__args__0__in=ids,
    ).values_list("args_kwargs", flat=True)
    return {int(a["args"][0]) for a in pending if a.get("args")}


def invite(
    *, survey: Survey, customer: CustomerRef | Customer, req: surveys.InvitationRequest,
) -> Invitation:
    """Ask a customer (found or created by any identity) a survey question."""
    with transaction.atomic():
        if isinstance(customer, CustomerRef):
            customer = find_or_create_customer(workspace=survey.workspace, ref=customer)
        return _ask(survey=survey, customer=customer, req=req)


def send_bulk(
    *, survey: Survey, recipients: list[Recipient], actor: User, filename: str = "",
) -> SendBatch:
    """Queue a checked list of recipients; the worker sends them at the survey's rate."""
    with transaction.atomic():
        batch = SendBatch.objects.create(
            workspace=survey.workspace, survey=survey, created_by=actor, filename=filename[:200],
            total=len(recipients), rate_per_minute=survey.send_rate_per_minute,
        )
        for r in recipients:
            customer = find_or_create_customer(workspace=survey.workspace, ref=CustomerRef(
                email=r.email, name=r.name, language=r.language))
            req = surveys.InvitationRequest(email=r.email, language=r.language, agent=r.agent,
                                            team=r.team, reference=r.reference, send=True,
                                            batch=batch)
            _ask(survey=survey, customer=customer, req=req)
    return batch


def answer_open_link(
    *, survey: Survey, score: int, email: str, reference: str
) -> tuple[surveys.Decision, Invitation]:
    """An answer through a rating link pasted in a reply; one per (reference, e-mail)."""
    email = normalize_email(email)
    with transaction.atomic():
        customer = find_or_create_customer(workspace=survey.workspace,
                                           ref=CustomerRef(email=email))
        invitation = surveys.open_link_invitation(survey=survey, customer=customer,
                                                  email=email, reference=reference)
    return answer_invitation(invitation.key, score, channel=Channel.EMAIL)


def hear_web_answer(
    *, survey: Survey, score: int, text: str, email: str, visitor: str, language: str,
    channel: str, page: str = "",
) -> Feedback:
    """An answer from the public survey page or the website widget."""
    from kliento.feedback.scoring import ScoreError, check_score

    try:
        check_score(score, survey.scale)
    except ScoreError as exc:
        from django.core.exceptions import ValidationError

        raise ValidationError({"score": str(exc)}) from None
    ref = CustomerRef(email=email, language=language) if email else CustomerRef(
        external_id=f"visitor:{visitor}", language=language)
    return hear(Voice(
        workspace=survey.workspace, customer=ref, channel=channel, source=Source.SURVEY,
        score=score, scale=survey.scale, text=text, language=language,
        metadata={"survey_id": survey.pk, "page": page[:500], "unverified": True},
    ))


# -- recovery ----------------------------------------------------------------------------


def _recover(feedback: Feedback, alerts: list[Alert]) -> None:
    """The recovery step of processing: a follow-up answer sets its case's outcome (and an
    unhappy one reopens the case, telling the alert channels too); a negative voice joins
    the customer's open case; a rule that says so opens one."""
    followed = recovery.case_followed_up_by(feedback)
    if followed is not None and feedback.polarity:
        with transaction.atomic():
            recorded = recovery.record_outcome(case=followed, feedback=feedback)
            if recorded.event:
                deliver_notice(channels=recovery.notice_channels(followed),
                               event=recorded.event, case=followed)
        return
    case = recovery.open_case_of(feedback.customer)
    if case is not None:
        if case.status == CaseStatus.WAITING:
            recovery.customer_answered(case, feedback)  # whatever they say, it is an answer
        elif feedback.polarity == "negative":
            recovery.join(case, feedback)
        return
    rule = next((a.rule for a in alerts if a.rule is not None and a.rule.open_case), None)
    if rule is not None:
        recovery.open_case(feedback=feedback, rule=rule)


def open_case_by_hand(*, feedback: Feedback, owner: User | None) -> Case:
    """An agent opens a case from a feedback (or joins it to the customer's open case)."""
    with transaction.atomic():
        return recovery.open_case(feedback=feedback, owner=owner)


def follow_up_survey(workspace: Workspace) -> Survey:
    """The survey that asks a recovered customer how it went: CSAT, made once."""
    survey = Survey.objects.for_workspace(workspace).filter(
        kind="csat", is_active=True, name=FOLLOW_UP_SURVEY).first()
    return survey or surveys.create_survey(workspace=workspace, actor=None,
                                           name=FOLLOW_UP_SURVEY, kind="csat")


FOLLOW_UP_SURVEY = "Recovery follow-up"


def reply_to_case(*, case: Case, agent: User | None, template_key: str = "",
                  subject: str = "", body: str = "", language: str = "") -> Any:
    """Reply to the customer of a case; a {rating_snippet} brings one-click rating links."""
    with transaction.atomic():
        rating = ("", "")
        template = recovery.template_body(case, template_key) if template_key else body
        if "{rating_snippet}" in (template or ""):
            invitation = _ask(
                survey=follow_up_survey(case.workspace), customer=case.customer,
                req=surveys.InvitationRequest(bypass_quiet=True, team=case.team,
                                              agent=agent, metadata={"case_id": case.pk}))
            if not invitation.skip_reason:
                rating = rating_blocks(invitation)
                if case.follow_up_id is None:
                    recovery.set_follow_up(case, invitation)
        message = recovery.reply(case=case, agent=agent, template_key=template_key,
                                 subject=subject, body=body, language=language, rating=rating)
        if agent is not None:  # an agent's reply is a contact; the system's is not
            loopfacts.customer_contacted(case.workspace, case.customer_id)
        return message


def rating_blocks(invitation: Invitation) -> tuple[str, str]:
    """The invitation's question and score buttons (HTML, plain text) for a reply."""
    from kliento.surveys.emails import invitation_links, rating_block

    texts = surveys.texts_for(invitation.survey, invitation.language,
                              invitation.workspace.name)
    html, text = rating_block(invitation_links(invitation), texts, invitation.language)
    return f"<p><strong>{escape(texts['question'])}</strong></p>{html}", text


def send_follow_ups(now: datetime | None = None) -> int:
    """Periodic: resolved cases whose follow-up time has come get their survey e-mailed."""
    now = now or timezone.now()
    count = 0
    for case in recovery.due_follow_ups(now):
        with transaction.atomic():
            invitation = _ask(
                survey=follow_up_survey(case.workspace), customer=case.customer,
                req=surveys.InvitationRequest(send=True, bypass_quiet=True, team=case.team,
                                              agent=case.owner,
                                              metadata={"case_id": case.pk}))
            recovery.set_follow_up(case, invitation)
        count += 1
    recovery.mark_no_answers(now)
    return count


# -- deadlines -----------------------------------------------------------------------------


def update_workspace(*, workspace: Workspace, actor: Membership, **fields: str) -> Workspace:
    """The workspace's settings; a new time zone or country moves every deadline."""
    # Read from the database: a ModelForm bound to this workspace has already set the new
    # values on the instance while validating.
    before = Workspace.objects.filter(pk=workspace.pk).values_list("time_zone", "country").get()
    with transaction.atomic():
        core.update_workspace(workspace=workspace, actor=actor, **fields)
        if (workspace.time_zone, workspace.country) != before:
            calendar_changed(workspace)
        if workspace.time_zone != before[0]:
            # Every voice's day is a day in the workspace's time zone: all of them move.
            enqueue_on_commit(rebuild_rollups, workspace.pk)
    return workspace


def set_business_hours(*, workspace: Workspace, actor: Membership, hours_text: str,
                       closed_text: str) -> Workspace:
    """The workspace's business hours and closed days; every deadline moves with them."""
    with transaction.atomic():
        core.set_business_hours(workspace=workspace, actor=actor, hours_text=hours_text,
                                closed_text=closed_text)
        calendar_changed(workspace)
    return workspace


def set_team_hours(*, team: Team, actor: Membership, time_zone: str, own_hours: bool,
                   hours_text: str, closed_text: str) -> Team:
    """A team's time zone, hours and closed days; the team's deadlines move with them."""
    with transaction.atomic():
        core.set_team_hours(team=team, actor=actor, time_zone=time_zone, own_hours=own_hours,
                            hours_text=hours_text, closed_text=closed_text)
        calendar_changed(team.workspace, team)
    return team


def calendar_changed(workspace: Workspace, team: Team | None = None) -> None:
    """Deadlines computed on the old calendar are out of date. A workspace may have
    thousands of open cases and alerts: they are recomputed in the worker, after commit,
    not in the request that changed the calendar."""
    enqueue_on_commit(recompute_deadlines, workspace.pk, team.pk if team else None)


@task()
def recompute_deadlines(workspace_id: int, team_id: int | None = None) -> int:
    """Every deadline that counts business time, again on the current calendar: open cases'
    due times and open alerts' next escalation (of the team's, when `team_id` is given)."""
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None:
        return 0
    team = Team.objects.filter(pk=team_id, workspace=workspace).first() if team_id else None
    if team_id and team is None:
        return 0  # the team is gone, and its cases and alerts moved on with it
    return (recovery.recompute_open_cases(workspace=workspace, team=team)
            + recompute_escalations(workspace=workspace, team=team)
            + loopfacts.recompute(workspace, team.pk if team else None))


def check_slas(now: datetime | None = None) -> int:
    """Periodic: cases near or past their service level; their people are e-mailed and the
    team's notice channels told through the alert outbox, in one transaction per case."""
    return recovery.check_slas(now, tell=deliver_notice)


def check_promises(now: datetime | None = None) -> int:
    """Periodic: overdue promises remind their owner, then the manager, by e-mail and
    through the team's notice channels."""
    return recovery.check_promises(now, tell=deliver_notice)
