"""One way of writing a date everywhere: "3 December 2026", never "02 Dec 2026" or "03/12/2026".

The main flows' pages are rendered for the people who use them (trainee, supervisor, assessor,
programme staff, a member of the public checking a certificate), and the emails those flows
sent, and every date in them is checked.
"""

import html
import re

from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

import pytest

from accreditation.models import Certificate, SupervisionSession
from courses.models import Enrolment, TrainingDay
from tests.courses.factories import TrainingDayFactory

pytestmark = pytest.mark.django_db

_MONTHS = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
# "02 Dec 2026", "2 Dec 2026", "Dec 2, 2026" and "03/12/2026" in running text.
SHORT_DATE = re.compile(
    rf"\b\d{{1,2}} (?:{_MONTHS})\.? \d{{4}}\b"
    rf"|\b(?:{_MONTHS})\.? \d{{1,2}},? \d{{4}}\b"
    r"|\b\d{1,2}/\d{1,2}/\d{2,4}\b"
)
# Dates inside attributes (datetime="…", value="…") are for machines, not for reading.
_ATTRIBUTE = re.compile(r'\s[\w-]+="[^"]*"')


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(_ATTRIBUTE.sub("", response.content.decode()))


def _pages(objects):
    stage, cohort = objects["stage"], objects["cohort"]
    day = TrainingDay.objects.filter(cohort_id=cohort).first()
    pages = {
        "tess": [
            reverse("courses:my_learning"),
            reverse("courses:cohort_detail", args=[cohort]),
            reverse("accreditation:stage_detail", args=[stage]),
            reverse("accreditation:application"),
            reverse("accreditation:my_certificates"),
            reverse("accreditation:my_supervision"),
            reverse("notifications:list"),
        ],
        "sam": [
            reverse("accreditation:supervisor_queue"),
            reverse("accreditation:supervision_log"),
            reverse("accreditation:session_detail", args=[objects["session"]]),
            reverse("accreditation:review_detail", args=[objects["review"]]),
            reverse("courses:supervisor_home"),
        ],
        "ali": [
            reverse("accreditation:assessment_queue"),
            reverse("accreditation:assessment_portfolio", args=[objects["application"]]),
            reverse("accreditation:assessment_certificates"),
            reverse("accreditation:certificate_manage", args=[objects["certificate"]]),
        ],
        "ada": [
            reverse("courses:cohort_list"),
            reverse("courses:cohort_detail", args=[cohort]),
            reverse("courses:cohort_grid", args=[cohort]),
            reverse("courses:enrolment_status", args=[_tess_enrolment(objects)]),
            reverse("bulk_issues:index"),
            reverse("bulk_issues:detail", args=[objects["bulk"]]),
            reverse("accreditation:dashboard"),
        ],
        "anonymous": [reverse("certificate_verify_code", args=[objects["code"]])],
    }
    if day:
        pages["ada"].append(reverse("courses:attendance_register", args=[cohort, day.pk]))
    return pages


def _tess_enrolment(objects) -> int:
    return Enrolment.objects.get(cohort_id=objects["cohort"], user__email="tess@example.org").pk


def test_it_writes_every_date_on_the_main_pages_in_full(
    client, accreditation_world, tess, sam, ali, ada
):
    world = accreditation_world
    cohort_day = TrainingDayFactory(cohort_id=world["cohort"], date=timezone.localdate())
    people = {"tess": tess, "sam": sam, "ali": ali, "ada": ada}
    seen = {}

    for persona, urls in _pages(world).items():
        client.logout()
        if persona in people:
            client.force_login(people[persona])
        for url in urls:
            seen[f"{persona} {url}"] = _text(client.get(url))

    wrong = {page: SHORT_DATE.findall(text) for page, text in seen.items()}
    assert {page: found for page, found in wrong.items() if found} == {}
    # The same dates are there, written in full.
    session = SupervisionSession.objects.get(pk=world["session"])
    certificate = Certificate.objects.get(pk=world["certificate"])
    assert date_format(session.date) in seen[f"sam {reverse('accreditation:supervision_log')}"]
    assert f"{session.date.day} {session.date:%B %Y}" == date_format(session.date)
    certificates = seen[f"ali {reverse('accreditation:assessment_certificates')}"]
    assert date_format(certificate.valid_until) in certificates
    cohorts = seen[f"ada {reverse('courses:cohort_list')}"]
    assert date_format(cohort_day.cohort.start_date) in cohorts
    # Things named by their date (a training day, a supervision session) are named the same way.
    assert str(cohort_day).endswith(f"({date_format(cohort_day.date)})")
    assert str(session).endswith(f"on {date_format(session.date)}")


def test_it_writes_dates_in_full_in_the_emails_it_sends(accreditation_world):
    assert mail.outbox, "the flows in the world send emails"
    for message in mail.outbox:
        bodies = [message.subject, message.body] + [
            content for content, _ in getattr(message, "alternatives", [])
        ]
        for body in bodies:
            assert not SHORT_DATE.findall(html.unescape(_ATTRIBUTE.sub("", body))), message.subject
