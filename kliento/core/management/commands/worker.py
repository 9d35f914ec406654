from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kliento.core.worker import run_worker


class Command(BaseCommand):
    help = "Run the background worker: queued tasks, periodic jobs, heartbeat."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=0.1,
                            help="Seconds between polls of an empty database queue.")

    def handle(self, *args: Any, interval: float, **options: Any) -> None:
        run_worker(interval=interval)
