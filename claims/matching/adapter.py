"""The matcher's task head: a learned linear map of query vectors (numpy only).

The shared encoder is the general all-MiniLM-L6-v2. Tweets and fact-check
headlines are worded differently, so before the cosine the query vector
goes through ``q -> normalise(q + q @ M)``, with ``M`` (DIM x DIM) learned
from training pairs. Archive vectors are left as the encoder gives them, so
retraining the head never invalidates stored vectors.

Training (``train_adapter``) minimises the cross-entropy of each training
query's true fact-check against ALL the archive's fact-checks (a softmax
over every document, scaled cosines), full batch, with Adam. With 10,000
documents that is a few seconds of numpy. Every other fact-check acts as a
negative, so it learns from the hard ones too, which is what made it beat
fine-tuning the whole network on the same 800 pairs (docs/matching.md).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ADAPTER_PATH = Path(__file__).resolve().parent / "adapter.npz"
SCALE = 20.0  # cosine -> logit in the training softmax


@dataclass(frozen=True, eq=False)
class QueryAdapter:
    """The head: the query map and the weight of the TF-IDF cosine in the fused score."""

    matrix: np.ndarray  # (dim, dim) float32
    lexical_weight: float = 0.0

    def apply(self, vectors: np.ndarray) -> np.ndarray:
        """Mapped, unit-length copies of ``vectors`` (one per row, or a single vector)."""
        vectors = np.asarray(vectors, dtype=np.float32)
        mapped = vectors + vectors @ self.matrix
        norms = np.linalg.norm(mapped, axis=-1, keepdims=True)
        return mapped / np.where(norms > 0, norms, 1.0)

    def save(self, path: Path, **meta: str) -> None:
        """Write the head; ``meta`` (how it was trained) is kept as strings beside it."""
        np.savez_compressed(
            path,
            matrix=self.matrix.astype(np.float32),
            lexical_weight=np.float64(self.lexical_weight),
            **{key: np.str_(value) for key, value in meta.items()},
        )

    @classmethod
    def load(cls, path: Path = ADAPTER_PATH) -> QueryAdapter:
        with np.load(path) as saved:
            return cls(saved["matrix"].astype(np.float32), float(saved["lexical_weight"]))

    @classmethod
    def identity(cls, dim: int, lexical_weight: float = 0.0) -> QueryAdapter:
        """No mapping: plain cosine (the baseline)."""
        return cls(np.zeros((dim, dim), dtype=np.float32), lexical_weight)


def train_adapter(
    queries: np.ndarray,
    targets: Sequence[int],
    documents: np.ndarray,
    *,
    steps: int = 100,
    learning_rate: float = 1e-3,
) -> QueryAdapter:
    """Learn ``M`` so that each ``queries[i]`` is closest to ``documents[targets[i]]``.

    ``queries`` (n, dim) and ``documents`` (N, dim) are unit-length encoder
    vectors; a query with two right answers appears twice. Deterministic:
    ``M`` starts at zero (the identity map) and the batch is everything.
    """
    last = QueryAdapter.identity(np.asarray(queries).shape[1])
    for _, head in training_steps(queries, targets, documents, learning_rate, steps):
        last = head
    return last


def training_steps(
    queries: np.ndarray,
    targets: Sequence[int],
    documents: np.ndarray,
    learning_rate: float,
    steps: int,
) -> Iterator[tuple[int, QueryAdapter]]:
    """Full-batch Adam on the softmax over all documents; yields (step, head) after each step."""
    queries = np.asarray(queries, dtype=np.float32)
    documents = np.asarray(documents, dtype=np.float32)
    targets = np.asarray(targets, dtype=np.int64)
    n, dim = queries.shape
    rows = np.arange(n)
    matrix = np.zeros((dim, dim), dtype=np.float32)
    first = np.zeros_like(matrix)
    second = np.zeros_like(matrix)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for step in range(1, steps + 1):
        mapped = queries + queries @ matrix
        norms = np.linalg.norm(mapped, axis=1, keepdims=True)
        unit = mapped / norms
        logits = SCALE * unit @ documents.T
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        probs[rows, targets] -= 1.0  # d(mean cross-entropy)/d(logits), times n
        grad_unit = (SCALE / n) * probs @ documents
        grad_mapped = (grad_unit - unit * (grad_unit * unit).sum(axis=1, keepdims=True)) / norms
        grad = queries.T @ grad_mapped
        first = beta1 * first + (1 - beta1) * grad
        second = beta2 * second + (1 - beta2) * grad * grad
        corrected_first = first / (1 - beta1**step)
        corrected_second = second / (1 - beta2**step)
        matrix -= learning_rate * corrected_first / (np.sqrt(corrected_second) + eps)
        yield step, QueryAdapter(matrix.copy())
