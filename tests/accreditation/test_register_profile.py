"""The holder's register profile: listing, organisation, regions and contact, and what the
personal-data export and erasure do with it."""

from django.urls import reverse

import pytest

from accreditation import privacy
from accreditation.models import Certificate, ContactMessage, Region, RegisterProfile

from .register_builders import listed_holder

pytestmark = pytest.mark.django_db

URL = reverse("accreditation:register_profile")


def test_it_saves_the_holders_choices_and_the_register_shows_them(client):
    certificate = listed_holder(
        "Orla Open", listed=False, organisation="Kent Partnership", profile=False
    )
    holder = certificate.holder
    client.force_login(holder)
    certificates_page = client.get(reverse("accreditation:my_certificates")).content.decode()
    assert URL in certificates_page
    page = client.get(URL).content.decode()
    assert "Show my organisation (Kent Partnership)" in page

    london, wales = Region.objects.filter(name__in=["London", "Wales"]).order_by("name")
    response = client.post(
        URL,
        {"listed": "on", "show_organisation": "on", "regions": [london.pk, wales.pk]},
    )

    assert response.status_code == 302
    profile = RegisterProfile.objects.get(person=holder)
    assert profile.show_organisation and not profile.contact_enabled
    assert set(profile.regions.values_list("name", flat=True)) == {"London", "Wales"}
    certificate.refresh_from_db()
    assert certificate.listed_on_register
    row = client.get(reverse("public_register")).context["rows"][0]
    assert (row.organisation, row.regions, row.accepts_messages) == (
        "Kent Partnership",
        ["London", "Wales"],
        False,
    )


def test_it_offers_no_listing_for_a_certificate_that_is_not_valid(client):
    certificate = listed_holder("Sue Suspended", listed=False)
    Certificate.objects.filter(pk=certificate.pk).update(status=Certificate.Status.SUSPENDED)
    client.force_login(certificate.holder)

    page = client.get(URL).content.decode()

    assert 'name="listed"' not in page
    assert "You cannot be listed while certificate" in page
    response = client.post(URL, {"listed": "on", "contact_enabled": "on"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert not certificate.listed_on_register


def test_it_shows_a_refused_listing_on_the_form_with_nothing_typed_lost(client):
    # Listed before it was suspended: the holder may take it off, not put it back on.
    certificate = listed_holder("Sue Suspended", listed=True, contact_enabled=True)
    Certificate.objects.filter(pk=certificate.pk).update(status=Certificate.Status.SUSPENDED)
    client.force_login(certificate.holder)
    wales = Region.objects.get(name="Wales")

    response = client.post(URL, {"listed": "on", "regions": [wales.pk], "show_organisation": "on"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Only a valid certificate can be listed" in page
    assert f'value="{wales.pk}" id="id_regions_' in page and "checked" in page
    profile = RegisterProfile.objects.get(person=certificate.holder)
    assert not profile.show_organisation and not profile.regions.exists()

    assert client.post(URL, {"contact_enabled": "on"}).status_code == 302
    certificate.refresh_from_db()
    assert not certificate.listed_on_register


def test_it_is_only_for_certificate_holders(client, uma):
    client.force_login(uma)
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"contact_enabled": "on"}).status_code == 404
    assert not RegisterProfile.objects.exists()
    client.logout()
    assert "/login/" in client.get(URL)["Location"]


def test_it_exports_the_profile_and_messages_and_erasure_deletes_both(client):
    certificate = listed_holder("Orla Open", regions=("London",), show_organisation=True)
    holder = certificate.holder
    ContactMessage.objects.create(
        holder=holder, sender_name="Bea", sender_email="bea@example.org", message="Hello"
    )

    data = privacy.user_data(holder)
    assert data["register_profile"]["regions"] == ["London"]
    assert data["register_profile"]["show_organisation"] is True
    assert [m["message"] for m in data["messages_received_through_the_register"]] == ["Hello"]

    privacy.erase_user(holder)

    assert not RegisterProfile.objects.filter(person=holder).exists()
    assert not ContactMessage.objects.filter(holder=holder).exists()


def test_it_gives_demo_holders_a_listed_profile_once():
    import io

    from accreditation.demo import seed_register_profiles

    certificate = listed_holder("Dee Demo", listed=False, organisation="Demo Board", profile=False)

    seed_register_profiles(stdout=io.StringIO())
    seed_register_profiles(stdout=io.StringIO())

    profile = RegisterProfile.objects.get(person=certificate.holder)
    assert profile.show_organisation and profile.contact_enabled
    assert profile.regions.count() >= 1
    certificate.refresh_from_db()
    assert certificate.listed_on_register
    assert RegisterProfile.objects.count() == 1
