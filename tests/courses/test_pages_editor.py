"""The module editor's prerequisites field: checkboxes limited to the course, validated on save."""

from courses.models import ModulePage

from .factories import add_module, build_course


def _form(module, parent, prerequisites):
    form_class = ModulePage.get_edit_handler().get_form_class()
    data = {
        "title": module.title if module.pk else "New module",
        "slug": module.slug if module.pk else "new-module",
        "overview": "Overview",
        "body-count": "0",
        "prerequisites": [str(p.pk) for p in prerequisites],
    }
    return form_class(data, instance=module, parent_page=parent, for_user=None)


def test_it_saves_an_earlier_module_as_a_prerequisite(course, modules):
    first, second = modules

    form = _form(ModulePage.objects.get(pk=second.pk), course, [first])

    assert form.is_valid(), form.errors
    page = form.save(commit=False)
    page.save_revision().publish()
    assert list(ModulePage.objects.get(pk=second.pk).prerequisites.all()) == [
        ModulePage.objects.get(pk=first.pk)
    ]


def test_it_refuses_a_module_of_another_course(course, modules):
    stranger = add_module(build_course(title="Another course"), title="Elsewhere")

    form = _form(ModulePage.objects.get(pk=modules[1].pk), course, [stranger])

    assert not form.is_valid()
    assert "prerequisites" in form.errors


def test_it_refuses_the_module_itself(course, modules):
    second = ModulePage.objects.get(pk=modules[1].pk)

    form = _form(second, course, [second])

    assert not form.is_valid()
    assert "prerequisites" in form.errors


def test_it_lets_a_new_module_require_any_existing_module_of_the_course(course, modules):
    form = _form(ModulePage(), course, modules)

    assert form.is_valid(), form.errors
