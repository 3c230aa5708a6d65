"""Leak-free figures for the check-worthiness scorers (docs/extraction.md, "Leakage").

    .venv/bin/python scripts/evaluate_checkworthiness.py [--data DIR] [--cache DIR] [--jobs N]

Prints JSON: ClaimBuster 5-fold CV and CLEF-2019 leave-one-debate-out MAP for
the TF-IDF + LR baseline, each stage-1 head and several stacks, under the
shipped protocol and the leak-free one (claims/extraction/evaluation.py);
cross-corpus figures (train on one corpus, test on the other); and the
per-debate spread of AP. Encoder vectors and out-of-fold logits are cached
in --cache (slow parts: ~7 min of encoding, ~10 min of fitting on one core).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claims.extraction import evaluation as E  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "checkworthiness"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "checkworthiness-eval"
    )
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()

    P = E.prepare(args.data, args.cache, args.jobs)
    cb, cl, covered = P.cb, P.cl, P.covered
    (cl_oof_shipped,) = E.cached(
        args.cache / "oof_shipped_covered.npz",
        lambda: (E.out_of_fold(cb, cl, P.V_cb, P.V_cl, P.shipped, args.jobs, covered)[1],),
    )
    # Only the covered debates' folds differ between the two protocols.
    cols = {name: k for k, name in enumerate(E.LOGIT_NAMES)}
    in_covered = np.isin(cl.groups, list(covered))[:, None]
    cl_shipped = np.where(
        in_covered,
        np.column_stack([cl_oof_shipped, P.cl_logits_raw[:, len(E.HEAD_NAMES) :]]),
        P.cl_logits_raw,
    )
    all_cb, all_cl = P.cb_logits, P.cl_logits

    per_debate: dict[str, dict[str, float]] = {}

    def stack(name, heads, folds, cl_logits, cb_logits=all_cb):
        pick = [cols[h] for h in heads]
        s_cb, s_cl = E.stack_cv(cb, cl, cb_logits[:, pick], cl_logits[:, pick], folds)
        per_debate[name] = E.per_debate_ap(cl.labels, s_cl, cl.groups)
        return E.summary(cb, cl, s_cb, s_cl, covered, probability=True)

    report: dict = {
        "covered_debates": sorted(covered),
        "claimbuster_rows_in_clef_debates": int((P.sources != "").sum()),
    }
    b_cb, b_cl = E.cached(args.cache / "baseline.npz", lambda: E.tfidf_baseline(cb, cl, P.clean))
    report["baseline_tfidf_lr"] = E.summary(cb, cl, b_cb, b_cl, covered, probability=False)
    per_debate["baseline"] = E.per_debate_ap(cl.labels, b_cl, cl.groups)
    report["heads_alone"] = {
        h: E.summary(cb, cl, all_cb[:, k], all_cl[:, k], covered, probability=False)
        for h, k in cols.items()
    }
    shipped_heads = ("claimbuster", "clef", "student")
    linear, encoder = ("claimbuster", "clef"), ("enc_cb", "enc_clef")
    best = (*shipped_heads, "finetuned")
    raw = (P.cb_logits_raw, P.cl_logits_raw)  # texts as written, attribution frames kept
    variants = {
        "stack_shipped_protocol": (shipped_heads, P.shipped, cl_shipped, P.cb_logits_raw),
        "stack_fast_as_written": (shipped_heads, P.clean, *raw[::-1]),
        "stack_fast": (shipped_heads, P.clean, all_cl, all_cb),
        "stack_linear_only": (linear, P.clean, all_cl, all_cb),
        "stack_linear_encoder": ((*linear, *encoder), P.clean, all_cl, all_cb),
        "stack_fast_frozen_encoder": ((*shipped_heads, *encoder), P.clean, all_cl, all_cb),
        "stack_best_as_written": (best, P.clean, *raw[::-1]),
        "stack_best": (best, P.clean, all_cl, all_cb),
        "stack_best_and_frozen_encoder": ((*best, *encoder), P.clean, all_cl, all_cb),
    }
    for name, (heads, folds, cl_logits, cb_logits) in variants.items():
        report[name] = stack(name, heads, folds, cl_logits, cb_logits)
    report["per_debate_ap"] = {
        n: {d: round(v, 3) for d, v in aps.items()} for n, aps in per_debate.items()
    }
    report["seven_debate_spread"] = {
        n: E.subset_spread(aps, per_debate["baseline"] if n != "baseline" else None)
        for n, aps in per_debate.items()
    }
    report["near_copies"] = E.cross_debate_near_copies(cl, P.V_cl)
    report["cross_corpus"] = E.cross_corpus(cb, cl, P.V_cb, P.V_cl, P.sources)
    report["seconds"] = round(time.perf_counter() - started)
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
