"""CSV import of invitations: line numbers, delimiters, column names, organisations, template."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest

from courses.models import Invitation
from courses.services.invitations.csv_import import invitations_import_csv
from learning_platform.accounts.models import Organisation

from .invitation_files import csv_file, post_import

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("organisations")]


# Line numbers and delimiters ----------------------------------------------------------------


def test_it_numbers_rows_by_their_line_in_the_file_counting_blank_lines(ada, cohort):
    upload = csv_file(
        "\n"
        "Good Person,good@example.org,,\n"
        "\n"
        "\n"
        ",noname@example.org,,\n"
        "Good Again,again@example.org,,\n"
        "Twice,again@example.org,,\n"
    )

    report = invitations_import_csv(cohort=cohort, upload=upload, invited_by=ada)

    assert [row.line for row in report.rows] == [3, 6, 7, 8]
    assert [row.line for row in report.rejected] == [6, 8]
    assert report.rows[-1].problems == ["again@example.org is already on row 7 of this file."]


def test_it_counts_lines_inside_a_quoted_value(ada, cohort):
    upload = csv_file(
        'Good Person,good@example.org,"Camden\nSafeguarding",\n,noname@example.org,,\n'
    )

    report = invitations_import_csv(cohort=cohort, upload=upload, invited_by=ada)

    assert [row.line for row in report.rows] == [2, 4]


@pytest.mark.parametrize("delimiter", [";", "\t", ","], ids=["semicolon", "tab", "comma"])
def test_it_reads_semicolon_tab_and_comma_separated_files(ada, cohort, delimiter):
    d = delimiter
    upload = csv_file(
        f"Nia Jones{d}nia@example.org{d}Camden Safeguarding Partnership{d}Team manager\n"
        f'Omar Khan{d}omar@example.org{d}"Barnet, Enfield and Haringey"{d}Detective sergeant\n',
        header=f"name{d}email{d}organisation{d}job title\n",
    )

    report = invitations_import_csv(cohort=cohort, upload=upload, invited_by=ada)

    assert report.file_problems == []
    assert report.saved
    invitations = {i.email: i for i in Invitation.objects.filter(cohort=cohort)}
    assert invitations["nia@example.org"].job_title == "Team manager"
    assert invitations["omar@example.org"].organisation.name == "Barnet, Enfield and Haringey"


def test_it_reads_a_semicolon_file_whose_values_hold_commas(ada, cohort):
    upload = csv_file(
        "Nia Jones;nia@example.org;Camden, Islington;Manager, safeguarding\n",
        header="Full name;E-mail;Organisation;Job title\n",
    )

    report = invitations_import_csv(cohort=cohort, upload=upload, invited_by=ada)

    assert report.saved, report.file_problems
    invitation = Invitation.objects.get()
    assert (invitation.full_name, invitation.job_title) == ("Nia Jones", "Manager, safeguarding")
    assert invitation.organisation.name == "Camden, Islington"


@pytest.mark.parametrize(
    "header",
    [
        "name,email\n",
        "Name,Email\n",
        "full name,email address\n",
        "full_name,email_address\n",
        "Full Name,Email Address\n",
        " FULL_NAME , E-mail \n",
        "fullname;emailaddress\n",
    ],
)
def test_it_accepts_common_spellings_of_the_columns_and_needs_only_name_and_email(
    ada, cohort, header
):
    delimiter = ";" if ";" in header else ","
    upload = csv_file(f"Ann Lee{delimiter}ann@example.org\n", header=header)

    report = invitations_import_csv(cohort=cohort, upload=upload, invited_by=ada)

    assert report.file_problems == []
    assert report.saved
    invitation = Invitation.objects.get()
    assert (invitation.full_name, invitation.email) == ("Ann Lee", "ann@example.org")
    assert (invitation.organisation, invitation.job_title) == (None, "")


def test_it_refuses_an_unknown_organisation_row_by_row_and_saves_nothing(client, ada, cohort):
    client.force_login(ada)
    before = Organisation.objects.count()
    upload = csv_file(
        "Nia Jones,nia@example.org,camden safeguarding partnership,Team manager\n"
        "Omar Khan,omar@example.org,Camdn Safeguarding Partnership,Detective sergeant\n"
        "Ann Lee,ann@example.org,,Social worker\n"
    )

    response = post_import(client, cohort, upload)

    assert response.status_code == 400
    rows = response.context["report"].rows
    assert rows[0].ok and rows[2].ok  # a known name in any case, or none at all
    assert rows[1].problems == [
        "“Camdn Safeguarding Partnership” is not an organisation on the platform. Check its "
        "spelling, leave it blank, or ask a programme administrator to add it first."
    ]
    assert "is not an organisation on the platform" in response.content.decode()
    assert Organisation.objects.count() == before
    assert not Invitation.objects.exists()


def test_it_links_the_known_organisation_whatever_its_case(ada, cohort, organisations):
    upload = csv_file("Nia Jones,nia@example.org,CAMDEN SAFEGUARDING PARTNERSHIP,\n")

    report = invitations_import_csv(cohort=cohort, upload=upload, invited_by=ada)

    assert report.saved
    assert Invitation.objects.get().organisation == organisations[0]


def test_it_offers_a_template_that_the_import_reads(client, ada, cohort):
    client.force_login(ada)
    template_url = reverse("invitations:import_template")

    page = client.get(f"{reverse('invitations:import')}?cohort={cohort.pk}").content.decode()
    response = client.get(template_url)

    assert f'href="{template_url}"' in page and "Download a CSV template" in page
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="invitations-template.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text == "\ufeffname,email,organisation,job title\r\n"
    filled = SimpleUploadedFile(
        "filled.csv", (text + "Ann Lee,ann@example.org,Barnet,Social worker\r\n").encode()
    )
    report = invitations_import_csv(cohort=cohort, upload=filled, invited_by=ada)
    assert report.saved
    assert Invitation.objects.get().organisation.name == "Barnet"
