"""The public enquiry form, and the record of which enquiries have been e-mailed to staff."""

import datetime

from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField, FormMixin
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from modelcluster.fields import ParentalKey

from ..forms import EnquiryFormBuilder

# Page methods import ..services inside the method body, because it imports these models.


class EnquiryFormField(AbstractFormField):
    page = ParentalKey("EnquiryFormPage", on_delete=models.CASCADE, related_name="form_fields")


class EnquiryFormPage(RoutablePageMixin, AbstractEmailForm):
    """The public contact form. Submissions are kept, then e-mailed to staff by a worker."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link", "ul"])
    thank_you_text = RichTextField(
        blank=True,
        features=["bold", "italic", "link", "ul"],
        help_text="Shown on the thank-you page after someone sends the form.",
    )
    reply_within = models.CharField(
        max_length=100,
        default="5 working days",
        help_text=(
            "How soon the programme team replies, as the acknowledgement emailed to the "
            'enquirer says it: "We aim to reply within …".'
        ),
    )

    form_builder = EnquiryFormBuilder

    content_panels = [
        *AbstractEmailForm.content_panels,
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label="Form fields"),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading="Email to staff",
            help_text="Leave 'to address' blank to send enquiries to the site's default inbox.",
        ),
        FieldPanel(
            "reply_within",
            heading="Acknowledgement to the enquirer: we aim to reply within",
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "enquiry form page"

    @path("")
    def index_route(self, request, *args, **kwargs):
        if request.method == "POST" and (refused := self._too_many_enquiries(request)):
            return refused
        return FormMixin.serve(self, request, *args, **kwargs)

    def _too_many_enquiries(self, request) -> TemplateResponse | None:
        """The form again, answering 429, when this client address or the address the
        acknowledgement would go to has sent too many enquiries lately (ENQUIRY_RATE_LIMIT);
        None otherwise."""
        from learning_platform.ratelimits import attempt

        from ..services import enquirer_address

        wait = attempt(request, action="enquiry")
        address = enquirer_address(fields=self.get_form_fields(), data=request.POST).lower()
        if wait is None and address:
            wait = attempt(request, action="enquiry_to_address", key=address)
        if wait is None:
            return None
        # The enquiry comes back on the form, everything typed kept, with when to send it.
        try_again_at = timezone.localtime() + datetime.timedelta(seconds=wait)
        form = self.get_form(request.POST, request.FILES, page=self, user=request.user)
        form.is_valid()
        form.add_error(
            None,
            "Your enquiry has not been sent: only a few enquiries can be sent from one place, "
            "or to one email address, in an hour. Try again after "
            f"{try_again_at:%H:%M} (UK time).",
        )
        response = TemplateResponse(
            request,
            self.get_template(request),
            {**self.get_context(request), "form": form},
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response

    @path("thank-you/", name="thank_you")
    def thank_you(self, request, *args, **kwargs):
        return TemplateResponse(
            request, self.get_landing_page_template(request), self.get_context(request)
        )

    def process_form_submission(self, form):
        # Replaces Wagtail's inline send_mail: the e-mail goes from a worker after commit.
        from ..services import enquiry_submit

        return enquiry_submit(page=self, cleaned_data=form.cleaned_data)

    def render_landing_page(self, request, form_submission=None, *args, **kwargs):
        # Post/redirect/get, so refreshing the thank-you page never sends the enquiry again.
        return redirect(self.url + self.reverse_subpage("thank_you"))

    def serve_preview(self, request, mode_name):
        if mode_name == "landing":
            return self.thank_you(request)
        return super().serve_preview(request, mode_name)


class EnquiryNotification(models.Model):
    """Which enquiries have been e-mailed to staff, so a repeated task never sends twice."""

    submission = models.OneToOneField(
        "wagtailforms.FormSubmission", on_delete=models.CASCADE, related_name="+"
    )
    # Made with the submission, so an enquiry whose task message never reached the broker is
    # still on record as unsent and the sweeper can send it.
    created_at = models.DateTimeField(default=timezone.now)
    # Set when a worker claims the submission, and cleared again if sending fails, so a retry
    # can. A claim older than the claim timeout belongs to a worker that died mid-send.
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Set only once the e-mail has gone.
    sent_at = models.DateTimeField(null=True, blank=True)
    # Whether the enquirer gave an address to acknowledge the enquiry to, and when that
    # acknowledgement went. The same claim covers both e-mails; each is recorded on its own, so
    # a retry sends only the one still missing.
    acknowledgement_due = models.BooleanField(default=False)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    recipients = models.TextField(blank=True)
    # Times the sweeper has enqueued it again; it stops after a few, so a mail server that
    # always refuses is not tried forever.
    automatic_resends = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return f"Enquiry {self.submission_id}: {'sent' if self.sent_at else 'not sent'}"


def enquiry_emails_unsent() -> models.Q:
    """Rows with an e-mail still to send: the staff e-mail, or the enquirer's acknowledgement."""
    return models.Q(sent_at__isnull=True) | models.Q(
        acknowledgement_due=True, acknowledged_at__isnull=True
    )
