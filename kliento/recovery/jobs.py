"""Periodic jobs of the recovery domain (settings.PERIODIC_JOBS)."""

from __future__ import annotations

from kliento.recovery.services import check_promises, check_slas

__all__ = ["check_promises", "check_slas"]
