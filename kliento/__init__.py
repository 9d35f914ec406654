"""Kliento: a self-hosted customer feedback and service-recovery desk."""

__version__ = "0.1.0"
