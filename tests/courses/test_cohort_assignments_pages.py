"""The cohort page's supervisors and review partners, a page of trainees at a time."""

import re

from django.urls import reverse

from wagtail.models import ModelLogEntry

import pytest

from courses.models import Enrolment
from courses.services.assignments import Assignment, enrolments_assign
from learning_platform.accounts.models import User

pytestmark = pytest.mark.django_db

# The same on page 1 and on a later page, for 5 trainees and for 120.
COHORT_PAGE_QUERIES = 21
# Saving one changed row of a page, whatever the size of the cohort.
SAVE_ONE_ROW_QUERIES = 23

ROW = re.compile(r'<th scope="row">([^<]+)')
SELECT = re.compile(r'<select name="(enrolment-\d+-(?:supervisor|review_partner))"')


def _add_trainees(cohort, count, *, start=0, name="Mate"):
    """Trainees named "<name> NNN" so that their order by name is their number's."""
    users = User.objects.bulk_create(
        User(email=f"{name.lower()}-{start + i:03}@example.org", full_name=f"{name} {start + i:03}")
        for i in range(count)
    )
    Enrolment.objects.bulk_create(
        Enrolment(user=user, cohort=cohort, status=Enrolment.Status.ACTIVE) for user in users
    )
    return {
        e.user.full_name: e for e in Enrolment.objects.filter(user__in=users).select_related("user")
    }


