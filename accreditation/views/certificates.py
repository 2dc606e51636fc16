"""A holder's certificates: download the PDF and the digital credential, add the certification
to LinkedIn, copy the verification link, and choose whether to appear on the public register."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from .. import access
from ..exceptions import TransitionError
from ..selectors.appeals import revocation_appeal_opening
from ..selectors.certificates import certificate_standing, certificates_for_holder
from ..selectors.credentials import issuer, linkedin_add_url
from ..selectors.renewal import certificate_renewable, renewal_window, renewals_open_for
from ..services.certificates import certificate_set_listing
from ..services.pdf import verification_url
from .downloads import private_download


@login_required
@require_GET
def my_certificates(request: HttpRequest) -> HttpResponse:
    rows = []
    certificates = certificates_for_holder(user=request.user)
    open_renewals = renewals_open_for(certificates=certificates)
    who = None
    for certificate in certificates:
        standing = certificate_standing(certificate=certificate)
        renewable = certificate_renewable(certificate)
        rows.append(
            {
                "certificate": certificate,
                "standing": standing,
                "status": standing.status,
                "verification_url": verification_url(certificate),
                "appeal_opening": revocation_appeal_opening(certificate=certificate),
                "window": renewal_window(certificate=certificate) if renewable else None,
                "open_renewal": open_renewals.get(certificate.pk),
            }
        )
        if standing.is_valid:
            # The issuer's name is read once, and only when a certificate can go on LinkedIn.
            who = who or issuer()
            rows[-1]["linkedin_url"] = linkedin_add_url(certificate, who)
    return render(request, "accreditation/certificates/my_certificates.html", {"rows": rows})


@login_required
@require_GET
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = access.get_certificate_for_download(request.user, pk)
    return private_download(
        certificate.pdf, filename=f"{certificate.number}.pdf", content_type="application/pdf"
    )


@login_required
@require_POST
def certificate_register(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = access.get_certificate_for_holder(request.user, pk)
    listed = request.POST.get("listed") == "1"
    try:
        certificate_set_listing(certificate=certificate, holder=request.user, listed=listed)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"Certificate {certificate.number} is now "
            + ("listed on" if listed else "not listed on")
            + " the public register.",
        )
    return redirect("accreditation:my_certificates")
