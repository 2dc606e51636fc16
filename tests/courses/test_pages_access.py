"""Who sees what of a course and its modules: overviews are public, bodies are not."""

from urllib.parse import quote

from django.core.exceptions import ValidationError

import pytest

from courses.access import Viewer, module_access_for_user
from courses.models import ModulePage, ModuleProgress
from courses.models.pages import validate_prerequisites

from .factories import EnrolmentFactory, add_module, build_course, text_block

BODY_TEXT = "Systems thinking basics."


@pytest.fixture
def first_module(modules):
    return modules[0]


def test_it_shows_the_course_page_and_its_modules_to_anyone(client, course, modules):
    response = client.get(course.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Systems thinking" in html and "Key practice episodes" in html
    assert "What Systems thinking covers." in html  # the module's public overview


def test_it_lists_courses_on_the_index_page(client, course):
    response = client.get(course.get_parent().url)

    assert response.status_code == 200
    assert course.title in response.content.decode()


def test_it_asks_an_anonymous_visitor_to_sign_in(client, first_module):
    response = client.get(first_module.url)

    html = response.content.decode()
    assert response.status_code == 200
    assert "What Systems thinking covers." in html
    assert BODY_TEXT not in html
    assert "Sign in to continue" in html
    assert f"/accounts/login/?next={quote(first_module.url)}" in html


def test_it_shows_the_body_to_an_enrolled_trainee_and_starts_progress(
    client, tess, tess_enrolment, first_module
):
    client.force_login(tess)
    response = client.get(first_module.url)

    html = response.content.decode()
    assert BODY_TEXT in html
    assert "What surprised you?" in html  # the reflection form's label
    assert ModuleProgress.objects.filter(enrolment=tess_enrolment, module=first_module).count() == 1

    client.get(first_module.url)
    assert ModuleProgress.objects.filter(enrolment=tess_enrolment, module=first_module).count() == 1


def test_it_keeps_a_completed_trainee_in(client, tess, tess_enrolment, first_module):
    tess_enrolment.status = "completed"
    tess_enrolment.save()
    client.force_login(tess)

    assert BODY_TEXT in client.get(first_module.url).content.decode()


@pytest.mark.parametrize("status", ["invited", "withdrawn", "deferred"])
def test_it_shuts_out_a_trainee_whose_enrolment_is_not_active(
    client, tess, tess_enrolment, first_module, status
):
    tess_enrolment.status = status
    tess_enrolment.save()
    client.force_login(tess)

    html = client.get(first_module.url).content.decode()
    assert BODY_TEXT not in html
    assert "You are not enrolled on this course" in html
    assert not ModuleProgress.objects.exists()


def test_it_tells_a_trainee_on_no_cohort_of_the_course_they_are_not_enrolled(
    client, uma, tess_enrolment, first_module
):
    client.force_login(uma)
    response = client.get(first_module.url)

    html = response.content.decode()
    assert response.status_code == 200
    assert BODY_TEXT not in html
    assert "You are not enrolled on this course" in html
    assert "Ask about a place" in html or "contact the Learning Together programme team" in html
    assert not ModuleProgress.objects.exists()


def test_it_gives_an_assessor_the_not_enrolled_panel(client, ali, tess_enrolment, first_module):
    client.force_login(ali)

    html = client.get(first_module.url).content.decode()
    assert BODY_TEXT not in html
    assert "You are not enrolled on this course" in html


def test_it_shows_the_body_to_a_cohort_supervisor_without_recording_progress(
    client, sam, tess_enrolment, first_module
):
    client.force_login(sam)

    html = client.get(first_module.url).content.decode()
    assert BODY_TEXT in html
    assert "reading this module as a supervisor" in html
    main = html.split('id="main-content"')[1].split("</main>")[0]
    assert "<form" not in main  # no answer forms for supervisors
    assert not ModuleProgress.objects.exists()


def test_it_shows_the_body_to_a_trainees_named_supervisor(client, cohort, pat, first_module):
    from .factories import UserFactory

    named = UserFactory(email="named.supervisor@example.org")
    EnrolmentFactory(user=pat, cohort=cohort, supervisor=named)
    client.force_login(named)

    assert BODY_TEXT in client.get(first_module.url).content.decode()


def test_it_shows_the_body_and_the_answers_to_programme_staff(client, ada, modules):
    client.force_login(ada)

    html = client.get(modules[1].url).content.decode()
    assert "Body of the KPE module." in html
    assert "programme staff" in html
    assert "Correct answer" in html  # staff can read the knowledge check's answers
    assert not ModuleProgress.objects.exists()


def test_it_decides_access_in_one_selector(tess, uma, sam, ada, ali, tess_enrolment, first_module):
    from django.contrib.auth.models import AnonymousUser

    def viewer(user):
        return module_access_for_user(user=user, module=first_module).viewer

    assert viewer(AnonymousUser()) == Viewer.ANONYMOUS
    assert viewer(tess) == Viewer.TRAINEE
    assert viewer(uma) == Viewer.NOT_ENROLLED
    assert viewer(sam) == Viewer.SUPERVISOR
    assert viewer(ada) == Viewer.STAFF
    assert viewer(ali) == Viewer.NOT_ENROLLED


def test_it_does_not_open_another_courses_modules_to_an_enrolled_trainee(
    client, tess, tess_enrolment
):
    other = build_course(title="Foundation course")
    module = add_module(other, title="Theory", body=[text_block("Foundation body.")])
    client.force_login(tess)

    html = client.get(module.url).content.decode()
    assert "Foundation body." not in html
    assert "You are not enrolled on this course" in html


# Prerequisites in the editor ---------------------------------------------------------------


def test_it_accepts_an_earlier_module_of_the_same_course_as_a_prerequisite(course, modules):
    first, second = modules
    validate_prerequisites(module=second, parent=course, prerequisites=[first])


def test_it_refuses_a_module_as_its_own_prerequisite(course, modules):
    with pytest.raises(ValidationError, match="itself"):
        validate_prerequisites(module=modules[0], parent=course, prerequisites=[modules[0]])


def test_it_refuses_a_prerequisite_from_another_course(course, modules):
    other = build_course(title="Another course")
    stranger = add_module(other, title="Elsewhere")

    with pytest.raises(ValidationError, match="not a module of this course"):
        validate_prerequisites(module=modules[1], parent=course, prerequisites=[stranger])


def test_it_refuses_a_later_module_as_a_prerequisite(course, modules):
    with pytest.raises(ValidationError, match="comes after this module"):
        validate_prerequisites(module=modules[0], parent=course, prerequisites=[modules[1]])


def test_it_offers_only_the_courses_other_modules_in_the_editor(client, ada, course, modules):
    other = build_course(title="Another course")
    add_module(other, title="Elsewhere")
    client.force_login(ada)

    response = client.get(f"/admin/pages/{modules[1].pk}/edit/")

    assert response.status_code == 200
    choices = response.context["form"].fields["prerequisites"].queryset
    assert list(choices) == [ModulePage.objects.get(pk=modules[0].pk)]


def test_it_lets_programme_staff_add_a_module_in_the_editor(client, ada, course):
    client.force_login(ada)

    response = client.get(f"/admin/pages/add/courses/modulepage/{course.pk}/")

    assert response.status_code == 200
    assert "prerequisites" in response.context["form"].fields


def test_it_previews_a_module_for_programme_staff_without_recording_progress(client, ada, modules):
    client.force_login(ada)

    response = client.get(f"/admin/pages/{modules[1].pk}/view_draft/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Body of the KPE module." in html
    assert "Correct answer" in html
    assert not ModuleProgress.objects.exists()
