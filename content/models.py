"""Pages of the public site. Editors build all of it in the Wagtail admin."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField, FormMixin
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from modelcluster.fields import ParentalKey

from .blocks import BodyBlock
from .forms import EnquiryFormBuilder

# Page methods import .selectors and .services inside the method body, because both of those
# modules import the models defined here.


class ProgrammePhase(models.IntegerChoices):
    PRELIMINARY_EXPLORATIONS = 1, "Phase 1: Preliminary explorations"
    ADAPTED_MODEL = 2, "Phase 2: Developing the adapted model"
    EVIDENCE_BASE = 3, "Phase 3: Developing the evidence base"
    REVIEWER_POOL = 4, "Phase 4: Building a pool of trained reviewers"


class LegalPageKind(models.TextChoices):
    ACCESSIBILITY = "accessibility", "Accessibility statement"
    PRIVACY = "privacy", "Privacy notice"
    COOKIES = "cookies", "Cookies"


class PublicationType(models.TextChoices):
    REPORT = "report", "Report"
    GUIDE = "guide", "Guide"
    AT_A_GLANCE = "at_a_glance", "At a glance"
    INFORMATION = "information", "Information"


_CONTENT_SEARCH_FIELDS = [index.SearchField("intro"), index.SearchField("body")]


class HomePage(Page):
    intro = models.TextField(blank=True, help_text="The opening paragraph under the title.")
    body = StreamField(BodyBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, *_CONTENT_SEARCH_FIELDS]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from .selectors import news_index_within, news_latest, programme_phases

        context = super().get_context(request, *args, **kwargs)
        phases = programme_phases(within=self)
        context["latest_news"] = news_latest(within=self, limit=3)
        context["news_index"] = news_index_within(within=self)
        context["current_phases"] = [phase for phase in phases if phase.is_current]
        context["previous_phases"] = [phase for phase in phases if not phase.is_current]
        return context


class StandardPage(Page):
    intro = models.TextField(blank=True, help_text="The opening paragraph under the title.")
    body = StreamField(BodyBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, *_CONTENT_SEARCH_FIELDS]

    def get_context(self, request, *args, **kwargs):
        from .selectors import section_pages

        context = super().get_context(request, *args, **kwargs)
        context["section_pages"] = section_pages(parent=self)
        return context


class ProgrammePhasePage(Page):
    """One phase of the programme's development, with the publications it produced."""

    phase_number = models.PositiveSmallIntegerField(choices=ProgrammePhase.choices)
    is_current = models.BooleanField(
        default=False, help_text="Show this phase as the programme's current work."
    )
    intro = models.TextField(blank=True, help_text="The opening paragraph under the title.")
    body = StreamField(BodyBlock(), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("phase_number"), FieldPanel("is_current")]),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        *_CONTENT_SEARCH_FIELDS,
        index.FilterField("phase_number"),
    ]

    parent_page_types = ["content.HomePage", "content.StandardPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "programme phase page"

    def clean(self):
        super().clean()
        clash = (
            ProgrammePhasePage.objects.filter(phase_number=self.phase_number)
            .exclude(pk=self.pk)
            .exclude(alias_of__isnull=False)
        )
        if self.phase_number and clash.exists():
            raise ValidationError({"phase_number": "Another page already describes this phase."})

    @property
    def phase_label(self) -> str:
        return ProgrammePhase(self.phase_number).label

    def get_context(self, request, *args, **kwargs):
        from .selectors import publications_for_phase

        context = super().get_context(request, *args, **kwargs)
        context["publications"] = publications_for_phase(phase=self.phase_number)
        return context


class PublicationIndexPage(Page):
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    subpage_types = ["content.PublicationPage"]

    def get_context(self, request, *args, **kwargs):
        from .selectors import paginate, publications_in_index

        context = super().get_context(request, *args, **kwargs)
        chosen_type = request.GET.get("type", "")
        if chosen_type not in PublicationType.values:
            chosen_type = ""
        publications = publications_in_index(index=self, publication_type=chosen_type or None)
        context["publication_types"] = PublicationType.choices
        context["chosen_type"] = chosen_type
        context["publications"] = paginate(publications, request.GET.get("page"), per_page=20)
        return context


class PublicationPage(Page):
    """A report, guide or leaflet; the file itself is a Wagtail document."""

    reference = models.CharField(
        max_length=100, blank=True, help_text='The series and number, e.g. "SCIE Report 49".'
    )
    publication_type = models.CharField(max_length=20, choices=PublicationType.choices)
    year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    summary = models.TextField(help_text="A few sentences: who it is for and what it says.")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The publication's file, usually a PDF.",
    )
    phase = models.PositiveSmallIntegerField(
        choices=ProgrammePhase.choices,
        null=True,
        blank=True,
        help_text="The programme phase this publication came out of, if any.",
    )
    body = StreamField(BodyBlock(), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("reference"), FieldPanel("publication_type")]),
                FieldRowPanel([FieldPanel("year"), FieldPanel("phase")]),
            ],
            heading="About this publication",
        ),
        FieldPanel("summary"),
        FieldPanel("document"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("reference"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("publication_type"),
        index.FilterField("year"),
    ]

    parent_page_types = ["content.PublicationIndexPage"]
    subpage_types: list[str] = []

    @property
    def publication_type_label(self) -> str:
        return PublicationType(self.publication_type).label


class LegalPage(Page):
    """The accessibility statement, the privacy notice or the cookies page.

    Every page's footer links to each kind through a fixed address (``legal_<kind>``) that finds
    the live page of that kind, so the links keep working when an editor renames or moves one.
    """

    kind = models.CharField(
        max_length=20,
        choices=LegalPageKind.choices,
        help_text="The footer of every page links to the page of each kind.",
    )
    last_updated = models.DateField(
        default=datetime.date.today,
        help_text="Shown under the title. Change it whenever the content changes.",
    )
    intro = models.TextField(blank=True, help_text="The opening paragraph under the title.")
    body = StreamField(BodyBlock(), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("last_updated")]),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, *_CONTENT_SEARCH_FIELDS]

    parent_page_types = ["content.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "legal page"

    def clean(self):
        super().clean()
        clash = (
            LegalPage.objects.filter(kind=self.kind)
            .exclude(pk=self.pk)
            .exclude(alias_of__isnull=False)
        )
        if self.kind and clash.exists():
            raise ValidationError(
                {"kind": f"Another page is already the {LegalPageKind(self.kind).label.lower()}."}
            )


class NewsIndexPage(Page):
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    subpage_types = ["content.NewsPage"]

    class Meta:
        verbose_name = "news index page"

    def get_context(self, request, *args, **kwargs):
        from .selectors import news_in_index, paginate

        context = super().get_context(request, *args, **kwargs)
        context["news_items"] = paginate(news_in_index(index=self), request.GET.get("page"))
        return context


class NewsPage(Page):
    date = models.DateField("date published", default=datetime.date.today)
    intro = models.TextField(help_text="One or two sentences; shown in lists of news too.")
    body = StreamField(BodyBlock(), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, *_CONTENT_SEARCH_FIELDS, index.FilterField("date")]

    parent_page_types = ["content.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "news page"


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

        from .services import enquirer_address

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
        from .services import enquiry_submit

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
