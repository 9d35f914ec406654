"""Reading a recipients CSV for a bulk send: every row checked before anything is sent."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from kliento.core.models import Membership, Team, User, Workspace

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
COLUMNS = ("email", "name", "language", "agent", "team", "reference")


@dataclass
class Recipient:
    row: int
    email: str
    name: str = ""
    language: str = ""
    agent: User | None = None
    team: Team | None = None
    reference: str = ""


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ParsedList:
    recipients: list[Recipient] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.recipients)


def parse_recipients(data: bytes, workspace: Workspace) -> ParsedList:
    """Rows of e-mail, name, language, agent (e-mail), team (name), reference."""
    result = ParsedList()
    if len(data) > MAX_BYTES:
        result.errors.append(RowError(0, "", _("The file is larger than 5 MB.")))
        return result
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.errors.append(RowError(0, "", _("The file is not UTF-8 text. Save it as "
                                               "“CSV UTF-8” and upload it again.")))
        return result
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], ",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "email" not in header:
        result.errors.append(RowError(1, "email", _("The first row must name the columns, "
                                                    "with at least “email”.")))
        return result
    reader.fieldnames = header
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        result.errors.append(RowError(1, unknown[0], _("Unknown column “%(value)s”; use %(cols)s.")
                                      % {"value": unknown[0], "cols": ", ".join(COLUMNS)}))
        return result
    agents = {m.user.email: m.user for m in
              Membership.objects.for_workspace(workspace).select_related("user")}
    teams = {t.name.lower(): t for t in Team.objects.for_workspace(workspace)}
    languages = {code for code, _name in settings.LANGUAGES}
    seen: set[str] = set()
    for number, raw in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            result.errors.append(RowError(number, "", _("At most %(max)s rows per file.")
                                          % {"max": MAX_ROWS}))
            break
        row = {k: (v or "").strip() for k, v in raw.items() if k}
        if not any(row.values()):
            continue
        # PostgreSQL cannot store a NUL character; a spreadsheet may still export one.
        nul = next((k for k, v in row.items() if "\x00" in v), None)
        if nul is not None:
            result.errors.append(RowError(number, nul, _("This cell contains a NUL character; "
                                                          "remove it and upload the file again.")))
            continue
        email = row.get("email", "").lower()
        try:
            validate_email(email)
        except ValidationError:
            result.errors.append(RowError(number, "email", _("“%(value)s” is not a valid "
                                                             "e-mail address.")
                                          % {"value": email[:80]}))
            continue
        language = row.get("language", "").lower()
        if language and language not in languages:
            result.errors.append(RowError(number, "language", _("Unsupported language "
                                                                "“%(value)s”.")
                                          % {"value": language[:10]}))
            continue
        agent_email = row.get("agent", "").lower()
        if agent_email and agent_email not in agents:
            result.errors.append(RowError(number, "agent", _("No member has the e-mail "
                                                             "“%(value)s”.")
                                          % {"value": agent_email[:80]}))
            continue
        team_name = row.get("team", "").lower()
        if team_name and team_name not in teams:
            result.errors.append(RowError(number, "team", _("No team is called “%(value)s”.")
                                          % {"value": row.get("team", "")[:80]}))
            continue
        if email in seen:
            result.duplicates.append(number)
            continue
        seen.add(email)
        result.recipients.append(Recipient(
            row=number, email=email, name=row.get("name", "")[:200], language=language,
            agent=agents.get(agent_email), team=teams.get(team_name),
            reference=row.get("reference", "")[:200],
        ))
    if not result.recipients and not result.errors:
        result.errors.append(RowError(0, "", _("The file has no recipients.")))
    return result
