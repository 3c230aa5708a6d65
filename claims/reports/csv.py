"""CSV export: one row per claim, for spreadsheets.

Cells that a spreadsheet would run as a formula (starting with = + - @ or a
tab/carriage return) get a leading apostrophe, so a claim's text cannot become
a formula in the editor's spreadsheet.
"""

from __future__ import annotations

import csv
import io

COLUMNS = [
    "claim_id",
    "article_id",
    "article_title",
    "position",
    "text",
    "status",
    "verdict",
    "verdict_value",
    "conclusion",
    "reviewer",
    "approved_by",
    "source_count",
    "source_urls",
    "sources",
    "created_at",
    "updated_at",
    "published_at",
    "corrections",
    "report_url",
]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _source_line(source: dict) -> str:
    parts = [source["title"] or source["url"], source["url"]]
    if source["archived_url"]:
        parts.append(f"archived: {source['archived_url']}")
    parts.append(source["stance"])
    return " | ".join(parts)


def rows(report: dict) -> list[dict[str, str]]:
    titles = {a["id"]: a["title"] for a in report["articles"]}
    out = []
    for claim in report["claims"]:
        verdict = claim["verdict"] or {}
        values = {
            "claim_id": claim["id"],
            "article_id": claim["article_id"],
            "article_title": titles.get(claim["article_id"], ""),
            "position": claim["position"],
            "text": claim["text"],
            "status": claim["status"],
            "verdict": verdict.get("name", ""),
            "verdict_value": verdict.get("value") or "",
            "conclusion": claim["conclusion"],
            "reviewer": claim["reviewer"] or "",
            "approved_by": claim["approved_by"] or "",
            "source_count": len(claim["sources"]),
            "source_urls": "\n".join(s["url"] for s in claim["sources"]),
            "sources": "\n".join(_source_line(s) for s in claim["sources"]),
            "created_at": claim["created_at"],
            "updated_at": claim["updated_at"],
            "published_at": claim["published_at"] or "",
            "corrections": "\n".join(c["note"] for c in claim["corrections"]),
            "report_url": claim["url"],
        }
        out.append({key: safe_cell(value) for key, value in values.items()})
    return out


def render(report: dict) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows(report))
    # A byte-order mark so spreadsheet programs read the text as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
