"""Check-worthiness scoring at inference time: numpy only, no scikit-learn.

Reads the artifact written by training.py (``model.npz`` next to this file),
once, lazily, and caches it for the life of the process. The computation
mirrors scikit-learn exactly: sublinear TF-IDF per feature group, L2
normalisation per group, two linear heads, then the stage-2 logistic
regression over own and neighbouring logits plus hand features.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

import numpy as np

from . import features as F

MODEL_PATH = Path(__file__).with_name("model.npz")

_lock = threading.Lock()
_cache: dict[Path, "Model"] = {}


@dataclass(frozen=True)
class _Group:
    vocab: dict[str, int]
    idf: np.ndarray  # (V,)
    coef: np.ndarray  # (V, heads)


def _decode_vocab(blob: np.ndarray) -> dict[str, int]:
    terms = blob.tobytes().decode("utf-8").split("\n")
    return dict(zip(terms, range(len(terms))))


class Model:
    """A loaded scorer. Use :func:`get_model` rather than building one."""

    def __init__(self, path: Path) -> None:
        with np.load(path, allow_pickle=False) as z:
            self.word = _Group(_decode_vocab(z["vocab_w"]), z["idf_w"].astype(np.float64), z["coef_w"].astype(np.float64))
            self.char = _Group(_decode_vocab(z["vocab_c"]), z["idf_c"].astype(np.float64), z["coef_c"].astype(np.float64))
            self.intercept = z["intercept"].astype(np.float64)
            self.stack_mean = z["stack_mean"]
            self.stack_scale = z["stack_scale"]
            self.stack_coef = z["stack_coef"]
            self.stack_intercept = float(z["stack_intercept"][0])
            self.cut = float(z["cut"][0])
            self.metrics = json.loads(z["metrics_json"].tobytes().decode("utf-8"))

    def _group_logits(self, group: _Group, docs: list[list[str]]) -> np.ndarray:
        """Sum over one feature group of tfidf/||tfidf|| * coef, per sentence."""
        n = len(docs)
        get = group.vocab.get
        ids: list[int] = []
        lengths = np.empty(n, dtype=np.int64)
        for i, feats in enumerate(docs):
            before = len(ids)
            ids.extend(map(get, feats, repeat(-1)))
            lengths[i] = len(ids) - before
        out = np.zeros((n, group.coef.shape[1]))
        if not ids:
            return out
        idx = np.asarray(ids, dtype=np.int64)
        rows = np.repeat(np.arange(n, dtype=np.int64), lengths)
        known = idx >= 0
        idx, rows = idx[known], rows[known]
        if idx.size == 0:
            return out
        # Count each (sentence, feature) pair once: sublinear tf = 1 + ln(count).
        keys, counts = np.unique(rows * len(group.idf) + idx, return_counts=True)
        rows, idx = np.divmod(keys, len(group.idf))
        vals = (1.0 + np.log(counts)) * group.idf[idx]
        norms = np.sqrt(np.bincount(rows, weights=vals * vals, minlength=n))
        vals = vals / norms[rows]
        for h in range(out.shape[1]):
            out[:, h] = np.bincount(rows, weights=vals * group.coef[idx, h], minlength=n)
        return out

    def first_stage(self, sentences: list[str]) -> tuple[np.ndarray, np.ndarray]:
        words, chars, hand = [], [], []
        for s in sentences:
            w, c, h = F.featurise(s)
            words.append(w)
            chars.append(c)
            hand.append(h)
        logits = self._group_logits(self.word, words) + self._group_logits(self.char, chars)
        logits += self.intercept
        return logits, np.asarray(hand, dtype=np.float64).reshape(len(sentences), len(F.HAND_NAMES))

    def score(self, sentences: list[str]) -> np.ndarray:
        if not sentences:
            return np.zeros(0)
        logits, hand = self.first_stage(sentences)
        z = (F.context_matrix(logits, hand) - self.stack_mean) / self.stack_scale
        margin = z @ self.stack_coef + self.stack_intercept
        # Numerically safe sigmoid; clip keeps the result inside [0, 1].
        return np.clip(0.5 * (1.0 + np.tanh(0.5 * margin)), 0.0, 1.0)


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
    return [float(x) for x in get_model().score(list(sentences))]


def checkworthy_cut() -> float:
    """The score at or above which a sentence counts as check-worthy."""
    return get_model().cut
