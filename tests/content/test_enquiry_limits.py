"""The contact form emails whatever address is typed into it, so enquiries are rate limited per
client address and per address the acknowledgement goes to (ENQUIRY_RATE_LIMIT)."""

from django.core import mail
from django.test import Client

from wagtail.contrib.forms.models import FormSubmission

import pytest

from .enquiries import VALID

PROXY = "10.0.0.1"


@pytest.fixture(autouse=True)
def _behind_one_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def _visitor(ip: str) -> Client:
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ip)


def _limits(setting: str) -> dict[str, int]:
    """{"ip": 10, "key": 3} from "10/h/ip,3/h/key"."""
    return {part.split("/")[2]: int(part.split("/")[0]) for part in setting.split(",")}


def _send(client, page, capture, **changes):
    with capture(execute=True):
        return client.post(page.url, {**VALID, **changes})


def test_it_limits_enquiries_to_one_address_and_keeps_what_was_typed(
    settings, contact_page, django_capture_on_commit_callbacks
):
    per_address = _limits(settings.ENQUIRY_RATE_LIMIT)["key"]
    # Each from a different place, so only the limit per address can trip.
    for n in range(per_address):
        sent = _send(
            _visitor(f"198.51.100.{n + 1}"),
            contact_page,
            django_capture_on_commit_callbacks,
            email_address="Victim@Example.org",
        )
        assert sent.status_code == 302
    mail.outbox.clear()

    refused = _send(
        _visitor("203.0.113.50"),
        contact_page,
        django_capture_on_commit_callbacks,
        email_address="victim@example.org",
        your_enquiry="A fourth enquiry, typed with care.",
    )

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    html = refused.content.decode()
    assert "<title>Error: " in html
    assert "Your enquiry has not been sent" in html and "Try again after" in html
    assert "A fourth enquiry, typed with care." in html
    assert FormSubmission.objects.count() == per_address
    assert mail.outbox == []

    # Someone else, from the same place, is not held back by the stranger's limit.
    other = _send(
        _visitor("203.0.113.50"),
        contact_page,
        django_capture_on_commit_callbacks,
        email_address="someone.else@example.org",
    )
    assert other.status_code == 302


def test_it_limits_enquiries_from_one_client_address(
    settings, contact_page, django_capture_on_commit_callbacks
):
    per_ip = _limits(settings.ENQUIRY_RATE_LIMIT)["ip"]
    visitor = _visitor("198.51.100.7")
    for n in range(per_ip):
        sent = _send(
            visitor,
            contact_page,
            django_capture_on_commit_callbacks,
            email_address=f"person{n}@example.org",
        )
        assert sent.status_code == 302

    refused = _send(
        visitor, contact_page, django_capture_on_commit_callbacks, email_address="new@example.org"
    )

    assert refused.status_code == 429
    assert FormSubmission.objects.count() == per_ip
    # Another visitor still gets through.
    assert (
        _send(_visitor("203.0.113.9"), contact_page, django_capture_on_commit_callbacks).status_code
        == 302
    )
