"""Where people meet a certificate's digital credential: the holder's certificates page (its
downloads, the Add to LinkedIn link and the copy button, offered only while that is honest),
the public verification page's links to the credential documents, and what every credential
document and page costs in queries."""

import base64
import datetime
import html
import re
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Site

import pytest

from accreditation.models import (
    AccreditationApplication,
    Certificate,
    CertificateSettings,
    IssuedCredential,
)
from accreditation.services import certificates as services
from accreditation.services.certificates import certificate_issue
from learning_platform.accounts.personal_data.erasure import user_erase

from .award_builders import approve, make_ready, submit
from .credential_builders import (
    credential_json_url,
    credential_jwt_url,
    credential_status_url,
    issue_many,
    verify_page_url,
)
from .factories import SupervisedReviewFactory

MINE = reverse("accreditation:my_certificates")
LINKEDIN = "https://www.linkedin.com/profile/add"
ISSUER_NAME = "Northshire Safeguarding Academy"
WITHDRAWN = "The digital credential for this certificate was withdrawn at the holder’s request."
_HREF = re.compile(r'href="([^"]*)"')


@pytest.fixture
def certificate(tess, review, ali):
    make_ready(tess, review)
    return approve(submit(tess), ali)


@pytest.fixture
def issuer_named():
    values = CertificateSettings.for_site(Site.objects.get(is_default_site=True))
    values.issuer_name = ISSUER_NAME
    values.save()


def _hrefs(page: str) -> list[str]:
    return [html.unescape(href) for href in _HREF.findall(page)]


def _paths(page: str) -> set[str]:
    """Every link's path and query, with any scheme and host taken off."""
    found = set()
    for href in _hrefs(page):
        parts = urlsplit(href)
        found.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def _linkedin_links(page: str) -> list[dict[str, list[str]]]:
    return [parse_qs(urlsplit(h).query) for h in _hrefs(page) if h.startswith(LINKEDIN + "?")]


def _holder_page(client, user) -> str:
    client.force_login(user)
    response = client.get(MINE)
    assert response.status_code == 200
    return response.content.decode()


def _more_certificates(holder, count: int, *, supervisor, by) -> list[Certificate]:
    """Further certificates for the same holder, each issued on an approved application."""
    made = []
    for _ in range(count):
        review = SupervisedReviewFactory(trainee=holder, supervisor=supervisor)
        application = AccreditationApplication.objects.create(
            trainee=holder,
            review=review,
            scheme=review.scheme,
            status=AccreditationApplication.Status.APPROVED,
            reflective_statement="A systems review.",
            submitted_at=timezone.now(),
        )
        made.append(certificate_issue(application=application, by=by))
    return made


# The holder's certificates page --------------------------------------------------------------


def test_it_offers_the_holder_their_credential_and_a_filled_in_linkedin_link(
    client, certificate, tess, issuer_named
):
    # Issue and expiry in different months and years, so that neither can stand for the other.
    Certificate.objects.filter(pk=certificate.pk).update(
        issued_at=datetime.date(2025, 11, 20), valid_until=datetime.date(2028, 2, 10)
    )
    certificate.refresh_from_db()

    page = _holder_page(client, tess)

    paths = _paths(page)
    assert credential_jwt_url(certificate) + "?download=1" in paths
    assert credential_json_url(certificate) + "?download=1" in paths
    [query] = _linkedin_links(page)
    verification_url = settings.SITE_URL.rstrip("/") + verify_page_url(certificate)
    assert query == {
        "startTask": ["CERTIFICATION_NAME"],
        "name": [certificate.scheme.name],
        "organizationName": [ISSUER_NAME],
        "issueYear": ["2025"],
        "issueMonth": ["11"],
        "expirationYear": ["2028"],
        "expirationMonth": ["2"],
        "certId": [certificate.number],
        "certUrl": [verification_url],
    }
    assert "Add to LinkedIn profile" in page
    # The link opens LinkedIn in a new tab without handing it this page.
    link = re.search(r'<a [^>]*href="https://www\.linkedin\.com/profile/add\?[^>]*>', page)
    assert 'target="_blank"' in link.group(0) and 'rel="noopener"' in link.group(0)
    # The verification link, to copy with the button (which the script reveals).
    field = f"verification-link-{certificate.pk}"
    assert f'id="{field}" type="text" readonly value="{verification_url}"' in page
    assert f'data-copy="{field}"' in page
    assert "accreditation/js/copy-link.js" in page


