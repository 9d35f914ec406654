from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.core.decorators import WorkspaceRequest, member_required
from kliento.core.models import Role
from kliento.customers.forms import CustomerFilterForm, CustomerForm
from kliento.customers.models import Customer
from kliento.customers.queries import CustomerFilter, search_customers
from kliento.customers.services import CustomerChanges, CustomerRef, update_customer
from kliento.timeline import timeline

PAGE_SIZE = 25


@member_required()
def customer_list(request: WorkspaceRequest) -> HttpResponse:
    form = CustomerFilterForm(request.GET or None)
    f = CustomerFilter(**form.cleaned_data) if form.is_valid() else CustomerFilter()
    qs = search_customers(request.workspace, f).prefetch_related(
        "tags", "identities")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "customers/list.html", {
        "form": form, "page": page, "query": query.urlencode(), "nav": "customers",
    })


@member_required()
def customer_detail(request: WorkspaceRequest, pk: int) -> HttpResponse:
    customer = get_object_or_404(
        Customer.objects.for_workspace(request.workspace)
        .prefetch_related("tags", "identities"), pk=pk)
    # What the workspace owes this customer: its cases and promises (recovery's models,
    # reached through the customer so this domain does not import that one). Open promises
    # first, soonest due; then the settled ones, newest first.
    promises = customer.promises.select_related("owner", "case")
    cases = list(customer.cases.select_related("owner").order_by("-opened_at")[:10])
    return render(request, "customers/detail.html", {
        "customer": customer, "entries": timeline(customer), "nav": "customers",
        "cases": cases, "open_case": next((c for c in cases if c.is_open), None),
        "promises": [*promises.filter(state="open").order_by("due_at"),
                     *promises.exclude(state="open").order_by("-due_at")[:20]],
        "now": timezone.now(),
    })


@member_required(Role.AGENT)
def customer_edit(request: WorkspaceRequest, pk: int) -> HttpResponse:
    ws = request.workspace
    customer = get_object_or_404(Customer.objects.for_workspace(ws), pk=pk)
    initial = {
        "name": customer.name, "language": customer.language, "vip": customer.vip,
        "notes": customer.notes, "tags": ", ".join(t.name for t in customer.tags.all()),
    }
    form = CustomerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        add = CustomerRef(email=d["email"], phone=d["phone"], social_network=d["social_network"],
                          social_handle=d["social_handle"])
        try:
            update_customer(workspace=ws, customer=customer, changes=CustomerChanges(
                name=d["name"], language=d["language"], vip=d["vip"], notes=d["notes"],
                tags=d["tags"].split(","), add=add,
            ))
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                target = field if field in form.fields else None
                for error in errors:
                    form.add_error(target, error)
        else:
            messages.success(request, _("Customer saved."))
            return redirect("customer_detail", pk=customer.pk)
    return render(request, "customers/edit.html", {
        "form": form, "customer": customer, "nav": "customers",
    })
