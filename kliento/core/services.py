"""Use cases of the core domain: workspaces, members, invitations, API tokens, heartbeats."""

from __future__ import annotations

import os
import socket
import zoneinfo
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kliento.core.calendar import BusinessCalendar, CalendarError, calendar_for, parse_hours
from kliento.core.mail import queue_email
from kliento.core.models import (
    ApiToken,
    ClosedDay,
    ColleagueInvite,
    Membership,
    Role,
    Team,
    User,
    WorkerHeartbeat,
    Workspace,
)
from kliento.core.urls_util import absolute_url

INVITE_DAYS = 7
# Writing last_used_at on every API call would turn every read into a write.
TOKEN_TOUCH_EVERY = timedelta(minutes=1)


def require_role(membership: Membership | None, role: str) -> Membership:
    if membership is None or not membership.can(role):
        raise PermissionDenied(_("Your role does not allow this."))
    return membership


def create_workspace(
    *, name: str, owner: User | None = None, slug: str = "", default_language: str = "en",
    time_zone: str = "UTC", country: str = "LV",
) -> Workspace:
    """A new workspace; its owner becomes its first admin."""
    slug = slug or slugify(name)[:50] or get_random_string(8).lower()
    with transaction.atomic():
        workspace = Workspace.objects.create(
            name=name, slug=slug, default_language=default_language,
            time_zone=time_zone, country=country.upper(),
        )
        if owner is not None:
            Membership.objects.create(workspace=workspace, user=owner, role=Role.ADMIN)
    return workspace


def update_workspace(*, workspace: Workspace, actor: Membership, **fields: str) -> Workspace:
    """The workspace's name, language, time zone and country. A new time zone or country
    moves deadlines: call it through `loop.update_workspace`, which recomputes them."""
    require_role(actor, Role.ADMIN)
    allowed = {"name", "default_language", "time_zone", "country"}
    for key, value in fields.items():
        if key not in allowed:
            raise ValidationError({key: _("This setting cannot be changed here.")})
        setattr(workspace, key, value)
    workspace.full_clean()
    workspace.save()
    return workspace


def add_member(
    *, workspace: Workspace, user: User, role: str = Role.AGENT, teams: list[Team] | None = None
) -> Membership:
    membership, _created = Membership.objects.get_or_create(
        workspace=workspace, user=user, defaults={"role": role}
    )
    if teams:
        membership.teams.add(*[t for t in teams if t.workspace_id == workspace.pk])
    return membership


def create_team(
    *, workspace: Workspace, actor: Membership | None, name: str, manager: User | None = None
) -> Team:
    if actor is not None:
        require_role(actor, Role.MANAGER)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("A team needs a name.")})
    if Team.objects.for_workspace(workspace).filter(name__iexact=name).exists():
        raise ValidationError({"name": _("A team with this name exists already.")})
    return Team.objects.create(workspace=workspace, name=name, manager=manager)


def update_team(*, team: Team, actor: Membership | None, name: str,
                manager: User | None = None) -> Team:
    if actor is not None:
        require_role(actor, Role.MANAGER)
    name = name.strip()[:100]
    if not name:
        raise ValidationError({"name": _("A team needs a name.")})
    if Team.objects.for_workspace(team.workspace).filter(name__iexact=name).exclude(
            pk=team.pk).exists():
        raise ValidationError({"name": _("A team with this name exists already.")})
    if manager is not None and not Membership.objects.for_workspace(team.workspace).filter(
            user=manager).exists():
        raise ValidationError({"manager": _("The manager must be a member of the workspace.")})
    team.name = name
    team.manager = manager
    team.save(update_fields=["name", "manager"])
    return team


def change_member(
    *, workspace: Workspace, actor: Membership, membership_id: int, role: str,
    team_ids: list[int],
) -> Membership:
    """Change a colleague's role and teams. The last admin cannot demote themselves."""
    require_role(actor, Role.ADMIN)
    member = Membership.objects.for_workspace(workspace).get(pk=membership_id)
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    admins = Membership.objects.for_workspace(workspace).filter(role=Role.ADMIN)
    if member.role == Role.ADMIN and role != Role.ADMIN and admins.count() == 1:
        raise ValidationError({"role": _("A workspace needs at least one admin.")})
    with transaction.atomic():
        member.role = role
        member.save(update_fields=["role"])
        member.teams.set(Team.objects.for_workspace(workspace).filter(pk__in=team_ids))
    return member


def remove_member(*, workspace: Workspace, actor: Membership, membership_id: int) -> None:
    require_role(actor, Role.ADMIN)
    member = Membership.objects.for_workspace(workspace).get(pk=membership_id)
    if member.pk == actor.pk:
        raise ValidationError(_("You cannot remove yourself."))
    member.delete()


