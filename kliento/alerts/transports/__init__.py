"""One small class per kind of channel; each raises TransportError and the caller retries."""

from __future__ import annotations

from kliento.alerts.transports.base import Outcome, Transport, TransportError
from kliento.alerts.transports.email import EmailTransport
from kliento.alerts.transports.slack import SlackTransport
from kliento.alerts.transports.teams import TeamsTransport
from kliento.alerts.transports.webhook import WebhookTransport

REGISTRY: dict[str, type[Transport]] = {
    "email": EmailTransport,
    "slack": SlackTransport,
    "teams": TeamsTransport,
    "webhook": WebhookTransport,
}

__all__ = ["REGISTRY", "Outcome", "Transport", "TransportError"]
