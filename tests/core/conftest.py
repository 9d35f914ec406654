"""The alerts domain's loopback webhook receiver, for the worker's fault tests."""

from tests.alerts.conftest import private_ok, receiver

__all__ = ["private_ok", "receiver"]
