"""Service levels of recovery cases on business time, by property and with a controllable
clock: the due times a case gets in each of the six countries (weekends, split hours,
holidays, DST), pauses while waiting on the customer, and when warnings and breaches go out.

The calendar's own arithmetic is property-tested in tests/core/test_calendar.py; these tests
check the case layer on top of it (kliento.recovery.sla and kliento.recovery.services)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kliento import loop
from kliento.core.calendar import WEEKDAYS, calendar_for
from kliento.core.models import ClosedDay, EmailLog
from kliento.core.services import create_team, create_workspace
from kliento.customers.services import CustomerRef
from kliento.loop import Voice, hear
from kliento.recovery import services, sla
from kliento.recovery.models import Case, CaseStatus, Priority, SlaPolicy

pytestmark = pytest.mark.django_db

COUNTRIES = {"LV": "Europe/Riga", "PL": "Europe/Warsaw", "RS": "Europe/Belgrade",
             "EE": "Europe/Tallinn", "HU": "Europe/Budapest", "GB": "Europe/London"}
WORKDAYS = ("mon", "tue", "wed", "thu", "fri")
HOURS = {
    "split": {d: ["08:00-12:00", "13:00-17:00"] for d in WORKDAYS},
    "default": {d: ["09:00-17:00"] for d in WORKDAYS},
    # a Saturday morning and a Sunday night shift that spans the DST switch (01:00 UTC)
    "shifts": {**{d: ["08:00-12:00", "13:00-17:00"] for d in WORKDAYS},
               "sat": ["10:00-14:00"], "sun": ["00:00-06:00"]},
    "always": {d: ["00:00-24:00"] for d in WEEKDAYS},
}
YEARS = (2025, 2026, 2027)
SECOND = timedelta(seconds=1)
_slugs = itertools.count(1)
# Each example touches the database: few examples, no deadline.
DB_EXAMPLES = settings(max_examples=25, deadline=None,
                       suppress_health_check=[HealthCheck.function_scoped_fixture,
                                              HealthCheck.too_slow])


def _last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def _special_days(country: str) -> list[date]:
    """National holidays, Christmas and New Year, and the DST Sundays, with their
    neighbours."""
    days = set(holidays.country_holidays(country, years=YEARS))
    for y in YEARS:
        days |= {date(y, 12, 24), date(y, 12, 25), date(y, 12, 26), date(y, 1, 1),
                 _last_sunday(y, 3), _last_sunday(y, 10)}
    return sorted(days)


@st.composite
def openings(draw: st.DrawFn, country: str) -> datetime:
    """An instant near a holiday or a DST change (or any day), at any time of day."""
    base = draw(st.one_of(st.sampled_from(_special_days(country)),
                          st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31))))
    midnight = datetime.combine(base, time(0), tzinfo=ZoneInfo(COUNTRIES[country]))
    return midnight.astimezone(UTC) + timedelta(
        seconds=draw(st.integers(-2 * 86400, 3 * 86400)),
        microseconds=draw(st.integers(0, 999_999)))


# -- helpers -------------------------------------------------------------------------------


def _workspace(country: str, hours: dict[str, list[str]], closed: tuple[date, ...] = ()):
    n = next(_slugs)
    ws = create_workspace(name=f"Timing {n}", slug=f"timing-{n}", country=country,
                          time_zone=COUNTRIES[country])
    ws.business_hours = hours
    ws.save(update_fields=["business_hours"])
    for day in closed:
        ClosedDay.objects.create(workspace=ws, day=day, name="Company day")
    services.ensure_defaults(ws)
    return ws


def _feedback(ws, *, email: str = "janis@example.lv", agent=None, team=None):
    return hear(Voice(workspace=ws, customer=CustomerRef(email=email, name="Jānis"),
                      channel="email", source="message", score=2, scale="csat",
                      text="", agent=agent, team=team))


def _calendar(country: str, hours: dict[str, list[str]], closed: tuple[date, ...] = ()):
    """The calendar the workspace's cases should run on, built from its settings."""
    return calendar_for(time_zone=COUNTRIES[country], hours=hours, country=country,
                        closed=closed)


