"""Use cases of the insights domain that change data: the close-the-loop goal, and keeping
the rollups exact (count a voice, an invitation and its answer; recount, rebuild, check).
The loop calls the latter in the same transaction as the change they count.

A voice's contribution is remembered in `CountedVoice`; counting it again takes the old
contribution out and puts the new one in, each as a delta added to the cell in one
`INSERT … ON CONFLICT DO UPDATE` (SQLite ≥ 3.24 and PostgreSQL), so concurrent workers
never lose an update and a retried task never counts twice.
"""

from __future__ import annotations

import itertools
import json
import logging
import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Count, Q, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import ExtractHour, TruncDate
from django.db.models.query_utils import DeferredAttribute
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.core.models import Membership, Role, Workspace
from kliento.core.services import require_role
from kliento.feedback.models import Feedback, Source
from kliento.insights import loopfacts
from kliento.insights.models import (
    POLARITY_COLUMNS,
    SCORE_COLUMNS,
    CountedVoice,
    DayCount,
    HourCount,
    InsightsSettings,
    InvitationCount,
    ThemeCount,
    ThemeDayCount,
    VoiceCount,
)
from kliento.surveys.models import Invitation

log = logging.getLogger(__name__)



def settings_of(workspace: Workspace) -> InsightsSettings:
    """The workspace's goal; the defaults (unsaved) while nobody has changed them."""
    return (InsightsSettings.objects.filter(workspace=workspace).first()
            or InsightsSettings(workspace=workspace))


def set_contact_target(*, workspace: Workspace, actor: Membership | None, hours: int,
                       percent: int) -> InsightsSettings:
    """Contact `percent` % of unhappy voices within `hours` business hours (managers and
    admins). Raises ValidationError naming the field and saves nothing on a bad value."""
    if actor is not None:
        require_role(actor, Role.MANAGER)
    errors = {}
    if not 1 <= hours <= 720:
        errors["contact_target_hours"] = _("Between 1 and 720 business hours.")
    if not 1 <= percent <= 100:
        errors["contact_target_percent"] = _("Between 1 and 100 per cent.")
    if errors:
        raise ValidationError(errors)
    row, _created = InsightsSettings.objects.update_or_create(
        workspace=workspace, defaults={"contact_target_hours": hours,
                                       "contact_target_percent": percent})
    loopfacts.target_changed(workspace)
    return row


# -- rollups ------------------------------------------------------------------------------

# cell = (day, team_id, agent_id, channel, language, survey_id)
Cell = tuple[date, int, int, str, str, int]
VoiceKey = tuple[date, int, int, str, str, int, str, int, str]  # cell + scale, score, polarity
ThemeKey = tuple[date, int, int, str, str, int, str, str]  # cell + theme, polarity
InvitationKey = tuple[date, int, int, str, int]  # day, team, agent, language, survey
DayKey = tuple[date, str, str]  # day, dimension, key: a row of DayCount
DayColumn = tuple[date, str, str, str]  # … and one of its counts
ThemeDayColumn = tuple[date, str, str, str, str]  # day, dimension, key, theme, count
HourColumn = tuple[date, int, str]  # day, hour, count: a count of HourCount


