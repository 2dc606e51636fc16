"""Review types as guidance and as requirements: what each type expects feeds the readiness page
and the stage pages; the admin refuses a type that contradicts itself, a type in use being
deleted, and a themed review without its cases."""

import html
from datetime import date

from django.urls import reverse

from wagtail.models import ModelLogEntry

import pytest

from accreditation.exceptions import TransitionError
from accreditation.models import (
    AccreditationScheme,
    CaseGroupParticipant,
    Conversation,
    ReviewMeeting,
    ReviewType,
    SupervisedReview,
)
from accreditation.selectors.expectations import review_expectations
from accreditation.selectors.readiness import Requirement, accreditation_readiness
from accreditation.services.applications import application_save_draft, application_submit

from ..factories import OrganisationFactory, UserFactory, give_totp
from .award_builders import STATEMENT, make_ready
from .factories import SupervisedReviewFactory, default_scheme, stage

pytestmark = pytest.mark.django_db


def _hold(review, *, group=0, spoken_with=0, team=0, joint=0):
    """A case group of ``group``, one held conversation with each of the first ``spoken_with``,
    and ``team`` review-team and ``joint`` joint meetings held."""
    people = [
        CaseGroupParticipant.objects.create(review=review, role="Social worker", agency=f"A{n}")
        for n in range(group)
    ]
    for person in people[:spoken_with]:
        conversation = Conversation.objects.create(
            review=review, status="held", date=date(2026, 3, 1), lead_reviewer=review.trainee
        )
        conversation.participants.add(person)
    for kind, count in (("review_team", team), ("joint", joint)):
        for _ in range(count):
            ReviewMeeting.objects.create(
                review=review, kind=kind, status="held", date=date(2026, 3, 2)
            )


def _require(required: bool) -> None:
    AccreditationScheme.objects.filter(pk=default_scheme().pk).update(
        review_type_expectations_required=required
    )


def _conduct_item(user):
    readiness = accreditation_readiness(user=user)
    return readiness, next(i for i in readiness.items if i.key == Requirement.CONDUCT)


def _rows(review):
    review = SupervisedReview.objects.select_related("review_type", "scheme").get(pk=review.pk)
    return [
        (row.label, row.expected, row.held, row.met) for row in review_expectations(review=review)
    ]


# Each type's expectations -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, expected",
    [
        (
            "full",
            [
                ("Case-group members spoken with one to one", 3, 2, False),
                ("Review-team meetings held", 5, 1, False),
                ("Joint meetings with the case group held", 2, 1, False),
            ],
        ),
        (
            "speed_plus",
            [
                ("Case-group members spoken with one to one", 3, 2, False),
                ("Review-team meetings held", 2, 1, False),
                ("Joint meetings with the case group held", 1, 1, True),
            ],
        ),
        (
            "focused",  # no one-to-one conversations
            [
                ("Review-team meetings held", 3, 1, False),
                ("Joint meetings with the case group held", 2, 1, False),
            ],
        ),
    ],
)
def test_it_sets_each_types_expectations_against_what_was_held(tess, sam, code, expected):
    review = SupervisedReviewFactory(trainee=tess, supervisor=sam, review_type=code)
    _hold(review, group=3, spoken_with=2, team=1, joint=1)
    assert _rows(review) == expected


def test_it_counts_a_types_required_conversations(tess, sam):
    ReviewType.objects.filter(code="mid_range").update(min_conversations=4)
    review = SupervisedReviewFactory(trainee=tess, supervisor=sam, review_type="mid_range")
    _hold(review, group=2, spoken_with=2, team=3, joint=1)
    assert _rows(review) == [
        ("Case-group members spoken with one to one", 2, 2, True),
        ("One-to-one conversations held", 4, 2, False),
        ("Review-team meetings held", 3, 3, True),
        ("Joint meetings with the case group held", 1, 1, True),
    ]


def test_it_asks_for_a_case_group_before_conversations_count_as_met(review):
    rows = _rows(review)
    assert rows[0] == ("Case-group members spoken with one to one", 0, 0, False)


# Readiness: guidance or requirement ------------------------------------------------------------


