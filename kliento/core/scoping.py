"""The workspace scoping every query of workspace data goes through."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models

if TYPE_CHECKING:
    from kliento.core.models import Workspace

M = TypeVar("M", bound=models.Model)


class WorkspaceQuerySet(models.QuerySet[M]):
    def for_workspace(self, workspace: Workspace) -> WorkspaceQuerySet[M]:
        """Only this workspace's rows. Views, API handlers and services start here."""
        return self.filter(workspace=workspace)


class WorkspaceOwned(models.Model):
    """A row that belongs to exactly one workspace."""

    workspace = models.ForeignKey("core.Workspace", on_delete=models.CASCADE, related_name="+")

    objects: Any = WorkspaceQuerySet.as_manager()

    class Meta:
        abstract = True
