"""The digital credential in a real browser: Tess, accredited, finds it on her certificates page,
copies her verification link, sees where "Add to LinkedIn profile" takes her, and downloads the
signed credential. A visitor who was sent that file checks it on /verify/: valid; once Ali has
suspended the certificate, the same file is not valid and says why; and a copy with one character
of its content changed fails its signature. Without JavaScript there is no copy button, and the
link waits in its read-only field. Every page is checked with axe-core as it loads.
"""

import base64
import re
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse
from django.utils import timezone

import pytest
from playwright.sync_api import expect

from accreditation.models import Certificate
from accreditation.services import certificates as certificate_services
from tests.accreditation.award_builders import approve, make_ready, submit

from .journey import Ui, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SUSPENSION_REASON = "Concerns raised about conduct on a review, under investigation."
CHECKS = ("Signature", "Issuer", "Dates", "Status")


@pytest.fixture
def certificate(live_server, settings, tess, review, ali, monkeypatch):
    """Tess's certificate, approved by Ali; its links point at the live server."""
    # The approval's render task would run in the test's thread, where Playwright's event loop
    # is running and the PDF signer cannot start its own: no PDF is made.
    monkeypatch.setattr(certificate_services, "certificate_enqueue_render", lambda **kw: None)
    settings.SITE_URL = live_server.url  # so the links the pages show can be followed
    make_ready(tess, review)
    return approve(submit(tess), ali)


