"""Score → polarity: the one table every scale is normalised by (docs/ARCHITECTURE.md)."""

from __future__ import annotations

from kliento.feedback.models import Polarity, Scale

# scale: (lowest, highest, highest negative score, highest neutral score)
SCALES: dict[str, tuple[int, int, int, int]] = {
    Scale.CSAT: (1, 5, 2, 3),     # 1–2 unhappy, 3 neutral, 4–5 satisfied (top-2-box CSAT)
    Scale.NPS: (0, 10, 6, 8),     # 0–6 detractor, 7–8 passive, 9–10 promoter
    Scale.CES: (1, 7, 3, 4),      # "easy to get help": 1–3 hard, 4 neutral, 5–7 easy
    Scale.THUMBS: (0, 1, 0, 0),   # 0 thumbs down, 1 thumbs up
}


class ScoreError(ValueError):
    pass


def check_score(score: int, scale: str) -> None:
    if scale not in SCALES:
        raise ScoreError(f"unknown scale {scale!r}; use one of {', '.join(SCALES)}")
    low, high, _neg, _neu = SCALES[scale]
    if not low <= score <= high:
        raise ScoreError(f"score {score} is outside the {scale} scale ({low}–{high})")


def polarity_of(score: int, scale: str) -> str:
    check_score(score, scale)
    _low, _high, negative_max, neutral_max = SCALES[scale]
    if score <= negative_max:
        return Polarity.NEGATIVE
    if score <= neutral_max:
        return Polarity.NEUTRAL
    return Polarity.POSITIVE
