from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.views import LoginView, PasswordResetView
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento import loop
from kliento.core import ratelimit, services
from kliento.core.decorators import WorkspaceRequest, member_required
from kliento.core.forms import (
    AcceptInviteForm,
    BusinessHoursForm,
    InviteForm,
    ProfileForm,
    QueuedPasswordResetForm,
    TeamForm,
    TokenForm,
    WorkspaceForm,
    errors_to_form,
)
from kliento.core.middleware import SESSION_KEY
from kliento.core.models import ApiToken, ColleagueInvite, EmailLog, Membership, Role, Team

SIGN_IN_WINDOW = 15 * 60  # seconds, as axes' cool-off
PASSWORD_RESET_WINDOW = 60 * 60


class SignInView(LoginView):
    """Django's sign-in; besides axes' lockout of one account, locks out a client address.

    axes counts failures per account and address, so one password tried against every account
    (password spraying) never trips it: failures from one address across all accounts are
    counted here too, with a higher limit since a whole office may share an address.
    """

    redirect_authenticated_user = True

    def _key(self) -> str:
        return f"sign-in-failures:{ratelimit.client_ip(self.request)}"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        limit = settings.LOGIN_IP_FAILURE_LIMIT  # 0: off, e.g. behind a proxy hiding addresses
        if limit and ratelimit.count(self._key(), per_seconds=SIGN_IN_WINDOW) >= limit:
            return render(request, "registration/locked_out.html", {"by_address": True},
                          status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        ratelimit.hit(self._key(), limit=settings.LOGIN_IP_FAILURE_LIMIT,
                      per_seconds=SIGN_IN_WINDOW)
        return super().form_invalid(form)


class PasswordResetRequestView(PasswordResetView):
    """Django's password-reset request, at most a few e-mails per address and per client.

    Beyond the limit for an address the answer is the same "sent" page, but nothing is sent,
    so the page never tells whether an account exists; a client asking for many addresses
    gets a plain 429 page, which says nothing about any address either.
    """

    form_class = QueuedPasswordResetForm

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        limit = settings.PASSWORD_RESET_IP_LIMIT  # 0: off, as for sign-in
        key = f"password-reset-client:{ratelimit.client_ip(request)}"
        if limit and not ratelimit.hit(key, limit=limit, per_seconds=PASSWORD_RESET_WINDOW):
            return render(request, "registration/password_reset_throttled.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        # A digest: the counters need not keep addresses that may have no account.
        address = hashlib.sha256(
            form.cleaned_data["email"].strip().casefold().encode()).hexdigest()
        if not ratelimit.hit(f"password-reset-address:{address}",
                             limit=settings.PASSWORD_RESET_EMAIL_LIMIT,
                             per_seconds=PASSWORD_RESET_WINDOW):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


def healthz(request: HttpRequest) -> JsonResponse:
    """Database reachable and a worker alive: 200; otherwise 503 with what is wrong."""
    body: dict[str, object] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        body["database"] = "ok"
        age = services.last_heartbeat_age()
    except Exception as exc:  # the health page must answer whatever is broken
        body["database"] = f"error: {type(exc).__name__}"
        age = None
    body["worker_heartbeat_age_seconds"] = None if age is None else round(age, 1)
    body["worker"] = (
        "missing" if age is None else "ok" if age <= settings.WORKER_STALE_SECONDS else "stale"
    )
    healthy = body["database"] == "ok" and body["worker"] == "ok"
    body["status"] = "ok" if healthy else "unhealthy"
    return JsonResponse(body, status=200 if healthy else 503)


@member_required()
@require_POST
def switch_workspace(request: WorkspaceRequest, slug: str) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.select_related("workspace"), user=request.user, workspace__slug=slug
    )
    request.session[SESSION_KEY] = membership.workspace_id
    return redirect("feed")


@member_required(Role.ADMIN)
def workspace_settings(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    hours_text, closed_text = services.business_hours_text(ws)
    is_hours = request.POST.get("action") == "hours"
    form = WorkspaceForm(request.POST if request.method == "POST" and not is_hours else None,
                         instance=ws)
    hours = BusinessHoursForm(request.POST if is_hours else None, initial={
        "business_hours": hours_text, "closed_days": closed_text})
    if request.method == "POST" and not is_hours and form.is_valid():
        loop.update_workspace(workspace=ws, actor=request.membership, **form.cleaned_data)
        messages.success(request, _("Workspace settings saved."))
        return redirect("workspace_settings")
    if is_hours and hours.is_valid():
        try:
            loop.set_business_hours(workspace=ws, actor=request.membership,
                                    hours_text=hours.cleaned_data["business_hours"],
                                    closed_text=hours.cleaned_data["closed_days"])
        except ValidationError as exc:
            errors_to_form(hours, exc)
        else:
            messages.success(request, _("Business hours saved."))
            return redirect("workspace_settings")
    return render(request, "core/settings.html", {"form": form, "hours": hours,
                                                  "section": "workspace"})


@member_required(Role.MANAGER)
def members(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    actor = request.membership
    invite_form = InviteForm(prefix="invite")
    team_form = TeamForm(prefix="team")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "invite":
                invite_form = InviteForm(request.POST, prefix="invite")
                if invite_form.is_valid():
                    services.invite_colleague(workspace=ws, actor=actor, **invite_form.cleaned_data)
                    messages.success(request, _("Invitation sent to %(email)s.")
                                     % {"email": invite_form.cleaned_data["email"]})
                    return redirect("members")
            elif action == "team":
                team_form = TeamForm(request.POST, prefix="team")
                if team_form.is_valid():
                    services.create_team(workspace=ws, actor=actor, **team_form.cleaned_data)
                    messages.success(request, _("Team created."))
                    return redirect("members")
            elif action == "change":
                services.change_member(
                    workspace=ws, actor=actor, membership_id=int(request.POST["member"]),
                    role=request.POST.get("role", ""),
                    team_ids=[int(t) for t in request.POST.getlist("teams") if t.isdigit()],
                )
                messages.success(request, _("Member updated."))
                return redirect("members")
            elif action == "remove":
                services.remove_member(workspace=ws, actor=actor,
                                       membership_id=int(request.POST["member"]))
                messages.success(request, _("Member removed."))
                return redirect("members")
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        except (Membership.DoesNotExist, ValueError, KeyError):
            messages.error(request, _("That member does not exist."))
    context = {
        "members": Membership.objects.for_workspace(ws).select_related("user")
        .prefetch_related("teams").order_by("user__full_name", "user__email"),
        "teams": Team.objects.for_workspace(ws).select_related("manager"),
        "invites": ColleagueInvite.objects.for_workspace(ws).filter(accepted_at__isnull=True)
        .order_by("-created_at"),
        "invite_form": invite_form, "team_form": team_form, "roles": Role.choices,
        "section": "members",
    }
    return render(request, "core/members.html", context)


@member_required(Role.ADMIN)
def tokens(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    actor = request.membership
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST":
        if "revoke" in request.POST:
            try:
                services.revoke_api_token(workspace=ws, actor=actor,
                                          token_id=int(request.POST["revoke"]))
                messages.success(request, _("Token revoked."))
            except (ApiToken.DoesNotExist, ValueError):
                messages.error(request, _("That token does not exist."))
            return redirect("tokens")
        if form.is_valid():
            _token, new_token = services.create_api_token(
                workspace=ws, actor=actor, name=form.cleaned_data["name"]
            )
            form = TokenForm()
    return render(request, "core/tokens.html", {
        "form": form, "new_token": new_token, "section": "tokens",
        "tokens": ApiToken.objects.for_workspace(ws).select_related("created_by"),
    })


@member_required(Role.ADMIN)
def email_log(request: WorkspaceRequest) -> HttpResponse:
    entries = EmailLog.objects.filter(workspace=request.workspace)[:200]
    return render(request, "core/email_log.html", {"entries": entries, "section": "email"})


@member_required(Role.ADMIN)
def email_detail(request: WorkspaceRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(EmailLog, pk=pk, workspace=request.workspace)
    return render(request, "core/email_detail.html", {"entry": entry, "section": "email"})


@member_required()
def profile(request: WorkspaceRequest) -> HttpResponse:
    """Name and language; managers and admins also choose whether to get the weekly report."""
    membership = request.membership
    form = ProfileForm(request.POST or None, instance=request.user,
                       membership=membership if membership.can(Role.MANAGER) else None)
    if request.method == "POST" and form.is_valid():
        form.save()
        if "weekly_report" in form.fields:
            services.set_weekly_report(membership=membership,
                                       subscribed=form.cleaned_data["weekly_report"])
        messages.success(request, _("Profile saved."))
        return redirect("profile")
    return render(request, "core/profile.html", {"form": form})


def accept_invite(request: HttpRequest, token: str) -> HttpResponse:
    """The link of an invitation.

    A new address sets its name and password here (the link went to that mailbox). An address
    that has an account already must sign in with it and then confirm with a button: holding
    the link never signs anybody in as an existing account.
    """
    invite: ColleagueInvite | None = services.find_invite(token)
    if invite is None:
        return render(request, "core/invite_invalid.html", status=410)
    user = request.user if request.user.is_authenticated else None
    if user is not None and user.email.lower() != invite.email.lower():
        return render(request, "core/invite_invalid.html",
                      {"wrong_user": True, "invite": invite}, status=403)
    needs_sign_in = user is None and services.invite_needs_sign_in(invite)
    form = AcceptInviteForm(request.POST if request.method == "POST" and user is None
                            and not needs_sign_in else None)
    context = {"invite": invite, "form": form, "signed_in": user is not None,
               "needs_sign_in": needs_sign_in,
               "sign_in_url": f"{reverse('login')}?{urlencode({'next': request.path})}"}
    if request.method == "POST" and needs_sign_in:
        return render(request, "core/accept_invite.html", context, status=403)
    if request.method == "POST" and (user is not None or form.is_valid()):
        data = {} if user is not None else form.cleaned_data
        try:
            membership = services.accept_invite(invite=invite, user=user, **data)
        except PermissionDenied:  # the account was created meanwhile: it must sign in
            context["needs_sign_in"] = True
            return render(request, "core/accept_invite.html", context, status=403)
        except ValidationError:
            return render(request, "core/invite_invalid.html", status=410)
        if user is None:
            login(request, membership.user,
                  backend="django.contrib.auth.backends.ModelBackend")
        request.session[SESSION_KEY] = membership.workspace_id
        messages.success(request, _("Welcome to %(workspace)s.")
                         % {"workspace": invite.workspace.name})
        return redirect("feed")
    return render(request, "core/accept_invite.html", context)
