"""Fit the encoder-backed check-worthiness stack and the calibration of both scorers.

    .venv/bin/python scripts/train_encoder_stack.py [--data DIR] [--cache DIR] [--out PATH]

Writes claims/extraction/encoder_stack.npz: the fine-tuned MiniLM's linear
unit (copied from claims/extraction/finetuned/head.npz, which
scripts/build_checkworthiness_encoder.py writes with the model), the second
stage over the fast scorer's three logits plus the fine-tuned one (own and
neighbours) and the hand features, Platt parameters for both scorers, the
default cut (and the fast scorer's own) and the strict / normal / broad
pre-selection cuts. Everything
is fitted on the leak-free out-of-fold logits of
claims/extraction/evaluation.py (the same cache as
scripts/evaluate_checkworthiness.py; the fine-tuned model's own out-of-fold
logits are scripts/checkworthiness_finetuned_oof.npz). Prints the figures
as JSON. The fast scorer itself (model.npz) is made by
scripts/train_checkworthiness.py.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claims.extraction import calibration as C  # noqa: E402
from claims.extraction import evaluation as E  # noqa: E402
from claims.extraction import training as T  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "checkworthiness"
DEFAULT_OUT = ROOT / "claims" / "extraction" / "encoder_stack.npz"
FAST_HEADS = ("claimbuster", "clef", "student")  # model.npz's logit columns, in order
BEST_HEADS = (*FAST_HEADS, "finetuned")
FINETUNED_DIR = ROOT / "claims" / "extraction" / "finetuned"
PRECISION = {"strict": 0.92, "normal": 0.85}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "checkworthiness-eval"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args(argv)
    from claims.encoder import read_manifest

    P = E.prepare(args.data, args.cache, args.jobs)
    cb, cl = P.cb, P.cl
    cols = {name: k for k, name in enumerate(E.LOGIT_NAMES)}
    folds = [te for _, te, _ in P.clean.cb]
    report: dict = {}
    margins = {}
    for name, heads in (("fast", FAST_HEADS), ("best", BEST_HEADS)):
        pick = [cols[h] for h in heads]
        s_cb, s_cl = E.stack_cv(cb, cl, P.cb_logits[:, pick], P.cl_logits[:, pick], P.clean)
        margins[name] = C.logit(s_cb)
        report[name] = {
            "clef_lodo_map": round(T.mean_average_precision(cl.labels, s_cl, cl.groups), 4),
            "uncalibrated_reliability": C.reliability(cb.labels, s_cb)["ece"],
        }
    platt = {name: C.fit_platt(m, cb.labels) for name, m in margins.items()}
    calibrated = {name: C.apply_platt(margins[name], platt[name]) for name in margins}
    # Each scorer's own precision-0.85 cut: the best scorer's is the default
    # (`checkworthy`); the fast one's marks the fast-scored sentences of a long
    # text until the background re-score replaces them.
    cut = C.cut_for_precision(cb.labels, calibrated["best"], PRECISION["normal"])
    fast_cut = C.cut_for_precision(cb.labels, calibrated["fast"], PRECISION["normal"])
    best = calibrated["best"]
    levels = {
        "strict": max(cut, C.cut_for_precision(cb.labels, best, PRECISION["strict"])),
        "normal": cut,
        "broad": min(cut, C.best_f1_cut(cb.labels, best)),
    }
    for name, p in calibrated.items():
        report[name].update(
            platt=platt[name].round(4).tolist(),
            reliability=C.reliability(cb.labels, p),
            at_levels={lv: C.at_cut(cb.labels, p, c) for lv, c in levels.items()},
            best_f1=C.at_cut(cb.labels, p, C.best_f1_cut(cb.labels, p)),
            nested_platt_and_cut=C.nested(cb.labels, margins[name], folds, PRECISION["normal"]),
        )
    report["cut"] = cut
    report["fast_cut"] = fast_cut
    report["fast"]["at_fast_cut"] = C.at_cut(cb.labels, calibrated["fast"], fast_cut)
    report["levels"] = levels

    # The fine-tuned unit as built, and the second stage on all rows
    # (fitted on out-of-fold logits).
    with np.load(FINETUNED_DIR / "head.npz") as head:
        enc_coef, enc_intercept = head["coef"][:, None], head["intercept"]
    pick = [cols[h] for h in BEST_HEADS]
    Z = np.vstack(
        [
            T._context_rows(P.cb_logits[:, pick], cb.hand, cb.groups, cb.order),
            T._context_rows(P.cl_logits[:, pick], cl.hand, cl.groups, cl.order),
        ]
    )
    y = np.concatenate([cb.labels, cl.labels])
    stage2 = T.fit_stage2(Z, y, T._stack_weights(len(cb.labels), cl))
    names = list(levels)
    arrays = {
        "enc_coef": enc_coef,
        "enc_intercept": enc_intercept,
        "stack_mean": stage2.mean,
        "stack_scale": stage2.scale,
        "stack_coef": stage2.model.coef_[0],
        "stack_intercept": stage2.model.intercept_,
        "fast_platt": platt["fast"],
        "best_platt": platt["best"],
        "cut": np.array([cut]),
        "fast_cut": np.array([fast_cut]),
        "level_names": np.frombuffer("\n".join(names).encode(), dtype=np.uint8),
        "level_cuts": np.array([levels[n] for n in names]),
        "encoder_version": np.frombuffer(
            read_manifest(FINETUNED_DIR)["version"].encode(), dtype=np.uint8
        ),
        "metrics_json": np.frombuffer(json.dumps(report).encode(), dtype=np.uint8),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, **arrays)
    report["inference_max_abs_diff"] = check_inference(cb, stage2, platt["best"])
    print(json.dumps(report, indent=1))
    return 0


def check_inference(cb, stage2, ab) -> float:
    """The app's scorer must reproduce the fitted second stage on real text
    (its fine-tuned logit computed here from the app's own encoder)."""
    from claims.extraction import scoring

    scoring.reset_caches()
    from claims.extraction.attribution import strip_all

    texts = strip_all(cb.texts[:200])  # what the app's scorers read
    model = scoring.get_model()
    fast, hand = model.first_stage(model.encode(texts))
    _, stack = scoring._stack()
    finetuned = scoring.encoder_factory().encode(texts) @ stack.enc_coef + stack.enc_intercept
    import claims.extraction.features as F

    own = np.column_stack([fast, finetuned])
    expected = C.apply_platt(C.logit(stage2.predict(F.context_matrix(own, hand))), ab)
    got = np.array(scoring.score_sentences(texts))
    diff = float(np.max(np.abs(got - expected)))
    if diff > 1e-3:
        raise AssertionError(f"the app's scores disagree with training: {diff}")
    return diff


if __name__ == "__main__":
    raise SystemExit(main())
