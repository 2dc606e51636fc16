"""Who may open each supervised-review and supervision URL (DESIGN.md §6). Anything a persona
may not see is a 404, exactly as if it did not exist."""

from django.urls import reverse

import pytest

from accreditation.models import AccreditationApplication
from accreditation.services.evidence import evidence_add_note

from .factories import add_register_entries, record_group_session, stage

pytestmark = pytest.mark.django_db

PERSONAS = ["tess", "pat", "uma", "sam", "sid", "ali", "ada"]
OK, HIDDEN = 200, 404


@pytest.fixture
def objects(review, other_review, tess, sam):
    note = evidence_add_note(stage=stage(review, 1), user=tess, title="Scope", note="Agreed.")
    episode, pattern = add_register_entries(review, tess)
    session = record_group_session(sam, [review.trainee, review.partner])
    return {
        "review": review.pk,
        "stage": stage(review, 1).pk,
        "kpe_stage": stage(review, 3).pk,
        "pattern_stage": stage(review, 4).pk,
        "evidence": note.pk,
        "episode": episode.pk,
        "pattern": pattern.pk,
        "session": session.pk,
    }


READ = {"tess": OK, "pat": OK, "sam": OK, "ada": OK, "uma": HIDDEN, "sid": HIDDEN, "ali": HIDDEN}
EDIT = {**READ, "sam": HIDDEN, "ada": HIDDEN}
SUPERVISORS = dict.fromkeys(PERSONAS, HIDDEN) | {"sam": OK, "sid": OK}
EVERYONE = dict.fromkeys(PERSONAS, OK)

# (url name, object key or None, expected status per persona)
PAGES = [
    ("accreditation:review_detail", "review", READ),
    ("accreditation:stage_detail", "stage", READ),
    ("accreditation:stage_detail", "kpe_stage", READ),
    ("accreditation:stage_detail", "pattern_stage", READ),
    ("accreditation:episode_add", "kpe_stage", EDIT),
    ("accreditation:episode_edit", "episode", EDIT),
    ("accreditation:finding_add", "pattern_stage", EDIT),
    ("accreditation:finding_edit", "pattern", EDIT),
    ("accreditation:supervisor_queue", None, SUPERVISORS),
    ("accreditation:supervision_log", None, SUPERVISORS),
    ("accreditation:my_supervision", None, EVERYONE),
    ("accreditation:session_detail", "session", READ),
]


def _url(name, key, objects):
    return reverse(name, args=[objects[key]]) if key else reverse(name)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "key", "expected"), PAGES)
def test_it_shows_each_page_only_to_those_who_may_see_it(
    client, objects, persona, name, key, expected, request
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(_url(name, key, objects))
    assert response.status_code == expected[persona], (name, persona)


@pytest.mark.parametrize(("name", "key", "expected"), PAGES)
def test_it_sends_anonymous_visitors_to_sign_in(client, objects, name, key, expected):
    response = client.get(_url(name, key, objects))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


ACTIONS = [
    ("accreditation:stage_start", "kpe_stage"),
    ("accreditation:stage_submit", "stage"),
    ("accreditation:stage_approve", "stage"),
    ("accreditation:stage_request_changes", "stage"),
    ("accreditation:stage_reopen", "stage"),
    ("accreditation:evidence_add_note", "stage"),
    ("accreditation:evidence_add_file", "stage"),
    ("accreditation:evidence_remove", "evidence"),
    ("accreditation:evidence_edit_note", "evidence"),
    ("accreditation:evidence_download", "evidence"),
    ("accreditation:episode_delete", "episode"),
    ("accreditation:finding_delete", "pattern"),
    ("accreditation:session_confirm", "session"),
]


@pytest.mark.parametrize("persona", ["uma", "sid", "ali"])
@pytest.mark.parametrize(("name", "key"), ACTIONS)
def test_it_hides_every_action_from_outsiders(client, objects, persona, name, key, request):
    client.force_login(request.getfixturevalue(persona))
    method = client.get if name == "accreditation:evidence_download" else client.post
    response = method(_url(name, key, objects), {"comment": "x"})
    assert response.status_code == 404


def test_it_changes_nothing_when_an_outsider_posts(client, objects, review, uma):
    client.force_login(uma)
    client.post(reverse("accreditation:stage_submit", args=[objects["stage"]]))
    client.post(reverse("accreditation:evidence_remove", args=[objects["evidence"]]))
    assert stage(review, 1).status == "in_progress"
    assert stage(review, 1).evidence.count() == 1


def test_it_lets_an_assessor_read_a_review_only_once_its_application_is_submitted(
    client, objects, review, tess, ali
):
    application = AccreditationApplication.objects.create(
        trainee=tess, review=review, scheme=review.scheme
    )
    client.force_login(ali)
    url = reverse("accreditation:review_detail", args=[review.pk])
    assert client.get(url).status_code == 404
    for status in ("submitted", "approved", "referred", "declined"):
        application.status = status
        application.save()
        assert client.get(url).status_code == 200, status
        stage_url = reverse("accreditation:stage_detail", args=[objects["stage"]])
        assert client.get(stage_url).status_code == 200


def test_it_keeps_the_assessor_read_only(client, objects, review, tess, ali):
    AccreditationApplication.objects.create(
        trainee=tess, review=review, scheme=review.scheme, status="submitted"
    )
    client.force_login(ali)
    response = client.get(reverse("accreditation:stage_detail", args=[objects["stage"]]))
    content = response.content.decode()
    assert "Submit for sign-off" not in content
    assert "Upload file" not in content
    assert "Approve this stage" not in content


def test_it_takes_a_trainee_to_their_review(client, objects, review, tess, pat):
    for person in (tess, pat):
        client.force_login(person)
        response = client.get(reverse("accreditation:my_review"))
        assert response.status_code == 302
        assert response["Location"] == reverse("accreditation:review_detail", args=[review.pk])


@pytest.mark.parametrize("persona", ["sam", "ali", "ada"])
def test_it_shows_an_empty_state_to_someone_with_no_review(client, db, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("accreditation:my_review"))
    assert response.status_code == 200
    assert "You do not have a supervised review yet." in response.content.decode()
