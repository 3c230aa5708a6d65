"""The engine stands alone: importing and using it loads no Django."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_matching_and_encoder_import_no_django():
    code = (
        "import sys\n"
        "from claims.matching import MatchIndex\n"
        "index = MatchIndex.build(['The moon is made of cheese.', 'Taxes rose in 2020.'])\n"
        "assert index.search('cheese moon', k=1)[0].position == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))\n"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
