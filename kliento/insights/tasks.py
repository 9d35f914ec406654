"""Background work of the insights domain."""

from __future__ import annotations

from django_tasks import task

from kliento.core.models import Workspace
from kliento.insights import loopfacts
from kliento.insights.services import check, rebuild


@task()
def verify_rollups() -> int:
    """Recount a sample of days of every workspace; rebuild (and log) any that drifted."""
    return len(check(Workspace.objects.order_by("pk")))


@task()
def rebuild_rollups(workspace_id: int) -> None:
    """Recompute one workspace's rollups (its time zone changed: every day moved)."""
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is not None:
        rebuild(workspace)


@task()
def recompute_loop_deadlines(workspace_id: int, team_id: int | None = None) -> int:
    """The close-the-loop deadlines and business hours again, on the current calendars and
    contact target (of one team's voices when `team_id` is given)."""
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    return loopfacts.recompute(workspace, team_id) if workspace is not None else 0
