"""Histories of voices, contacts and cases built through the real services, on a clock
moved by freezegun (the only thing mocked); `voices` speaks to acme as customers and agents
do, through the API and survey links."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone
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


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Voices:
    """Speaks to acme the way customers and agents do: the API, and survey links clicked."""

    def __init__(self, api: Any, run_tasks: Any) -> None:
        self.api = api
        self.run_tasks = run_tasks
        self.customer = Client()

    def hear(self, *, email: str = "ilze@example.lv", days_ago: float = 1,
             at: datetime | None = None, **body: Any) -> int:
        body.setdefault("channel", "phone")
        body["occurred_at"] = (at or timezone.now() - timedelta(days=days_ago)).isoformat()
        with self.run_tasks():
            r = self.api.post("/feedback", {"customer": {"email": email}, **body})
        assert r.status_code == 201, r.content
        return int(r.json()["id"])

    def survey(self, kind: str = "csat", name: str = "") -> int:
        r = self.api.post("/surveys", {"name": name or f"After support ({kind})", "kind": kind,
                                       "quiet_days": 0})
        assert r.status_code == 201, r.content
        return int(r.json()["id"])

    def invite(self, survey_id: int, email: str, **extra: Any) -> dict[str, Any]:
        with self.run_tasks():
            r = self.api.post(f"/surveys/{survey_id}/invitations",
                              {"customer": {"email": email}, **extra})
        assert r.status_code == 201, r.content
        return dict(r.json()[0])

    def click(self, invitation: dict[str, Any], score: int) -> None:
        with self.run_tasks():
            r = self.customer.post(path_of(invitation["links"][str(score)]))
        assert r.status_code == 200, r.content

    def comment(self, invitation: dict[str, Any], text: str) -> None:
        key = path_of(invitation["links"][next(iter(invitation["links"]))]).split("/")[2]
        with self.run_tasks():
            r = self.customer.post(f"/a/{key}/comment/", {"text": text})
        assert r.status_code == 200, r.content

    def correct(self, feedback_id: int, **body: Any) -> None:
        with self.run_tasks():
            r = self.api.post(f"/feedback/{feedback_id}/corrections", body)
        assert r.status_code == 201, r.content


@pytest.fixture
def voices(world: Any, api: Any, run_tasks: Any) -> Voices:
    from kliento.feedback.judging import ensure_default_themes

    ensure_default_themes(world.acme)
    ensure_default_themes(world.globex)
    return Voices(api, run_tasks)
