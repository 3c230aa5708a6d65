"""``python -m claims.extraction PATH [--json]``: extract claims from a file."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import ExtractionError, extract_claims


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m claims.extraction")
    parser.add_argument("path", type=Path, help="UTF-8 text file ('-' for stdin)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    text = sys.stdin.read() if str(args.path) == "-" else args.path.read_text(encoding="utf-8")
    try:
        candidates = extract_claims(text)
    except ExtractionError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps([c.to_dict() for c in candidates], ensure_ascii=False, indent=2))
    else:
        for c in candidates:
            mark = "*" if c.checkworthy else " "
            print(f"{c.position:4d} {mark} {c.score:.2f} {','.join(c.kinds):30s} {c.text[:80]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
