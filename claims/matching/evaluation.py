"""Reading the CLEF-2020 CheckThat! Task 2 files and scoring a ranking (MAP@k).

Used by scripts/evaluate_matching.py and scripts/build_matching_encoder.py;
the data itself is research-use only and never ships with the app.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class Split:
    """Queries and, for each, the positions of the documents that answer it."""

    texts: list[str]
    relevant: list[frozenset[int]]


@dataclass(frozen=True)
class ClaimMatchingData:
    documents: list[str]  # f"{vclaim} {title}", as the lab and the issue define them
    train: Split
    dev: Split


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        return list(reader)


def load(directory: Path) -> ClaimMatchingData:
    verified = _rows(directory / "verified_claims.tsv")
    position = {row[0]: i for i, row in enumerate(verified)}

    def split(name: str) -> Split:
        relevant: dict[str, set[int]] = {}
        for query_id, vclaim_id in _rows(directory / f"{name}_qrels.tsv"):
            relevant.setdefault(query_id, set()).add(position[vclaim_id])
        queries = _rows(directory / f"{name}_queries.tsv")
        return Split(
            texts=[text for _, text in queries],
            relevant=[frozenset(relevant[query_id]) for query_id, _ in queries],
        )

    return ClaimMatchingData(
        documents=[f"{vclaim} {title}" for _, vclaim, title in verified],
        train=split("train"),
        dev=split("dev"),
    )


def average_precision(ranked: Sequence[int], relevant: frozenset[int], k: int = 5) -> float:
    """AP@k of one ranking, divided by the number of relevant documents as the lab's scorer does."""
    hits = 0
    total = 0.0
    for rank, position in enumerate(ranked[:k], start=1):
        if position in relevant:
            hits += 1
            total += hits / rank
    return total / len(relevant) if relevant else 0.0


def mean_average_precision(
    rankings: Sequence[Sequence[int]], relevant: Sequence[frozenset[int]], k: int = 5
) -> float:
    pairs = zip(rankings, relevant, strict=True)
    return float(np.mean([average_precision(r, s, k) for r, s in pairs]))


def folds(count: int, n_folds: int, seed: int = 0) -> np.ndarray:
    """A fold number for each of ``count`` queries, shuffled, sizes within one."""
    return np.random.default_rng(seed).permutation(count) % n_folds


def ranking_against_answer(scores: np.ndarray, relevant: frozenset[int], k: int = 5) -> list[int]:
    """Top-k by ``scores`` with every tie broken against the relevant documents.

    The pessimistic reading of a ranking: some fact-checks are archived
    twice with the same text, and the engine's tie rule (archive order) must
    not get credit for guessing which copy the answer key names.
    """
    is_relevant = np.zeros(len(scores), dtype=np.int8)
    is_relevant[sorted(relevant)] = 1
    return np.lexsort((is_relevant, -scores))[:k].tolist()


def ranking(index, query: str, vector: np.ndarray, k: int = 5) -> list[int]:
    """Top-k positions of ``index`` (a MatchIndex) for a query and its encoder vector."""
    return [m.position for m in index.search_vector(query, vector, k=k)]


def cross_validate(
    index,
    split: Split,
    query_vectors: np.ndarray,
    *,
    n_folds: int,
    steps: Sequence[int],
    lexical_weights: Sequence[float],
    learning_rate: float,
) -> dict[tuple[int, float], list[float]]:
    """MAP@5 of each fold for each (training steps, lexical weight).

    Each fold's head is trained on the other folds only (one run per fold,
    read off after each number of ``steps``), so a fold's queries never reach
    the head that scores them. ``index`` is a MatchIndex over the documents.
    """
    from .adapter import training_steps

    fold_of = folds(len(split.texts), n_folds)
    results: dict[tuple[int, float], list[float]] = {
        (s, w): [] for s in steps for w in lexical_weights
    }
    for fold in range(n_folds):
        train_rows = np.flatnonzero(fold_of != fold)
        test_rows = np.flatnonzero(fold_of == fold)
        pairs = [(i, d) for i in train_rows for d in sorted(split.relevant[i])]
        run = training_steps(
            query_vectors[[i for i, _ in pairs]],
            [d for _, d in pairs],
            index._vectors,
            learning_rate,
            max(steps),
        )
        for step, adapter in run:
            if step not in steps:
                continue
            for weight in lexical_weights:
                head = index.with_head(replace(adapter, lexical_weight=weight))
                rankings = [ranking(head, split.texts[i], query_vectors[i]) for i in test_rows]
                results[(step, weight)].append(
                    mean_average_precision(rankings, [split.relevant[i] for i in test_rows])
                )
    return results
