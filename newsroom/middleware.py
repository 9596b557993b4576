"""Security headers Django 5.2 has no setting for.

- ``Content-Security-Policy`` from ``settings.SECURE_CSP``, on every page, the admin's too.
  Django 6 sends it itself (``django.middleware.csp.ContentSecurityPolicyMiddleware``, the
  same setting); ``settings.MIDDLEWARE`` picks this one only on 5.2.
- ``Permissions-Policy`` from ``settings.NEWSROOM_PERMISSIONS_POLICY``, on every response:
  nothing on the site needs a camera, a microphone, a location or a payment.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def content_security_policy(config: dict[str, list[str] | bool]) -> str:
    """``{"script-src": ["'self'"], "upgrade-insecure-requests": True}`` as a header value,
    written as Django 6's ``django.utils.csp.build_policy()`` writes it (without nonces)."""
    return "; ".join(
        directive if values is True else f"{directive} {' '.join(values)}"
        for directive, values in config.items()
        if values
    )


def permissions_policy(config: dict[str, list[str]]) -> str:
    """``{"camera": [], "fullscreen": ["self"]}`` as ``camera=(), fullscreen=(self)``."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in config.items())


class ContentSecurityPolicyMiddleware:
    """Django 6's ``SECURE_CSP`` on Django 5.2. A view that set its own header keeps it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.SECURE_CSP:
            policy = content_security_policy(settings.SECURE_CSP)
            response.headers.setdefault("Content-Security-Policy", policy)
        return response


class PermissionsPolicyMiddleware:
    """No page, nor anything framed in one, may ask for the features
    ``NEWSROOM_PERMISSIONS_POLICY`` lists (Django has no setting for the header)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.NEWSROOM_PERMISSIONS_POLICY:
            policy = permissions_policy(settings.NEWSROOM_PERMISSIONS_POLICY)
            response.headers.setdefault("Permissions-Policy", policy)
        return response
