"""What the certificate prints that belongs to the site, not the scheme: the programme's mark,
who signs, and the issuer its digital credential names. Staff set them under Settings in the
admin."""

from django.db import models

from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="doc-full")
class CertificateSettings(BaseSiteSetting):
    programme_mark = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The programme's mark, printed at the top of every certificate. A PNG or JPEG "
        "with a transparent or white background works best.",
    )
    signatory_name = models.CharField(max_length=200, blank=True)
    signatory_role = models.CharField(
        max_length=200, blank=True, help_text="For example “Head of Learning Together, SCIE”."
    )
    signature = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="An optional image of the signatory's signature, printed above their name.",
    )
    # The issuer named in every Open Badges credential, and in the issuer profile it links to.
    issuer_name = models.CharField(
        "issuer's name",
        max_length=200,
        default="Social Care Institute for Excellence",
        help_text="Names the issuer of every digital credential issued from now on.",
    )
    issuer_url = models.URLField(
        "issuer's website", default="https://www.scie.org.uk/", help_text="The issuer's home page."
    )
    issuer_email = models.EmailField(
        "issuer's contact email",
        blank=True,
        help_text="Where anyone checking a credential can write. Blank: the address the site's "
        "emails are sent from.",
    )

    class Meta:
        verbose_name = "certificate"

    def __str__(self) -> str:
        return "Certificate settings"
