"""What the Insights page shows, built from the figures modules for one view (filters) and
one member: tables with the feedback-list link of every cell, and each chart's data for
insights.js. A fixed number of queries whatever the data.

Agents see their own figures and their teams' (never a colleague's row); managers and
admins see the whole workspace."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kliento.core.models import Membership, Role, Workspace
from kliento.feedback.filters import VoiceSelection
from kliento.insights import answers, causes, figures
from kliento.insights.closing import AGES, close_the_loop
from kliento.insights.forms import DashboardForm

HEAT_LEVELS = 5


def feed_link(params: dict[str, str] | None) -> str:
    """The feedback list filtered to exactly the voices behind a figure."""
    if params is None:
        return ""
    return f"{reverse('feed')}?{urlencode(params)}"


@dataclass(frozen=True)
class Scope:
    """What this member may see: everything (managers, admins), or as an agent their own
    figures and their teams' only."""

    everything: bool
    user_id: int
    team_ids: frozenset[int]

    @classmethod
    def of(cls, membership: Membership) -> Scope:
        if membership.can(Role.MANAGER):
            return cls(True, membership.user_id, frozenset())
        return cls(False, membership.user_id,
                   frozenset(membership.teams.values_list("pk", flat=True)))

    @property
    def only(self) -> tuple[int, frozenset[int]] | None:
        """For the filter form: the one agent and the teams an agent may choose."""
        return None if self.everything else (self.user_id, self.team_ids)

    def check(self, team_id: int | None, agent_id: int | None) -> tuple[int | None, int | None]:
        """The team and agent filters this member may use: an agent without either sees
        their own figures; another agent or team is refused."""
        if self.everything:
            return team_id, agent_id
        if agent_id is not None and agent_id != self.user_id:
            raise PermissionDenied(_("Agents see their own figures and their teams' only."))
        if team_id is not None and team_id not in self.team_ids:
            raise PermissionDenied(_("Agents see their own figures and their teams' only."))
        if team_id is None and agent_id is None:
            agent_id = self.user_id
        return team_id, agent_id

    def sees_agents(self, selection: VoiceSelection) -> bool:
        """Rows per agent: for managers, or an agent looking at their own figures."""
        return self.everything or selection.agent_id == self.user_id


def _chart(kind: str, labels: list[str], datasets: list[dict[str, Any]],
           **options: Any) -> dict[str, Any]:
    """A chart for insights.js: each dataset's `links[i]` is the drill-down of point i."""
    return {"type": kind, "labels": labels, "datasets": datasets, **options}


def close_loop_panel(workspace: Workspace, selection: VoiceSelection, by: str
                     ) -> dict[str, Any]:
    figures = close_the_loop(workspace, selection, by=by)
    rows = [*figures.rows, figures.total]
    table = [{"row": r, "link": feed_link(r.voices), "meets": figures.meets_target(r),
              "links": {k: feed_link(v) for k, v in (r.links or {}).items()},
              "ages": [r.open_cases[k] for k, _a in AGES]} for r in rows]
    chart = _chart(
        "bar", [r.name for r in figures.rows],
        [{"label": _("Contacted within %(hours)s business hours (%%)") % {
            "hours": figures.target_hours},
          "data": [r.contacted_in_time_rate for r in figures.rows],
          "links": [feed_link(r.voices) for r in figures.rows]}],
        target=figures.target_percent, target_label=_("Target %(percent)s %%") % {
            "percent": figures.target_percent},
        max=100, unit="%")
    return {"by": by, "figures": figures, "table": table, "chart": chart,
            "export": f"close_loop_{by}"}


def pareto_chart(bars: list[causes.Bar], label: str) -> dict[str, Any]:
    return _chart(
        "bar", [b.name for b in bars],
        [{"label": label, "data": [b.count for b in bars],
          "links": [feed_link(b.voices) for b in bars]},
         # No link: a running share of mentions is no one list (a voice may be in two bars).
         {"label": _("Cumulative share (%)"), "data": [b.cumulative_percent for b in bars],
          "kind": "line", "axis": "percent", "links": []}])


def heat_map(matrix: list[list[int]], voices: dict[str, str]) -> list[dict[str, Any]]:
    """Rows Monday to Sunday of 24 cells, each with a shade level 0–5 for its colour and the
    feedback list of its voices (`voices` narrowed to the cell's weekday and hour)."""
    top = max((n for day in matrix for n in day), default=0)
    names = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
    return [{"day": names[d], "cells": [
        {"count": n, "level": 0 if not n else max(1, round(HEAT_LEVELS * n / top)),
         "hour": h, "link": feed_link({**voices, "weekday": str(d + 1), "hour": str(h)})
         if n else ""}
        for h, n in enumerate(hours)]} for d, hours in enumerate(matrix)]


