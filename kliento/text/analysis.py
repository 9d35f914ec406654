"""The one entry point the rest of Kliento needs: :func:`analyse`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .cleaning import clean
from .embedding import embed
from .language import (
    MIN_LETTERS,
    UNDETERMINED,
    detect_language,
    detect_script,
    language_tag,
    normalise_languages,
)
from .sentiment import SentimentClassifier
from .themes import DEFAULT_THEMES, Theme, match_themes

#: Confidence given to texts with nothing to analyse (empty, whitespace, markup only).
EMPTY_CONFIDENCE = 0.0
#: Emoji and punctuation alone carry some sentiment, but the model saw little of it: cap the
#: confidence so such texts are never auto-acted on.
NO_LETTERS_MAX_CONFIDENCE = 0.5


@dataclass(frozen=True)
class TextAnalysis:
    language: str  # ISO 639-1 ("lv", "sr", ...) or "und"
    script: str  # "Latn", "Cyrl" or ""
    polarity: str  # "negative" | "neutral" | "positive"
    confidence: float  # probability of ``polarity``, 0..1
    themes: list[tuple[str, float]] = field(default_factory=list)
    cleaned_text: str = ""
    truncated: bool = False

    @property
    def language_tag(self) -> str:
        """Kliento's language code: en, lv, pl, sr (Cyrillic), sr-latn, et, hu or und."""
        if self.language == UNDETERMINED:
            return UNDETERMINED
        return language_tag(self.language, self.script)


def analyse(
    texts: Sequence[str],
    *,
    languages: Sequence[str] | None = None,
    themes: Sequence[Theme] | None = None,
    classifier: SentimentClassifier | None = None,
    is_email: bool = False,
) -> list[TextAnalysis]:
    """Clean, identify language, score sentiment and match themes for each text.

    ``languages``: the workspace's language codes (en, lv, pl, sr, sr-latn, et, hu); language
    identification picks only among them (None: all). ``themes``: the workspace's themes (None:
    :data:`DEFAULT_THEMES`; pass ``[]`` to skip theme matching). ``classifier``: a workspace's
    retrained classifier (None: the shipped one). ``is_email``: also strip quoted replies and
    signatures. Never raises on odd text; one result per input, in order.
    """
    langs = normalise_languages(languages)
    theme_list = tuple(DEFAULT_THEMES if themes is None else themes)
    clf = classifier if classifier is not None else SentimentClassifier.load_default()

    cleaned = [clean(t if isinstance(t, str) else "", is_email=is_email) for t in texts]
    bodies = [c.text for c in cleaned]
    emb = embed(bodies)
    preds = clf.predict(emb, bodies) if len(bodies) else []
    matched = match_themes(emb, theme_list) if theme_list else [[] for _ in bodies]

    out: list[TextAnalysis] = []
    for i, c in enumerate(cleaned):
        body = c.text
        if not body or not np.any(emb[i]):
            out.append(
                TextAnalysis(
                    language=UNDETERMINED,
                    script="",
                    polarity="neutral",
                    confidence=EMPTY_CONFIDENCE,
                    themes=[],
                    cleaned_text=body,
                    truncated=c.truncated,
                )
            )
            continue
        script = detect_script(body)
        lang, _ = detect_language(body, langs, script=script)
        polarity, conf = preds[i]
        if sum(1 for ch in body if ch.isalpha()) < MIN_LETTERS:
            conf = min(conf, NO_LETTERS_MAX_CONFIDENCE)
        out.append(
            TextAnalysis(
                language=lang,
                script=script,
                polarity=polarity,
                confidence=round(float(conf), 4),
                themes=matched[i],
                cleaned_text=body,
                truncated=c.truncated,
            )
        )
    return out
