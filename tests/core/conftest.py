"""Fixtures of other domains the worker's tests use: the loopback webhook receiver, a survey."""

from tests.alerts.conftest import private_ok, receiver
from tests.surveys.conftest import survey

__all__ = ["private_ok", "receiver", "survey"]
