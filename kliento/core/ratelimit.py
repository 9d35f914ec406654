"""Fixed-window rate limits kept in the database, so every web process shares them."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from kliento.core.models import RateCounter


def client_ip(request: HttpRequest) -> str:
    # Behind a proxy, configure it to set REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips);
    # X-Forwarded-For is not trusted here because any client can send it.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _window(now: datetime, seconds: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=now.tzinfo)


def hit(key: str, *, limit: int, per_seconds: int) -> bool:
    """Count one request for `key`; False when the limit of this window is exceeded."""
    start = _window(timezone.now(), per_seconds)
    updated = RateCounter.objects.filter(key=key, window_start=start).update(count=F("count") + 1)
    if not updated:
        try:
            with transaction.atomic():
                RateCounter.objects.create(key=key, window_start=start, count=1)
        except IntegrityError:
            RateCounter.objects.filter(key=key, window_start=start).update(count=F("count") + 1)
    count = RateCounter.objects.filter(key=key, window_start=start).values_list(
        "count", flat=True).first() or 0
    return count <= limit


def count(key: str, *, per_seconds: int) -> int:
    """How many requests `key` made in the current window, without counting one more."""
    start = _window(timezone.now(), per_seconds)
    return RateCounter.objects.filter(key=key, window_start=start).values_list(
        "count", flat=True).first() or 0


def prune_rate_counters() -> int:
    """Periodic: forget windows older than a day."""
    deleted, _ = RateCounter.objects.filter(
        window_start__lt=timezone.now() - timedelta(days=1)).delete()
    return deleted
