"""Wagtail admin for accreditation: schemes (with their ordered stages), the contributory-factor
levels and categories, the finding categories, and supervised reviews. Creating a review goes
through ``review_create`` so its stages are made from the scheme in the same transaction."""

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from learning_platform.accounts.models import User
from learning_platform.accounts.roles import Role
from learning_platform.accounts.selectors import active_users_with_role
from learning_platform.converters import ID_CONVERTER
from learning_platform.wagtail_admin import (
    RefuseDeleteInUseView,
    SelectRelatedIndexView,
    with_add_handler,
)

from .clock_forms import CASES_FIELD, add_problems, case_references_field
from .exceptions import TransitionError
from .models import (
    AccreditationScheme,
    ContributoryFactorCategory,
    CpdActivityType,
    FactorLevel,
    FindingCategory,
    Region,
    ReviewType,
    SupervisedReview,
)
from .selectors.reviews import stage_definitions_in_use
from .services.clock import (
    DETAIL_FIELDS,
    ReviewDetailsError,
    case_references_from_text,
    review_details_problems,
    review_details_set_by_staff,
)
from .services.reviews import default_scheme, review_create, review_validate_people
from .views.bulk import BulkIssueViewSet


def _supervisors():
    return active_users_with_role(role=Role.SUPERVISOR)


# Schemes and their data ---------------------------------------------------------------------


class AccreditationSchemeForm(WagtailAdminModelForm):
    """Stages that reviews already have are part of those reviews: they may be renamed and their
    guidance edited, but not removed or given another register."""

    def clean(self):
        cleaned_data = super().clean()
        formset = self.formsets.get("stages")
        if formset is None or not self.instance.pk:
            return cleaned_data
        in_use = stage_definitions_in_use(scheme=self.instance)
        formset.is_valid()  # clean each stage form, so deletions can be read
        for form in formset.forms:
            uses = in_use.get(form.instance.pk, 0)
            if not uses:
                continue
            reviews = f"{uses} review{'s' if uses != 1 else ''}"
            if formset.can_delete and formset._should_delete_form(form):
                self.add_error(
                    None,
                    f"The stage “{form.instance.title}” is part of {reviews}, so it cannot be "
                    "removed.",
                )
            elif "register" in form.changed_data:
                form.add_error(
                    "register",
                    f"This stage is part of {reviews}, whose registers would be lost, so its "
                    "register cannot be changed.",
                )
        return cleaned_data


class AccreditationSchemeViewSet(ModelViewSet):
    pk_path_converter = ID_CONVERTER
    model = AccreditationScheme
    name = "accreditation_schemes"
    url_prefix = "accreditation/schemes"
    icon = "clipboard-list"
    menu_label = "Schemes"
    add_to_admin_menu = False
    copy_view_enabled = False
    search_fields = ["name"]
    search_backend_name = None
    list_display = ["name", "validity_years", "min_group_sessions", "is_active"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("is_active"),
            MultiFieldPanel(
                [
                    FieldPanel("course"),
                    FieldPanel("requires_course_completion"),
                    FieldRowPanel(
                        [FieldPanel("min_group_sessions"), FieldPanel("min_individual_sessions")]
                    ),
                    FieldPanel("requires_reflective_statement"),
                    FieldPanel("min_statement_words"),
                    FieldPanel("reflective_statement_guidance"),
                    FieldPanel("review_type_expectations_required"),
                    FieldPanel("min_training_days"),
                ],
                heading="Requirements",
            ),
            InlinePanel(
                "criteria",
                heading="Assessment criteria",
                label="Criterion",
                help_text=(
                    "The assessor judges each criterion met or not yet met, with a comment. "
                    "Approval needs every criterion of its purpose met. Trainees see the "
                    "accreditation criteria before they apply; holders see the renewal criteria "
                    "before they renew. A change of wording does not alter judgements already made."
                ),
                panels=[FieldPanel("purpose"), FieldPanel("title"), FieldPanel("description")],
            ),
            MultiFieldPanel(
                [
                    FieldPanel("validity_years"),
                    FieldPanel("accreditation_statement"),
                    FieldPanel("renewal_evidence"),
                    FieldPanel("public_register_enabled"),
                    FieldPanel("appeal_window_days"),
                ],
                heading="Certificates",
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel(
                        [FieldPanel("renewal_window_days"), FieldPanel("renewal_grace_days")]
                    ),
                    FieldRowPanel(
                        [FieldPanel("renewal_cpd_hours"), FieldPanel("renewal_reviews_required")]
                    ),
                ],
                heading="Renewal",
            ),
            MultiFieldPanel(
                [FieldPanel("report_introduction"), FieldPanel("report_methodology")],
                heading="Draft report",
                help_text="Every review's draft report opens with these two sections.",
            ),
            InlinePanel(
                "stages",
                heading="Stages of a review",
                label="Stage",
                help_text=(
                    "Each review takes these stages, in this order, when it is created. A stage "
                    "that reviews already have cannot be removed or given another register; a "
                    "change to its title, guidance or what it needs before submitting shows on "
                    "those reviews too."
                ),
                panels=[
                    FieldPanel("title"),
                    FieldPanel("guidance"),
                    FieldPanel("expected_evidence"),
                    FieldPanel("register"),
                    FieldRowPanel([FieldPanel("needs"), FieldPanel("min_register_entries")]),
                ],
            ),
        ],
        base_form_class=AccreditationSchemeForm,
    )


