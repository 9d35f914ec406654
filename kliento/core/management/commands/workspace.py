from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from kliento.core.models import User, Workspace
from kliento.core.services import password_link
from kliento.loop import open_workspace


class Command(BaseCommand):
    help = ("Workspaces: `workspace create --name NAME --admin EMAIL [--slug S] [--language L] "
            "[--country CC] [--time-zone TZ]` creates one with its first admin.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a workspace and its first admin")
        create.add_argument("--name", required=True)
        create.add_argument("--admin", required=True, help="the admin's e-mail")
        create.add_argument("--slug", default="")
        create.add_argument("--language", default="en")
        create.add_argument("--country", default="LV")
        create.add_argument("--time-zone", default="UTC")

    def handle(self, *args: Any, **o: Any) -> None:
        if o["slug"] and Workspace.objects.filter(slug=o["slug"]).exists():
            raise CommandError(f"A workspace with the slug {o['slug']!r} exists already.")
        with transaction.atomic():
            admin = User.objects.filter(email=o["admin"].lower()).first()
            if admin is None:
                admin = User.objects.create_user(o["admin"].lower())  # no password yet
            ws = open_workspace(name=o["name"], owner=admin, slug=o["slug"],
                                default_language=o["language"], country=o["country"],
                                time_zone=o["time_zone"])
        self.stdout.write(f"Workspace “{ws.name}” ({ws.slug}) created; admin {admin.email}.")
        if not admin.has_usable_password():
            days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
            self.stdout.write(
                f"The admin has no password yet. Send them this link to choose one; it works "
                f"once, within {days} days:\n{password_link(admin)}\n"
                "Later they can ask for a new link with “Forgot your password?” on the "
                "sign-in page.")
