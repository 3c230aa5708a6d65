"""Placeholder views: replaced by the real screens."""
from django.http import Http404, HttpRequest, HttpResponse


def claim_detail(request: HttpRequest, **kwargs) -> HttpResponse:
    raise Http404("Not built yet.")


def claim_assign(request: HttpRequest, **kwargs) -> HttpResponse:
    raise Http404("Not built yet.")


def claim_due(request: HttpRequest, **kwargs) -> HttpResponse:
    raise Http404("Not built yet.")


def claim_step(request: HttpRequest, **kwargs) -> HttpResponse:
    raise Http404("Not built yet.")


def claim_verdict(request: HttpRequest, **kwargs) -> HttpResponse:
    raise Http404("Not built yet.")


def source_add(request: HttpRequest, **kwargs) -> HttpResponse:
    raise Http404("Not built yet.")


def comment_add(request: HttpRequest, **kwargs) -> HttpResponse:
    raise Http404("Not built yet.")


def source_edit(request: HttpRequest, **kwargs) -> HttpResponse:
    raise Http404("Not built yet.")


def source_delete(request: HttpRequest, **kwargs) -> HttpResponse:
    raise Http404("Not built yet.")

