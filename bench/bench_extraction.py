"""Benchmark claim extraction: segmentation vs end to end, scoring rate, memory.

Two paths: a 1 MB text (over 1,000 sentences) takes the fast numpy scorer,
timed against our segmenter and against syntok (a pure-Python segmenter);
a 60-sentence article takes the encoder stack (the fine-tuned MiniLM on one
thread), timed warm and in a fresh process; the long text's background
re-score with the encoder is timed once, and a fresh process holding both
learned models (check-worthiness and the shared matching encoder) gives the
peak memory of a worker that does both.

    .venv/bin/python bench/bench_extraction.py [--mb 1.0] [--repeat 3]

Prints one figure per line; docs/performance.md ("## Extraction") quotes them.
The peak-memory figure comes from a fresh subprocess (ru_maxrss), so it
includes the interpreter, numpy and the loaded model.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# One core: keep BLAS from spreading work over threads.
for var in (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "FACTCHECK_ENCODER_THREADS",
):
    os.environ.setdefault(var, "1")

from claims.extraction import (  # noqa: E402 (after sys.path)
    extract_claims,
    rescore,
    score_sentences,
    split_sentences,
)
from claims.extraction.scoring import encoder_available, fast_scores, get_model  # noqa: E402

SEED = ROOT / "claims" / "fixtures" / "seed-article.txt"

_CHILD = """
import resource, sys, time
sys.path.insert(0, {root!r})
from claims.extraction import extract_claims
text = open({path!r}, encoding="utf-8").read()
t = time.perf_counter()
n = len(extract_claims(text))
elapsed = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{{n}} {{elapsed:.3f}} {{rss:.1f}}")
"""


# Both learned models in one process, as a web worker that extracts and
# matches holds them: the check-worthiness encoder and the shared one.
_BOTH_CHILD = """
import resource, sys
sys.path.insert(0, {root!r})
from claims.extraction import extract_claims
from claims.encoder import get_encoder
text = open({path!r}, encoding="utf-8").read()
extract_claims(text)
get_encoder().encode([text[:200], text[200:400]])
print(f"{{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}}")
"""


def run_child(code: str, path: Path) -> list[str]:
    """Run a child script on the text at ``path``; its printed figures."""
    return subprocess.run(
        [sys.executable, "-c", code.format(root=str(ROOT), path=str(path))],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()


def big_article(n_chars: int) -> str:
    """The seed article repeated (headline included) up to ``n_chars``."""
    seed = SEED.read_text(encoding="utf-8")
    parts, size = [], 0
    while size < n_chars:
        parts.append(seed)
        size += len(seed) + 2
    return "\n\n".join(parts)[:n_chars]


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def interactive_article(n_sentences: int = 60) -> str:
    """The seed article's paragraphs repeated until the text has ``n_sentences``."""
    paragraphs = SEED.read_text(encoding="utf-8").split("\n")[1:]  # no headline
    out: list[str] = []
    k = 0
    while len(split_sentences("\n\n".join(out))) < n_sentences:
        out.append(paragraphs[k % len(paragraphs)])
        k += 1
    text = "\n\n".join(out)
    spans = split_sentences(text)
    return text[: spans[n_sentences - 1][1]]


def syntok_seconds(text: str, repeat: int) -> float:
    from syntok import segmenter

    return best_of(
        repeat, lambda: sum(1 for paragraph in segmenter.analyze(text) for _ in paragraph)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1.0, help="article size in MB (10^6 chars)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    text = big_article(int(args.mb * 1_000_000))
    t = time.perf_counter()
    get_model()
    load_s = time.perf_counter() - t

    seg_s = best_of(args.repeat, lambda: split_sentences(text))
    spans = split_sentences(text)
    e2e_s = best_of(args.repeat, lambda: extract_claims(text))
    sentences = [text[s:e] for s, e in spans]
    model = get_model()
    score_s = best_of(args.repeat, lambda: fast_scores(model.encode(sentences)))

    path = Path(tempfile.gettempdir()) / f"bench_extraction_{os.getpid()}.txt"
    path.write_text(text, encoding="utf-8")
    try:
        out = run_child(_CHILD, path)
    finally:
        path.unlink(missing_ok=True)

    syn_s = syntok_seconds(text, max(1, args.repeat // 2))
    small = interactive_article()
    t = time.perf_counter()
    encoder_ok = encoder_available()
    encoder_load_s = time.perf_counter() - t
    extract_claims(small)  # warm-up
    small_s = best_of(args.repeat, lambda: extract_claims(small))
    small_sentences = [small[s:e] for s, e in split_sentences(small)]
    best_rate = len(small_sentences) / best_of(
        args.repeat, lambda: score_sentences(small_sentences)
    )
    path = Path(tempfile.gettempdir()) / f"bench_extraction_small_{os.getpid()}.txt"
    path.write_text(small, encoding="utf-8")
    try:
        small_out = run_child(_CHILD, path)
        both_out = run_child(_BOTH_CHILD, path)
    finally:
        path.unlink(missing_ok=True)
    # The background re-score of the long text (claims.tasks.rescore_article).
    t = time.perf_counter()
    rescore(sentences)
    rescore_s = time.perf_counter() - t

    figures = {
        "interactive_sentences": len(split_sentences(small)),
        "interactive_encoder_used": encoder_ok,
        "interactive_end_to_end_s_warm": round(small_s, 3),
        "best_scoring_sentences_per_s": round(best_rate),
        "interactive_subprocess_s_cold_incl_load": float(small_out[1]),
        "interactive_subprocess_peak_rss_mb": float(small_out[2]),
        "encoder_load_s": round(encoder_load_s, 3),
        "article_chars": len(text),
        "sentences": len(spans),
        "model_load_s": round(load_s, 3),
        "segmentation_s": round(seg_s, 3),
        "end_to_end_s": round(e2e_s, 3),
        "end_to_end_over_segmentation": round(e2e_s / seg_s, 2),
        "syntok_segmentation_s": round(syn_s, 3),
        "end_to_end_over_syntok": round(e2e_s / syn_s, 2),
        "fast_scoring_sentences_per_s": round(len(sentences) / score_s),
        "subprocess_end_to_end_s_cold": float(out[1]),
        "subprocess_peak_rss_mb": float(out[2]),
        "background_rescore_s": round(rescore_s, 1),
        "peak_rss_mb_both_encoders": float(both_out[0]),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key:32s} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
