from __future__ import annotations

from django.http import HttpRequest

from kliento.feedback.judging import theme_names


def themes(request: HttpRequest) -> dict[str, dict[str, str]]:
    """Theme names for feedback shown on any page (one query per page)."""
    workspace = getattr(request, "workspace", None)
    return {"theme_names": theme_names(workspace) if workspace is not None else {}}
