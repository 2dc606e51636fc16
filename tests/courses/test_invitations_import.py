"""CSV import of invitations: every row checked, all saved or none; the one-person form."""

from django.core import mail
from django.urls import reverse

import pytest

from courses.models import Invitation
from courses.services.invitations.csv_import import invitations_import_csv
from courses.services.invitations.links import hash_token
from learning_platform.accounts.models import Organisation
from tests.courses.factories import EnrolmentFactory, InvitationFactory
from tests.factories import UserFactory

from .invitation_files import HEADER, csv_file, post_import

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("organisations")]


def test_it_saves_every_row_and_emails_each_person_after_commit(
    client, ada, cohort, django_capture_on_commit_callbacks
):
    client.force_login(ada)
    upload = csv_file(
        "Nia Jones,nia@example.org,Camden Safeguarding Partnership,Team manager\n"
        "Omar Khan,OMAR@example.org,,Detective sergeant\n"
    )

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post_import(client, cohort, upload)

    assert response.status_code == 302
    invitations = {i.email: i for i in Invitation.objects.filter(cohort=cohort)}
    assert set(invitations) == {"nia@example.org", "omar@example.org"}
    assert invitations["nia@example.org"].organisation.name == "Camden Safeguarding Partnership"
    assert invitations["omar@example.org"].organisation is None
    assert invitations["omar@example.org"].invited_by == ada
    assert len(callbacks) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["nia@example.org", "omar@example.org"]
    message = next(m for m in mail.outbox if m.to == ["nia@example.org"])
    assert "London boards 2026" in message.subject
    assert message.alternatives and message.alternatives[0][1] == "text/html"
    # The email carries the raw token; only its hash is stored.
    token = message.body.split("/learning/invitations/")[1].split("/")[0]
    assert invitations["nia@example.org"].token_hash == hash_token(token)
    assert token not in invitations["nia@example.org"].token_hash


def test_it_rejects_each_bad_row_with_its_reason_and_saves_nothing(
    client, ada, cohort, tess, tess_enrolment, django_capture_on_commit_callbacks
):
    InvitationFactory(cohort=cohort, email="pending@example.org")
    before = Invitation.objects.count()
    client.force_login(ada)
    upload = csv_file(
        "Good Person,good@example.org,,\n"
        ",noname@example.org,,\n"
        "Bad Email,not-an-email,,\n"
        "Twice Listed,twice@example.org,,\n"
        "Twice Again,TWICE@example.org,,\n"
        "Already Invited,pending@example.org,,\n"
        "Tess Trainee,tess@example.org,,\n"
        "No Email,,Barnet,Social worker\n"
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = post_import(client, cohort, upload)

    assert response.status_code == 400
    assert Invitation.objects.count() == before
    assert mail.outbox == []
    rows = {row.line: row for row in response.context["report"].rows}
    assert rows[2].ok
    assert rows[3].problems == ["The name is missing."]
    assert "not a valid email address" in rows[4].problems[0]
    assert rows[5].ok
    assert rows[6].problems == ["twice@example.org is already on row 5 of this file."]
    assert "already been invited" in rows[7].problems[0]
    assert "already enrolled in this cohort (active)" in rows[8].problems[0]
    assert rows[9].problems == ["The email address is missing."]
    assert [row.line for row in response.context["report"].rejected] == [3, 4, 6, 7, 8, 9]
    page = response.content.decode()
    assert "Nothing has been saved" in page
    assert "upload the whole file again" in page
    for reason in ("The name is missing.", "not a valid email address", "already on row 5"):
        assert reason in page


def test_it_rejects_rows_beyond_the_cohorts_capacity(ada, cohort, tess_enrolment):
    cohort.capacity = 3
    cohort.save()
    InvitationFactory(cohort=cohort)  # a pending invitation holds a place too
    upload = csv_file("A Person,a@example.org,,\nB Person,b@example.org,,\n")

    report = invitations_import_csv(cohort=cohort, upload=upload, invited_by=ada)

    assert not report.saved
    assert report.rows[0].ok
    assert "The cohort is full" in report.rows[1].problems[0]
    assert not Invitation.objects.filter(email__in=["a@example.org", "b@example.org"]).exists()


@pytest.mark.parametrize(
    ("upload", "expected"),
    [
        (csv_file("x,y@example.org,,\n", name="people.xlsx"), "must be a CSV file"),
        (csv_file("Zoë Ørsted,z@example.org,,\n", encoding="latin-1"), "not UTF-8"),
        (csv_file("Ann,ann@example.org\n", header="name,address\n"), "Missing: email"),
        (csv_file("", header=HEADER), "nobody in it"),
    ],
    ids=["wrong-type", "wrong-encoding", "missing-columns", "header-only"],
)
def test_it_rejects_a_bad_file_as_a_whole(ada, cohort, upload, expected):
    report = invitations_import_csv(cohort=cohort, upload=upload, invited_by=ada)

    assert not report.saved
    assert expected in " ".join(report.file_problems)
    assert Invitation.objects.count() == 0


def test_it_accepts_a_byte_order_mark_and_column_aliases(ada, cohort):
    upload = csv_file(
        "Ann Lee,ann@example.org,Barnet,Social worker\n",
        header="\ufeffFull name,Email address,Organization,Job_title\n",
    )

    report = invitations_import_csv(cohort=cohort, upload=upload, invited_by=ada)

    assert report.saved
    assert Invitation.objects.get(email="ann@example.org").job_title == "Social worker"


def test_it_counts_invited_enrolments_against_capacity(ada, cohort):
    cohort.capacity = 1
    cohort.save()
    EnrolmentFactory(cohort=cohort, user=UserFactory(), status="invited")

    report = invitations_import_csv(
        cohort=cohort, upload=csv_file("A Person,a@example.org,,\n"), invited_by=ada
    )

    assert not report.saved
    assert "full" in report.rows[0].problems[0]


def test_it_invites_one_person_from_the_form(
    client, ada, cohort, django_capture_on_commit_callbacks
):
    client.force_login(ada)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("invitations:add"),
            {
                "cohort": cohort.pk,
                "full_name": "Nia Jones",
                "email": "Nia@Example.org",
                "job_title": "Manager",
            },
        )

    assert response.status_code == 302
    invitation = Invitation.objects.get(cohort=cohort)
    assert invitation.email == "nia@example.org"
    assert [m.to for m in mail.outbox] == [["nia@example.org"]]