class ReviewTypeViewSet(ModelViewSet):
    """The review types and what each expects: guidance on a review's pages, and requirements
    where the scheme says so. A type that reviews use cannot be deleted."""

    pk_path_converter = ID_CONVERTER
    model = ReviewType
    name = "review_types"
    url_prefix = "accreditation/review-types"
    icon = "list-ul"
    menu_label = "Review types"
    add_to_admin_menu = False
    copy_view_enabled = False
    delete_view_class = RefuseDeleteInUseView
    list_display = [
        "name",
        "expected_duration_months",
        "has_conversations",
        "expected_team_meetings",
        "expected_joint_meetings",
        "covers_several_cases",
    ]

    @staticmethod
    def _panels(code: FieldPanel) -> ObjectList:
        return ObjectList(
            [
                FieldPanel("name"),
                code,
                FieldPanel("description"),
                FieldPanel("expected_duration_months"),
                FieldRowPanel([FieldPanel("has_conversations"), FieldPanel("min_conversations")]),
                FieldRowPanel(
                    [FieldPanel("expected_team_meetings"), FieldPanel("expected_joint_meetings")]
                ),
                FieldPanel("covers_several_cases"),
                FieldPanel("sort_order"),
            ]
        )

    # The code is fixed once made: exports, links and the demo find a type by it.
    add_handler = _panels(FieldPanel("code"))
    edit_handler = _panels(FieldPanel("code", read_only=True))

    def get_add_view_kwargs(self, **kwargs):
        return with_add_handler(self, super().get_add_view_kwargs, **kwargs)


class FactorLevelViewSet(ModelViewSet):
    pk_path_converter = ID_CONVERTER
    delete_view_class = RefuseDeleteInUseView
    model = FactorLevel
    name = "factor_levels"
    url_prefix = "accreditation/factor-levels"
    icon = "list-ol"
    menu_label = "Contributory factor levels"
    add_to_admin_menu = False
    copy_view_enabled = False
    list_display = ["name", "sort_order"]
    form_fields = ["name", "description", "sort_order"]


class ContributoryFactorCategoryViewSet(ModelViewSet):
    pk_path_converter = ID_CONVERTER
    delete_view_class = RefuseDeleteInUseView
    model = ContributoryFactorCategory
    name = "contributory_factor_categories"
    url_prefix = "accreditation/factor-categories"
    icon = "tag"
    menu_label = "Contributory factor categories"
    add_to_admin_menu = False
    copy_view_enabled = False
    list_display = ["name", "level", "sort_order"]
    form_fields = ["name", "description", "level", "prompting_questions", "sort_order"]


