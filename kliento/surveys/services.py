"""Use cases of the surveys domain: surveys, invitations, sending, answering, opting out."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import timedelta
from enum import Enum
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.conversations.models import Conversation
from kliento.core.languages import first_supported
from kliento.core.models import Membership, Role, Team, User, Workspace
from kliento.core.services import require_role
from kliento.core.tasks import enqueue_on_commit
from kliento.customers.models import Customer, IdentityKind
from kliento.feedback.models import Feedback, Source
from kliento.surveys import tokens
from kliento.surveys.defaults import DEFAULT_TEXTS, FIELDS
from kliento.surveys.models import (
    SCORES,
    Invitation,
    InvitationState,
    OptOut,
    SendBatch,
    SkipReason,
    Survey,
    SurveyKind,
)

LANGUAGES = [code for code, _name in settings.LANGUAGES]
MAX_TEXT = 500
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def default_texts(kind: str) -> dict[str, dict[str, str]]:
    return {lang: dict(DEFAULT_TEXTS[kind][lang]) for lang in LANGUAGES}


def create_survey(
    *, workspace: Workspace, actor: Membership | None, name: str, kind: str,
    **options: Any,
) -> Survey:
    """A new survey, with good default texts in every language."""
    if actor is not None:
        require_role(actor, Role.MANAGER)
    if kind not in SurveyKind.values:
        raise ValidationError({"kind": _("Unknown survey kind “%(value)s”.") % {"value": kind}})
    survey = Survey(workspace=workspace, name=name.strip()[:100], kind=kind,
                    texts=default_texts(kind))
    _apply(survey, options)
    survey.save()
    return survey


def update_survey(
    *, workspace: Workspace, actor: Membership | None, survey: Survey, **changes: Any
) -> Survey:
    if actor is not None:
        require_role(actor, Role.MANAGER)
    if survey.workspace_id != workspace.pk:
        raise Survey.DoesNotExist
    if "name" in changes:
        survey.name = str(changes.pop("name")).strip()[:100]
    if "kind" in changes and changes["kind"] != survey.kind:
        raise ValidationError({"kind": _("The kind of a survey cannot change once created.")})
    changes.pop("kind", None)
    _apply(survey, changes)
    survey.save()
    return survey


def _apply(survey: Survey, options: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not survey.name:
        errors["name"] = _("A survey needs a name.")
    texts = options.pop("texts", None)
    if texts is not None:
        if not isinstance(texts, dict):
            errors["texts"] = _("Texts must be given per language.")
        else:
            for lang, values in texts.items():
                if lang not in LANGUAGES:
                    errors["texts"] = _("Unsupported language “%(value)s”.") % {"value": lang}
                    continue
                for key, value in (values or {}).items():
                    if key not in FIELDS:
                        errors["texts"] = _("Unknown text “%(value)s”.") % {"value": key}
                    elif not isinstance(value, str) or len(value) > MAX_TEXT:
                        errors["texts"] = _("Each text is at most %(max)s characters.") % {
                            "max": MAX_TEXT}
                    elif value.strip():
                        survey.texts.setdefault(lang, {})[key] = value.strip()
    for key in ("expiry_days", "quiet_days", "edit_window_minutes", "send_rate_per_minute"):
        if key in options:
            try:
                value = int(options[key])
            except (TypeError, ValueError):
                value = -1
            limits = {"expiry_days": (1, 365), "quiet_days": (0, 365),
                      "edit_window_minutes": (0, 10_080), "send_rate_per_minute": (1, 10_000)}
            low, high = limits[key]
            if not low <= value <= high:
                errors[key] = _("Must be between %(low)s and %(high)s.") % {"low": low,
                                                                              "high": high}
            else:
                setattr(survey, key, value)
    if "brand_color" in options:
        colour = str(options["brand_color"] or "").strip()
        if not HEX_COLOUR.match(colour):
            errors["brand_color"] = _("Write the colour as #RRGGBB.")
        else:
            survey.brand_color = colour
    if "logo_url" in options:
        logo = str(options["logo_url"] or "").strip()
        if logo:
            try:
                URLValidator(schemes=["https", "http"])(logo)
            except ValidationError:
                errors["logo_url"] = _("Enter a valid web address.")
        survey.logo_url = logo
    if "allowed_origins" in options:
        origins = options["allowed_origins"]
        lines = origins if isinstance(origins, list) else str(origins or "").splitlines()
        clean = []
        for line in (str(x).strip().rstrip("/") for x in lines):
            if not line:
                continue
            if not re.match(r"^https?://[A-Za-z0-9.-]+(:\d+)?$", line):
                errors["allowed_origins"] = _("“%(value)s” is not an origin like "
                                              "https://shop.example.com.") % {"value": line[:80]}
            clean.append(line)
        survey.allowed_origins = "\n".join(clean)
    if "is_active" in options:
        survey.is_active = bool(options["is_active"])
    if errors:
        raise ValidationError(errors)


def texts_for(survey: Survey, language: str, company: str) -> dict[str, str]:
    """The survey's texts in a language, falling back field by field to English."""
    base = dict(DEFAULT_TEXTS[survey.kind]["en"])
    base.update(survey.texts.get("en", {}))
    if language != "en":
        base.update(DEFAULT_TEXTS[survey.kind].get(language, {}))
        base.update(survey.texts.get(language, {}))
    # {company} is the only placeholder; plain replacement never evaluates anything.
    return {k: v.replace("{company}", company) for k, v in base.items()}


