"""JSON export: the report structure itself (schema "factcheck-report/1",
documented in docs/report-schema.md)."""

from __future__ import annotations

import json


def render(report: dict) -> bytes:
    return json.dumps(report, ensure_ascii=False, indent=2).encode("utf-8")
