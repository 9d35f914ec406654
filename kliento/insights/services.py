"""Use cases of the insights domain that change data: the close-the-loop goal."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kliento.core.models import Membership, Role, Workspace
from kliento.core.services import require_role
from kliento.insights.models import InsightsSettings


def settings_of(workspace: Workspace) -> InsightsSettings:
    """The workspace's goal; the defaults (unsaved) while nobody has changed them."""
    return (InsightsSettings.objects.filter(workspace=workspace).first()
            or InsightsSettings(workspace=workspace))


def set_contact_target(*, workspace: Workspace, actor: Membership | None, hours: int,
                       percent: int) -> InsightsSettings:
    """Contact `percent` % of unhappy voices within `hours` business hours (managers and
    admins). Raises ValidationError naming the field and saves nothing on a bad value."""
    if actor is not None:
        require_role(actor, Role.MANAGER)
    errors = {}
    if not 1 <= hours <= 720:
        errors["contact_target_hours"] = _("Between 1 and 720 business hours.")
    if not 1 <= percent <= 100:
        errors["contact_target_percent"] = _("Between 1 and 100 per cent.")
    if errors:
        raise ValidationError(errors)
    row, _created = InsightsSettings.objects.update_or_create(
        workspace=workspace, defaults={"contact_target_hours": hours,
                                       "contact_target_percent": percent})
    return row