def time_zone_of(workspace: Workspace) -> ZoneInfo:
    try:
        return ZoneInfo(workspace.time_zone or "UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def survey_id_of(value: Any) -> int:
    """The survey a voice answered, from its metadata; 0 for none or anything odd.

    The recount reads the same value as text from the database (`KT`), so both paths go
    through this one function: the same input always lands in the same cell."""
    if isinstance(value, bool):
        return 0
    text = str(value) if isinstance(value, int | str) else ""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else 0


def theme_keys_of(themes: Any) -> list[str]:
    """The distinct theme keys of a feedback's `themes` (a voice counts once per theme)."""
    if not isinstance(themes, list):
        return []
    keys = {t.get("key") for t in themes if isinstance(t, dict)}
    return sorted(k for k in keys if isinstance(k, str) and 0 < len(k) <= 50)


@dataclass(frozen=True)
class Contribution:
    """What one voice adds to the rollups."""

    cell: Cell
    scale: str
    score: int
    polarity: str
    themes: tuple[str, ...]

    def voice_key(self) -> VoiceKey:
        return (*self.cell, self.scale, self.score, self.polarity)

    def theme_keys(self) -> list[ThemeKey]:
        return [(*self.cell, theme, self.polarity) for theme in self.themes]


def day_rows(cell: Cell) -> list[DayKey]:
    """The `DayCount` rows a voice of this cell counts in: the whole day's, and its team's,
    agent's, channel's, language's and survey's."""
    day, team_id, agent_id, channel, language, survey_id = cell
    return [(day, "", ""), (day, "team", str(team_id)), (day, "agent", str(agent_id)),
            (day, "channel", channel), (day, "language", language),
            (day, "survey", str(survey_id))]


def invitation_day_rows(key: InvitationKey) -> list[DayKey]:
    """… and an invitation's (it has no channel)."""
    day, team_id, agent_id, language, survey_id = key
    return [(day, "", ""), (day, "team", str(team_id)), (day, "agent", str(agent_id)),
            (day, "language", language), (day, "survey", str(survey_id))]


def voice_columns(scale: str, score: int, polarity: str) -> list[str]:
    """The counts of a `DayCount` row one voice adds 1 to."""
    columns = ["voices", POLARITY_COLUMNS.get(polarity, "unjudged")]
    if (scale, score) in SCORE_COLUMNS:
        columns.append(SCORE_COLUMNS[(scale, score)])
    return columns


def days_of(voices: Counter[VoiceKey], themes: Counter[ThemeKey],
            invitations: Counter[tuple[InvitationKey, str]]
            ) -> tuple[Counter[DayColumn], Counter[ThemeDayColumn]]:
    """What the day rows hold for these cells: the same voices, summed per dimension."""
    days: Counter[DayColumn] = Counter()
    for (*cell, scale, score, polarity), n in voices.items():
        for row in day_rows(tuple(cell)):  # type: ignore[arg-type]
            for column in voice_columns(scale, score, polarity):
                days[(*row, column)] += n
    for (key, what), n in invitations.items():
        for row in invitation_day_rows(key):
            days[(*row, what)] += n
    theme_days: Counter[ThemeDayColumn] = Counter()
    for (*cell, theme, polarity), n in themes.items():
        column = POLARITY_COLUMNS.get(polarity, "unjudged")
        for row in day_rows(tuple(cell)):  # type: ignore[arg-type]
            theme_days[(*row, theme, column)] += n
    return days, theme_days


def contribution_of(feedback: Feedback, tz: ZoneInfo) -> Contribution:
    cell: Cell = (
        timezone.localtime(feedback.occurred_at, tz).date(), feedback.team_id or 0,
        feedback.agent_id or 0, feedback.channel, feedback.language,
        survey_id_of((feedback.metadata or {}).get("survey_id")
                     if isinstance(feedback.metadata, dict) else None),
    )
    return Contribution(cell=cell, scale=feedback.scale,
                        score=feedback.score if feedback.score is not None else 0,
                        polarity=feedback.polarity, themes=tuple(theme_keys_of(feedback.themes)))


def _remembered(row: CountedVoice) -> Contribution:
    cell: Cell = (row.day, row.team_id, row.agent_id, row.channel, row.language, row.survey_id)
    return Contribution(cell=cell, scale=row.scale, score=row.score, polarity=row.polarity,
                        themes=tuple(row.themes))


def _snapshot(workspace_id: int, feedback_id: int, c: Contribution) -> CountedVoice:
    day, team_id, agent_id, channel, language, survey_id = c.cell
    return CountedVoice(
        workspace_id=workspace_id, feedback_id=feedback_id, day=day, team_id=team_id,
        agent_id=agent_id, channel=channel, language=language, survey_id=survey_id,
        scale=c.scale, score=c.score, polarity=c.polarity, themes=list(c.themes))


# -- deltas -----------------------------------------------------------------------------


def _add(model: type[models.Model], workspace_id: int, key: tuple[Any, ...],
         deltas: dict[str, int]) -> None:
    """Add `deltas` to one cell, creating it at zero first: one statement, race-free."""
    table = connection.ops.quote_name(model._meta.db_table)
    key_columns: list[str] = model.KEY  # type: ignore[attr-defined]
    columns = [*key_columns, *deltas]
    values: list[Any] = [workspace_id, *key, *deltas.values()]
    values[1] = connection.ops.adapt_datefield_value(values[1])
    q = connection.ops.quote_name
    updates = ", ".join(f"{q(c)} = {table}.{q(c)} + excluded.{q(c)}" for c in deltas)
    # Only names from the model's own metadata are formatted in; every value is a parameter.
    names = ", ".join(q(c) for c in columns)
    placeholders = ", ".join(["%s"] * len(columns))
    conflict = ", ".join(q(c) for c in key_columns)
    sql = (f"INSERT INTO {table} ({names}) VALUES ({placeholders}) "  # noqa: S608
           f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}")
    with connection.cursor() as cursor:
        cursor.execute(sql, values)


def _apply(workspace_id: int, old: Contribution | None, new: Contribution | None) -> None:
    voices: Counter[VoiceKey] = Counter()
    themes: Counter[ThemeKey] = Counter()
    for c, sign in ((old, -1), (new, +1)):
        if c is not None:
            voices[c.voice_key()] += sign
            for k in c.theme_keys():
                themes[k] += sign
    # Cells in one fixed order, so two transactions never wait on each other in a circle
    # (a deadlock on PostgreSQL).
    for vk in sorted(k for k, n in voices.items() if n):
        _add(VoiceCount, workspace_id, vk, {"voices": voices[vk]})
    for tk in sorted(k for k, n in themes.items() if n):
        _add(ThemeCount, workspace_id, tk, {"voices": themes[tk]})
    days, theme_days = days_of(voices, themes, Counter())
    _add_rows(DayCount, workspace_id, days)
    _add_rows(ThemeDayCount, workspace_id, theme_days)


def _add_rows(model: type[models.Model], workspace_id: int,
              columns: Counter[Any]) -> None:
    """Add per-column deltas (keys: the row's key, then the column) a row at a time."""
    rows: dict[tuple[Any, ...], dict[str, int]] = {}
    for (*key, column), n in columns.items():
        if n:
            rows.setdefault(tuple(key), {})[column] = n
    for key in sorted(rows):
        _add(model, workspace_id, key, rows[key])


def count_voice(feedback_id: int) -> bool:
    """Bring the rollups up to date with one feedback as it is now; True if they changed.

    Idempotent: call it after anything that may have changed the voice (judged, score
    changed, corrected). The feedback row is locked, so two workers counting the same voice
    take turns (SQLite takes the database lock for the whole transaction anyway)."""
    with transaction.atomic():
        feedback = (Feedback.objects.select_for_update(of=("self",))
                    .select_related("workspace").filter(pk=feedback_id).first())
        row = CountedVoice.objects.filter(feedback_id=feedback_id).first()
        old = _remembered(row) if row is not None else None
        new = contribution_of(feedback, time_zone_of(feedback.workspace)) if feedback else None
        loopfacts.follow_voice(feedback_id)  # whether or not its cell changed: `mixed`, contacts
        if old == new:
            return False
        workspace_id = feedback.workspace_id if feedback else row.workspace_id  # type: ignore[union-attr]
        _apply(workspace_id, old, new)
        if feedback is not None:
            # (A voice gone without `forget_voice` leaves its hour to the nightly check: its
            # time is gone with it.)
            _count_hour(feedback, voices=int(row is None),
                        logged=_logged(feedback, new) - _logged(feedback, old))
        if new is None:
            CountedVoice.objects.filter(feedback_id=feedback_id).delete()
        else:
            snapshot = _snapshot(workspace_id, feedback_id, new)
            if row is None:
                snapshot.save(force_insert=True)
            else:
                snapshot.save(force_update=True)
    return True


def hour_of(occurred_at: datetime, tz: ZoneInfo) -> tuple[date, int]:
    """The day and hour of `HourCount` a moment falls in."""
    local = timezone.localtime(occurred_at, tz)
    return local.date(), local.hour


def _logged(feedback: Feedback, counted: Contribution | None) -> int:
    """1 if the voice, as counted, is a contact an agent logged."""
    return int(counted is not None and feedback.source == Source.INTERACTION
               and counted.cell[2] != 0)


def _count_hour(feedback: Feedback, *, voices: int, logged: int) -> None:
    """Add to the hour the customer spoke in (`occurred_at` and `source` never change, so
    a voice stays in its hour; its agent may, which makes it a logged contact or not)."""
    deltas = {k: n for k, n in (("voices", voices), ("logged", logged)) if n}
    if deltas:
        key = hour_of(feedback.occurred_at, time_zone_of(feedback.workspace))
        _add(HourCount, feedback.workspace_id, key, deltas)


def forget_voice(feedback: Feedback) -> None:
    """Take a voice out of the rollups; call it in the transaction that deletes it."""
    with transaction.atomic():
        Feedback.objects.select_for_update(of=("self",)).filter(pk=feedback.pk).first()
        row = CountedVoice.objects.filter(feedback_id=feedback.pk).first()
        if row is not None:
            old = _remembered(row)
            _apply(row.workspace_id, old, None)
            _count_hour(feedback, voices=-1, logged=-_logged(feedback, old))
            row.delete()
        loopfacts.forget_voice(feedback)


def _counts_as_asked(invitation: Invitation) -> bool:
    return not invitation.unverified and not invitation.skip_reason


def _invitation_key(invitation: Invitation, tz: ZoneInfo) -> InvitationKey:
    return (timezone.localtime(invitation.created_at, tz).date(), invitation.team_id or 0,
            invitation.agent_id or 0, invitation.language, invitation.survey_id)


def _count_asked(invitation: Invitation, what: str) -> None:
    if not _counts_as_asked(invitation):
        return
    key = _invitation_key(invitation, time_zone_of(invitation.workspace))
    _add(InvitationCount, invitation.workspace_id, key,
         {"sent": int(what == "sent"), "answered": int(what == "answered")})
    for row in sorted(invitation_day_rows(key)):
        _add(DayCount, invitation.workspace_id, row, {what: 1})


def count_invitation(invitation: Invitation) -> None:
    """A new invitation: one more asked on its day (skipped ones and open links are not)."""
    _count_asked(invitation, "sent")


def count_answer(invitation: Invitation) -> None:
    """An invitation answered for the first time (a changed score is not a new answer)."""
    _count_asked(invitation, "answered")


# -- recount, rebuild, check --------------------------------------------------------------


@dataclass
class Tally:
    """Rollup contents as plain counters: what is stored, or what the rows say."""

    voices: Counter[VoiceKey]
    themes: Counter[ThemeKey]
    invitations: Counter[tuple[InvitationKey, str]]  # (key, "sent" | "answered")
    days: Counter[DayColumn]
    theme_days: Counter[ThemeDayColumn]
    hours: Counter[HourColumn]

    FIELDS = ("voices", "themes", "invitations", "days", "theme_days", "hours")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Tally):
            return NotImplemented
        return all(+getattr(self, f) == +getattr(other, f)  # `+` drops zero cells
                   for f in self.FIELDS)

    def differences(self, other: Tally) -> list[str]:
        out = []
        for f in self.FIELDS:
            mine, theirs = +getattr(self, f), +getattr(other, f)
            for key in sorted(set(mine) | set(theirs), key=str):
                if mine[key] != theirs[key]:
                    out.append(f"{f} {key}: {mine[key]} ≠ {theirs[key]}")
        return out


