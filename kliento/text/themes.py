"""Theme matching by meaning, across languages.

A theme is a few example phrases in any language. A text matches a theme when its e5 embedding
is close (cosine) to one of the theme's examples. e5 maps translations close together, so an
English example finds a Hungarian complaint.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from io import BytesIO

import numpy as np
import numpy.typing as npt

#: Centred cosine similarity at which a text is said to be about a theme.
#: Raw e5 cosines are compressed (an unrelated sentence scores 0.82-0.87 against the examples,
#: a matching one 0.84-0.97), so we first subtract the mean embedding of the training corpus
#: (shipped with the sentiment classifier) and re-normalise, which spreads them to about
#: 0.15-0.45 unrelated vs 0.35-0.9 matching. Tuned on 26 hand-written cases in six languages
#: plus an English-only custom theme against Hungarian text (0.38-0.45 there): see
#: docs/TEXT.md for the hit rates.
THEME_THRESHOLD = 0.38
#: Secondary themes must score within this margin of the best one: a text close to one theme
#: is usually also mildly close to its neighbours (waiting time ~ delivery).
THEME_MARGIN = 0.05
#: At most this many themes per text, best first.
MAX_THEMES = 3


@dataclass(frozen=True)
class Theme:
    key: str
    name: str
    examples: list[str] = field(default_factory=list)

    def __hash__(self) -> int:
        return hash((self.key, self.name, tuple(self.examples)))


DEFAULT_THEMES: tuple[Theme, ...] = (
    Theme(
        "waiting_time",
        "Waiting time",
        [
            "I had to wait far too long",
            "the queue was very long and slow",
            "nobody answered for days, long waiting time",
            "Gaidīju pārāk ilgi rindā",
            "Bardzo długo czekałem na obsługę",
            "Predugo sam čekao u redu",
            "Предуго сам чекао",
            "Pidin liiga kaua ootama",
            "Túl sokáig kellett várnom",
        ],
    ),
    Theme(
        "staff_attitude",
        "Staff attitude",
        [
            "the staff were rude and unhelpful",
            "the employee was very friendly and helpful",
            "the consultant was impolite to me",
            "Darbinieks bija nepieklājīgs",
            "Obsługa była niemiła i arogancka",
            "Osoblje je bilo bezobrazno",
            "Особље је било љубазно",
            "Teenindaja oli ebaviisakas",
            "Az ügyintéző udvariatlan volt",
        ],
    ),
    Theme(
        "product_quality",
        "Product quality",
        [
            "the product broke after a week",
            "poor quality, it stopped working",
            "excellent build quality, works perfectly",
            "Prece ir sliktas kvalitātes",
            "Produkt jest wadliwy i słabej jakości",
            "Proizvod je loše kvalitete i pokvario se",
            "Toode läks kiiresti katki",
            "A termék rossz minőségű, elromlott",
        ],
    ),
    Theme(
        "price_billing",
        "Price and billing",
        [
            "too expensive, the price is too high",
            "I was charged twice on my invoice",
            "wrong amount on the bill, please refund",
            "Rēķinā ir kļūda, pārāk dārgi",
            "Za drogo, błędna faktura",
            "Preskupo, pogrešan račun",
            "Arve oli vale, liiga kallis",
            "Túl drága, hibás a számla",
        ],
    ),
    Theme(
        "delivery",
        "Delivery",
        [
            "my parcel arrived late",
            "the order was never delivered",
            "the courier lost my package",
            "Sūtījums netika piegādāts laikā",
            "Przesyłka dotarła z opóźnieniem",
            "Paket nije isporučen na vrijeme",
            "Пошиљка касни",
            "Pakk jõudis hilja kohale",
            "A csomag késve érkezett meg",
        ],
    ),
    Theme(
        "communication",
        "Communication",
        [
            "nobody replied to my email",
            "I got no information about my request",
            "you never called me back as promised",
            "Neviens neatbildēja uz manu e-pastu",
            "Nikt nie odpowiedział na moją wiadomość",
            "Niko mi nije odgovorio na mejl",
            "Keegi ei vastanud mu kirjale",
            "Senki nem válaszolt az e-mailemre",
        ],
    ),
    Theme(
        "website_app",
        "Website and app",
        [
            "the app keeps crashing",
            "I cannot log in to the website",
            "the online payment page does not work",
            "Lietotne nedarbojas, nevaru pieslēgties",
            "Aplikacja ciągle się zawiesza",
            "Aplikacija se stalno ruši",
            "Апликација не ради",
            "Rakendus ei tööta, ei saa sisse logida",
            "Az alkalmazás folyton lefagy",
        ],
    ),
)

_cache_lock = threading.Lock()
# Example embeddings per theme set, so a workspace's themes are embedded once per process.
_example_cache: dict[tuple[Theme, ...], tuple[npt.NDArray[np.float32], npt.NDArray[np.int64]]] = {}


def _centre(x: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    from .sentiment import SentimentClassifier

    mu = SentimentClassifier.load_default().mean
    x = x - mu
    norm = np.linalg.norm(x, axis=1, keepdims=True)
    return (x / np.maximum(norm, 1e-6)).astype(np.float32)


#: Embeddings of the default themes' phrases, shipped so the first ``analyse`` call does not
#: spend ~1 s embedding them; written by bench/train_sentiment.py.
PHRASES_FILE = "models/theme_phrases.npz"
_shipped: dict[str, npt.NDArray[np.float32]] | None = None


def phrase_key(phrase: str) -> str:
    return hashlib.sha1(phrase.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]


def _shipped_phrases() -> dict[str, npt.NDArray[np.float32]]:
    global _shipped
    if _shipped is None:
        table: dict[str, npt.NDArray[np.float32]] = {}
        try:
            raw = resources.files("kliento.text").joinpath(PHRASES_FILE).read_bytes()
            z = np.load(BytesIO(raw))
            table = dict(zip(z["keys"].tolist(), z["vecs"].astype(np.float32), strict=True))
        except (FileNotFoundError, OSError, KeyError, ValueError):
            table = {}
        _shipped = table
    return _shipped


def default_phrases() -> list[str]:
    return [p for t in DEFAULT_THEMES for p in (t.name, *t.examples)]


def embed_phrases(phrases: list[str]) -> npt.NDArray[np.float32]:
    """Embeddings of theme phrases, from the shipped table where possible."""
    from .embedding import DIM, embed

    shipped = _shipped_phrases()
    out = np.zeros((len(phrases), DIM), np.float32)
    missing = [i for i, p in enumerate(phrases) if phrase_key(p) not in shipped]
    for i, p in enumerate(phrases):
        if i not in missing:
            out[i] = shipped[phrase_key(p)]
    if missing:
        out[missing] = embed([phrases[i] for i in missing])
    return out


def _theme_matrix(
    themes: tuple[Theme, ...],
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int64]]:
    with _cache_lock:
        hit = _example_cache.get(themes)
    if hit is not None:
        return hit
    phrases: list[str] = []
    owner: list[int] = []
    for i, theme in enumerate(themes):
        for ex in [theme.name, *theme.examples]:
            if ex.strip():
                phrases.append(ex.strip())
                owner.append(i)
    mat = _centre(embed_phrases(phrases))
    result = (mat, np.array(owner, dtype=np.int64))
    with _cache_lock:
        if len(_example_cache) > 64:
            _example_cache.clear()
        _example_cache[themes] = result
    return result


def theme_scores(
    embeddings: npt.NDArray[np.float32], themes: Sequence[Theme]
) -> npt.NDArray[np.float32]:
    """Best centred cosine similarity of each text (row) to each theme's examples (column)."""
    ts = tuple(themes)
    out = np.zeros((embeddings.shape[0], len(ts)), dtype=np.float32)
    if not ts or embeddings.shape[0] == 0:
        return out
    mat, owner = _theme_matrix(ts)
    if mat.shape[0] == 0:
        return out
    sims = _centre(embeddings) @ mat.T
    for j in range(len(ts)):
        cols = owner == j
        if cols.any():
            out[:, j] = sims[:, cols].max(axis=1)
    return out


def match_themes(
    embeddings: npt.NDArray[np.float32],
    themes: Sequence[Theme],
    *,
    threshold: float = THEME_THRESHOLD,
    margin: float = THEME_MARGIN,
    limit: int = MAX_THEMES,
) -> list[list[tuple[str, float]]]:
    """Per text, the (theme key, score) pairs at or above ``threshold``, best first.

    Scores are centred cosine similarities (-1..1; see :data:`THEME_THRESHOLD`).
    """
    ts = tuple(themes)
    scores = theme_scores(embeddings, ts)
    result: list[list[tuple[str, float]]] = []
    for i in range(scores.shape[0]):
        if not np.any(embeddings[i]):
            result.append([])
            continue
        order = np.argsort(-scores[i], kind="stable")
        floor = max(threshold, float(scores[i, order[0]]) - margin)
        row = [(ts[j].key, round(float(scores[i, j]), 4)) for j in order if scores[i, j] >= floor]
        result.append(row[:limit])
    return result
