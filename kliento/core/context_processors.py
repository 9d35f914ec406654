from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kliento.core.models import Membership


def workspace(request: HttpRequest) -> dict[str, Any]:
    member = getattr(request, "membership", None)
    user = request.user
    others = []
    if user.is_authenticated:
        others = list(
            Membership.objects.filter(user=user).select_related("workspace")
            .order_by("workspace__name")
        ) if member else []
    return {
        "workspace": getattr(request, "workspace", None),
        "membership": member,
        "my_memberships": others,
    }