def _day_range(tz: ZoneInfo, first: date | None, last: date | None) -> Q:
    q = Q()
    if first is not None:
        q &= Q(occurred_at__gte=datetime.combine(first, time(), tz))
    if last is not None:
        q &= Q(occurred_at__lt=datetime.combine(last + timedelta(days=1), time(), tz))
    return q


def recount(workspace: Workspace, first: date | None = None,
            last: date | None = None, *, days: bool = True) -> Tally:
    """What the rollups should hold, counted from the rows (one GROUP BY per rollup); the
    day rows summed from those counts unless `days` is False."""
    tz = time_zone_of(workspace)
    rows: Any = (Feedback.objects.for_workspace(workspace).filter(_day_range(tz, first, last))
                 .annotate(d=TruncDate("occurred_at", tzinfo=tz), sv=KT("metadata__survey_id")))
    voices: Counter[VoiceKey] = Counter()
    for r in (rows.values("d", "team_id", "agent_id", "channel", "language", "sv", "scale",
                          "score", "polarity").annotate(n=Count("pk")).order_by()):
        voices[(r["d"], r["team_id"] or 0, r["agent_id"] or 0, r["channel"], r["language"],
                survey_id_of(r["sv"]), r["scale"], r["score"] or 0, r["polarity"])] += r["n"]
    # Themes are a JSON list per row; only the rows that have any are read.
    themes: Counter[ThemeKey] = Counter()
    themed = rows.exclude(themes=[]).values_list(
        "d", "team_id", "agent_id", "channel", "language", "sv", "polarity", "themes")
    for d, team, agent, channel, language, sv, polarity, keys in themed.iterator(2000):
        for theme in theme_keys_of(keys):
            themes[(d, team or 0, agent or 0, channel, language, survey_id_of(sv), theme,
                    polarity)] += 1
    invitations: Counter[tuple[InvitationKey, str]] = Counter()
    asked = Invitation.objects.for_workspace(workspace).filter(unverified=False, skip_reason="")
    if first is not None:
        asked = asked.filter(created_at__gte=datetime.combine(first, time(), tz))
    if last is not None:
        asked = asked.filter(created_at__lt=datetime.combine(last + timedelta(days=1), time(), tz))
    for r in (asked.annotate(d=TruncDate("created_at", tzinfo=tz))
              .values("d", "team_id", "agent_id", "language", "survey_id")
              .annotate(sent=Count("pk"), answered=Count("pk", filter=Q(state="answered")))
              .order_by()):
        key = (r["d"], r["team_id"] or 0, r["agent_id"] or 0, r["language"], r["survey_id"])
        invitations[(key, "sent")] += r["sent"]
        invitations[(key, "answered")] += r["answered"]
    hours: Counter[HourColumn] = Counter()
    for day, hour, n, logged in hour_rows(rows, tz):
        hours[(day, hour, "voices")] += n
        hours[(day, hour, "logged")] += logged
    if not days:
        return Tally(voices, themes, invitations, Counter(), Counter(), hours)
    return Tally(voices, themes, invitations, *days_of(voices, themes, invitations), hours)


