from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kliento.core.worker import run_worker


class Command(BaseCommand):
    help = "Run the background worker: queued tasks, periodic jobs, heartbeat."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=0.1,
                            help="Seconds between polls of an empty database queue.")
        parser.add_argument("--urgent-only", action="store_true",
                            help="Take only urgent tasks (alerts on their way); run one next to "
                                 "the general worker so alerts never wait behind a backlog.")

    def handle(self, *args: Any, interval: float, urgent_only: bool, **options: Any) -> None:
        run_worker(interval=interval, urgent_only=urgent_only)
