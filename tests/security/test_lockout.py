"""Login brute force: django-axes locks a username+address pair after N failures."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.9"
HOME = "198.51.100.7"


def _login(client, username: str, password: str, ip: str, **extra):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip, **extra
    )


def _fail_until_locked(client, username: str, ip: str, limit: int):
    responses = [_login(client, username, "wrong password", ip) for _ in range(limit)]
    return responses


def test_wrong_passwords_lock_the_pair_with_a_clear_page(client, editor, settings, caplog):
    limit = settings.AXES_FAILURE_LIMIT
    with caplog.at_level(logging.WARNING):
        responses = _fail_until_locked(client, editor.username, ATTACKER, limit)
    # Every failure before the limit re-shows the form; the limit-th is the lockout.
    assert [r.status_code for r in responses[:-1]] == [200] * (limit - 1)
    locked = responses[-1]
    assert locked.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in locked.templates]
    assert b"Too many failed sign-in attempts" in locked.content
    # Logged with the username and the address, never the password.
    logged = " ".join(r.getMessage() for r in caplog.records if r.name.startswith("axes"))
    assert (
        "after repeated login failures" in logged
        and editor.username in logged
        and ATTACKER in logged
    )
    assert "wrong password" not in logged

    # Locked even with the right password from the same address.
    again = _login(client, editor.username, "factcheck", ATTACKER)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_real_user_from_another_address_still_signs_in(client, editor, settings):
    _fail_until_locked(client, editor.username, ATTACKER, settings.AXES_FAILURE_LIMIT)
    response = _login(client, editor.username, "factcheck", HOME)
    assert response.status_code == 302
    assert response.url == reverse("claims:board")


def test_other_users_from_the_locked_address_are_not_locked(client, editor, reviewer, settings):
    _fail_until_locked(client, editor.username, ATTACKER, settings.AXES_FAILURE_LIMIT)
    response = _login(client, reviewer.username, "factcheck", ATTACKER)
    assert response.status_code == 302


def test_success_before_the_limit_resets_the_count(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, editor.username, "nope", ATTACKER)
    assert _login(client, editor.username, "factcheck", ATTACKER).status_code == 302
    client.post(reverse("logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, editor.username, "nope", ATTACKER).status_code == 200
    assert _login(client, editor.username, "factcheck", ATTACKER).status_code == 302


def test_forwarded_for_is_ignored_without_trusted_proxies(client, editor, settings):
    # A client cannot escape the lock by inventing X-Forwarded-For addresses.
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, editor.username, "nope", ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert (
        _login(
            client, editor.username, "factcheck", ATTACKER, HTTP_X_FORWARDED_FOR="192.0.2.200"
        ).status_code
        == 429
    )


def test_forwarded_for_is_used_behind_a_trusted_proxy(client, editor, settings):
    settings.FACTCHECK_TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, editor.username, "nope", proxy, HTTP_X_FORWARDED_FOR=f"1.2.3.4, {ATTACKER}")
    # The proxy's other clients are not locked out; the attacker's address is.
    assert (
        _login(client, editor.username, "factcheck", proxy, HTTP_X_FORWARDED_FOR=HOME).status_code
        == 302
    )
    client.post(reverse("logout"))
    assert (
        _login(
            client, editor.username, "factcheck", proxy, HTTP_X_FORWARDED_FOR=ATTACKER
        ).status_code
        == 429
    )


def test_request_that_skipped_the_proxy_is_logged(client, editor, settings, caplog):
    # With a proxy count set, a request without the proxy's X-Forwarded-For entry
    # reached gunicorn directly: the misconfiguration that lets rotation dodge the lockout.
    settings.FACTCHECK_TRUSTED_PROXY_COUNT = 2
    with caplog.at_level(logging.WARNING, logger="claims.security"):
        _login(client, editor.username, "nope", ATTACKER)
        _login(client, editor.username, "nope", ATTACKER, HTTP_X_FORWARDED_FOR="192.0.2.1")
        _login(
            client,
            editor.username,
            "nope",
            "10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"{ATTACKER}, 10.0.0.1",
        )
    warnings = [r.getMessage() for r in caplog.records if r.name == "claims.security"]
    assert len(warnings) == 2  # the third came through both proxies
    assert "has 0 X-Forwarded-For address(es) but DJANGO_TRUSTED_PROXY_COUNT=2" in warnings[0]
    assert "has 1 X-Forwarded-For" in warnings[1] and "reachable without the proxy" in warnings[1]
    assert ATTACKER in warnings[0]


def test_documented_axes_reset_username_unlocks(client, editor, settings):
    from django.core.management import call_command

    _fail_until_locked(client, editor.username, ATTACKER, settings.AXES_FAILURE_LIMIT)
    assert _login(client, editor.username, "factcheck", ATTACKER).status_code == 429
    call_command("axes_reset_username", editor.username, verbosity=0)
    assert _login(client, editor.username, "factcheck", ATTACKER).status_code == 302


def test_admin_login_is_protected_too(client, editor, settings):
    editor.is_staff = True
    editor.save()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/admin/login/", {"username": editor.username, "password": "nope"}, REMOTE_ADDR=ATTACKER
        )
    response = client.post(
        "/admin/login/",
        {"username": editor.username, "password": "factcheck"},
        REMOTE_ADDR=ATTACKER,
    )
    assert response.status_code == 429
