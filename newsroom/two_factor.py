"""Two-factor sign-in for editors: their codes, setting up an app, and requiring it.

An editor sets up an app (any TOTP one) on the admin page "Two-factor sign-in"; from then on
signing in asks for its code (``newsroom.signin.SignInForm``). Ten backup codes, shown once,
stand in for the app when it is lost. A superuser can require two-factor sign-in for
everyone (``SignInPolicy``); then anyone without an app is sent to set one up first.
"""

import logging
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import auth
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from newsroom.models import SignInPolicy

logger = logging.getLogger(__name__)

BACKUP_CODES = 10
APP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"


def normalise_code(code: str) -> str:
    """A code as stored: backup codes are lower case; spaces people type are dropped."""
    return "".join(code.split()).lower()


def verify_code(user, code: str) -> Device | None:
    """The user's device that accepts ``code``, used up so that it cannot be replayed.

    Digits are an authenticator app's code, anything else a backup code; each is checked
    only against its own kind of device, so that a backup code does not count as a wrong
    app code (django-otp slows a device down after each wrong code).
    """
    code = normalise_code(code)
    kind = TOTPDevice if code.isdigit() else StaticDevice
    with transaction.atomic():
        for device in kind.objects.devices_for_user(user, confirmed=True).select_for_update():
            if device.verify_token(code):
                return device
    return None


def with_two_factor_standing(users: QuerySet) -> QuerySet:
    """``users``, each read with whether they have an app or backup codes set up, and
    whether two-factor sign-in is required of everyone."""
    return users.annotate(
        has_app=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        has_backup_codes=Exists(StaticDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        two_factor_required=Exists(SignInPolicy.objects.filter(two_factor_required=True)),
    )


class EditorBackend(ModelBackend):
    """Django's own password backend, whose signed-in user knows their two-factor standing.

    The user is read on every request anyway; reading in the same query whether they have
    set up two-factor sign-in and whether it is required spares each admin page two or three
    queries of its own.
    """

    def get_user(self, user_id):
        user = with_two_factor_standing(auth.get_user_model()._default_manager)
        user = user.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    async def aget_user(self, user_id):
        user = with_two_factor_standing(auth.get_user_model()._default_manager)
        user = await user.filter(pk=user_id).afirst()
        return user if user is not None and self.user_can_authenticate(user) else None


def has_two_factor(user) -> bool:
    if hasattr(user, "has_app"):  # read with the user (EditorBackend)
        return user.has_app or user.has_backup_codes
    return user_has_device(user)


def two_factor_required(user) -> bool:
    if hasattr(user, "two_factor_required"):  # read with the user (EditorBackend)
        return user.two_factor_required
    return SignInPolicy.load().two_factor_required


def admin_detour(request: HttpRequest) -> HttpResponse | None:
    """Where a signed-in editor must go before the admin page they asked for, if anywhere.

    - Signed in with a password alone although they have set up two-factor sign-in (a
      session from before they did): signed out, to sign in again with a code.
    - Two-factor sign-in is required and they have not set it up: to the page that does.
    """
    user = request.user
    url_name = request.resolver_match.url_name
    if url_name == "logout" or user.is_verified():
        return None
    if has_two_factor(user):
        auth.logout(request)
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if url_name != "two_factor" and two_factor_required(user):
        return redirect("admin:two_factor")
    return None


class ConfirmAppForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Code from the app"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, device: TOTPDevice, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_otp_token(self) -> str:
        code = normalise_code(self.cleaned_data["otp_token"])
        if not self.device.verify_token(code):
            raise forms.ValidationError(
                _("That code is not right. Check the app's clock, and try the newest code."),
                code="wrong_code",
            )
        return code


def qr_code_svg(text: str) -> str:
    """``text`` as a QR code, an SVG element to put in the page as it is."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=8)
    # Generated from our own otpauth: URL by the qrcode library: paths only, no script.
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308


@transaction.atomic
def confirm_app(user, device: TOTPDevice) -> list[str]:
    """Make ``device`` the user's one app, with fresh backup codes; returns the codes."""
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=user).delete()
    backup = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=backup, token=code) for code in codes)
    return codes


def enrol_view(request: HttpRequest, admin_site) -> HttpResponse:
    """The admin page where an editor sets up (or replaces) their authenticator app."""
    user = request.user
    # The secret waits, unconfirmed, until the editor proves their app has it.
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    form = ConfirmAppForm(request.POST or None, device=device)
    context = {
        **admin_site.each_context(request),
        "title": _("Two-factor sign-in"),
        "subtitle": None,
        "has_app": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "required": two_factor_required(user),
    }
    if request.method == "POST" and form.is_valid():
        codes = confirm_app(user, device)
        otp_login(request, device)  # this session has just proved it holds the app
        logger.info("Two-factor sign-in set up by %s.", user.get_username())
        # Shown once, in the answer to the POST: never stored where a later page could show
        # them again (the admin's pages are never cached).
        return TemplateResponse(
            request, "admin/two_factor_done.html", {**context, "backup_codes": codes}
        )
    context |= {
        "form": form,
        "qr_code": qr_code_svg(device.config_url),
        "secret": b32encode(device.bin_key).decode(),
    }
    return TemplateResponse(request, "admin/two_factor.html", context)
