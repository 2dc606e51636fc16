"""`{% table %}`: the wrapper, caption and column headings that every data table on the site
shares, so that a page writes only its rows.

    {% load tables %}
    {% table caption="Cohorts you can see" headings="Cohort|Course|Dates|Status" %}
        {% for cohort in cohorts %}<tr>…</tr>{% endfor %}
    {% endtable %}

Arguments, each a template expression:

- ``headings``: the column headings, separated by "|".
- ``caption``: the table's name, for screen readers only (the page's heading says it to everyone
  else); or ``labelledby``: the id of the heading that names the table.
- ``action``: a last column of buttons or links, whose heading only screen readers read.
- ``rows`` and ``empty``: given both, an empty ``rows`` shows the sentence ``empty`` instead.
- ``class``: more classes for the table.
- ``region``: the id of the heading that names a table wide enough to scroll sideways; the
  scrolling box becomes a labelled region that a keyboard can reach.
"""

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html

register = template.Library()

ARGUMENTS = {"headings", "caption", "labelledby", "action", "rows", "empty", "class", "region"}


class TableNode(template.Node):
    def __init__(self, arguments: dict, body: template.NodeList):
        self.arguments = arguments
        self.body = body

    def render(self, context) -> str:
        values = {name: value.resolve(context) for name, value in self.arguments.items()}
        if "rows" in values and "empty" in values and not values["rows"]:
            return format_html("<p>{}</p>", values["empty"])
        values["headings"] = [text for text in str(values.get("headings", "")).split("|") if text]
        values["body"] = self.body.render(context)
        return render_to_string("includes/table.html", values)


@register.tag
def table(parser, token):
    bits = token.split_contents()[1:]
    arguments = template.base.token_kwargs(bits, parser)
    if bits or not arguments.keys() <= ARGUMENTS:
        raise template.TemplateSyntaxError(
            f"{{% table %}} takes keyword arguments only, from: {', '.join(sorted(ARGUMENTS))}."
        )
    body = parser.parse(("endtable",))
    parser.delete_first_token()
    return TableNode(arguments, body)
