"""Signing in to the editors' workplace: password, then the two-factor code if they have one.

django-axes counts failed sign-ins (settings: ``AXES_*``) and calls two things here: the
client's address, by the site's one rule, and the page a locked-out client sees. A wrong
two-factor code is a failed sign-in too, counted and logged the same way.
"""

import ipaddress
import logging
import math

from axes.helpers import get_cool_off
from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device

from comments.services import client_ip as site_client_ip
from comments.throttle import IPV6_PREFIX
from newsroom.two_factor import verify_code
from newsroom.waits import wait_in_words

logger = logging.getLogger(__name__)


def client_ip(request: HttpRequest) -> str | None:
    """The address whose failed sign-ins are counted, by the comment limits' rule.

    An IPv6 client is counted by its /64 network (stored as the network's first address):
    one machine may hold every address of it, as with the comment limits. An address the site
    cannot tell (no trustworthy one reached us) is ``None``, which axes stores as an empty
    address: every such client shares one count, limited together rather than not at all.
    """
    address = site_client_ip(request.META)
    if address is None:
        return None
    ip = ipaddress.ip_address(address)
    if ip.version == 6:
        return str(ipaddress.ip_network((ip, IPV6_PREFIX), strict=False).network_address)
    return str(ip)


def lockout_minutes(request: HttpRequest) -> int:
    """How long a locked-out client waits: the whole cool-off, as each failure restarts it."""
    return math.ceil(get_cool_off(request).total_seconds() / 60)


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The page axes answers a locked-out sign-in with (``AXES_LOCKOUT_CALLABLE``)."""
    seconds = lockout_minutes(request) * 60
    context = {**admin.site.each_context(request), "wait": wait_in_words(seconds)}
    response = render(request, "registration/locked_out.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response


class SignInForm(AdminAuthenticationForm):
    """The admin's sign-in: username, password and, for those who set it up, a code."""

    otp_token = forms.CharField(
        label=_("Two-factor code"),
        required=False,
        max_length=32,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
        help_text=_(
            "From your authenticator app, or one of your backup codes. Leave it empty if you "
            "have not set up two-factor sign-in."
        ),
    )

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "code_required": _(
            "Enter the code from your authenticator app (or a backup code) as well."
        ),
        "wrong_code": _("That code is not right, or has been used. Try the newest one."),
    }

    def clean(self):
        cleaned_data = super().clean()  # the password, through axes
        user = self.get_user()
        if user is not None and user_has_device(user):
            code = cleaned_data.get("otp_token", "")
            if not code:
                raise forms.ValidationError(
                    self.error_messages["code_required"], code="code_required"
                )
            device = verify_code(user, code)
            if device is None:
                self.code_refused(user)
                raise forms.ValidationError(self.error_messages["wrong_code"], code="wrong_code")
            # django-otp keeps this in the session when the user is signed in: verified.
            user.otp_device = device
        return cleaned_data

    def code_refused(self, user) -> None:
        """Count and log a wrong code as a failed sign-in of this account."""
        logger.warning(
            "Two-factor code refused for %s from %s.",
            user.get_username(),
            client_ip(self.request),
        )
        user_login_failed.send(
            sender=__name__,
            credentials={"username": user.get_username()},
            request=self.request,
        )
