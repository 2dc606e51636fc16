"""The public register: who is on it, what each entry shows, its filters, pagination and query
count."""

import datetime

from django.urls import reverse
from django.utils import timezone

import pytest

from accreditation.models import Certificate
from accreditation.views import public

from .register_builders import another_review, listed_holder

pytestmark = pytest.mark.django_db


def _names(response):
    return [row.name for row in response.context["rows"]]


def test_it_shows_name_organisation_if_chosen_regions_review_types_and_accredited_since(client):
    shown = listed_holder(
        "Orla Open",
        regions=("London", "South East"),
        organisation="Kent Safeguarding Partnership",
        show_organisation=True,
        awarded_at=datetime.date(2023, 5, 2),
    )
    listed_holder("Hal Hidden", organisation="Secret Council", show_organisation=False)
    # Orla also partnered on an intensive review someone else led.
    another_review(partner=shown.holder, review_type="intensive")

    response = client.get(reverse("public_register"))

    html = response.content.decode()
    rows = {row.name: row for row in response.context["rows"]}
    assert rows["Orla Open"].organisation == "Kent Safeguarding Partnership"
    assert rows["Orla Open"].regions == ["London", "South East"]
    assert rows["Orla Open"].review_types == ["Full", "Intensive"]
    assert "Kent Safeguarding Partnership" in html and "2 May 2023" in html
    assert rows["Hal Hidden"].organisation == ""
    assert "Secret Council" not in html
    assert "orla.open@example.org" not in html
    assert "Valid" in html


def test_it_lists_only_valid_listed_certificates_that_no_renewal_has_superseded(client):
    listed_holder("Lena Listed")
    listed_holder("Nico Notlisted", listed=False)
    suspended = listed_holder("Sue Suspended")
    Certificate.objects.filter(pk=suspended.pk).update(status=Certificate.Status.SUSPENDED)
    expired = listed_holder("Ed Expired")
    Certificate.objects.filter(pk=expired.pk).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    old = listed_holder("Olive Old")
    # A renewal's certificate supersedes Olive's first one: only the new one is listed.
    renewed = listed_holder("Rene Renewed")
    Certificate.objects.filter(pk=renewed.pk).update(supersedes=old)

    assert _names(client.get(reverse("public_register"))) == ["Lena Listed", "Rene Renewed"]


def test_it_filters_by_the_regions_holders_chose_and_the_review_types_they_led(client):
    listed_holder("Noor North", regions=("North West",), review_type="full")
    listed_holder("Nadia North", regions=("North East", "North West"), review_type="themed")
    listed_holder("Lena London", regions=("London",), review_type="themed")
    url = reverse("public_register")

    assert _names(client.get(url, {"region": "North West"})) == ["Nadia North", "Noor North"]
    assert _names(client.get(url, {"review_type": "themed"})) == ["Lena London", "Nadia North"]
    assert _names(client.get(url, {"region": "North West", "review_type": "themed"})) == [
        "Nadia North"
    ]
    assert _names(client.get(url, {"name": "noor", "region": "North West"})) == ["Noor North"]
    response = client.get(url, {"region": "London", "review_type": "full"})
    assert _names(response) == []
    assert "No accredited reviewers match your search." in response.content.decode()
    assert "0 reviewers found." in response.content.decode()


def test_it_paginates_keeping_the_filters(client, monkeypatch):
    monkeypatch.setattr(public, "REGISTER_PAGE_SIZE", 2)
    for number in range(3):
        listed_holder(f"Holder {number} Person", regions=("Wales",))
    listed_holder("Other Region", regions=("Scotland",))
    url = reverse("public_register")

    first = client.get(url, {"region": "Wales", "review_type": "full"})
    assert _names(first) == ["Holder 0 Person", "Holder 1 Person"]
    html = first.content.decode()
    assert "3 reviewers found." in html
    assert "region=Wales&amp;review_type=full&amp;page=2" in html
    second = client.get(url, {"region": "Wales", "review_type": "full", "page": 2})
    assert _names(second) == ["Holder 2 Person"]


def test_it_runs_the_same_queries_for_one_row_as_for_a_full_page(client, django_assert_num_queries):
    listed_holder("First Holder", regions=("Wales",), organisation="Org", show_organisation=True)
    client.get(reverse("public_register"), {"region": "Wales"})  # draws the site's menu
    with django_assert_num_queries(REGISTER_QUERIES):
        client.get(reverse("public_register"), {"region": "Wales"})
    for number in range(6):
        holder = listed_holder(
            f"More Holder{number}",
            regions=("Wales", "London"),
            organisation=f"Org {number}",
            show_organisation=True,
            profile=number % 2 == 0,
        )
        another_review(partner=holder.holder, review_type="focused")
    with django_assert_num_queries(REGISTER_QUERIES):
        response = client.get(reverse("public_register"))
    assert len(response.context["rows"]) == 7


def test_it_runs_the_same_queries_on_a_later_page(client, django_assert_num_queries):
    for number in range(45):
        listed_holder(f"Paged Holder{number:02d}", regions=("Wales",))
    client.get(reverse("public_register"), {"region": "Wales"})  # draws the site's menu
    with django_assert_num_queries(REGISTER_QUERIES):
        first = client.get(reverse("public_register"), {"region": "Wales"})
    with django_assert_num_queries(REGISTER_QUERIES):
        third = client.get(reverse("public_register"), {"region": "Wales", "page": 3})

    assert len(first.context["rows"]) == 20
    assert [row.certificate.holder.full_name for row in third.context["rows"]] == [
        f"Paged Holder{number:02d}" for number in range(40, 45)
    ]


# Choices of region and review type, the count, the page, the page's regions and its review
# types; the site's menu comes from the shared cache.
REGISTER_QUERIES = 6


def test_it_offers_contact_only_for_holders_who_accept_messages(client):
    open_one = listed_holder("Ann Open")
    closed = listed_holder("Cal Closed", contact_enabled=False)

    html = client.get(reverse("public_register")).content.decode()

    assert reverse("public_register_contact", args=[open_one.number]) in html
    assert reverse("public_register_contact", args=[closed.number]) not in html
    assert "Not accepting messages" in html