@pytest.mark.parametrize("days", [7, 30])
def test_it_says_how_long_the_link_lasts_from_the_setting(client, ada, cohort, settings, days):
    settings.INVITATION_EXPIRY_DAYS = days
    client.force_login(ada)

    page = client.get(f"{reverse('invitations:add')}?cohort={cohort.pk}").content.decode()

    assert f"expires after {days} days." in page
    assert "14 days" not in page


def test_it_refuses_to_invite_someone_already_enrolled(client, ada, cohort, tess_enrolment):
    client.force_login(ada)

    response = client.post(
        reverse("invitations:add"),
        {"cohort": cohort.pk, "full_name": "Tess Trainee", "email": "tess@example.org"},
    )

    assert response.status_code == 200
    assert "already enrolled" in response.content.decode()
    assert not Invitation.objects.exists()


# Values the database or a spreadsheet would refuse ------------------------------------------


def test_it_rejects_over_long_values_row_by_row_and_saves_nothing(client, ada, cohort):
    Organisation.objects.create(name="O" * 200)
    client.force_login(ada)
    long_email = "a" * 250 + "@example.org"  # 262 characters: valid in form, too long to store
    upload = csv_file(
        "Good Person,good@example.org,,\n"
        f"{'N' * 201},long-name@example.org,,\n"
        f"Long Title,long-title@example.org,,{'T' * 201}\n"
        f"Long Org,long-org@example.org,{'O' * 201},\n"
        f"Long Email,{long_email},,\n"
        f"{'N' * 200},just-fits@example.org,{'O' * 200},{'T' * 200}\n"
    )

    response = post_import(client, cohort, upload)

    assert response.status_code == 400
    assert not Invitation.objects.exists()
    rows = {row.line: row for row in response.context["report"].rows}
    assert rows[2].ok and rows[7].ok
    assert rows[3].problems == ["The name is 201 characters long; it can be at most 200."]
    assert rows[4].problems == ["The job title is 201 characters long; it can be at most 200."]
    assert rows[5].problems == ["The organisation is 201 characters long; it can be at most 200."]
    assert rows[6].problems == ["The email address is 262 characters long; it can be at most 254."]
    assert "The organisation is 201 characters long" in response.content.decode()


def test_it_rejects_control_characters_in_a_row_with_a_clear_message(ada, cohort):
    upload = csv_file("Nia\x0bJones,nia@example.org,Camden\x07,Manager\n")

    report = invitations_import_csv(cohort=cohort, upload=upload, invited_by=ada)

    assert not report.saved
    assert not Invitation.objects.exists()
    (row,) = report.rows
    assert row.problems == [
        "The name contains an invisible control character (such as a tab or line break pasted "
        "from another program). Type it again without it.",
        "The organisation contains an invisible control character (such as a tab or line break "
        "pasted from another program). Type it again without it.",
    ]


def test_it_refuses_control_characters_on_the_invite_form_keeping_what_was_typed(
    client, ada, cohort
):
    client.force_login(ada)

    response = client.post(
        reverse("invitations:add"),
        {
            "cohort": cohort.pk,
            "full_name": "Nia\x0bJones",
            "email": "nia@example.org",
            "job_title": "Manager",
        },
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "The name contains an invisible control character" in page
    assert 'value="nia@example.org"' in page and 'value="Manager"' in page
    assert not Invitation.objects.exists()
