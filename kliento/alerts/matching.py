"""What an alert rule's conditions mean, and whether a feedback meets them.

Conditions (all optional; every one given must hold):

    polarity        ["negative", ...]      the feedback's polarity is one of these
    max_score       {"scale": "csat", "score": 2}   a score on that scale at or below
    survey_ids      [3, 4]                 answered one of these surveys
    channels        ["email", "phone"]     came through one of these channels
    team_ids        [1]                    about one of these teams
    agent_ids       [5]                    about one of these agents
    tags            ["b2b"]                the customer has any of these tags
    vip             true                   the customer is a VIP
    languages       ["lv", "et"]           written in one of these languages
    words           ["refund", "lawyer"]   the text contains any of these (case-insensitive)
    themes          ["delivery"]           text analysis found any of these themes
    text_polarity   ["negative"]           text analysis judged the words so
    mixed           true                   score and words disagree
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kliento.feedback.models import Channel, Feedback, Polarity, Scale
from kliento.feedback.scoring import SCALES

LIST_OF_STR = ("polarity", "channels", "tags", "languages", "words", "themes", "text_polarity")
LIST_OF_INT = ("survey_ids", "team_ids", "agent_ids")
KEYS = (*LIST_OF_STR, *LIST_OF_INT, "max_score", "vip", "mixed")


@dataclass
class Facts:
    """What a rule may look at, gathered once per feedback."""

    polarity: str
    score: int | None
    scale: str
    survey_id: int | None
    channel: str
    team_id: int | None
    agent_id: int | None
    tags: set[str] = field(default_factory=set)
    vip: bool = False
    language: str = ""
    text: str = ""
    themes: set[str] = field(default_factory=set)
    text_polarity: str = ""
    mixed: bool = False


def facts_of(feedback: Feedback, tags: set[str]) -> Facts:
    return Facts(
        polarity=feedback.polarity, score=feedback.score, scale=feedback.scale,
        survey_id=feedback.metadata.get("survey_id"), channel=feedback.channel,
        team_id=feedback.team_id, agent_id=feedback.agent_id, tags=tags,
        vip=feedback.customer.vip, language=feedback.language, text=feedback.text,
        themes={t["key"] if isinstance(t, dict) else str(t) for t in feedback.themes},
        text_polarity=feedback.text_polarity, mixed=feedback.mixed,
    )


def matches(conditions: dict[str, Any], f: Facts) -> bool:
    c = conditions
    if c.get("polarity") and f.polarity not in c["polarity"]:
        return False
    if c.get("max_score"):
        wanted = c["max_score"]
        if f.score is None or f.scale != wanted["scale"] or f.score > wanted["score"]:
            return False
    if c.get("survey_ids") and f.survey_id not in c["survey_ids"]:
        return False
    if c.get("channels") and f.channel not in c["channels"]:
        return False
    if c.get("team_ids") and f.team_id not in c["team_ids"]:
        return False
    if c.get("agent_ids") and f.agent_id not in c["agent_ids"]:
        return False
    if c.get("tags") and not f.tags & set(c["tags"]):
        return False
    if c.get("vip") and not f.vip:
        return False
    if c.get("languages") and f.language not in c["languages"]:
        return False
    if c.get("words"):
        text = f.text.casefold()
        if not any(w.casefold() in text for w in c["words"]):
            return False
    if c.get("themes") and not f.themes & set(c["themes"]):
        return False
    if c.get("text_polarity") and f.text_polarity not in c["text_polarity"]:
        return False
    return not (c.get("mixed") and not f.mixed)


def clean_conditions(raw: Any) -> dict[str, Any]:
    """Validated conditions; ValidationError names each bad one."""
    if raw in (None, ""):
        return {}
    if not isinstance(raw, dict):
        raise ValidationError({"conditions": _("Conditions must be an object.")})
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in KEYS:
            errors[key] = _("Unknown condition.")
        elif value in (None, [], "", False):
            continue
        elif key in LIST_OF_STR:
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip()
                                                      for v in value):
                errors[key] = _("Give a list of words.")
            else:
                clean[key] = sorted({v.strip() if key == "words" else v.strip().lower()
                                     for v in value})[:100]
        elif key in LIST_OF_INT:
            if not isinstance(value, list) or not all(isinstance(v, int)
                                                      and not isinstance(v, bool) for v in value):
                errors[key] = _("Give a list of ids.")
            else:
                clean[key] = sorted(set(value))
        elif key == "max_score":
            scale = value.get("scale") if isinstance(value, dict) else None
            score = value.get("score") if isinstance(value, dict) else None
            if scale not in SCALES or not isinstance(score, int):
                errors[key] = _("Give a scale (csat, nps, ces, thumbs) and a score.")
            elif not SCALES[scale][0] <= score <= SCALES[scale][1]:
                errors[key] = _("The score is outside its scale.")
            else:
                clean[key] = {"scale": scale, "score": score}
        elif key in ("vip", "mixed"):
            if not isinstance(value, bool):
                errors[key] = _("Must be true or false.")
            else:
                clean[key] = value
    polarities = set(Polarity.values)
    for key in ("polarity", "text_polarity"):
        if set(clean.get(key, [])) - polarities:
            errors[key] = _("Polarity is one of negative, neutral, positive.")
    if set(clean.get("channels", [])) - set(Channel.values):
        errors["channels"] = _("Unknown channel.")
    languages = {code for code, _n in settings.LANGUAGES}
    if set(clean.get("languages", [])) - languages:
        errors["languages"] = _("Unsupported language.")
    if errors:
        raise ValidationError(errors)
    return clean


__all__ = ["Facts", "Scale", "clean_conditions", "facts_of", "matches"]
