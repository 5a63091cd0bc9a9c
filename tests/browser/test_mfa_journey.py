"""A monitor's second factor, as a person meets it: enrolment at the first sign-in (scanning is
replaced by reading the key the page shows as text), the recovery codes shown once, signing in
again with a code from the app, then with a recovery code, and a wrong code refused."""

from base64 import b32decode

import pytest
from django_otp.oath import totp

from tests.browser.pages import assert_accessible


@pytest.fixture
def required(demo_accounts, settings):
    settings.MFA_REQUIRED = True  # as with DEBUG off


def password_step(page, username="monitor"):
    page.goto("/en/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("demo")
    page.get_by_role("button", name="Sign in").click()


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/en/")


def code(secret, drift=0):
    return f"{totp(b32decode(secret), drift=drift):06d}"


def enter_code(page, value):
    page.get_by_label("Code").fill(value)
    page.get_by_role("button", name="Sign in").click()


def test_enrol_then_sign_in_with_a_code_and_a_recovery_code(new_page, required):
    page = new_page()
    password_step(page)
    page.wait_for_url("**/en/accounts/code/set-up/**")
    assert page.locator(".app-qr svg").is_visible()
    assert_accessible(page)
    secret = page.locator("#mfa-secret").inner_text().replace(" ", "")
    page.get_by_label("Code").fill(code(secret))
    page.get_by_role("button", name="Confirm and continue").click()

    page.wait_for_url("**/en/accounts/code/recovery-codes/**")
    recovery = page.locator("#recovery-codes li").all_inner_texts()
    assert len(recovery) == 10
    assert_accessible(page)
    page.get_by_role("link", name="Continue").click()
    page.wait_for_url("**/en/my-steps/")
    sign_out(page)

    # Again with a code from the app: the next period's, as the first one is spent.
    password_step(page)
    page.wait_for_url("**/en/accounts/code/?next=**")
    assert_accessible(page)
    enter_code(page, code(secret, drift=1))
    page.wait_for_url("**/en/my-steps/")
    sign_out(page)

    # Without the phone: a recovery code.
    password_step(page)
    page.wait_for_url("**/en/accounts/code/?next=**")
    enter_code(page, recovery[0])
    page.wait_for_url("**/en/my-steps/")
    sign_out(page)

    # A wrong code is refused, with a message tied to the field.
    password_step(page)
    page.wait_for_url("**/en/accounts/code/?next=**")
    enter_code(page, "000000")
    message = page.locator("#id_code_error")
    assert "That code is not right" in message.inner_text()
    assert page.locator(".govuk-error-summary").is_visible()
    assert "/accounts/code/" in page.url
    assert_accessible(page)
    page.goto("/en/my-steps/")
    assert "/accounts/code/" in page.url  # still not signed in