class FindingCategoryViewSet(ModelViewSet):
    """The typology of underlying patterns: the findings register, the draft report and the
    training module all read this one list."""

    pk_path_converter = ID_CONVERTER
    delete_view_class = RefuseDeleteInUseView
    model = FindingCategory
    name = "finding_categories"
    url_prefix = "accreditation/finding-categories"
    icon = "tag"
    menu_label = "Finding categories (typology)"
    add_to_admin_menu = False
    copy_view_enabled = False
    list_display = ["name", "sort_order"]
    form_fields = ["name", "description", "sort_order"]


class CpdActivityTypeViewSet(ModelViewSet):
    """The kinds of CPD activity a holder logs; one in use cannot be deleted."""

    pk_path_converter = ID_CONVERTER
    delete_view_class = RefuseDeleteInUseView
    model = CpdActivityType
    name = "cpd_activity_types"
    url_prefix = "accreditation/cpd-activity-types"
    icon = "tag"
    menu_label = "CPD activity types"
    add_to_admin_menu = False
    copy_view_enabled = False
    list_display = ["name", "sort_order"]
    form_fields = ["name", "description", "sort_order"]


class RegionViewSet(ModelViewSet):
    """The regions a reviewer may say they work in, for the public register's filter."""

    pk_path_converter = ID_CONVERTER
    model = Region
    name = "regions"
    url_prefix = "accreditation/regions"
    icon = "site"
    menu_label = "Regions"
    add_to_admin_menu = False
    copy_view_enabled = False
    list_display = ["name", "sort_order"]
    form_fields = ["name", "sort_order"]


# Supervised reviews -------------------------------------------------------------------------


class SupervisedReviewForm(WagtailAdminModelForm):
    case_references = case_references_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[CASES_FIELD].help_text = (
            "For a type that covers several cases (a themed review): "
            + self.fields[CASES_FIELD].help_text
        )
        if self.instance.pk:
            self.initial.setdefault(
                CASES_FIELD, "\n".join(case.reference for case in self.instance.cases.all())
            )
        if "supervisor" in self.fields:
            self.fields["supervisor"].queryset = _supervisors()
            self.fields["supervisor"].help_text = "Only people in the Supervisor group."
        for name in ("trainee", "partner"):
            if name in self.fields:
                self.fields[name].queryset = User.objects.filter(is_active=True).order_by(
                    "full_name"
                )
        if "scheme" in self.fields:
            self.fields["scheme"].queryset = AccreditationScheme.objects.filter(is_active=True)
            self.fields["scheme"].initial = default_scheme()
            self.fields["scheme"].help_text = "The review's stages are created from this scheme."
        if "target_publication_date" in self.fields:
            self.fields["target_publication_date"].required = False

    def clean(self):
        cleaned = super().clean()
        trainee = cleaned.get("trainee") or getattr(self.instance, "trainee", None)
        supervisor = cleaned.get("supervisor")
        if trainee and supervisor:
            problems = review_validate_people(
                trainee=trainee, partner=cleaned.get("partner"), supervisor=supervisor
            )
            for field, message in problems.items():
                self.add_error(field, message)
        if cleaned.get("partner_is_accredited") and not cleaned.get("partner"):
            self.add_error("partner_is_accredited", "Choose the partner first.")
        review_type = cleaned.get("review_type")
        if review_type is not None:
            add_problems(
                self,
                review_details_problems(
                    review_type=review_type, values=cleaned, cases=self.cases()
                ),
            )
        return cleaned

    def cases(self) -> list[str]:
        return case_references_from_text(self.cleaned_data.get(CASES_FIELD))

    def clock_values(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in DETAIL_FIELDS if name in self.cleaned_data
        }