def test_it_serves_each_download_as_an_attachment_of_the_credential_signed(
    client, certificate, tess
):
    stored = IssuedCredential.objects.get(certificate=certificate).jwt
    page = _holder_page(client, tess)
    links = {p for p in _paths(page) if p.endswith("?download=1") and "/credential." in p}
    assert links == {
        credential_jwt_url(certificate) + "?download=1",
        credential_json_url(certificate) + "?download=1",
    }

    jwt = client.get(credential_jwt_url(certificate), {"download": "1"})
    as_json = client.get(credential_json_url(certificate), {"download": "1"})

    assert jwt.status_code == 200
    assert jwt["Content-Type"] == "application/vc+jwt"
    assert jwt["Content-Disposition"] == f'attachment; filename="{certificate.number}.jwt"'
    assert jwt.content.decode() == stored
    assert as_json.status_code == 200
    assert as_json["Content-Type"] == "application/json"
    assert as_json["Content-Disposition"] == f'attachment; filename="{certificate.number}.json"'
    # The JSON is the signed payload, byte for byte.
    payload = stored.split(".")[1]
    assert as_json.content == base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    # Read in place (not downloaded), neither is an attachment.
    assert "Content-Disposition" not in client.get(credential_jwt_url(certificate))
    assert "Content-Disposition" not in client.get(credential_json_url(certificate))


@pytest.mark.parametrize("change", ["suspend", "revoke"])
def test_it_offers_no_credential_or_linkedin_link_for_a_certificate_not_in_force(
    client, certificate, tess, ali, change
):
    getattr(services, f"certificate_{change}")(
        certificate=certificate, by=ali, reason="A finding was upheld."
    )

    page = _holder_page(client, tess)

    assert not _linkedin_links(page)
    assert "Add to LinkedIn profile" not in page
    assert not any("/credential." in path for path in _paths(page))
    assert "Digital credential" not in page
    assert f'data-copy="verification-link-{certificate.pk}"' not in page
    # The verification page, which tells anyone its status now, is still linked.
    assert verify_page_url(certificate) in _paths(page)


def test_it_offers_the_credential_again_once_a_suspension_ends(client, certificate, tess, ali):
    services.certificate_suspend(certificate=certificate, by=ali, reason="Complaint.")
    assert not _linkedin_links(_holder_page(client, tess))

    services.certificate_reinstate(certificate=certificate, by=ali, reason="Cleared.")

    page = _holder_page(client, tess)
    assert len(_linkedin_links(page)) == 1
    assert credential_jwt_url(certificate) + "?download=1" in _paths(page)


def test_it_offers_an_expired_certificates_credential_but_not_to_linkedin(
    client, certificate, tess
):
    Certificate.objects.filter(pk=certificate.pk).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )

    page = _holder_page(client, tess)

    assert credential_jwt_url(certificate) + "?download=1" in _paths(page)
    assert credential_json_url(certificate) + "?download=1" in _paths(page)
    assert "anyone who checks it is told its status now" in page
    assert not _linkedin_links(page)


def test_it_shows_each_trainee_only_their_own_credential_links(
    client, certificate, tess, pat, uma, other_review, ali
):
    make_ready(uma, other_review)
    umas = approve(submit(uma), ali)

    tess_page = _holder_page(client, tess)
    uma_page = _holder_page(client, uma)
    pat_page = _holder_page(client, pat)

    assert credential_jwt_url(certificate) + "?download=1" in _paths(tess_page)
    assert credential_jwt_url(umas) + "?download=1" in _paths(uma_page)
    for page, others in ((tess_page, [umas]), (uma_page, [certificate]), (pat_page, [])):
        for other in others:
            assert other.verification_code not in page
            assert other.number not in page
    [tess_link] = _linkedin_links(tess_page)
    [uma_link] = _linkedin_links(uma_page)
    assert tess_link["certId"] == [certificate.number]
    assert uma_link["certId"] == [umas.number]
    # Pat holds no certificate: no credential, no LinkedIn link.
    assert certificate.verification_code not in pat_page and umas.verification_code not in pat_page
    assert not _linkedin_links(pat_page)
    assert not any("/credential." in path for path in _paths(pat_page))


def test_it_gives_each_of_a_holders_certificates_its_own_links(client, certificate, tess, sam, ali):
    later = _more_certificates(tess, 2, supervisor=sam, by=ali)
    services.certificate_suspend(certificate=later[0], by=ali, reason="Complaint.")

    page = _holder_page(client, tess)

    in_force = [certificate, later[1]]
    assert sorted(q["certId"][0] for q in _linkedin_links(page)) == sorted(
        c.number for c in in_force
    )
    for each in in_force:
        assert credential_jwt_url(each) + "?download=1" in _paths(page)
    assert not any(later[0].verification_code in p and "/credential." in p for p in _paths(page))


# The public verification page -------------------------------------------------------------------


def test_it_links_the_verification_page_to_the_credential_documents(client, certificate):
    page = client.get(verify_page_url(certificate)).content.decode()

    paths = _paths(page)
    for url in (
        credential_jwt_url(certificate),
        credential_json_url(certificate),
        credential_status_url(certificate),
    ):
        assert url in paths
        assert client.get(url).status_code == 200
    assert WITHDRAWN not in page


