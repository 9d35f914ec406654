"""Use cases of the customers domain: recognise, create and update customers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from kliento.core.models import Workspace
from kliento.customers.models import Customer, Identity, IdentityKind, Tag

SOCIAL_NETWORKS = ("facebook", "instagram", "x", "linkedin", "tiktok", "whatsapp", "telegram",
                   "viber", "google")


def normalize_email(value: str) -> str:
    value = value.strip().lower()
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError({"email": _("“%(value)s” is not a valid e-mail address.")
                               % {"value": value[:100]}}) from None
    return value


def normalize_phone(value: str, region: str = "") -> str:
    """E.164; national numbers are read in the workspace's country."""
    try:
        number = phonenumbers.parse(value.strip(), region.upper() or None)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError({"phone": _("“%(value)s” is not a valid phone number; "
                                          "write it with the country code, e.g. +371 2000 0000.")
                               % {"value": value[:50]}})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_social(network: str, handle: str) -> tuple[str, str]:
    network = network.strip().lower()
    if network not in SOCIAL_NETWORKS:
        raise ValidationError({"social_network": _("Unknown social network “%(value)s”.")
                               % {"value": network[:30]}})
    handle = handle.strip().lstrip("@").lower()
    if not handle or len(handle) > 100:
        raise ValidationError({"social_handle": _("A social handle is required.")})
    return network, handle


@dataclass
class CustomerRef:
    """Whatever a source knows about a customer: any identity, a name, a language."""

    email: str = ""
    phone: str = ""
    external_id: str = ""
    social_network: str = ""
    social_handle: str = ""
    name: str = ""
    language: str = ""
    identities: list[tuple[str, str, str]] = field(default_factory=list)

    def normalised(self, region: str = "") -> list[tuple[str, str, str]]:
        """(kind, network, value) for every identity given, validated; raises on bad ones."""
        found: list[tuple[str, str, str]] = []
        if self.email:
            found.append((IdentityKind.EMAIL, "", normalize_email(self.email)))
        if self.phone:
            found.append((IdentityKind.PHONE, "", normalize_phone(self.phone, region)))
        if self.external_id:
            external = self.external_id.strip()
            if len(external) > 254:
                raise ValidationError({"external_id": _("The external id is too long.")})
            found.append((IdentityKind.EXTERNAL, "", external))
        if self.social_network or self.social_handle:
            network, handle = normalize_social(self.social_network, self.social_handle)
            found.append((IdentityKind.SOCIAL, network, handle))
        return found


def _validate_language(language: str) -> str:
    from django.conf import settings

    language = language.strip().lower()
    if language and language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Unsupported language “%(value)s”.")
                               % {"value": language[:10]}})
    return language


def find_or_create_customer(*, workspace: Workspace, ref: CustomerRef) -> Customer:
    """The customer known by any of these identities, or a new one; new identities are kept."""
    identities = ref.normalised(workspace.country)
    if not identities:
        raise ValidationError({"customer": _("Give at least one of e-mail, phone, external id "
                                             "or social handle.")})
    language = _validate_language(ref.language)
    for attempt in range(2):
        try:
            with transaction.atomic():
                return _find_or_create(workspace, identities, ref.name.strip()[:200], language)
        except IntegrityError:
            # Someone else created the same identity between our read and our write.
            if attempt:
                raise
    raise AssertionError("unreachable")


def _find_or_create(
    workspace: Workspace, identities: list[tuple[str, str, str]], name: str, language: str
) -> Customer:
    known = list(
        Identity.objects.for_workspace(workspace)
        .filter(_identity_q(identities)).select_related("customer")
    )
    if known:
        customer = known[0].customer
        changed = []
        if name and not customer.name:
            customer.name = name
            changed.append("name")
        if language and not customer.language:
            customer.language = language
            changed.append("language")
        if changed:
            customer.save(update_fields=[*changed, "updated_at"])
    else:
        customer = Customer.objects.create(workspace=workspace, name=name, language=language)
    have = {(i.kind, i.network, i.value) for i in known}
    Identity.objects.bulk_create([
        Identity(workspace=workspace, customer=customer, kind=k, network=n, value=v)
        for k, n, v in identities if (k, n, v) not in have
    ])
    return customer


