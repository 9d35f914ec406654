"""`kliento demo`: a lived-in workspace "Demo" with 90 days of history, created once."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext

from kliento.core.models import Membership, Team, User, Workspace
from kliento.core.services import add_member, create_team
from kliento.core.worker import run_waiting_tasks
from kliento.customers.models import Customer
from kliento.customers.services import CustomerRef, create_customer
from kliento.demo import content
from kliento.feedback.judging import analyse_history
from kliento.feedback.models import Channel, Feedback, Scale, Source
from kliento.insights.services import rebuild as rebuild_rollups
from kliento.loop import Interaction, Voice, check_slas, hear, log_interaction, open_workspace
from kliento.recovery import services as recovery
from kliento.recovery.models import Case, CaseOutcome, Outcome, Promise, PromiseState, RootCause
from kliento.surveys.models import Invitation, InvitationState, Survey
from kliento.surveys.services import (
    InvitationRequest,
    create_invitation,
    create_survey,
    link_answer,
)

SLUG = "demo"
PASSWORD = "kliento-demo"  # noqa: S105 -- the demo's published password
DAYS = 90
TEAM_OF_LANGUAGE = {"lv": "Support Riga", "et": "Support Riga", "pl": "Support Warsaw",
                    "hu": "Support Warsaw", "sr": "Support Belgrade",
                    "sr-latn": "Support Belgrade"}
# How a customer of each mood tends to feel, as weights of negative, neutral, positive.
MOODS = {"happy": (1, 2, 8), "mixed": (3, 3, 4), "unhappy": (6, 2, 2)}


@dataclass
class DemoResult:
    workspace: Workspace
    created: bool
    customers: int
    feedback: int


def load_demo(*, seed: int = 7, now: datetime | None = None) -> DemoResult:
    """Create the demo workspace unless it exists; never touches another workspace."""
    existing = Workspace.objects.filter(slug=SLUG).first()
    if existing is not None:
        return DemoResult(existing, False, Customer.objects.for_workspace(existing).count(),
                          Feedback.objects.for_workspace(existing).count())
    rng = random.Random(seed)
    now = now or timezone.now()
    with transaction.atomic():
        workspace, staff, teams = _people()
        customers = _customers(workspace)
        surveys = {
            Scale.CSAT: create_survey(workspace=workspace, actor=None, name="After contact",
                                      kind=Scale.CSAT),
            Scale.NPS: create_survey(workspace=workspace, actor=None, name="Quarterly NPS",
                                     kind=Scale.NPS),
            Scale.CES: create_survey(workspace=workspace, actor=None, name="Ease of help",
                                     kind=Scale.CES),
            Scale.THUMBS: create_survey(workspace=workspace, actor=None, name="Solved?",
                                        kind=Scale.THUMBS),
        }
        count = _history(rng, now, workspace, staff, teams, customers, surveys)
        # The history reached Kliento when it happened, not when the demo was loaded.
        Feedback.objects.for_workspace(workspace).update(received_at=F("occurred_at"))
        _fresh_invitations(rng, surveys[Scale.CSAT], customers, staff, teams)
        # The history's words are judged in batches here, not one task at a time.
        analyse_history(workspace, list(Feedback.objects.for_workspace(workspace)
                                        .select_related("workspace")))
        _recovery(rng, now, workspace)
        # The history was back-dated row by row: count the figures from the rows as they are.
        rebuild_rollups(workspace)
    # Judge and count the history now, and send today's invitations, rather than leave
    # hundreds of tasks waiting in front of the first voice someone adds to the demo.
    run_waiting_tasks()
    return DemoResult(workspace, True, len(customers), count)


def _people() -> tuple[Workspace, dict[str, list[User]], dict[str, Team]]:
    admin_data = next(s for s in content.STAFF if s["role"] == "admin")
    users: dict[str, User] = {}
    for s in content.STAFF:
        user = User.objects.filter(email=s["email"]).first() or User.objects.create_user(
            s["email"], PASSWORD, full_name=f"{s['first_name']} {s['last_name']}",
            language=s["language"],
        )
        users[s["email"]] = user
    workspace = open_workspace(name="Demo", slug=SLUG, owner=users[admin_data["email"]],
                               default_language="en", time_zone="Europe/Riga", country="LV")
    teams = {name: create_team(workspace=workspace, actor=None, name=name)
             for name in content.TEAMS}
    staff: dict[str, list[User]] = {name: [] for name in content.TEAMS}
    for s in content.STAFF:
        if s["role"] == "admin":
            continue
        team = teams.get(s["team"])
        add_member(workspace=workspace, user=users[s["email"]], role=s["role"],
                   teams=[team] if team else [])
        if team is not None:
            if s["role"] == "manager":
                team.manager = users[s["email"]]
                team.save(update_fields=["manager"])
            else:
                staff[team.name].append(users[s["email"]])
    for members in staff.values():
        if not members:  # a team without agents is served by its manager
            members.extend(m.user for m in Membership.objects.for_workspace(workspace)
                           .filter(role="manager"))
    return workspace, staff, teams


def _customers(workspace: Workspace) -> list[tuple[Customer, dict[str, object]]]:
    made = []
    for c in content.CUSTOMERS:
        social = c.get("social") or {}
        ref = CustomerRef(email=c["email"], phone=c["phone"], name=c["name"],
                          language=c["language"], social_network=social.get("network", ""),
                          social_handle=social.get("handle", ""))
        customer = create_customer(workspace=workspace, ref=ref, vip=c["vip"], notes=c["notes"],
                                   tags=list(c["tags"]))
        made.append((customer, c))
    return made


def _history(
    rng: random.Random, now: datetime, workspace: Workspace, staff: dict[str, list[User]],
    teams: dict[str, Team], customers: list[tuple[Customer, dict[str, object]]],
    surveys: dict[Scale, Survey],
) -> int:
    count = 0
    for customer, data in customers:
        language = str(data["language"])
        team = teams[TEAM_OF_LANGUAGE.get(language) or rng.choice(content.TEAMS)]
        agents = staff[team.name]
        weights = MOODS[str(data["mood"])]
        for _ in range(rng.randint(3, 9)):
            when = now - timedelta(days=rng.uniform(0, DAYS), minutes=rng.randint(0, 600))
            polarity = rng.choices(["negative", "neutral", "positive"], weights)[0]
            agent = rng.choice(agents)
            text = rng.choice(content.VOICES[language][polarity]) if rng.random() < 0.7 else ""
            if rng.random() < 0.3:
                log_interaction(Interaction(
                    workspace=workspace, customer=customer, agent=agent, team=team,
                    channel=rng.choice([Channel.PHONE, Channel.VISIT, Channel.CHAT]),
                    subject=rng.choice(content.SUBJECTS[language]),
                    note=rng.choice(content.INTERACTION_NOTES[language]),
                    customer_said=text, occurred_at=when,
                    **_score(rng, polarity, Scale.CSAT),
                ))
            else:
                scale = rng.choice([Scale.CSAT, Scale.CSAT, Scale.NPS, Scale.CES, Scale.THUMBS])
                survey = surveys[scale]
                invitation = create_invitation(survey=survey, customer=customer,
                                               req=InvitationRequest(agent=agent, team=team,
                                                                     bypass_quiet=True))
                feedback = hear(Voice(
                    workspace=workspace, customer=customer, agent=agent, team=team,
                    channel=Channel.EMAIL, source=Source.SURVEY, text=text, language=language,
                    occurred_at=when, metadata={"survey_id": survey.pk,
                                                "invitation_id": invitation.pk},
                    **_score(rng, polarity, scale),
                ))
                link_answer(invitation, feedback)
                # History happened in the past: date the invitation like its answer.
                Invitation.objects.filter(pk=invitation.pk).update(
                    created_at=when - timedelta(hours=2), sent_at=when - timedelta(hours=2),
                    answered_at=when, state=InvitationState.ANSWERED)
            count += 1
    return count


def _fresh_invitations(
    rng: random.Random, survey: Survey, customers: list[tuple[Customer, dict[str, object]]],
    staff: dict[str, list[User]], teams: dict[str, Team],
) -> None:
    """A few invitations e-mailed today: open them in Settings → E-mail log and answer."""
    for customer, data in rng.sample(customers, 8):
        team = teams[TEAM_OF_LANGUAGE.get(str(data["language"])) or content.TEAMS[0]]
        create_invitation(survey=survey, customer=customer, req=InvitationRequest(
            agent=rng.choice(staff[team.name]), team=team, send=True, bypass_quiet=True))


def _recovery(rng: random.Random, now: datetime, workspace: Workspace) -> None:
    """A case for each customer's latest unhappy voice: older ones walked to the end and
    followed up, recent ones half-way, with promises kept, broken and still open."""
    latest: dict[int, Feedback] = {}
    for fb in (Feedback.objects.for_workspace(workspace).filter(polarity="negative")
               .select_related("customer", "agent", "team").order_by("occurred_at")):
        latest[fb.customer_id] = fb
    causes = [c.key for c in RootCause.objects.for_workspace(workspace)]
    for fb in sorted(latest.values(), key=lambda f: f.occurred_at)[-24:]:
        opened = fb.occurred_at + timedelta(minutes=rng.randint(5, 90))
        case = recovery.open_case(feedback=fb, now=opened)
        age = now - opened
        steps = list(case.steps.all())
        done = len(steps) if age > timedelta(days=10) else rng.randint(0, 3)
        at = opened
        for step in steps[:done]:
            # Mostly in time, now and then late; never in the future.
            due = step.due_at or at
            at = min(max(at + timedelta(minutes=5),
                         opened + (due - opened) * rng.uniform(0.3, 1.15)), now)
            with translation.override(case.owner.language if case.owner else "en"):
                note = gettext("Not needed this time.") if step.optional else ""
            recovery.complete_step(case=case, step=step, user=case.owner, now=at,
                                   skip=step.optional, note=note)
            if step.key == "fix" and done == len(steps):
                recovery.resolve(case=case, user=case.owner, now=at)
        language = fb.customer.language if fb.customer.language in content.PROMISES else "en"
        due = opened + timedelta(days=rng.randint(1, 4))
        state = (PromiseState.OPEN if due > now else
                 rng.choices([PromiseState.KEPT, PromiseState.BROKEN], (4, 1))[0])
        Promise.objects.create(
            workspace=workspace, case=case, customer=case.customer, owner=case.owner,
            description=rng.choice(content.PROMISES[language]), due_at=due, state=state,
            created_at=opened + timedelta(minutes=30),
            closed_at=None if state == PromiseState.OPEN else
            due + timedelta(hours=rng.randint(1, 12) if rng.random() < 0.3 else
                            -rng.randint(1, 20)))
        if done == len(steps):
            if case.is_open:
                recovery.resolve(case=case, user=case.owner, now=at)
            recovery.close(case=case, root_cause_key=rng.choice(causes))
            outcome = rng.choices([Outcome.RECOVERED, Outcome.NOT_RECOVERED,
                                   Outcome.NO_ANSWER], (6, 2, 2))[0]
            Case.objects.filter(pk=case.pk).update(
                closed_at=at + timedelta(days=1), outcome=outcome,
                follow_up_at=None)  # history: its follow-up was answered long ago
            CaseOutcome.objects.create(
                case=case, attempt=1, outcome=outcome,
                answered_at=None if outcome == Outcome.NO_ANSWER else at + timedelta(days=1))
    check_slas(now=now)


def _score(rng: random.Random, polarity: str, scale: Scale) -> dict[str, Any]:
    ranges = {
        Scale.CSAT: {"negative": (1, 2), "neutral": (3, 3), "positive": (4, 5)},
        Scale.NPS: {"negative": (0, 6), "neutral": (7, 8), "positive": (9, 10)},
        Scale.CES: {"negative": (1, 3), "neutral": (4, 4), "positive": (5, 7)},
        Scale.THUMBS: {"negative": (0, 0), "neutral": (0, 1), "positive": (1, 1)},
    }
    low, high = ranges[scale][polarity]
    return {"score": rng.randint(low, high), "scale": scale}
