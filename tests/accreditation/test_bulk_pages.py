"""The bulk issuance screens in the Wagtail admin: choosing applications, the messages for bad
input, the job page and its JSON status, the ZIP download, and who may open each."""

import io
import json
import zipfile

from django.contrib.auth.models import Permission
from django.urls import reverse

import pytest

from accreditation.models import BulkIssue, Certificate
from accreditation.services.bulk import bulk_issue_start_for_cohort
from tests.courses.factories import CohortFactory

from ..factories import UserFactory
from .bulk_builders import make_approved_applications, make_job

pytestmark = pytest.mark.django_db

XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest", "HTTP_ACCEPT": "application/json"}
# Queries per request, whatever the number of items or cohorts (session, user, admin furniture
# and the page's own reads).
QUERIES = 14
STATUS_QUERIES = 9
INDEX_QUERIES = 14


@pytest.fixture
def finished_job(ada, django_capture_on_commit_callbacks):
    cohort, applications = make_approved_applications(3)
    with django_capture_on_commit_callbacks(execute=True):
        bulk = bulk_issue_start_for_cohort(cohort=cohort, by=ada, kind="issue")
    bulk.refresh_from_db()
    assert bulk.status == "finished"
    return bulk


@pytest.fixture
def wagtail_editor(db):
    """Someone who may use the Wagtail admin but is not programme staff."""
    user = UserFactory(full_name="Eddie Editor", email="eddie@example.org")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return user


def _page(response) -> str:
    return response.content.decode()


def test_it_lists_cohorts_and_past_jobs(client, ada, finished_job):
    client.force_login(ada)
    response = client.get(reverse("bulk_issues:index"))
    assert response.status_code == 200
    page = _page(response)
    assert finished_job.cohort.name in page
    assert reverse("bulk_issues:start", args=[finished_job.cohort.pk]) in page
    assert reverse("bulk_issues:detail", args=[finished_job.pk]) in page
    assert "3 / 3 / 0" in page


def test_it_starts_a_job_from_the_selected_applications(
    client, ada, django_capture_on_commit_callbacks
):
    cohort, applications = make_approved_applications(4)
    client.force_login(ada)
    url = reverse("bulk_issues:start", args=[cohort.pk])
    page = _page(client.get(url))
    for application in applications:
        assert f'value="{application.pk}"' in page
    assert 'id="bulk-select-all"' in page
    assert "accreditation/js/bulk-issue.js" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "kind": "issue",
                "scope": "selected",
                "applications": [applications[0].pk, applications[2].pk],
            },
        )
    bulk = BulkIssue.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("bulk_issues:detail", args=[bulk.pk])
    assert set(bulk.items.values_list("application_id", flat=True)) == {
        applications[0].pk,
        applications[2].pk,
    }
    assert Certificate.objects.count() == 2

    page = _page(client.get(response["Location"]))
    assert "<progress" in page
    assert 'value="2"' in page
    assert "Download ZIP of certificates" in page
    assert reverse("bulk_issues:download", args=[bulk.pk]) in page
    assert 'id="bulk-refresh"' not in page  # finished: nothing more to wait for
    assert 'data-finished="true"' in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "issue", "scope": "selected"}, "Select at least one application"),
        ({"scope": "selected"}, "Choose whether to issue certificates or re-render PDFs."),
        ({"kind": "issue"}, "Choose the selected applications or the whole cohort."),
        ({"kind": "rerender", "scope": "cohort"}, "has a certificate yet"),
        ({"kind": "issue", "scope": "selected", "applications": "x"}, "was not understood"),
        ({"kind": "issue", "scope": "selected", "applications": "NOT_APPROVED"}, "not approved"),
    ],
)
def test_it_explains_bad_input_on_the_page(client, ada, data, message):
    cohort, _ = make_approved_applications(2)
    if data.get("applications") == "NOT_APPROVED":
        _, drafts = make_approved_applications(1, cohort=cohort, prefix="s", status="submitted")
        data = {**data, "applications": drafts[0].pk}
    client.force_login(ada)
    response = client.post(reverse("bulk_issues:start", args=[cohort.pk]), data)
    assert response.status_code == 200
    page = _page(response)
    assert "The job was not started" in page
    assert message in page
    assert 'role="alert"' in page
    assert not BulkIssue.objects.exists()


def test_it_says_when_a_cohort_has_no_approved_applications(client, ada):
    cohort = CohortFactory(name="Empty cohort")
    client.force_login(ada)
    url = reverse("bulk_issues:start", args=[cohort.pk])
    page = _page(client.get(url))
    assert "Empty cohort has no approved applications yet" in page
    assert 'name="applications"' not in page
    assert "Start</button>" not in page
    response = client.post(url, {"kind": "issue", "scope": "cohort"})
    assert "has no approved applications, so there is nothing to do." in _page(response)
    assert not BulkIssue.objects.exists()


def test_it_reports_status_as_json(client, ada, finished_job):
    client.force_login(ada)
    response = client.get(reverse("bulk_issues:status", args=[finished_job.pk]), **XHR)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data == {
        "id": finished_job.pk,
        "kind": "issue",
        "status": "finished",
        "status_label": "Finished",
        "total": 3,
        "done": 3,
        "failed": 0,
        "pending": 0,
        "percent": 100,
        "finished": True,
        "zip_url": reverse("bulk_issues:download", args=[finished_job.pk]),
        "failures": [],
    }


