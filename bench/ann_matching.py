"""How far an inverted-file (IVF) index gets from exact dense search: recall and scan share.

    .venv/bin/python bench/ann_matching.py [--data DIR] [--lists 100]

The plan for archives of a million entries (docs/performance.md, "Matching")
replaces the exact dense scan with an ANN index. This measures the simplest
one, IVF, on real data: k-means (numpy, 25 rounds) cuts the 10,375 Snopes
fact-check vectors into --lists cells; a query (all 997 train and dev
tweets, through the shipped head) scans only the ``probe`` cells whose
centroids are closest. Prints, for each probe count, the recall@5 of the
exact dense top 5 and the share of vectors scanned. Needs the vectors cached
by scripts/evaluate_matching.py (or it encodes them: minutes).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT.parent / "shared" / "data" / "claim-matching"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from evaluate_matching import cached_encode  # noqa: E402, I001

from claims.encoder import get_encoder  # noqa: E402
from claims.matching import evaluation as E  # noqa: E402
from claims.matching.index import shipped_adapter  # noqa: E402


def kmeans(vectors: np.ndarray, lists: int, rounds: int = 25) -> tuple[np.ndarray, np.ndarray]:
    """Spherical k-means: unit centroids, cosine assignment."""
    rng = np.random.default_rng(0)
    centroids = vectors[rng.choice(len(vectors), lists, replace=False)].copy()
    for _ in range(rounds):
        assign = np.argmax(vectors @ centroids.T, axis=1)
        for c in range(lists):
            members = vectors[assign == c]
            if len(members):
                mean = members.sum(axis=0)
                centroids[c] = mean / np.linalg.norm(mean)
    return centroids, np.argmax(vectors @ centroids.T, axis=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA_DIR)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "matching-eval")
    parser.add_argument("--lists", type=int, default=100)
    args = parser.parse_args(argv)
    data = E.load(args.data)
    encoder = get_encoder()
    documents = cached_encode(encoder, data.documents, args.cache, "documents")
    queries = np.vstack(
        [
            cached_encode(encoder, data.train.texts, args.cache, "train"),
            cached_encode(encoder, data.dev.texts, args.cache, "dev"),
        ]
    )
    queries = shipped_adapter().apply(queries)
    centroids, assign = kmeans(documents, args.lists)
    exact = np.argsort(-(queries @ documents.T), axis=1)[:, :5]
    nearest_cells = np.argsort(-(queries @ centroids.T), axis=1)
    print(f"IVF over {len(documents):,} real vectors, {args.lists} cells, {len(queries)} queries")
    for probe in (1, 2, 4, 8, 16, 32):
        found = 0
        scanned = 0
        for q, cells in enumerate(nearest_cells[:, :probe]):
            members = np.flatnonzero(np.isin(assign, cells))
            scanned += len(members)
            top = members[np.argsort(-(documents[members] @ queries[q]))[:5]]
            found += len(set(top.tolist()) & set(exact[q].tolist()))
        print(
            f"  probe {probe:>2} cells: recall@5 {found / exact.size:.3f}, "
            f"scans {scanned / len(queries) / len(documents):.1%} of the vectors"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