def _within(selection: VoiceSelection, start: str, interval: str, **more: Any
            ) -> dict[str, str]:
    """The list's parameters for the voices of one day, week or month of the trend (the
    first and last clipped to the period)."""
    first = date.fromisoformat(start)
    after = (first + timedelta(days=32)).replace(day=1) if interval == "month" \
        else first + timedelta(days=7 if interval == "week" else 1)
    return replace(selection, since=max(first, selection.since),
                   until=min(after - timedelta(days=1), selection.until)).params(**more)


def build(workspace: Workspace, form: DashboardForm, scope: Scope) -> dict[str, Any]:
    """Every panel of the page for a valid form."""
    d = form.cleaned_data
    team_id, agent_id = scope.check(d.get("team"), d.get("agent"))
    selection = VoiceSelection(
        since=d["since"], until=d["until"], team_id=team_id, agent_id=agent_id,
        channel=d.get("channel") or "", language=d.get("language") or "",
        survey_id=d.get("survey"), customer_tag=d.get("customer_tag") or "",
        vip={"yes": True, "no": False}.get(d.get("vip") or ""))
    interval = form.trend_interval()
    f = figures.Filters.of(selection)
    splits = allowed_breakdowns(scope, selection)
    split = str(d.get("breakdown") or "") if d.get("breakdown") in splits else splits[0]
    loops = [close_loop_panel(workspace, selection, "team")]
    if scope.sees_agents(selection):
        loops.append(close_loop_panel(workspace, selection, "agent"))
    root = causes.root_causes(workspace, selection)
    themes = causes.themes(workspace, selection, interval=interval)
    mouth = causes.word_of_mouth(workspace, selection)
    contacts = causes.contact_statistics(workspace, selection)
    contact_tables = [("channel", _("By channel"), contacts.by_channel),
                      ("team", _("By team"), contacts.by_team)]
    if scope.sees_agents(selection):
        contact_tables.append(("agent", _("By agent"), contacts.by_agent))
    theme_names = {b.key: b.name for b in themes.pareto}
    team_columns = list(theme_names)
    by_team = [{"name": t["name"], "cells": [
        (t["themes"].get(k, 0), feed_link(selection.params(theme=k, team=t["id"] or NONE)))
        for k in team_columns]} for t in themes.by_team]
    theme_trend = _chart("line", [p["period"] for p in themes.trend[0]["points"]] if themes.trend
                   else [], [{"label": t["name"], "data": [p["count"] for p in t["points"]],
                              "links": [feed_link(_within(selection, p["period"], interval,
                                                          theme=t["key"]))
                                        for p in t["points"]]} for t in themes.trend[:6]])
    return {
        "selection": selection, "interval": interval,
        "headline": headline(workspace, f), "trend": trend(workspace, f, interval),
        "split": breakdown(workspace, f, split), "splits": splits,
        "loops": loops, "ages": [k for k, _a in AGES],
        "root_causes": root,
        "root_chart": pareto_chart(root, _("Voices")),
        "themes": themes, "theme_chart": pareto_chart(themes.pareto, _("Voices")),
        "theme_columns": [theme_names[k] for k in team_columns], "themes_by_team": by_team,
        "theme_trend": theme_trend,
        "theme_trend_rows": [
            (label, [(d["data"][i], d["links"][i]) for d in theme_trend["datasets"]])
            for i, label in enumerate(theme_trend["labels"])],
        "mouth": mouth, "mouth_link": feed_link(selection.params(unhappy=1)),
        "contacts": contacts, "contact_tables": contact_tables,
        "heat_voices": heat_map(contacts.voices_by_hour, contacts.voices_filter),
        "heat_logged": heat_map(contacts.logged_contacts_by_hour, contacts.logged_filter),
        "hours": list(range(24)),
    }

NONE = "none"
# (key in the figures, scale of the answers behind it, unit)
SCORES = (("csat", "csat", "%"), ("nps", "nps", ""), ("ces", "ces", ""),
          ("thumbs_up", "thumbs", "%"), ("response_rate", "", "%"))
LABELS = {"csat": gettext_lazy("CSAT"), "nps": gettext_lazy("NPS"),
          "ces": gettext_lazy("CES"), "thumbs_up": gettext_lazy("Thumbs up"),
          "response_rate": gettext_lazy("Response rate")}
