"""Markdown export: the same sections as the HTML report, as plain text.

User text is escaped so it reads as text wherever the Markdown is rendered:
Markdown punctuation is backslash-escaped and < > & become entities, so a claim
cannot inject HTML or links. Links are only written for http(s) URLs.
"""

from __future__ import annotations

import re
from urllib.parse import quote

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")


def text(value: str | None) -> str:
    value = " ".join((value or "").split())
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", value)


def link(label: str, url: str) -> str:
    if not url.lower().startswith(("http://", "https://")):
        return text(label or url)
    safe_url = quote(url, safe=":/?#=&%~+,;@!$'*")
    safe_url = safe_url.replace("(", "%28").replace(")", "%29")
    return f"[{text(label or url)}](<{safe_url}>)"


def _verdict(claim: dict) -> str:
    return text(claim["verdict"]["name"]) if claim["verdict"] else "No verdict yet"


def render(report: dict) -> bytes:
    lines = [f"# {text(report['title'])}", ""]
    lines.append(
        f"{text(report['organization']['name'])}, generated {report['generated_at'][:10]}."
    )
    if report["internal"]:
        lines.append("")
        lines.append("**Internal report: includes claims that are not yet approved or published.**")
    for article in report["articles"]:
        lines += ["", f"Article: {link(article['title'], article['url'])}"]
        byline = ", ".join(text(x) for x in (article["author"], article["outlet"]) if x)
        if byline or article["published_on"]:
            lines.append(
                f"By {byline or 'unknown'}"
                + (f", {article['published_on']}" if article["published_on"] else "")
            )
    summary = report["summary"]
    lines += ["", "## Summary", "", f"Claims checked: {summary['claims']}", ""]
    lines += ["| Verdict | Claims |", "| --- | ---: |"]
    lines += [f"| {text(v['name'])} | {v['count']} |" for v in summary["by_verdict"]]
    if summary["without_verdict"]:
        lines.append(f"| No verdict yet | {summary['without_verdict']} |")
    lines += ["", "## Claims"]
    for number, claim in enumerate(report["claims"], start=1):
        lines += ["", f"### {number}\\. {text(claim['text'])}", ""]
        lines.append(f"- **Verdict:** {_verdict(claim)}")
        if report["internal"]:
            lines.append(f"- **Status:** {text(claim['status_label'])}")
        if claim["conclusion"]:
            lines.append(f"- **Conclusion:** {text(claim['conclusion'])}")
        if claim["reviewer"]:
            lines.append(f"- **Reviewer:** {text(claim['reviewer'])}")
        if claim["published_at"]:
            lines.append(f"- **Published:** {claim['published_at'][:10]}")
        lines.append(f"- **Last updated:** {claim['updated_at'][:10]}")
        if claim["sources"]:
            lines.append("- **Sources:**")
            for source in claim["sources"]:
                entry = f"  - {link(source['title'], source['url'])}"
                if source["publisher"]:
                    entry += f", {text(source['publisher'])}"
                if source["archived_url"]:
                    entry += f" ({link('archived copy', source['archived_url'])})"
                lines.append(entry + f" — {text(source['stance'])}")
    lines += ["", "## Corrections", ""]
    if report["corrections"]:
        for c in report["corrections"]:
            before = text(c["previous_verdict"]["name"]) if c["previous_verdict"] else "none"
            after = text(c["new_verdict"]["name"]) if c["new_verdict"] else "none"
            lines.append(
                f"- {c['date'][:10]}, claim {c['claim_id']}: {before} → {after}. {text(c['note'])}"
            )
    else:
        lines.append("No corrections.")
    lines += ["", "## Methodology", "", "Each claim is rated on this scale:", ""]
    for rating in report["methodology"]["ratings"]:
        value = f" ({rating['value']} of 5)" if rating["ordinal"] else ""
        lines.append(f"- **{text(rating['name'])}**{value}: {text(rating['description'])}")
    return ("\n".join(lines) + "\n").encode("utf-8")
