"""Check-worthiness scoring at inference time: numpy only, no scikit-learn.

Reads the artifact written by training.py (``model.npz`` next to this file),
once, lazily, and caches it for the life of the process. The computation
mirrors training exactly: sublinear TF-IDF over word n-grams, idf-weighted
hashed char n-grams (features.char_block), each group L2-normalised, two
linear heads and the distilled head
(embedding.py), then the stage-2 logistic regression over own and
neighbouring logits plus hand features.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np

from . import features as F
from .embedding import Student

MODEL_PATH = Path(__file__).with_name("model.npz")

_lock = threading.Lock()
_cache: dict[Path, Model] = {}


class Model:
    """A loaded scorer. Use :func:`get_model` rather than building one."""

    def __init__(self, path: Path) -> None:
        with np.load(path, allow_pickle=False) as z:
            terms = z["unigrams"].tobytes().decode("utf-8").split("\n")
            self.vocab = F.Vocab.from_terms(terms, z["bigram_keys"])
            # Fold idf into the weights once: a block logit is then
            # sum(weighted[f]) / sqrt(sum(idf2[f])) over the occurrences f.
            idf_w = z["idf_w"].astype(np.float64)
            self.word_idf2 = idf_w * idf_w
            self.word_weighted = np.ascontiguousarray((idf_w[:, None] * z["coef_w"]).T)
            # Char table: idf**2 and idf*coef per head, plus an all-zero last
            # row for windows that cross sentences (features.char_logits).
            idf_c = z["idf_c"].astype(np.float64)
            coef_c = z["coef_c"].astype(np.float64)
            table = np.zeros((len(idf_c) + 1, 1 + coef_c.shape[1]), dtype=np.float32)
            table[:-1, 0] = idf_c * idf_c
            table[:-1, 1:] = idf_c[:, None] * coef_c
            self.char_table = table
            self.intercept = z["intercept"].astype(np.float64)
            self.student = Student.from_npz(z)
            if self.student is not None and self.student.table.shape[1] != self.vocab.n_unigrams + 1:
                raise ValueError(f"{path}: the student table does not match the vocabulary")
            self.stack_mean = z["stack_mean"]
            self.stack_scale = z["stack_scale"]
            self.stack_coef = z["stack_coef"]
            self.stack_intercept = float(z["stack_intercept"][0])
            self.cut = float(z["cut"][0])
            self.metrics = json.loads(z["metrics_json"].tobytes().decode("utf-8"))

    def encode(self, sentences: list[str]) -> F.Encoded:
        return F.encode(sentences, self.vocab)

    def first_stage(self, enc: F.Encoded) -> tuple[np.ndarray, np.ndarray]:
        """Per-head logits (n, heads) and hand features (n, k)."""
        rows, ids = F.word_occurrences(enc, self.vocab)
        logits = F.block_logits(rows, ids, self.word_idf2, self.word_weighted, enc.n)
        logits += F.char_logits(enc.text, self.char_table, enc.n)
        logits += self.intercept
        if self.student is not None:
            logits = np.column_stack([logits, self.student.logits(enc)])
        return logits, F.hand_features(enc, self.vocab)

    def score_encoded(self, enc: F.Encoded) -> np.ndarray:
        if enc.n == 0:
            return np.zeros(0)
        logits, hand = self.first_stage(enc)
        z = (F.context_matrix(logits, hand) - self.stack_mean) / self.stack_scale
        margin = z @ self.stack_coef + self.stack_intercept
        # Numerically safe sigmoid; clip keeps the result inside [0, 1].
        return np.clip(0.5 * (1.0 + np.tanh(0.5 * margin)), 0.0, 1.0)

    def score(self, sentences: list[str]) -> np.ndarray:
        return self.score_encoded(self.encode(list(sentences)))


def get_model(path: Path = MODEL_PATH) -> Model:
    """The process-wide model, loaded on first use."""
    model = _cache.get(path)
    if model is None:
        with _lock:
            model = _cache.get(path)
            if model is None:
                model = _cache[path] = Model(path)
    return model


def score_sentences(sentences: list[str]) -> list[float]:
    """Check-worthiness in 0..1 of consecutive sentences of one text."""
    return get_model().score(list(sentences)).tolist()


def checkworthy_cut() -> float:
    """The score at or above which a sentence counts as check-worthy."""
    return get_model().cut