def invite_colleague(
    *, workspace: Workspace, actor: Membership, email: str, role: str
) -> ColleagueInvite:
    """E-mail a colleague a link that lets them join this workspace with the given role."""
    require_role(actor, Role.ADMIN)
    email = email.strip().lower()
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if Membership.objects.for_workspace(workspace).filter(user__email=email).exists():
        raise ValidationError({"email": _("This person is already a member.")})
    raw = get_random_string(40)
    with transaction.atomic():
        invite = ColleagueInvite.objects.create(
            workspace=workspace, email=email, role=role, invited_by=actor.user,
            token_hash=ColleagueInvite.hash_token(raw),
            expires_at=timezone.now() + timedelta(days=INVITE_DAYS),
        )
        with translation.override(workspace.default_language):
            context = {
                "workspace": workspace, "inviter": actor.user, "days": INVITE_DAYS,
                "link": absolute_url("accept_invite", raw),
            }
            queue_email(
                workspace=workspace, kind="colleague_invite", to=email,
                subject=_("%(name)s invites you to %(workspace)s on Kliento")
                % {"name": actor.user, "workspace": workspace.name},
                body_text=render_to_string("core/email/invite.txt", context),
            )
    return invite


def find_invite(raw: str) -> ColleagueInvite | None:
    invite = (
        ColleagueInvite.objects.select_related("workspace")
        .filter(token_hash=ColleagueInvite.hash_token(raw), accepted_at__isnull=True)
        .first()
    )
    if invite is None or invite.expires_at < timezone.now():
        return None
    return invite


def accept_invite(
    *, invite: ColleagueInvite, user: User | None, full_name: str = "", password: str = ""
) -> Membership:
    """Join the inviting workspace: as the signed-in invited person, or as a new account.

    Whoever holds the link (the inviting admin sees it in the e-mail log) may create the
    account of an address that has none, but never becomes an existing account: that person
    must be signed in as the invited address, and their password is never touched here.
    """
    with transaction.atomic():
        # Locked, so two tabs posting at once cannot both use the invitation.
        invite = ColleagueInvite.objects.select_for_update().select_related("workspace").get(
            pk=invite.pk)
        if invite.accepted_at is not None or invite.expires_at < timezone.now():
            raise ValidationError(_("This invitation cannot be used any more."))
        if user is not None:
            if user.email.lower() != invite.email.lower():
                raise PermissionDenied(_("This invitation is for another e-mail address."))
        elif User.objects.filter(email__iexact=invite.email).exists():
            raise PermissionDenied(
                _("An account with this address exists: sign in to accept the invitation."))
        else:
            if not full_name.strip() or not password:
                raise ValidationError(_("A new account needs a name and a password."))
            user = User.objects.create_user(invite.email, password, full_name=full_name.strip())
        membership = add_member(workspace=invite.workspace, user=user, role=invite.role)
        invite.accepted_at = timezone.now()
        invite.save(update_fields=["accepted_at"])
    return membership


def invite_needs_sign_in(invite: ColleagueInvite) -> bool:
    """The invited address has an account already: only its owner, signed in, may accept."""
    return User.objects.filter(email__iexact=invite.email).exists()


def password_link(user: User) -> str:
    """A link with which `user` chooses a password; it works once and for a few days.

    It is Django's password-reset link: its token is bound to the current password and the
    last sign-in, so choosing a password (or signing in) spends it.
    """
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    return absolute_url("password_reset_confirm", urlsafe_base64_encode(force_bytes(user.pk)),
                        default_token_generator.make_token(user))


def create_api_token(
    *, workspace: Workspace, name: str, actor: Membership | None
) -> tuple[ApiToken, str]:
    """A new API token; the raw token is returned once and only its hash is kept."""
    if actor is not None:
        require_role(actor, Role.ADMIN)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("A token needs a name.")})
    raw = ApiToken.generate()
    token = ApiToken.objects.create(
        workspace=workspace, name=name[:100], token_hash=ApiToken.hash_token(raw),
        hint=raw[:10], created_by=actor.user if actor else None,
    )
    return token, raw


def revoke_api_token(*, workspace: Workspace, actor: Membership, token_id: int) -> ApiToken:
    require_role(actor, Role.ADMIN)
    token = ApiToken.objects.for_workspace(workspace).get(pk=token_id)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def authenticate_token(raw: str) -> ApiToken | None:
    """The active token with this value, its last-used time refreshed."""
    if not raw.startswith(ApiToken.PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("workspace")
        .filter(token_hash=ApiToken.hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOKEN_TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def record_heartbeat(worker_id: str, started_at: datetime) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255], "pid": os.getpid(),
            "started_at": started_at, "last_seen": timezone.now(),
        },
    )
    # Heartbeats of workers gone for a day are noise on the health page.
    WorkerHeartbeat.objects.filter(last_seen__lt=timezone.now() - timedelta(days=1)).delete()


def last_heartbeat_age() -> float | None:
    newest = WorkerHeartbeat.objects.order_by("-last_seen").values_list("last_seen", flat=True)
    last = newest.first()
    return None if last is None else (timezone.now() - last).total_seconds()


