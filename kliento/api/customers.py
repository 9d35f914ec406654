from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from kliento.api.base import ERRORS, ERRORS_404, Id, Page, workspace_of
from kliento.api.schemas import CustomerIn, CustomerOut, CustomerPatch, TimelineEntryOut
from kliento.customers.models import Customer
from kliento.customers.queries import CustomerFilter, search_customers
from kliento.customers.services import CustomerChanges, create_customer, update_customer
from kliento.timeline import timeline

router = Router(tags=["customers"])


def _customers(request: HttpRequest) -> QuerySet[Customer]:
    return Customer.objects.for_workspace(workspace_of(request)).prefetch_related(
        "tags", "identities"
    )


class CustomerQuery(Schema):
    q: str = ""
    tag: str = ""
    vip: bool | None = None
    language: str = ""
    polarity: str = ""


@router.post("", response={201: CustomerOut, **ERRORS})
def create(request: HttpRequest, body: CustomerIn) -> Status[Customer]:
    customer = create_customer(
        workspace=workspace_of(request), ref=body.to_ref(), vip=body.vip, notes=body.notes,
        tags=body.tags,
    )
    return Status(201, _customers(request).get(pk=customer.pk))


@router.get("", response={200: list[CustomerOut], **ERRORS})
@paginate(Page)
def list_customers(request: HttpRequest, filters: Query[CustomerQuery]) -> QuerySet[Customer]:
    f = CustomerFilter(**filters.dict())
    return search_customers(workspace_of(request), f).prefetch_related("tags", "identities")


@router.get("/{customer_id}", response={200: CustomerOut, **ERRORS_404})
def detail(request: HttpRequest, customer_id: Id) -> Customer:
    return get_object_or_404(_customers(request), pk=customer_id)


@router.patch("/{customer_id}", response={200: CustomerOut, **ERRORS_404})
def patch(request: HttpRequest, customer_id: Id, body: CustomerPatch) -> Customer:
    workspace = workspace_of(request)
    customer = get_object_or_404(Customer.objects.for_workspace(workspace), pk=customer_id)
    data = body.dict(exclude_unset=True)
    add = body.add_identities.to_ref() if body.add_identities else None
    data.pop("add_identities", None)
    changes = CustomerChanges(**data, add=add)
    update_customer(workspace=workspace, customer=customer, changes=changes)
    return _customers(request).get(pk=customer.pk)


@router.get("/{customer_id}/timeline", response={200: list[TimelineEntryOut], **ERRORS_404})
def customer_timeline(request: HttpRequest, customer_id: Id, limit: int = 100) -> list[dict]:
    customer = get_object_or_404(
        Customer.objects.for_workspace(workspace_of(request)), pk=customer_id
    )
    return [
        {"kind": e.kind, "at": e.at, e.kind: e.item}
        for e in timeline(customer, limit=max(1, min(limit, 500)))
    ]