def hour_rows(voices: Any, tz: ZoneInfo) -> Iterable[tuple[date, int, int, int]]:
    """(day, hour, voices, logged contacts) of these voices on the `tz` clock: one GROUP BY."""
    return (voices.annotate(hd=TruncDate("occurred_at", tzinfo=tz),
                            h=ExtractHour("occurred_at", tzinfo=tz))
            .values("hd", "h")
            .annotate(n=Count("pk"), logged=Count("pk", filter=Q(
                source=Source.INTERACTION, agent__isnull=False)))
            .order_by().values_list("hd", "h", "n", "logged"))


def stored(workspace: Workspace, first: date | None = None, last: date | None = None) -> Tally:
    """What the rollups hold now."""
    days_q = Q()
    if first is not None:
        days_q &= Q(day__gte=first)
    if last is not None:
        days_q &= Q(day__lte=last)
    voices: Counter[VoiceKey] = Counter({
        tuple(r[1:]): r[0] for r in VoiceCount.objects.for_workspace(workspace).filter(days_q)
        .values_list("voices", *VoiceCount.KEY[1:])})
    themes: Counter[ThemeKey] = Counter({
        tuple(r[1:]): r[0] for r in ThemeCount.objects.for_workspace(workspace).filter(days_q)
        .values_list("voices", *ThemeCount.KEY[1:])})
    invitations: Counter[tuple[InvitationKey, str]] = Counter()
    for r in (InvitationCount.objects.for_workspace(workspace).filter(days_q)
              .values_list("sent", "answered", *InvitationCount.KEY[1:])):
        invitations[(tuple(r[2:]), "sent")] += r[0]
        invitations[(tuple(r[2:]), "answered")] += r[1]
    days: Counter[DayColumn] = Counter()
    for values in DayCount.objects.for_workspace(workspace).filter(days_q) \
            .values_list("day", "dimension", "key", *DayCount.COUNTS):
        for column, n in zip(DayCount.COUNTS, values[3:], strict=True):
            days[(*values[:3], column)] += n
    theme_days: Counter[ThemeDayColumn] = Counter()
    for values in ThemeDayCount.objects.for_workspace(workspace).filter(days_q) \
            .values_list("day", "dimension", "key", "theme", *ThemeDayCount.COUNTS):
        for column, n in zip(ThemeDayCount.COUNTS, values[4:], strict=True):
            theme_days[(*values[:4], column)] += n
    hours: Counter[HourColumn] = Counter()
    for day, hour, *values in HourCount.objects.for_workspace(workspace).filter(days_q) \
            .values_list("day", "hour", *HourCount.COUNTS):
        for column, n in zip(HourCount.COUNTS, values, strict=True):
            hours[(day, hour, column)] += n
    return Tally(voices, themes, invitations, days, theme_days, hours)


