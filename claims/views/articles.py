"""Placeholder views: replaced by the real screens."""
from django.http import Http404, HttpRequest, HttpResponse


def article_list(request: HttpRequest, **kwargs) -> HttpResponse:
    raise Http404("Not built yet.")


def article_create(request: HttpRequest, **kwargs) -> HttpResponse:
    raise Http404("Not built yet.")


def article_import(request: HttpRequest, **kwargs) -> HttpResponse:
    raise Http404("Not built yet.")


def article_detail(request: HttpRequest, **kwargs) -> HttpResponse:
    raise Http404("Not built yet.")


def article_extract(request: HttpRequest, **kwargs) -> HttpResponse:
    raise Http404("Not built yet.")


def claims_keep(request: HttpRequest, **kwargs) -> HttpResponse:
    raise Http404("Not built yet.")


def claim_add(request: HttpRequest, **kwargs) -> HttpResponse:
    raise Http404("Not built yet.")


def claims_merge(request: HttpRequest, **kwargs) -> HttpResponse:
    raise Http404("Not built yet.")


def job_detail(request: HttpRequest, **kwargs) -> HttpResponse:
    raise Http404("Not built yet.")


def claim_edit(request: HttpRequest, **kwargs) -> HttpResponse:
    raise Http404("Not built yet.")


def claim_split(request: HttpRequest, **kwargs) -> HttpResponse:
    raise Http404("Not built yet.")

