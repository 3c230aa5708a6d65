"""One mapping from a refusal to its HTTP status, the same on every screen."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from claims import errors
from claims.models import Claim
from claims.views.refusals import status_for

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def test_status_for_each_kind_of_refusal():
    assert status_for(errors.NotAllowed("no")) == 403
    assert status_for(errors.Busy("clash")) == 409
    assert status_for(errors.InvalidInput("bad")) == 422
    assert status_for(errors.InvalidTransition("not now")) == 422


def test_stale_version_is_409():
    claim = Claim(version=3)
    assert status_for(errors.StaleVersion(claim=claim, seen_version=2, changes=[])) == 409


@pytest.mark.parametrize("htmx", [False, True])
def test_a_step_not_allowed_from_this_status_is_422_on_every_screen(client, editor, claim, htmx):
    """The board, the claim panel and the article page answer the same refusal alike,
    with and without JavaScript, and show its message."""
    client.force_login(editor)
    extra = HX if htmx else {}
    board = client.post(
        reverse("claims:claim-move", args=[claim.pk]), {"status": "published"}, **extra
    )
    panel = client.post(
        reverse("claims:claim-step", args=[claim.pk, "publish"]),
        {"version": claim.version},
        **extra,
    )
    split = client.post(
        reverse("claims:claim-split", args=[claim.pk]),
        {"at": "99999", "version": claim.version},
        **extra,
    )
    for response in (board, panel, split):
        assert response.status_code == 422, response
        assert 'role="alert"' in response.content.decode()


@pytest.mark.parametrize("htmx", [False, True])
def test_a_stale_edit_is_409_on_every_screen(client, editor, claim, htmx):
    client.force_login(editor)
    extra = HX if htmx else {}
    stale = claim.version
    claim.refresh_from_db()
    client.post(
        reverse("claims:claim-due", args=[claim.pk]), {"version": stale, "due_date": "2031-01-01"}
    )
    panel = client.post(
        reverse("claims:claim-due", args=[claim.pk]),
        {"version": stale, "due_date": "2031-02-01"},
        **extra,
    )
    edit = client.post(
        reverse("claims:claim-edit", args=[claim.pk]),
        {"version": stale, "text": "New words."},
        **extra,
    )
    board = client.post(
        reverse("claims:claim-move", args=[claim.pk]),
        {"status": "dismissed", "reason": "x", "version": stale},
        **extra,
    )
    for response in (panel, edit, board):
        assert response.status_code == 409, response
        assert "changed by" in response.content.decode()


def test_not_allowed_is_403_with_the_reason(client, reviewer2, assigned_claim):
    client.force_login(reviewer2)
    response = client.post(
        reverse("claims:claim-move", args=[assigned_claim.pk]), {"status": "researching"}
    )
    assert response.status_code == 403
    assert "assigned to you" in response.content.decode()
    htmx = client.post(
        reverse("claims:claim-move", args=[assigned_claim.pk]), {"status": "researching"}, **HX
    )
    assert htmx.status_code == 403 and "assigned to you" in htmx.content.decode()


def test_htmx_swaps_refusals_through_one_response_handling_entry(client, editor, settings):
    client.force_login(editor)
    html = client.get(reverse("claims:board")).content.decode()
    config = json.loads(html.split('name="htmx-config" content=\'', 1)[1].split("'", 1)[0])
    by_code = {rule["code"]: rule for rule in config["responseHandling"]}
    for code in ("403", "409", "422"):
        assert by_code[code]["swap"] is True and by_code[code]["error"] is False
    assert by_code["[45].."]["swap"] is False
    # No screen script second-guesses it by status code.
    for script in ("board.js", "claim_panel.js", "triage.js"):
        source = (settings.BASE_DIR / "static" / "js" / script).read_text()
        assert "xhr.status" not in source, script
