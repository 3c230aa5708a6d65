"""Measure the claim matcher on the CLEF-2020 CheckThat! Task 2 data (MAP@5).

    .venv/bin/python scripts/evaluate_matching.py [--data DIR] [--model-dir DIR]

Uses the app's own code (claims.matching, the shipped ONNX encoder and head)
and prints:

* train cross-validation MAP@5: 5 folds over the training queries; each
  fold's head (query map) is trained on the other folds only, with the
  shipped head's settings (steps, lexical weight);
* dev MAP@5 of the shipped matcher (its head was trained on the training
  queries only, so dev is held out), and of its parts for comparison: TF-IDF
  alone, the plain encoder's cosine alone, the two fused without the head,
  and the head's cosine alone.

``--model-dir`` scores another export of the encoder (``--fp32`` from
scripts/build_matching_encoder.py, say) with the same settings.

The data is research-use only: read from --data (default
``../shared/data/claim-matching`` beside the project), never copied.
Encoder vectors are cached in --cache by model version.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT.parent / "shared" / "data" / "claim-matching"
sys.path.insert(0, str(ROOT))

from claims.encoder import DIM, MODEL_DIR, Encoder  # noqa: E402
from claims.matching import MatchIndex, clean_text  # noqa: E402
from claims.matching import evaluation as E  # noqa: E402
from claims.matching.adapter import ADAPTER_PATH, QueryAdapter  # noqa: E402


def cached_encode(encoder: Encoder, texts: list[str], cache: Path, name: str) -> np.ndarray:
    path = cache / f"{encoder.version}-{name}.npy"
    if path.exists():
        return np.load(path)
    started = time.perf_counter()
    vectors = encoder.encode([clean_text(t) for t in texts])
    print(f"  encoded {len(texts):,} {name} texts in {time.perf_counter() - started:.1f}s")
    cache.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def dev_map(index: MatchIndex, split: E.Split, vectors: np.ndarray) -> float:
    rankings = [E.ranking(index, q, vectors[i]) for i, q in enumerate(split.texts)]
    return E.mean_average_precision(rankings, split.relevant)


def lexical_maps(index: MatchIndex, split: E.Split) -> tuple[float, float]:
    """TF-IDF alone: ties in archive order (as the engine ranks), and ties against the answer."""
    in_order, against = [], []
    for query, relevant in zip(split.texts, split.relevant, strict=True):
        scores = index._lexical.scores(clean_text(query))
        in_order.append(np.lexsort((np.arange(len(scores)), -scores))[:5].tolist())
        against.append(E.ranking_against_answer(scores, relevant))
    return (
        E.mean_average_precision(in_order, split.relevant),
        E.mean_average_precision(against, split.relevant),
    )


def print_score_cut(index: MatchIndex, split: E.Split, vectors: np.ndarray) -> None:
    """Scores of right answers against the best score when the answer is not in the archive.

    For each dev query: the score of its relevant fact-check, and the best
    score once its relevant fact-checks are left out (what "nothing checked
    before" looks like). A display cut should keep the first and drop the
    second.
    """
    right, absent = [], []
    for i, query in enumerate(split.texts):
        scores = index.scores(query, vectors[i])
        relevant = sorted(split.relevant[i])
        right.append(scores[relevant].max())
        scores[relevant] = -1.0
        absent.append(scores.max())
    print("dev scores, for a display cut:")
    for cut in (0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6):
        kept = np.mean(np.asarray(right) >= cut)
        shown = np.mean(np.asarray(absent) >= cut)
        print(
            f"  cut {cut:.2f}: keeps {kept:.0%} of right answers; shows a wrong one for "
            f"{shown:.0%} of queries whose answer is not in the archive"
        )


def print_cross_validation(args, data, plain, train, steps, weight, learning_rate) -> None:
    started = time.perf_counter()
    folds = E.cross_validate(
        plain,
        data.train,
        train,
        n_folds=args.folds,
        steps=[steps],
        lexical_weights=[weight],
        learning_rate=learning_rate,
    )[(steps, weight)]
    print(
        f"train cross-validation ({args.folds} folds, {len(data.train.texts)} queries): "
        f"MAP@5 {np.mean(folds):.4f} (folds {', '.join(f'{f:.3f}' for f in folds)}; "
        f"{time.perf_counter() - started:.0f}s)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA_DIR)
    parser.add_argument("--model-dir", type=Path, default=MODEL_DIR)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "matching-eval")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--skip-cv", action="store_true", help="dev figures only (faster)")
    args = parser.parse_args(argv)
    data = E.load(args.data)
    encoder = Encoder(args.model_dir)
    with np.load(ADAPTER_PATH) as saved:
        steps = int(saved["steps"])
        learning_rate = float(saved["learning_rate"])
    head = QueryAdapter.load()
    weight = head.lexical_weight
    print(f"encoder {encoder.version}; head: {steps} steps, lexical weight {weight}")
    documents = cached_encode(encoder, data.documents, args.cache, "documents")
    train = cached_encode(encoder, data.train.texts, args.cache, "train")
    dev = cached_encode(encoder, data.dev.texts, args.cache, "dev")
    plain = MatchIndex.from_vectors(data.documents, documents, QueryAdapter.identity(DIM))

    if not args.skip_cv:
        print_cross_validation(args, data, plain, train, steps, weight, learning_rate)
    baseline = plain.with_head(QueryAdapter.identity(DIM, weight))
    print(
        f"train, no head (nothing learned): fused MAP@5 {dev_map(baseline, data.train, train):.4f}"
    )

    print(f"dev ({len(data.dev.texts)} queries, held out) MAP@5:")
    no_lexical = replace(head, lexical_weight=0.0)
    lexical, lexical_against = lexical_maps(plain, data.dev)
    rows = [
        ("TF-IDF cosine alone", lexical),
        ("TF-IDF alone, ties against answer", lexical_against),
        ("encoder cosine alone", dev_map(plain, data.dev, dev)),
        (f"fused, no head (weight {weight})", dev_map(baseline, data.dev, dev)),
        ("head's cosine alone", dev_map(plain.with_head(no_lexical), data.dev, dev)),
        ("shipped: head + fusion", dev_map(plain.with_head(head), data.dev, dev)),
    ]
    for label, figure in rows:
        print(f"  {label:<34} {figure:.4f}")
    pessimistic = [
        E.ranking_against_answer(plain.with_head(head).scores(q, dev[i]), data.dev.relevant[i])
        for i, q in enumerate(data.dev.texts)
    ]
    print(
        f"  {'shipped, ties against the answer':<34} "
        f"{E.mean_average_precision(pessimistic, data.dev.relevant):.4f}"
    )
    print_score_cut(plain.with_head(head), data.dev, dev)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
