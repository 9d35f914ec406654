"""The REST API under /api/v1/: token auth, errors as JSON naming each bad field."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import HttpBearer

from kliento.core.models import ApiToken, Workspace
from kliento.core.services import authenticate_token


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
    "Validation errors are 422 with `detail` naming each bad field.",
)


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


@api.exception_handler(ObjectDoesNotExist)
def on_missing(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
    # Another workspace's id answers exactly like an id that does not exist.
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(Http404)
def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


def register_routers() -> None:
    from kliento.api import alerts, cases, customers, feedback, insights_loop, surveys

    api.add_router("/customers", customers.router)
    api.add_router("/feedback", feedback.router)
    api.add_router("/surveys", surveys.router)
    api.add_router("", alerts.router)
    api.add_router("/cases", cases.router)
    api.add_router("", insights_loop.router)


register_routers()
