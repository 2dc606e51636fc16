"""The whole training path through the site, as the people involved would take it.

Staff create a cohort with a training day and invite a trainee by CSV; the trainee accepts,
sets a password and works through the course (a reflection, a failed then a passed knowledge
check); the supervisor reads the progress and the reflections; staff see and download the grid.
"""

import csv
import datetime
import io

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest
from openpyxl import load_workbook

from courses.models import Cohort, Enrolment, KnowledgeCheckAttempt
from learning_platform.accounts.models import Organisation

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-unusual-passphrase-42"
MY_LEARNING = reverse("courses:my_learning")


def _block_id(module, block_type):
    return next(item["id"] for item in module.body.raw_data if item["type"] == block_type)


def _reflect(client, module, answer):
    block_id = _block_id(module, "reflective_question")
    return client.post(
        reverse("courses:reflection_save", args=[module.pk, block_id]),
        {f"reflection-{block_id}-answer": answer},
    )


def _check(client, module, q0, q1):
    block_id = _block_id(module, "knowledge_check")
    return client.post(
        reverse("courses:knowledge_check_answer", args=[module.pk, block_id]),
        {f"check-{block_id}-q0": str(q0), f"check-{block_id}-q1": str(q1)},
    )


def _my_learning(client) -> str:
    return client.get(MY_LEARNING).content.decode()


def test_it_takes_a_trainee_from_a_csv_invitation_to_a_completed_course(
    client, ada, sam, course, modules, django_capture_on_commit_callbacks
):
    first, second = modules
    day = datetime.date.today() + datetime.timedelta(days=7)

    # Staff create the cohort with a training day, in the admin.
    client.force_login(ada)
    response = client.post(
        "/admin/programme/cohorts/new/",
        {
            "name": "Leeds boards 2027",
            "course": course.pk,
            "funding_strand": "DfE VCS grant",
            "start_date": day.isoformat(),
            "end_date": (day + datetime.timedelta(days=180)).isoformat(),
            "capacity": "12",
            "status": "in_progress",
            "supervisors": [str(sam.pk)],
            "training_days-TOTAL_FORMS": "1",
            "training_days-INITIAL_FORMS": "0",
            "training_days-MIN_NUM_FORMS": "0",
            "training_days-MAX_NUM_FORMS": "1000",
            "training_days-0-title": "Day 1: systems thinking",
            "training_days-0-date": day.isoformat(),
            "training_days-0-starts_at": "09:30",
            "training_days-0-ends_at": "16:30",
            "training_days-0-venue": "SCIE London",
            "training_days-0-online_link": "",
            "training_days-0-ORDER": "1",
            "training_days-0-DELETE": "",
            "training_days-0-id": "",
        },
    )
    assert response.status_code == 302
    cohort = Cohort.objects.get(name="Leeds boards 2027")

    # ... and invite a trainee by CSV (from an organisation the platform knows); the email
    # goes once the invitations are saved.
    Organisation.objects.create(name="Leeds Safeguarding Partnership")
    upload = SimpleUploadedFile(
        "trainees.csv",
        b"name,email,organisation,job title\n"
        b"Nia Jones,nia@example.org,Leeds Safeguarding Partnership,Team manager\n",
        content_type="text/csv",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("invitations:import"), {"cohort": cohort.pk, "file": upload})
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["nia@example.org"]]
    token = mail.outbox[0].body.split("/learning/invitations/")[1].split("/")[0]
    accept_path = reverse("courses:invitation_accept", args=[token])
    client.logout()

    # The trainee accepts the invitation and sets a password.
    assert "Create your account" in client.get(accept_path).content.decode()
    response = client.post(
        accept_path, {"full_name": "Nia Jones", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(user__email="nia@example.org", cohort=cohort)
    assert enrolment.status == Enrolment.Status.ACTIVE
    assert client.get(accept_path).status_code == 410  # the link works once

    page = _my_learning(client)
    assert "0 of 2 modules completed" in page and 'value="0"' in page
    assert "Day 1: systems thinking" in page  # the next training day
    assert "Start “Systems thinking”" in page  # the next thing to do

    # A reflection completes the first module, and the bar moves.
    assert "Systems thinking basics." in client.get(first.url).content.decode()
    _reflect(client, first, "The family's voice was missing.")
    page = _my_learning(client)
    assert "1 of 2 modules completed" in page and 'value="1"' in page
    assert "Start “Key practice episodes”" in page

    # The second needs its reflection and a passed check: a failed attempt leaves it open.
    _reflect(client, second, "The handover between agencies.")
    _check(client, second, q0=1, q1=0)
    assert KnowledgeCheckAttempt.objects.get(progress__enrolment=enrolment).passed is False
    page = _my_learning(client)
    assert "1 of 2 modules completed" in page
    assert "Continue “Key practice episodes”" in page

    _check(client, second, q0=0, q1=1)
    page = _my_learning(client)
    assert "2 of 2 modules completed" in page and 'value="2"' in page
    assert "You have completed every module of this course." in page
    client.logout()

    # The cohort's supervisor sees the trainee's progress and reads the reflections.
    client.force_login(sam)
    home = client.get(reverse("courses:supervisor_home"))
    [item] = [t for t in home.context["trainees"] if t.enrolment == enrolment]
    assert (item.modules_completed, item.modules_total) == (2, 2)
    record = client.get(reverse("courses:enrolment_progress", args=[enrolment.pk]))
    assert record.status_code == 200
    html = record.content.decode().replace("&#x27;", "'")
    assert "The family's voice was missing." in html
    assert "The handover between agencies." in html
    client.logout()

    # Staff see the grid and download it.
    client.force_login(ada)
    grid = client.get(reverse("courses:cohort_grid", args=[cohort.pk])).context["grid"]
    assert [(r.enrolment.user.email, r.cells) for r in grid.rows] == [
        ("nia@example.org", ["completed", "completed"])
    ]
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("courses:cohort_grid_csv", args=[cohort.pk])).getvalue().decode()
            )
        )
    )
    assert rows[1][:2] == ["Nia Jones", "nia@example.org"]
    assert rows[1][-3:] == ["Completed", "Completed", "2"]
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("courses:cohort_grid_xlsx", args=[cohort.pk])).getvalue())
    )
    sheet_rows = list(workbook.active.iter_rows(values_only=True))
    assert sheet_rows[1][:2] == ("Nia Jones", "nia@example.org")
    assert sheet_rows[1][-3:] == ("Completed", "Completed", 2)
