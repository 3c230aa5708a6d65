from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return redirect("claims:board")


@require_GET
def board(request: HttpRequest) -> HttpResponse:
    return render(request, "claims/board.html", {"nav": "board"})


def board_column(request: HttpRequest, **kwargs) -> HttpResponse:
    raise Http404("Not built yet.")


def board_stamp(request: HttpRequest, **kwargs) -> HttpResponse:
    raise Http404("Not built yet.")


def claims_bulk(request: HttpRequest, **kwargs) -> HttpResponse:
    raise Http404("Not built yet.")


def my_claims(request: HttpRequest, **kwargs) -> HttpResponse:
    raise Http404("Not built yet.")


def claim_move(request: HttpRequest, **kwargs) -> HttpResponse:
    raise Http404("Not built yet.")
