"""`kliento insights rebuild [--workspace SLUG]`: recompute the rollups from the rows."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kliento.core.models import Workspace
from kliento.insights.services import rebuild


class Command(BaseCommand):
    help = "Insights rollups: `rebuild` recomputes them from the feedback and invitations."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild"])
        parser.add_argument("--workspace", metavar="SLUG", help="only this workspace")

    def handle(self, *args: Any, **options: Any) -> None:
        workspaces = Workspace.objects.order_by("pk")
        if options["workspace"]:
            workspaces = workspaces.filter(slug=options["workspace"])
            if not workspaces.exists():
                raise CommandError(f"No workspace with slug {options['workspace']!r}.")
        for workspace in workspaces:
            tally = rebuild(workspace)
            self.stdout.write(
                f"{workspace.slug}: {sum(tally.voices.values())} voices in "
                f"{len(+tally.voices)} cells, {len(+tally.themes)} theme cells, "
                f"{sum(n for (_k, what), n in tally.invitations.items() if what == 'sent')} "
                "invitations")
