"""Review types become data: the six SCIE review types, seeded with what each is expected to
involve, and every review pointed at the type its old label named."""

from django.db import migrations

REVIEW_TYPES = [
    {
        "code": "full",
        "name": "Full",
        "description": "The whole method: one-to-one conversations with every member of the "
        "case group, about five review-team meetings, an introductory meeting and two joint "
        "meetings with the case group, over about six months.",
        "expected_duration_months": 6,
        "has_conversations": True,
        "min_conversations": 0,
        "expected_team_meetings": 5,
        "expected_joint_meetings": 2,
        "covers_several_cases": False,
    },
    {
        "code": "intensive",
        "name": "Intensive",
        "description": "The full method in a shorter span: conversations with the case group "
        "and the meetings held close together.",
        "expected_duration_months": 4,
        "has_conversations": True,
        "min_conversations": 0,
        "expected_team_meetings": 4,
        "expected_joint_meetings": 2,
        "covers_several_cases": False,
    },
    {
        "code": "speed_plus",
        "name": "Speed+",
        "description": "A quicker review: conversations with the key practitioners and fewer "
        "meetings, with the analysis done largely in the joint meeting.",
        "expected_duration_months": 3,
        "has_conversations": True,
        "min_conversations": 0,
        "expected_team_meetings": 2,
        "expected_joint_meetings": 1,
        "covers_several_cases": False,
    },
    {
        "code": "mid_range",
        "name": "Mid-range",
        "description": "Between a Speed+ and a full review: conversations with most of the "
        "case group and a smaller cycle of meetings.",
        "expected_duration_months": 4,
        "has_conversations": True,
        "min_conversations": 0,
        "expected_team_meetings": 3,
        "expected_joint_meetings": 1,
        "covers_several_cases": False,
    },
    {
        "code": "focused",
        "name": "Focused",
        "description": "Looks at a few questions through group meetings with the case group, "
        "without one-to-one conversations.",
        "expected_duration_months": 3,
        "has_conversations": False,
        "min_conversations": 0,
        "expected_team_meetings": 3,
        "expected_joint_meetings": 2,
        "covers_several_cases": False,
    },
    {
        "code": "themed",
        "name": "Themed",
        "description": "Several cases that share a theme, reviewed together to find what they "
        "say about the system.",
        "expected_duration_months": 6,
        "has_conversations": True,
        "min_conversations": 0,
        "expected_team_meetings": 5,
        "expected_joint_meetings": 2,
        "covers_several_cases": True,
    },
]


def seed_and_point(apps, schema_editor):
    ReviewType = apps.get_model("accreditation", "ReviewType")
    SupervisedReview = apps.get_model("accreditation", "SupervisedReview")
    types = {}
    for order, values in enumerate(REVIEW_TYPES, start=1):
        review_type, _ = ReviewType.objects.get_or_create(
            code=values["code"], defaults={**values, "sort_order": order}
        )
        types[review_type.code] = review_type
    for code, review_type in types.items():
        SupervisedReview.objects.filter(review_type=code).update(review_type_ref=review_type)
    # A label the list did not know becomes a full review rather than a review with no type.
    SupervisedReview.objects.filter(review_type_ref__isnull=True).update(
        review_type_ref=types["full"]
    )


def point_back(apps, schema_editor):
    SupervisedReview = apps.get_model("accreditation", "SupervisedReview")
    for review in SupervisedReview.objects.select_related("review_type_ref"):
        review.review_type = review.review_type_ref.code
        review.save(update_fields=["review_type"])


class Migration(migrations.Migration):
    dependencies = [("accreditation", "0011_review_conduct")]

    operations = [migrations.RunPython(seed_and_point, point_back)]