def rebuild(workspace: Workspace) -> Tally:
    """Recompute a workspace's rollups from its rows, and what each voice is counted as."""
    tz = time_zone_of(workspace)
    ws = workspace.pk
    with transaction.atomic():
        for model in (VoiceCount, ThemeCount, InvitationCount, DayCount, ThemeDayCount,
                      HourCount, CountedVoice):
            model.objects.for_workspace(workspace).delete()
        tally = recount(workspace, days=False)
        _insert(VoiceCount, [*VoiceCount.KEY, "voices"],
                ((ws, *k, n) for k, n in tally.voices.items() if n))
        _insert(ThemeCount, [*ThemeCount.KEY, "voices"],
                ((ws, *k, n) for k, n in tally.themes.items() if n))
        cells = {k for k, _what in tally.invitations}
        _insert(InvitationCount, [*InvitationCount.KEY, "sent", "answered"],
                ((ws, *k, tally.invitations[(k, "sent")], tally.invitations[(k, "answered")])
                 for k in cells))
        _sum_day_rows(ws)
        _insert(HourCount, [*HourCount.KEY, *HourCount.COUNTS],
                ((ws, day, hour, tally.hours[(day, hour, "voices")],
                  tally.hours[(day, hour, "logged")])
                 for day, hour in {(day, hour) for day, hour, _c in +tally.hours}))
        _insert(CountedVoice, ["workspace_id", "feedback_id", "day", "team_id", "agent_id",
                               "channel", "language", "survey_id", "scale", "score",
                               "polarity", "themes"], _remembered_all(workspace, tz))
        loopfacts.rebuild(workspace)
    return tally