def language_for(customer: Customer, workspace: Workspace, wanted: str = "") -> str:
    return first_supported(wanted, customer.language, workspace.default_language)


def token_for(invitation: Invitation) -> str:
    return tokens.sign(invitation.key)


def key_of(token: str) -> str:
    """The invitation key in a link token; Invitation.DoesNotExist when tampered."""
    try:
        return tokens.unsign(token)
    except tokens.InvalidToken:
        raise Invitation.DoesNotExist from None


def find_invitation(token: str) -> Invitation:
    """The invitation of a link token; Invitation.DoesNotExist when tampered or unknown."""
    return Invitation.objects.select_related("survey", "workspace", "customer").get(
        key=key_of(token))


@dataclass
class InvitationRequest:
    """How to ask a customer, about what; validated at the edge."""

    email: str = ""
    language: str = ""
    conversation: Conversation | None = None
    agent: User | None = None
    team: Team | None = None
    reference: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    send: bool = False
    bypass_quiet: bool = False
    batch: SendBatch | None = None


def _skip_reason(survey: Survey, customer: Customer, req: InvitationRequest, email: str) -> str:
    ws = survey.workspace
    if not survey.is_active:
        return SkipReason.INACTIVE_SURVEY
    if email and OptOut.objects.for_workspace(ws).filter(email=email).exists():
        return SkipReason.UNSUBSCRIBED
    if req.send and not email:
        return SkipReason.INVALID_ADDRESS
    if not req.bypass_quiet and survey.quiet_days:
        since = timezone.now() - timedelta(days=survey.quiet_days)
        recent = Invitation.objects.for_workspace(ws).filter(
            customer=customer, created_at__gte=since, unverified=False,
            state__in=[InvitationState.QUEUED, InvitationState.SENT, InvitationState.ANSWERED,
                       InvitationState.LINK],
        )
        if recent.exists():
            return SkipReason.QUIET_PERIOD
    return ""


def _valid_email(value: str) -> str:
    value = value.strip().lower()
    try:
        validate_email(value)
    except ValidationError:
        return ""
    return value


def customer_email(customer: Customer) -> str:
    identity = customer.identities.filter(kind=IdentityKind.EMAIL).order_by("pk").first()
    return identity.value if identity else ""


