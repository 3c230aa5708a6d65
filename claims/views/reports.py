"""Placeholder views: replaced by the real screens."""
from django.http import Http404, HttpRequest, HttpResponse


def board_export(request: HttpRequest, **kwargs) -> HttpResponse:
    raise Http404("Not built yet.")


def article_report(request: HttpRequest, **kwargs) -> HttpResponse:
    raise Http404("Not built yet.")


def export_job(request: HttpRequest, **kwargs) -> HttpResponse:
    raise Http404("Not built yet.")

