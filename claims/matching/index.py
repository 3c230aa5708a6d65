"""The match index: dense cosine fused with TF-IDF cosine, exact search."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from claims.encoder import DIM, get_encoder

from .adapter import QueryAdapter
from .lexical import LexicalIndex
from .text import clean_text


@cache
def shipped_adapter() -> QueryAdapter:
    """The trained head (claims/matching/adapter.npz, scripts/train_matching_adapter.py)."""
    return QueryAdapter.load()


@dataclass(frozen=True, slots=True)
class Match:
    """One hit: ``position`` indexes the texts the index was built from."""

    position: int
    score: float


def encode_texts(texts: Sequence[str]) -> np.ndarray:
    """The vectors :class:`MatchIndex` keeps for ``texts``: (n, DIM) float32, unit length."""
    return get_encoder().encode([clean_text(t) for t in texts])


def vectors_to_bytes(vectors: np.ndarray) -> list[bytes]:
    """One little-endian float32 blob per row, for a database column."""
    rows = np.ascontiguousarray(vectors, dtype="<f4")
    return [row.tobytes() for row in rows]


def vectors_from_bytes(blobs: Sequence[bytes]) -> np.ndarray:
    """The inverse of :func:`vectors_to_bytes`: (len(blobs), DIM) float32."""
    if not blobs:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.frombuffer(b"".join(blobs), dtype="<f4").reshape(len(blobs), DIM).astype(np.float32)


class MatchIndex:
    """Texts to search, with their vectors and a word index. Immutable once built."""

    def __init__(
        self, texts: Sequence[str], vectors: np.ndarray, head: QueryAdapter | None = None
    ) -> None:
        self.adapter = head or shipped_adapter()
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.shape != (len(texts), DIM):
            raise ValueError(
                f"expected vectors of shape ({len(texts)}, {DIM}), got {vectors.shape}"
            )
        self._vectors = np.ascontiguousarray(vectors)
        self._lexical = LexicalIndex([clean_text(t) for t in texts])

    @classmethod
    def build(cls, texts: Sequence[str]) -> MatchIndex:
        """Encode ``texts`` and index them."""
        return cls(texts, encode_texts(texts))

    @classmethod
    def from_vectors(
        cls, texts: Sequence[str], vectors: np.ndarray, head: QueryAdapter | None = None
    ) -> MatchIndex:
        """Index ``texts`` with vectors stored earlier by :func:`encode_texts`.

        ``head`` replaces the shipped head (for training and baselines).
        """
        return cls(texts, vectors, head)

    def with_head(self, adapter: QueryAdapter) -> MatchIndex:
        """The same texts and vectors scored with another head (for tuning)."""
        other = copy.copy(self)
        other.adapter = adapter
        return other

    def __len__(self) -> int:
        return self._vectors.shape[0]

    def search(self, query: str, k: int = 5, min_score: float = 0.0) -> list[Match]:
        """The ``k`` closest texts to ``query``, best first, each scoring >= ``min_score``.

        An empty index, a query with no words or ``k < 1`` give no matches.
        """
        query = clean_text(query)
        if len(self) == 0 or k < 1 or not any(c.isalnum() for c in query):
            return []
        return self.search_vector(query, encode_texts([query])[0], k, min_score)

    def search_vector(
        self, query: str, vector: np.ndarray, k: int = 5, min_score: float = 0.0
    ) -> list[Match]:
        """:meth:`search` with the query's vector from :func:`encode_texts` already computed."""
        if len(self) == 0 or k < 1:
            return []
        scores = self.scores(query, vector)
        k = min(k, len(scores))
        # Everything scoring at least the k-th best, then equal scores (the
        # same text archived twice) in archive order, so results never
        # depend on the sort's whims.
        kth = np.partition(scores, len(scores) - k)[len(scores) - k]
        candidates = np.flatnonzero(scores >= kth)
        top = candidates[np.lexsort((candidates, -scores[candidates]))][:k]
        return [Match(int(i), float(scores[i])) for i in top if scores[i] >= min_score]

    def scores(self, query: str, vector: np.ndarray) -> np.ndarray:
        """The fused score (0..1) of ``query`` (and its encoder vector) against every text.

        ``(max(cosine, 0) + w * tfidf_cosine) / (1 + w)``, the cosine taken
        after the head's query map, ``w`` the head's lexical weight (both
        chosen by cross-validation on the training queries, docs/matching.md).
        """
        dense = self._vectors @ self.adapter.apply(vector)
        np.maximum(dense, 0.0, out=dense)
        lexical = self._lexical.scores(clean_text(query))
        weight = self.adapter.lexical_weight
        fused = (dense + weight * lexical) / (1.0 + weight)
        return np.clip(fused, 0.0, 1.0, out=fused)