def _business_day_holding(moment: datetime, country: str, hours: dict[str, list[str]],
                          closed: tuple[date, ...]) -> date | None:
    """The local day whose configured hours hold `moment` (start exclusive, end inclusive),
    checked on the wall clock against the `holidays` package directly; None if no day."""
    tz = ZoneInfo(COUNTRIES[country])
    local = moment.astimezone(tz).date()
    national = holidays.country_holidays(country, years=range(local.year - 1, local.year + 2))
    for day in (local - timedelta(days=1), local):
        if day in national or day in closed:
            continue
        for span in hours.get(WEEKDAYS[day.weekday()], []):
            a, b = span.split("-")
            start = datetime.combine(day, time.fromisoformat(a), tzinfo=tz)
            end = (datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
                   if b == "24:00" else datetime.combine(day, time.fromisoformat(b), tzinfo=tz))
            # compare as UTC instants: aware datetimes in one zone compare by wall clock
            if start.astimezone(UTC) < moment.astimezone(UTC) <= end.astimezone(UTC):
                return day
    return None


def _emails(kind: str) -> list[str]:
    return sorted(EmailLog.objects.filter(kind=kind).values_list("to", flat=True))


def _riga(*args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo("Europe/Riga"))


# -- 1. due times on the calendar, by property ---------------------------------------------


@st.composite
def case_settings(draw: st.DrawFn) -> dict:
    country = draw(st.sampled_from(sorted(COUNTRIES)))
    opened = draw(openings(country))
    local = opened.astimezone(ZoneInfo(COUNTRIES[country])).date()
    closed = tuple(sorted(set(draw(st.lists(
        st.integers(0, 6).map(lambda k: local + timedelta(days=k)), max_size=2)))))
    policy = draw(st.one_of(
        st.none(),
        st.tuples(st.integers(1, 3000), st.integers(1, 6000), st.integers(1, 100))))
    return {"country": country, "hours": draw(st.sampled_from(sorted(HOURS))),
            "opened": opened, "closed": closed, "policy": policy,
            "team_policy": policy is not None and draw(st.booleans()),
            "priority": draw(st.sampled_from(Priority.values))}


@DB_EXAMPLES
@given(s=case_settings())
def test_a_new_case_is_due_after_its_targets_in_business_time(db, s):
    country, hours, opened, closed = s["country"], HOURS[s["hours"]], s["opened"], s["closed"]
    ws = _workspace(country, hours, closed)
    team = create_team(workspace=ws, actor=None, name="Desk")
    expected = (*sla.DEFAULTS[Priority(s["priority"])], sla.WARN_PERCENT)
    if s["policy"]:
        first, resolution, warn = s["policy"]
        # a workspace-wide policy, and where drawn a team's own that must win over it
        SlaPolicy.objects.create(workspace=ws, priority=s["priority"],
                                 first_contact_minutes=first + 7,
                                 resolution_minutes=resolution + 11, warn_percent=warn)
        expected = (first + 7, resolution + 11, warn)
        if s["team_policy"]:
            SlaPolicy.objects.create(workspace=ws, team=team, priority=s["priority"],
                                     first_contact_minutes=first,
                                     resolution_minutes=resolution, warn_percent=warn)
            expected = (first, resolution, warn)
    first, resolution, warn = expected

    case = services.open_case(feedback=_feedback(ws), team=team, priority=s["priority"],
                              now=opened)
    case = Case.objects.get(pk=case.pk)  # what was stored
    cal = _calendar(country, hours, closed)
    assert case.opened_at == opened and case.priority == s["priority"]
    assert cal.between(opened, case.resolution_due) == pytest.approx(resolution * 60, abs=1)
    assert cal.between(opened, case.first_contact_due) == pytest.approx(first * 60, abs=1)
    assert cal.between(opened, case.warn_at) == pytest.approx(resolution * 60 * warn / 100,
                                                              abs=1)
    assert opened < case.warn_at <= case.resolution_due
    assert case.first_contact_due <= case.resolution_due or first > resolution
    for due in (case.resolution_due, case.first_contact_due, case.warn_at):
        day = _business_day_holding(due, country, hours, closed)
        assert day is not None, f"{due} is outside the business hours"
        assert WEEKDAYS[day.weekday()] in hours  # never on a day without hours (weekends)
        assert day not in closed
    # the playbook's steps are due on the same calendar
    steps = list(case.steps.all())
    assert len(steps) == 7
    for step, (_key, _title, minutes, _optional) in zip(steps, services.DEFAULT_STEPS,
                                                         strict=True):
        assert cal.between(opened, step.due_at) == pytest.approx(minutes * 60, abs=1)


