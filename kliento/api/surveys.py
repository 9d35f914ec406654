from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from kliento import loop
from kliento.api.base import ERRORS, ERRORS_404, Id, Page, workspace_of
from kliento.api.schemas import CustomerRefIn, FeedbackOut, Language
from kliento.core.models import Membership, Team, Workspace
from kliento.feedback.models import Feedback
from kliento.surveys import services
from kliento.surveys.emails import invitation_links
from kliento.surveys.forms import HELPDESKS
from kliento.surveys.models import Survey
from kliento.surveys.snippets import rating_snippet

router = Router(tags=["surveys"])

TextsIn = dict[str, dict[str, str]]


class SurveySettingsIn(Schema):
    texts: TextsIn | None = None
    logo_url: str | None = None
    brand_color: str | None = None
    expiry_days: int | None = None
    quiet_days: int | None = None
    edit_window_minutes: int | None = None
    send_rate_per_minute: int | None = None
    allowed_origins: list[str] | None = None
    is_active: bool | None = None


class SurveyIn(SurveySettingsIn):
    name: str = Field(..., min_length=1, max_length=100)
    kind: Literal["csat", "nps", "ces", "thumbs"]


class SurveyPatch(SurveySettingsIn):
    name: str | None = Field(None, min_length=1, max_length=100)


class SurveyOut(Schema):
    id: int
    name: str
    kind: str
    texts: TextsIn
    logo_url: str
    brand_color: str
    expiry_days: int
    quiet_days: int
    edit_window_minutes: int
    send_rate_per_minute: int
    allowed_origins: list[str]
    is_active: bool
    public_key: str
    created_at: datetime

    @staticmethod
    def resolve_allowed_origins(obj: Survey) -> list[str]:
        return obj.origins()


class InvitationIn(Schema):
    customer: CustomerRefIn
    language: Language = ""
    reference: str = Field("", max_length=200)
    agent_email: str = Field("", max_length=254)
    team: str = Field("", max_length=100)
    metadata: dict[str, Any] = Field(default_factory=dict)
    send: bool | None = None


class InvitationsIn(Schema):
    """One invitation (fields at the top level) or a batch of up to 1000 in `invitations`."""

    invitations: list[InvitationIn] | None = Field(None, max_length=1000)
    customer: CustomerRefIn | None = None
    language: Language = ""
    reference: str = Field("", max_length=200)
    agent_email: str = Field("", max_length=254)
    team: str = Field("", max_length=100)
    metadata: dict[str, Any] = Field(default_factory=dict)
    send: bool = False


class InvitationOut(Schema):
    id: int
    customer_id: int
    state: str
    skip_reason: str
    email: str
    language: str
    reference: str
    expires_at: datetime
    links: dict[str, str]


def _survey(request: HttpRequest, survey_id: Id) -> Survey:
    return get_object_or_404(Survey.objects.for_workspace(workspace_of(request)), pk=survey_id)


@router.post("", response={201: SurveyOut, **ERRORS})
def create(request: HttpRequest, body: SurveyIn) -> Status[Survey]:
    data = body.dict(exclude_none=True)
    survey = services.create_survey(workspace=workspace_of(request), actor=None, **data)
    return Status(201, survey)


@router.get("", response={200: list[SurveyOut], **ERRORS})
@paginate(Page)
def list_surveys(request: HttpRequest) -> QuerySet[Survey]:
    return Survey.objects.for_workspace(workspace_of(request)).order_by("pk")


@router.get("/{survey_id}", response={200: SurveyOut, **ERRORS_404})
def detail(request: HttpRequest, survey_id: Id) -> Survey:
    return _survey(request, survey_id)


@router.patch("/{survey_id}", response={200: SurveyOut, **ERRORS_404})
def patch(request: HttpRequest, survey_id: Id, body: SurveyPatch) -> Survey:
    survey = _survey(request, survey_id)
    return services.update_survey(workspace=workspace_of(request), actor=None, survey=survey,
                                  **body.dict(exclude_none=True))


def _people(workspace: Workspace, item: InvitationIn, index: str) -> tuple[Any, Any]:
    agent = team = None
    if item.agent_email:
        member = (Membership.objects.for_workspace(workspace)
                  .filter(user__email=item.agent_email.strip().lower()).select_related("user")
                  .first())
        if member is None:
            raise ValidationError({f"{index}agent_email":
                                   "No member of this workspace has that e-mail."})
        agent = member.user
    if item.team:
        team = Team.objects.for_workspace(workspace).filter(name__iexact=item.team).first()
        if team is None:
            raise ValidationError({f"{index}team": "No team of this workspace has that name."})
    return agent, team


@router.post("/{survey_id}/invitations", response={201: list[InvitationOut], **ERRORS_404})
def invite(request: HttpRequest, survey_id: Id, body: InvitationsIn) -> Status[list[dict]]:
    """Create invitations (and e-mail them with `send`); all or nothing."""
    survey = _survey(request, survey_id)
    workspace = survey.workspace
    if body.invitations is not None:
        items = [(f"invitations.{i}.", it) for i, it in enumerate(body.invitations)]
    elif body.customer is not None:
        items = [("", InvitationIn(**body.dict(exclude={"invitations"})))]
    else:
        raise ValidationError({"customer": "Give `customer`, or a list in `invitations`."})
    made = []
    with transaction.atomic():
        for index, item in items:
            agent, team = _people(workspace, item, index)
            send = body.send if item.send is None else item.send
            try:
                invitation = loop.invite(survey=survey, customer=item.customer.to_ref(),
                                         req=services.InvitationRequest(
                    email=item.customer.email, language=item.language, agent=agent,
                    team=team, reference=item.reference, metadata=item.metadata, send=send))
            except ValidationError as exc:
                raise ValidationError({f"{index}customer.{k}": v
                                       for k, v in exc.message_dict.items()}) from None
            made.append(invitation)
    return Status(201, [{
        "id": i.pk, "customer_id": i.customer_id, "state": i.state, "skip_reason": i.skip_reason,
        "email": i.email, "language": i.language, "reference": i.reference,
        "expires_at": i.expires_at,
        "links": {} if i.skip_reason else {str(link.score): link.url
                                           for link in invitation_links(i)},
    } for i in made])


class AnswerOut(FeedbackOut):
    invitation_id: int | None

    @staticmethod
    def resolve_invitation_id(obj: Feedback) -> int | None:
        return obj.metadata.get("invitation_id")


@router.get("/{survey_id}/answers", response={200: list[AnswerOut], **ERRORS_404})
@paginate(Page)
def answers(request: HttpRequest, survey_id: Id) -> QuerySet[Feedback]:
    survey = _survey(request, survey_id)
    return (Feedback.objects.for_workspace(survey.workspace)
            .filter(metadata__survey_id=survey.pk).order_by("-received_at", "-pk"))


class SnippetOut(Schema):
    html: str
    text: str


@router.get("/{survey_id}/snippet", response={200: SnippetOut, **ERRORS_404})
def snippet(request: HttpRequest, survey_id: Id,
            helpdesk: Literal["generic", "zendesk", "freshdesk", "helpscout", "gmail"] = "generic",
            language: Literal["en", "lv", "pl", "sr", "sr-latn", "et", "hu"] = "en") -> dict:
    """The block of rating links to paste into replies, with the helpdesk's placeholders."""
    survey = _survey(request, survey_id)
    _name, ticket, email = HELPDESKS[helpdesk]
    html, text = rating_snippet(survey, language=language, company=survey.workspace.name,
                                ticket=ticket, email=email)
    return {"html": html, "text": text}
