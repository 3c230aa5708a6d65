"""The local production trial: DEBUG off over plain HTTP, for this machine only.

DJANGO_INSECURE_LOCAL=1 turns off the HTTPS redirect, HSTS and secure cookies so
production settings can be tried at http://127.0.0.1:8000/. It must never face a
network: settings accept only loopback host names, gunicorn refuses to bind
elsewhere (factcheck/gunicorn_conf.py), and this middleware answers any client
that is not on this machine with 403.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable, Iterable

LOOPBACK_NAMES = {"localhost", "127.0.0.1", "[::1]", "::1"}
FLAG = "DJANGO_INSECURE_LOCAL"


def flag_set() -> bool:
    return os.environ.get(FLAG, "").strip().lower() in {"1", "true", "yes", "on"}


def is_loopback(host: str) -> bool:
    host = host.strip()
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def public_binds(addresses: Iterable) -> list[str]:
    """gunicorn bind addresses ((host, port) or a unix socket path) that face a network."""
    public = []
    for address in addresses:
        if isinstance(address, tuple) and not is_loopback(str(address[0])):
            public.append(f"{address[0]}:{address[1]}")
    return public


class LoopbackOnlyMiddleware:
    def __init__(self, get_response: Callable):
        self.get_response = get_response

    def __call__(self, request):
        from django.http import HttpResponseForbidden

        if not is_loopback(request.META.get("REMOTE_ADDR", "")):
            return HttpResponseForbidden(
                f"{FLAG}=1 serves this machine only.", content_type="text/plain"
            )
        return self.get_response(request)