# No "% " before a letter in these texts: gettext tools would take "% o" or "% d" for a
# placeholder and refuse every translation.
FORMULAS = {
    "csat": gettext_lazy("CSAT = share (%) of answers 4 or 5 on the 1–5 scale"),
    "nps": gettext_lazy("NPS = promoters (9–10) as % − detractors (0–6) as %"),
    "ces": gettext_lazy("CES = average effort answer, 1–7 (higher is easier)"),
    "thumbs_up": gettext_lazy("Thumbs up = share (%) of thumbs answers that are up"),
    "response_rate": gettext_lazy(
        "Response rate = invitations answered ÷ invitations asked in the period"),
}
BREAKDOWNS = {"team": gettext_lazy("Team"), "agent": gettext_lazy("Agent"),
              "channel": gettext_lazy("Channel"), "language": gettext_lazy("Language"),
              "survey": gettext_lazy("Survey"), "theme": gettext_lazy("Theme")}


def formula(key: str, sample: int) -> str:
    if key == "response_rate":
        size = ngettext("%(n)s invitation", "%(n)s invitations", sample) % {"n": sample}
    else:
        size = ngettext("%(n)s answer", "%(n)s answers", sample) % {"n": sample}
    return f"{FORMULAS[key]}; {size}"


def params(f: figures.Filters, **more: Any) -> dict[str, str]:
    """The feedback list's parameters for the voices these filters count (and `more`)."""
    return f.selection().params(**more)


def _cell(f: figures.Filters, key: str, scale: str, figure: dict[str, Any], unit: str,
          answered: int = 0) -> dict[str, Any]:
    cell = {"key": key, "label": LABELS[key], "unit": unit, **figure,
            "formula": formula(key, figure["sample"]),
            # The answers the figure stands on.
            "link": feed_link(params(f, scale=scale)) if scale and figure["sample"] else ""}
    if key == "response_rate":
        cell.update(_answered(answers.params(f), answered))
    return cell


def _answered(voices: dict[str, str], n: int) -> dict[str, Any]:
    """The response rate's link: invitations have no list of their own, so it opens its
    numerator, the `n` answers to the invitations counted (kliento.insights.answers)."""
    return {"answers": n, "link": feed_link(voices) if n else "",
            "answers_label": ngettext("%(n)s answer to these invitations",
                                      "%(n)s answers to these invitations", n) % {"n": n}}


def headline(workspace: Any, f: figures.Filters) -> dict[str, Any]:
    s = figures.summary(workspace, f)
    answered = answers.count(workspace, f)
    cells = [_cell(f, key, scale, s[key], unit, answered) for key, scale, unit in SCORES]
    return {"cells": cells, "volume": s["volume"], "polarity": s["polarity"],
            "volume_link": feed_link(params(f)),
            "moods": [(key, name, s["polarity"][key], feed_link(params(f, polarity=key)))
                      for key, name in (("negative", _("negative")), ("neutral", _("neutral")),
                                        ("positive", _("positive")))],
            "previous": s["previous_period"]}


def _bucket(f: figures.Filters, start: date, interval: str) -> figures.Filters:
    after = (start + timedelta(days=32)).replace(day=1) if interval == "month" \
        else start + timedelta(days=7 if interval == "week" else 1)
    return replace(f, first=max(start, f.first), last=min(after - timedelta(days=1), f.last))


def trend(workspace: Any, f: figures.Filters, interval: str) -> dict[str, Any]:
    points = figures.timeseries(workspace, f, interval)["points"]
    answered = answers.by_day(workspace, f)
    rows = []
    for p in points:
        bucket = _bucket(f, p["start"], interval)
        n = sum(v for day, v in answered.items() if bucket.first <= day <= bucket.last)
        rows.append({"start": p["start"], "volume": p["volume"],
                     "volume_link": feed_link(params(bucket)),
                     "cells": [_cell(bucket, key, scale, p[key], unit, n)
                               for key, scale, unit in SCORES]})
    labels = [p["start"].isoformat() for p in points]
    polarity = {"negative": _("Negative"), "neutral": _("Neutral"), "positive": _("Positive")}
    volume_chart = {"type": "bar", "stacked": True, "labels": labels, "datasets": [
        {"label": str(name), "colour": key,
         "data": [p[key] for p in points],
         "links": [feed_link(params(_bucket(f, p["start"], interval), polarity=key))
                   for p in points]} for key, name in polarity.items()]}
    score_chart = {"type": "line", "labels": labels, "datasets": [
        {"label": str(LABELS[key]),
         "data": [None if p[key]["too_few"] else p[key]["value"] for p in points],
         "links": [r["cells"][i]["link"] for r in rows]}
        for i, (key, _scale, _unit) in enumerate(SCORES) if key != "ces"]}
    return {"rows": rows, "volume_chart": volume_chart, "score_chart": score_chart}


