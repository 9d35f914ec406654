"""Periodic jobs of the insights domain (settings.PERIODIC_JOBS); they only enqueue."""

from __future__ import annotations

from kliento.insights.tasks import verify_rollups


def check_rollups() -> None:
    """Nightly: have a worker recount a sample of the rollups and repair any drift."""
    verify_rollups.enqueue()
