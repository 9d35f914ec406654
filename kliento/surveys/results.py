"""What a survey's answers say: distribution, CSAT % / NPS / average CES, response rate."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Count, Q

from kliento.feedback.models import Feedback
from kliento.surveys.models import Invitation, InvitationState, Survey, SurveyKind


@dataclass
class Bar:
    score: int
    count: int
    percent: float


@dataclass
class Results:
    answers: int
    delivered: int
    response_rate: float | None
    headline: float | None  # CSAT %, NPS, average CES, or % thumbs up
    headline_label: str
    distribution: list[Bar]


def results(survey: Survey) -> Results:
    answers = Feedback.objects.for_workspace(survey.workspace).filter(
        metadata__survey_id=survey.pk, score__isnull=False)
    counts = dict(answers.values_list("score").annotate(n=Count("pk")).values_list("score", "n"))
    total = sum(counts.values())
    distribution = [Bar(s, counts.get(s, 0), 100.0 * counts.get(s, 0) / total if total else 0)
                    for s in survey.scores]
    delivered = Invitation.objects.filter(survey=survey, unverified=False).filter(
        Q(state__in=[InvitationState.SENT, InvitationState.ANSWERED, InvitationState.LINK])
    ).count()
    answered = Invitation.objects.filter(survey=survey, unverified=False,
                                         state=InvitationState.ANSWERED).count()
    headline: float | None = None
    label = ""
    if total:
        if survey.kind == SurveyKind.CSAT:
            headline = 100.0 * (counts.get(4, 0) + counts.get(5, 0)) / total
            label = "CSAT %"
        elif survey.kind == SurveyKind.NPS:
            promoters = counts.get(9, 0) + counts.get(10, 0)
            detractors = sum(counts.get(s, 0) for s in range(7))
            headline = 100.0 * (promoters - detractors) / total
            label = "NPS"
        elif survey.kind == SurveyKind.CES:
            headline = answers.aggregate(avg=Avg("score"))["avg"]
            label = "CES"
        else:
            headline = 100.0 * counts.get(1, 0) / total
            label = "👍 %"
    return Results(
        answers=total, delivered=delivered,
        response_rate=100.0 * answered / delivered if delivered else None,
        headline=headline, headline_label=label, distribution=distribution,
    )


def comments(survey: Survey, limit: int = 50) -> list[Feedback]:
    return list(Feedback.objects.for_workspace(survey.workspace)
                .filter(metadata__survey_id=survey.pk).exclude(text="")
                .select_related("customer").order_by("-received_at")[:limit])
