"""A workspace's close-the-loop goal, and the rollups: counts of voices and invitations per
workspace × day × team × agent × channel × language × survey, kept current by the loop and
checked against recounts (docs/INSIGHTS.md).

Dimensions are plain integers and strings, never NULL (0 = no team, no agent, no survey;
"" = no language), so that one unique index identifies a cell and "add this delta to the
cell" is a single `INSERT … ON CONFLICT DO UPDATE` on SQLite and PostgreSQL alike. They are
not foreign keys for the same reason; names are looked up, within the workspace, when read.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kliento.core.scoping import WorkspaceOwned

DIMENSIONS = ["day", "team_id", "agent_id", "channel", "language", "survey_id"]

DEFAULT_TARGET_HOURS = 24
DEFAULT_TARGET_PERCENT = 90


class InsightsSettings(models.Model):
    """A workspace's close-the-loop goal: contact this share of unhappy customers within
    this many business hours. Made on the first save; until then the defaults hold."""

    workspace = models.OneToOneField("core.Workspace", on_delete=models.CASCADE,
                                     related_name="+")
    contact_target_hours = models.PositiveSmallIntegerField(
        _("contact within (business hours)"), default=DEFAULT_TARGET_HOURS,
        validators=[MinValueValidator(1), MaxValueValidator(720)])
    contact_target_percent = models.PositiveSmallIntegerField(
        _("target share of unhappy voices contacted in time (%)"),
        default=DEFAULT_TARGET_PERCENT,
        validators=[MinValueValidator(1), MaxValueValidator(100)])

    def __str__(self) -> str:
        return f"{self.contact_target_percent} % within {self.contact_target_hours} h"


class Cell(WorkspaceOwned):
    """Where a voice is counted: the DIMENSIONS, shared by the rollups and the record of what
    each voice was last counted as."""

    day = models.DateField()
    team_id = models.BigIntegerField(default=0)
    agent_id = models.BigIntegerField(default=0)
    channel = models.CharField(max_length=10)
    language = models.CharField(max_length=10, blank=True)
    survey_id = models.BigIntegerField(default=0)

    class Meta:
        abstract = True


class VoiceCount(Cell):
    """How many voices of one score (or none) and polarity fell in one cell.

    `scale` and `score` together say what was answered: ("csat", 4), ("nps", 9), ("ces", 2),
    ("thumbs", 1); ("", 0) is a voice without a score (a message, a comment alone)."""

    scale = models.CharField(max_length=6, blank=True)
    score = models.SmallIntegerField(default=0)
    polarity = models.CharField(max_length=10, blank=True)
    voices = models.IntegerField(default=0)

    KEY = ["workspace_id", *DIMENSIONS, "scale", "score", "polarity"]

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["workspace", *DIMENSIONS, "scale", "score", "polarity"],
            name="voicecount_cell")]
        # The unique index leads with (workspace, day): every dashboard query's range scan.


class ThemeCount(Cell):
    """How many voices about one theme, of one polarity, fell in one cell."""

    theme = models.CharField(max_length=50)
    polarity = models.CharField(max_length=10, blank=True)
    voices = models.IntegerField(default=0)

    KEY = ["workspace_id", *DIMENSIONS, "theme", "polarity"]

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["workspace", *DIMENSIONS, "theme", "polarity"], name="themecount_cell")]


class InvitationCount(WorkspaceOwned):
    """Invitations asked (not skipped) on one day, and how many of those were answered.

    Open rating links pasted in replies are left out: nobody knows how often they were
    shown, so they would only inflate the response rate."""

    day = models.DateField()
    team_id = models.BigIntegerField(default=0)
    agent_id = models.BigIntegerField(default=0)
    language = models.CharField(max_length=10, blank=True)
    survey_id = models.BigIntegerField(default=0)
    sent = models.IntegerField(default=0)
    answered = models.IntegerField(default=0)

    KEY = ["workspace_id", "day", "team_id", "agent_id", "language", "survey_id"]

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["workspace", "day", "team_id", "agent_id", "language", "survey_id"],
            name="invitationcount_cell")]


# The answers a day's row counts per score, a column each: ("csat", 4) is `csat_4`. A score
# outside its scale (an edited row) is counted as a voice and by polarity, never as an answer.
SCALES = {"csat": range(1, 6), "nps": range(0, 11), "ces": range(1, 8), "thumbs": range(0, 2)}
SCORE_COLUMNS = {(scale, n): f"{scale}_{n}" for scale, scores in SCALES.items() for n in scores}
POLARITY_COLUMNS = {"negative": "negative", "neutral": "neutral", "positive": "positive",
                    "": "unjudged"}
# What a day's row is about: every voice of the day (""), or those of one team, agent,
# channel, language or survey (`key`: the id as text, "0" for none; the channel; the
# language, "" for unknown).
DAY_DIMENSIONS = ("", "team", "agent", "channel", "language", "survey")


def _counter() -> models.IntegerField:
    return models.IntegerField(default=0, db_default=0)  # the deltas insert some columns only


class DayCount(WorkspaceOwned):
    """A day's voices and invitations in one dimension at a time: the figures of the whole
    workspace, or per team, agent, channel, language or survey, over any period read as few
    rows as there are days × members of the dimension, however many voices there were.
    Kept with the cells above (the same deltas) for the figures with one filter at most.

    Invitations have no channel: its rows count none, and the response rate under a
    channel filter is read from the whole day's row."""

    day = models.DateField()
    dimension = models.CharField(max_length=8, blank=True)
    key = models.CharField(max_length=20, blank=True)
    voices = _counter()
    negative = _counter()
    neutral = _counter()
    positive = _counter()
    unjudged = _counter()
    sent = _counter()
    answered = _counter()
    csat_1 = _counter()
    csat_2 = _counter()
    csat_3 = _counter()
    csat_4 = _counter()
    csat_5 = _counter()
    nps_0 = _counter()
    nps_1 = _counter()
    nps_2 = _counter()
    nps_3 = _counter()
    nps_4 = _counter()
    nps_5 = _counter()
    nps_6 = _counter()
    nps_7 = _counter()
    nps_8 = _counter()
    nps_9 = _counter()
    nps_10 = _counter()
    ces_1 = _counter()
    ces_2 = _counter()
    ces_3 = _counter()
    ces_4 = _counter()
    ces_5 = _counter()
    ces_6 = _counter()
    ces_7 = _counter()
    thumbs_0 = _counter()
    thumbs_1 = _counter()

    KEY = ["workspace_id", "day", "dimension", "key"]
    COUNTS = ["voices", *POLARITY_COLUMNS.values(), "sent", "answered",
              *SCORE_COLUMNS.values()]

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["workspace", "day", "dimension", "key"], name="daycount_cell")]
        indexes = [models.Index(fields=["workspace", "dimension", "day"],
                                name="daycount_dimension")]