# -- 2. pauses while waiting on the customer -----------------------------------------------


@DB_EXAMPLES
@given(country=st.sampled_from(sorted(COUNTRIES)), hours=st.sampled_from(sorted(HOURS)),
       data=st.data(), before=st.floats(0, 0.999), pause=st.integers(0, 12 * 86400),
       priority=st.sampled_from(Priority.values))
def test_waiting_on_the_customer_does_not_count(db, country, hours, data, before, pause,
                                                priority):
    hours = HOURS[hours]
    ws = _workspace(country, hours)
    cal = _calendar(country, hours)
    t0 = data.draw(openings(country), label="opened")
    case = services.open_case(feedback=_feedback(ws), priority=priority, now=t0)
    first, resolution = sla.DEFAULTS[Priority(priority)]
    due0, first_due0, warn0 = case.resolution_due, case.first_contact_due, case.warn_at
    # the pause starts before the deadline (for the case of a later pause see below)
    t1 = t0 + (due0 - t0) * before
    t2 = t1 + timedelta(seconds=pause)

    services.update_case(case=case, changes=services.CaseChanges(
        status=CaseStatus.WAITING), now=t1)
    case = Case.objects.get(pk=case.pk)
    assert case.resolution_due is None and case.warn_at is None
    assert case.first_contact_due is None

    services.update_case(case=case, changes=services.CaseChanges(
        status=CaseStatus.IN_PROGRESS), now=t2)
    case = Case.objects.get(pk=case.pk)
    pauses = [(t1, t2)]
    assert list(case.pauses.values_list("started_at", "ended_at")) == pauses
    assert cal.between(t0, case.resolution_due, excluding=pauses) == pytest.approx(
        resolution * 60, abs=1)
    if warn0 > t1:  # (a pause after the warning: see the bug tests below)
        assert cal.between(t0, case.warn_at, excluding=pauses) == pytest.approx(
            resolution * 60 * sla.WARN_PERCENT / 100, abs=1)
    used = cal.between(t0, t1)
    assert abs((case.resolution_due - cal.add(t2, resolution * 60 - used)).total_seconds()) < 1
    assert case.resolution_due >= max(due0, t2)
    # the deadline moved by the business time the pause took from before it
    if t2 <= due0:
        assert cal.between(due0, case.resolution_due) == pytest.approx(
            cal.between(t1, t2), abs=1)
    if first_due0 > t1:
        assert cal.between(t0, case.first_contact_due, excluding=pauses) == pytest.approx(
            first * 60, abs=1)


def test_a_pause_after_the_deadline_does_not_move_the_deadline(world):
    services.ensure_defaults(world.acme)
    t0 = _riga(2026, 2, 10, 10, 0)  # Tuesday, default hours 09-17
    case = services.open_case(feedback=_feedback(world.acme, agent=world.alice),
                              priority=Priority.URGENT, now=t0)
    due = case.resolution_due
    assert due == _riga(2026, 2, 11, 10, 0)  # 8 business hours
    services.update_case(case=case, changes=services.CaseChanges(status=CaseStatus.WAITING),
                         now=due + timedelta(hours=2))
    services.update_case(case=case, changes=services.CaseChanges(
        status=CaseStatus.IN_PROGRESS), now=due + timedelta(days=2))
    case.refresh_from_db()
    assert case.resolution_due == due


# -- 3. warnings and breaches on a controllable clock --------------------------------------


@pytest.fixture
def desk(world):
    """Acme (Riga, mon-fri 09:00-17:00) with the recovery defaults."""
    services.ensure_defaults(world.acme)
    return world


T0 = _riga(2026, 2, 10, 10, 0)  # a Tuesday without holidays near it