def _sum_day_rows(workspace_id: int) -> None:
    """The day rows of a workspace summed, in the database, from its cells (a rebuild):
    the same numbers `days_of` adds up, a query per dimension."""
    columns = {"": None, "team": "team_id", "agent": "agent_id", "channel": "channel",
               "language": "language", "survey": "survey_id"}
    judged = [p for p in POLARITY_COLUMNS if p]

    def polarity(p: str) -> Q:
        return Q(polarity=p) if p else ~Q(polarity__in=judged)

    # (aliases apart from the columns: an annotation may not shadow `voices`)
    voice_sums: dict[str, Any] = {"n_voices": Sum("voices")}
    voice_sums |= {f"n_{c}": Sum("voices", filter=polarity(p))
                   for p, c in POLARITY_COLUMNS.items()}
    voice_sums |= {f"n_{c}": Sum("voices", filter=Q(scale=scale, score=n))
                   for (scale, n), c in SCORE_COLUMNS.items()}
    days: dict[tuple[Any, ...], dict[str, int]] = {}
    themes: list[tuple[Any, ...]] = []
    for dimension, column in columns.items():
        group = ["day", *([column] if column else [])]
        cells = VoiceCount.objects.filter(workspace_id=workspace_id).values(*group)
        for r in cells.annotate(**voice_sums).order_by():
            key = str(r[column]) if column else ""
            days[(r["day"], dimension, key)] = {c[2:]: r[c] or 0 for c in voice_sums}
        if dimension != "channel":
            asked = InvitationCount.objects.filter(workspace_id=workspace_id).values(*group)
            for r in asked.annotate(n_sent=Sum("sent"), n_answered=Sum("answered")) \
                    .order_by():
                key = str(r[column]) if column else ""
                days.setdefault((r["day"], dimension, key), {}).update(
                    sent=r["n_sent"] or 0, answered=r["n_answered"] or 0)
        theme_cells = ThemeCount.objects.filter(workspace_id=workspace_id) \
            .values(*group, "theme")
        for r in theme_cells.annotate(**{f"n_{c}": Sum("voices", filter=polarity(p)) for p, c
                                         in POLARITY_COLUMNS.items()}).order_by():
            themes.append((workspace_id, r["day"], dimension,
                           str(r[column]) if column else "", r["theme"],
                           *(r[f"n_{c}"] or 0 for c in ThemeDayCount.COUNTS)))
    _insert(DayCount, [*DayCount.KEY, *DayCount.COUNTS],
            ((workspace_id, *key, *(values.get(c, 0) for c in DayCount.COUNTS))
             for key, values in days.items() if any(values.values())))
    _insert(ThemeDayCount, [*ThemeDayCount.KEY, *ThemeDayCount.COUNTS],
            (row for row in themes if any(row[5:])))