def breakdown(workspace: Any, f: figures.Filters, by: str) -> dict[str, Any]:
    """The figures per team, agent, channel, language or survey (or voices per theme),
    each row's voices and answers linked."""
    rows = []
    answered = answers.by(workspace, f, by)
    for r in figures.breakdown(workspace, f, by)["rows"]:
        key = r["key"]
        narrowed = {**params(f), by: str(key) if key not in (None, "", 0) else NONE}
        cells = [] if by == "theme" else [
            {"key": k, "label": LABELS[k], "unit": u, **r[k], "formula": formula(k, r[k]["sample"]),
             "link": feed_link({**narrowed, "scale": s}) if s and r[k]["sample"] else "",
             **(_answered(answers.narrowed(f, by, key), answered[key])
                if k == "response_rate" else {})}
            for k, s, u in SCORES]
        rows.append({"name": r["name"], "volume": r["volume"], "share": r.get("share"),
                     "volume_link": feed_link(narrowed), "cells": cells})
    return {"by": by, "label": BREAKDOWNS[by], "rows": rows}


def allowed_breakdowns(scope: Scope, selection: VoiceSelection) -> list[str]:
    return [b for b in BREAKDOWNS if b != "agent" or scope.sees_agents(selection)]


def tables(page: dict[str, Any]) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Every table of the page as (headers, rows), as its CSV and XLSX downloads hold it."""
    out: dict[str, tuple[list[str], list[list[Any]]]] = {}
    labels = [str(LABELS[k]) for k, _s, _u in SCORES]
    out["trend"] = ([_("Period from"), _("Voices"), *labels], [
        [r["start"], r["volume"], *(None if c["too_few"] else c["value"] for c in r["cells"])]
        for r in page["trend"]["rows"]])
    split = page["split"]
    if split["by"] == "theme":
        out["breakdown"] = ([str(split["label"]), _("Voices"), _("Share of voices (%)")],
                            [[r["name"], r["volume"], r["share"]] for r in split["rows"]])
    else:
        out["breakdown"] = ([str(split["label"]), _("Voices"), *labels], [
            [r["name"], r["volume"], *(None if c["too_few"] else c["value"]
                                       for c in r["cells"])] for r in split["rows"]])
    for loop in page["loops"]:
        out[loop["export"]] = (
            [_("Team") if loop["by"] == "team" else _("Agent"), _("Unhappy voices"),
             _("Contacted"), _("Contacted in time"), _("Measured"), _("Contacted in time (%)"),
             _("Median business hours to first contact"), _("Recovered"),
             _("Recovery rate (%)"), _("Cases resolved"), _("Resolved within SLA (%)"),
             _("Promises kept (%)"), *(_("Open cases, %(age)s") % {"age": a}
                                       for a in page["ages"])],
            [[r.name, r.unhappy, r.contacted, r.contacted_in_time, r.measured,
              r.contacted_in_time_rate, r.median_hours_to_contact, r.recovered,
              r.recovery_rate, r.cases_resolved, r.resolved_within_sla_rate,
              r.promises_kept_rate, *(r.open_cases[a] for a in page["ages"])]
             for r in (t["row"] for t in loop["table"])])
    pareto_headers = [_("Voices"), _("Share (%)"), _("Cumulative share (%)")]
    out["root_causes"] = ([_("Root cause"), *pareto_headers], [
        [b.name, b.count, b.percent, b.cumulative_percent] for b in page["root_causes"]])
    out["themes"] = ([_("Theme"), *pareto_headers], [
        [b.name, b.count, b.percent, b.cumulative_percent] for b in page["themes"].pareto])
    out["themes_by_team"] = ([_("Team"), *page["theme_columns"]], [
        [t["name"], *(n for n, _link in t["cells"])] for t in page["themes_by_team"]])
    for by, _caption, rows in page["contact_tables"]:
        out[f"contacts_{by}"] = (
            [{"channel": _("Channel"), "team": _("Team"), "agent": _("Agent")}[by],
             _("Voices"), _("Logged contacts")],
            [[b.name, b.voices, b.logged_contacts] for b in rows])
    for name in ("heat_voices", "heat_logged"):
        out[name] = ([_("Day"), *(f"{h:02d}" for h in page["hours"])],
                     [[r["day"], *(c["count"] for c in r["cells"])] for r in page[name]])
    return out