def _identity_q(identities: list[tuple[str, str, str]]) -> Q:
    q = Q(pk__in=[])
    for kind, network, value in identities:
        q |= Q(kind=kind, network=network, value=value)
    return q


@dataclass
class CustomerChanges:
    name: str | None = None
    language: str | None = None
    vip: bool | None = None
    notes: str | None = None
    tags: list[str] | None = None
    add: CustomerRef | None = None


def create_customer(*, workspace: Workspace, ref: CustomerRef, vip: bool = False, notes: str = "",
                    tags: list[str] | None = None) -> Customer:
    """A new customer; refuses identities that already belong to someone."""
    identities = ref.normalised(workspace.country)
    if not identities:
        raise ValidationError({"customer": _("Give at least one of e-mail, phone, external id "
                                             "or social handle.")})
    taken = Identity.objects.for_workspace(workspace).filter(_identity_q(identities)).first()
    if taken is not None:
        raise ValidationError({taken.kind: _("“%(value)s” already belongs to customer %(id)s.")
                               % {"value": taken.value, "id": taken.customer_id}})
    with transaction.atomic():
        customer = _find_or_create(workspace, identities, ref.name.strip()[:200],
                                   _validate_language(ref.language))
        return update_customer(workspace=workspace, customer=customer,
                               changes=CustomerChanges(vip=vip, notes=notes, tags=tags))


def update_customer(
    *, workspace: Workspace, customer: Customer, changes: CustomerChanges
) -> Customer:
    """Edit a customer's details, tags and identities in one step."""
    if customer.workspace_id != workspace.pk:
        raise Customer.DoesNotExist
    with transaction.atomic():
        if changes.name is not None:
            customer.name = changes.name.strip()[:200]
        if changes.language is not None:
            customer.language = _validate_language(changes.language)
        if changes.vip is not None:
            customer.vip = changes.vip
        if changes.notes is not None:
            customer.notes = changes.notes[:10_000]
        customer.save()
        if changes.tags is not None:
            customer.tags.set(ensure_tags(workspace, changes.tags))
        if changes.add is not None:
            identities = changes.add.normalised(workspace.country)
            taken = (Identity.objects.for_workspace(workspace).filter(_identity_q(identities))
                     .exclude(customer=customer).first())
            if taken is not None:
                raise ValidationError({taken.kind: _("“%(value)s” already belongs to customer "
                                                     "%(id)s.")
                                       % {"value": taken.value, "id": taken.customer_id}})
            for kind, network, value in identities:
                Identity.objects.get_or_create(workspace=workspace, kind=kind, network=network,
                                               value=value, defaults={"customer": customer})
    return customer


def remove_identity(*, workspace: Workspace, customer: Customer, identity_id: int) -> None:
    Identity.objects.for_workspace(workspace).filter(customer=customer, pk=identity_id).delete()


def ensure_tags(workspace: Workspace, names: list[str]) -> list[Tag]:
    clean = sorted({n.strip().lower()[:50] for n in names if n.strip()})
    existing = {t.name: t for t in Tag.objects.for_workspace(workspace).filter(name__in=clean)}
    missing = [Tag(workspace=workspace, name=n) for n in clean if n not in existing]
    Tag.objects.bulk_create(missing, ignore_conflicts=True)
    return list(Tag.objects.for_workspace(workspace).filter(name__in=clean))


def set_satisfaction(
    *, customer: Customer, last_polarity: str, last_feedback_at: datetime | None,
    rolling_csat: float | None,
) -> None:
    Customer.objects.filter(pk=customer.pk).update(
        last_polarity=last_polarity, last_feedback_at=last_feedback_at, rolling_csat=rolling_csat
    )
