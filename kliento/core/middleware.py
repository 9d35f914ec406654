from __future__ import annotations

import contextlib
import json
import zoneinfo
from collections.abc import Callable
from typing import Any

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
    QueryDict,
)
from django.utils import timezone, translation

from kliento.core.models import Membership

SESSION_KEY = "kliento_workspace_id"


class WorkspaceMiddleware:
    """Sets request.workspace and request.membership from the signed-in user's chosen workspace.

    The workspace comes from the session and is checked against the user's memberships on
    every request, so a stale or forged id can never open another workspace.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.workspace = None  # type: ignore[attr-defined]
        request.membership = None  # type: ignore[attr-defined]
        user = request.user
        if user.is_authenticated:
            memberships = Membership.objects.filter(user=user).select_related("workspace")
            wanted = request.session.get(SESSION_KEY)
            membership = (
                memberships.filter(workspace_id=wanted).first() if wanted else None
            ) or memberships.order_by("workspace__name").first()
            if membership is not None:
                request.workspace = membership.workspace  # type: ignore[attr-defined]
                request.membership = membership  # type: ignore[attr-defined]
                # Times on pages are in the workspace's own time zone.
                with contextlib.suppress(zoneinfo.ZoneInfoNotFoundError, ValueError):
                    timezone.activate(zoneinfo.ZoneInfo(membership.workspace.time_zone))
            language = getattr(user, "language", "")
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


NUL = "\x00"
JSON_NUL = b"\\u0000"


def _nul_in_json(value: Any, loc: list[str | int]) -> list[str | int] | None:
    if isinstance(value, str):
        return loc if NUL in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = [*loc, key] if NUL in key else _nul_in_json(item, [*loc, key])
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _nul_in_json(item, [*loc, index])
            if found:
                return found
    return None


def _nul_in_query(params: QueryDict, where: str) -> list[str | int] | None:
    for key, values in params.lists():
        if NUL in key or any(NUL in v for v in values):
            return [where, key]
    return None


def nul_in_request(request: HttpRequest) -> list[str | int] | None:
    """Where a NUL character is in the request's text (path, query, form, JSON), if anywhere."""
    if NUL in request.path:
        return ["path"]
    found = _nul_in_query(request.GET, "query")
    if found or request.method not in ("POST", "PUT", "PATCH"):
        return found
    content_type = request.content_type or ""
    if content_type == "application/x-www-form-urlencoded" and request.method != "POST":
        return _nul_in_query(QueryDict(request.body), "body")  # Django parses only POST's
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        # Only the text fields: an uploaded file is checked by whoever reads it.
        return _nul_in_query(request.POST, "body")
    if "json" in content_type and JSON_NUL in request.body:
        try:
            data = json.loads(request.body)
        except ValueError:
            return None  # the view answers a body it cannot parse
        return _nul_in_json(data, ["body"])
    return None


class RefuseNulMiddleware:
    """Refuses a request with a NUL character anywhere in its text: 400, naming the field.

    PostgreSQL cannot store NUL in text or JSON; no view, form or API field should meet one,
    so it is stopped here once rather than in every field that stores text.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        loc = nul_in_request(request)
        if loc is None:
            return self.get_response(request)
        field = ".".join(str(part) for part in loc[1:]) or loc[0]
        message = translation.gettext("“%(field)s” contains a NUL character, which cannot be "
                                      "stored.") % {"field": field}
        wants_json = (request.path.startswith("/api/") or "json" in (request.content_type or "")
                      or "json" in request.headers.get("Accept", ""))
        if wants_json:
            return JsonResponse({"detail": [{"loc": loc, "msg": message, "type": "value_error"}]},
                                status=400)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
