"""Site search finds what a module teaches (its text, reflective questions and knowledge
checks), but only for those who may read the module's body: an enrolled trainee once the
module is open to her, the cohort's supervisor and programme staff. Anyone else finds the
course by a module's title or overview, as the course page shows them, and no match or snippet
from a body they may not read."""

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

import pytest

from courses.access import module_access_for_user, modules_with_hidden_body
from courses.models import ModulePage, ModuleProgress
from tests.courses.factories import add_module, text_block

QUERIES = 18

# Words only in each module's body: the first module's reflective question, and the second's
# text and knowledge-check question.
FIRST_BODY = "surprised"
SECOND_BODY = "contributory-factor categories"


@pytest.fixture
def world(home, course, modules, cohort, tess_enrolment):
    first, second = modules
    return {"course": course, "first": first, "second": second, "tess_enrolment": tess_enrolment}


def _search(client, query):
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code == 200
    return list(response.context["results"]), response.content.decode()


def _complete(enrolment, module):
    ModuleProgress.objects.create(enrolment=enrolment, module=module, completed_at=timezone.now())


def test_it_finds_module_content_for_the_enrolled_trainee(client, world, tess):
    client.force_login(tess)

    results, html = _search(client, FIRST_BODY)

    assert [page.pk for page in results] == [world["first"].pk]
    assert f'<a href="{world["first"].url}">Systems thinking</a>' in html


def test_it_finds_a_module_only_once_its_prerequisites_are_done(client, world, tess):
    client.force_login(tess)
    assert _search(client, SECOND_BODY)[0] == []

    _complete(world["tess_enrolment"], world["first"])

    assert [page.pk for page in _search(client, SECOND_BODY)[0]] == [world["second"].pk]


@pytest.mark.parametrize("persona", ["sam", "ada"])
def test_it_finds_module_content_for_supervisor_and_staff(client, request, world, persona):
    client.force_login(request.getfixturevalue(persona))

    assert [page.pk for page in _search(client, FIRST_BODY)[0]] == [world["first"].pk]
    assert [page.pk for page in _search(client, SECOND_BODY)[0]] == [world["second"].pk]


@pytest.mark.parametrize("persona", ["anonymous", "uma", "ali"])
def test_it_shows_no_match_in_a_module_body_to_those_who_may_not_read_it(
    client, request, world, persona
):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    for query in (FIRST_BODY, SECOND_BODY):
        results, html = _search(client, query)
        assert results == [], (persona, query)
        assert f"No results for “{query}”" in html
    # Words of the module's reflective question that other pages use too: those pages show,
    # the module does not.
    results, html = _search(client, "Describe a key practice episode")
    assert not [page for page in results if isinstance(page, ModulePage)], persona
    assert world["second"].url not in html


@pytest.mark.parametrize("persona", ["anonymous", "uma"])
def test_it_finds_the_course_by_a_modules_public_title_and_overview(
    client, request, world, persona
):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    for query in ("Systems thinking", "What Key practice episodes covers"):
        results, html = _search(client, query)
        assert [page.pk for page in results] == [world["course"].pk], (persona, query)
        assert world["first"].url not in html


def test_it_keeps_the_course_index_up_to_date_when_a_module_changes(client, world):
    second = world["second"]
    second.overview = "Hindsight bias and local rationality."
    second.save_revision().publish()

    assert [page.pk for page in _search(client, "local rationality")[0]] == [world["course"].pk]


def test_it_hides_exactly_the_modules_whose_page_hides_the_body(
    world, tess, pat, uma, sam, ali, ada
):
    _complete(world["tess_enrolment"], world["first"])
    people = [AnonymousUser(), tess, pat, uma, sam, ali, ada]
    all_modules = list(ModulePage.objects.order_by("path"))
    for person in people:
        hidden = set(
            ModulePage.objects.filter(modules_with_hidden_body(user=person)).values_list(
                "pk", flat=True
            )
        )
        for module in all_modules:
            can_read = module_access_for_user(user=person, module=module).can_view_body
            assert (module.pk not in hidden) == can_read, (str(person), module.title)


def test_it_searches_in_a_constant_number_of_queries(
    client, world, tess, django_assert_num_queries
):
    client.force_login(tess)
    _complete(world["tess_enrolment"], world["first"])
    add_module(world["course"], title="Kestrel 0", body=[text_block("Kestrel.")])
    _search(
        client, "kestrel"
    )  # the first request after a cache clear also fills caches that later ones read
    with django_assert_num_queries(QUERIES):
        results, _ = _search(client, "kestrel")
    assert len(results) == 2  # the course (by the module's title) and the module

    for number in range(1, 7):
        add_module(world["course"], title=f"Kestrel {number}", body=[text_block("Kestrel.")])
    _search(client, "kestrel")  # the menu is drawn again after a publish
    with django_assert_num_queries(QUERIES):
        results, _ = _search(client, "kestrel")
    assert len(results) == 8


def test_it_finds_a_word_in_its_singular_or_plural_form(client, world, sam):
    # The knowledge check asks about "contributory-factor categories".
    client.force_login(sam)

    for query in ("contributory factor category", "Contributory factors categories"):
        assert [page.pk for page in _search(client, query)[0]] == [world["second"].pk], query
