"""Background work of the recovery domain."""

from __future__ import annotations

from django_tasks import task

from kliento.core.models import Team, Workspace
from kliento.core.tasks import enqueue_on_commit


@task()
def recompute_deadlines(workspace_id: int, team_id: int | None = None) -> int:
    """New service levels: every open case (of the team) gets its due times again. (New
    hours move alerts too: `loop.recompute_deadlines`.)"""
    from kliento.recovery.services import recompute_open_cases

    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None:
        return 0
    team = Team.objects.filter(pk=team_id, workspace=workspace).first() if team_id else None
    if team_id and team is None:
        return 0  # the team is gone, and its cases moved on with it
    return recompute_open_cases(workspace=workspace, team=team)


def recompute_later(workspace: Workspace, team: Team | None = None) -> None:
    """A workspace may have thousands of open cases: recompute them in the worker, not in
    the request that changed the rules."""
    enqueue_on_commit(recompute_deadlines, workspace.pk, team.pk if team else None)
