"""Dates are typed as day, month and year in three labelled boxes (the pattern UK public-sector
users know), not in the browser's own mm/dd/yyyy picker. Tried on the supervision log, the
public side's date field, and on a date field an editor adds to the enquiry form."""

import html
import re
from datetime import date, timedelta

from django.utils import timezone

import pytest

from accreditation.models import SupervisionSession
from content.models import EnquiryFormField
from learning_platform.forms import DateInputField

pytestmark = pytest.mark.django_db

URL = "/accreditation/supervision/log/"


def _post(client, tess, day="2", month="3", year="2026"):
    return client.post(
        URL,
        {
            "kind": "individual",
            "date_day": day,
            "date_month": month,
            "date_year": year,
            "duration_minutes": "60",
            "attendees": [tess.pk],
        },
    )


def test_it_asks_for_the_date_as_day_month_and_year(client, review, sam):
    client.force_login(sam)

    page = client.get(URL).content.decode()

    assert 'type="date"' not in page
    fieldset = re.search(
        r'<fieldset class="fieldset"[^>]*>\s*<legend class="label">Date of the session</legend>'
        r".*?</fieldset>",
        page,
        re.S,
    )
    assert fieldset, "the three boxes are grouped under a legend"
    group = fieldset.group(0)
    assert 'aria-describedby="id_date_helptext' in group
    assert '<div class="hint" id="id_date_helptext">For example, 27 3 2026</div>' in group
    for index, (label, name) in enumerate((("Day", "day"), ("Month", "month"), ("Year", "year"))):
        assert f'<label class="date-input__label" for="id_date_{index}">{label}</label>' in group
        box = re.search(rf'<input type="text" name="date_{name}"[^>]*>', group).group(0)
        assert f'id="id_date_{index}"' in box and 'inputmode="numeric"' in box


def test_it_records_the_date_typed_into_the_three_boxes(client, review, tess, sam):
    client.force_login(sam)

    response = _post(client, tess, day=" 02 ", month="3", year="2026")

    assert response.status_code == 302
    assert SupervisionSession.objects.get().date == date(2026, 3, 2)


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter the date of the session."),
        ("31", "2", "2026", "The date of the session must be a real date."),
        ("0", "3", "2026", "The date of the session must be a real date."),
        ("2", "13", "2026", "The date of the session must be a real date."),
        ("x", "3", "2026", "The date of the session must be a real date."),
        ("", "3", "2026", "The date of the session must include a day."),
        ("2", "", "", "The date of the session must include a month and year."),
        ("2", "3", "26", "The year must include 4 numbers."),
    ],
)
def test_it_says_what_is_wrong_with_a_date_and_keeps_what_was_typed(
    client, review, tess, sam, day, month, year, message
):
    client.force_login(sam)

    response = _post(client, tess, day=day, month=month, year=year)

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert message in page
    assert "Enter a valid date" not in page and "This field is required" not in page
    # The error summary links to the first box, and the boxes hold what was typed.
    assert 'href="#id_date_0"' in page
    for name, value in (("day", day), ("month", month), ("year", year)):
        box = re.search(rf'<input type="text" name="date_{name}"[^>]*>', page).group(0)
        assert (f'value="{value}"' in box) if value else ("value=" not in box)
    assert 'class="form-group form-group--error"' in page
    assert SupervisionSession.objects.count() == 0


def test_it_still_refuses_a_session_in_the_future(client, review, tess, sam):
    client.force_login(sam)
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = _post(client, tess, str(tomorrow.day), str(tomorrow.month), str(tomorrow.year))

    assert "The date of the session must be today or in the past." in response.content.decode()
    assert SupervisionSession.objects.count() == 0


def test_it_shows_a_saved_date_in_the_three_boxes():
    field = DateInputField(label="Start date", subject="The start date")
    form_html = field.widget.render("start", date(2026, 3, 27), attrs={"id": "id_start"})

    assert 'name="start_day" value="27"' in form_html
    assert 'name="start_month" value="3"' in form_html
    assert 'name="start_year" value="2026"' in form_html
    assert field.clean(["27", "3", "2026"]) == date(2026, 3, 27)


def test_it_gives_a_date_on_the_enquiry_form_the_same_three_boxes(client, contact_page):
    EnquiryFormField.objects.create(
        page=contact_page,
        sort_order=10,
        label="Preferred training date",
        field_type="date",
        required=False,
    )

    page = client.get(contact_page.url).content.decode()

    assert 'type="date"' not in page
    assert '<legend class="label">Preferred training date (optional)</legend>' in page
    assert 'name="preferred_training_date_day"' in page
    assert "For example, 27 3 2026" in page
    form = contact_page.get_form()
    form_class = type(form)
    bad = form_class(
        {
            "preferred_training_date_day": "30",
            "preferred_training_date_month": "2",
            "preferred_training_date_year": "2027",
        },
        page=contact_page,
    )
    assert not bad.is_valid()
    assert bad.errors["preferred_training_date"] == ["Preferred training date must be a real date."]
