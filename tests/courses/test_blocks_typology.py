"""The typology block: a module shows the finding categories as they stand, from the list the
findings register uses, however an administrator has edited it."""

import uuid

from wagtail import hooks

import pytest

from accreditation.models import FindingCategory
from courses.blocks import FINDING_TYPOLOGY_HOOK, finding_typology

from .factories import CohortFactory, EnrolmentFactory, add_module, build_course, text_block

# The module page's queries with a typology block in its body, taken as test_learning_queries takes
# them. The block reads the categories in one query, however many there are.
MODULE_PAGE_WITH_TYPOLOGY_QUERIES = 29


def typology_block(heading: str = "The typology of underlying patterns", intro: str = "") -> dict:
    return {
        "type": "typology",
        "value": {"heading": heading, "intro": f"<p>{intro}</p>" if intro else ""},
        "id": str(uuid.uuid4()),
    }


@pytest.fixture
def module(tess, sam):
    course = build_course(title="Typology course")
    cohort = CohortFactory(course=course)
    cohort.supervisors.add(sam)
    EnrolmentFactory(user=tess, cohort=cohort, supervisor=sam)
    return add_module(
        course,
        title="Underlying patterns",
        body=[
            text_block("From case to system."),
            typology_block(intro="Sort each finding into one of these."),
        ],
    )


def _page(client, module) -> str:
    response = client.get(module.url)
    assert response.status_code == 200
    return response.content.decode()


def test_it_lists_the_finding_categories_in_their_order(client, tess, module):
    client.force_login(tess)

    html = _page(client, module)

    names = list(FindingCategory.objects.order_by("sort_order").values_list("name", flat=True))
    assert len(names) == 6
    positions = [html.index(name) for name in names]
    assert positions == sorted(positions)
    assert "Sort each finding into one of these." in html
    assert "The typology is not available." not in html
    tools = FindingCategory.objects.get(name="Tools")
    assert tools.description in html


def test_it_shows_an_administrators_edit_of_a_category(client, tess, module):
    tools = FindingCategory.objects.get(name="Tools")
    client.force_login(tess)
    assert "Tools and records" not in _page(client, module)

    tools.name = "Tools and records"
    tools.description = "Forms, records and IT systems."
    tools.sort_order = 0
    tools.save()
    html = _page(client, module)

    assert '<strong class="typology__name">Tools and records</strong>' in html
    assert "Forms, records and IT systems." in html
    assert html.index("Tools and records") < html.index(
        "Multi-agency working in response to incidents and crises"
    )


@pytest.mark.parametrize("extra_categories", [0, 20])
def test_it_runs_the_module_page_in_a_fixed_number_of_queries(
    client, django_assert_num_queries, tess, module, extra_categories
):
    FindingCategory.objects.bulk_create(
        FindingCategory(name=f"Category {number}", sort_order=10 + number)
        for number in range(extra_categories)
    )
    client.force_login(tess)
    client.get(module.url)  # warm the site and URL caches, so only the page's own queries count

    with django_assert_num_queries(MODULE_PAGE_WITH_TYPOLOGY_QUERIES):
        html = _page(client, module)

    assert html.count('class="typology__name"') == 6 + extra_categories


def test_it_says_so_when_no_app_gives_the_typology(client, tess, module, monkeypatch):
    real_get_hooks = hooks.get_hooks

    def no_typology(name):
        return [] if name == FINDING_TYPOLOGY_HOOK else real_get_hooks(name)

    monkeypatch.setattr(hooks, "get_hooks", no_typology)
    client.force_login(tess)

    html = _page(client, module)

    assert finding_typology() == []
    assert "The typology is not available." in html
    assert "typology__name" not in html


def test_it_joins_what_each_registered_hook_gives(db):
    extra = ("Extra category", "Given by a second hook.")
    with hooks.register_temporarily(FINDING_TYPOLOGY_HOOK, lambda: [extra]):
        entries = finding_typology()

    assert entries[0][0] == "Multi-agency working in response to incidents and crises"
    assert entries[-1] == extra
    assert len(entries) == 7
