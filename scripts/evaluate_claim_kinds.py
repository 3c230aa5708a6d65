"""Judge the claim-kind tagger and the scorer on our own small labelled set.

    .venv/bin/python scripts/evaluate_claim_kinds.py

tests/extraction/data/claim_kinds.tsv: sentences written for this project
(at least 20 per kind; a sentence lists every kind that applies; checkable=0
marks opinion or analysis with nothing to check, and non-statements).
tests/extraction/data/quote_pairs.tsv: one claim bare and attributed.
Prints JSON: per kind precision and recall of the tagger; the share of
checkable and non-checkable sentences at or above the default cut; the
score change when a claim is attributed to someone.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claims.extraction import KINDS, checkworthy_cut, score_sentences  # noqa: E402
from claims.extraction.kinds import kinds_batch  # noqa: E402

DATA = ROOT / "tests" / "extraction" / "data"


def read(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def alone(sentences: list[str]) -> np.ndarray:
    """Each sentence scored on its own (no neighbours)."""
    return np.array([score_sentences([s])[0] for s in sentences])


def main() -> int:
    rows = read("claim_kinds.tsv")
    texts = [r["text"] for r in rows]
    gold = [set(r["kinds"].split(",")) for r in rows]
    tagged = [set(k) for k in kinds_batch(texts)]
    per_kind = {}
    for kind in KINDS:
        hit = [kind in t for t in tagged]
        true = [kind in g for g in gold]
        n_hit = sum(hit)
        both = sum(h and t for h, t in zip(hit, true, strict=True))
        per_kind[kind] = {
            "gold": sum(true),
            "tagged": n_hit,
            "precision": round(both / n_hit, 3) if n_hit else None,
            "recall": round(both / sum(true), 3) if sum(true) else None,
        }
    scores = alone(texts)
    cut = checkworthy_cut()
    checkable = np.array([r["checkable"] == "1" for r in rows])
    pairs = read("quote_pairs.tsv")
    bare = alone([p["bare"] for p in pairs])
    attributed = alone([p["attributed"] for p in pairs])
    report = {
        "cut": cut,
        "kinds": per_kind,
        "checkable_at_or_above_cut": round(float((scores[checkable] >= cut).mean()), 3),
        "not_checkable_below_cut": round(float((scores[~checkable] < cut).mean()), 3),
        "mean_score": {
            "checkable": round(float(scores[checkable].mean()), 3),
            "not_checkable": round(float(scores[~checkable].mean()), 3),
        },
        "by_kind_share_at_or_above_cut": {
            k: round(
                float(np.mean([s >= cut for s, g in zip(scores, gold, strict=True) if k in g])), 3
            )
            for k in KINDS
        },
        "not_checkable_above_cut": [
            t for t, s, c in zip(texts, scores, checkable, strict=True) if not c and s >= cut
        ],
        "attribution_score_change": {
            "mean": round(float((attributed - bare).mean()), 3),
            "max_rise": round(float((attributed - bare).max()), 3),
            "pairs_changing_side_of_cut": int(((attributed >= cut) != (bare >= cut)).sum()),
            "pairs": len(pairs),
        },
    }
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
