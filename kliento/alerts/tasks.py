"""Background work of the alerts domain."""

from __future__ import annotations

from django_tasks import task

from kliento.alerts import services


@task()
def send_delivery(delivery_id: int) -> None:
    """Send one delivery if it is due and nobody else holds it."""
    delivery = services.claim(delivery_id)
    if delivery is not None:
        services.send(delivery)