def test_it_shows_a_short_review_as_guidance_and_lets_the_trainee_apply(review, tess):
    _require(False)
    make_ready(tess, review)
    _hold(review, group=2, spoken_with=1, team=2)
    readiness, item = _conduct_item(tess)
    assert item.label == "Run the review as its type expects"
    assert not item.met and not item.required
    assert "Review-team meetings held: 2 of 5, 3 to go" in item.detail
    assert "Case-group members spoken with one to one: 1 of 2, 1 to go" in item.detail
    assert item not in readiness.missing
    application = application_save_draft(trainee=tess, reflective_statement=STATEMENT)
    readiness, item = _conduct_item(tess)
    assert readiness.all_met and not item.met
    assert application_submit(application=application, trainee=tess).status == "submitted"


def test_it_stops_a_short_review_from_applying_where_the_scheme_requires_it(review, tess):
    _require(True)
    make_ready(tess, review)
    _hold(review, group=2, spoken_with=2, team=5, joint=1)
    readiness, item = _conduct_item(tess)
    assert item.required and not item.met
    assert item in readiness.missing
    assert "Joint meetings with the case group held: 1 of 2, 1 to go" in item.detail
    application = application_save_draft(trainee=tess, reflective_statement=STATEMENT)
    with pytest.raises(TransitionError, match="Run the review as its type expects"):
        application_submit(application=application, trainee=tess)
    _hold(review, joint=1)
    readiness, item = _conduct_item(tess)
    assert item.met and readiness.all_met
    assert application_submit(application=application, trainee=tess).status == "submitted"


def test_it_marks_guidance_on_the_application_page(client, review, tess):
    _require(False)
    client.force_login(tess)
    html = client.get(reverse("accreditation:application")).content.decode()
    assert "Run the review as its type expects" in html
    assert ">Guidance<" in html
    _require(True)
    html = client.get(reverse("accreditation:application")).content.decode()
    assert ">Guidance<" not in html


def test_it_shows_what_the_type_involves_on_every_stage_page(client, review, tess):
    _hold(review, group=1, spoken_with=1, team=2)
    client.force_login(tess)
    for number in range(1, 6):
        html = client.get(reverse("accreditation:stage_detail", args=[stage(review, number).pk]))
        page = html.content.decode()
        assert "What a full review involves" in page
        assert "Review-team meetings held" in page


# The admin: types --------------------------------------------------------------------------------


def _type_form(review_type: ReviewType, **changes) -> dict:
    data = {
        name: getattr(review_type, name)
        for name in (
            "name",
            "code",
            "description",
            "expected_duration_months",
            "min_conversations",
            "expected_team_meetings",
            "expected_joint_meetings",
            "sort_order",
        )
    }
    for flag in ("has_conversations", "covers_several_cases"):
        if getattr(review_type, flag):
            data[flag] = "on"
    data.update(changes)
    return data


def test_it_refuses_conversations_required_of_a_focused_review(client, ada):
    focused = ReviewType.objects.get(code="focused")
    client.force_login(ada)
    url = reverse("review_types:edit", args=[focused.pk])
    response = client.post(url, _type_form(focused, min_conversations=2))
    assert response.status_code == 200
    assert "cannot require any" in response.content.decode()
    focused.refresh_from_db()
    assert focused.min_conversations == 0


def test_it_keeps_a_types_code_once_it_is_made(client, ada):
    focused = ReviewType.objects.get(code="focused")
    client.force_login(ada)
    url = reverse("review_types:edit", args=[focused.pk])
    response = client.post(url, _type_form(focused, code="renamed", name="Focused (short)"))
    assert response.status_code == 302
    focused.refresh_from_db()
    assert (focused.code, focused.name) == ("focused", "Focused (short)")


@pytest.fixture
def root(db):
    user = UserFactory(
        full_name="Root Admin", email="root@example.org", is_superuser=True, is_staff=True
    )
    give_totp(user)
    return user


def test_it_refuses_to_delete_a_type_in_use_and_deletes_one_unused(client, root, review):
    client.force_login(root)
    full = ReviewType.objects.get(code="full")
    url = reverse("review_types:delete", args=[full.pk])
    refusal = "“Full” cannot be deleted because 1 supervised reviews use it."
    assert refusal in html.unescape(client.get(url).content.decode())
    response = client.post(url, follow=True)
    assert refusal in html.unescape(response.content.decode())
    assert ReviewType.objects.filter(pk=full.pk).exists()

    unused = ReviewType.objects.get(code="speed_plus")
    response = client.post(reverse("review_types:delete", args=[unused.pk]))
    assert response.status_code == 302
    assert not ReviewType.objects.filter(pk=unused.pk).exists()


