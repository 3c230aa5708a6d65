"""Training the distilled head (scikit-learn). embedding.py says what it computes.

The teacher's outputs come from ``scripts/teacher_checkworthiness.py`` (it
needs PyTorch and the MiniLM weights, so it runs apart and its results are
committed as ``scripts/checkworthiness_teacher.npz``): each word's MiniLM
vector, and the logits of five fine-tuned classifiers for every training
sentence, one per ClaimBuster cross-validation fold (trained without that
fold), plus their mean. The student regresses those logits;
it never sees a label, so CLEF sentences serve as extra unlabelled input.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.neural_network import MLPRegressor

from . import features as F
from .embedding import sentence_means, sif_weights

SEED = 20240517
SIF_A = 1e-3
HIDDEN = (128, 64)
RANK = 64  # the first layer is cut to this rank and folded into the word table
ALPHA = 1e-3  # L2 penalty of the network
FINAL = -1  # the teacher row the final student learns from: the five folds' mean


def corpus_digest(cb_texts: list[str], cl_texts: list[str]) -> str:
    """Identifies the training sentences a teacher file was made for."""
    h = hashlib.sha256()
    for t in [*cb_texts, "\x00", *cl_texts]:
        h.update(t.encode("utf-8", "surrogatepass") + b"\n")
    return h.hexdigest()


@dataclass
class Teacher:
    words: list[str]
    vectors: np.ndarray  # (words, dim) float64, MiniLM vector of each word alone
    doc_freq: np.ndarray  # sentences of both corpora each word occurs in
    folds: np.ndarray  # ClaimBuster fold of each row, as training.py splits them
    cb_logits: np.ndarray  # (folds + 1, ClaimBuster rows); last row: the folds' mean
    cl_logits: np.ndarray  # (folds + 1, CLEF rows)

    @classmethod
    def load(cls, path: Path, cb_texts: list[str], cl_texts: list[str]) -> Teacher:
        with np.load(path, allow_pickle=False) as z:
            digest = z["digest"].tobytes().decode()
            if digest != corpus_digest(cb_texts, cl_texts):
                raise ValueError(
                    f"{path} was made from other training data: run scripts/teacher_checkworthiness.py again"
                )
            return cls(
                z["words"].tobytes().decode("utf-8").split("\n"),
                z["vectors"].astype(np.float64) * float(z["vector_scale"][0]),
                z["doc_freq"].astype(np.float64),
                z["folds"].astype(int),
                z["cb_logits"].astype(np.float64),
                z["cl_logits"].astype(np.float64),
            )

    def rows_for(self, vocab: F.Vocab) -> tuple[np.ndarray, np.ndarray]:
        """SIF weight and vector of each unigram of ``vocab`` (0 if the teacher lacks it)."""
        index = {w: i for i, w in enumerate(self.words)}
        weights = sif_weights(self.doc_freq, SIF_A)
        w = np.zeros(vocab.n_unigrams)
        v = np.zeros((vocab.n_unigrams, self.vectors.shape[1]))
        for uid, term in enumerate(vocab.terms()):
            if (i := index.get(term)) is not None:
                w[uid], v[uid] = weights[i], self.vectors[i]
        return w, v


def table(weights: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """The (d + 1, words + 1) layout sentence_means reads."""
    out = np.zeros((vectors.shape[1] + 1, len(weights) + 1))
    out[:-1, :-1] = (weights[:, None] * vectors).T
    out[-1, :-1] = weights
    return out


def sentence_matrix(texts: list[str], vocab: F.Vocab, full_table: np.ndarray) -> np.ndarray:
    """Mean word vector of each sentence, as inference computes it."""
    return sentence_means(F.encode(texts, vocab).ids, full_table)


@dataclass
class FittedStudent:
    """The network with its first layer cut to RANK and standardisation folded in."""

    project: np.ndarray  # (dim, RANK): word vector -> first-layer input
    weights: list[np.ndarray]  # first-layer (RANK, h1), then the rest as fitted
    biases: list[np.ndarray]

    def logits(self, S: np.ndarray) -> np.ndarray:
        h = S @ self.project
        for w, b in zip(self.weights[:-1], self.biases[:-1], strict=True):
            h = np.maximum(h @ w + b, 0.0)
        return (h @ self.weights[-1]).ravel() + self.biases[-1][0]

    def export(self, weights: np.ndarray, vectors: np.ndarray) -> dict[str, np.ndarray]:
        """The artifact's student arrays: the word table already projected."""
        out = {"student_table": table(weights, vectors @ self.project).astype(np.float32)}
        for i, (wt, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            out[f"student_w{i}"] = wt.astype(np.float32)
            out[f"student_b{i}"] = np.asarray(b, dtype=np.float64)
        return out


def fit_student(S: np.ndarray, target: np.ndarray) -> FittedStudent:
    mean = S.mean(axis=0)
    scale = S.std(axis=0) + 1e-6
    mlp = MLPRegressor(
        hidden_layer_sizes=HIDDEN, alpha=ALPHA, max_iter=200, early_stopping=True, random_state=SEED
    ).fit((S - mean) / scale, target)
    # W1 ~ U_r diag(s_r) V_r^T. Since (S - mean) / scale @ W1 is then
    # S @ project @ V_r^T + const, the projection goes into the word table.
    u, s, vt = np.linalg.svd(mlp.coefs_[0], full_matrices=False)
    us = u[:, :RANK] * s[:RANK]
    project = us / scale[:, None]
    first_bias = mlp.intercepts_[0] - ((mean / scale) @ us) @ vt[:RANK]
    return FittedStudent(
        project,
        [vt[:RANK], *mlp.coefs_[1:]],
        [first_bias, *mlp.intercepts_[1:]],
    )
