import datetime

from django.urls import reverse

from accreditation.models import Certificate, Region, RegisterProfile
from accreditation.services import certificates as services

from ..factories import OrganisationFactory
from .award_builders import approve, make_ready, submit
from .factories import SupervisedReviewFactory, make_trainee


def _holder(name, email, region, sam, ali, *, listed=True):
    trainee = make_trainee(name, email)
    trainee.organisation = OrganisationFactory(name=f"{region} partnership", region=region)
    trainee.save()
    make_ready(trainee, SupervisedReviewFactory(trainee=trainee, supervisor=sam))
    certificate = approve(submit(trainee), ali)
    if listed:
        services.certificate_set_listing(certificate=certificate, holder=trainee, listed=True)
    # The register's region is the one the holder chose, not their organisation's.
    profile = RegisterProfile.objects.create(person=trainee)
    profile.regions.set(Region.objects.filter(name=region))
    return certificate


def _names(response):
    return [c.holder.full_name for c in response.context["page"].object_list]


def test_it_lists_only_holders_who_opted_in_and_are_in_date(client, sam, ali):
    listed = _holder("Lena Listed", "lena@example.org", "London", sam, ali)
    _holder("Nico Notlisted", "nico@example.org", "London", sam, ali, listed=False)
    suspended = _holder("Sue Suspended", "sue@example.org", "London", sam, ali)
    services.certificate_suspend(certificate=suspended, by=ali, reason="Complaint")
    expired = _holder("Ed Expired", "ed@example.org", "London", sam, ali)
    Certificate.objects.filter(pk=expired.pk).update(
        valid_until=datetime.date.today() - datetime.timedelta(days=1)
    )

    response = client.get(reverse("public_register"))

    assert response.status_code == 200
    assert _names(response) == ["Lena Listed"]
    html = response.content.decode()
    assert listed.number in html and "London" in html
    assert "lena@example.org" not in html


def test_it_searches_by_name_and_region(client, sam, ali):
    _holder("Lena Listed", "lena@example.org", "London", sam, ali)
    _holder("Noor North", "noor@example.org", "North West", sam, ali)
    _holder("Nadia North", "nadia@example.org", "North East", sam, ali)

    assert _names(client.get(reverse("public_register"), {"name": "north"})) == [
        "Nadia North",
        "Noor North",
    ]
    assert _names(client.get(reverse("public_register"), {"region": "North West"})) == [
        "Noor North"
    ]
    response = client.get(reverse("public_register"), {"name": "lena", "region": "North West"})
    assert _names(response) == []
    assert "No accredited reviewers match your search." in response.content.decode()


def test_it_says_when_nobody_has_chosen_to_be_listed_yet(client, db):
    page = client.get(reverse("public_register")).content.decode()

    assert "No accredited reviewers have chosen to be listed yet." in page
    assert "match your search" not in page


def test_it_leaves_the_register_off_for_a_scheme_without_one(client, sam, ali):
    certificate = _holder("Lena Listed", "lena@example.org", "London", sam, ali)
    certificate.scheme.public_register_enabled = False
    certificate.scheme.save()

    assert _names(client.get(reverse("public_register"))) == []


def test_it_paginates(client, sam, ali, monkeypatch):
    from accreditation.views import public

    monkeypatch.setattr(public, "REGISTER_PAGE_SIZE", 2)
    for number in range(3):
        _holder(f"Holder {number} Person", f"h{number}@example.org", "London", sam, ali)

    first = client.get(reverse("public_register"), {"region": "London"})
    assert _names(first) == ["Holder 0 Person", "Holder 1 Person"]
    assert "region=London&amp;page=2" in first.content.decode()
    second = client.get(reverse("public_register"), {"region": "London", "page": 2})
    assert _names(second) == ["Holder 2 Person"]


def test_it_lets_the_holder_opt_in_and_out(client, tess, review, ali):
    make_ready(tess, review)
    certificate = approve(submit(tess), ali)
    client.force_login(tess)
    url = reverse("accreditation:certificate_register", args=[certificate.pk])

    page = client.get(reverse("accreditation:my_certificates")).content.decode()
    assert "List me on the public register" in page
    assert f'readonly value="http://testserver/verify/{certificate.verification_code}/"' in page

    client.post(url, {"listed": "1"})
    assert _names(client.get(reverse("public_register"))) == ["Tess Trainee"]
    client.post(url, {"listed": "0"})
    assert _names(client.get(reverse("public_register"))) == []


def test_it_tells_a_suspended_holder_they_are_off_the_register_and_refuses_to_list_them(
    client, tess, review, ali
):
    make_ready(tess, review)
    certificate = approve(submit(tess), ali)
    services.certificate_set_listing(certificate=certificate, holder=tess, listed=True)
    services.certificate_suspend(certificate=certificate, by=ali, reason="A complaint.")
    client.force_login(tess)

    page = client.get(reverse("accreditation:my_certificates")).content.decode()
    assert "you are not on it while this certificate is suspended" in page
    assert "You are listed on the" not in page

    client.post(
        reverse("accreditation:certificate_register", args=[certificate.pk]), {"listed": "0"}
    )
    services.certificate_revoke(certificate=certificate, by=ali, reason="Upheld.")
    response = client.post(
        reverse("accreditation:certificate_register", args=[certificate.pk]),
        {"listed": "1"},
        follow=True,
    )

    assert "Only a valid certificate can be listed" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.listed_on_register is False
    page = client.get(reverse("accreditation:my_certificates")).content.decode()
    assert "List me on the public register" not in page
