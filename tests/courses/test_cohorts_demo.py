import io

import pytest

from courses.demo_cohorts import seed_cohorts
from courses.models import Cohort, Enrolment, Invitation, TrainingDay

pytestmark = pytest.mark.django_db


def test_it_seeds_the_demo_cohort_once(tess, pat, sam, ada, course):
    users = {"tess": tess, "pat": pat, "sam": sam, "ada": ada}

    for _ in range(2):
        cohort = seed_cohorts(stdout=io.StringIO(), users=users, course=course)

    assert Cohort.objects.count() == 1
    assert (cohort.funding_strand, cohort.status) == ("DfE VCS grant", "in_progress")
    assert list(cohort.supervisors.all()) == [sam]
    assert [d.title for d in TrainingDay.objects.filter(cohort=cohort)] == [
        "Day 1: systems thinking",
        "Day 2: systems thinking in practice",
        "Day 3: the analytic tools",
        "Day 4: the analytic tools in practice",
    ]
    pairs = {e.user: e.review_partner for e in Enrolment.objects.filter(cohort=cohort)}
    assert pairs == {tess: pat, pat: tess}
    assert Invitation.objects.filter(cohort=cohort, accepted_at__isnull=True).count() == 1
