"""The reflective statement's minimum length, its word count, and checking the answers before
submitting."""

import re

from django.urls import reverse

import pytest

from accreditation.exceptions import TransitionError
from accreditation.models import AccreditationApplication
from accreditation.selectors.readiness import default_scheme
from accreditation.services import applications as services

from .award_builders import STATEMENT, add_plenty, make_ready

URL = reverse("accreditation:application")
CHECK_URL = reverse("accreditation:application_check")
# One of them counts what the review type expects: conversations, case group and meetings.
# Three more with the enrolment and training days for attendance, and the supervisor's
# recommendation.
CHECK_QUERIES = 21
Status = AccreditationApplication.Status


def test_it_refuses_a_statement_below_the_schemes_minimum_and_keeps_it(client, tess, review):
    make_ready(tess, review)
    client.force_login(tess)

    response = client.post(URL, {"reflective_statement": "Too short.", "action": "continue"})

    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html
    message = "Your statement has 2 words. Write at least 298 more: it needs 300 words."
    assert f'href="#id_reflective_statement">{message}</a>' in html
    # Nothing typed is lost: the draft holds it and the box shows it again.
    application = AccreditationApplication.objects.get(trainee=tess)
    assert (application.status, application.reflective_statement) == (Status.DRAFT, "Too short.")
    assert ">\nToo short.</textarea>" in html
    # Going straight to the check page does not let it through either.
    assert client.post(CHECK_URL).status_code == 400
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_it_enforces_the_minimum_in_the_submit_service(tess, review):
    make_ready(tess, review)
    application = services.application_save_draft(trainee=tess, reflective_statement="Too short.")

    with pytest.raises(TransitionError, match="Your statement has 2 words"):
        services.application_submit(application=application, trainee=tess)

    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_it_takes_the_minimum_from_the_scheme(client, tess, review):
    scheme = default_scheme()
    scheme.min_statement_words = 5
    scheme.save()
    make_ready(tess, review)
    client.force_login(tess)

    refused = client.post(
        URL, {"reflective_statement": "Four words only here.", "action": "continue"}
    )
    accepted = client.post(
        URL, {"reflective_statement": "Five words are enough now.", "action": "continue"}
    )

    assert "Write at least 1 more: it needs 5 words." in refused.content.decode()
    assert accepted.url == CHECK_URL


def test_it_shows_the_saved_word_count_without_javascript(client, tess, review):
    make_ready(tess, review)
    services.application_save_draft(trainee=tess, reflective_statement="Three words here.")
    client.force_login(tess)

    html = client.get(URL).content.decode()

    count = re.search(r'<p class="hint word-count" id="([^"]+)"[^>]*>([^<]*)</p>', html)
    assert count.group(2) == (
        "You have written 3 words. Write at least 297 more: the minimum is 300 words."
    )
    # The box is described by the count, which a small external script updates while typing.
    assert f'aria-describedby="id_reflective_statement_helptext {count.group(1)}"' in html
    assert 'data-word-count-minimum="300"' in html
    assert 'src="/static/accreditation/js/word-count.js"' in html
    assert "<script>" not in html
    # The requirement says the minimum too.
    assert "Write your reflective statement (at least 300 words)" in html


def test_it_says_when_the_statement_meets_the_minimum(client, tess, review):
    make_ready(tess, review)
    services.application_save_draft(trainee=tess, reflective_statement=STATEMENT)
    client.force_login(tess)

    html = client.get(URL).content.decode()

    words = len(STATEMENT.split())
    assert f"You have written {words} words. That meets the minimum of 300 words." in html


def test_it_shows_what_will_be_submitted_before_submitting(
    client, tess, review, django_assert_num_queries
):
    make_ready(tess, review)
    services.application_save_draft(trainee=tess, reflective_statement=STATEMENT)
    client.force_login(tess)
    client.get(
        CHECK_URL
    )  # the first request after a cache clear also fills caches that later ones read

    with django_assert_num_queries(CHECK_QUERIES):
        response = client.get(CHECK_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Check your application before submitting it" in html
    assert "All 2 modules completed." in html
    assert "Your supervisor has approved every stage." in html
    assert "4 group and 1 individual session confirmed." in html
    assert STATEMENT in html
    assert f'href="{URL}#id_reflective_statement">Change<span class="visually-hidden">' in html
    assert "Submit application</button>" in html
    # Looking is not submitting.
    assert AccreditationApplication.objects.get(trainee=tess).status == Status.DRAFT

    add_plenty(tess, review)
    with django_assert_num_queries(CHECK_QUERIES):
        response = client.get(CHECK_URL)
    assert "19 group and 6 individual sessions confirmed." in response.content.decode()


def test_it_offers_no_submit_button_until_everything_is_in_place(client, tess, review):
    make_ready(tess, review)
    services.application_save_draft(trainee=tess, reflective_statement="Too short.")
    client.force_login(tess)

    html = client.get(CHECK_URL).content.decode()

    assert "There is a problem" in html
    assert "Your statement has 2 words." in html
    assert "Submit application</button>" not in html


def test_it_sends_a_submitted_application_back_to_its_page(client, tess, review):
    make_ready(tess, review)
    application = services.application_save_draft(trainee=tess, reflective_statement=STATEMENT)
    services.application_submit(application=application, trainee=tess)
    client.force_login(tess)

    response = client.get(CHECK_URL)

    assert response.url == URL
    assert client.post(CHECK_URL).url == URL


def test_it_lets_administrators_set_the_minimum(client, ada):
    client.force_login(ada)
    html = client.get(
        reverse("accreditation_schemes:edit", args=[default_scheme().pk])
    ).content.decode()

    assert 'name="min_statement_words"' in html
    assert 'value="300"' in html
