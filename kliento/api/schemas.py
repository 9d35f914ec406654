from datetime import datetime
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import StrictInt

from kliento.api.base import Datetime, Id
from kliento.customers.services import CustomerRef

Language = Literal["en", "lv", "pl", "sr", "sr-latn", "et", "hu", ""]
ChannelName = Literal["email", "web", "widget", "phone", "visit", "chat", "social", "import",
                      "api"]
ScaleName = Literal["csat", "nps", "ces", "thumbs"]


class CustomerRefIn(Schema):
    """A customer by any identity; found, or created when new."""

    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    external_id: str = Field("", max_length=254)
    social_network: str = Field("", max_length=30)
    social_handle: str = Field("", max_length=100)
    name: str = Field("", max_length=200)
    language: Language = ""

    def to_ref(self) -> CustomerRef:
        fields = CustomerRefIn.model_fields
        return CustomerRef(**{k: v for k, v in self.dict().items() if k in fields})


class CustomerIn(CustomerRefIn):
    vip: bool = False
    notes: str = Field("", max_length=10_000)
    tags: list[str] = Field(default_factory=list, max_length=50)


class CustomerPatch(Schema):
    name: str | None = Field(None, max_length=200)
    language: Language | None = None
    vip: bool | None = None
    notes: str | None = Field(None, max_length=10_000)
    tags: list[str] | None = Field(None, max_length=50)
    add_identities: CustomerRefIn | None = None


class IdentityOut(Schema):
    kind: str
    network: str
    value: str


class CustomerOut(Schema):
    id: int
    name: str
    language: str
    vip: bool
    notes: str
    tags: list[str]
    identities: list[IdentityOut]
    last_polarity: str
    rolling_csat: float | None
    last_feedback_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_tags(obj: Any) -> list[str]:
        return [t.name for t in obj.tags.all()]

    @staticmethod
    def resolve_identities(obj: Any) -> list[Any]:
        return list(obj.identities.all())


class FeedbackIn(Schema):
    customer: CustomerRefIn | None = None
    customer_id: Id | None = None
    channel: ChannelName = "api"
    source: Literal["message", "survey", "interaction", "import"] = "message"
    score: StrictInt | None = Field(None, description="A whole number on the scale; "
                                    "`true`/`false` are not scores.")
    scale: ScaleName | None = None
    text: str = ""
    language: Language = ""
    agent_email: str = Field("", max_length=254)
    team: str = Field("", max_length=100)
    occurred_at: Datetime | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)


class FeedbackOut(Schema):
    id: int
    customer_id: int
    channel: str
    source: str
    score: int | None
    scale: str
    polarity: str
    text: str
    language: str
    text_polarity: str
    text_confidence: float | None
    themes: list[dict[str, Any]]
    mixed: bool
    agent_id: int | None
    team_id: int | None
    conversation_id: int | None
    occurred_at: datetime
    received_at: datetime


class MessageOut(Schema):
    direction: str
    body: str
    created_at: datetime


class ConversationOut(Schema):
    id: int
    channel: str
    subject: str
    status: str
    agent_id: int | None
    started_at: datetime
    messages: list[MessageOut]

    @staticmethod
    def resolve_messages(obj: Any) -> list[Any]:
        return list(obj.messages.all())


class TimelineEntryOut(Schema):
    kind: str
    at: datetime
    feedback: FeedbackOut | None = None
    conversation: ConversationOut | None = None
