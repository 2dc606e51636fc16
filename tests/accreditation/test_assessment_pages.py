from django.urls import reverse

from accreditation.models import AccreditationApplication, Certificate, Decision, Evidence
from courses.models import ModuleProgress, ReflectionAnswer

from .award_builders import (
    criteria_form,
    first_not_met,
    log_supervision,
    make_assessor,
    make_ready,
    submit,
)
from .factories import SupervisedReviewFactory, make_trainee, stage


def _submitted_by(count, sam, start=0):
    applications = []
    for number in range(start, start + count):
        trainee = make_trainee(f"Queue Trainee {number}", f"q{number}@example.org")
        review = SupervisedReviewFactory(trainee=trainee, supervisor=sam)
        make_ready(trainee, review)
        applications.append(submit(trainee))
    return applications


def test_it_lists_submitted_applications_and_marks_the_assessors_own_trainees(
    client, tess, review, sam
):
    make_ready(tess, review)
    submit(tess)
    assessor_supervisor = make_assessor("Asa Both", "asa@example.org", also_supervisor=True)
    uma_like = make_trainee("Ursula Other", "ursula@example.org")
    make_ready(uma_like, SupervisedReviewFactory(trainee=uma_like, supervisor=assessor_supervisor))
    submit(uma_like)
    client.force_login(assessor_supervisor)

    html = client.get(reverse("accreditation:assessment_queue")).content.decode()

    assert "Tess Trainee" in html and "Ursula Other" in html
    assert html.count("You supervise this trainee – another assessor must decide") == 1
    ursula_row = html[html.index("Ursula Other") : html.index("Ursula Other") + 300]
    assert "You supervise this trainee" in ursula_row


def test_it_leaves_drafts_out_of_the_queue(client, tess, review, ali):
    from accreditation.services.applications import application_save_draft

    make_ready(tess, review)
    draft = application_save_draft(trainee=tess, reflective_statement="Draft")
    client.force_login(ali)

    html = client.get(reverse("accreditation:assessment_queue")).content.decode()
    assert "Tess Trainee" not in html
    portfolio = reverse("accreditation:assessment_portfolio", args=[draft.pk])
    assert client.get(portfolio).status_code == 404


def test_it_shows_the_whole_portfolio(client, tess, review, ali, sam):
    enrolment = make_ready(tess, review)
    progress = ModuleProgress.objects.filter(enrolment=enrolment).first()
    ReflectionAnswer.objects.create(
        progress=progress, block_id="b1", answer="I noticed the handover gaps."
    )
    from accreditation.models import Evidence, SignOff

    first = stage(review, 1)
    Evidence.objects.create(
        stage=first, kind="note", title="Scope agreed", note="Research questions", uploaded_by=tess
    )
    SignOff.objects.create(
        stage=first,
        by=sam,
        decision="approved",
        from_status="submitted",
        to_status="approved",
        comment="Clear scope.",
    )
    application = submit(tess)
    client.force_login(ali)

    html = client.get(
        reverse("accreditation:assessment_portfolio", args=[application.pk])
    ).content.decode()

    for expected in (
        "Module 1",
        "Completed",
        "I noticed the handover gaps.",
        "Preparation",
        "Report",
        "Scope agreed",
        "Approved by Sam Supervisor",
        "Clear scope.",
        "Group supervision",
        "Individual supervision (report writing)",
        "Working as a lead reviewer taught me",
        "Record the decision",
    ):
        assert expected in html, expected