class ThemeDayCount(WorkspaceOwned):
    """A day's voices about one theme, by polarity, in one dimension at a time (as
    `DayCount`)."""

    day = models.DateField()
    dimension = models.CharField(max_length=8, blank=True)
    key = models.CharField(max_length=20, blank=True)
    theme = models.CharField(max_length=50)
    negative = _counter()
    neutral = _counter()
    positive = _counter()
    unjudged = _counter()

    KEY = ["workspace_id", "day", "dimension", "key", "theme"]
    COUNTS = list(POLARITY_COLUMNS.values())

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["workspace", "day", "dimension", "key", "theme"],
            name="themedaycount_cell")]
        indexes = [models.Index(fields=["workspace", "dimension", "day"],
                                name="themedaycount_dimension")]


class HourCount(WorkspaceOwned):
    """A day's voices and logged contacts (interactions an agent logged) per hour of the
    customer's clock, the workspace's: the "when customers reach out" heat maps over any
    period read as 24 rows a day, however many voices there were.

    Both are counted once, when a voice is first counted (its `occurred_at` and `source`
    never change), and taken out when it is forgotten; a voice stops or starts being a
    logged contact when its agent is cleared or set (`services.count_voice`)."""

    day = models.DateField()
    hour = models.PositiveSmallIntegerField()  # 0–23
    voices = _counter()
    logged = _counter()

    KEY = ["workspace_id", "day", "hour"]
    COUNTS = ["voices", "logged"]

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "day", "hour"],
                                               name="hourcount_cell")]


class CountedVoice(Cell):
    """What the rollups hold of one feedback: its cell, score, polarity and themes as last
    counted. A change is applied as "take this out, put the new one in", so a voice counted
    twice (a retried task, two workers) is still counted once."""

    feedback_id = models.BigIntegerField(primary_key=True)  # no FK: it outlives a deletion
    scale = models.CharField(max_length=6, blank=True)
    score = models.SmallIntegerField(default=0)
    polarity = models.CharField(max_length=10, blank=True)
    themes = models.JSONField(default=list)


class LoopVoice(Cell):
    """One unhappy voice as close-the-loop counts it: its cell, its customer, and what
    happened after it, kept by the loop (kliento.insights.loopfacts) in the transaction of
    each event that changes it, so the figures are a few aggregates, not a walk through
    every voice's business hours."""

    # Unlike CountedVoice these facts need not outlive their voice: a voice deleted any way
    # at all (its customer deleted, say) takes its facts with it.
    feedback = models.OneToOneField("feedback.Feedback", primary_key=True,
                                    on_delete=models.CASCADE, related_name="+")
    customer_id = models.BigIntegerField()  # not a key, as the cell's dimensions
    received_at = models.DateTimeField()
    # The instant the contact target runs out on the team's calendar (the first business
    # instant after it); NULL when the calendar has no working hours within reach.
    deadline = models.DateTimeField(null=True)
    first_contact_at = models.DateTimeField(null=True)
    contact_seconds = models.FloatField(null=True)  # business seconds to the first contact
    recovered_at = models.DateTimeField(null=True)  # the first clear positive answer after

    class Meta:
        indexes = [models.Index(fields=["workspace", "day"], name="loopvoice_ws_day"),
                   models.Index(fields=["workspace", "customer_id"],
                                name="loopvoice_ws_customer")]