def create_invitation(
    *, survey: Survey, customer: Customer, req: InvitationRequest
) -> Invitation:
    """An invitation, or a skipped one with its reason; queued e-mails leave after commit."""
    email = _valid_email(req.email or customer_email(customer))
    reason = _skip_reason(survey, customer, req, email)
    state = (InvitationState.SKIPPED if reason
             else InvitationState.QUEUED if req.send else InvitationState.LINK)
    invitation = Invitation.objects.create(
        workspace=survey.workspace, survey=survey, customer=customer,
        conversation=req.conversation, agent=req.agent, team=req.team, batch=req.batch,
        email=email, language=language_for(customer, survey.workspace, req.language),
        reference=req.reference[:200], metadata=req.metadata, state=state, skip_reason=reason,
        bypass_quiet=req.bypass_quiet,
        expires_at=timezone.now() + timedelta(days=survey.expiry_days),
    )
    if state == InvitationState.QUEUED and req.batch is None:
        from kliento.surveys.tasks import send_invitation

        enqueue_on_commit(send_invitation, invitation.pk)
    return invitation


def open_link_invitation(
    *, survey: Survey, customer: Customer, email: str, reference: str
) -> Invitation:
    """The one invitation of an open rating link for (reference, e-mail), made on first use."""
    defaults = {
        "workspace": survey.workspace, "customer": customer,
        "language": language_for(customer, survey.workspace),
        "expires_at": timezone.now() + timedelta(days=survey.expiry_days),
        "state": InvitationState.LINK,
    }
    try:
        with transaction.atomic():
            invitation, _created = Invitation.objects.get_or_create(
                survey=survey, reference=reference[:200], email=email, unverified=True,
                defaults=defaults)
    except IntegrityError:
        invitation = Invitation.objects.get(survey=survey, reference=reference[:200],
                                            email=email, unverified=True)
    return invitation


def revoke_invitation(*, invitation: Invitation) -> None:
    # Answered (or being processed as answered): it stays.
    if invitation.state != InvitationState.ANSWERED and invitation.feedback_id is None:
        invitation.state = InvitationState.REVOKED
        invitation.save(update_fields=["state"])


class Decision(Enum):
    RECORD = "record"
    CHANGE = "change"
    UNCHANGED = "unchanged"
    TOO_LATE = "too_late"
    EXPIRED = "expired"
    REVOKED = "revoked"
    BAD_SCORE = "bad_score"


# The survey's and the workspace's columns come back through scalar subqueries: SQLite's
# RETURNING cannot name a joined table, and these are primary-key lookups.
_SURVEY_COLUMNS = ["kind", "texts", "brand_color", "logo_url", "edit_window_minutes"]
_CLAIM_FIRST_ANSWER = """
UPDATE surveys_invitation SET answered_at = %s
 WHERE "key" = %s AND feedback_id IS NULL AND state <> 'revoked' AND expires_at >= %s
   AND survey_id IN (SELECT id FROM surveys_survey WHERE kind IN (%s, %s, %s, %s))
RETURNING *,
  (SELECT kind FROM surveys_survey s WHERE s.id = survey_id) AS survey_kind,
  (SELECT texts FROM surveys_survey s WHERE s.id = survey_id) AS survey_texts,
  (SELECT brand_color FROM surveys_survey s WHERE s.id = survey_id) AS survey_brand_color,
  (SELECT logo_url FROM surveys_survey s WHERE s.id = survey_id) AS survey_logo_url,
  (SELECT edit_window_minutes FROM surveys_survey s WHERE s.id = survey_id)
    AS survey_edit_window_minutes,
  (SELECT name FROM core_workspace w WHERE w.id = surveys_invitation.workspace_id)
    AS workspace_name
"""


