"""Benchmark "checked before" matching on one core: search latency, build, encoding, memory.

    .venv/bin/python bench/bench_matching.py [--data DIR] [--queries 200]

Prints one figure per line; docs/performance.md ("## Matching") quotes them.
Everything runs on ONE core (onnxruntime and BLAS limited to one thread).

Entries: the 10,375 Snopes fact-checks of ``../shared/data/claim-matching``
(read in place, never copied) when that folder exists, their vectors from the
shipped encoder (cached in /tmp by model version). The 100,000-entry archive
adds synthetic entries: each is a real entry with a third of its words
dropped and the rest shuffled, and with the real vector plus Gaussian noise,
renormalised (so the dense part scans realistic, not identical, vectors).
Without the data folder, entries are random word strings from the seed
article's vocabulary with random unit vectors.

A search is one ``MatchIndex.search(query, k=5)`` call: cleaning and
encoding the query, the dense scan, the TF-IDF scan and the top-k.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"
os.environ["FACTCHECK_ENCODER_THREADS"] = "1"

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT.parent / "shared" / "data" / "claim-matching"
sys.path.insert(0, str(ROOT))

from claims.encoder import MODEL_VERSION, get_encoder  # noqa: E402
from claims.extraction import split_sentences  # noqa: E402
from claims.matching import MatchIndex, encode_texts  # noqa: E402
from claims.matching import evaluation as E  # noqa: E402

SEED = ROOT / "claims" / "fixtures" / "seed-article.txt"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def real_entries(data_dir: Path, cache: Path) -> tuple[list[str], np.ndarray, list[str]]:
    data = E.load(data_dir)
    path = cache / f"{MODEL_VERSION}-documents.npy"  # shared with scripts/evaluate_matching.py
    if path.exists():
        vectors = np.load(path)
    else:
        vectors = encode_texts(data.documents)
        cache.mkdir(parents=True, exist_ok=True)
        np.save(path, vectors)
    return data.documents, vectors, data.dev.texts + data.train.texts


def synthetic_entries(n: int, rng: np.random.Generator) -> tuple[list[str], np.ndarray, list[str]]:
    words = sorted(set(SEED.read_text(encoding="utf-8").split()))
    texts = [" ".join(rng.choice(words, size=rng.integers(15, 35))) for _ in range(n)]
    vectors = rng.standard_normal((n, get_encoder().encode(["x"]).shape[1])).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return texts, vectors, texts[:300]


def grow(texts: list[str], vectors: np.ndarray, n: int, rng: np.random.Generator):
    """``texts``/``vectors`` plus perturbed copies up to ``n`` entries."""
    out_texts = list(texts)
    extra = []
    while len(out_texts) < n:
        i = int(rng.integers(len(texts)))
        words = texts[i].split()
        keep = rng.permutation(len(words))[: max(1, (2 * len(words)) // 3)]
        out_texts.append(" ".join(words[j] for j in keep))
        noisy = vectors[i] + rng.standard_normal(vectors.shape[1]).astype(np.float32) * 0.03
        extra.append(noisy / np.linalg.norm(noisy))
    if extra:
        vectors = np.vstack([vectors, np.asarray(extra, dtype=np.float32)])
    return out_texts[:n], vectors[:n]


def time_searches(index: MatchIndex, queries: list[str]) -> list[float]:
    index.search(queries[0])  # warm-up
    times = []
    for query in queries:
        started = time.perf_counter()
        index.search(query, k=5)
        times.append((time.perf_counter() - started) * 1000)
    return times


def report(label: str, times: list[float]) -> None:
    times = sorted(times)
    p95 = times[int(0.95 * (len(times) - 1))]
    print(
        f"{label}: median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms "
        f"({len(times)} searches)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA_DIR)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "matching-eval")
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)

    started = time.perf_counter()
    get_encoder()
    print(f"model {MODEL_VERSION}: loaded in {time.perf_counter() - started:.2f} s")

    seed = SEED.read_text(encoding="utf-8")
    article = [seed[start:end] for start, end in split_sentences(seed)]
    article = (article * (50 // len(article) + 1))[:50]
    encode_texts(article)
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        encode_texts(article)
        runs.append(time.perf_counter() - started)
    print(f"encode a 50-sentence article's claims: median {statistics.median(runs) * 1000:.0f} ms")

    if (args.data / "verified_claims.tsv").exists():
        texts, vectors, queries = real_entries(args.data, args.cache)
        source = "Snopes fact-checks + perturbed copies"
    else:
        texts, vectors, queries = synthetic_entries(10_000, rng)
        source = "synthetic (no data folder)"
    queries = queries[: args.queries]
    print(f"entries: {source}; queries: {len(queries)}")

    for size in (10_000, 100_000):
        sized_texts, sized_vectors = grow(texts, vectors, size, rng)
        if len(sized_texts) > size:
            sized_texts, sized_vectors = sized_texts[:size], sized_vectors[:size]
        started = time.perf_counter()
        index = MatchIndex.from_vectors(sized_texts, sized_vectors)
        print(
            f"build index from stored vectors, {size:,} entries: "
            f"{time.perf_counter() - started:.2f} s"
        )
        report(f"search k=5 over {size:,} entries", time_searches(index, queries))
        del index, sized_texts, sized_vectors
    print(f"process peak RSS: {peak_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
