"""The REST API under /api/v1/: token auth, errors as JSON naming each bad field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Schema
from ninja.pagination import LimitOffsetPagination
from ninja.security import HttpBearer
from pydantic import AfterValidator

from kliento.core.models import ApiToken, Workspace
from kliento.core.services import authenticate_token
from kliento.feedback.filters import FilterError


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return authenticate_token(token)


def workspace_of(request: HttpRequest) -> Workspace:
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    return token.workspace


api = NinjaAPI(
    title="Kliento API",
    version="1",
    urls_namespace="api",
    auth=TokenAuth(),
    description="Per-workspace tokens: `Authorization: Bearer <token>`. "
    "Validation errors are 422 with `detail` naming each bad field; a NUL character "
    "anywhere in a request is 400 with `detail` naming where it is.",
)


class FieldError(Schema):
    loc: list[str | int] = Field(..., description="Where: `body`, `query` or `path`, then "
                                 "the field.")
    msg: str
    type: str


class ErrorsOut(Schema):
    detail: list[FieldError]


class BadRequestOut(Schema):
    detail: str | list[FieldError]


class MessageOut(Schema):
    detail: str


# Every operation answers these as well as its own result; declared once, spread into each
# operation's `response=` so the OpenAPI document says what a client really gets.
ERRORS: dict[int, Any] = {400: BadRequestOut, 401: MessageOut, 422: ErrorsOut}
# ... and these too when the path names an object (another workspace's id included).
ERRORS_404: dict[int, Any] = {**ERRORS, 404: MessageOut}

# The largest id, count or offset a 64-bit integer column holds.
MAX_INT = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_INT)]
MAX_PAGE = 1000


class Page(LimitOffsetPagination):
    """`limit` and `offset`, bounded so that no number reaches the database unstorable."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_PAGE)
        offset: int = Field(0, ge=0, le=MAX_INT - MAX_PAGE)


# PostgreSQL refuses a time-zone offset beyond ±15:59, and Django cannot convert to UTC a
# time that falls outside the years 1 to 9999 there: both would be a 500, not a 422.
MAX_OFFSET = timedelta(hours=16)


def _storable(value: datetime) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)  # a time without an offset is UTC
    offset = value.utcoffset()
    if offset is not None and abs(offset) >= MAX_OFFSET:
        raise ValueError("The time-zone offset must be between -15:59 and +15:59.")
    try:
        value.astimezone(UTC)
    except OverflowError:
        raise ValueError("The time must be within the years 1 to 9999 in UTC.") from None
    return value


Datetime = Annotated[datetime, AfterValidator(_storable)]


def validation_detail(exc: ValidationError, prefix: str = "body") -> list[dict[str, Any]]:
    if hasattr(exc, "error_dict"):
        return [
            {"loc": [prefix, field], "msg": " ".join(str(m) for e in errors for m in e.messages),
             "type": "value_error"}
            for field, errors in exc.error_dict.items()
        ]
    return [{"loc": [prefix], "msg": " ".join(exc.messages), "type": "value_error"}]


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": validation_detail(exc)}, status=422)


@api.exception_handler(FilterError)
def on_filter_error(request: HttpRequest, exc: FilterError) -> HttpResponse:
    return api.create_response(request, {"detail": validation_detail(exc, "query")}, status=422)


@api.exception_handler(ObjectDoesNotExist)
def on_missing(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
    # Another workspace's id answers exactly like an id that does not exist.
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(Http404)
def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


def register_routers() -> None:
    from kliento.api import (
        alerts,
        cases,
        customers,
        feedback,
        insights,
        insights_loop,
        surveys,
    )

    api.add_router("/customers", customers.router)
    api.add_router("/feedback", feedback.router)
    api.add_router("/surveys", surveys.router)
    api.add_router("", alerts.router)
    api.add_router("/cases", cases.router)
    api.add_router("", insights_loop.router)
    api.add_router("/insights", insights.router)


register_routers()
