"""The second factor: who is asked, enrolment, codes from the app, recovery codes, wrong codes,
the admin behind it, and what the sign-in log says."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from actionplan.models import Institution
from portal import mfa
from portal.accounts import create_demo_accounts
from portal.models import SignInEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MFA_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # throttling has a test of its own
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


@pytest.fixture
def people(plan, institution, jurisdiction):
    other = Institution.objects.create(jurisdiction=jurisdiction, slug="other", name="Other")
    create_demo_accounts(plan, institution, other)
    return {user.username: user for user in User.objects.all()}


def sign_in(client, username):
    data = {"username": username, "password": "demo"}
    return client.post(reverse("accounts:login"), data, REMOTE_ADDR="10.1.1.1")


def code_for(device, drift=0):
    return f"{totp(device.bin_key, drift=drift):06d}"


def enrol(client):
    """Open the enrolment page, read the key it shows and confirm it with the app's code."""
    page = client.get(reverse("accounts:mfa_enrol"))
    secret = client.session[mfa.SECRET_SESSION_KEY]
    assert "<svg" in page.content.decode()
    code = code_for(TOTPDevice(key=secret))
    response = client.post(reverse("accounts:mfa_enrol"), {"code": code})
    assert response.status_code == 302, response.content.decode()
    return TOTPDevice.objects.get(confirmed=True)


