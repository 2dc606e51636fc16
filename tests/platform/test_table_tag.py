"""The `{% table %}` tag writes the wrapper, caption and headings every data table shares."""

from django.template import Context, Template, TemplateSyntaxError

import pytest

TEMPLATE = (
    "{% load tables %}"
    '{% table caption="People" headings="Name|Role" rows=rows empty="Nobody yet." %}'
    "{% for row in rows %}<tr><td>{{ row }}</td><td>–</td></tr>{% endfor %}"
    "{% endtable %}"
)


def test_it_writes_the_caption_headings_and_rows():
    html = Template(TEMPLATE).render(Context({"rows": ["Tess <b>"]}))
    assert '<div class="table-wrap">' in html
    assert '<caption class="visually-hidden">People</caption>' in html
    assert '<th scope="col">Name</th><th scope="col">Role</th>' in html
    # The rows are the page's own template output: escaped once, not twice.
    assert "<tr><td>Tess &lt;b&gt;</td><td>–</td></tr>" in html
    assert "Nobody yet." not in html


def test_it_says_the_empty_sentence_instead_of_an_empty_table():
    html = Template(TEMPLATE).render(Context({"rows": []}))
    assert html.strip() == "<p>Nobody yet.</p>"


def test_it_gives_a_wide_table_a_labelled_region_and_an_action_column():
    html = Template(
        "{% load tables %}"
        '{% table labelledby="h" region="h" headings="A" action="Actions" %}<tr></tr>{% endtable %}'
    ).render(Context())
    assert 'role="region" aria-labelledby="h" tabindex="0"' in html
    assert '<table class="table" aria-labelledby="h">' in html
    assert '<span class="visually-hidden">Actions</span>' in html


def test_it_refuses_an_unknown_or_positional_argument():
    with pytest.raises(TemplateSyntaxError, match="keyword arguments only"):
        Template('{% load tables %}{% table colour="red" %}{% endtable %}')
    with pytest.raises(TemplateSyntaxError, match="keyword arguments only"):
        Template('{% load tables %}{% table "People" %}{% endtable %}')
