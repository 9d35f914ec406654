from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kliento.core.models import Workspace
from kliento.core.services import create_api_token


class Command(BaseCommand):
    help = "API tokens: `token create --workspace SLUG --name NAME` prints a new token once."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token and print it")
        create.add_argument("--workspace", required=True, help="the workspace's slug")
        create.add_argument("--name", required=True, help="what the token is for")

    def handle(self, *args: Any, action: str, workspace: str, name: str, **options: Any) -> None:
        ws = Workspace.objects.filter(slug=workspace).first()
        if ws is None:
            raise CommandError(f"No workspace with the slug {workspace!r}.")
        _token, raw = create_api_token(workspace=ws, name=name, actor=None)
        self.stdout.write(raw)
