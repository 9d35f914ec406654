"""Character n-gram features hashed into a fixed table, and the linear model over them.

This is the second, language-specific half of the sentiment model: e5 embeddings generalise
across languages but miss domain words and spelling; n-grams catch those. Pure Python + numpy:
crc32 of each n-gram picks a row of a (n_features, 3) weight table.
"""

from __future__ import annotations

import threading
import zlib
from importlib import resources
from io import BytesIO

import numpy as np
import numpy.typing as npt

NGRAM_SIZES = (2, 3, 4, 5)
N_FEATURES = 2**18
MODEL_FILE = "models/ngram.npz"


IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float32]


def ngram_counts(text: str, n_features: int = N_FEATURES) -> tuple[IntArray, FloatArray]:
    """(feature ids, L2-normalised counts) of ``text``; empty arrays for empty text."""
    t = " " + " ".join(text.lower().split()) + " "
    if len(t) <= 2:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    mask = n_features - 1
    ids: list[int] = []
    for n in NGRAM_SIZES:
        for i in range(len(t) - n + 1):
            ids.append(zlib.crc32(t[i : i + n].encode("utf-8")) & mask)
    uniq, counts = np.unique(np.asarray(ids, np.int64), return_counts=True)
    vals = counts.astype(np.float32)
    vals /= np.float32(np.sqrt((vals * vals).sum()))
    return uniq, vals


class NgramModel:
    """Multinomial logistic regression over hashed n-grams (weights trained offline)."""

    def __init__(self, weights: npt.NDArray[np.float32], bias: npt.NDArray[np.float32]) -> None:
        self.weights = weights  # (n_features, 3)
        self.bias = bias  # (3,)
        self.n_features = int(weights.shape[0])

    def logits(self, texts: list[str]) -> npt.NDArray[np.float32]:
        out = np.zeros((len(texts), self.weights.shape[1]), np.float32)
        for i, text in enumerate(texts):
            ids, vals = ngram_counts(text, self.n_features)
            if len(ids):
                out[i] = vals @ self.weights[ids]
        return out + self.bias

    def to_npz(self) -> bytes:
        buf = BytesIO()
        np.savez_compressed(buf, weights=self.weights.astype(np.float16), bias=self.bias)
        return buf.getvalue()

    @classmethod
    def from_npz(cls, data: bytes) -> NgramModel:
        z = np.load(BytesIO(data))
        return cls(z["weights"].astype(np.float32), z["bias"].astype(np.float32))


_lock = threading.Lock()
_model: NgramModel | None = None


def get_ngram_model() -> NgramModel:
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                data = resources.files("kliento.text").joinpath(MODEL_FILE).read_bytes()
                _model = NgramModel.from_npz(data)
    return _model
