"""The matcher's head: its numpy training really learns a query map."""

from __future__ import annotations

import numpy as np
import pytest

from claims.matching.adapter import QueryAdapter, train_adapter


def unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def test_training_maps_queries_onto_their_documents():
    rng = np.random.default_rng(1)
    documents = unit(rng.standard_normal((40, 16)))
    # Queries are their document seen through a fixed rotation plus noise:
    # plain cosine mostly misses, a learned linear map recovers it.
    rotation, _ = np.linalg.qr(rng.standard_normal((16, 16)))
    targets = rng.integers(0, 40, size=120)
    queries = unit(documents[targets] @ rotation + 0.05 * rng.standard_normal((120, 16)))

    def accuracy(adapter: QueryAdapter) -> float:
        return float(np.mean(np.argmax(adapter.apply(queries) @ documents.T, axis=1) == targets))

    before = accuracy(QueryAdapter.identity(16))
    after = accuracy(train_adapter(queries, targets, documents, steps=300, learning_rate=1e-2))
    assert before < 0.3
    assert after > 0.9


def test_identity_head_and_saved_head(tmp_path):
    vectors = unit(np.random.default_rng(2).standard_normal((3, 8)))
    assert np.allclose(QueryAdapter.identity(8).apply(vectors), vectors)
    head = QueryAdapter(np.eye(8, dtype=np.float32) * 0.5, lexical_weight=0.25)
    head.save(tmp_path / "head.npz", steps="10")
    loaded = QueryAdapter.load(tmp_path / "head.npz")
    assert loaded.lexical_weight == pytest.approx(0.25)
    assert np.allclose(loaded.apply(vectors), head.apply(vectors))
    assert np.allclose(np.linalg.norm(loaded.apply(vectors), axis=1), 1.0, atol=1e-6)
