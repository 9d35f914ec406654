"""The feedback list's filters: one definition for the page, the API and the exports.

Every figure of the dashboard links to the feedback list filtered to exactly the voices behind
it, so a filter here must select what the figures count: days are the workspace's calendar days
of `occurred_at` (when the customer spoke), both ends included; "none" (or 0) selects the
voices without a team, agent, survey, language, scale or polarity, as the rollups count them.

    f = FeedbackFilter.from_params(request.GET, workspace)   # FilterError names a bad parameter
    voices = f.apply(Feedback.objects.for_workspace(workspace))
    link = f"/feed/?{f.querystring()}"

`VoiceSelection` is the close-the-loop and root-cause figures' period and group; its
`params()` are this list's parameters, and its `apply` selects the same voices.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import BooleanField, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, ExtractHour, ExtractIsoWeekDay
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from kliento.core.models import Membership, Team, Workspace
from kliento.customers.models import Polarity, Tag
from kliento.feedback.models import Channel, Feedback, Scale, Source
from kliento.insights.models import DEFAULT_TARGET_HOURS, InsightsSettings, LoopVoice
from kliento.recovery.models import Case, RootCause
from kliento.surveys.models import Invitation, InvitationState, Survey

NONE = "none"
UNHAPPY = Q(polarity=Polarity.NEGATIVE) | Q(mixed=True)
# The query parameters, in the order the page shows them and links spell them.
PARAMS = ["from", "to", "team", "agent", "channel", "language", "survey", "polarity", "scale",
          "score", "theme", "customer_tag", "vip", "root_cause", "unhappy", "contact", "recovered",
          # kept from before the dashboard: the feed's "last N days", the API's customer and
          # received-at range
          "period", "customer_id", "since", "until",
          # the dashboard's hour-of-the-week cells, logged contacts and response rate
          "weekday", "hour", "logged", "asked_from", "asked_to"]
PERIOD_DAYS = {1, 7, 30, 90}
SCORE_RANGE = {Scale.CSAT: (1, 5), Scale.NPS: (0, 10), Scale.CES: (1, 7), Scale.THUMBS: (0, 1)}
_KEY = re.compile(r"^[-a-z0-9_]{1,50}$")
# Close the loop's drill-down (unhappy voices only): contacted at all, within the target,
# after it; not contacted, past the target, still within it; contacted or past it.
CONTACT = ["yes", "in_time", "late", "none", "missed", "pending", "measured"]


class FilterError(ValidationError):
    """One or more bad filter parameters; `error_dict` maps each parameter to its message."""


@dataclass(frozen=True)
class FeedbackFilter:
    """Which voices of one workspace the list shows. Empty fields do not filter.

    `team`, `agent` and `survey` are ids, 0 meaning "none"; `language`, `polarity` and `scale`
    take "none" for the empty value; `theme` and `root_cause` are keys (`root_cause`: voices
    that opened a case closed with it), `customer_tag` a tag's name; `unhappy` selects negative
    or mixed voices; `contact` (one of CONTACT) and `recovered` select unhappy voices by what
    close the loop counts of them. `date_from`/`date_to` are inclusive days in `time_zone`
    (the workspace's).

    `weekday` (1 = Monday … 7 = Sunday) and `hour` (0–23) are of `occurred_at` on the same
    clock, as the hour-of-the-week heat maps count; `logged` selects the contacts agents
    logged (a logged interaction naming its agent); `asked_from`/`asked_to` select the
    answers to invitations asked on those days (created, not skipped, not an open link),
    which the response rate counts as answered, whenever the customer answered."""

    date_from: date | None = None
    date_to: date | None = None
    team: int | None = None
    agent: int | None = None
    channel: str = ""
    language: str = ""
    survey: int | None = None
    polarity: str = ""
    scale: str = ""
    score: int | None = None
    theme: str = ""
    customer_tag: str = ""
    vip: bool | None = None
    root_cause: str = ""
    unhappy: bool = False
    contact: str = ""
    recovered: bool | None = None
    period: int | None = None
    customer_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    weekday: int | None = None
    hour: int | None = None
    logged: bool = False
    asked_from: date | None = None
    asked_to: date | None = None
    time_zone: str = "UTC"

    # -- parsing ------------------------------------------------------------------------

    @classmethod
    def from_params(cls, params: Mapping[str, Any], workspace: Workspace) -> FeedbackFilter:
        """Parse query parameters; raises FilterError naming every bad one.

        Ids and keys must belong to `workspace`: another workspace's team is refused like one
        that does not exist, so a link never reveals what it would have matched."""
        errors: dict[str, str] = {}
        values: dict[str, Any] = {"time_zone": workspace.time_zone or "UTC"}

        def text(name: str) -> str:
            raw = params.get(name)
            return str(raw).strip() if raw is not None else ""

        def fail(name: str, message: str) -> None:
            errors[name] = message

        def integer(name: str, *, none_ok: bool = False) -> int | None:
            raw = text(name)
            if not raw:
                return None
            if none_ok and raw.lower() == NONE:
                return 0
            if not raw.isascii() or not raw.isdigit() or len(raw) > 18 or (
                    int(raw) == 0 and not none_ok):
                fail(name, _("“%(value)s” is not a whole number.") % {"value": raw[:30]})
                return None
            return int(raw)

        for name, key in (("from", "date_from"), ("to", "date_to")):
            raw = text(name)
            if raw:
                try:
                    values[key] = date.fromisoformat(raw)
                except ValueError:
                    fail(name, _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": raw[:30]})
        if values.get("date_from") and values.get("date_to") and \
                values["date_from"] > values["date_to"]:
            fail("to", _("The period ends before it begins."))
        _parse_hours_and_invitations(text, fail, values)

        team = integer("team", none_ok=True)
        if team and not Team.objects.for_workspace(workspace).filter(pk=team).exists():
            fail("team", _("No team of this workspace has id %(id)s.") % {"id": team})
        values["team"] = team
        agent = integer("agent", none_ok=True)
        if agent and not Membership.objects.for_workspace(workspace).filter(
                user_id=agent).exists():
            fail("agent", _("No member of this workspace has id %(id)s.") % {"id": agent})
        values["agent"] = agent
        survey = integer("survey", none_ok=True)
        if survey and not Survey.objects.for_workspace(workspace).filter(pk=survey).exists():
            fail("survey", _("No survey of this workspace has id %(id)s.") % {"id": survey})
        values["survey"] = survey

        for name, allowed in (("channel", Channel.values), ("polarity", Polarity.values),
                              ("scale", Scale.values), ("contact", CONTACT)):
            raw = text(name).lower()
            if raw and raw not in allowed and not (raw == NONE and name != "channel"):
                fail(name, _("Unknown %(name)s “%(value)s”; one of: %(allowed)s.") % {
                    "name": name, "value": raw[:30], "allowed": ", ".join(allowed)})
            else:
                values[name] = raw

        language = text("language").lower()
        if language and not (language == NONE or re.fullmatch(r"[a-z]{2,3}(-[a-z]{2,4})?",
                                                              language)):
            fail("language", _("“%(value)s” is not a language code.") % {"value": language[:30]})
        values["language"] = language

        score = integer("score")
        scale = values.get("scale", "")
        if score is not None and scale in SCORE_RANGE:
            low, high = SCORE_RANGE[Scale(scale)]
            if not low <= score <= high:
                fail("score", _("A %(scale)s score is from %(low)s to %(high)s.") % {
                    "scale": scale, "low": low, "high": high})
        values["score"] = score

        for name in ("theme", "root_cause"):
            raw = text(name).lower()
            if raw and not _KEY.match(raw):
                fail(name, _("“%(value)s” is not a key.") % {"value": raw[:30]})
            values[name] = raw
        if values["root_cause"] and not errors.get("root_cause") and not \
                RootCause.objects.for_workspace(workspace).filter(
                    key=values["root_cause"]).exists():
            fail("root_cause", _("No root cause of this workspace has the key “%(key)s”.") % {
                "key": values["root_cause"]})

        tag = text("customer_tag").lower()
        if tag and not Tag.objects.for_workspace(workspace).filter(name=tag).exists():
            fail("customer_tag", _("No customer tag “%(name)s” in this workspace.") % {
                "name": tag[:50]})
        values["customer_tag"] = tag

        unhappy = text("unhappy").lower()
        if unhappy in {"1", "true", "yes", "on"}:
            values["unhappy"] = True
        elif unhappy and unhappy not in {"0", "false", "no", "off"}:
            fail("unhappy", _("“%(value)s” is not yes or no.") % {"value": unhappy[:30]})

        for name in ("vip", "recovered"):
            raw = text(name).lower()
            if raw in {"1", "true", "yes", "on"}:
                values[name] = True
            elif raw in {"0", "false", "no", "off"}:
                values[name] = False
            elif raw:
                fail(name, _("“%(value)s” is not yes or no.") % {"value": raw[:30]})

        period = integer("period")
        if period is not None and period not in PERIOD_DAYS:
            fail("period", _("The period is one of 1, 7, 30 or 90 days."))
        values["period"] = period
        values["customer_id"] = integer("customer_id")
        for name in ("since", "until"):
            raw = text(name)
            if raw:
                try:
                    moment = parse_datetime(raw)
                except ValueError:
                    moment = None
                if moment is not None and timezone.is_naive(moment):
                    moment = moment.replace(tzinfo=UTC)  # a time without an offset is UTC
                try:
                    # what the database cannot store would be a crash, not a filter
                    if moment is not None and abs(moment.utcoffset() or timedelta()) >= \
                            timedelta(hours=16):
                        moment = None
                    elif moment is not None:
                        moment.astimezone(UTC)
                except OverflowError:
                    moment = None
                if moment is None:
                    fail(name, _("“%(value)s” is not a date and time (ISO 8601).") % {
                        "value": raw[:40]})
                else:
                    values[name] = moment
        if errors:
            raise FilterError(errors)
        return cls(**values)

    # -- applying -----------------------------------------------------------------------

    def apply(self, queryset: QuerySet[Feedback]) -> QuerySet[Feedback]:
        """The voices of `queryset` (already one workspace's) that match; one query, no joins
        that could repeat a voice."""
        qs = queryset
        tz = zone(self.time_zone)
        if self.date_from:
            qs = qs.filter(occurred_at__gte=datetime.combine(self.date_from, time(), tz))
        if self.date_to:
            qs = qs.filter(occurred_at__lt=datetime.combine(
                self.date_to + timedelta(days=1), time(), tz))
        qs = self._apply_hours_and_invitations(qs, tz)
        if self.team is not None:
            qs = qs.filter(team_id=self.team) if self.team else qs.filter(team=None)
        if self.agent is not None:
            qs = qs.filter(agent_id=self.agent) if self.agent else qs.filter(agent=None)
        if self.channel:
            qs = qs.filter(channel=self.channel)
        for name in ("language", "polarity", "scale"):
            value = getattr(self, name)
            if value:
                qs = qs.filter(**{name: "" if value == NONE else value})
        if self.survey is not None:
            # The survey a voice answered is in its metadata, a number (the loop) or, from an
            # API client, possibly its digits as text: the rollups count both as that survey.
            qs = qs.filter(Q(metadata__survey_id=self.survey)
                           | Q(metadata__survey_id=str(self.survey))) if self.survey else \
                qs.filter(Q(metadata__survey_id__isnull=True) | Q(metadata__survey_id=None))
        if self.score is not None:
            qs = qs.filter(score=self.score)
        if self.theme:
            qs = qs.filter(_has_theme(self.theme))
        if self.customer_tag:
            qs = qs.filter(customer__tags__name=self.customer_tag)
        if self.vip is not None:
            qs = qs.filter(customer__vip=self.vip)
        if self.root_cause:
            # The voice that opened the case: the root-cause figures count cases, one each.
            qs = qs.filter(Exists(Case.objects.filter(
                feedback_id=OuterRef("pk"), root_cause__key=self.root_cause)))
        if self.unhappy:
            qs = qs.filter(UNHAPPY)
        if self.contact or self.recovered is not None:
            qs = qs.filter(Exists(_loop_facts(self.contact, self.recovered)))
        if self.period:
            qs = qs.filter(received_at__gte=timezone.now() - timedelta(days=self.period))
        if self.customer_id:
            qs = qs.filter(customer_id=self.customer_id)
        if self.since:
            qs = qs.filter(received_at__gte=self.since)
        if self.until:
            qs = qs.filter(received_at__lt=self.until)
        return qs

    def _apply_hours_and_invitations(self, qs: QuerySet[Feedback], tz: ZoneInfo
                                     ) -> QuerySet[Feedback]:
        # Extracted on the workspace's clock, as contact_statistics does (both databases).
        if self.weekday is not None:
            qs = qs.alias(spoke_weekday=ExtractIsoWeekDay("occurred_at", tzinfo=tz)).filter(
                spoke_weekday=self.weekday)
        if self.hour is not None:
            qs = qs.alias(spoke_hour=ExtractHour("occurred_at", tzinfo=tz)).filter(
                spoke_hour=self.hour)
        if self.logged:
            qs = qs.filter(source=Source.INTERACTION, agent__isnull=False)
        if self.asked_from or self.asked_to:
            # What the invitation rollups count as answered: asked (not skipped, not an open
            # link) on those days, answered; the voice is its answer.
            asked = Invitation.objects.filter(feedback_id=OuterRef("pk"), unverified=False,
                                              skip_reason="", state=InvitationState.ANSWERED)
            if self.asked_from:
                asked = asked.filter(created_at__gte=datetime.combine(self.asked_from, time(), tz))
            if self.asked_to:
                asked = asked.filter(created_at__lt=datetime.combine(
                    self.asked_to + timedelta(days=1), time(), tz))
            qs = qs.filter(Exists(asked))
        return qs

    # -- links --------------------------------------------------------------------------

    def params(self) -> dict[str, str]:
        """The query parameters that give this filter back (for links and drill-downs)."""
        out: dict[str, str] = {}
        data = asdict(self)
        for f in fields(self):
            if f.name == "time_zone":
                continue
            value = data[f.name]
            name = {"date_from": "from", "date_to": "to"}.get(f.name, f.name)
            if value is None or value == "":
                continue
            if f.name in ("team", "agent", "survey") and value == 0:
                out[name] = NONE
            elif f.name in ("unhappy", "logged"):
                if value:
                    out[name] = "1"
            elif isinstance(value, bool):
                out[name] = "yes" if value else "no"
            elif isinstance(value, date | datetime):
                out[name] = value.isoformat()
            else:
                out[name] = str(value)
        return out

    def querystring(self) -> str:
        return urlencode(self.params())

    def but(self, **changes: Any) -> FeedbackFilter:
        """The same filter with some fields changed, e.g. `f.but(team=3)` for a table row."""
        return replace(self, **changes)

    @property
    def is_empty(self) -> bool:
        return not self.params()


def _parse_hours_and_invitations(text: Any, fail: Any, values: dict[str, Any]) -> None:
    """`weekday`, `hour`, `logged`, `asked_from` and `asked_to` into `values` (the drill-downs
    of the hour-of-the-week cells, the logged contacts and the response rate)."""
    for name, low, high in (("weekday", 1, 7), ("hour", 0, 23)):
        raw = text(name)
        if not raw:
            continue
        if raw.isascii() and raw.isdigit() and low <= int(raw) <= high:
            values[name] = int(raw)
        elif name == "weekday":
            fail(name, _("The weekday is a number from 1 (Monday) to 7 (Sunday), "
                         "not “%(value)s”.") % {"value": raw[:30]})
        else:
            fail(name, _("The hour is a number from 0 to 23, not “%(value)s”.") % {
                "value": raw[:30]})
    logged = text("logged").lower()
    if logged in {"1", "true", "yes", "on"}:
        values["logged"] = True
    elif logged and logged not in {"0", "false", "no", "off"}:
        fail("logged", _("“%(value)s” is not yes or no.") % {"value": logged[:30]})
    for name in ("asked_from", "asked_to"):
        raw = text(name)
        if raw:
            try:
                values[name] = date.fromisoformat(raw)
            except ValueError:
                fail(name, _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": raw[:30]})
    if values.get("asked_from") and values.get("asked_to") and \
            values["asked_from"] > values["asked_to"]:
        fail("asked_to", _("The invitations' days end before they begin."))


def zone(name: str) -> ZoneInfo:
    """A workspace's time zone; UTC if it names none that exists (an edited database)."""
    try:
        return ZoneInfo(name or "UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def _has_theme(key: str) -> Q:
    """Voices whose themes (a JSON list of {"key": …, "score": …}) include `key`."""
    if connection.vendor == "postgresql":
        return Q(themes__contains=[{"key": key}])
    # SQLite has no JSON containment; json_each reads the list in place.
    table = connection.ops.quote_name(Feedback._meta.db_table)
    # The key is a bound parameter; only the quoted table name is formatted in.
    return Q(RawSQL(  # noqa: S611
        f"EXISTS (SELECT 1 FROM json_each({table}.themes) AS t "  # noqa: S608
        "WHERE json_extract(t.value, '$.key') = %s)", [key], output_field=BooleanField()))


def _loop_facts(contact: str, recovered: bool | None) -> QuerySet[LoopVoice]:
    """The close-the-loop facts of the outer voice (kliento.insights.loopfacts) when they
    match: the same conditions, the workspace's target and the clock as the figures use."""
    rows: Any = LoopVoice.objects.filter(feedback_id=OuterRef("pk"),
                                         workspace_id=OuterRef("workspace_id"))
    contacted = Q(first_contact_at__isnull=False)
    past = Q(deadline__lt=timezone.now())
    if contact in ("in_time", "late"):
        hours = InsightsSettings.objects.filter(workspace_id=OuterRef("workspace_id")) \
            .values("contact_target_hours")[:1]
        rows = rows.annotate(target=Coalesce(Subquery(hours), DEFAULT_TARGET_HOURS) * 3600)
        in_time = Q(contact_seconds__lte=F("target"))
        rows = rows.filter(contacted & (in_time if contact == "in_time" else ~in_time))
    elif contact:
        rows = rows.filter({"yes": contacted, "none": ~contacted, "missed": ~contacted & past,
                            "pending": ~contacted & ~past, "measured": contacted | past}[contact])
    if recovered is not None:
        rows = rows.filter(recovered_at__isnull=not recovered)
    return rows


def feedback_list(workspace: Workspace, f: FeedbackFilter) -> QuerySet[Feedback]:
    """The workspace's voices that `f` selects, newest first, with what a row shows."""
    return f.apply(Feedback.objects.for_workspace(workspace)).select_related(
        "customer", "agent", "team").order_by("-received_at", "-pk")


@dataclass(frozen=True)
class VoiceSelection:
    """Voices of the days `since` to `until` (the workspace's calendar days of when the
    customer spoke, both included), of a team, an agent, a channel, a language, a survey,
    customers with a tag, VIP customers or the others, when given."""

    since: date
    until: date
    team_id: int | None = None
    agent_id: int | None = None
    channel: str = ""
    language: str = ""
    survey_id: int | None = None
    customer_tag: str = ""
    vip: bool | None = None

    def bounds(self, workspace: Workspace) -> tuple[datetime, datetime]:
        """[start, end) as aware datetimes."""
        tz = zone(workspace.time_zone)
        return (datetime.combine(self.since, time(0), tzinfo=tz),
                datetime.combine(self.until + timedelta(days=1), time(0), tzinfo=tz))

    def as_filter(self, workspace: Workspace) -> FeedbackFilter:
        return FeedbackFilter(date_from=self.since, date_to=self.until, team=self.team_id,
                              agent=self.agent_id, channel=self.channel,
                              language=self.language, survey=self.survey_id,
                              customer_tag=self.customer_tag, vip=self.vip,
                              time_zone=workspace.time_zone or "UTC")

    def apply(self, voices: QuerySet[Feedback], workspace: Workspace) -> QuerySet[Feedback]:
        """The same voices as the feedback list shows for `params()`."""
        return self.as_filter(workspace).apply(voices)

    def params(self, **more: str | int | None) -> dict[str, str]:
        """The feedback list's query parameters for these voices (and `more` of them)."""
        values: dict[str, str | int | None] = {
            "from": self.since.isoformat(), "to": self.until.isoformat(),
            "team": self.team_id, "agent": self.agent_id, "channel": self.channel,
            "language": self.language, "survey": self.survey_id,
            "customer_tag": self.customer_tag,
            "vip": None if self.vip is None else "yes" if self.vip else "no", **more}
        return {k: str(v) for k, v in values.items() if v not in (None, "")}
