"""HTML export: a print-friendly standalone page, also the source of the PDF.

Three flavours of one template: served by the app (stylesheet linked, CSP nonce
on the JSON-LD script, format chooser), a standalone file (stylesheet inlined so
the file works offline) and PDF input (inlined too, no app chrome).
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from claims.reports import FORMATS
from claims.reports.claimreview import script_json

TEMPLATE = "claims/report/report.html"
CHART_WIDTH = 320  # px for the longest bar
CHART_ROW = 26
# SVG fill attributes rather than CSS: WeasyPrint's SVG renderer reads attributes.
CHART_COLOURS = {
    "verdict-5": "#1a7f37",
    "verdict-4": "#5a9e33",
    "verdict-3": "#9a6f00",
    "verdict-2": "#c2571a",
    "verdict-1": "#b42318",
    "verdict-other": "#6b4fa0",
    "verdict-none": "#77808f",
}


@lru_cache(maxsize=2)
def report_css(name: str = "css/report.css") -> str:
    path = finders.find(name)
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def stylesheet_for(mode: str) -> str:
    """The page and file use report.css; the PDF its own plainer report-print.css."""
    return report_css("css/report-print.css" if mode == "pdf" else "css/report.css")


def article_segments(article: dict, claims: list[dict]) -> list[dict]:
    """The article text cut into plain runs and highlighted claim runs.

    Overlapping claims (a merge of neighbours, say) are clipped so every
    character shows once; claims whose span is outside the text are skipped.
    """
    body = article.get("body") or ""
    spans = sorted(
        (
            c
            for c in claims
            if c["article_id"] == article["id"] and 0 <= c["start"] < c["end"] <= len(body)
        ),
        key=lambda c: (c["start"], c["end"]),
    )
    segments, cursor = [], 0
    for claim in spans:
        start = max(claim["start"], cursor)
        if start >= claim["end"]:
            continue
        if start > cursor:
            segments.append({"text": body[cursor:start]})
        verdict = claim["verdict"]
        segments.append(
            {
                "text": body[start : claim["end"]],
                "anchor": claim["anchor"],
                "css_class": verdict["css_class"] if verdict else "verdict-none",
                "label": verdict["name"] if verdict else "No verdict yet",
            }
        )
        cursor = claim["end"]
    if cursor < len(body):
        segments.append({"text": body[cursor:]})
    return segments


def paragraphs(segments: list[dict]) -> list[list[dict]]:
    """Segments regrouped into paragraphs at every line break, for the PDF.

    The PDF shows <p> elements with <mark> around claims instead of one
    white-space: pre-wrap block; a claim spanning a break is marked in both parts.
    Pasted articles often end a paragraph with a single newline, so one is a
    break too (the HTML report's pre-wrap shows it as one), not only a blank line.
    """
    result: list[list[dict]] = [[]]
    for seg in segments:
        pieces = re.split(r"[ \t]*\n\s*", seg["text"])
        for index, piece in enumerate(pieces):
            if index:
                result.append([])
            if piece:
                result[-1].append({**seg, "text": piece})
    return [para for para in result if any(seg["text"].strip() for seg in para)]


def verdict_chart(summary: dict) -> dict:
    """Bar geometry for the inline SVG chart (no external assets, no inline styles)."""
    rows = [v for v in summary["by_verdict"] if v["count"]]
    if summary["without_verdict"]:
        rows.append(
            {
                "name": "No verdict yet",
                "count": summary["without_verdict"],
                "css_class": "verdict-none",
            }
        )
    largest = max((r["count"] for r in rows), default=0) or 1
    bars = []
    for index, row in enumerate(rows):
        width = max(2, round(CHART_WIDTH * row["count"] / largest))
        bars.append(
            {
                **row,
                "fill": CHART_COLOURS.get(row["css_class"], "#77808f"),
                "y": index * CHART_ROW,
                "width": width,
                "text_x": 140 + width + 6,
                "text_y": index * CHART_ROW + 17,
            }
        )
    return {"bars": bars, "height": max(1, len(bars)) * CHART_ROW, "width": 140 + CHART_WIDTH + 60}


def context(report: dict, *, mode: str = "app") -> dict:
    articles = []
    for article in report["articles"]:
        segments = article_segments(article, report["claims"]) if "body" in article else None
        extra = (
            {"paragraphs": paragraphs(segments)} if mode == "pdf" and segments is not None else {}
        )
        articles.append({**article, "segments": segments, **extra})
    return {
        "report": report,
        "articles": articles,
        "chart": verdict_chart(report["summary"]),
        "claimreview_json": script_json(report),
        "mode": mode,
        "inline_css": mark_safe(stylesheet_for(mode)) if mode != "app" else "",  # noqa: S308 (our own static files)
        "formats": FORMATS.values(),
    }


def render(
    report: dict,
    *,
    request: HttpRequest | None = None,
    mode: str = "app",
    extra: dict | None = None,
) -> str:
    return render_to_string(
        TEMPLATE, {**context(report, mode=mode), **(extra or {})}, request=request
    )


def render_bytes(report: dict) -> bytes:
    """A standalone file: stylesheet inlined, no links back into the app."""
    return render(report, mode="file").encode("utf-8")
