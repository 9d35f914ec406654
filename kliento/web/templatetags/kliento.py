from __future__ import annotations

from typing import Any

from django import template

from kliento.customers.models import Polarity

register = template.Library()


@register.filter
def get(mapping: dict[str, Any] | None, key: str) -> Any:
    return (mapping or {}).get(key)


@register.filter
def theme_keys(feedback: Any) -> list[str]:
    return [t["key"] for t in feedback.themes if isinstance(t, dict)]


@register.simple_tag
def polarity_choices() -> list[tuple[str, Any]]:
    return list(Polarity.choices)
