from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from kliento.core.worker import Supervisor


class Command(BaseCommand):
    help = "Serve Kliento with gunicorn and whitenoise; --with-worker runs the workers too."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
        parser.add_argument("--threads", type=int, default=4, help="threads per process")
        parser.add_argument("--with-worker", action="store_true",
                            help="also run the background workers (a general one and one for "
                                 "urgent tasks); Ctrl-C stops all")

    def handle(self, *args: Any, host: str, port: int, workers: int, threads: int,
               with_worker: bool, **options: Any) -> None:
        call_command("collectstatic", interactive=False, verbosity=0)
        supervisor = None
        if with_worker:
            command = [sys.executable, "-m", "kliento.cli", "worker"]
            commands = [command]
            if settings.TASK_BACKEND != "immediate":
                commands.append([*command, "--urgent-only"])
            # A worker that dies is started again: without workers no alert leaves.
            supervisor = Supervisor(commands)
            supervisor.start()
        self.stdout.write(f"Kliento on http://{host}:{port}/ (Ctrl-C stops)")
        try:
            from gunicorn.app.wsgiapp import WSGIApplication

            sys.argv = [
                "gunicorn", "kliento.wsgi:application", "--bind", f"{host}:{port}",
                "--workers", str(workers), "--threads", str(threads),
                "--worker-class", "gthread", "--access-logfile", "-", "--graceful-timeout", "10",
            ]
            WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").run()
        finally:
            if supervisor is not None:
                supervisor.stop()
