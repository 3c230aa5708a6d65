"""Every admin page loads for a superuser; the audit log cannot be edited or deleted there."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_with_data(admin_client, published_claim):
    return admin_client


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_admin_changelist_and_detail_load(admin_client_with_data, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    response = admin_client_with_data.get(changelist)
    assert response.status_code == 200
    response = admin_client_with_data.get(changelist, {"q": "city"})
    assert response.status_code == 200
    obj = model.objects.first()
    if obj is not None:
        response = admin_client_with_data.get(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        )
        assert response.status_code == 200


def test_events_cannot_be_changed_or_deleted_in_admin(admin_client_with_data):
    from claims.models import Event

    event = Event.objects.first()
    delete_url = reverse("admin:claims_event_delete", args=[event.pk])
    assert admin_client_with_data.post(delete_url, {"post": "yes"}).status_code == 403
    assert Event.objects.filter(pk=event.pk).exists()
    change_url = reverse("admin:claims_event_change", args=[event.pk])
    admin_client_with_data.post(change_url, {"action": "tampered"})
    event.refresh_from_db()
    assert event.action != "tampered"


def test_rating_scale_editable_in_admin(admin_client):
    from claims.models import Rating

    rating = Rating.objects.get(name="Unverifiable")
    url = reverse("admin:claims_rating_change", args=[rating.pk])
    response = admin_client.post(
        url,
        {
            "name": "Unverifiable",
            "value": "",
            "position": 9,
            "description": "Cannot be checked.",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    rating.refresh_from_db()
    assert rating.position == 9
