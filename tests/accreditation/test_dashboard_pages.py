import csv
import io
import re

from django.urls import reverse

from accreditation.models import ReviewStage
from courses.models import Enrolment
from tests.courses.factories import CohortFactory, build_course

from .award_builders import approve, complete_modules, enrol, make_ready, refer, submit
from .factories import SupervisedReviewFactory, make_trainee, stage

URL = "/accreditation/dashboard/"
# One of them lists the reviews near or past their target.
DASHBOARD_QUERIES = 19


def _cohort(name, strand, trainees, sam, ali, *, tag):
    """`trainees` new trainees: one accredited, one referred, one with two stages approved,
    one with modules done, and one withdrawn; any more are only enrolled."""
    cohort = CohortFactory(name=name, funding_strand=strand, course=build_course(modules=2))
    people = [make_trainee(f"{tag} {n}", f"{tag}{n}@example.org") for n in range(trainees)]
    for index, person in enumerate(people):
        if index == 0:
            make_ready(
                person, SupervisedReviewFactory(trainee=person, supervisor=sam), cohort=cohort
            )
            approve(submit(person), ali)
        elif index == 1:
            make_ready(
                person, SupervisedReviewFactory(trainee=person, supervisor=sam), cohort=cohort
            )
            refer(submit(person), ali, reasons="r", required_actions="a")
        elif index == 2:
            review = SupervisedReviewFactory(trainee=person, supervisor=sam)
            enrol(person, cohort=cohort)
            for number in (1, 2):
                ReviewStage.objects.filter(pk=stage(review, number).pk).update(status="approved")
        elif index == 3:
            complete_modules(enrol(person, cohort=cohort))
        elif index == 4:
            enrolment = enrol(person, cohort=cohort)
            Enrolment.objects.filter(pk=enrolment.pk).update(status=Enrolment.Status.WITHDRAWN)
        else:
            enrol(person, cohort=cohort)
    return cohort


def _row(response, label):
    dashboard = response.context["dashboard"]
    rows = dashboard.cohorts + dashboard.strands
    row = next(r for r in rows if r.label == label)
    return {column.label: value for column, value in dashboard.values(row)}


def test_it_counts_trainees_at_each_point_per_cohort_and_strand(client, ada, sam, ali):
    _cohort("London 2026", "DfE grant", 6, sam, ali, tag="lon")
    _cohort("Wales 2026", "DfE grant", 5, sam, ali, tag="wal")
    client.force_login(ada)

    response = client.get(URL)

    assert response.status_code == 200
    london = _row(response, "London 2026")
    assert london["Enrolled"] == 5
    assert london["Withdrawn"] == 1
    assert london["Modules complete"] == 3
    assert london["Stage 1: Preparation approved"] == 3
    assert london["Stage 3: Organising and analysing data approved"] == 2
    assert london["Applied"] == 2
    assert london["Referred back"] == 1
    assert london["Accredited"] == 1
    strand = _row(response, "DfE grant")
    assert strand["Enrolled"] == 9
    assert strand["Accredited"] == 2
    assert strand["Stage 2: Data collection approved"] == 6
    funnel = {
        step.label: step.value
        for step in response.context["dashboard"].funnel(
            next(r for r in response.context["dashboard"].cohorts if r.label == "London 2026")
        )
    }
    assert funnel == {
        "Enrolled": 5,
        "Modules complete": 3,
        "Supervised review started": 3,
        "All stages signed off": 2,
        "Applied": 2,
        "Accredited": 1,
    }


def _main(response) -> str:
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def test_it_draws_each_cohorts_way_to_accreditation_as_an_accessible_chart(client, ada, sam, ali):
    cohort = _cohort("London 2026", "DfE grant", 6, sam, ali, tag="lon")
    client.force_login(ada)

    main = _main(client.get(URL))

    # A real chart, drawn on the server: an SVG image with a name and a text alternative.
    assert "<progress" not in main
    chart = re.search(r'<svg class="funnel-chart".*?</svg>', main, re.S).group(0)
    chart_id = f"funnel-{cohort.pk}"
    assert 'role="img"' in chart
    assert f'aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc"' in chart
    assert f'<title id="{chart_id}-title">From enrolled to accredited: London 2026</title>' in chart
    assert (
        f'<desc id="{chart_id}-desc">Enrolled: 5; Modules complete: 3 (60%); '
        "Supervised review started: 3 (60%); All stages signed off: 2 (40%); "
        "Applied: 2 (40%); Accredited: 1 (20%).</desc>"
    ) in chart
    # Each bar is as long as its share of the trainees enrolled.
    widths = re.findall(r'class="funnel-chart__bar"[^>]*width="([\d.]+)"', chart)
    assert [float(width) for width in widths] == [300, 180, 180, 120, 120, 60]
    # The same figures in a table beside the chart.
    table = main[main.index("Trainees at each step: London 2026") :]
    rows = re.findall(r'<th scope="row">([^<]+)</th><td class="numeric">(\d+)</td>', table)
    assert rows[:6] == [
        ("Enrolled", "5"),
        ("Modules complete", "3"),
        ("Supervised review started", "3"),
        ("All stages signed off", "2"),
        ("Applied", "2"),
        ("Accredited", "1"),
    ]
    # The CSP allows no inline style or script.
    assert "style=" not in main and "<script" not in main


def test_it_escapes_a_cohorts_name_in_its_chart(client, ada, sam, ali):
    _cohort('<script>alert("x")</script> & Co', "", 5, sam, ali, tag="esc")
    client.force_login(ada)

    main = _main(client.get(URL))

    assert "<script" not in main
    assert (
        "From enrolled to accredited: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co"
        in main
    )


def test_it_says_so_when_a_cohort_has_nobody_enrolled(client, ada):
    CohortFactory(name="Empty 2027", course=build_course(modules=1))
    client.force_login(ada)

    main = _main(client.get(URL))

    assert "No trainees enrolled yet." in main
    assert "<svg" not in main


def test_it_exports_csv(client, ada, sam, ali):
    _cohort("=London 2026", "", 5, sam, ali, tag="lon")
    client.force_login(ada)

    response = client.get(reverse("accreditation:dashboard_csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.streaming
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header = rows[0]
    assert header[:4] == ["Group", "Name", "Funding strand", "Enrolled"]
    cohort_row = dict(zip(header, rows[1], strict=True))
    assert cohort_row["Name"] == "'=London 2026"  # never a formula in a spreadsheet
    assert cohort_row["Accredited"] == "1"
    assert rows[2][:2] == ["Funding strand", "No funding strand"]


def test_it_runs_the_same_queries_for_few_or_many_trainees(
    client, ada, sam, ali, django_assert_num_queries
):
    _cohort("Small", "A", 5, sam, ali, tag="small")
    client.force_login(ada)
    client.get(URL)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        assert client.get(URL).status_code == 200

    _cohort("Large", "B", 12, sam, ali, tag="large")
    _cohort("Larger", "B", 9, sam, ali, tag="larger")
    client.get(URL)  # their courses were published, so the site menu is read again once
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(URL)
    assert response.status_code == 200
