"""PDF export: WeasyPrint from the HTML report, with no network access.

The stylesheet is inlined (static/css/report-print.css, a plainer sheet than
the page's, whose @page rules number the pages; the template also switches to
flatter markup in "pdf" mode, see docs/performance.md) and the URL fetcher refuses every URL except inline data: URLs, so a
link or image in user content can never make the server fetch anything.
"""

from __future__ import annotations

from weasyprint import HTML
from weasyprint.urls import URLFetcher


class LocalOnlyFetcher(URLFetcher):
    """Serves data: URLs only; everything else (http, file, ftp...) is refused."""

    def fetch(self, url, headers=None):
        if url.lower().startswith("data:"):
            return super().fetch(url, headers)
        raise ValueError(f"Remote resources are not fetched for reports: {url[:80]}")


def render_html(html: str) -> bytes:
    return HTML(string=html, base_url=None, url_fetcher=LocalOnlyFetcher()).write_pdf()


def render(report: dict) -> bytes:
    from claims.reports import html

    return render_html(html.render(report, mode="pdf"))
