"""Train the check-worthiness scorer and print cross-validated figures.

    .venv/bin/python scripts/train_checkworthiness.py [--data DIR] [--out PATH] [--teacher PATH]

The distilled head learns from scripts/checkworthiness_teacher.npz, which
scripts/teacher_checkworthiness.py makes (it needs PyTorch; see its docstring).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from claims.extraction.training import TEACHER_PATH, train  # noqa: E402 (after sys.path)

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "checkworthiness"  # the project's shared/
DEFAULT_OUT = ROOT / "claims" / "extraction" / "model.npz"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="folder with the two TSV files"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="artifact to write (.npz)")
    parser.add_argument("--jobs", type=int, default=2, help="parallel CV folds")
    parser.add_argument("--teacher", type=Path, default=TEACHER_PATH, help="teacher file (.npz)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the TF-IDF+LR baseline")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    metrics = train(
        args.data,
        args.out,
        n_jobs=args.jobs,
        with_baseline=not args.no_baseline,
        teacher_path=args.teacher,
    )
    print(json.dumps(metrics, indent=2))
    print(
        f"wrote {args.out} ({metrics['artifact_bytes']:,} bytes) in {time.perf_counter() - started:.0f}s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
