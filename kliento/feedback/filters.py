"""Which voices a figure counts, as the feedback list's query parameters: a figure on the
Insights page links to the list with exactly these, and the list's count equals the figure.

The list already reads `polarity`, `channel`, `team`, `agent` and `period`; `filter_voices`
adds `from` and `to` (dates in the workspace's time zone, both included), `theme`,
`root_cause` (of the case the voice opened) and `unhappy` (negative, or mixed)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kliento.core.models import Workspace
from kliento.feedback.models import Feedback, Polarity

UNHAPPY = Q(polarity=Polarity.NEGATIVE) | Q(mixed=True)


@dataclass(frozen=True)
class VoiceSelection:
    """Voices received from `since` to `until` (dates in the workspace's time zone, both
    included), of a team, an agent, a channel when given."""

    since: date
    until: date
    team_id: int | None = None
    agent_id: int | None = None
    channel: str = ""

    def bounds(self, workspace: Workspace) -> tuple[datetime, datetime]:
        """[start, end) as aware datetimes."""
        tz = ZoneInfo(workspace.time_zone)
        return (datetime.combine(self.since, time(0), tzinfo=tz),
                datetime.combine(self.until + timedelta(days=1), time(0), tzinfo=tz))

    def apply(self, voices: QuerySet[Feedback], workspace: Workspace) -> QuerySet[Feedback]:
        start, end = self.bounds(workspace)
        voices = voices.filter(received_at__gte=start, received_at__lt=end)
        if self.team_id:
            voices = voices.filter(team_id=self.team_id)
        if self.agent_id:
            voices = voices.filter(agent_id=self.agent_id)
        if self.channel:
            voices = voices.filter(channel=self.channel)
        return voices

    def params(self, **more: str | int | None) -> dict[str, str]:
        """The feedback list's query parameters for these voices (and `more` of them)."""
        values: dict[str, str | int | None] = {
            "from": self.since.isoformat(), "to": self.until.isoformat(),
            "team": self.team_id, "agent": self.agent_id, "channel": self.channel, **more}
        return {k: str(v) for k, v in values.items() if v not in (None, "")}


def filter_voices(voices: QuerySet[Feedback], workspace: Workspace,
                  params: Mapping[str, str]) -> QuerySet[Feedback]:
    """The list's drill-down parameters applied; a bad value raises ValidationError naming it."""
    errors: dict[str, str] = {}
    days: dict[str, date] = {}
    for name in ("from", "to"):
        if params.get(name):
            try:
                days[name] = date.fromisoformat(params[name])
            except ValueError:
                errors[name] = _("Enter a date as YYYY-MM-DD.")
    if errors:
        raise ValidationError(errors)
    tz = ZoneInfo(workspace.time_zone)
    if "from" in days:
        voices = voices.filter(received_at__gte=datetime.combine(days["from"], time(0), tzinfo=tz))
    if "to" in days:
        voices = voices.filter(received_at__lt=datetime.combine(
            days["to"] + timedelta(days=1), time(0), tzinfo=tz))
    if params.get("theme"):
        # Themes are a JSON list of {"key": slug, "score": …}; the quoted key matches one
        # theme whole, the same in SQLite's JSON text and PostgreSQL's jsonb text.
        voices = voices.filter(themes__icontains=f'"key": "{params["theme"]}"')
    if params.get("root_cause"):
        voices = voices.filter(pk__in=Feedback.objects.filter(
            workspace=workspace, opened_cases__root_cause__key=params["root_cause"]
        ).values("pk"))
    if params.get("unhappy"):
        voices = voices.filter(UNHAPPY)
    return voices
