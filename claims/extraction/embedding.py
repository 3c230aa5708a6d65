"""The distilled head: static word vectors and a small network, numpy only.

Bag-of-n-gram heads know only the words they saw in training. This head
brings in what a pretrained sentence encoder knows about words: every word
of the training vocabulary has a vector (MiniLM's output for the word on its
own), and a sentence is the weighted mean of its words' vectors (weights
``a / (a + p(word))``, Arora et al.'s "SIF", so frequent words count less).
A two-layer network maps that mean to the logit of a MiniLM classifier
fine-tuned on ClaimBuster (the teacher, ``scripts/teacher_checkworthiness.py``):
it learns to imitate the teacher on some 24,000 debate sentences.

Nothing here needs the teacher at run time. The words are the scorer's
unigram vocabulary, so the token ids features.encode already computed index
the table. The network's first layer is low-rank and folded into the table
at export (each word stores its vector already projected to ``rank``
dimensions, times its weight), so a sentence costs one gather per token, one
``np.add.reduceat`` and two small matrix products.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .features import SEP_ID, Encoded


def sentence_means(ids: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Weighted mean of the word vectors of each sentence of a batch.

    ``ids`` are the batch's token ids (features.encode: SEP_ID between
    sentences, UNKNOWN_ID for unknown words). ``table`` is (d + 1, words + 1),
    column i for unigram id i: ``weight * vector`` then ``weight``, and a last
    all-zero column for unknown words and separators. (Columns, not rows:
    gathering and summing along the last axis is several times faster.) A
    sentence without a known word gets the zero vector.
    """
    zero = table.shape[1] - 1
    # One leading zero column makes every sentence's run non-empty (the first
    # may have no tokens; later ones start at their separator's zero column).
    cols = np.concatenate([[zero], np.where(ids >= 0, ids, zero)])
    starts = np.concatenate([[0], np.flatnonzero(ids == SEP_ID) + 1])
    sums = np.add.reduceat(np.take(table, cols, axis=1), starts, axis=1).T
    weight = sums[:, -1:]
    return np.divide(sums[:, :-1], weight, out=np.zeros_like(sums[:, :-1]), where=weight > 0)


def sif_weights(doc_freq: np.ndarray, a: float) -> np.ndarray:
    """``a / (a + p)`` with p a word's share of all word occurrences."""
    p = doc_freq / max(float(doc_freq.sum()), 1.0)
    return a / (a + p)


@dataclass(frozen=True, eq=False)
class Student:
    """The exported head: projected word table, then ReLU layers, then a logit."""

    table: np.ndarray  # (rank + 1, unigrams + 1) float32, see sentence_means
    layers: tuple[tuple[np.ndarray, np.ndarray], ...]  # (W, b) of each ReLU layer
    out_w: np.ndarray
    out_b: float

    @classmethod
    def from_arrays(
        cls, table: np.ndarray, weights: list[np.ndarray], biases: list[np.ndarray]
    ) -> Student:
        # float32 throughout: twice the speed of float64, and the scores
        # agree with training to ~1e-6.
        layers = tuple(
            (w.astype(np.float32), b.astype(np.float32))
            for w, b in zip(weights[:-1], biases[:-1], strict=True)
        )
        return cls(
            np.ascontiguousarray(table, dtype=np.float32),
            layers,
            weights[-1].astype(np.float32).ravel(),
            float(biases[-1][0]),
        )

    @classmethod
    def from_npz(cls, z: np.lib.npyio.NpzFile) -> Student | None:
        """The student stored in a model artifact, or None if it has none."""
        if "student_table" not in z:
            return None
        n = sum(1 for k in z.files if k.startswith("student_w") and k[9:].isdigit())
        return cls.from_arrays(
            z["student_table"],
            [z[f"student_w{i}"] for i in range(n)],
            [z[f"student_b{i}"] for i in range(n)],
        )

    def logits(self, enc: Encoded) -> np.ndarray:
        h = sentence_means(enc.ids, self.table)
        for w, b in self.layers:
            h = np.maximum(h @ w + b, 0.0)
        return h @ self.out_w + self.out_b