def test_a_person_with_a_role_is_sent_to_enrolment_after_the_password(client, people):
    sign_in(client, "staff")
    response = client.get(reverse("staff:my_steps"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:mfa_verify"))
    response = client.get(response["Location"])
    assert response["Location"].startswith(reverse("accounts:mfa_enrol"))
    page = client.get(response["Location"]).content.decode()
    # The QR code is drawn inline (no request elsewhere) and the key is there as text too.
    assert "<svg" in page and 'id="mfa-secret"' in page
    assert "src=" not in page.split('class="app-qr"')[1].split("</figure>")[0]


def test_every_page_waits_for_the_code_even_public_ones_and_htmx(client, people):
    sign_in(client, "coordinator")
    assert client.get(reverse("actionplan:home")).status_code == 302
    response = client.get(reverse("staff:my_steps"), HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("accounts:mfa_verify"))
    # Signing out works without a code.
    assert client.post(reverse("accounts:logout")).status_code == 302


def test_enrolment_shows_recovery_codes_once_and_logs_it(client, people):
    sign_in(client, "board")
    device = enrol(client)
    assert device.user.username == "board"
    page = client.get(reverse("accounts:mfa_recovery_codes")).content.decode()
    codes = list(StaticToken.objects.filter(device__user=device.user).values_list("token", flat=1))
    assert len(codes) == mfa.RECOVERY_CODES
    assert all(code in page for code in codes)
    again = client.get(reverse("accounts:mfa_recovery_codes")).content.decode()
    assert not any(code in again for code in codes)
    assert client.get(reverse("staff:my_steps")).status_code == 200  # verified by enrolment
    assert SignInEvent.objects.filter(kind="mfa_enrolled", username="board").count() == 1


def test_a_wrong_first_code_does_not_enrol(client, people):
    sign_in(client, "staff")
    client.get(reverse("accounts:mfa_enrol"))
    response = client.post(reverse("accounts:mfa_enrol"), {"code": "000000x"})
    assert response.status_code == 422
    assert "That code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


def test_sign_in_with_a_code_from_the_app(client, people):
    sign_in(client, "monitor")
    device = enrol(client)
    client.post(reverse("accounts:logout"))
    sign_in(client, "monitor")
    assert client.get(reverse("staff:my_steps")).status_code == 302
    half_signed_in = client.session.session_key
    # The code of the next period: the one used to enrol cannot be used twice.
    response = client.post(
        reverse("accounts:mfa_verify") + "?next=/en/my-steps/", {"code": code_for(device, 1)}
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/my-steps/"
    assert client.get(reverse("staff:my_steps")).status_code == 200
    assert client.session.session_key != half_signed_in  # a new session id once verified


def test_a_used_code_and_a_wrong_code_are_refused_with_a_message_and_logged(client, people):
    sign_in(client, "staff")
    device = enrol(client)
    used = code_for(device)
    client.post(reverse("accounts:logout"))
    sign_in(client, "staff")
    for code in (used, "123456", "not-a-code"):
        response = client.post(reverse("accounts:mfa_verify"), {"code": code})
        assert response.status_code == 422
        assert "That code is not right" in response.content.decode()
    assert client.get(reverse("staff:my_steps")).status_code == 302
    assert SignInEvent.objects.filter(kind="mfa_failed", username="staff").count() == 3


def test_a_recovery_code_works_once_and_its_use_is_logged(client, people):
    sign_in(client, "coordinator")
    enrol(client)
    code = StaticToken.objects.first().token
    client.post(reverse("accounts:logout"))
    sign_in(client, "coordinator")
    response = client.post(reverse("accounts:mfa_verify"), {"code": code.upper()})
    assert response.status_code == 302
    assert client.get(reverse("staff:my_steps")).status_code == 200
    event = SignInEvent.objects.get(kind="recovery_code_used")
    assert (event.username, event.detail) == ("coordinator", f"{mfa.RECOVERY_CODES - 1} left")
    client.post(reverse("accounts:logout"))
    sign_in(client, "coordinator")
    assert client.post(reverse("accounts:mfa_verify"), {"code": code}).status_code == 422


def test_wrong_codes_in_a_row_make_the_device_wait(client, people, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    settings.OTP_STATIC_THROTTLE_FACTOR = 60
    sign_in(client, "staff")
    device = enrol(client)
    client.post(reverse("accounts:logout"))
    sign_in(client, "staff")
    client.post(reverse("accounts:mfa_verify"), {"code": "123456"})
    client.post(reverse("accounts:mfa_verify"), {"code": "abcdefgh"})
    # Now even the right code waits: the answer says so.
    response = client.post(reverse("accounts:mfa_verify"), {"code": code_for(device, 1)})
    assert response.status_code == 429
    assert "Too many wrong codes" in response.content.decode()


def test_code_attempts_are_rate_limited_per_address(client, people, settings):
    settings.RATE_LIMITS = {"mfa": (2, 600)}
    sign_in(client, "staff")
    enrol_page = reverse("accounts:mfa_enrol")
    client.get(enrol_page)
    for _ in range(2):
        assert client.post(enrol_page, {"code": "111111"}).status_code == 422
    assert client.post(enrol_page, {"code": "111111"}).status_code == 429


def test_the_admin_is_behind_the_code(client, people):
    sign_in(client, "admin")
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:mfa_verify"))
    enrol(client)
    assert client.get(reverse("admin:index")).status_code == 200


def test_admin_site_refuses_a_half_signed_in_administrator(rf, people):
    from django.contrib import admin
    from django.contrib.sessions.backends.db import SessionStore

    request = rf.get("/")
    request.user = people["admin"]
    request.session = SessionStore()
    assert not admin.site.has_permission(request)


def test_without_a_role_no_code_is_asked(client, people):
    User.objects.create_user("citizen", password="demo")
    sign_in(client, "citizen")
    assert client.get(reverse("actionplan:home")).status_code == 200


def test_with_debug_only_enrolled_people_are_asked(client, people, settings):
    settings.MFA_REQUIRED = False
    sign_in(client, "staff")
    assert client.get(reverse("staff:my_steps")).status_code == 200
    device = enrol(client)
    client.post(reverse("accounts:logout"))
    sign_in(client, "staff")
    assert client.get(reverse("staff:my_steps")).status_code == 302
    client.post(reverse("accounts:mfa_verify"), {"code": code_for(device, 1)})
    assert client.get(reverse("staff:my_steps")).status_code == 200


def test_removing_the_authenticator_is_logged_and_means_enrolling_again(client, people):
    sign_in(client, "staff")
    device = enrol(client)
    device.delete()
    assert SignInEvent.objects.filter(kind="mfa_removed", username="staff").exists()
    # The verification went with the device.
    assert client.get(reverse("staff:my_steps")).status_code == 302


def test_the_enrolment_page_of_an_enrolled_person_leads_to_the_code(client, people):
    sign_in(client, "staff")
    enrol(client)
    client.post(reverse("accounts:logout"))
    sign_in(client, "staff")
    response = client.get(reverse("accounts:mfa_enrol"))
    assert response["Location"].startswith(reverse("accounts:mfa_verify"))
    # Nobody with the password alone can replace the authenticator.
    assert client.post(reverse("accounts:mfa_enrol"), {"code": "123456"}).status_code == 302
    assert TOTPDevice.objects.count() == 1


def test_the_code_page_never_sends_elsewhere(client, people):
    sign_in(client, "staff")
    enrol(client)
    response = client.get(reverse("accounts:mfa_verify") + "?next=https://evil.example/")
    assert response["Location"] == reverse("staff:my_steps")


def test_administrators_see_devices_but_never_their_secrets(client, people):
    sign_in(client, "admin")
    device = enrol(client)
    url = reverse("admin:otp_totp_totpdevice_change", args=[device.pk])
    page = client.get(url).content.decode()
    assert device.key not in page
    codes = StaticToken.objects.values_list("token", flat=True)
    listing = client.get(reverse("admin:otp_static_staticdevice_changelist")).content.decode()
    assert not any(code in listing for code in codes)


def test_the_code_page_costs_a_fixed_number_of_queries(client, people, django_assert_num_queries):
    sign_in(client, "staff")
    enrol(client)
    client.post(reverse("accounts:logout"))
    sign_in(client, "staff")
    # The session, the user, whether an authenticator is enrolled, then the session saved
    # (SESSION_SAVE_EVERY_REQUEST: an UPDATE inside a savepoint and its release).
    with django_assert_num_queries(6):
        assert client.get(reverse("accounts:mfa_verify")).status_code == 200