def workspace_calendar(workspace: Workspace, team: Team | None = None) -> BusinessCalendar:
    """Working time: the team's hours and time zone where it keeps its own, else the
    workspace's; the country's holidays; the workspace's closed days and the team's."""
    closed = ClosedDay.objects.for_workspace(workspace).filter(team__isnull=True)
    if team is not None:
        closed = closed | ClosedDay.objects.for_workspace(workspace).filter(team=team)
    return calendar_for(
        time_zone=(team.time_zone if team and team.time_zone else workspace.time_zone),
        hours=(team.business_hours if team and team.business_hours is not None
               else workspace.business_hours),
        country=workspace.country, closed=list(closed.values_list("day", flat=True)))


def _parse_hours_text(hours_text: str) -> dict[str, list[str]]:
    hours: dict[str, list[str]] = {}
    for line in hours_text.splitlines():
        if not line.strip():
            continue
        day, _sep, spans = line.strip().partition(" ")
        hours[day.lower()] = [s.strip() for s in spans.split(",") if s.strip()]
    try:
        parse_hours(hours)
    except CalendarError as exc:
        raise ValidationError({"business_hours": str(exc)}) from None
    return hours


def _parse_closed_text(closed_text: str) -> dict[date, str]:
    days: dict[date, str] = {}
    for line in closed_text.splitlines():
        if not line.strip():
            continue
        raw, _sep, name = line.strip().partition(" ")
        try:
            days[date.fromisoformat(raw)] = name.strip()[:100]
        except ValueError:
            raise ValidationError({"closed_days": _("“%(value)s” is not a date like "
                                                    "2026-12-24.") % {"value": raw[:20]}}) from None
    return days


def set_business_hours(*, workspace: Workspace, actor: Membership, hours_text: str,
                       closed_text: str) -> Workspace:
    """Business hours ("mon 09:00-12:00, 13:00-17:00" per line) and closed days
    ("2026-12-24 Christmas Eve" per line), checked before anything changes. Deadlines move
    with them: call it through `loop.set_business_hours`, which recomputes them."""
    require_role(actor, Role.ADMIN)
    hours = _parse_hours_text(hours_text)
    days = _parse_closed_text(closed_text)
    with transaction.atomic():
        workspace.business_hours = hours
        workspace.save(update_fields=["business_hours"])
        ClosedDay.objects.for_workspace(workspace).filter(team__isnull=True).delete()
        ClosedDay.objects.bulk_create([ClosedDay(workspace=workspace, day=d, name=n)
                                       for d, n in days.items()])
    return workspace


def set_team_hours(*, team: Team, actor: Membership, time_zone: str, own_hours: bool,
                   hours_text: str, closed_text: str) -> Team:
    """A team's own time zone, hours (or the workspace's, when `own_hours` is off) and
    extra closed days, checked before anything changes. Deadlines move with them: call it
    through `loop.set_team_hours`, which recomputes them."""
    require_role(actor, Role.MANAGER)
    if time_zone and time_zone not in zoneinfo.available_timezones():
        raise ValidationError({"time_zone": _("Unknown time zone “%(value)s”.")
                               % {"value": time_zone[:64]}})
    hours = _parse_hours_text(hours_text) if own_hours else None
    days = _parse_closed_text(closed_text)
    with transaction.atomic():
        team.time_zone = time_zone
        team.business_hours = hours
        team.save(update_fields=["time_zone", "business_hours"])
        ClosedDay.objects.filter(team=team).delete()
        ClosedDay.objects.bulk_create([ClosedDay(workspace=team.workspace, team=team, day=d,
                                                 name=n) for d, n in days.items()])
    return team


def _hours_text(hours: dict[str, list[str]]) -> str:
    return "\n".join(f"{day} {', '.join(spans)}" for day, spans in hours.items() if spans)


def _closed_text(days: Iterable[ClosedDay]) -> str:
    return "\n".join(f"{c.day.isoformat()} {c.name}".strip() for c in days)


def business_hours_text(workspace: Workspace) -> tuple[str, str]:
    return (_hours_text(workspace.business_hours),
            _closed_text(ClosedDay.objects.for_workspace(workspace).filter(team__isnull=True)))


def team_hours_text(team: Team) -> tuple[str, str]:
    """The team's hours as text (the workspace's while it keeps none) and its closed days."""
    hours = team.business_hours if team.business_hours is not None \
        else team.workspace.business_hours
    return _hours_text(hours), _closed_text(ClosedDay.objects.filter(team=team))


def set_weekly_report(*, membership: Membership, subscribed: bool) -> None:
    """Start or stop the weekly report e-mail for a manager or admin of one workspace."""
    if subscribed and not membership.can(Role.MANAGER):
        raise PermissionDenied
    Membership.objects.filter(pk=membership.pk).update(weekly_report=subscribed)
    membership.weekly_report = subscribed