def test_it_says_an_erased_holders_credential_was_withdrawn(client, certificate, ada):
    user_erase(user=certificate.holder, by=ada)

    page = client.get(verify_page_url(certificate)).content.decode()

    assert WITHDRAWN in page
    assert not any("/credential." in path for path in _paths(page))
    assert "Tess" not in page
    for url in (credential_jwt_url(certificate), credential_json_url(certificate)):
        response = client.get(url)
        assert response.status_code == 410
        assert b"withdrawn at the holder's request" in response.content
        assert b"Tess" not in response.content


# Query counts ---------------------------------------------------------------------------------

# Measured. The JWKS is read from the keys alone; the issuer's profile reads the default site and
# its certificate settings; the achievement also reads its scheme and the scheme's criteria; each
# of a certificate's documents reads the certificate with its credential in one query; the status
# list reads which lists exist and a summary of its revocations, and only when that summary has
# changed (or the cache is cold) the revoked bits themselves.
DOCUMENT_QUERIES = {
    "jwks": 0,
    "issuer": 2,
    "achievement": 4,
    "credential_json": 1,
    "credential_jwt": 1,
    "credential_status": 1,
}
# A suspension's date is read from the certificate's latest change of status.
SUSPENDED_STATUS_QUERIES = 2
STATUS_LIST_FIRST = 3
STATUS_LIST_CACHED = 2
MINE_QUERIES = 15


def _document_urls(certificate) -> dict[str, str]:
    return {
        "jwks": reverse("credential_jwks"),
        "issuer": reverse("credential_issuer"),
        "achievement": reverse("credential_achievement", args=[certificate.scheme_id]),
        "credential_json": credential_json_url(certificate),
        "credential_jwt": credential_jwt_url(certificate),
        "credential_status": credential_status_url(certificate),
    }


def _assert_document_queries(client, certificate, assert_max):
    for name, url in _document_urls(certificate).items():
        with assert_max(DOCUMENT_QUERIES[name]):
            response = client.get(url)
        assert response.status_code == 200, name
    list_url = reverse("credential_status_list", args=[1])
    cache.clear()
    with assert_max(STATUS_LIST_FIRST):
        first = client.get(list_url)
    with assert_max(STATUS_LIST_CACHED):
        cached = client.get(list_url)
    assert first.status_code == cached.status_code == 200
    assert cached.content == first.content


def _assert_suspended_status_queries(client, certificate, ali, assert_max):
    services.certificate_suspend(certificate=certificate, by=ali, reason="Complaint again.")
    with assert_max(SUSPENDED_STATUS_QUERIES):
        status = client.get(credential_status_url(certificate)).json()
    assert status["status"] == "suspended"
    services.certificate_reinstate(certificate=certificate, by=ali, reason="Cleared again.")


def test_it_serves_every_credential_document_in_a_fixed_number_of_queries(
    client, certificate, ali, django_assert_max_num_queries
):
    _assert_document_queries(client, certificate, django_assert_max_num_queries)
    _assert_suspended_status_queries(client, certificate, ali, django_assert_max_num_queries)

    # Twenty credentials in the list, five revoked, and a long history on this certificate: the
    # same queries for each document.
    others = issue_many(19, by=ali)
    for other in others[:5]:
        services.certificate_revoke(certificate=other, by=ali, reason="Revoked.")
    for n in range(10):
        services.certificate_suspend(certificate=certificate, by=ali, reason=f"Complaint {n}.")
        services.certificate_reinstate(certificate=certificate, by=ali, reason=f"Cleared {n}.")
    assert IssuedCredential.objects.filter(status_list=1).count() == 20
    assert IssuedCredential.objects.filter(revoked_at__isnull=False).count() == 5

    _assert_document_queries(client, certificate, django_assert_max_num_queries)
    _assert_suspended_status_queries(client, certificate, ali, django_assert_max_num_queries)


def _holder_page_queries(client) -> int:
    client.get(MINE)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(MINE)
    assert response.status_code == 200
    return len(queries)


def test_it_shows_the_holders_certificates_in_queries_that_do_not_grow_with_them(
    client, certificate, tess, sam, ali, django_assert_max_num_queries
):
    client.force_login(tess)
    client.get(MINE)  # the first request after a cache clear also looks up the site
    with django_assert_max_num_queries(MINE_QUERIES):
        client.get(MINE)
    one = _holder_page_queries(client)

    _more_certificates(tess, 2, supervisor=sam, by=ali)
    three = _holder_page_queries(client)

    page = client.get(MINE).content.decode()
    assert len(_linkedin_links(page)) == 3
    assert three == one
    with django_assert_max_num_queries(MINE_QUERIES):
        client.get(MINE)
