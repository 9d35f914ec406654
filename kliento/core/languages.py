"""Which of Kliento's languages to speak to someone."""

from __future__ import annotations

from django.conf import settings

CODES: tuple[str, ...] = tuple(code for code, _name in settings.LANGUAGES)


def first_supported(*candidates: str | None) -> str:
    """The first candidate Kliento speaks (e.g. the customer's, the feedback's, the
    workspace's language), else English."""
    for code in candidates:
        if code and code in CODES:
            return code
    return "en"
