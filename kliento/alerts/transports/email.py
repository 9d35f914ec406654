from __future__ import annotations

import time

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from kliento.alerts.message import AlertMessage
from kliento.alerts.models import AlertChannel, Audience
from kliento.alerts.transports.base import Outcome, Transport, TransportError
from kliento.core.mail import send_now
from kliento.core.models import EmailState, Membership, Role, Team, User


def recipients(channel: AlertChannel, team_id: int | None) -> list[tuple[str, str]]:
    """(address, language) of everyone this channel writes to, for this alert's team."""
    ws = channel.workspace
    if channel.audience == Audience.ADDRESSES:
        return [(a.strip(), ws.default_language) for a in channel.target.split(",") if a.strip()]
    users: list[User] = []
    if channel.audience == Audience.TEAM and team_id:
        users = [m.user for m in Membership.objects.for_workspace(ws)
                 .filter(teams__id=team_id).select_related("user")]
    elif channel.audience == Audience.TEAM_MANAGER and team_id:
        team = Team.objects.for_workspace(ws).filter(pk=team_id).select_related("manager").first()
        users = [team.manager] if team and team.manager else []
    if not users:  # no team, or nobody in it: the managers hear of it instead
        users = [m.user for m in Membership.objects.for_workspace(ws)
                 .filter(role__in=[Role.MANAGER, Role.ADMIN]).select_related("user")]
    return [(u.email, u.language or ws.default_language) for u in users if u.is_active]


class EmailTransport(Transport):
    """An e-mail to each recipient, in the recipient's own language.

    Each recipient is one e-mail, and one that fails (refused, server down) fails alone: the
    others are still written to, and the retry writes only to those not yet reached. No new
    e-mail is begun once the send deadline has passed; the rest wait for the retry.
    """

    def send(self, message: AlertMessage) -> Outcome:
        everyone = recipients(self.channel, message.team_id)
        if not everyone:
            raise TransportError("nobody to write to", permanent=True)
        ends = time.monotonic() + settings.SEND_DEADLINE_SECONDS
        failed: list[str] = []
        for address, language in everyone:
            if address in self.reached:
                continue
            if time.monotonic() > ends:
                failed.append(f"{address}: not begun within "
                              f"{settings.SEND_DEADLINE_SECONDS:g} s")
                continue
            with translation.override(language):
                m = AlertMessage(**{**message.__dict__, "language": language})
                context = {"m": m, "title": self.title(m), "facts": self.facts(m),
                           "action": self.action_label(m)}
                entry = send_now(
                    to=address, subject=self.title(m), kind="alert",
                    body_text=render_to_string("alerts/email/alert.txt", context),
                    body_html=render_to_string("alerts/email/alert.html", context),
                    workspace=self.channel.workspace)
            if entry.state == EmailState.FAILED:
                failed.append(f"{address}: {entry.error}")
            else:
                self.reached.add(address)
                self.on_reached(address)
        reached = [address for address, _language in everyone if address in self.reached]
        if failed:
            raise TransportError("; ".join(failed), permanent=False,
                                 response=", ".join(reached))
        return Outcome(None, ", ".join(reached))
