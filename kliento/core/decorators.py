from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kliento.core.models import Membership, Role, User, Workspace


class WorkspaceRequest(HttpRequest):
    """A request of a signed-in member: WorkspaceMiddleware has set these."""

    workspace: Workspace
    membership: Membership
    user: User
    htmx: Any

View = Callable[..., HttpResponse]


def member_required(role: str = Role.VIEWER) -> Callable[[View], View]:
    """Signed in, a member of a workspace, with at least `role` in it."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            membership = getattr(request, "membership", None)
            if membership is None:
                return render(request, "core/no_workspace.html", status=403)
            if not membership.can(role):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
