"""Use cases of the feedback domain: record a voice, read the feed, a customer's satisfaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.core.models import Team, User, Workspace
from kliento.customers.models import Customer
from kliento.feedback.models import Channel, Feedback, Polarity, Source
from kliento.feedback.scoring import ScoreError, polarity_of

ROLLING_DAYS = 90


def validate_voice_fields(
    *, channel: str, source: str, score: int | None, scale: str, text: str
) -> str:
    """Check what a voice says at the edge; returns the polarity its score implies ('' if none)."""
    errors: dict[str, str] = {}
    if channel not in Channel.values:
        errors["channel"] = _("Unknown channel “%(value)s”.") % {"value": channel[:20]}
    if source not in Source.values:
        errors["source"] = _("Unknown source “%(value)s”.") % {"value": source[:20]}
    polarity = ""
    if score is not None or scale:
        if score is None:
            errors["score"] = _("A scale was given without a score.")
        elif not scale:
            errors["scale"] = _("A score needs its scale (csat, nps, ces or thumbs).")
        else:
            try:
                polarity = polarity_of(score, scale)
            except ScoreError as exc:
                errors["scale" if "unknown scale" in str(exc) else "score"] = str(exc)
    if len(text) > settings.MAX_FEEDBACK_TEXT:
        errors["text"] = _("The text is longer than %(max)s characters.") % {
            "max": settings.MAX_FEEDBACK_TEXT}
    if errors:
        raise ValidationError(errors)
    return polarity


def record_feedback(
    *, workspace: Workspace, customer: Customer, channel: str, source: str,
    score: int | None = None, scale: str = "", text: str = "", language: str = "",
    agent: User | None = None, team: Team | None = None, conversation_id: int | None = None,
    occurred_at: datetime | None = None, metadata: dict[str, Any] | None = None,
) -> Feedback:
    """Record one voice of the customer as a Feedback row, its polarity from its score."""
    polarity = validate_voice_fields(
        channel=channel, source=source, score=score, scale=scale, text=text
    )
    now = timezone.now()
    return Feedback.objects.create(
        workspace=workspace, customer=customer, channel=channel, source=source, score=score,
        scale=scale, polarity=polarity, text=text.strip(), language=language or customer.language,
        agent=agent, team=team, conversation_id=conversation_id, occurred_at=occurred_at or now,
        received_at=now, metadata=metadata or {},
    )


@dataclass
class Satisfaction:
    last_polarity: str
    last_feedback_at: datetime | None
    rolling_csat: float | None


def satisfaction_of(customer: Customer) -> Satisfaction:
    """The customer's latest polarity and the positive share of their last 90 days."""
    mine = Feedback.objects.for_workspace(customer.workspace).filter(customer=customer)
    latest = mine.exclude(polarity="").order_by("-occurred_at").first()
    since = timezone.now() - timedelta(days=ROLLING_DAYS)
    counts = mine.filter(occurred_at__gte=since).exclude(polarity="").aggregate(
        judged=Count("pk"), positive=Count("pk", filter=Q(polarity=Polarity.POSITIVE))
    )
    rolling = 100.0 * counts["positive"] / counts["judged"] if counts["judged"] else None
    return Satisfaction(
        last_polarity=latest.polarity if latest else "",
        last_feedback_at=latest.occurred_at if latest else None,
        rolling_csat=rolling,
    )


def mark_processed(feedback: Feedback) -> None:
    Feedback.objects.filter(pk=feedback.pk).update(processed_at=timezone.now())


def change_score(feedback: Feedback, score: int) -> Feedback:
    """A customer changed their rating within the edit window: new score, new polarity."""
    polarity = validate_voice_fields(channel=feedback.channel, source=feedback.source,
                                     score=score, scale=feedback.scale, text=feedback.text)
    feedback.score = score
    feedback.polarity = polarity
    feedback.save(update_fields=["score", "polarity"])
    return feedback


def set_comment(feedback: Feedback, text: str) -> Feedback:
    """The customer's words added to their rating (the follow-up question)."""
    validate_voice_fields(channel=feedback.channel, source=feedback.source,
                          score=feedback.score, scale=feedback.scale, text=text)
    feedback.text = text.strip()
    feedback.analysed_at = None  # new words: judge them again
    feedback.save(update_fields=["text", "analysed_at"])
    return feedback


def delete_feedback(feedback: Feedback) -> None:
    """Delete a voice for good (a test answer, spam); its corrections and alerts go with it."""
    Feedback.objects.filter(pk=feedback.pk).delete()
