"""Enquiries sent through the public contact form from a person's own address are theirs."""

import json
import zipfile

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from wagtail.contrib.forms.models import FormSubmission

import pytest
from allauth.account.models import EmailAddress

from content.demo import seed_site
from content.models import EnquiryFormPage
from content.services import enquiry_submit
from learning_platform.accounts.personal_data.erasure import user_erase
from learning_platform.accounts.personal_data.export import user_export_build
from tests.courses.factories import InvitationFactory

pytestmark = pytest.mark.django_db


def _enquiry(page, *, name: str, email: str, text: str) -> FormSubmission:
    return enquiry_submit(
        page=page,
        cleaned_data={
            "your_name": name,
            "email_address": email,
            "organisation": "Camden Safeguarding Children Partnership",
            "what_is_your_enquiry_about": "Commissioning a case review",
            "your_enquiry": text,
        },
    )


@pytest.fixture
def contact_page(db) -> EnquiryFormPage:
    seed_site()
    return EnquiryFormPage.objects.get()


def _export_data(user) -> dict:
    export = user_export_build(user=user)
    with zipfile.ZipFile(export.file) as archive:
        return json.loads(archive.read("data.json"))


def test_it_exports_only_the_enquiries_sent_from_the_persons_address(contact_page, tess, uma):
    _enquiry(contact_page, name="Tess Trainee", email="TESS@example.org", text="Mine, Tess.")
    _enquiry(contact_page, name="Uma Unrelated", email="uma@example.org", text="Uma's own.")
    _enquiry(contact_page, name="Jo", email="not-tess@example.org", text="Someone else's.")

    enquiries = _export_data(tess)["content"]["enquiries"]

    assert [item["answers"]["your_enquiry"] for item in enquiries] == ["Mine, Tess."]
    assert enquiries[0]["form"] == contact_page.title


def test_it_deletes_the_persons_enquiries_when_they_are_erased(contact_page, tess, uma, ada):
    mine = _enquiry(contact_page, name="Tess Trainee", email="tess@example.org", text="Mine.")
    theirs = _enquiry(contact_page, name="Uma Unrelated", email="uma@example.org", text="Uma's.")

    user_erase(user=tess, by=ada)

    assert not FormSubmission.objects.filter(pk=mine.pk).exists()
    assert FormSubmission.objects.filter(pk=theirs.pk).exists()


def test_it_refuses_erasure_by_someone_who_is_not_an_administrator(contact_page, tess, sam):
    with pytest.raises(PermissionDenied):
        user_erase(user=tess, by=sam)
    with pytest.raises(PermissionDenied):
        user_erase(user=tess, by=AnonymousUser())
    tess.refresh_from_db()
    assert tess.erased_at is None


STRANGER_EMAIL = "stranger@example.org"


def test_it_ignores_an_address_added_to_the_account_but_never_verified(contact_page, tess, ada):
    # Anyone can type any address on the email page; only following the link proves it is theirs.
    EmailAddress.objects.create(user=tess, email=STRANGER_EMAIL, verified=False, primary=False)
    strangers = _enquiry(contact_page, name="Jo Stranger", email=STRANGER_EMAIL, text="Jo's own.")
    invitation = InvitationFactory(email=STRANGER_EMAIL, full_name="Jo Stranger")
    answers_before = dict(strangers.form_data)

    export = _export_data(tess)

    assert export["content"]["enquiries"] == []
    assert "Jo's own." not in json.dumps(export)

    user_erase(user=tess, by=ada)

    strangers.refresh_from_db()
    assert strangers.form_data == answers_before
    invitation.refresh_from_db()
    assert (invitation.email, invitation.full_name) == (STRANGER_EMAIL, "Jo Stranger")


def test_it_counts_an_address_once_it_is_verified(contact_page, tess, ada):
    EmailAddress.objects.create(user=tess, email="tess.home@example.org", verified=True)
    home = _enquiry(contact_page, name="Tess", email="tess.home@example.org", text="From home.")

    assert [
        item["answers"]["your_enquiry"] for item in _export_data(tess)["content"]["enquiries"]
    ] == ["From home."]

    user_erase(user=tess, by=ada)

    assert not FormSubmission.objects.filter(pk=home.pk).exists()