def _open(world, at: datetime = T0, priority: str = Priority.NORMAL) -> Case:
    fb = _feedback(world.acme, agent=world.alice, team=world.support)
    return services.open_case(feedback=fb, priority=priority, now=at)


def _contact(case: Case, at: datetime) -> None:
    step = case.steps.get(key="contact")
    services.complete_step(case=case, step=step, user=case.owner, note="Called", now=at)


def test_the_owner_is_warned_once_when_the_warning_time_comes(desk):
    case = _open(desk)
    _contact(case, T0 + timedelta(minutes=5))
    case.refresh_from_db()
    warn_at = case.warn_at
    loop.check_slas(now=warn_at - SECOND)
    assert _emails("case_sla_warning") == []
    assert loop.check_slas(now=warn_at) == 1
    assert _emails("case_sla_warning") == ["alice@acme.test"]
    assert loop.check_slas(now=warn_at + timedelta(minutes=5)) == 0
    assert _emails("case_sla_warning") == ["alice@acme.test"]
    assert _emails("case_sla_breach") == []


def test_working_the_case_after_the_warning_does_not_warn_again(desk):
    case = _open(desk)
    _contact(case, T0 + timedelta(minutes=5))
    case.refresh_from_db()
    warn_at = case.warn_at
    loop.check_slas(now=warn_at)
    assert _emails("case_sla_warning") == ["alice@acme.test"]
    case.refresh_from_db()
    step = case.steps.get(key="find_out")
    services.complete_step(case=case, step=step, user=desk.alice, note="Asked the courier",
                           now=warn_at + timedelta(minutes=10))
    loop.check_slas(now=warn_at + timedelta(minutes=20))
    assert _emails("case_sla_warning") == ["alice@acme.test"]


@pytest.mark.parametrize("team_manager", [True, False])
def test_a_breach_tells_the_owner_and_the_manager_once(desk, team_manager):
    if team_manager:
        desk.support.manager = desk.bob
        desk.support.save()
        managers = ["bob@acme.test"]
    else:  # no team manager: the workspace's managers and admins
        managers = ["anna@acme.test", "carol@acme.test"]
    case = _open(desk)
    _contact(case, T0 + timedelta(minutes=5))
    case.refresh_from_db()
    due = case.resolution_due
    loop.check_slas(now=due - SECOND)
    case.refresh_from_db()
    assert not case.resolution_breached and _emails("case_sla_breach") == []
    loop.check_slas(now=due)
    case.refresh_from_db()
    assert case.resolution_breached and not case.first_contact_breached
    assert _emails("case_sla_breach") == sorted(["alice@acme.test", *managers])
    loop.check_slas(now=due + timedelta(hours=3))
    loop.check_slas(now=due + timedelta(days=5))
    assert _emails("case_sla_breach") == sorted(["alice@acme.test", *managers])


def test_a_resolved_case_never_breaches(desk):
    case = _open(desk)
    due = case.resolution_due
    services.resolve(case=case, user=desk.alice, now=T0 + timedelta(hours=1))
    for later in (due, due + timedelta(days=1), due + timedelta(days=60)):
        loop.check_slas(now=later)
    case.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED
    assert not case.resolution_breached and not case.first_contact_breached
    assert _emails("case_sla_breach") == [] and _emails("case_sla_warning") == []


def test_resolving_late_is_a_breach_even_before_the_check_runs(desk):
    case = _open(desk)
    due = case.resolution_due
    services.resolve(case=case, user=desk.alice, now=due + SECOND)
    case.refresh_from_db()
    assert case.resolution_breached


def test_a_case_waiting_on_the_customer_never_breaches_while_waiting(desk):
    case = _open(desk)
    _contact(case, T0 + timedelta(minutes=5))
    t1 = T0 + timedelta(hours=2)
    services.update_case(case=case, changes=services.CaseChanges(status=CaseStatus.WAITING),
                         now=t1)
    t2 = T0 + timedelta(days=30)
    for later in (T0 + timedelta(days=2), T0 + timedelta(days=10), t2 - SECOND):
        loop.check_slas(now=later)
    case.refresh_from_db()
    assert not case.resolution_breached and _emails("case_sla_breach") == []
    assert _emails("case_sla_warning") == []
    services.update_case(case=case, changes=services.CaseChanges(
        status=CaseStatus.IN_PROGRESS), now=t2)  # Thursday 12 March 10:00
    case.refresh_from_db()
    # 2 h of the 24 were used before the pause: 22 business hours from Thursday 10:00
    assert case.resolution_due == _riga(2026, 3, 16, 16, 0)
    loop.check_slas(now=case.resolution_due - SECOND)
    assert _emails("case_sla_breach") == []
    loop.check_slas(now=case.resolution_due)
    case.refresh_from_db()
    assert case.resolution_breached


