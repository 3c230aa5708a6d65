"""The htmx configuration every page carries (DESIGN.md's htmx conventions)."""

import json

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_carry_the_strict_htmx_config_and_csrf_header(client, editor):
    client.force_login(editor)
    soup = BeautifulSoup(client.get(reverse("claims:board")).content, "html.parser")
    config = json.loads(soup.find("meta", attrs={"name": "htmx-config"})["content"])
    assert config["allowEval"] is False  # no eval, so the CSP needs no 'unsafe-eval'
    assert config["includeIndicatorStyles"] is False  # no inline <style> injected by htmx
    assert config["historyRestoreAsHxRequest"] is False
    # Settling copies these attributes with setAttribute; a `style` copied that way is
    # an inline style the CSP blocks (Chromium logs an error for each).
    assert "style" not in config["attributesToSettle"]
    headers = json.loads(soup.body["hx-headers"])
    assert headers["X-CSRFToken"]