def test_it_records_a_decision_from_the_form(client, tess, review, ali):
    make_ready(tess, review)
    application = submit(tess)
    client.force_login(ali)
    url = reverse("accreditation:assessment_decide", args=[application.pk])

    missing = client.post(
        url,
        {
            "outcome": "referred",
            "reasons": "Gaps",
            **criteria_form(application, not_met=1, comment=""),
        },
    )
    assert missing.status_code == 400
    assert "For each criterion not yet met, say what must be done" in missing.content.decode()

    response = client.post(
        url,
        {
            "outcome": "approved",
            "reasons": "Excellent systems analysis.",
            "required_actions": "",
            **criteria_form(application),
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == AccreditationApplication.Status.APPROVED
    assert Decision.objects.get(application=application).reasons == "Excellent systems analysis."
    assert Certificate.objects.filter(application=application).exists()

    again = client.post(url, {"outcome": "declined", "reasons": "Changed my mind"})
    assert again.status_code == 400
    assert "Only a submitted application can be decided" in again.content.decode()
    assert Decision.objects.filter(application=application).count() == 1


def test_it_refuses_the_supervisor_as_assessor_on_the_page(client, tess, review, sam):
    from django.contrib.auth.models import Group

    from learning_platform.accounts.roles import Role

    sam.groups.add(Group.objects.get(name=Role.ASSESSOR))
    make_ready(tess, review)
    application = submit(tess)
    client.force_login(sam)

    page = client.get(reverse("accreditation:assessment_portfolio", args=[application.pk]))
    html = page.content.decode()
    assert "You supervise this trainee – another assessor must decide." in html
    assert "Record the decision" not in html

    response = client.post(
        reverse("accreditation:assessment_decide", args=[application.pk]),
        {"outcome": "approved", "reasons": "Fine"},
    )
    assert response.status_code == 400
    assert "another assessor must decide on their application" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "submitted"


def test_it_suspends_and_revokes_from_the_certificate_page(client, tess, review, ali):
    from .award_builders import approve

    make_ready(tess, review)
    certificate = approve(submit(tess), ali)
    client.force_login(ali)
    url = reverse("accreditation:certificate_manage", args=[certificate.pk])

    assert client.post(url, {"action": "revoke", "reason": ""}).status_code == 400
    client.post(url, {"action": "suspend", "reason": "Complaint received"})
    certificate.refresh_from_db()
    assert certificate.status == "suspended"
    client.post(url, {"action": "revoke", "reason": "Upheld"})
    certificate.refresh_from_db()
    assert certificate.status == "revoked"
    html = client.get(url).content.decode()
    assert "Revocation is final." in html and "Upheld" in html


# The portfolio: the application, its modules and reflections, the stages with their evidence
# and sign-offs, the episodes with their factors and levels, the findings with their categories,
# episodes and issues, the supervision log, the decisions and the certificate; the conversations
# the episodes rest on; the review team, case group, family involvement, conversations and
# meetings (six queries more than before those records; who each conversation or meeting was
# with is read only when there is one, see test_conduct_pages).
# Two more with the scheme's criteria for the decision form and the supervisor's latest
# recommendation (the decisions' judgements come with them in one more, once there are any).
PORTFOLIO_QUERIES = 34
# The queue: two more than before renewal (the renewals waiting, and those recently decided),
# and one counting the applications waiting, for the pages.
QUEUE_QUERIES = 14


def _add_analysis(review, n: int) -> None:
    """Episodes with factors and findings with issues, written straight into an approved review
    (its stages are signed off, so the services would rightly refuse)."""
    from accreditation.models import (
        ContributoryFactor,
        Finding,
        FindingCategory,
        IssueForBoard,
        KeyPracticeEpisode,
    )

    from .factories import categories

    start = KeyPracticeEpisode.objects.filter(review=review).count()
    for i in range(start + 1, start + n + 1):
        episode = KeyPracticeEpisode.objects.create(
            review=review, title=f"E{i}", what_happened="x", assessment="good", sort_order=i
        )
        ContributoryFactor.objects.bulk_create(
            ContributoryFactor(episode=episode, category=category, description="Because.")
            for category in categories()[:3]
        )
        finding = Finding.objects.create(
            review=review, title=f"F{i}", category=FindingCategory.objects.first(), in_this_case="x"
        )
        finding.episodes.add(episode)
        IssueForBoard.objects.create(finding=finding, text="Why?", sort_order=1)


def test_it_runs_a_fixed_number_of_queries_for_the_queue_and_portfolio(
    client, sam, ali, django_assert_num_queries
):
    applications = _submitted_by(2, sam)
    client.force_login(ali)
    queue = reverse("accreditation:assessment_queue")
    portfolio = reverse("accreditation:assessment_portfolio", args=[applications[0].pk])
    client.get(queue)  # the first request after signing in also touches the session
    _add_analysis(applications[0].review, 1)
    with django_assert_num_queries(QUEUE_QUERIES):
        assert len(client.get(queue).context["queue"]) == 2
    with django_assert_num_queries(PORTFOLIO_QUERIES):
        sessions_before = len(client.get(portfolio).context["portfolio"].supervision)

    _submitted_by(
        4, make_assessor("Other Sup", "other-sup@example.org", also_supervisor=True), start=2
    )
    application = applications[0]
    for review_stage in application.review.stages.all():
        Evidence.objects.bulk_create(
            Evidence(stage=review_stage, kind="note", title=f"Note {i}", note="x", uploaded_by=sam)
            for i in range(10)
        )
    log_supervision(application.trainee, sam, group=20, individual=5)
    _add_analysis(application.review, 8)
    client.get(queue)  # their courses were published, so the site menu is read again once
    with django_assert_num_queries(QUEUE_QUERIES):
        assert len(client.get(queue).context["queue"]) == 6
    with django_assert_num_queries(PORTFOLIO_QUERIES):
        response = client.get(portfolio)
    portfolio_shown = response.context["portfolio"]
    assert (len(portfolio_shown.episodes), len(portfolio_shown.findings)) == (9, 9)
    assert sum(len(s.evidence.all()) for s in portfolio_shown.stages) == 10 * len(
        portfolio_shown.stages
    )
    assert len(portfolio_shown.supervision) == sessions_before + 25


def test_it_keeps_a_referral_in_recently_decided_after_the_resubmission(client, tess, review, ali):
    from accreditation.services import applications as services

    from .award_builders import STATEMENT

    make_ready(tess, review)
    application = submit(tess)
    services.application_refer(
        application=application,
        answers=first_not_met(application),
        assessor=ali,
        reasons="The patterns are thin.",
        required_actions="Link each pattern to its episodes.",
    )
    services.application_save_draft(trainee=tess, reflective_statement=STATEMENT + " More.")
    services.application_resubmit(application=application, trainee=tess)
    client.force_login(ali)

    html = client.get(reverse("accreditation:assessment_queue")).content.decode()

    decided = html[html.index("<h2>Recently decided</h2>") :]
    assert "Nothing decided yet." not in decided
    assert "Tess Trainee</a>: Referred back on" in decided
    assert "by Ali Assessor (resubmitted since)" in decided


def test_it_says_when_an_application_was_submitted_once(client, tess, review, ali):
    make_ready(tess, review)
    application = submit(tess)
    client.force_login(ali)

    html = client.get(
        reverse("accreditation:assessment_portfolio", args=[application.pk])
    ).content.decode()

    submitted = f"{application.submitted_at:%-d %B %Y}"
    assert f">Submitted on {submitted}</dd>" in html
    assert "Submitted, submitted" not in html
