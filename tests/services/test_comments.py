"""Comments between editor and reviewer."""

import pytest

from claims import services
from claims.models import Comment, Event

pytestmark = pytest.mark.django_db


def test_assignee_and_editor_comment(reviewer, editor, assigned_claim):
    services.comment_add(actor=reviewer, claim=assigned_claim, body="  Which year?  ")
    services.comment_add(actor=editor, claim=assigned_claim.pk, body="2023.")
    assert list(Comment.objects.values_list("author__username", "body")) == [
        (reviewer.username, "Which year?"),
        (editor.username, "2023."),
    ]
    assert Event.objects.filter(action="commented").count() == 2
    assigned_claim.refresh_from_db()
    assert assigned_claim.version == 2  # comments do not invalidate open edit forms


def test_comment_refusals(reviewer, reviewer2, outsider, assigned_claim):
    with pytest.raises(services.InvalidInput, match="The comment is empty."):
        services.comment_add(actor=reviewer, claim=assigned_claim, body="   ")
    with pytest.raises(services.InvalidInput, match="5,000 characters at most"):
        services.comment_add(actor=reviewer, claim=assigned_claim, body="x" * 5001)
    for who in (reviewer2, outsider):
        with pytest.raises(
            services.NotAllowed, match="You can only work on claims assigned to you."
        ):
            services.comment_add(actor=who, claim=assigned_claim, body="hi")
    assert not Comment.objects.exists()


def test_comment_on_missing_claim(editor):
    with pytest.raises(services.InvalidInput, match="That claim no longer exists."):
        services.comment_add(actor=editor, claim=987654, body="hi")