class RefusalsOnTheForm:
    """A refusal from the services is shown on the form: beside its field where it names one."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ReviewDetailsError as error:
            add_problems(form, error.problems)
        except TransitionError as error:
            form.add_error(None, str(error))
        return self.form_invalid(form)


class SupervisedReviewCreateView(RefusalsOnTheForm, generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return review_create(
            scheme=data["scheme"],
            trainee=data["trainee"],
            partner=data.get("partner"),
            partner_is_accredited=data.get("partner_is_accredited", False),
            supervisor=data["supervisor"],
            commissioning_organisation=data["commissioning_organisation"],
            case_reference=data["case_reference"],
            review_type=data["review_type"],
            start_date=data["start_date"],
            cases=self.form.cases(),
            **self.form.clock_values(),
            by=self.request.user,
        )


class SupervisedReviewEditView(RefusalsOnTheForm, generic.EditView):
    """The people and the case are saved as the form has them; the clock, the milestones and the
    case references go through the clock service, which checks them again with the review's row
    locked and logs what changed."""

    def save_instance(self):
        values = self.form.clock_values()
        before = SupervisedReview.objects.select_related("review_type").get(
            pk=self.form.instance.pk
        )
        for name in DETAIL_FIELDS:
            setattr(self.form.instance, name, getattr(before, name))
        instance = super().save_instance()
        # A target left at the old type's default follows a new type or start date.
        moved = (instance.review_type_id, instance.start_date) != (
            before.review_type_id,
            before.start_date,
        )
        if (
            moved
            and before.target_publication_date == before.default_target()
            and values.get("target_publication_date") == before.target_publication_date
        ):
            values["target_publication_date"] = None
        return review_details_set_by_staff(
            review=instance, user=self.request.user, cases=self.form.cases(), **values
        )


class SupervisedReviewIndexView(SelectRelatedIndexView):
    select_related = ("review_type", "trainee", "partner", "supervisor")


class SupervisedReviewViewSet(ModelViewSet):
    pk_path_converter = ID_CONVERTER
    model = SupervisedReview
    name = "supervised_reviews"
    url_prefix = "accreditation/reviews"
    icon = "doc-full"
    menu_label = "Supervised reviews"
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    add_view_class = SupervisedReviewCreateView
    edit_view_class = SupervisedReviewEditView
    index_view_class = SupervisedReviewIndexView
    list_filter = ["review_type", "scheme"]
    search_fields = ["case_reference", "trainee__full_name", "partner__full_name"]
    search_backend_name = None
    list_display = ["case_reference", "trainee", "partner", "supervisor", "start_date"]
    list_export = [
        "case_reference",
        "review_type",
        "trainee",
        "partner",
        "supervisor",
        "commissioning_organisation",
        "start_date",
        "target_publication_date",
    ]
    _people_and_case = [
        FieldPanel("partner"),
        FieldPanel("partner_is_accredited"),
        FieldPanel("supervisor"),
        FieldPanel("commissioning_organisation"),
        FieldPanel("case_reference"),
        FieldPanel("review_type"),
        FieldPanel(CASES_FIELD),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("target_publication_date")]),
        MultiFieldPanel(
            [
                FieldPanel("is_statutory"),
                FieldPanel("incident_notified_on"),
                FieldPanel("rapid_review_on"),
                FieldPanel("decision_on"),
            ],
            heading="Statutory clock",
            help_text="A statutory child safeguarding practice review's target is six months "
            "from the partners' decision; a target typed above is then replaced.",
        ),
        MultiFieldPanel(
            [
                FieldPanel("board_agreed_on"),
                FieldPanel("published_on"),
                FieldPanel("published_report_url"),
            ],
            heading="When the review ends",
        ),
    ]
    add_handler = ObjectList(
        [FieldPanel("scheme"), FieldPanel("trainee"), *_people_and_case],
        base_form_class=SupervisedReviewForm,
    )
    # The scheme and trainee are fixed once the stages exist.
    edit_handler = ObjectList(_people_and_case, base_form_class=SupervisedReviewForm)

    def get_add_view_kwargs(self, **kwargs):
        return with_add_handler(self, super().get_add_view_kwargs, **kwargs)


class AccreditationViewSetGroup(ModelViewSetGroup):
    menu_label = "Accreditation"
    menu_icon = "clipboard-list"
    menu_order = 260
    items = (
        SupervisedReviewViewSet,
        AccreditationSchemeViewSet,
        ReviewTypeViewSet,
        FactorLevelViewSet,
        ContributoryFactorCategoryViewSet,
        FindingCategoryViewSet,
        CpdActivityTypeViewSet,
        RegionViewSet,
        BulkIssueViewSet,
    )


__all__ = ["AccreditationViewSetGroup"]
