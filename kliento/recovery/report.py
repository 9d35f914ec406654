"""What the recovery work achieved over a period: promises kept and broken, service levels
met, customers won back (at the first attempt or after a reopening), and why things went
wrong. Counted by the database, not in Python."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from kliento.core.models import Workspace
from kliento.recovery.models import Case, Outcome, Promise, PromiseState


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class PromiseFigures:
    made: int = 0
    kept: int = 0
    kept_on_time: int = 0
    broken: int = 0
    open: int = 0
    overdue: int = 0

    @property
    def kept_rate(self) -> float | None:
        """Kept of those settled, in per cent."""
        return _rate(self.kept, self.kept + self.broken)

    @property
    def on_time_rate(self) -> float | None:
        return _rate(self.kept_on_time, self.kept + self.broken)


@dataclass
class OwnerPromises(PromiseFigures):
    owner_id: int | None = None
    owner: str = ""


@dataclass
class Recoveries:
    """Cases opened, reopened by an unhappy follow-up, and won back at which attempt."""

    opened: int = 0
    reopened: int = 0
    escalated: int = 0
    recovered_first_attempt: int = 0
    recovered_after_reopening: int = 0


@dataclass
class GroupRecoveries(Recoveries):
    """The figures of one team or one owner (the case's owner now: after an escalation,
    the manager)."""

    id: int | None = None
    name: str = ""


@dataclass
class Report:
    since: datetime
    until: datetime
    promises: PromiseFigures
    by_owner: list[OwnerPromises]
    opened: int = 0
    resolved: int = 0
    first_contact_met: int = 0
    first_contact_measured: int = 0
    resolution_met: int = 0
    recovered: int = 0
    not_recovered: int = 0
    no_answer: int = 0
    root_causes: list[tuple[str, int]] = field(default_factory=list)
    reopened: int = 0
    escalated: int = 0
    recovered_first_attempt: int = 0
    recovered_after_reopening: int = 0
    recoveries_by_team: list[GroupRecoveries] = field(default_factory=list)
    recoveries_by_owner: list[GroupRecoveries] = field(default_factory=list)

    @property
    def first_contact_rate(self) -> float | None:
        return _rate(self.first_contact_met, self.first_contact_measured)

    @property
    def resolution_rate(self) -> float | None:
        return _rate(self.resolution_met, self.resolved)

    @property
    def recovery_rate(self) -> float | None:
        """Won back, of the followed-up cases whose outcome is known."""
        return _rate(self.recovered, self.recovered + self.not_recovered + self.no_answer)


def _promise_counts(now: datetime) -> dict[str, Count]:
    return {
        "made": Count("pk"),
        "kept": Count("pk", filter=Q(state=PromiseState.KEPT)),
        "kept_on_time": Count("pk", filter=Q(state=PromiseState.KEPT,
                                             closed_at__lte=F("due_at"))),
        "broken": Count("pk", filter=Q(state=PromiseState.BROKEN)),
        "open": Count("pk", filter=Q(state=PromiseState.OPEN)),
        "overdue": Count("pk", filter=Q(state=PromiseState.OPEN, due_at__lt=now)),
    }


def _recovery_counts() -> dict[str, Count]:
    recovered = Q(outcome=Outcome.RECOVERED)
    return {
        "reopened": Count("pk", filter=Q(reopened_count__gt=0)),
        "escalated": Count("pk", filter=Q(escalated_at__isnull=False)),
        "recovered_first_attempt": Count("pk", filter=recovered & Q(reopened_count=0)),
        "recovered_after_reopening": Count("pk", filter=recovered & Q(reopened_count__gt=0)),
    }


def _by(cases: QuerySet[Case], key: str, *names: str) -> list[GroupRecoveries]:
    counts = {"opened": Count("pk"), **_recovery_counts()}
    rows: list[dict[str, Any]] = list(
        cases.values(key, *names).annotate(**counts).order_by("-opened", *names))
    return [GroupRecoveries(id=row[key], name=next((row[n] for n in names if row[n]), "—"),
                            **{k: row[k] for k in counts}) for row in rows]


def recovery_report(workspace: Workspace, since: datetime, until: datetime,
                    now: datetime | None = None) -> Report:
    """Promises made, and cases opened, in [since, until)."""
    now = now or until
    promises = Promise.objects.for_workspace(workspace).filter(created_at__gte=since,
                                                               created_at__lt=until)
    counts = _promise_counts(now)
    totals = PromiseFigures(**promises.aggregate(**counts))
    rows: list[dict[str, Any]] = list(
        promises.values("owner", "owner__full_name", "owner__email")  # type: ignore[misc,arg-type]
        .annotate(**counts).order_by("-made", "owner__email"))
    by_owner = [
        OwnerPromises(owner_id=row["owner"],
                      owner=row["owner__full_name"] or row["owner__email"] or "—",
                      **{k: row[k] for k in counts})
        for row in rows]
    cases = Case.objects.for_workspace(workspace).filter(opened_at__gte=since,
                                                         opened_at__lt=until)
    figures = cases.aggregate(
        opened=Count("pk"),
        resolved=Count("pk", filter=Q(resolved_at__isnull=False)),
        first_contact_met=Count("pk", filter=Q(first_contact_at__isnull=False,
                                               first_contact_breached=False)),
        first_contact_measured=Count("pk", filter=Q(first_contact_at__isnull=False)
                                     | Q(first_contact_breached=True)),
        resolution_met=Count("pk", filter=Q(resolved_at__isnull=False,
                                            resolution_breached=False)),
        recovered=Count("pk", filter=Q(outcome=Outcome.RECOVERED)),
        not_recovered=Count("pk", filter=Q(outcome=Outcome.NOT_RECOVERED)),
        no_answer=Count("pk", filter=Q(outcome=Outcome.NO_ANSWER)),
        **_recovery_counts(),
    )
    causes = [(row["root_cause__name"], row["n"]) for row in
              cases.filter(root_cause__isnull=False).values("root_cause__name")
              .annotate(n=Count("pk")).order_by("-n", "root_cause__name")]
    return Report(since=since, until=until, promises=totals, by_owner=by_owner,
                  root_causes=causes, recoveries_by_team=_by(cases, "team", "team__name"),
                  recoveries_by_owner=_by(cases, "owner", "owner__full_name", "owner__email"),
                  **figures)
