"""Signing in and out, passwords, throttling, session expiry and the demo accounts."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from actionplan import access
from actionplan.models import Institution
from actionplan.models.roles import has_plan_role
from portal.accounts import create_demo_accounts


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def other_institution(jurisdiction):
    return Institution.objects.create(jurisdiction=jurisdiction, slug="other", name="Other office")


@pytest.fixture
def people(plan, institution, other_institution):
    create_demo_accounts(plan, institution, other_institution)
    return {user.username: user for user in User.objects.all()}


def sign_in(client, username, password="demo", ip="10.0.0.1"):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def test_sign_in_leads_to_my_steps_and_sign_out_to_home(client, people):
    response = sign_in(client, "staff")
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:my_steps")
    assert client.get(reverse("staff:my_steps")).status_code == 200
    assert client.get(reverse("accounts:logout")).status_code == 405  # a link cannot sign out
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("actionplan:home")
    assert client.get(reverse("staff:my_steps")).status_code == 302


def test_wrong_password_says_so(client, people):
    response = sign_in(client, "staff", "wrong")
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_sign_in_returns_to_the_page_asked_for(client, people):
    response = client.post(
        reverse("accounts:login") + "?next=/en/my-steps/?institution=dept",
        {"username": "staff", "password": "demo", "next": "/en/my-steps/?institution=dept"},
    )
    assert response["Location"] == "/en/my-steps/?institution=dept"


def test_repeated_failures_lock_the_username_from_that_address_only(client, people, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "staff", "wrong", ip="10.0.1.1")
    response = sign_in(client, "staff", "demo", ip="10.0.1.1")  # right password, same address
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed sign-in attempts" in html
    assert "Try again in 15 minutes" in html
    # Nobody can lock a named account out from elsewhere; the owner signs in from their machine.
    assert sign_in(client, "staff", "demo", ip="10.0.2.1").status_code == 302


def test_an_address_guessing_many_usernames_meets_a_looser_limit(client, people, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 8
    for n in range(settings.LOGIN_IP_FAILURE_LIMIT):
        assert sign_in(client, f"guess{n}", "wrong", ip="10.0.3.1").status_code == 200
    assert sign_in(client, "staff", "demo", ip="10.0.3.1").status_code == 429
    assert sign_in(client, "staff", "demo", ip="10.0.3.2").status_code == 302


def test_behind_a_proxy_each_client_counts_on_its_own(client, people, settings):
    """The proxy connects from one address for everyone; X-Forwarded-For tells them apart, and
    only the entry the trusted proxy wrote counts (a client cannot pick its own address)."""
    settings.TRUSTED_PROXY_COUNT = 1

    def via_proxy(username, password, client_address, forged=""):
        forwarded = f"{forged}, {client_address}" if forged else client_address
        return client.post(
            reverse("accounts:login"),
            {"username": username, "password": password},
            REMOTE_ADDR="10.9.9.9",
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    for n in range(settings.AXES_FAILURE_LIMIT):
        via_proxy("staff", "wrong", "192.0.2.7", forged=f"198.51.100.{n}")
    assert via_proxy("staff", "demo", "192.0.2.7").status_code == 429
    assert via_proxy("staff", "demo", "192.0.2.8").status_code == 302


def test_password_change(client, people):
    client.force_login(people["staff"])
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "demo",
            "new_password1": "a-long-new-secret-7",
            "new_password2": "a-long-new-secret-7",
        },
    )
    assert response["Location"] == reverse("accounts:password_change_done")
    people["staff"].refresh_from_db()
    assert people["staff"].check_password("a-long-new-secret-7")


def test_password_reset_by_email_link(client, people):
    response = client.post(reverse("accounts:password_reset"), {"email": "staff@example.org"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_url, {"new_password1": "a-long-new-secret-7", "new_password2": "a-long-new-secret-7"}
    )
    assert response["Location"] == reverse("accounts:password_reset_complete")
    people["staff"].refresh_from_db()
    assert people["staff"].check_password("a-long-new-secret-7")
    # The link works once.
    assert client.get(path, follow=True).context["validlink"] is False


def test_password_reset_does_not_tell_whether_an_address_exists(client, people):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_every_request_renews_the_session_so_it_expires_after_inactivity(client, people, settings):
    client.force_login(people["staff"])
    response = client.get(reverse("staff:my_steps"))
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE == 30 * 60


def test_header_offers_sign_in_and_then_the_account_links(client, people):
    home = reverse("actionplan:home")
    page = client.get(home).content.decode()
    assert reverse("accounts:login") in page
    client.force_login(people["staff"])
    page = client.get(home).content.decode()
    assert "Signed in as Demo Staff (participation)" in page
    assert reverse("staff:my_steps") in page and reverse("accounts:logout") in page


# --- The demo accounts -------------------------------------------------------------------------


def test_demo_accounts_have_their_roles(plan, step, people, institution, other_institution):
    def may_edit(name):
        return access.can_edit_step(User.objects.get(username=name), step)

    assert [
        name
        for name in ["admin", "coordinator", "staff", "staff2", "board", "monitor"]
        if may_edit(name)
    ] == ["admin", "coordinator", "staff"]
    assert people["admin"].is_superuser and people["admin"].is_staff
    assert not any(people[name].is_staff for name in ["coordinator", "staff", "board", "monitor"])
    assert has_plan_role(people["board"], plan.pk, "board")
    assert has_plan_role(people["monitor"], plan.pk, "monitor")


def test_create_demo_accounts_is_idempotent(plan, institution, other_institution, settings, capsys):
    settings.DEBUG = True
    args = ["--plan", plan.slug, "--staff-institution", "dept", "--staff2-institution", "other"]
    call_command("create_demo_accounts", *args)
    User.objects.filter(username="staff").update(first_name="Changed")
    call_command("create_demo_accounts", *args)
    assert User.objects.count() == 6
    staff = User.objects.get(username="staff")
    assert staff.first_name == "Demo" and staff.check_password("demo")
    assert staff.affiliations.count() == 1
    assert "all existed and were reset" in capsys.readouterr().out


def test_create_demo_accounts_refuses_without_debug(plan, institution, other_institution, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command(
            "create_demo_accounts",
            "--plan",
            plan.slug,
            "--staff-institution",
            "dept",
            "--staff2-institution",
            "other",
        )
    assert not User.objects.exists()


def test_create_demo_accounts_names_a_missing_plan(db, settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="run import_plan first"):
        call_command("create_demo_accounts", "--plan", "nope")


@pytest.mark.parametrize("htmx", [False, True], ids=["html", "htmx"])
def test_a_sign_in_ends_after_its_absolute_lifetime_however_active(client, people, settings, htmx):
    assert sign_in(client, "staff").status_code == 302
    my_steps = reverse("staff:my_steps")
    assert client.get(my_steps).status_code == 200
    session = client.session
    session["signed_in_at"] -= settings.SESSION_ABSOLUTE_SECONDS + 1
    session.save()
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.get(my_steps, **headers)
    location = response["HX-Redirect"] if htmx else response["Location"]
    assert location.startswith(reverse("accounts:login"))
    assert client.get(my_steps).status_code == 302  # signed out for good
