"""Choose the "Checked before" similarity cut from the engine's own scores.

For every query of a split (research data, never shipped), compare the fused
score of its true fact-check with the score of the best *wrong* fact-check
(what the panel would show if the archive did not hold the answer). A cut
shows a true match when its score clears it and raises a false alarm when
the best wrong one does. The cut is chosen on dev, in steps of 0.05 (largest
true-match rate with at most 20% false alarms): the shipped head was trained on
the train queries, so their scores run high.

    .venv/bin/python scripts/choose_match_cut.py ../shared/data/claim-matching
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from claims.matching import MatchIndex, encode_texts
from claims.matching.evaluation import Split, load

MAX_FALSE_ALARMS = 0.20


def score_pairs(index: MatchIndex, split: Split) -> tuple[np.ndarray, np.ndarray]:
    """(score of the true match, score of the best wrong match) per query."""
    vectors = encode_texts(split.texts)
    right, wrong = [], []
    for text, vector, relevant in zip(split.texts, vectors, split.relevant, strict=True):
        scores = index.scores(text, vector).copy()
        right.append(max(scores[i] for i in relevant))
        scores[list(relevant)] = -1.0
        wrong.append(scores.max())
    return np.array(right), np.array(wrong)


def rates(right: np.ndarray, wrong: np.ndarray, cut: float) -> tuple[float, float]:
    return float((right >= cut).mean()), float((wrong >= cut).mean())


def main(directory: str) -> None:
    data = load(Path(directory))
    index = MatchIndex.build(data.documents)
    train = score_pairs(index, data.train)
    dev = score_pairs(index, data.dev)
    cuts = np.round(np.arange(0.30, 0.91, 0.05), 2)
    best = max(
        (c for c in cuts if rates(*dev, c)[1] <= MAX_FALSE_ALARMS),
        key=lambda c: rates(*dev, c)[0],
    )
    print("cut   train: shown  false-alarm   dev: shown  false-alarm")
    for cut in cuts.tolist():
        tr, dv = rates(*train, cut), rates(*dev, cut)
        mark = "  <- chosen on dev" if cut == best else ""
        print(f"{cut:.2f}  {tr[0]:11.3f} {tr[1]:12.3f}  {dv[0]:11.3f} {dv[1]:12.3f}{mark}")
    for name, (right, wrong) in (("train", train), ("dev", dev)):
        print(
            f"{name}: true-match score median {np.median(right):.3f}, best wrong median {np.median(wrong):.3f}"
        )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/claim-matching")
