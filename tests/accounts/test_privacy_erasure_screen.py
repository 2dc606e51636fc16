"""The erase screen: what it tells the administrator, who may use it, and how it asks them to
confirm."""

from datetime import UTC, datetime, timedelta

from django.urls import reverse

from wagtail.models import ModelLogEntry

import pytest

from accreditation.models import Evidence
from courses.models import ReflectionAnswer
from learning_platform.accounts.management.commands.demo_totp import current_code
from learning_platform.accounts.models import User
from learning_platform.accounts.roles import Role
from tests.accreditation.award_builders import log_supervision
from tests.accreditation.factories import SupervisedReviewFactory
from tests.factories import PASSWORD, give_totp, make_persona

from .privacy_scenario import TESS_REFLECTION_WORD, erase, erase_url, sign_in_recently

pytestmark = pytest.mark.django_db

# Two of these count the person's appeals and CPD log entries.
ERASE_PAGE_QUERIES = 24


@pytest.fixture
def root(db):
    user = User.objects.create_superuser("root@example.org", PASSWORD, full_name="Root Admin")
    give_totp(user)
    return user


def test_it_says_what_will_happen_and_asks_for_the_email(
    client, ada, tess, sam, world, django_assert_num_queries
):
    sign_in_recently(client, ada)
    # The first request looks up a content type, which then stays in the per-process cache for
    # good; whether it is cached depends on the tests run before, so the pin is on the second.
    client.get(erase_url(tess))

    with django_assert_num_queries(ERASE_PAGE_QUERIES):
        response = client.get(erase_url(tess))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Erase the personal data of Tess Trainee (tess@example.org)" in body
    assert f"Erased user #{tess.pk}" in body
    assert "delete their 1 reflection and 2 pieces of evidence" in body
    assert "Name withdrawn at the holder’s request" in body
    assert "delete their 0 CPD log entries" in body
    assert 'name="email"' in body

    # Much more of Tess's data: the page counts it, it does not fetch it row by row.
    stage = world.review.stages.get(sort_order=1)
    Evidence.objects.bulk_create(
        Evidence(stage=stage, kind=Evidence.Kind.NOTE, title=f"More {n}", uploaded_by=tess)
        for n in range(30)
    )
    log_supervision(tess, sam, group=10, individual=5)
    SupervisedReviewFactory(trainee=tess, supervisor=sam, case_reference="Family J")
    with django_assert_num_queries(ERASE_PAGE_QUERIES):
        response = client.get(erase_url(tess))
    assert "delete their 1 reflection and 32 pieces of evidence" in response.content.decode()


def test_it_offers_the_action_in_the_user_list_for_administrators(client, ada, root, tess):
    client.force_login(root)
    assert erase_url(tess) in client.get(f"/admin/users/edit/{tess.pk}/").content.decode()

    client.force_login(ada)
    listing = client.get("/admin/users/").content.decode()
    assert erase_url(tess) in listing
    assert erase_url(ada) not in listing


@pytest.mark.parametrize("persona", ["sam", "ali", "tess", "pat"])
def test_it_refuses_the_erase_screen_to_everyone_else(client, persona, request, tess, pat):
    client.force_login(request.getfixturevalue(persona))

    page = client.get(erase_url(pat))
    post = client.post(erase_url(pat), {"email": pat.email})

    assert page.status_code in (302, 403)
    assert post.status_code in (302, 403)
    pat.refresh_from_db()
    assert (pat.erased_at, pat.full_name) == (None, "Pat Partner")


def test_it_asks_for_the_password_again_before_erasing(client, tess, world, time_machine):
    admin = make_persona("Ari Administrator", "ari@example.org", Role.PROGRAMME_ADMIN, mfa=False)
    secret = give_totp(admin)
    time_machine.move_to(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False)
    client.post(reverse("account_login"), {"login": admin.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert client.session["_auth_user_id"] == str(admin.pk)
    # Past the five minutes a sign-in counts as recent, well inside the idle timeout.
    time_machine.shift(timedelta(minutes=10))

    response = client.post(erase_url(tess), {"email": tess.email})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    tess.refresh_from_db()
    assert (tess.erased_at, tess.full_name) == (None, "Tess Trainee")

    confirmed = client.post(response["Location"], {"password": PASSWORD})

    # The suspended request goes ahead once the password is confirmed.
    assert confirmed.status_code == 302
    assert confirmed["Location"] == reverse("wagtailusers_users:index")
    tess.refresh_from_db()
    assert tess.erased_at is not None
    assert tess.full_name == f"Erased user #{tess.pk}"


def test_it_sends_anonymous_visitors_to_sign_in(client, tess):
    response = client.get(erase_url(tess))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_it_refuses_a_wrong_confirmation_and_changes_nothing(client, ada, tess, world):
    response = erase(client, ada, tess, email="pat@example.org")

    body = response.content.decode()
    assert response.status_code == 200
    assert "The email address does not match this user" in body
    tess.refresh_from_db()
    assert (tess.full_name, tess.email, tess.erased_at) == (
        "Tess Trainee",
        "tess@example.org",
        None,
    )
    assert ReflectionAnswer.objects.filter(answer__contains=TESS_REFLECTION_WORD).exists()
    assert Evidence.objects.filter(pk=world.tess_note.pk).exists()


def test_it_asks_for_the_email_when_it_is_left_blank(client, ada, tess):
    body = erase(client, ada, tess, email="").content.decode()

    assert "Type the user&#x27;s email address to confirm the erasure." in body
    tess.refresh_from_db()
    assert tess.erased_at is None


def test_it_refuses_a_second_erasure_with_a_message(client, ada, tess, world):
    erase(client, ada, tess)
    tess.refresh_from_db()

    response = client.post(erase_url(tess), {"email": tess.email}, follow=True)

    body = response.content.decode()
    assert "already been erased" in body
    assert ModelLogEntry.objects.filter(action="accounts.user.erase").count() == 1


def test_it_refuses_to_erase_yourself(client, ada):
    sign_in_recently(client, ada)
    response = client.post(erase_url(ada), {"email": ada.email}, follow=True)

    assert "You cannot erase your own personal data" in response.content.decode()
    ada.refresh_from_db()
    assert ada.erased_at is None


def test_it_leaves_a_superuser_to_another_superuser(client, ada, root):
    sign_in_recently(client, ada)
    response = client.post(erase_url(root), {"email": root.email}, follow=True)

    assert "Only a superuser can erase a superuser" in response.content.decode()
    root.refresh_from_db()
    assert root.erased_at is None


def test_it_lets_a_superuser_erase_a_programme_administrator(client, root, ada):
    response = erase(client, root, ada)

    assert response.status_code == 302
    ada.refresh_from_db()
    assert ada.erased_at is not None
    assert ada.full_name == f"Erased user #{ada.pk}"
