"""How a workspace sets up its recovery: playbooks, service levels per team and priority,
which channels hear of deadlines, root causes and reply templates. Every change is checked
whole before anything is written."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kliento.alerts.models import AlertChannel
from kliento.core.models import Membership, Role, Team, Workspace
from kliento.core.services import require_role
from kliento.recovery.models import (
    NoticeRoute,
    Playbook,
    PlaybookStep,
    Priority,
    ReplyTemplate,
    RootCause,
    SlaPolicy,
    StepKind,
)
from kliento.recovery.sla import DEFAULTS, WARN_PERCENT
from kliento.recovery.tasks import recompute_later

MAX_STEPS = 30
MAX_DUE_MINUTES = 365 * 24 * 60


# -- playbooks -----------------------------------------------------------------------------


@dataclass
class StepInput:
    kind: str
    title: str
    due_minutes: int
    optional: bool = False


def save_playbook(*, workspace: Workspace, actor: Membership | None, name: str,
                  steps: list[StepInput], team: Team | None = None, is_default: bool = False,
                  playbook: Playbook | None = None) -> Playbook:
    """Create or replace a playbook and its steps (in the order given). Cases opened before
    keep the steps they copied."""
    if actor is not None:
        require_role(actor, Role.MANAGER)
    name = name.strip()[:100]
    if not name:
        raise ValidationError({"name": _("A playbook needs a name.")})
    if team is not None and team.workspace_id != workspace.pk:
        raise ValidationError({"team": _("Unknown team.")})
    if not steps:
        raise ValidationError({"steps": _("A playbook needs at least one step.")})
    if len(steps) > MAX_STEPS:
        raise ValidationError({"steps": _("At most %(n)s steps.") % {"n": MAX_STEPS}})
    for number, step in enumerate(steps, start=1):
        where = _("Step %(n)s: ") % {"n": number}
        if step.kind not in StepKind.values:
            raise ValidationError({"steps": where + _("unknown kind “%(value)s”.")
                                   % {"value": step.kind[:50]}})
        if not step.title.strip():
            raise ValidationError({"steps": where + _("give it a title.")})
        if not 0 <= step.due_minutes <= MAX_DUE_MINUTES:
            raise ValidationError({"steps": where + _("the due time must be between 0 and "
                                                      "%(n)s minutes.") % {"n": MAX_DUE_MINUTES}})
    playbooks = Playbook.objects.for_workspace(workspace)
    others = playbooks.exclude(pk=playbook.pk) if playbook else playbooks
    if team is not None and others.filter(team=team).exists():
        raise ValidationError({"team": _("The team “%(team)s” has a playbook already.")
                               % {"team": team.name}})
    with transaction.atomic():
        if is_default:
            others.filter(is_default=True).update(is_default=False)
        elif playbook is not None and playbook.is_default:
            raise ValidationError({"is_default": _("Make another playbook the default "
                                                   "first.")})
        if not others.filter(is_default=True).exists():
            is_default = True  # a workspace always has a default
        playbook = playbook or Playbook(workspace=workspace)
        playbook.name = name
        playbook.team = team
        playbook.is_default = is_default
        playbook.save()
        playbook.steps.all().delete()
        PlaybookStep.objects.bulk_create([
            PlaybookStep(playbook=playbook, position=i, key=s.kind, title=s.title.strip()[:200],
                         due_minutes=s.due_minutes, optional=s.optional)
            for i, s in enumerate(steps, start=1)])
    return playbook


def delete_playbook(*, playbook: Playbook, actor: Membership | None) -> None:
    if actor is not None:
        require_role(actor, Role.MANAGER)
    if playbook.is_default:
        raise ValidationError(_("The default playbook cannot be deleted; make another one the "
                                "default first."))
    playbook.delete()


# -- service levels and notices ------------------------------------------------------------


@dataclass
class Level:
    priority: str
    first_contact_minutes: int
    resolution_minutes: int
    warn_percent: int = WARN_PERCENT


def levels_of(workspace: Workspace, team: Team | None = None) -> tuple[list[Level], bool]:
    """The service levels that apply to a team's cases (or the workspace's), one per
    priority, and whether the team keeps its own."""
    policies = SlaPolicy.objects.for_workspace(workspace)
    own = {p.priority: p for p in policies.filter(team=team)} if team else {}
    base = {p.priority: p for p in policies.filter(team__isnull=True)}
    levels = []
    for priority in Priority.values:
        p = own.get(priority) or base.get(priority)
        if p is not None:
            levels.append(Level(priority, p.first_contact_minutes, p.resolution_minutes,
                                p.warn_percent))
        else:
            first, total = DEFAULTS[Priority(priority)]
            levels.append(Level(priority, first, total))
    return levels, bool(own)


def set_levels(*, workspace: Workspace, actor: Membership | None, levels: list[Level] | None,
               team: Team | None = None) -> None:
    """The workspace's service levels, or a team's own (None: the team follows the
    workspace's). Open cases get their due times from the new levels (in the worker)."""
    if actor is not None:
        require_role(actor, Role.MANAGER)
    policies = SlaPolicy.objects.for_workspace(workspace).filter(team=team)
    if levels is None:
        if team is None:
            raise ValidationError(_("The workspace's service levels cannot be removed."))
        policies.delete()
        recompute_later(workspace, team)
        return
    if sorted(level.priority for level in levels) != sorted(Priority.values):
        raise ValidationError(_("Give a service level for every priority."))
    for level in levels:
        label = Priority(level.priority).label
        if level.first_contact_minutes < 1 or level.resolution_minutes < 1:
            raise ValidationError(_("%(priority)s: give whole minutes above zero.")
                                  % {"priority": label})
        if level.resolution_minutes < level.first_contact_minutes:
            raise ValidationError(_("%(priority)s: resolution cannot come before the first "
                                    "contact.") % {"priority": label})
        if max(level.first_contact_minutes, level.resolution_minutes) > MAX_DUE_MINUTES:
            raise ValidationError(_("%(priority)s: at most %(n)s minutes.")
                                  % {"priority": label, "n": MAX_DUE_MINUTES})
        if not 1 <= level.warn_percent <= 99:
            raise ValidationError(_("%(priority)s: warn between 1 and 99 per cent of the "
                                    "time.") % {"priority": label})
    with transaction.atomic():
        for level in levels:
            SlaPolicy.objects.update_or_create(
                workspace=workspace, team=team, priority=level.priority,
                defaults={"first_contact_minutes": level.first_contact_minutes,
                          "resolution_minutes": level.resolution_minutes,
                          "warn_percent": level.warn_percent})
        recompute_later(workspace, team)


def route_of(workspace: Workspace, team: Team | None = None) -> NoticeRoute | None:
    return NoticeRoute.objects.for_workspace(workspace).filter(team=team).first()


def set_route(*, workspace: Workspace, actor: Membership | None, warning_ids: list[int],
              breach_ids: list[int], team: Team | None = None) -> NoticeRoute:
    """Which alert channels hear of the (team's) cases nearing and missing deadlines."""
    if actor is not None:
        require_role(actor, Role.MANAGER)
    channels = {c.pk: c for c in AlertChannel.objects.for_workspace(workspace)
                .filter(pk__in=[*warning_ids, *breach_ids])}
    if set(warning_ids) - channels.keys() or set(breach_ids) - channels.keys():
        raise ValidationError(_("Unknown alert channel."))
    with transaction.atomic():
        route, _created = NoticeRoute.objects.get_or_create(workspace=workspace, team=team)
        route.warning_channels.set([channels[i] for i in warning_ids])
        route.breach_channels.set([channels[i] for i in breach_ids])
    return route


# -- root causes and templates -------------------------------------------------------------


def add_root_cause(*, workspace: Workspace, actor: Membership | None, name: str) -> RootCause:
    if actor is not None:
        require_role(actor, Role.MANAGER)
    name = name.strip()[:100]
    key = slugify(name).replace("-", "_")[:50]
    if not key:
        raise ValidationError(_("A root cause needs a name with letters or digits."))
    cause, created = RootCause.objects.get_or_create(workspace=workspace, key=key,
                                                     defaults={"name": name})
    if not created:
        if cause.is_active:
            raise ValidationError(_("This root cause exists already."))
        cause.is_active = True
        cause.save(update_fields=["is_active"])
    return cause


def set_root_cause_active(*, cause: RootCause, actor: Membership | None, active: bool) -> None:
    """Retired causes stay on the cases that have them; new closings cannot pick them."""
    if actor is not None:
        require_role(actor, Role.MANAGER)
    cause.is_active = active
    cause.save(update_fields=["is_active"])


def save_template_text(*, template: ReplyTemplate, actor: Membership | None, language: str,
                       subject: str, body: str) -> ReplyTemplate:
    """One language's text of a reply template; an empty text removes that language."""
    if actor is not None:
        require_role(actor, Role.MANAGER)
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Unknown language “%(value)s”.") % {"value": language[:10]})
    if len(subject) > 300 or len(body) > 20_000:
        raise ValidationError(_("The subject is limited to 300 characters and the text to "
                                "20,000."))
    if body.strip():
        template.texts[language] = {"subject": subject.strip(), "body": body}
    else:
        template.texts.pop(language, None)
    template.save(update_fields=["texts"])
    return template
