from __future__ import annotations

from django.http import HttpRequest

from kliento.alerts.models import Alert, AlertState


def open_alerts(request: HttpRequest) -> dict[str, int]:
    """The unacknowledged count in the navigation; one indexed count per page."""
    member = getattr(request, "membership", None)
    if member is None:
        return {"open_alerts": 0}
    return {"open_alerts": Alert.objects.filter(workspace_id=member.workspace_id,
                                                state=AlertState.OPEN).count()}
