from typing import Literal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from kliento.api.base import ERRORS, ERRORS_404, Datetime, Id, Page, workspace_of
from kliento.api.schemas import ChannelName, FeedbackIn, FeedbackOut
from kliento.core.models import Membership, Team
from kliento.customers.models import Customer, Polarity
from kliento.feedback.judging import correct
from kliento.feedback.models import Feedback
from kliento.feedback.services import FeedFilter, feed
from kliento.loop import Voice, hear

router = Router(tags=["feedback"])


@router.post("", response={201: FeedbackOut, **ERRORS_404})
def create(request: HttpRequest, body: FeedbackIn) -> Status[Feedback]:
    """Hear one voice. The customer is given inline by any identity, or by `customer_id`."""
    workspace = workspace_of(request)
    if body.customer_id is not None:
        customer: object = get_object_or_404(
            Customer.objects.for_workspace(workspace), pk=body.customer_id
        )
    elif body.customer is not None:
        customer = body.customer.to_ref()
    else:
        raise ValidationError({"customer": "Give the customer (any identity) or customer_id."})
    agent = None
    if body.agent_email:
        member = (Membership.objects.for_workspace(workspace)
                  .filter(user__email=body.agent_email.strip().lower()).select_related("user")
                  .first())
        if member is None:
            raise ValidationError({"agent_email": "No member of this workspace has that e-mail."})
        agent = member.user
    team = None
    if body.team:
        team = Team.objects.for_workspace(workspace).filter(name__iexact=body.team).first()
        if team is None:
            raise ValidationError({"team": "No team of this workspace has that name."})
    feedback = hear(Voice(
        workspace=workspace, customer=customer,  # type: ignore[arg-type]
        channel=body.channel, source=body.source,
        score=body.score, scale=body.scale or "", text=body.text, language=body.language,
        agent=agent, team=team, occurred_at=body.occurred_at, metadata=body.metadata,
    ))
    return Status(201, feedback)


class FeedbackQuery(Schema):
    polarity: Polarity | None = None
    channel: ChannelName | None = None
    customer_id: Id | None = None
    since: Datetime | None = None
    until: Datetime | None = None


@router.get("", response={200: list[FeedbackOut], **ERRORS})
@paginate(Page)
def list_feedback(request: HttpRequest, filters: Query[FeedbackQuery]) -> QuerySet[Feedback]:
    return feed(workspace_of(request), FeedFilter(
        polarity=filters.polarity or "", channel=filters.channel or "",
        customer_id=filters.customer_id, since=filters.since, until=filters.until,
    ))


class CorrectionIn(Schema):
    polarity: Literal["negative", "neutral", "positive", ""] = ""
    themes: list[str] | None = None


@router.post("/{feedback_id}/corrections", response={201: FeedbackOut, **ERRORS_404})
def correct_feedback(request: HttpRequest, feedback_id: Id,
                     body: CorrectionIn) -> Status[Feedback]:
    """Correct the sentiment and/or themes text analysis found; kept for retraining."""
    feedback = get_object_or_404(Feedback.objects.for_workspace(workspace_of(request)),
                                 pk=feedback_id)
    correct(feedback=feedback, user=None, polarity=body.polarity, themes=body.themes)
    feedback.refresh_from_db()
    return Status(201, feedback)


@router.get("/{feedback_id}", response={200: FeedbackOut, **ERRORS_404})
def detail(request: HttpRequest, feedback_id: Id) -> Feedback:
    return get_object_or_404(Feedback.objects.for_workspace(workspace_of(request)), pk=feedback_id)