def _page_url(cohort, **query):
    url = reverse("courses:cohort_detail", args=[cohort.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _save_url(cohort, **query):
    url = reverse("courses:cohort_assignments", args=[cohort.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _rows(html):
    return ROW.findall(html)


def _unchanged(html):
    """Every select the page shows, posted as it stands (nobody has been assigned yet)."""
    return dict.fromkeys(SELECT.findall(html), "")


def _people(enrolment):
    enrolment.refresh_from_db()
    return enrolment.supervisor_id, enrolment.review_partner_id


@pytest.fixture
def big(cohort):
    return _add_trainees(cohort, 120)


def test_it_shows_25_trainees_a_page_by_name_and_nobody_on_two_pages(client, ada, cohort):
    trainees = _add_trainees(cohort, 100)
    # Someone with the same name as Mate 024, the last of page 1: the email orders them.
    twin = Enrolment.objects.create(
        cohort=cohort,
        status=Enrolment.Status.ACTIVE,
        user=User.objects.create(email="a-twin@example.org", full_name="Mate 024"),
    )
    client.force_login(ada)

    pages = [client.get(_page_url(cohort, page=n)).content.decode() for n in (1, 2, 3, 4, 5)]

    assert [len(_rows(page)) for page in pages] == [25, 25, 25, 25, 1]
    shown = [int(name.split("-")[1]) for page in pages for name in SELECT.findall(page)[::2]]
    assert len(shown) == len(set(shown)) == 101
    assert shown[:24] == [trainees[f"Mate {n:03}"].pk for n in range(24)]
    assert shown[24:26] == [twin.pk, trainees["Mate 024"].pk]
    assert shown[26:] == [trainees[f"Mate {n:03}"].pk for n in range(25, 100)]


def test_it_says_which_trainees_a_page_shows(client, ada, cohort, big):
    client.force_login(ada)

    second = client.get(_page_url(cohort, page=2)).content.decode()
    last = client.get(_page_url(cohort, page=5)).content.decode()

    assert "Showing 26–50 of 120 trainees." in second
    assert _rows(second)[0] == "Mate 025" and _rows(second)[-1] == "Mate 049"
    assert "Page 2 of 5" in second
    assert 'href="?page=3#assignments" rel="next"' in second
    assert "Showing 101–120 of 120 trainees." in last
    assert len(_rows(last)) == 20


def test_it_finds_trainees_by_name_or_email_and_says_when_none_match(
    client, ada, cohort, big, tess
):
    Enrolment.objects.create(user=tess, cohort=cohort, status=Enrolment.Status.ACTIVE)
    client.force_login(ada)

    by_name = client.get(_page_url(cohort, q="mate 11")).content.decode()
    by_email = client.get(_page_url(cohort, q="tess@")).content.decode()
    nobody = client.get(_page_url(cohort, q="zebedee")).content.decode()

    assert _rows(by_name) == [f"Mate {n}" for n in range(110, 120)]
    assert "10 trainees found." in by_name
    assert _rows(by_email) == ["Tess Trainee"]
    assert _rows(nobody) == []
    assert "No trainees match your search." in nobody
    assert "Save supervisors and review partners" not in nobody
    assert 'value="zebedee"' in nobody


def test_it_saves_only_the_rows_of_its_page_and_returns_to_that_page(client, ada, sam, cohort, big):
    client.force_login(ada)
    page_one = client.get(_page_url(cohort)).content.decode()
    page_two = client.get(_page_url(cohort, page=2, q="Mate")).content.decode()
    data = _unchanged(page_two)
    for name in ("Mate 030", "Mate 031"):
        data[f"enrolment-{big[name].pk}-supervisor"] = str(sam.pk)
    # A row of page 1 slipped into the post: it is not on the page that was saved.
    data[f"enrolment-{big['Mate 000'].pk}-supervisor"] = str(sam.pk)

    response = client.post(_save_url(cohort, page=2, q="Mate"), data)

    assert response.status_code == 302
    assert response["Location"] == _page_url(cohort, page=2, q="Mate") + "#assignments"
    assert _people(big["Mate 030"]) == _people(big["Mate 031"]) == (sam.pk, None)
    assert _people(big["Mate 000"]) == (None, None)
    assert f'name="enrolment-{big["Mate 000"].pk}-supervisor"' in page_one
    assert f'name="enrolment-{big["Mate 000"].pk}-supervisor"' not in page_two
    assert ModelLogEntry.objects.filter(action="courses.enrolment.assign").count() == 2
    shown = client.get(response["Location"]).content.decode()
    assert "Supervisors and review partners saved for 2 trainees." in shown
    assert "Showing 26–50 of 120 trainees found." in shown


def test_it_shows_the_same_page_with_what_was_chosen_when_a_choice_is_refused(
    client, ada, sam, cohort, big
):
    client.force_login(ada)
    data = _unchanged(client.get(_page_url(cohort, page=3)).content.decode())
    a, b = big["Mate 050"], big["Mate 060"]
    # A names B as partner, but B names nobody; A's supervisor is fine on its own.
    data[f"enrolment-{a.pk}-supervisor"] = str(sam.pk)
    data[f"enrolment-{a.pk}-review_partner"] = str(b.user_id)

    response = client.post(_save_url(cohort, page=3), data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "Showing 51–75 of 120 trainees." in page
    assert "Mate 060 has no review partner" in page
    assert f'<option value="{b.user_id}" selected>Mate 060</option>' in page
    assert f'<option value="{sam.pk}" selected>Sam Supervisor</option>' in page
    assert f'action="{_save_url(cohort, page=3)}"' in page
    assert _people(a) == (None, None)
    assert not ModelLogEntry.objects.filter(action="courses.enrolment.assign").exists()


def test_it_offers_every_trainee_of_the_cohort_as_a_partner_but_the_trainee_themselves(
    client, ada, cohort, big
):
    first, later = big["Mate 001"], big["Mate 080"]
    enrolments_assign(
        cohort=cohort,
        assignments=[
            Assignment(first.pk, None, later.user_id),
            Assignment(later.pk, None, first.user_id),
        ],
        by=ada,
    )
    withdrawn = big["Mate 119"]
    withdrawn.status = Enrolment.Status.WITHDRAWN
    withdrawn.save()
    client.force_login(ada)

    page = client.get(_page_url(cohort, page=4)).content.decode()

    partner_select = re.search(
        rf'<select name="enrolment-{later.pk}-review_partner"[^>]*>(.*?)</select>', page
    ).group(1)
    offered = re.findall(r'<option value="(\d*)"', partner_select)
    assert f'<option value="{first.user_id}" selected>Mate 001</option>' in partner_select
    assert str(later.user_id) not in offered
    assert str(withdrawn.user_id) not in offered
    assert len(offered) == 1 + 119 - 1  # no partner, and everyone else not withdrawn
    supervisor_select = re.search(
        rf'<select name="enrolment-{later.pk}-supervisor"[^>]*>(.*?)</select>', page
    ).group(1)
    assert supervisor_select.startswith('<option value="" selected>No supervisor</option>')
    assert '<option value="">No review partner</option>' in partner_select
    assert f'<label class="visually-hidden" for="id_enrolment-{later.pk}-review_partner">' in page


def test_it_escapes_names_in_every_option(client, ada, cohort, tess):
    tess.full_name = '<b>Tess & "Co"</b>'
    tess.save()
    Enrolment.objects.create(user=tess, cohort=cohort, status=Enrolment.Status.ACTIVE)
    _add_trainees(cohort, 1)
    client.force_login(ada)

    page = client.get(_page_url(cohort)).content.decode()

    assert "<b>Tess" not in page
    assert (
        f'<option value="{tess.pk}">&lt;b&gt;Tess &amp; &quot;Co&quot;&lt;/b&gt;</option>' in page
    )


def test_it_runs_the_cohort_page_in_the_same_queries_at_any_size_and_page(
    client, django_assert_num_queries, ada, sam, cohort
):
    _add_trainees(cohort, 5)
    client.force_login(ada)
    client.get(_page_url(cohort))
    with django_assert_num_queries(COHORT_PAGE_QUERIES):
        assert len(_rows(client.get(_page_url(cohort)).content.decode())) == 5

    _add_trainees(cohort, 115, start=5)
    with django_assert_num_queries(COHORT_PAGE_QUERIES):
        first = client.get(_page_url(cohort)).content.decode()
    with django_assert_num_queries(COHORT_PAGE_QUERIES):
        later = client.get(_page_url(cohort, page=4, q="Mate")).content.decode()

    assert _rows(first)[0] == "Mate 000"
    assert _rows(later)[0] == "Mate 075"
    assert len(_rows(later)) == 25


@pytest.mark.parametrize("size", [5, 120])
def test_it_saves_a_page_in_the_same_queries_whatever_the_size_of_the_cohort(
    client, django_assert_num_queries, ada, sam, cohort, size
):
    trainees = _add_trainees(cohort, size)
    client.force_login(ada)
    data = _unchanged(client.get(_page_url(cohort)).content.decode())
    # A first save fills the caches a process keeps (content types) and is not counted.
    data[f"enrolment-{trainees['Mate 001'].pk}-supervisor"] = str(sam.pk)
    client.post(_save_url(cohort), data)
    data[f"enrolment-{trainees['Mate 003'].pk}-supervisor"] = str(sam.pk)

    with django_assert_num_queries(SAVE_ONE_ROW_QUERIES):
        response = client.post(_save_url(cohort), data)

    assert response.status_code == 302
    assert _people(trainees["Mate 003"]) == (sam.pk, None)
