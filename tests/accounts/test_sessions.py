"""Sessions end after inactivity, and every session of a deactivated user ends at once."""

from datetime import UTC, datetime, timedelta

from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from learning_platform.accounts.models import User, UserSession
from tests.factories import PASSWORD, give_totp

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PROFILE = "/accounts/profile/"


def _sign_in(client, email):
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_it_keeps_a_session_used_within_the_idle_limit(client, tess, time_machine):
    time_machine.move_to(START, tick=False)
    _sign_in(client, tess.email)

    time_machine.shift(timedelta(minutes=29))
    assert client.get(PROFILE).status_code == 200
    # Each request restarts the clock: 29 more minutes are still fine.
    time_machine.shift(timedelta(minutes=29))
    assert client.get(PROFILE).status_code == 200


def test_it_signs_out_after_thirty_idle_minutes_and_says_why(client, tess, time_machine, caplog):
    time_machine.move_to(START, tick=False)
    _sign_in(client, tess.email)

    time_machine.shift(timedelta(minutes=31))
    with caplog.at_level("INFO", logger="learning_platform.security"):
        response = client.get(f"{PROFILE}?tab=details")

    assert response.status_code == 302
    assert response["Location"] == (
        f"{reverse('account_login')}?next=%2Faccounts%2Fprofile%2F%3Ftab%3Ddetails"
    )
    assert "_auth_user_id" not in client.session
    login_page = client.get(response["Location"])
    assert "You were signed out after 30 minutes of inactivity" in login_page.content.decode()
    assert f"session_expired user_id={tess.pk} idle_minutes=30" in caplog.text
    # Signed out for good: the next request is anonymous too.
    assert client.get(PROFILE).status_code == 302


def test_it_takes_the_idle_limit_from_settings(client, tess, settings, time_machine):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 5
    time_machine.move_to(START, tick=False)
    _sign_in(client, tess.email)

    time_machine.shift(timedelta(minutes=6))
    response = client.get(PROFILE)

    assert response.status_code == 302
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert "You were signed out after 5 minutes of inactivity. Sign in again to continue." in (
        messages
    )


def test_it_expires_a_staff_session_before_asking_for_anything_else(client, time_machine):
    from learning_platform.accounts.roles import Role
    from tests.factories import make_persona

    staff = make_persona("Staff Member", "staff@example.org", Role.ASSESSOR, mfa=False)
    time_machine.move_to(START, tick=False)
    client.force_login(staff)
    client.get("/search/")  # the MFA setup redirect; the session is now in use

    time_machine.shift(timedelta(minutes=45))
    response = client.get("/search/")

    assert response["Location"].startswith(reverse("account_login"))


def _session_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if "accounts_user_session" in q["sql"]
        and q["sql"].lstrip().upper().startswith(("UPD", "INS"))
    ]


def test_it_writes_the_session_at_most_once_a_minute(client, tess, time_machine):
    time_machine.move_to(START, tick=False)
    _sign_in(client, tess.email)
    client.get(PROFILE)

    counts = []
    for _ in range(3):
        time_machine.shift(timedelta(seconds=15))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(PROFILE).status_code == 200
        assert _session_writes(queries.captured_queries) == []
        counts.append(len(queries))
    assert len(set(counts)) == 1, counts

    time_machine.shift(timedelta(seconds=61))
    with CaptureQueriesContext(connection) as queries:
        client.get(PROFILE)
    assert len(_session_writes(queries.captured_queries)) == 1


# Deactivation -------------------------------------------------------------------------------


@pytest.fixture
def superuser(db):
    user = User.objects.create_superuser("root@example.org", PASSWORD, full_name="Root Admin")
    give_totp(user)
    return user


def test_it_records_whose_each_session_is(tess, pat):
    laptop, phone, other = Client(), Client(), Client()
    _sign_in(laptop, tess.email)
    _sign_in(phone, tess.email)
    _sign_in(other, pat.email)

    assert UserSession.objects.filter(user_id=tess.pk).count() == 2
    assert UserSession.objects.filter(user_id=pat.pk).count() == 1


def test_it_ends_every_session_when_an_admin_deactivates_the_user(
    client, tess, pat, superuser, caplog
):
    laptop, phone, partner = Client(), Client(), Client()
    _sign_in(laptop, tess.email)
    _sign_in(phone, tess.email)
    _sign_in(partner, pat.email)
    assert laptop.get(PROFILE).status_code == 200
    assert phone.get(PROFILE).status_code == 200
    client.force_login(superuser)
    edit_url = f"/admin/users/edit/{tess.pk}/"
    assert client.get(edit_url).status_code == 200

    with caplog.at_level("INFO", logger="learning_platform.security"):
        response = client.post(
            edit_url,
            {
                "email": tess.email,
                "full_name": tess.full_name,
                "organisation": tess.organisation_id,
                "job_title": tess.job_title,
                "groups": list(tess.groups.values_list("pk", flat=True)),
                # is_active left unticked: the admin switches the account off.
            },
        )

    assert response.status_code == 302, response.content.decode()[:2000]
    tess.refresh_from_db()
    assert tess.is_active is False
    assert not UserSession.objects.filter(user_id=tess.pk).exists()
    for device in (laptop, phone):
        answer = device.get(PROFILE)
        assert answer.status_code == 302
        assert answer["Location"].startswith(reverse("account_login"))
    # Pat's session is untouched.
    assert partner.get(PROFILE).status_code == 200
    assert f"user_deactivated user_id={tess.pk}" in caplog.text
    assert f"sessions_ended user_id={tess.pk} count=2 reason=deactivated" in caplog.text


