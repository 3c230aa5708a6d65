"""The best check-worthiness scorer, and calibration for both scorers.

The fast scorer (scoring.Model: TF-IDF heads and the distilled head, numpy
only) gives three logits per sentence. This stack adds the logit of MiniLM
fine-tuned on ClaimBuster (its mean-pooled vector from ``finetuned/``
through the linear unit it was fine-tuned with, ``enc_coef``) and a
second-stage logistic regression over all four logits of the sentence and
its neighbours plus the hand features (features.context_matrix), as
training.py does for the fast stack.

Both scorers' outputs go through Platt scaling fitted on out-of-fold
ClaimBuster predictions, so 0.5 means "as likely as not check-worthy" on
ClaimBuster-style text; each has its own cut chosen for precision 0.85
(see docs/extraction.md). The arrays come from scripts/train_encoder_stack.py
(``encoder_stack.npz``, plain arrays, no pickles).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import features as F

STACK_PATH = Path(__file__).with_name("encoder_stack.npz")


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def platt(margin: np.ndarray, ab: np.ndarray) -> np.ndarray:
    """Calibrated probability from a stage-2 margin (log-odds)."""
    return np.clip(sigmoid(ab[0] * margin + ab[1]), 0.0, 1.0)


@dataclass(frozen=True, eq=False)
class Calibration:
    """What both scorers share: Platt parameters, the cut, the pre-select levels."""

    fast_platt: np.ndarray  # (a, b) for the fast stack's margin
    best_platt: np.ndarray  # (a, b) for this stack's margin
    cut: float  # the default ``checkworthy`` cut (calibrated score, best scorer)
    fast_cut: float  # the same precision from the fast scorer's scores
    levels: dict[str, float]  # "strict" / "normal" / "broad" cuts
    encoder_version: str  # the encoder these heads were trained on
    metrics: dict


@dataclass(frozen=True, eq=False)
class EncoderStack:
    enc_coef: np.ndarray  # (384, 1): the fine-tuned model's linear unit
    enc_intercept: np.ndarray  # (1,)
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def margin(self, fast_logits: np.ndarray, hand: np.ndarray, vectors: np.ndarray) -> np.ndarray:
        own = np.column_stack(
            [fast_logits, vectors.astype(np.float64) @ self.enc_coef + self.enc_intercept]
        )
        z = (F.context_matrix(own, hand) - self.mean) / self.scale
        return z @ self.coef + self.intercept


def load(path: Path = STACK_PATH) -> tuple[Calibration, EncoderStack]:
    with np.load(path, allow_pickle=False) as z:
        metrics = json.loads(z["metrics_json"].tobytes().decode("utf-8"))
        names = z["level_names"].tobytes().decode("utf-8").split("\n")
        calibration = Calibration(
            fast_platt=z["fast_platt"].astype(np.float64),
            best_platt=z["best_platt"].astype(np.float64),
            cut=float(z["cut"][0]),
            fast_cut=float(z["fast_cut"][0]) if "fast_cut" in z.files else float(z["cut"][0]),
            levels=dict(zip(names, z["level_cuts"].astype(float).tolist(), strict=True)),
            encoder_version=z["encoder_version"].tobytes().decode("utf-8"),
            metrics=metrics,
        )
        stack = EncoderStack(
            enc_coef=z["enc_coef"].astype(np.float64),
            enc_intercept=z["enc_intercept"].astype(np.float64),
            mean=z["stack_mean"],
            scale=z["stack_scale"],
            coef=z["stack_coef"],
            intercept=float(z["stack_intercept"][0]),
        )
    return calibration, stack
