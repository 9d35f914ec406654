from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from kliento.demo import content
from kliento.demo.loader import PASSWORD, load_demo


class Command(BaseCommand):
    help = "Create the demo workspace (once) with staff, customers and 90 days of history."

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_demo()
        verb = "Created" if result.created else "Already there:"
        self.stdout.write(f"{verb} workspace “{result.workspace.name}” with "
                          f"{result.customers} customers and {result.feedback} voices.")
        self.stdout.write(f"Sign in at {settings.BASE_URL}/accounts/login/ with password "
                          f"“{PASSWORD}” as any of:")
        for s in content.STAFF:
            self.stdout.write(f"  {s['email']:<32} {s['role']}")