def claim_first_answer(key: str, score: int) -> Invitation | None:
    """The invitation of `key`, locked and claimed for its first answer `score`; None when
    that is not what the click means (unknown key, answered already, revoked, expired, a
    score outside the survey's scale): the caller reads the invitation and decides.

    One conditional UPDATE … RETURNING takes the row lock, checks every condition and
    brings back what the answer and its thank-you page need (the survey's texts and
    colours, the workspace's name) — a locking SELECT with five joins cost ten times more.
    A concurrent click of the same link waits for the row, then finds it answered (under
    READ COMMITTED PostgreSQL checks the conditions again on the committed row). The
    customer, agent and team come back as their ids only: the answer only points at them.
    """
    kinds = [kind for kind, scores in SCORES.items() if score in scores]
    if not kinds:
        return None
    now = timezone.now()
    kinds += kinds[:1] * (len(SCORES) - len(kinds))  # as many as the statement's placeholders
    rows = list(Invitation.objects.raw(_CLAIM_FIRST_ANSWER, [now, key, now, *kinds]))
    if not rows:
        return None
    invitation: Any = rows[0]
    texts = invitation.survey_texts
    db = invitation._state.db
    workspace = Workspace.from_db(db, ["id", "name"],
                                  [invitation.workspace_id, invitation.workspace_name])
    survey = Survey.from_db(db, ["id", "workspace_id", *_SURVEY_COLUMNS], [
        invitation.survey_id, invitation.workspace_id, invitation.survey_kind,
        texts if isinstance(texts, dict) else json.loads(texts or "{}"),
        invitation.survey_brand_color, invitation.survey_logo_url,
        invitation.survey_edit_window_minutes])
    survey.workspace = workspace
    invitation.survey = survey
    invitation.workspace = workspace
    invitation.customer = _only_id(Customer, invitation.customer_id, db)
    invitation.agent = _only_id(User, invitation.agent_id, db)
    invitation.team = _only_id(Team, invitation.team_id, db)
    invitation.feedback = None
    return invitation


def _only_id(model: Any, pk: int | None, db: str) -> Any:
    """A row known by its id alone (its other fields load if ever read)."""
    return None if pk is None else model.from_db(db, ["id"], [pk])


def read_invitation(key: str) -> Invitation:
    """The invitation of `key` with its survey, workspace and answer, without a lock."""
    return _with_workspace(Invitation.objects.select_related("survey", "workspace", "feedback")
                           .get(key=key))


def lock_invitation(key: str) -> Invitation:
    # The feedback is not joined here but read after the lock is held: under READ COMMITTED,
    # PostgreSQL re-checks a locked row but not rows joined to it, so a joined answer written
    # by the transaction we waited for would look absent and be recorded twice.
    return _with_workspace(Invitation.objects.select_for_update(of=("self",))
                           .select_related("survey", "workspace").get(key=key))


def _with_workspace(invitation: Invitation) -> Invitation:
    invitation.survey.workspace = invitation.workspace  # the same row, not read twice
    return invitation


def decide_answer(invitation: Invitation, score: int) -> Decision:
    """What answering `score` means for this invitation, now."""
    if score not in SCORES[invitation.survey.kind]:
        return Decision.BAD_SCORE
    if invitation.state == InvitationState.REVOKED:
        return Decision.REVOKED
    feedback = invitation.feedback
    if feedback is None:
        return Decision.EXPIRED if invitation.is_expired else Decision.RECORD
    if feedback.score == score:
        return Decision.UNCHANGED
    deadline = invitation.edit_deadline()
    if deadline is not None and timezone.now() <= deadline:
        return Decision.CHANGE
    return Decision.TOO_LATE


def may_comment(invitation: Invitation) -> bool:
    if invitation.feedback is None:
        return False
    if not invitation.feedback.text:
        return True
    deadline = invitation.edit_deadline()
    return deadline is not None and timezone.now() <= deadline


def link_answer(invitation: Invitation, feedback: Feedback) -> None:
    """The claimed invitation points at its answer, answered at `invitation.answered_at`;
    the worker marks it answered (`mark_answered`)."""
    invitation.feedback = feedback
    Invitation.objects.filter(pk=invitation.pk).update(feedback=feedback,
                                                       answered_at=invitation.answered_at)


def mark_answered(feedback: Feedback) -> Invitation | None:
    """The invitation `feedback` answers becomes "answered" as its voice is processed;
    returned the first time only (a changed score, a new voice after the first one was
    deleted, a task run twice: None), so that it is counted as answered exactly once."""
    if feedback.source != Source.SURVEY:
        return None
    if not Invitation.objects.filter(feedback=feedback).exclude(
            state=InvitationState.ANSWERED).update(state=InvitationState.ANSWERED):
        return None
    return Invitation.objects.select_related("workspace").get(feedback=feedback)


def unsubscribe(*, invitation: Invitation) -> None:
    """Stop surveys to this address in this workspace; idempotent."""
    email = invitation.email or customer_email(invitation.customer)
    if email:
        OptOut.objects.get_or_create(workspace=invitation.workspace, email=email)


