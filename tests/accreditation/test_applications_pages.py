from django.urls import reverse

from accreditation.models import AccreditationApplication

from .award_builders import STATEMENT, add_plenty, enrol, first_not_met, make_ready, submit

URL = "/accreditation/application/"
CHECK_URL = "/accreditation/application/check/"
# One of them counts what the review type expects: conversations, case group and meetings.
# Four more with the enrolment and training days for attendance, the supervisor's
# recommendation and the scheme's criteria.
APPLICATION_QUERIES = 22


def test_it_shows_each_requirement_as_a_task_list(client, tess, review):
    enrol(tess, supervisor=review.supervisor, modules=2)
    client.force_login(tess)

    response = client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="task-list"' in html
    assert "0 of 2 modules completed. Still to complete: Module 1; Module 2." in html
    assert "Not yet approved: Preparation (not started)" in html
    assert "Still needed: 4 more group sessions (0 of 4 confirmed)" in html
    assert "You have not written your reflective statement." in html
    assert "Your supervisor has not made a recommendation yet." in html
    # The course, the stages, the supervision, the recommendation and the statement; the cohort
    # has no training days, so attendance is complete.
    assert html.count(">Not yet</strong>") == 5
    assert 'name="reflective_statement"' not in html  # not until the rest is done


def test_it_lets_a_ready_trainee_write_the_statement_check_it_and_submit(client, tess, review):
    make_ready(tess, review)
    client.force_login(tess)
    form_page = client.get(URL).content.decode()
    assert 'name="reflective_statement"' in form_page
    # Not needed to save a draft, but needed to apply: never labelled optional.
    assert "Your reflective statement</label>" in form_page
    assert "(optional)" not in form_page

    response = client.post(URL, {"reflective_statement": STATEMENT, "action": "continue"})

    # Continue saves the statement and leads to the check-your-answers page; nothing is sent yet.
    assert response.url == CHECK_URL
    application = AccreditationApplication.objects.get(trainee=tess)
    assert (application.status, application.reflective_statement) == ("draft", STATEMENT)
    response = client.post(CHECK_URL)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == AccreditationApplication.Status.SUBMITTED
    page = client.get(URL).content.decode()
    assert "Your application has been submitted" in page
    assert 'name="reflective_statement"' not in page


def test_it_explains_a_refused_submission_and_keeps_the_draft(client, tess, review):
    make_ready(tess, review)
    client.force_login(tess)

    response = client.post(URL, {"reflective_statement": "", "action": "continue"})

    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html
    assert "You have not written your reflective statement." in html
    assert AccreditationApplication.objects.get(trainee=tess).status == "draft"


def test_it_saves_a_draft_statement(client, tess, review):
    make_ready(tess, review)
    client.force_login(tess)

    client.post(URL, {"reflective_statement": "First thoughts.", "action": "save"})

    application = AccreditationApplication.objects.get(trainee=tess)
    assert (application.status, application.reflective_statement) == ("draft", "First thoughts.")
    assert "First thoughts." in client.get(URL).content.decode()


def test_it_shows_the_required_actions_and_takes_a_resubmission(client, tess, review, ali):
    from accreditation.services.applications import application_refer

    make_ready(tess, review)
    application = submit(tess)
    application_refer(
        application=application,
        answers=first_not_met(application),
        assessor=ali,
        reasons="The patterns are thin.",
        required_actions="Link each pattern to its episodes.",
    )
    client.force_login(tess)

    html = client.get(URL).content.decode()
    assert "Link each pattern to its episodes." in html
    assert "everything you are about to resubmit" in html

    client.post(URL, {"reflective_statement": STATEMENT + " Revised.", "action": "continue"})
    check = client.get(CHECK_URL).content.decode()
    assert "Resubmit application</button>" in check
    client.post(CHECK_URL)
    application.refresh_from_db()
    assert application.status == "submitted"


def test_it_runs_a_fixed_number_of_queries(client, tess, review, django_assert_num_queries):
    make_ready(tess, review)
    submit(tess)
    client.force_login(tess)
    # The first request after a cache clear also fills caches that later ones read.
    client.get(reverse("accreditation:application"))

    with django_assert_num_queries(APPLICATION_QUERIES):
        response = client.get(reverse("accreditation:application"))
    assert response.status_code == 200

    add_plenty(tess, review)
    with django_assert_num_queries(APPLICATION_QUERIES):
        response = client.get(reverse("accreditation:application"))
    assert response.status_code == 200


def test_it_links_each_role_to_its_page(client, tess, ali, ada):
    for person, label, url in (
        (tess, "Accreditation", "/accreditation/application/"),
        (ali, "Assessment", "/accreditation/assessment/"),
        (ada, "Programme dashboard", "/accreditation/dashboard/"),
    ):
        client.force_login(person)
        html = client.get("/accreditation/certificates/").content.decode()
        assert f'<a href="{url}">{label}</a>' in html
        others = {"Accreditation", "Assessment", "Programme dashboard"} - {label}
        assert not [other for other in others if f">{other}</a>" in html]
