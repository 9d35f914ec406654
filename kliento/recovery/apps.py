from typing import Any

from django.apps import AppConfig


class RecoveryConfig(AppConfig):
    name = "kliento.recovery"
    label = "recovery"

    def ready(self) -> None:
        from kliento.core.signals import calendar_changed

        calendar_changed.connect(_recompute_deadlines, dispatch_uid="recovery-deadlines")


def _recompute_deadlines(sender: Any, *, workspace: Any, team: Any = None, **_kw: Any) -> None:
    from kliento.recovery.tasks import recompute_later

    recompute_later(workspace, team)
