"""Use cases of the insights domain that change data: the close-the-loop goal, and keeping
the rollups exact (count a voice, an invitation and its answer; recount, rebuild, check).
The loop calls the latter in the same transaction as the change they count.

A voice's contribution is remembered in `CountedVoice`; counting it again takes the old
contribution out and puts the new one in, each as a delta added to the cell in one
`INSERT … ON CONFLICT DO UPDATE` (SQLite ≥ 3.24 and PostgreSQL), so concurrent workers
never lose an update and a retried task never counts twice.
"""

from __future__ import annotations

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
from django.db.models import Count, Q
from django.db.models.fields.json import KT
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.core.models import Membership, Role, Workspace
from kliento.core.services import require_role
from kliento.feedback.models import Feedback
from kliento.insights import loopfacts
from kliento.insights.models import (
    CountedVoice,
    InsightsSettings,
    InvitationCount,
    ThemeCount,
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
        if new is None:
            CountedVoice.objects.filter(feedback_id=feedback_id).delete()
        else:
            snapshot = _snapshot(workspace_id, feedback_id, new)
            if row is None:
                snapshot.save(force_insert=True)
            else:
                snapshot.save(force_update=True)
    return True


def forget_voice(feedback: Feedback) -> None:
    """Take a voice out of the rollups; call it in the transaction that deletes it."""
    with transaction.atomic():
        Feedback.objects.select_for_update(of=("self",)).filter(pk=feedback.pk).first()
        row = CountedVoice.objects.filter(feedback_id=feedback.pk).first()
        if row is not None:
            _apply(row.workspace_id, _remembered(row), None)
            row.delete()
        loopfacts.forget_voice(feedback)


def _counts_as_asked(invitation: Invitation) -> bool:
    return not invitation.unverified and not invitation.skip_reason


def _invitation_key(invitation: Invitation, tz: ZoneInfo) -> InvitationKey:
    return (timezone.localtime(invitation.created_at, tz).date(), invitation.team_id or 0,
            invitation.agent_id or 0, invitation.language, invitation.survey_id)


def count_invitation(invitation: Invitation) -> None:
    """A new invitation: one more asked on its day (skipped ones and open links are not)."""
    if _counts_as_asked(invitation):
        _add(InvitationCount, invitation.workspace_id,
             _invitation_key(invitation, time_zone_of(invitation.workspace)),
             {"sent": 1, "answered": 0})


def count_answer(invitation: Invitation) -> None:
    """An invitation answered for the first time (a changed score is not a new answer)."""
    if _counts_as_asked(invitation):
        _add(InvitationCount, invitation.workspace_id,
             _invitation_key(invitation, time_zone_of(invitation.workspace)),
             {"sent": 0, "answered": 1})


# -- recount, rebuild, check --------------------------------------------------------------


@dataclass
class Tally:
    """Rollup contents as plain counters: what is stored, or what the rows say."""

    voices: Counter[VoiceKey]
    themes: Counter[ThemeKey]
    invitations: Counter[tuple[InvitationKey, str]]  # (key, "sent" | "answered")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Tally):
            return NotImplemented
        return all(+getattr(self, f) == +getattr(other, f)  # `+` drops zero cells
                   for f in ("voices", "themes", "invitations"))

    def differences(self, other: Tally) -> list[str]:
        out = []
        for f in ("voices", "themes", "invitations"):
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
            last: date | None = None) -> Tally:
    """What the rollups should hold, counted from the rows (one GROUP BY per rollup)."""
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
    return Tally(voices, themes, invitations)


def stored(workspace: Workspace, first: date | None = None, last: date | None = None) -> Tally:
    """What the rollups hold now."""
    days = Q()
    if first is not None:
        days &= Q(day__gte=first)
    if last is not None:
        days &= Q(day__lte=last)
    voices: Counter[VoiceKey] = Counter({
        tuple(r[1:]): r[0] for r in VoiceCount.objects.for_workspace(workspace).filter(days)
        .values_list("voices", *VoiceCount.KEY[1:])})
    themes: Counter[ThemeKey] = Counter({
        tuple(r[1:]): r[0] for r in ThemeCount.objects.for_workspace(workspace).filter(days)
        .values_list("voices", *ThemeCount.KEY[1:])})
    invitations: Counter[tuple[InvitationKey, str]] = Counter()
    for r in (InvitationCount.objects.for_workspace(workspace).filter(days)
              .values_list("sent", "answered", *InvitationCount.KEY[1:])):
        invitations[(tuple(r[2:]), "sent")] += r[0]
        invitations[(tuple(r[2:]), "answered")] += r[1]
    return Tally(voices, themes, invitations)


def rebuild(workspace: Workspace) -> Tally:
    """Recompute a workspace's rollups from its rows, and what each voice is counted as."""
    tz = time_zone_of(workspace)
    with transaction.atomic():
        for model in (VoiceCount, ThemeCount, InvitationCount, CountedVoice):
            model.objects.for_workspace(workspace).delete()
        tally = recount(workspace)
        ws = workspace.pk
        VoiceCount.objects.bulk_create(
            [VoiceCount(workspace_id=ws, **dict(zip(VoiceCount.KEY[1:], k, strict=True)),
                        voices=n) for k, n in tally.voices.items() if n], batch_size=1000)
        ThemeCount.objects.bulk_create(
            [ThemeCount(workspace_id=ws, **dict(zip(ThemeCount.KEY[1:], k, strict=True)),
                        voices=n) for k, n in tally.themes.items() if n], batch_size=1000)
        cells = {k for k, _what in tally.invitations}
        InvitationCount.objects.bulk_create(
            [InvitationCount(workspace_id=ws, **dict(zip(InvitationCount.KEY[1:], k, strict=True)),
                             sent=tally.invitations[(k, "sent")],
                             answered=tally.invitations[(k, "answered")])
             for k in cells], batch_size=1000)
        _remember_all(workspace, tz)
        loopfacts.rebuild(workspace)
    return tally


def _remember_all(workspace: Workspace, tz: ZoneInfo) -> None:
    fields = ["pk", "workspace_id", "occurred_at", "team_id", "agent_id", "channel", "language",
              "metadata", "scale", "score", "polarity", "themes"]
    batch: list[CountedVoice] = []
    for f in Feedback.objects.for_workspace(workspace).only(*fields).iterator(2000):
        batch.append(_snapshot(workspace.pk, f.pk, contribution_of(f, tz)))
        if len(batch) >= 2000:
            CountedVoice.objects.bulk_create(batch)
            batch = []
    CountedVoice.objects.bulk_create(batch)


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
                            workspace.slug, day, "; ".join(differences[:20]))
                rebuild(workspace)
                repaired.append(workspace)
                break
    return repaired
