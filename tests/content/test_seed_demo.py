import io

from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.urls import reverse

from wagtail.contrib.forms.models import FormSubmission
from wagtail.documents.models import Document
from wagtail.models import Page, Revision, Site

import pytest
from allauth.account.models import EmailAddress

from accreditation.models import (
    ContributoryFactor,
    Evidence,
    Finding,
    IssueForBoard,
    KeyPracticeEpisode,
    ReviewStage,
    SignOff,
    SupervisedReview,
    SupervisionSession,
)
from content.models import EnquiryFormField, HomePage, LegalPage, LegalPageKind
from courses.demo_cohorts import COHORT_NAME
from courses.models import (
    Cohort,
    Enrolment,
    Invitation,
    ModulePage,
    ModuleProgress,
    TrainingDay,
)
from learning_platform.accounts.demo import DEMO_PASSWORD
from learning_platform.accounts.models import Organisation, User
from learning_platform.accounts.roles import Role

COUNTED = (
    Page,
    Revision,
    Document,
    EnquiryFormField,
    FormSubmission,
    Site,
    User,
    Organisation,
    EmailAddress,
    User.groups.through,
    Cohort,
    TrainingDay,
    Enrolment,
    Invitation,
    ModuleProgress,
    SupervisedReview,
    ReviewStage,
    Evidence,
    SignOff,
    SupervisionSession,
    KeyPracticeEpisode,
    ContributoryFactor,
    Finding,
    Finding.episodes.through,
    IssueForBoard,
)


def seed_demo() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def test_it_creates_nothing_twice(db, debug):
    seed_demo()
    after_first = counts()
    seed_demo()
    assert counts() == after_first
    assert after_first["User"] == 11
    assert after_first["Document"] == 5
    assert after_first["Organisation"] == 5
    assert HomePage.objects.count() == 1


def test_it_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refuses to run in production"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.exists()
    assert not HomePage.objects.exists()


def test_it_prints_the_logins(db, debug):
    output = seed_demo()
    assert DEMO_PASSWORD in output
    for email in ("ada", "sam", "ali", "tess", "pat", "uma", "vic", "wren", "sid", "rex", "rene"):
        assert f"{email}@example.org" in output
    for staff in ("ada", "sam", "ali"):
        assert f"make totp EMAIL={staff}@example.org" in output
    assert "make totp EMAIL=tess@example.org" not in output
    assert "LEARNINGTOGETHERDEMOSTAFFTOTPKEY" in output


def test_it_creates_users_who_can_sign_in_with_their_roles(db, debug):
    seed_demo()
    expected = {
        "ada@example.org": Role.PROGRAMME_ADMIN,
        "sam@example.org": Role.SUPERVISOR,
        "ali@example.org": Role.ASSESSOR,
        "tess@example.org": Role.TRAINEE,
        "pat@example.org": Role.TRAINEE,
        "uma@example.org": Role.TRAINEE,
        "vic@example.org": Role.TRAINEE,
        "wren@example.org": Role.TRAINEE,
        "sid@example.org": Role.TRAINEE,
        "rex@example.org": Role.TRAINEE,
        "rene@example.org": Role.TRAINEE,
    }
    for email, role in expected.items():
        user = authenticate(email=email, password=DEMO_PASSWORD)
        assert user is not None, email
        assert list(user.groups.values_list("name", flat=True)) == [role.value]
        assert EmailAddress.objects.filter(
            user=user, email=email, verified=True, primary=True
        ).exists()
    assert User.objects.get(email="ada@example.org").is_staff
    assert not User.objects.get(email="sam@example.org").is_staff
    assert Organisation.objects.get(name="Social Care Institute for Excellence").kind == "scie"
    assert Group.objects.get(name=Role.TRAINEE).user_set.count() == 8


def test_it_keeps_seeded_personas_and_their_accounts(db, debug, tess):
    seed_demo()
    assert User.objects.filter(email="tess@example.org").count() == 1
    assert EmailAddress.objects.filter(email="tess@example.org").count() == 1


def test_it_replaces_the_wagtail_welcome_page(db, debug):
    welcome = Page.objects.get(depth=2)
    seed_demo()
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert not Page.objects.filter(pk=welcome.pk).exists()


def test_it_leaves_out_the_personal_contact_address(db, debug, client):
    seed_demo()
    for page in Page.objects.live().filter(depth__gte=2):
        assert "sheila" not in client.get(page.url).content.decode().lower(), page.url


def test_it_enrols_the_demo_trainees_and_starts_their_supervised_review(db, debug):
    output = seed_demo()

    enrolments = Enrolment.objects.filter(status=Enrolment.Status.ACTIVE, cohort__name=COHORT_NAME)
    assert set(enrolments.values_list("user__email", flat=True)) == {
        "tess@example.org",
        "pat@example.org",
    }
    assert set(enrolments.values_list("supervisor__email", flat=True)) == {"sam@example.org"}
    review = SupervisedReview.objects.get(trainee__email="tess@example.org")
    # The demo's finished reviews belong to the accredited people, in cohorts of their own.
    assert (
        SupervisedReview.objects.exclude(pk=review.pk)
        .filter(
            Q(trainee__email__in=["tess@example.org", "pat@example.org"])
            | Q(partner__email__in=["tess@example.org", "pat@example.org"])
        )
        .count()
        == 0
    )
    assert (review.partner.email, review.supervisor.email) == ("pat@example.org", "sam@example.org")
    assert review.stages.filter(status=ReviewStage.Status.APPROVED).count() == 1
    assert "Created supervised review" in output


def test_it_publishes_the_legal_pages_and_leaves_module_content_searchable(db, debug, client):
    seed_demo()

    assert sorted(LegalPage.objects.live().values_list("kind", flat=True)) == sorted(
        LegalPageKind.values
    )
    for kind in LegalPageKind.values:
        response = client.get(reverse(f"legal_{kind}"))
        assert response.status_code == 302
        assert client.get(response["Location"]).status_code == 200

    anonymous = client.get(reverse("search"), {"q": "key practice episode"}).context["results"]
    assert not [page for page in anonymous if isinstance(page, ModulePage)]
    client.force_login(User.objects.get(email="tess@example.org"))
    tess = client.get(reverse("search"), {"q": "key practice episode"}).context["results"]
    assert [page for page in tess if isinstance(page, ModulePage)]