def test_it_leaves_sessions_alone_when_an_active_user_is_saved(tess):
    device = Client()
    _sign_in(device, tess.email)

    tess.job_title = "Team manager"
    tess.save()

    assert device.get(PROFILE).status_code == 200
    assert UserSession.objects.filter(user_id=tess.pk).count() == 1


def test_it_finds_a_pending_setup_secret_in_the_users_own_session(client, settings):
    from io import StringIO

    from django.core.management import call_command

    from learning_platform.accounts.roles import Role
    from tests.factories import make_persona

    staff = make_persona("Staff Member", "staff@example.org", Role.ASSESSOR, mfa=False)
    _sign_in(client, staff.email)
    client.get(reverse("mfa_activate_totp"))
    settings.DEBUG = True
    out = StringIO()

    call_command("demo_totp", staff.email, stdout=out)

    response = client.post(reverse("mfa_activate_totp"), {"code": out.getvalue().strip()})
    assert response.status_code == 302
    assert staff.authenticator_set.filter(type="totp").exists()


def test_it_ends_every_session_when_the_bulk_action_deactivates_users(
    client, tess, pat, uma, superuser, caplog
):
    laptop, phone, partner, bystander = Client(), Client(), Client(), Client()
    _sign_in(laptop, tess.email)
    _sign_in(phone, tess.email)
    _sign_in(partner, pat.email)
    _sign_in(bystander, uma.email)
    client.force_login(superuser)
    url = f"/admin/bulk/accounts/user/set_active_state/?id={tess.pk}&id={pat.pk}"
    assert client.get(url).status_code == 200

    with caplog.at_level("INFO", logger="learning_platform.security"):
        response = client.post(url, {"mark_as_active": "False"})

    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(User.objects.filter(is_active=False).values_list("pk", flat=True)) == {
        tess.pk,
        pat.pk,
    }
    assert not UserSession.objects.filter(user_id__in=[tess.pk, pat.pk]).exists()
    for device in (laptop, phone, partner):
        assert device.get(PROFILE)["Location"].startswith(reverse("account_login"))
    # Uma was not selected: her session is untouched.
    assert bystander.get(PROFILE).status_code == 200
    assert f"user_deactivated user_id={tess.pk}" in caplog.text
    assert f"sessions_ended user_id={tess.pk} count=2 reason=deactivated" in caplog.text
    assert f"sessions_ended user_id={pat.pk} count=1 reason=deactivated" in caplog.text


def test_it_reactivates_users_with_the_bulk_action_but_never_switches_off_the_admin(
    client, tess, superuser
):
    User.objects.filter(pk=tess.pk).update(is_active=False)
    client.force_login(superuser)
    bulk = "/admin/bulk/accounts/user/set_active_state/"

    client.post(f"{bulk}?id={tess.pk}", {"mark_as_active": "True"})
    client.post(f"{bulk}?id={superuser.pk}", {"mark_as_active": "False"})

    tess.refresh_from_db()
    superuser.refresh_from_db()
    assert tess.is_active is True
    assert superuser.is_active is True


def test_it_ends_an_idle_session_however_long_a_wagtail_editor_tab_keeps_pinging(
    client, superuser, time_machine
):
    from wagtail.models import Page

    page = Page.objects.get(depth=2)
    time_machine.move_to(START, tick=False)
    client.force_login(superuser)
    assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200
    ping = reverse("wagtailadmin_editing_sessions:ping", args=["wagtailcore", "page", page.pk, 1])
    release = reverse("wagtailadmin_editing_sessions:release", args=[1])

    # The open tab pings (and once releases) for the whole idle limit; nobody uses the site.
    for minute in range(2, 31, 2):
        time_machine.move_to(START + timedelta(minutes=minute), tick=False)
        assert client.post(ping).status_code == 200
    assert client.post(release).status_code == 200

    time_machine.move_to(START + timedelta(minutes=31), tick=False)
    response = client.get(f"/admin/pages/{page.pk}/edit/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# The warning before the idle limit ----------------------------------------------------------

KEEP_ALIVE = "/accounts/session/keep-alive/"


def test_it_tells_a_signed_in_page_how_long_its_session_has_left(client, tess, time_machine):
    time_machine.move_to(START, tick=False)
    assert 'id="idle-warning"' not in client.get(PROFILE, follow=True).content.decode()
    _sign_in(client, tess.email)
    client.get(PROFILE)

    # Within the minute the last-seen time is not rewritten, so the page counts from then.
    time_machine.shift(timedelta(seconds=50))
    page = client.get(PROFILE).content.decode()

    assert 'id="idle-warning"' in page
    assert 'data-seconds-left="1750"' in page
    assert 'data-warn-seconds="180"' in page
    assert "signed out after 30 minutes without activity" in page


def test_it_keeps_the_session_alive_when_asked_to_stay_signed_in(client, tess, time_machine):
    time_machine.move_to(START, tick=False)
    _sign_in(client, tess.email)
    client.get(PROFILE)

    time_machine.shift(timedelta(minutes=20))
    response = client.post(KEEP_ALIVE)
    time_machine.shift(timedelta(minutes=25))  # 45 minutes after the last page, 25 after asking

    assert response.status_code == 204
    assert client.get(PROFILE).status_code == 200


def test_it_does_not_bring_back_a_session_the_idle_limit_has_ended(client, tess, time_machine):
    time_machine.move_to(START, tick=False)
    _sign_in(client, tess.email)

    time_machine.shift(timedelta(minutes=31))
    response = client.post(KEEP_ALIVE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    assert client.post(KEEP_ALIVE).status_code == 401
    assert client.get(KEEP_ALIVE).status_code == 405
