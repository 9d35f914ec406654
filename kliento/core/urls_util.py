"""Absolute links for e-mails and API answers, built on KLIENTO_BASE_URL."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse


def absolute_url(name: str, *args: Any, **kwargs: Any) -> str:
    return settings.BASE_URL + reverse(name, args=args or None, kwargs=kwargs or None)
