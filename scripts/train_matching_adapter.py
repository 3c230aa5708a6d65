"""Train the matcher's head (query map + lexical weight) and write claims/matching/adapter.npz.

    .venv/bin/python scripts/train_matching_adapter.py [--data DIR] [--folds 5] [--dry-run]

Runs in the app's own virtualenv (numpy and the shipped ONNX encoder; no
PyTorch). Data: the CLEF-2020 CheckThat! Task 2 English files in --data
(default ``../shared/data/claim-matching`` beside the project; research-use,
read in place, never copied). Only the training queries are used to choose
and train; the dev split is scored once at the end, for the record.

1. Encode the 10,375 fact-checks (``f"{vclaim} {title}"``) and the queries
   with the shipped encoder (cached in --cache by model version).
2. 5-fold cross-validation over the training queries (each fold's head
   trained on the other folds only), MAP@5 after each number of steps in
   STEPS and at each lexical weight in WEIGHTS.
3. Keep the (steps, weight) with the best mean; train on all training
   queries with those steps; write the head.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT.parent / "shared" / "data" / "claim-matching"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from evaluate_matching import cached_encode  # noqa: E402, I001

from claims.encoder import DIM, get_encoder  # noqa: E402
from claims.matching import MatchIndex  # noqa: E402
from claims.matching import evaluation as E  # noqa: E402
from claims.matching.adapter import ADAPTER_PATH, QueryAdapter, train_adapter  # noqa: E402

STEPS = (25, 50, 100, 150, 200)
WEIGHTS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6)
LEARNING_RATE = 1e-3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA_DIR)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "matching-eval")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ADAPTER_PATH)
    parser.add_argument("--dry-run", action="store_true", help="print, write nothing")
    args = parser.parse_args(argv)
    data = E.load(args.data)
    encoder = get_encoder()
    documents = cached_encode(encoder, data.documents, args.cache, "documents")
    train = cached_encode(encoder, data.train.texts, args.cache, "train")
    dev = cached_encode(encoder, data.dev.texts, args.cache, "dev")
    index = MatchIndex.from_vectors(data.documents, documents, QueryAdapter.identity(DIM))

    started = time.perf_counter()
    results = E.cross_validate(
        index,
        data.train,
        train,
        n_folds=args.folds,
        steps=STEPS,
        lexical_weights=WEIGHTS,
        learning_rate=LEARNING_RATE,
    )
    print(
        f"{args.folds}-fold cross-validation over the training queries, MAP@5 "
        f"({time.perf_counter() - started:.0f}s):"
    )
    print("  steps  " + "  ".join(f"w={w:.1f} " for w in WEIGHTS))
    for steps in STEPS:
        means = [float(np.mean(results[(steps, w)])) for w in WEIGHTS]
        print(f"  {steps:>5}  " + "  ".join(f"{m:.4f}" for m in means))
    best = max((float(np.mean(v)), s, w) for (s, w), v in results.items())
    cv, steps, weight = best
    print(f"chosen: {steps} steps, lexical weight {weight} (CV MAP@5 {cv:.4f})")

    pairs = [(i, d) for i, rel in enumerate(data.train.relevant) for d in sorted(rel)]
    adapter = train_adapter(
        train[[i for i, _ in pairs]],
        [d for _, d in pairs],
        documents,
        steps=steps,
        learning_rate=LEARNING_RATE,
    )
    head = QueryAdapter(adapter.matrix, weight)
    scored = index.with_head(head)
    rankings = [E.ranking(scored, q, dev[i]) for i, q in enumerate(data.dev.texts)]
    print(
        f"dev MAP@5 with the new head: {E.mean_average_precision(rankings, data.dev.relevant):.4f}"
    )
    if not args.dry_run:
        head.save(
            args.out,
            encoder=encoder.version,
            trained_on="CLEF-2020 CheckThat! Task 2 English train queries",
            steps=str(steps),
            learning_rate=str(LEARNING_RATE),
            cv_map_at_5=f"{cv:.4f}",
        )
        print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
