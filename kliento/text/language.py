"""Language and script identification, restricted to a workspace's languages.

py3langid (a naive-Bayes byte n-gram model shipped in its wheel) does the language; the script
is read off the characters, because Serbian is written in both and the two need different tags.
"""

from __future__ import annotations

import copy
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

#: Kliento's language codes that this package understands.
SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "lv", "pl", "sr", "sr-latn", "et", "hu")
UNDETERMINED = "und"

# py3langid cannot tell Serbian Latin from Croatian or Bosnian (nor can people, on one
# sentence), so they are one group, reported as "sr".
_SERBO_CROATIAN = ("sr", "hr", "bs")
_LANGID_CODES: dict[str, tuple[str, ...]] = {
    "en": ("en",),
    "lv": ("lv",),
    "pl": ("pl",),
    "et": ("et",),
    "hu": ("hu",),
    "sr": _SERBO_CROATIAN,
    "sr-latn": _SERBO_CROATIAN,
}
_GROUP = {"hr": "sr", "bs": "sr"}
# Scripts each language is written in; a Cyrillic text in an English-only workspace is "und"
# rather than forced into English.
_SCRIPTS: dict[str, frozenset[str]] = {
    "en": frozenset({"Latn"}),
    "lv": frozenset({"Latn"}),
    "pl": frozenset({"Latn"}),
    "et": frozenset({"Latn"}),
    "hu": frozenset({"Latn"}),
    "sr": frozenset({"Latn", "Cyrl"}),
}
#: Below this probability (after merging the Serbo-Croatian group) the language is "und".
MIN_LANGUAGE_CONFIDENCE = 0.5
# Languages outside Kliento that look like ours. If one of them wins clearly, the text is "und"
# rather than forced into the nearest workspace language (German feedback in an English
# workspace is not English).
_DISTRACTORS = (
    "ru",
    "uk",
    "bg",
    "mk",
    "de",
    "fr",
    "es",
    "it",
    "pt",
    "nl",
    "lt",
    "fi",
    "sk",
    "cs",
    "sl",
    "ro",
    "sv",
    "da",
    "no",
)
#: A distractor must be at least this sure before it overrules the workspace languages.
DISTRACTOR_CONFIDENCE = 0.9
#: Fewer letters than this carry too little evidence ("ok", "👍") to name a language.
MIN_LETTERS = 3

_lock = threading.Lock()
_identifier: Any = None
# One restricted identifier per language set: restricting copies the model's columns, which
# costs milliseconds, so it is done once per set rather than once per text.
_restricted: dict[tuple[str, ...], Any] = {}


def _get_identifier() -> Any:
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _identifier


def _identifier_for(codes: tuple[str, ...]) -> Any:
    ident = _restricted.get(codes)
    if ident is None:
        base = _get_identifier()
        with _lock:
            ident = copy.copy(base)  # shares the full model, restricts its own view of it
            ident.set_languages(list(codes))
            _restricted[codes] = ident
    return ident


def detect_script(text: str) -> str:
    """Return "Latn", "Cyrl" or "" (no letters, or another script dominates)."""
    latin = cyrillic = other = 0
    for ch in text:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        if name.startswith("LATIN"):
            latin += 1
        elif name.startswith("CYRILLIC"):
            cyrillic += 1
        else:
            other += 1
    best = max(latin, cyrillic, other)
    if best == 0 or best == other:
        return ""
    return "Latn" if latin >= cyrillic else "Cyrl"


def _letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


def normalise_languages(languages: Iterable[str] | None) -> tuple[str, ...]:
    """Validate workspace language codes; None means all supported ones."""
    if languages is None:
        return SUPPORTED_LANGUAGES
    out: list[str] = []
    for code in languages:
        c = code.strip().lower().replace("_", "-")
        if c in ("sr-cyrl",):
            c = "sr"
        if c not in _LANGID_CODES:
            raise ValueError(f"unsupported language code {code!r}; use {SUPPORTED_LANGUAGES}")
        if c not in out:
            out.append(c)
    return tuple(out)


def language_tag(language: str, script: str) -> str:
    """Kliento's code for an ISO 639-1 language plus script ("sr"+"Latn" -> "sr-latn")."""
    if language == "sr":
        return "sr-latn" if script == "Latn" else "sr"
    if language in _SCRIPTS:
        return language
    return UNDETERMINED


def detect_language(
    text: str, languages: Sequence[str] | None = None, *, script: str | None = None
) -> tuple[str, float]:
    """Return (ISO 639-1 code or "und", probability) among the workspace ``languages``."""
    langs = normalise_languages(languages)
    if script is None:
        script = detect_script(text)
    if not script or _letters(text) < MIN_LETTERS:
        return UNDETERMINED, 0.0
    candidates = sorted({c for lang in langs for c in _LANGID_CODES[lang]})
    iso_allowed = {_GROUP.get(c, c) for c in candidates}
    iso_allowed = {c for c in iso_allowed if script in _SCRIPTS[c]}
    if not iso_allowed:
        return UNDETERMINED, 0.0
    ranked = _identifier_for(tuple(sorted({*candidates, *_DISTRACTORS}))).rank(text)
    scores: dict[str, float] = {}
    top_code, top_p = ranked[0]
    if top_code in _DISTRACTORS and top_code not in candidates and top_p >= DISTRACTOR_CONFIDENCE:
        return UNDETERMINED, 0.0
    for code, p in ranked:
        iso = _GROUP.get(code, code)
        scores[iso] = scores.get(iso, 0.0) + float(p)
    scores = {k: v for k, v in scores.items() if k in iso_allowed}
    if not scores:
        return UNDETERMINED, 0.0
    total = sum(scores.values())
    iso, p = max(scores.items(), key=lambda kv: kv[1])
    p = p / total if total > 0 else 0.0
    if p < MIN_LANGUAGE_CONFIDENCE:
        return UNDETERMINED, p
    return iso, p
