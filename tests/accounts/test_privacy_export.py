import io
import json
import logging
import zipfile

from django.urls import reverse

import pytest

from accreditation.models import Evidence
from tests.accreditation.award_builders import log_supervision
from tests.accreditation.factories import SupervisedReviewFactory
from tests.factories import PASSWORD

from .privacy_scenario import (
    PAT_FILE_BYTES,
    PAT_REFLECTION_WORD,
    TESS_FILE_BYTES,
    TESS_NOTE_WORD,
    TESS_REFLECTION_WORD,
    TESS_STATEMENT_WORD,
    build_world,
)

pytestmark = pytest.mark.django_db

EXPORT_URL = "/accounts/profile/data/"
# Seven of these read the reviews' people, conversations and meetings (the reviews, each kind of
# record, and the conversations the person led); who a conversation or meeting was with is read
# only when there is one (see tests/accreditation/test_conduct_privacy.py).
# Three more: the judgements against the criteria with the decisions, and the supervisor's
# recommendations received and made. Four read appeals, appeal decisions made, CPD entries and
# their evidence files; two the register profile and the messages sent through the register.
# Two read the person's renewals and the renewal decisions they made (their reviews, decisions
# and judgements are read only when there is a renewal). One more reads the messages the person
# sent through the register.
EXPORT_QUERIES = 59


@pytest.fixture
def world(tess, pat, sam, ali, django_capture_on_commit_callbacks):
    return build_world(tess, pat, sam, ali, django_capture_on_commit_callbacks)


def _reauthenticate(client):
    """Confirm the password, as the page the export sends you to asks."""
    return client.post(
        f"{reverse('account_reauthenticate')}?next={EXPORT_URL}",
        {"password": PASSWORD, "next": EXPORT_URL},
    )


def _export(client, user):
    client.force_login(user)
    first = client.post(EXPORT_URL)
    assert first.status_code == 302
    return _reauthenticate(client)


