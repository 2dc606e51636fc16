"""The accreditation outcome table's rows for the Wagtail admin's accreditation screens."""

from accreditation.models import (
    AccreditationScheme,
    BulkIssue,
    BulkIssueItem,
    ContributoryFactorCategory,
    CpdActivityType,
    FactorLevel,
    FindingCategory,
    Region,
    ReviewType,
    SupervisedReview,
)

from .outcome_rows import (
    NOBODY,
    AdminForm,
    Row,
    bulk_with_a_failure,
)

ADMIN_ROWS = [
    # The Wagtail admin: programme staff add and edit; nobody deletes these records.
    Row(
        "supervised_reviews:add",
        None,
        frozenset({"ada"}),
        AdminForm(
            lambda w: {
                "trainee": w.vic.pk,
                "supervisor": w.users["sam"].pk,
                "commissioning_organisation": w.organisation,
                "case_reference": "Child Z",
                "review_type": ReviewType.objects.get(code="full").pk,
                "start_date": "2026-02-01",
            }
        ),
        check=lambda w, user: SupervisedReview.objects.filter(trainee=w.vic).exists(),
    ),
    Row(
        "supervised_reviews:edit",
        "review",
        frozenset({"ada"}),
        AdminForm(lambda w: {"case_reference": "Child K2"}),
        check=lambda w, user: (
            SupervisedReview.objects.get(pk=w.ids["review"]).case_reference == "Child K2"
        ),
    ),
    Row("supervised_reviews:delete", "review", NOBODY),
    Row(
        "accreditation_schemes:add",
        None,
        frozenset({"ada"}),
        AdminForm(lambda w: {"name": "Renewal scheme"}),
        check=lambda w, user: AccreditationScheme.objects.filter(name="Renewal scheme").exists(),
    ),
    Row(
        "accreditation_schemes:edit",
        "scheme",
        frozenset({"ada"}),
        AdminForm(lambda w: {"validity_years": "4"}),
        check=lambda w, user: (
            AccreditationScheme.objects.get(pk=w.ids["scheme"]).validity_years == 4
        ),
    ),
    Row("accreditation_schemes:delete", "scheme", NOBODY),
    Row(
        "contributory_factor_categories:add",
        None,
        frozenset({"ada"}),
        AdminForm(lambda w: {"name": "Housing", "sort_order": "99"}),
        check=lambda w, user: ContributoryFactorCategory.objects.filter(name="Housing").exists(),
    ),
    Row(
        "contributory_factor_categories:edit",
        "category",
        frozenset({"ada"}),
        AdminForm(lambda w: {"name": "Renamed category"}),
        check=lambda w, user: (
            ContributoryFactorCategory.objects.get(pk=w.ids["category"]).name == "Renamed category"
        ),
    ),
    Row("contributory_factor_categories:delete", "category", NOBODY),
    Row(
        "finding_categories:add",
        None,
        frozenset({"ada"}),
        AdminForm(lambda w: {"name": "Case recording", "sort_order": "99"}),
        check=lambda w, user: FindingCategory.objects.filter(name="Case recording").exists(),
    ),
    Row(
        "finding_categories:edit",
        "finding_category",
        frozenset({"ada"}),
        AdminForm(lambda w: {"name": "Renamed type"}),
        check=lambda w, user: (
            FindingCategory.objects.get(pk=w.ids["finding_category"]).name == "Renamed type"
        ),
    ),
    Row("finding_categories:delete", "finding_category", NOBODY),
    Row(
        "factor_levels:add",
        None,
        frozenset({"ada"}),
        AdminForm(lambda w: {"name": "Regional", "sort_order": "99"}),
        check=lambda w, user: FactorLevel.objects.filter(name="Regional").exists(),
    ),
    Row(
        "factor_levels:edit",
        "factor_level",
        frozenset({"ada"}),
        AdminForm(lambda w: {"name": "Renamed level"}),
        check=lambda w, user: (
            FactorLevel.objects.get(pk=w.ids["factor_level"]).name == "Renamed level"
        ),
    ),
    Row("factor_levels:delete", "factor_level", NOBODY),
    Row(
        "cpd_activity_types:add",
        None,
        frozenset({"ada"}),
        AdminForm(lambda w: {"name": "Peer review", "sort_order": "99"}),
        check=lambda w, user: CpdActivityType.objects.filter(name="Peer review").exists(),
    ),
    Row(
        "cpd_activity_types:edit",
        "cpd_activity_type",
        frozenset({"ada"}),
        AdminForm(lambda w: {"name": "Renamed activity"}),
        check=lambda w, user: (
            CpdActivityType.objects.get(pk=w.ids["cpd_activity_type"]).name == "Renamed activity"
        ),
    ),
    Row("cpd_activity_types:delete", "cpd_activity_type", NOBODY),
    Row(
        "regions:add",
        None,
        frozenset({"ada"}),
        AdminForm(lambda w: {"name": "Isle of Man", "sort_order": "99"}),
        check=lambda w, user: Region.objects.filter(name="Isle of Man").exists(),
    ),
    Row(
        "regions:edit",
        "region",
        frozenset({"ada"}),
        AdminForm(lambda w: {"name": "Renamed region"}),
        check=lambda w, user: Region.objects.get(pk=w.ids["region"]).name == "Renamed region",
    ),
    Row("regions:delete", "region", NOBODY),
    Row(
        "review_types:add",
        None,
        frozenset({"ada"}),
        AdminForm(
            lambda w: {
                "name": "Rapid",
                "code": "rapid",
                "expected_duration_months": "2",
                "has_conversations": "on",
                "min_conversations": "2",
                "expected_team_meetings": "1",
                "expected_joint_meetings": "1",
                "sort_order": "99",
            }
        ),
        check=lambda w, user: ReviewType.objects.filter(code="rapid").exists(),
    ),
    Row(
        "review_types:edit",
        "review_type",
        frozenset({"ada"}),
        AdminForm(lambda w: {"name": "Renamed type"}),
        check=lambda w, user: (
            ReviewType.objects.get(pk=w.ids["review_type"]).name == "Renamed type"
        ),
    ),
    Row("review_types:delete", "review_type", NOBODY),
    Row(
        "bulk_issues:start",
        "cohort",
        frozenset({"ada"}),
        AdminForm(lambda w: {"kind": "rerender", "scope": "cohort"}),
        check=lambda w, user: BulkIssue.objects.count() == 2,
    ),
    Row(
        "bulk_issues:retry",
        "bulk",
        frozenset({"ada"}),
        arrange=bulk_with_a_failure,
        check=lambda w, user: (
            BulkIssueItem.objects.get(bulk_id=w.ids["bulk"]).status == BulkIssueItem.Status.PENDING
        ),
    ),
]
