"""Setup prints no setuptools deprecation warnings, and the README says how to
serve on another port."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_license_is_an_spdx_string_with_a_setuptools_that_reads_it():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    # The table form ({ text = "MIT" }) makes setuptools print a deprecation warning.
    assert pyproject["project"]["license"] == "MIT"
    (requirement,) = [
        r for r in pyproject["build-system"]["requires"] if r.startswith("setuptools")
    ]
    minimum = re.fullmatch(r"setuptools>=(\d+)(?:\.\d+)*", requirement.replace(" ", ""))
    assert minimum and int(minimum.group(1)) >= 77  # SPDX strings arrived in setuptools 77


def test_make_run_takes_another_port_and_the_readme_says_so():
    assert "make run PORT=8123" in (ROOT / "README.md").read_text(encoding="utf-8")
    dry_run = subprocess.run(
        ["make", "-n", "-o", "demo", "run", "PORT=8123"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "runserver 127.0.0.1:8123" in dry_run.stdout
