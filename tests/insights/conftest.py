"""Histories of voices, contacts and cases built through the real services, on a clock
moved by freezegun (the only thing mocked)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from freezegun import freeze_time

# The API's schemas must be built on the real datetime class, not on freezegun's stand-in:
# imported here, before any test freezes the clock.
import kliento.urls  # noqa: F401
from kliento.customers.services import CustomerRef
from kliento.feedback.models import Feedback
from kliento.loop import Voice, hear

RIGA = ZoneInfo("Europe/Riga")


def riga(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    """An instant of 2026 on Riga's clock (UTC+2 in November)."""
    return datetime(2026, month, day, hour, minute, tzinfo=RIGA)


def voice(workspace: Any, who: str, score: int, when: datetime, *, agent: Any = None,
          team: Any = None, channel: str = "email") -> Feedback:
    """`who` answers a CSAT survey at `when` (1 = very unhappy, 5 = very happy)."""
    with freeze_time(when):
        return hear(Voice(workspace=workspace, customer=CustomerRef(
            email=f"{who}@example.lv", name=who.title()), channel=channel, source="survey",
            score=score, scale="csat", agent=agent, team=team))
