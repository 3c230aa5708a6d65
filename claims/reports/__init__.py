"""Fact-check report exporters.

`data.build_report` reads the database once into a plain, versioned structure;
each sibling module turns that structure into one format. `render` picks the
module for a format name, so views, tasks and the command share one entry point.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Format:
    name: str
    label: str
    extension: str
    content_type: str


FORMATS: dict[str, Format] = {
    f.name: f
    for f in [
        Format("html", "HTML (print-friendly page)", "html", "text/html; charset=utf-8"),
        Format("pdf", "PDF", "pdf", "application/pdf"),
        Format("md", "Markdown", "md", "text/markdown; charset=utf-8"),
        Format("csv", "CSV (one row per claim)", "csv", "text/csv; charset=utf-8"),
        Format("json", "JSON (full report)", "json", "application/json"),
        Format("claimreview", "ClaimReview JSON-LD", "jsonld", "application/ld+json"),
    ]
}


def renderer(name: str) -> Callable[[dict], bytes]:
    """The function turning a report structure into the bytes of format `name`."""
    from claims.reports import claimreview, csv, html, json, markdown, pdf

    return {
        "html": html.render_bytes,
        "pdf": pdf.render,
        "md": markdown.render,
        "csv": csv.render,
        "json": json.render,
        "claimreview": claimreview.render,
    }[name]


def render(report: dict, name: str) -> bytes:
    return renderer(name)(report)


def filename(report: dict, name: str) -> str:
    return f"{report['slug']}.{FORMATS[name].extension}"


def needs_background(name: str, claim_count: int) -> bool:
    """Whether an export is big enough to run as a background job.

    FACTCHECK_EXPORT_BACKGROUND_CLAIMS for every format and
    FACTCHECK_EXPORT_BACKGROUND_PDF_CLAIMS for PDF, which is the slow one
    (about 20 ms a claim); both are in settings.py.
    """
    limit = settings.FACTCHECK_EXPORT_BACKGROUND_CLAIMS
    if name == "pdf":
        limit = min(limit, settings.FACTCHECK_EXPORT_BACKGROUND_PDF_CLAIMS)
    return claim_count > limit
