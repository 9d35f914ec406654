from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# What Django's json_script escapes, so that the data cannot end its <script> element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def min_sample() -> int:
    return int(getattr(settings, "INSIGHTS_MIN_SAMPLE", 10))


@register.simple_tag(takes_context=True)
def chart_data(context: Any, value: Any, element_id: str) -> str:
    """Like `json_script`, with the response's CSP nonce: data for insights.js, never run."""
    request = context.get("request")
    nonce = getattr(request, "csp_nonce", "") if request is not None else ""
    data = json.dumps(value, cls=DjangoJSONEncoder).translate(_JSON_ESCAPES)
    return format_html('<script id="{}" type="application/json" nonce="{}">{}</script>',
                       element_id, nonce, mark_safe(data))


@register.inclusion_tag("insights/_rate.html")
def rate(value: float | None, sample: int, unit: str = "%") -> dict[str, Any]:
    """A share or an average, greyed as "too few answers" below the minimum sample."""
    return {"value": value, "sample": sample, "unit": unit,
            "too_few": sample < min_sample(), "minimum": min_sample()}


@register.simple_tag
def minimum_sample() -> int:
    return min_sample()


@register.filter
def feed_link(params: dict[str, str] | None) -> str:
    """The feedback list filtered to exactly the voices behind a figure."""
    from kliento.insights.dashboard import feed_link as link

    return link(params)


@register.filter
def urlencode_params(params: dict[str, str]) -> str:
    return urlencode(params)