def _context(browser, live_server, **options):
    context = browser.new_context(base_url=live_server.url, **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def _check(page, *, file=None, pasted: str = "") -> None:
    page.goto(reverse("certificate_verify"))
    if file is not None:
        page.get_by_label("Credential file").set_input_files(file)
    else:
        page.get_by_label("Credential", exact=True).fill(pasted)
    page.get_by_role("button", name="Check the credential").click()
    expect(page.get_by_role("heading", level=1, name="Credential check")).to_be_visible()


def _expect_checks(page, **results: str) -> None:
    """Each check's line says Passed, Failed or Not checked."""
    for label, result in results.items():
        line = page.get_by_role("listitem").filter(has=page.get_by_text(f"{label}:", exact=True))
        expect(line.locator(".tag")).to_have_text(result)


def _one_character_changed(token: str) -> str:
    """The credential with one digit of its end date's year changed, signature as it was."""
    header, payload, signature = token.split(".")
    content = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode()
    found = re.search(r'"validUntil": ?"\d\d(\d)', content)
    assert found, content
    at = found.start(1)
    changed = content[:at] + str((int(content[at]) + 1) % 10) + content[at + 1 :]
    assert sum(a != b for a, b in zip(content, changed, strict=True)) == 1
    forged = base64.urlsafe_b64encode(changed.encode()).decode().rstrip("=")
    return f"{header}.{forged}.{signature}"


def test_it_lets_a_holder_share_and_download_her_credential_and_anyone_check_it(
    browser, live_server, certificate, tess, ali, tmp_path, screenshot_of
):
    verification_url = f"{live_server.url}/verify/{certificate.verification_code}/"
    context, holder = _context(browser, live_server)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)

    # Tess finds her digital credential on her certificates page.
    sign_in(Ui(holder, "mouse"), tess, next_url=reverse("accreditation:my_certificates"))
    expect(holder.get_by_role("heading", level=3, name="Digital credential")).to_be_visible()

    # She copies her verification link.
    holder.evaluate("() => navigator.clipboard.writeText('nothing copied yet')")
    field = holder.get_by_label("Verification link")
    expect(field).to_have_value(verification_url)
    holder.get_by_role("button", name=f"Copy the link for {certificate.number}").click()
    expect(holder.get_by_role("status").filter(has_text="Link copied.")).to_have_text(
        "Link copied."
    )
    assert holder.evaluate("() => navigator.clipboard.readText()") == verification_url

    # "Add to LinkedIn profile" opens LinkedIn's form with the certificate filled in (not
    # followed: the tests use no network).
    linkedin = holder.get_by_role("link", name=re.compile(r"^Add to LinkedIn profile"))
    expect(linkedin).to_have_attribute("target", "_blank")
    address = urlsplit(linkedin.get_attribute("href"))
    assert (address.scheme, address.netloc, address.path) == (
        "https",
        "www.linkedin.com",
        "/profile/add",
    )
    query = parse_qs(address.query)
    assert query["certId"] == [certificate.number]
    assert query["certUrl"] == [verification_url]
    assert query["name"] == [certificate.scheme.name]

    # She downloads the signed credential: the JWT we signed for this certificate.
    with holder.expect_download() as download:
        holder.get_by_role(
            "link", name=f"Download the signed credential (.jwt) for {certificate.number}"
        ).click()
    assert download.value.suggested_filename == f"{certificate.number}.jwt"
    credential_file = tmp_path / download.value.suggested_filename
    download.value.save_as(credential_file)
    token = credential_file.read_text(encoding="ascii")
    assert token == Certificate.objects.get(pk=certificate.pk).credentials.get().jwt
    screenshot_of(holder, "credential-holder-certificates")
    context.close()

    # A visitor, not signed in, checks the file she was sent.
    context, visitor = _context(browser, live_server)
    _check(visitor, file=credential_file)
    expect(visitor).to_have_title(re.compile(r"^Valid credential"))
    expect(visitor.get_by_text("This credential is valid", exact=True)).to_be_visible()
    _expect_checks(visitor, **dict.fromkeys(CHECKS, "Passed"))
    expect(visitor.get_by_text(tess.get_full_name(), exact=True)).to_be_visible()
    screenshot_of(visitor, "credential-check-valid")

    # Ali suspends the certificate: the same file is no longer valid, and the page says why
    # without giving the assessor's reason, which is not public.
    certificate_services.certificate_suspend(
        certificate=certificate, by=ali, reason=SUSPENSION_REASON
    )
    _check(visitor, file=credential_file)
    expect(visitor).to_have_title(re.compile(r"^Credential not valid"))
    expect(visitor.get_by_text("This credential is not valid", exact=True)).to_be_visible()
    suspended = f"Suspended on {timezone.localdate():%-d %B %Y}: not valid while the suspension"
    expect(visitor.locator(".verification-result")).to_contain_text(suspended)
    _expect_checks(visitor, Signature="Passed", Issuer="Passed", Dates="Passed", Status="Failed")
    expect(visitor.get_by_text(SUSPENSION_REASON)).to_have_count(0)
    screenshot_of(visitor, "credential-check-suspended")

    # A copy with one character of its content changed, pasted in: the signature gives it away.
    _check(visitor, pasted=_one_character_changed(token))
    expect(visitor).to_have_title(re.compile(r"^Credential not valid"))
    expect(visitor.get_by_text("This credential is not valid", exact=True)).to_be_visible()
    expect(visitor.locator(".verification-result")).to_contain_text(
        "The signature does not match the content: the credential was changed after it was signed."
    )
    expect(visitor.get_by_text("None of this could be confirmed")).to_be_visible()
    _expect_checks(
        visitor,
        Signature="Failed",
        Issuer="Not checked",
        Dates="Not checked",
        Status="Not checked",
    )
    screenshot_of(visitor, "credential-check-altered")
    context.close()


def test_it_keeps_the_verification_link_in_its_field_without_javascript(
    browser, live_server, certificate, tess, screenshot_of
):
    context, holder = _context(browser, live_server, java_script_enabled=False)
    sign_in(Ui(holder, "mouse"), tess, next_url=reverse("accreditation:my_certificates"))
    expect(holder.get_by_role("heading", level=3, name="Digital credential")).to_be_visible()
    screenshot_of(holder)

    copy = holder.get_by_role("button", name=re.compile(r"^Copy the link"), include_hidden=True)
    expect(copy).to_have_count(1)
    expect(copy).to_be_hidden()
    field = holder.get_by_label("Verification link")
    expect(field).to_be_visible()
    expect(field).to_have_value(f"{live_server.url}/verify/{certificate.verification_code}/")
    expect(field).not_to_be_editable()
    context.close()