def _unzip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_it_sends_anonymous_visitors_to_sign_in(client):
    response = client.post(EXPORT_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_it_asks_for_the_password_again_before_exporting(client, tess):
    client.force_login(tess)

    response = client.post(EXPORT_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert "Content-Disposition" not in response


def test_it_refuses_a_wrong_password_and_exports_nothing(client, tess):
    client.force_login(tess)
    client.post(EXPORT_URL)

    response = client.post(
        f"{reverse('account_reauthenticate')}?next={EXPORT_URL}",
        {"password": "not-the-password", "next": EXPORT_URL},
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "password" in response.content.decode().lower()


def test_it_only_accepts_a_post(client, tess):
    client.force_login(tess)

    assert client.get(EXPORT_URL).status_code == 405


def test_it_offers_the_download_on_the_profile_page(client, tess):
    client.force_login(tess)

    body = client.get(reverse("accounts_profile")).content.decode()

    assert f'action="{EXPORT_URL}"' in body
    assert "Download your data" in body


def test_it_exports_tess_data_and_files_as_a_zip(client, tess, world):
    response = _export(client, tess)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "no-store, private"
    assert response["Content-Disposition"].startswith("attachment;")
    archive = _unzip(response)
    data = json.loads(archive.read("data.json"))

    assert data["accounts"]["account"]["email"] == "tess@example.org"
    assert data["accounts"]["roles"] == ["Trainee"]
    [progress] = data["courses"]["module_progress"]
    assert progress["module"] == "Systems thinking"
    assert TESS_REFLECTION_WORD in progress["reflections"][0]["answer"]
    assert progress["reflections"][0]["question"].startswith("What did the case teach you")
    assert progress["knowledge_check_attempts"][0]["passed"] is True
    [review] = data["accreditation"]["supervised_reviews"]
    assert (review["case_reference"], review["your_role"]) == ("Child K", "lead trainee")
    first_stage = review["stages"][0]
    titles = {item["title"]: item for item in first_stage["evidence"]}
    assert TESS_NOTE_WORD in titles["Research questions"]["note"]
    assert titles["Review team list"]["added_by"] == "Pat Partner"
    assert [s["decision"] for s in first_stage["sign_offs"]][-1] == "Approved"
    assert len(data["accreditation"]["supervision_sessions_attended"]) == 5
    [application] = data["accreditation"]["applications"]
    assert TESS_STATEMENT_WORD in application["reflective_statement"]
    assert application["decisions"][0]["outcome"] == "Approved"
    [certificate] = data["accreditation"]["certificates"]
    assert certificate["number"] == world.certificate.number
    assert certificate["status"] == "Issued"
    # Every app's privacy module contributes: Sam's sign-off reached Tess as a notification.
    assert data["notifications"]["notifications"]

    # Both trainees' evidence files on the shared review, byte for byte, and the certificate.
    files = set(archive.namelist()) - {"data.json", "README.txt"}
    assert set(data["files"]) == files
    tess_path = titles["Scoping notes"]["file"]
    pat_path = titles["Review team list"]["file"]
    assert archive.read(tess_path) == TESS_FILE_BYTES
    assert archive.read(pat_path) == PAT_FILE_BYTES
    assert archive.read(certificate["file"]).startswith(b"%PDF")
    assert all(name.startswith("files/") for name in files)


def test_it_leaves_out_the_partners_private_data(client, tess, pat, world):
    archive = _unzip(_export(client, tess))

    everything = b"".join(archive.read(name) for name in archive.namelist())
    data = json.loads(archive.read("data.json"))
    assert PAT_REFLECTION_WORD.encode() not in everything
    assert len(data["courses"]["enrolments"]) == 1
    assert len(data["courses"]["module_progress"]) == 1
    assert len(data["accreditation"]["applications"]) == 1
    assert "pat@example.org" not in json.dumps(data)


def test_it_gives_the_partner_the_shared_review_but_not_tess_private_data(client, tess, pat, world):
    archive = _unzip(_export(client, pat))

    data = json.loads(archive.read("data.json"))
    everything = b"".join(archive.read(name) for name in archive.namelist())
    [review] = data["accreditation"]["supervised_reviews"]
    assert review["your_role"] == "review partner"
    assert TESS_FILE_BYTES in everything
    assert TESS_REFLECTION_WORD.encode() not in everything
    assert TESS_STATEMENT_WORD.encode() not in everything
    assert data["accreditation"]["applications"] == []
    assert data["accreditation"]["certificates"] == []


def test_it_logs_the_export_without_its_contents(client, tess, world, caplog):
    with caplog.at_level(logging.INFO, logger="learning_platform.security"):
        _export(client, tess)

    [line] = [r.getMessage() for r in caplog.records if "personal_data_export" in r.getMessage()]
    assert f"user_id={tess.pk}" in line
    assert "files=3" in line
    assert TESS_REFLECTION_WORD not in line
    assert "tess@example.org" not in line


def test_it_runs_a_fixed_number_of_queries_however_much_there_is(
    client, tess, sam, world, django_assert_num_queries
):
    _export(client, tess)
    # The archive is streamed, so the pin covers reading it to the end as well as the request.
    with django_assert_num_queries(EXPORT_QUERIES):
        response = client.post(EXPORT_URL)
        few = _unzip(response).read("data.json").decode()

    # More of everything: evidence, sign-offs, supervision and another review.
    first = world.review.stages.get(sort_order=1)
    for number in range(5):
        Evidence.objects.create(
            stage=first, kind=Evidence.Kind.NOTE, title=f"Note {number}", uploaded_by=tess
        )
    log_supervision(tess, sam, group=3, individual=1)
    SupervisedReviewFactory(trainee=tess, supervisor=sam, case_reference="Family J")

    with django_assert_num_queries(EXPORT_QUERIES):
        response = client.post(EXPORT_URL)
        many = _unzip(response).read("data.json").decode()
    assert "Note 4" not in few and "Note 4" in many and "Family J" in many