# The admin: a review's clock and cases -----------------------------------------------------------


def _review_form(tess, sam, organisation, **extra):
    return {
        "scheme": default_scheme().pk,
        "trainee": tess.pk,
        "partner": "",
        "supervisor": sam.pk,
        "commissioning_organisation": organisation.pk,
        "case_reference": "Themed Q",
        "review_type": ReviewType.objects.get(code="full").pk,
        "start_date": "2026-04-01",
        "target_publication_date": "",
        "case_references": "",
        "incident_notified_on": "",
        "rapid_review_on": "",
        "decision_on": "",
        "board_agreed_on": "",
        "published_on": "",
        "published_report_url": "",
        **extra,
    }


def test_it_refuses_a_themed_review_without_cases_in_the_admin(client, ada, tess, sam):
    organisation = OrganisationFactory()
    client.force_login(ada)
    themed = ReviewType.objects.get(code="themed").pk
    url = reverse("supervised_reviews:add")
    response = client.post(url, _review_form(tess, sam, organisation, review_type=themed))
    assert response.status_code == 200
    assert response.context["form"].errors["case_references"] == [
        "A themed review covers several cases: add at least one case reference."
    ]
    assert not SupervisedReview.objects.exists()
    response = client.post(
        url,
        _review_form(
            tess,
            sam,
            organisation,
            review_type=themed,
            case_references="Child A\nChild B",
            is_statutory="on",
            decision_on="2026-03-31",
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    review = SupervisedReview.objects.get()
    assert list(review.cases.values_list("reference", flat=True)) == ["Child A", "Child B"]
    assert review.target_publication_date == date(2026, 9, 30)


def test_it_saves_the_clock_from_the_admin_edit_form_through_the_same_rules(client, ada, review):
    client.force_login(ada)
    url = reverse("supervised_reviews:edit", args=[review.pk])
    base = _review_form(
        review.trainee,
        review.supervisor,
        review.commissioning_organisation,
        partner=review.partner_id,
        case_reference="Child K",
        start_date=review.start_date.isoformat(),
        target_publication_date=review.target_publication_date.isoformat(),
    )
    for name in ("scheme", "trainee"):
        base.pop(name)
    response = client.post(
        url, {**base, "board_agreed_on": "2026-06-10", "published_on": "2026-06-01"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["published_on"] == [
        "The report cannot be published before the board agreed it on 10 June 2026."
    ]
    response = client.post(
        url, {**base, "board_agreed_on": "2026-06-10", "published_on": "2026-06-20"}
    )
    assert response.status_code == 302, response.context["form"].errors
    review.refresh_from_db()
    assert (review.board_agreed_on, review.published_on) == (date(2026, 6, 10), date(2026, 6, 20))
    entry = ModelLogEntry.objects.get(action="accreditation.review.details", user=ada)
    assert set(entry.data["changed"]) == {"board_agreed_on", "published_on"}


def test_it_moves_a_default_target_with_a_new_type_but_keeps_one_typed(client, ada, review):
    client.force_login(ada)
    url = reverse("supervised_reviews:edit", args=[review.pk])
    assert review.target_publication_date == date(2026, 7, 12)  # a full review: six months

    def post(review_type: str, target: date):
        form = _review_form(
            review.trainee,
            review.supervisor,
            review.commissioning_organisation,
            partner=review.partner_id,
            case_reference="Child K",
            start_date=review.start_date.isoformat(),
            review_type=ReviewType.objects.get(code=review_type).pk,
            target_publication_date=target.isoformat(),
        )
        for name in ("scheme", "trainee"):
            form.pop(name)
        response = client.post(url, form)
        assert response.status_code == 302, response.context["form"].errors
        review.refresh_from_db()

    post("speed_plus", date(2026, 7, 12))
    assert review.target_publication_date == date(2026, 4, 12)  # Speed+: three months
    post("full", date(2026, 5, 1))
    assert review.target_publication_date == date(2026, 5, 1)
    post("speed_plus", date(2026, 5, 1))
    assert review.target_publication_date == date(2026, 5, 1)