def _remembered_all(workspace: Workspace, tz: ZoneInfo) -> Iterable[tuple[Any, ...]]:
    """What each voice of the workspace counts as, as `CountedVoice` rows (read as plain
    values a page at a time: a rebuild reads every voice)."""
    fields = ["pk", "occurred_at", "team_id", "agent_id", "channel", "language", "metadata",
              "scale", "score", "polarity", "themes"]
    voices = Feedback.objects.for_workspace(workspace).order_by("pk").values_list(*fields)
    last = 0
    while page := list(voices.filter(pk__gt=last)[:5000]):
        last = page[-1][0]
        for pk, occurred_at, team_id, agent_id, channel, language, metadata, scale, score, \
                polarity, themes in page:
            survey = survey_id_of(metadata.get("survey_id")
                                  if isinstance(metadata, dict) else None)
            yield (workspace.pk, pk, timezone.localtime(occurred_at, tz).date(), team_id or 0,
                   agent_id or 0, channel, language, survey, scale,
                   score if score is not None else 0, polarity, theme_keys_of(themes))


def _insert(model: type[models.Model], columns: list[str], rows: Iterable[tuple[Any, ...]],
            batch: int = 5000) -> None:
    """Insert many rows: COPY on PostgreSQL (a rebuild writes about a row per voice in
    each of three tables), batched multi-row INSERTs elsewhere."""
    q = connection.ops.quote_name
    table = q(model._meta.db_table)
    names = ", ".join(q(c) for c in columns)
    json_columns = {i for i, c in enumerate(columns)
                    if isinstance(getattr(model, c, None), DeferredAttribute)
                    and isinstance(model._meta.get_field(c), models.JSONField)}
    with connection.cursor() as cursor:
        rows = iter(rows)
        if connection.vendor == "postgresql":
            # A chunk at a time: `rows` may read the database (one connection), which it
            # cannot while a COPY is open.
            while chunk := list(itertools.islice(rows, batch * 10)):
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in chunk:
                        copy.write_row(tuple(json.dumps(v) if i in json_columns else v
                                             for i, v in enumerate(row)))
            return
        placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
        per_statement = max(1, min(batch, 900 // len(columns)))  # SQLite's variable limit
        while chunk := list(itertools.islice(rows, per_statement)):
            values = [connection.ops.adapt_datefield_value(v) if isinstance(v, date)
                      else json.dumps(v) if i in json_columns else v
                      for row in chunk for i, v in enumerate(row)]
            cursor.execute(  # only names from the model's metadata are formatted in
                f"INSERT INTO {table} ({names}) VALUES "  # noqa: S608
                + ", ".join([placeholders] * len(chunk)), values)


def check(workspaces: Iterable[Workspace], *, days_back: int = 90, sample: int = 3,
          rng: random.Random | None = None) -> list[Workspace]:
    """Recount a sample of days of each workspace (yesterday and random others); a
    workspace whose rollups drifted is logged and rebuilt. Returns the ones repaired."""
    rng = rng or random.Random()
    repaired = []
    for workspace in workspaces:
        today = timezone.localtime(timezone.now(), time_zone_of(workspace)).date()
        days = {today - timedelta(days=1)} | {
            today - timedelta(days=rng.randint(0, days_back)) for _n in range(sample - 1)}
        for day in sorted(days):
            differences = stored(workspace, day, day).differences(recount(workspace, day, day)) \
                + loopfacts.differences(workspace, day, day)
            if differences:
                log.warning("insights: rollups of %s drifted on %s, rebuilding: %s",
                            workspace.slug, day, "; ".join(differences[:30]))
                rebuild(workspace)
                repaired.append(workspace)
                break
    return repaired
