"""Editors' accounts resist guessing: lockouts (django-axes) and two-factor sign-in (django-otp)."""

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from newsroom.models import SignInPolicy
from tests.factories import make_user

PASSWORD = "correct horse battery staple"  # tests.factories.make_user's
LOGIN = "/admin/login/"


def sign_in(client, username: str, password: str, *, code: str = "", ip: str = "192.0.2.1"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "otp_token": code, "next": "/admin/"},
        REMOTE_ADDR=ip,
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(client, username: str, times: int, *, ip: str = "192.0.2.1") -> list[int]:
    return [sign_in(client, username, "wrong guess", ip=ip).status_code for _ in range(times)]


def code_now(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def app(editor) -> TOTPDevice:
    """The editor's authenticator app, set up."""
    return TOTPDevice.objects.create(user=editor, name="Authenticator app", confirmed=True)


def verified_client(client, user, device):
    """``client`` signed in as ``user``, with the two-factor code of ``device``."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def two_factor_required(db):
    policy = SignInPolicy.load()
    policy.two_factor_required = True
    policy.save()
    return policy


# Lockouts


def test_right_password_signs_in(client, editor):
    assert sign_in(client, "editor", PASSWORD).status_code == 302
    assert signed_in(client)


def test_wrong_passwords_for_one_account_from_many_addresses_lock_it(client, editor):
    statuses = [
        sign_in(client, "editor", "wrong guess", ip=f"192.0.2.{n}").status_code for n in range(1, 6)
    ]
    assert statuses == [200, 200, 200, 200, 429]

    response = sign_in(client, "editor", PASSWORD, ip="203.0.113.50")

    assert response.status_code == 429
    assert not signed_in(client)


def test_wrong_passwords_for_many_accounts_from_one_address_lock_that_address(client, editor):
    for name in ["ada", "grace", "alan", "edsger", "barbara"]:
        make_user(name, is_staff=True)
        fail(client, name, 1, ip="198.51.100.7")

    assert sign_in(client, "editor", PASSWORD, ip="198.51.100.7").status_code == 429
    assert not signed_in(client)
    # The editor's account itself is not locked: from elsewhere, they sign in.
    assert sign_in(client, "editor", PASSWORD, ip="203.0.113.50").status_code == 302
    assert signed_in(client)


def test_lockout_page_says_how_many_minutes_to_wait(client, editor):
    fail(client, "editor", 5)

    response = sign_in(client, "editor", PASSWORD)

    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert "Try again in about 15 minutes." in " ".join(response.text.split())


def test_lockout_minutes_follow_the_setting(client, editor, settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=1)
    fail(client, "editor", 5)

    response = sign_in(client, "editor", PASSWORD)

    assert "Try again in about a minute." in " ".join(response.text.split())
    assert response["Retry-After"] == "60"


def test_lockout_ends_after_the_cool_off(client, editor):
    fail(client, "editor", 5)

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    assert sign_in(client, "editor", PASSWORD).status_code == 302


def test_unlock_command_frees_a_locked_account(client, editor):
    for n in range(1, 6):
        fail(client, "editor", 1, ip=f"192.0.2.{n}")
    assert sign_in(client, "editor", PASSWORD, ip="203.0.113.50").status_code == 429

    call_command("axes_reset_username", "editor", verbosity=0)

    assert sign_in(client, "editor", PASSWORD, ip="203.0.113.50").status_code == 302
    assert signed_in(client)


def test_unlock_command_frees_a_locked_address(client, editor):
    for name in ["ada", "grace", "alan", "edsger", "barbara"]:
        fail(client, name, 1, ip="198.51.100.7")
    assert sign_in(client, "editor", PASSWORD, ip="198.51.100.7").status_code == 429

    call_command("axes_reset_ip", "198.51.100.7", verbosity=0)

    assert sign_in(client, "editor", PASSWORD, ip="198.51.100.7").status_code == 302


def test_failures_and_lockouts_are_logged_with_account_and_address(client, editor, caplog):
    with caplog.at_level(logging.WARNING):
        fail(client, "editor", 5, ip="192.0.2.77")

    failures = [r.getMessage() for r in caplog.records if "login failure by" in r.getMessage()]
    lockouts = [r.getMessage() for r in caplog.records if "Locking out" in r.getMessage()]
    assert len(failures) == 5
    assert 'username: "editor"' in failures[0]
    assert 'ip_address: "192.0.2.77"' in failures[0]
    assert len(lockouts) == 1
    assert "wrong guess" not in caplog.text


def test_addresses_are_counted_as_the_comment_limits_see_them(client, editor, settings):
    """Behind one trusted proxy, the address is the one it saw, whatever connects to us."""
    settings.NEWSROOM_TRUSTED_PROXIES = 1

    def through_proxy(username, password, *, client_address, proxy_address):
        return client.post(
            LOGIN,
            {"username": username, "password": password},
            REMOTE_ADDR=proxy_address,
            HTTP_X_FORWARDED_FOR=f"198.18.0.1, {client_address}",  # the first part is forged
        )

    for n in range(1, 6):
        through_proxy(
            f"guess{n}", "wrong", client_address="203.0.113.9", proxy_address=f"10.0.0.{n}"
        )

    locked = through_proxy(
        "editor", PASSWORD, client_address="203.0.113.9", proxy_address="10.0.0.1"
    )
    other = through_proxy(
        "editor", PASSWORD, client_address="203.0.113.10", proxy_address="10.0.0.1"
    )
    assert locked.status_code == 429
    assert other.status_code == 302


def test_wrong_passwords_from_one_ipv6_network_lock_the_whole_network(client, editor):
    # One machine may hold every address of a /64: changing address is no way round.
    for n, name in enumerate(["ada", "grace", "alan", "edsger", "barbara"], start=1):
        make_user(name, is_staff=True)
        fail(client, name, 1, ip=f"2001:db8:1:2::{n}")

    assert sign_in(client, "editor", PASSWORD, ip="2001:db8:1:2:ffff::9").status_code == 429
    assert sign_in(client, "editor", PASSWORD, ip="2001:db8:1:3::1").status_code == 302


def test_unknown_addresses_share_one_count(client, editor):
    """A client whose address cannot be told is limited with every other such client."""
    for name in ["ada", "grace", "alan", "edsger", "barbara"]:
        fail(client, name, 1, ip="")

    assert sign_in(client, "editor", PASSWORD, ip="").status_code == 429
    assert sign_in(client, "editor", PASSWORD, ip="192.0.2.1").status_code == 302


# Two-factor sign-in


def test_editor_with_an_app_cannot_sign_in_without_its_code(client, editor, app):
    response = sign_in(client, "editor", PASSWORD)

    assert response.status_code == 200
    assert not signed_in(client)
    assert "Enter the code from your authenticator app" in response.text


def test_editor_with_an_app_signs_in_with_its_code(client, editor, app):
    response = sign_in(client, "editor", PASSWORD, code=code_now(app))

    assert response.status_code == 302
    assert signed_in(client)
    assert client.session[DEVICE_ID_SESSION_KEY] == app.persistent_id


def test_wrong_code_is_refused(client, editor, app):
    wrong = f"{(int(code_now(app)) + 1) % 10**6:06d}"

    response = sign_in(client, "editor", PASSWORD, code=wrong)

    assert response.status_code == 200
    assert not signed_in(client)
    assert "That code is not right" in response.text


def test_a_code_cannot_be_used_twice(client, editor, app):
    code = code_now(app)
    sign_in(client, "editor", PASSWORD, code=code)
    client.logout()

    sign_in(client, "editor", PASSWORD, code=code)

    assert not signed_in(client)


def test_wrong_codes_count_as_failed_sign_ins(client, editor, app, caplog):
    wrong = f"{(int(code_now(app)) + 1) % 10**6:06d}"
    with caplog.at_level(logging.WARNING):
        statuses = [
            sign_in(client, "editor", PASSWORD, code=wrong, ip=f"192.0.2.{n}").status_code
            for n in range(1, 6)
        ]

    assert statuses[-1] == 429
    assert "Two-factor code refused for editor from 192.0.2.1." in caplog.text


def test_backup_code_signs_in_once(client, editor, app):
    backup = StaticDevice.objects.create(user=editor, name="Backup codes")
    StaticToken.objects.create(device=backup, token="abcd2345")

    assert sign_in(client, "editor", PASSWORD, code="ABCD 2345").status_code == 302
    client.logout()
    assert sign_in(client, "editor", PASSWORD, code="abcd2345").status_code == 200
    assert not signed_in(client)


def test_editor_without_an_app_signs_in_with_the_password_alone(client, editor):
    assert sign_in(client, "editor", PASSWORD).status_code == 302


def test_session_from_before_the_app_was_set_up_is_signed_out(editor_client, editor, app):
    response = editor_client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert not signed_in(editor_client)


# Setting up an app


def test_editor_sets_up_an_app_and_gets_backup_codes_once(editor_client, editor):
    page = editor_client.get(reverse("admin:two_factor"))
    assert page.status_code == 200
    assert "<svg" in page.text
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    assert page.context["secret"] in page.text

    done = editor_client.post(reverse("admin:two_factor"), {"otp_token": code_now(device)})

    assert done.status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    codes = done.context["backup_codes"]
    assert len(codes) == 10
    assert all(code in done.text for code in codes)
    assert StaticToken.objects.filter(device__user=editor).count() == 10
    # This session proved it holds the app: the admin stays open.
    assert editor_client.get("/admin/").status_code == 200
    # And the codes are not shown again.
    assert codes[0] not in editor_client.get(reverse("admin:two_factor")).text


def test_setting_up_an_app_needs_a_right_code(editor_client, editor):
    editor_client.get(reverse("admin:two_factor"))

    response = editor_client.post(reverse("admin:two_factor"), {"otp_token": "000000x"})

    assert response.status_code == 200
    assert "That code is not right" in response.text
    assert not TOTPDevice.objects.filter(user=editor, confirmed=True).exists()


# Requiring two-factor sign-in


def test_when_required_an_editor_without_an_app_is_sent_to_set_one_up(
    editor_client, two_factor_required
):
    for page in ["/admin/", reverse("admin:comments_comment_changelist")]:
        response = editor_client.get(page)
        assert response.status_code == 302
        assert response["Location"] == reverse("admin:two_factor")
    assert editor_client.get(reverse("admin:two_factor")).status_code == 200


def test_when_required_an_editor_with_an_app_works_as_usual(
    client, editor, app, two_factor_required
):
    verified_client(client, editor, app)

    assert client.get("/admin/").status_code == 200


def test_superuser_can_require_two_factor_sign_in(client, db):
    superuser = make_user("chief", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    url = reverse("admin:newsroom_signinpolicy_change", args=[1])

    response = client.post(url, {"two_factor_required": "on"})

    assert response.status_code == 302
    assert SignInPolicy.load().two_factor_required


def test_editor_cannot_turn_two_factor_requirement_off_even_with_the_permission(
    client, editor, app, two_factor_required
):
    editor.user_permissions.add(Permission.objects.get(codename="change_signinpolicy"))
    verified_client(client, editor, app)
    url = reverse("admin:newsroom_signinpolicy_change", args=[1])

    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403
    assert SignInPolicy.load().two_factor_required
