from __future__ import annotations

from django.http import HttpRequest

from kliento.feedback.judging import theme_names


def themes(request: HttpRequest) -> dict[str, dict[str, str]]:
    """Theme names for feedback shown on any page (one query per page, shared with a view
    that read them already, such as the feedback list's theme filter)."""
    known = getattr(request, "theme_names", None)
    if known is not None:
        return {"theme_names": known}
    workspace = getattr(request, "workspace", None)
    return {"theme_names": theme_names(workspace) if workspace is not None else {}}
