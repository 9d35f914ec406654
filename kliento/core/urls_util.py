"""Absolute links for e-mails and API answers, built on KLIENTO_BASE_URL."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def absolute_url(name: str, *args: Any, **kwargs: Any) -> str:
    return settings.BASE_URL + reverse(name, args=args or None, kwargs=kwargs or None)


def safe_next(request: HttpRequest, default: str, *args: Any) -> str:
    """Where to go after a form: the posted `next` when it stays on this site, else `default`.

    Checked as the sign-in page checks its own `next`, so a crafted form or link cannot send a
    signed-in user to another host (an open redirect).
    """
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse(default, args=args or None)
