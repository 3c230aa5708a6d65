"""Calibration and the pre-selection cuts (training only, scikit-learn).

Platt scaling: a one-feature logistic regression from a scorer's stage-2
margin to the label, fitted on out-of-fold ClaimBuster predictions, so a
calibrated 0.5 means "as likely as not check-worthy" on ClaimBuster-style
text (25% positive). The cuts are then chosen on the calibrated
out-of-fold scores, for precision.
"""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_score, recall_score

GRID = np.round(np.arange(0.05, 0.951, 0.01), 2)


def fit_platt(margin: np.ndarray, y: np.ndarray) -> np.ndarray:
    """(a, b) with P(y=1) = sigmoid(a * margin + b); unregularised."""
    model = LogisticRegression(C=1e6, max_iter=1000).fit(margin[:, None], y)
    return np.array([model.coef_[0, 0], model.intercept_[0]])


def apply_platt(margin: np.ndarray, ab: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(ab[0] * margin + ab[1])))


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-9, 1 - 1e-9)
    return np.log(p / (1 - p))


def cut_for_precision(y: np.ndarray, p: np.ndarray, target: float) -> float:
    """The lowest grid cut at and above which precision stays >= target
    (every higher cut too, so a noisy dip does not pick a lucky spot)."""
    ok = [c for c in GRID if (p >= c).any() and precision_score(y, p >= c) >= target]
    ok_from = [
        c
        for c in ok
        if all(precision_score(y, p >= d) >= target for d in GRID if c <= d and (p >= d).any())
    ]
    return float(min(ok_from)) if ok_from else float(GRID[-1])


def best_f1_cut(y: np.ndarray, p: np.ndarray) -> float:
    return float(max(GRID, key=lambda c: f1_score(y, p >= c)))


def at_cut(y: np.ndarray, p: np.ndarray, cut: float) -> dict[str, float]:
    pred = p >= cut
    return {
        "cut": round(float(cut), 2),
        "f1": round(float(f1_score(y, pred)), 4),
        "precision": round(float(precision_score(y, pred, zero_division=0)), 4),
        "recall": round(float(recall_score(y, pred)), 4),
        "selected_share": round(float(pred.mean()), 4),
    }


def reliability(y: np.ndarray, p: np.ndarray, bins: int = 10) -> dict:
    """Mean score vs positive rate per score decile bin, and the expected
    calibration error (weighted mean gap)."""
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(p, edges) - 1, 0, bins - 1)
    table, ece = [], 0.0
    for b in range(bins):
        m = which == b
        if m.any():
            gap = abs(float(p[m].mean()) - float(y[m].mean()))
            ece += gap * m.mean()
            table.append(
                [
                    round(float(edges[b]), 1),
                    int(m.sum()),
                    round(float(p[m].mean()), 3),
                    round(float(y[m].mean()), 3),
                ]
            )
    return {"ece": round(ece, 4), "bins": table}


def nested(y: np.ndarray, margin: np.ndarray, folds: list[np.ndarray], target: float) -> dict:
    """Platt and the precision cut chosen on four folds, judged on the fifth:
    what an unseen batch of ClaimBuster-style text would get."""
    p = np.zeros(len(y))
    pred = np.zeros(len(y), dtype=bool)
    for te in folds:
        tr = np.setdiff1d(np.arange(len(y)), te)
        ab = fit_platt(margin[tr], y[tr])
        p[te] = apply_platt(margin[te], ab)
        pred[te] = p[te] >= cut_for_precision(y[tr], apply_platt(margin[tr], ab), target)
    return {
        "f1": round(float(f1_score(y, pred)), 4),
        "precision": round(float(precision_score(y, pred)), 4),
        "recall": round(float(recall_score(y, pred)), 4),
        "ece": reliability(y, p)["ece"],
    }