def test_it_shows_failures_and_offers_a_retry(client, ada):
    bulk = make_job(ada, items=3, failed=2)
    bulk.status = "finished"
    bulk.done = 1
    bulk.save()
    client.force_login(ada)
    page = _page(client.get(reverse("bulk_issues:detail", args=[bulk.pk])))
    assert page.count("The certificate could not be rendered.") == 2
    assert "Retry the 2 failed items" in page
    data = json.loads(client.get(reverse("bulk_issues:status", args=[bulk.pk])).content)
    assert [f["error"] for f in data["failures"]] == ["The certificate could not be rendered."] * 2
    confirm = client.get(reverse("bulk_issues:retry", args=[bulk.pk]))
    assert "Queue the 2 failed items of this job again?" in _page(confirm)


def test_it_refuses_a_retry_while_the_job_runs(client, ada):
    bulk = make_job(ada, items=2, failed=1)
    client.force_login(ada)
    response = client.post(reverse("bulk_issues:retry", args=[bulk.pk]), follow=True)
    assert "Wait until this job has finished before retrying its failures." in _page(response)
    bulk.refresh_from_db()
    assert (bulk.failed, bulk.status) == (1, "running")


def test_it_sends_the_zip_as_a_private_attachment(client, ada, finished_job):
    client.force_login(ada)
    response = client.get(reverse("bulk_issues:download", args=[finished_job.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        assert len(archive.namelist()) == 3


def test_it_has_no_zip_to_send_before_the_job_finishes(client, ada):
    bulk = make_job(ada, items=2)
    client.force_login(ada)
    assert client.get(reverse("bulk_issues:download", args=[bulk.pk])).status_code == 404


@pytest.mark.parametrize("persona", ["anonymous", "tess", "pat", "uma", "sam", "ali"])
def test_it_turns_away_everyone_but_programme_staff(client, finished_job, persona, request):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    bulk = finished_job
    urls = [
        reverse("bulk_issues:index"),
        reverse("bulk_issues:start", args=[bulk.cohort_id]),
        reverse("bulk_issues:detail", args=[bulk.pk]),
        reverse("bulk_issues:status", args=[bulk.pk]),
        reverse("bulk_issues:download", args=[bulk.pk]),
        reverse("bulk_issues:retry", args=[bulk.pk]),
    ]
    for url in urls:
        # An anonymous visitor is sent to sign in; anyone signed in is refused, and the status
        # endpoint, asked by script, says 403.
        page = client.get(url)
        if persona == "anonymous":
            assert page.status_code == 302 and "/login/" in page["Location"], url
        else:
            assert page.status_code == 403, url
        assert client.get(url, **XHR).status_code == 403, url
    response = client.post(reverse("bulk_issues:start", args=[bulk.cohort_id]), {"scope": "cohort"})
    assert response.status_code == (302 if persona == "anonymous" else 403)
    assert BulkIssue.objects.count() == 1


def test_it_refuses_admin_users_who_are_not_programme_staff(client, wagtail_editor, finished_job):
    client.force_login(wagtail_editor)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    for name, arg in [
        ("index", None),
        ("start", finished_job.cohort_id),
        ("detail", finished_job.pk),
        ("status", finished_job.pk),
        ("download", finished_job.pk),
        ("retry", finished_job.pk),
    ]:
        url = reverse(f"bulk_issues:{name}", args=[arg] if arg else [])
        # Wagtail turns a refused page into a redirect to the admin's home with a message.
        page = client.get(url)
        assert (page.status_code, page["Location"]) == (302, reverse("wagtailadmin_home")), url
        assert client.get(url, **XHR).status_code == 403, url
    assert "Certificates in bulk" not in _page(client.get(reverse("wagtailadmin_home")))


def test_it_shows_the_menu_item_to_programme_staff(client, ada):
    client.force_login(ada)
    page = _page(client.get(reverse("wagtailadmin_home")))
    assert "Certificates in bulk" in page


def test_it_hides_a_job_that_does_not_exist(client, ada):
    client.force_login(ada)
    assert client.get(reverse("bulk_issues:detail", args=[999])).status_code == 404
    assert client.get(reverse("bulk_issues:status", args=[999])).status_code == 404
    assert client.get(reverse("bulk_issues:start", args=[999])).status_code == 404


@pytest.mark.parametrize("items", [5, 50])
def test_it_runs_the_same_queries_for_5_or_50_items(client, ada, items, django_assert_num_queries):
    bulk = make_job(ada, items=items, failed=items)
    client.force_login(ada)
    url = reverse("bulk_issues:detail", args=[bulk.pk])
    client.get(url)
    with django_assert_num_queries(QUERIES):
        response = client.get(url)
    assert _page(response).count("The certificate could not be rendered.") == items
    with django_assert_num_queries(STATUS_QUERIES):
        client.get(reverse("bulk_issues:status", args=[bulk.pk]), **XHR)


@pytest.mark.parametrize("cohorts", [2, 20])
def test_it_runs_the_same_queries_for_few_or_many_cohorts(
    client, ada, cohorts, django_assert_num_queries
):
    for _ in range(cohorts):
        make_approved_applications(2, cohort=CohortFactory())
    client.force_login(ada)
    url = reverse("bulk_issues:index")
    client.get(url)
    with django_assert_num_queries(INDEX_QUERIES):
        assert client.get(url).status_code == 200