def test_no_contact_by_the_first_contact_deadline_is_a_breach(desk):
    case = _open(desk)
    first_due = case.first_contact_due
    assert first_due == T0 + timedelta(hours=4)  # 4 business hours, all on Tuesday
    loop.check_slas(now=first_due - SECOND)
    case.refresh_from_db()
    assert not case.first_contact_breached and _emails("case_sla_breach") == []
    loop.check_slas(now=first_due)
    case.refresh_from_db()
    assert case.first_contact_breached and not case.resolution_breached
    assert _emails("case_sla_breach") == ["alice@acme.test", "anna@acme.test",
                                          "carol@acme.test"]
    loop.check_slas(now=first_due + timedelta(hours=1))
    assert len(_emails("case_sla_breach")) == 3


def test_contact_in_time_is_no_first_contact_breach(desk):
    case = _open(desk)
    first_due = case.first_contact_due
    _contact(case, first_due - timedelta(minutes=1))
    case.refresh_from_db()
    assert case.first_contact_at == first_due - timedelta(minutes=1)
    assert case.first_contact_due is None and case.status == CaseStatus.IN_PROGRESS
    loop.check_slas(now=first_due + timedelta(hours=1))
    case.refresh_from_db()
    assert not case.first_contact_breached and _emails("case_sla_breach") == []


def test_a_late_first_contact_is_a_breach_even_before_the_check_runs(desk):
    case = _open(desk)
    first_due = case.first_contact_due
    _contact(case, first_due + timedelta(minutes=30))
    loop.check_slas(now=first_due + timedelta(hours=1))
    case.refresh_from_db()
    assert case.first_contact_breached


def test_working_an_overdue_case_keeps_its_deadline(desk):
    case = _open(desk)
    _contact(case, T0 + timedelta(minutes=5))
    case.refresh_from_db()
    due = case.resolution_due
    services.update_case(case=case, changes=services.CaseChanges(owner=desk.bob),
                         now=due + timedelta(hours=2))
    case.refresh_from_db()
    assert case.resolution_due == due


# -- 4. the seeds' rule: an e-mail within 24 business hours --------------------------------


@pytest.mark.parametrize(("opened", "due", "first_due", "warn_at"), [
    # an ordinary week
    (_riga(2026, 2, 13, 16, 0), _riga(2026, 2, 18, 16, 0), _riga(2026, 2, 16, 12, 0),
     _riga(2026, 2, 18, 11, 12)),
    # the DST weekend (29 March): the same local times, one hour less in between
    (_riga(2026, 3, 27, 16, 0), _riga(2026, 4, 1, 16, 0), _riga(2026, 3, 30, 12, 0),
     _riga(2026, 4, 1, 11, 12)),
    # Midsummer: Monday 22 to Wednesday 24 June are Latvian holidays
    (_riga(2026, 6, 19, 16, 0), _riga(2026, 6, 29, 16, 0), _riga(2026, 6, 25, 12, 0),
     _riga(2026, 6, 29, 11, 12)),
], ids=["plain-week", "dst-weekend", "midsummer"])
def test_a_normal_case_opened_friday_afternoon(desk, opened, due, first_due, warn_at):
    case = _open(desk, at=opened, priority=Priority.NORMAL)
    case = Case.objects.get(pk=case.pk)
    riga = ZoneInfo("Europe/Riga")
    assert case.resolution_due.astimezone(riga) == due
    assert case.resolution_due.astimezone(riga).utcoffset() == due.utcoffset()
    assert case.first_contact_due.astimezone(riga) == first_due
    assert case.warn_at.astimezone(riga) == warn_at
