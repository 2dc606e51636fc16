"""The demo's accredited world: one person in each state a newcomer needs to see.

- Vic: a completed review, an approved application and a valid certificate, listed on the
  public register.
- Wren: Vic's review partner; her application was referred back, and she has resubmitted it,
  so it waits in Ali's assessment queue.
- Sid: accredited, then suspended while a complaint is looked into.
- Rex: accredited, then revoked.
- Rene: accredited nearly three years ago, so her certificate is inside its renewal window; her
  CPD log is full enough to renew.

Each history is played through the services at the dates it would have happened (the clock is
moved back for each step), so its audit entries, sign-offs, notifications and certificates are
exactly what real use makes. Every name, case and organisation is fictional.
"""

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from wagtail.log_actions import log

import time_machine

from courses.demo import complete_module
from courses.models import Cohort, CoursePage, Enrolment, ModulePage, TrainingDay
from courses.services.assignments import enrolment_assign
from courses.services.cohorts import attendance_record, enrolment_create, enrolment_transition
from learning_platform.accounts.demo import text_table
from learning_platform.accounts.models import Organisation, User
from notifications.models import Notification
from notifications.services import notification_mark_read

from .events import AccreditationEvent
from .models import (
    AccreditationApplication,
    AccreditationScheme,
    AssessmentCriterion,
    CaseGroupParticipant,
    Certificate,
    Conversation,
    CpdActivityType,
    FamilyInvolvement,
    FindingCategory,
    Region,
    ReviewMeeting,
    ReviewStage,
    ReviewType,
    SupervisedReview,
    SupervisionSession,
)
from .selectors.certificates import PublicStatus, certificate_public_status
from .selectors.renewal import renewal_window
from .services.applications import (
    application_approve,
    application_refer,
    application_resubmit,
    application_save_draft,
    application_submit,
)
from .services.certificates import add_years, certificate_revoke, certificate_suspend
from .services.clock import review_details_update
from .services.conduct import (
    conversation_create,
    family_create,
    meeting_create,
    participant_create,
    team_member_create,
)
from .services.cpd import cpd_entry_add
from .services.criteria import scheme_criteria
from .services.evidence import evidence_add_note
from .services.pdf import verification_url
from .services.recommendations import recommendation_record
from .services.register import register_profile_update
from .services.registers import episode_create, finding_create
from .services.reminders import certificate_expiry_warnings_send
from .services.reviews import default_scheme, review_create
from .services.stages import stage_approve, stage_submit
from .services.supervision import supervision_attendance_confirm, supervision_session_record

# When each step of a supervised review happens. Before the review starts (day 0): days. During
# it: fractions of its type's expected duration, so a focused review runs shorter than a full one
# and each is published on time. After its expected end: days.
COHORT_OPENED = -120
ENROLLED = -75
# How long a cohort runs from its first training day.
COHORT_DAYS = 330
TRAINING_DAYS = (
    (-65, "Day 1: systems thinking"),
    (-64, "Day 2: systems thinking in practice"),
    (-37, "Day 3: the analytic tools"),
    (-36, "Day 4: the analytic tools in practice"),
)
MODULES_FROM = -60
PEOPLE_RECORDED = 0.02
INTRODUCTORY_MEETING = 0.04
STAGE_SUBMITTED = (0.12, 0.38, 0.58, 0.76, 0.92)
CONVERSATIONS_HELD = (0.15, 0.35)
TEAM_MEETINGS = (0.07, 0.85)
JOINT_MEETINGS = (0.5, 0.8)
GROUP_SUPERVISION = (0.1, 0.3, 0.5, 0.7)
INDIVIDUAL_SUPERVISION = 0.85
BOARD_AGREED = 0.95
PUBLISHED = 0.97
# Days after the review's expected end.
RECOMMENDED = 5
APPLIED = 12
APPROVED = 35

STAGE_NOTES = (
    (
        "Scope and research questions",
        "Agreed with the commissioning board: how did agencies understand and respond to the "
        "risks in this case, and what helped or hindered them?",
    ),
    (
        "Conversation log",
        "One-to-one conversations held with every member of the case group; each account "
        "checked with the person afterwards.",
    ),
    (
        "Analysis notes",
        "Key practice episodes appraised with the review team; contributory factors agreed "
        "at the second joint meeting with the case group.",
    ),
    (
        "Findings workshop",
        "Findings prioritised with the review team by how far they reach beyond this case.",
    ),
    (
        "Final report",
        "Report agreed by the case group and accepted by the board, with its responses to the "
        "issues raised.",
    ),
)

STATEMENT = (
    "Before this review I thought of a case review as a search for the moment when someone "
    "should have acted differently. Leading {case} with {partner} changed that. The one-to-one "
    "conversations were the turning point: when practitioners described what they knew at the "
    "time, what pressures they were under and which tools they had to hand, decisions that look "
    "careless in hindsight made sense in their local context. Holding hindsight back was harder "
    "than I expected, and supervision with {supervisor} helped me notice when I slipped into "
    "judging outcomes rather than understanding practice.\n\n"
    "Organising the data into key practice episodes taught me to separate what happened from "
    "why it made sense, and to test every appraisal against the records and the case group's "
    "view. Where the case group disagreed with our first account we went back to the "
    "conversations, and the episode we rewrote became one of our strongest. The contributory "
    "factors showed the same conditions of work and inter-agency habits recurring across "
    "agencies, and that is what led us from single episodes to findings about the system.\n\n"
    "Writing the findings was the most demanding part. Each had to show how we knew it was "
    "underlying rather than particular to this family, and what it means for the reliability "
    "of the wider safeguarding system. Framing issues for the board, rather than "
    "recommendations, kept the ownership of solutions with the partnership, and the board's "
    "responses showed that they recognised the patterns in their own services.\n\n"
    "I have learnt to plan a review around the people who will give their time to it: "
    "preparing the case group carefully, keeping the review team engaged between meetings, "
    "and sharing drafts early enough for practitioners to correct us. I would now feel "
    "confident leading a review of this kind with an accredited partner, and I want to keep "
    "developing my facilitation of joint meetings where views differ."
)


@dataclass(frozen=True)
class Holder:
    """One accredited (or applying) person of a story."""

    key: str
    regions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Story:
    """A supervised review, its trainee and partner, and what happened after its approval."""

    case_reference: str
    review_type: str
    commissioned_by: str
    trainee: Holder
    partner: Holder | None
    # The day the assessor approves the trainee's application, in days from today; None: three
    # years before a day inside the renewal window, so the certificate is up for renewal now.
    approved_in: int | None
    # The cohort's name, before the year its training starts.
    cohort: str
    accredited_partner: str = ""
    # "children" or "adults": who the review team and case group are.
    safeguarding: str = "children"
    # The partner's application is referred back, and resubmitted a few days ago.
    partner_referred: bool = False
    episode: str = ""
    finding: str = ""


STORIES = (
    Story(
        case_reference="Child F (demo)",
        review_type="full",
        commissioned_by="Thameside Safeguarding Children Partnership",
        trainee=Holder("rene", regions=("North West", "Yorkshire and the Humber")),
        partner=Holder("rex", regions=("London",)),
        approved_in=None,
        cohort="Thames boards",
        episode="Closing the referral after one home visit",
        finding="A single reassuring visit outweighs a history of concerns",
    ),
    Story(
        case_reference="Family S (demo)",
        review_type="mid_range",
        commissioned_by="Riverside Safeguarding Children Partnership",
        trainee=Holder("vic", regions=("West Midlands", "East Midlands")),
        partner=Holder("wren"),
        partner_referred=True,
        approved_in=-150,
        cohort="Midlands boards",
        episode="The strategy discussion held without health",
        finding="Strategy discussions are arranged around who can be reached that day",
    ),
    Story(
        case_reference="Adult D (demo)",
        review_type="focused",
        commissioned_by="Northshire Safeguarding Adults Board",
        trainee=Holder("sid", regions=("North West",)),
        partner=None,
        accredited_partner="rene",
        safeguarding="adults",
        approved_in=-120,
        cohort="Northern boards",
        episode="The carer's assessment that was never offered",
        finding="Carers' own needs are assessed only when they ask",
    ),
)

DIRECT = CaseGroupParticipant.Involvement.DIRECT
MANAGER = CaseGroupParticipant.Involvement.MANAGER
# Who takes part in a review, by the safeguarding it is about: the review team (role, agency),
# the case group (role, agency, involvement) and the family member involved.
PEOPLE = {
    "children": {
        "team": [
            ("Head of service", "Children's social care"),
            ("Detective inspector", "Police"),
            ("Designated nurse for safeguarding", "Integrated care board"),
            ("Head of inclusion", "Education"),
        ],
        "group": [
            ("Social worker", "Children's social care", DIRECT),
            ("Team manager", "Children's social care", MANAGER),
            ("Health visitor", "Health visiting", DIRECT),
            ("Police constable", "Police", DIRECT),
            ("Class teacher", "Primary school", DIRECT),
        ],
        "family": ("Mother", "A home visit by both lead reviewers."),
    },
    "adults": {
        "team": [
            ("Head of adult safeguarding", "Adult social care"),
            ("Detective inspector", "Police"),
            ("Named nurse for safeguarding adults", "Integrated care board"),
            ("Housing services manager", "Housing"),
        ],
        "group": [
            ("Social worker", "Adult social care", DIRECT),
            ("Team manager", "Adult social care", MANAGER),
            ("District nurse", "Community health", DIRECT),
            ("GP", "Primary care", DIRECT),
            ("Housing officer", "Housing", DIRECT),
        ],
        "family": ("Daughter", "A conversation at her home: she was her father's main carer."),
    },
}

RENEWAL_WINDOW_DAYS_LEFT = 45
REX_REVOKED = -100
SID_SUSPENDED = -12
PARTNER_RESUBMITS = -4

# (days from today, title, hours, activity type, reflection)
RENE_CPD = (
    (
        -900,
        "Safeguarding adults board's annual conference",
        6,
        "Training received",
        "The self-neglect workshop gave me questions to ask in one-to-one conversations.",
    ),
    (
        -760,
        "Read the national panel's annual report",
        3,
        "Reading",
        "Its themes match ours: information shared but not understood.",
    ),
    (
        -450,
        "Facilitated a learning event on the Child F findings",
        4,
        "Training given",
        "Practitioners recognised the pattern at once; managers wanted a checklist instead.",
    ),
    (
        -200,
        "Co-led the review of Adult D",
        12,
        "Review led or co-led",
        "Co-leading with a trainee made me explain choices I now make without thinking.",
    ),
    (
        -120,
        "Peer supervision with two accredited reviewers",
        3,
        "Other",
        "We compared how we keep hindsight out of the appraisal of an episode.",
    ),
    (
        -75,
        "Systems thinking refresher day",
        6,
        "Training received",
        "A reminder to test each finding against how we know it is underlying.",
    ),
)


@contextmanager
def on_day(day: datetime.date, hour: int = 10) -> Iterator[None]:
    """Run the block as if it were `hour` o'clock on `day` (the clock keeps ticking)."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    with time_machine.travel(moment):
        yield


def spread(first: float, last: float, count: int) -> list[float]:
    """`count` points evenly from `first` to `last`."""
    if count <= 1:
        return [first][:count]
    step = (last - first) / (count - 1)
    return [first + step * index for index in range(count)]


@dataclass(frozen=True)
class Timeline:
    """A review's calendar: `at(0)` is the day it starts; a whole number is days from then, a
    fraction is that part of its type's expected duration; `days` moves the day on."""

    starts: datetime.date
    months: int

    def at(self, point: float, days: int = 0) -> datetime.date:
        offset = point if isinstance(point, int) else round(point * self.months * 30)
        return self.starts + timedelta(days=offset + days)

    def after(self, days: int) -> datetime.date:
        """Days after the review's expected end."""
        return self.at(self.months * 30, days)


@transaction.atomic
def seed_accredited_world(*, stdout, users: dict[str, User]) -> list[Certificate]:
    """Safe to run again: a story whose review exists is left as it is."""
    scheme = default_scheme()
    course = scheme.course if scheme else None
    if scheme is None or course is None:
        stdout.write("No accreditation scheme with a course: the accredited demo is skipped")
        return []
    today = timezone.localdate()
    world = _World(users=users, scheme=scheme, course=course, today=today)
    # Only what this run makes is read below: a database seeded before keeps its own state.
    first_new = (Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    played = False
    for story in STORIES:
        if SupervisedReview.objects.filter(case_reference=story.case_reference).exists():
            stdout.write(f"Supervised review {story.case_reference} already exists")
            continue
        world.play(story)
        played = True
        stdout.write(f"Played the history of {story.case_reference}")
    if played:
        read_old_notifications(users=users, today=today, first_new=first_new)
    return demo_certificates(users=users)


def read_old_notifications(*, users: dict[str, User], today: datetime.date, first_new: int) -> None:
    """People read their notifications as they come: each one the world made that is more than
    two weeks old is read the day after it arrived. An expiry warning is left unread: Rene has
    not acted on it yet."""
    cutoff = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
    old = (
        Notification.objects.filter(
            pk__gte=first_new,
            recipient__in=users.values(),
            read_at__isnull=True,
            created_at__lt=cutoff - timedelta(days=14),
        )
        .exclude(event=AccreditationEvent.CERTIFICATE_EXPIRY_WARNING)
        .select_related("recipient")
        .order_by("created_at", "pk")
    )
    for notification in old:
        with time_machine.travel(notification.created_at + timedelta(days=1)):
            notification_mark_read(notification=notification, user=notification.recipient)


def demo_certificates(*, users: dict[str, User]) -> list[Certificate]:
    """The demo holders' certificates, the current one of each, in the login table's order."""
    order = {user.pk: index for index, user in enumerate(users.values())}
    certificates = (
        Certificate.objects.filter(holder__in=users.values(), superseded_by__isnull=True)
        .select_related("holder", "scheme")
        .order_by("pk")
    )
    return sorted(certificates, key=lambda c: order[c.holder_id])


class Agenda:
    """A story's steps, each at its moment, played in date order (steps at the same moment in
    the order they were added). A step may read what an earlier one made from `made`."""

    def __init__(self):
        self.steps: list[tuple[datetime.date, int, int, Callable[[], object]]] = []
        self.made: dict = {}

    def add(self, day: datetime.date, step: Callable[[], object], *, hour: int = 10) -> None:
        self.steps.append((day, hour, len(self.steps), step))

    def play(self) -> None:
        for day, hour, _order, step in sorted(self.steps, key=lambda s: s[:3]):
            with on_day(day, hour):
                step()


class _World:
    def __init__(self, *, users, scheme: AccreditationScheme, course: CoursePage, today):
        self.users = users
        self.scheme = scheme
        self.course = course
        self.today = today
        self.ada, self.sam, self.ali = users["ada"], users["sam"], users["ali"]

    def day(self, offset: int) -> datetime.date:
        return self.today + timedelta(days=offset)

    def approval_day(self, story: Story) -> datetime.date:
        if story.approved_in is None:
            # Well inside the window, however long the scheme makes it.
            window = self.scheme.renewal_window_days
            end = self.day(min(RENEWAL_WINDOW_DAYS_LEFT, max(window // 2, 1)))
            return add_years(end, -self.scheme.validity_years)
        return self.day(story.approved_in)

    # A whole story -------------------------------------------------------------------------

    def play(self, story: Story) -> None:
        approved = self.approval_day(story)
        review_type = ReviewType.objects.get(code=story.review_type)
        timeline = Timeline(
            starts=approved - timedelta(days=review_type.expected_duration_months * 30 + APPROVED),
            months=review_type.expected_duration_months,
        )
        agenda = Agenda()
        self.train(agenda, story, timeline)
        self.review(agenda, story, timeline, review_type)
        self.accredit(agenda, story, timeline, approved)
        self.aftermath(agenda, story)
        agenda.play()

    def people(self, story: Story) -> tuple[User, User | None, User | None]:
        """The trainee, their trainee partner (or None), and their accredited partner (or None)."""
        partner = self.users[story.partner.key] if story.partner else None
        return self.users[story.trainee.key], partner, self.users.get(story.accredited_partner)

    def train(self, agenda: Agenda, story: Story, timeline: Timeline) -> None:
        """The cohort, its enrolments, its training days' registers and every module."""
        trainee, partner, _accredited = self.people(story)
        learners = [trainee] + ([partner] if partner else [])
        at, made = timeline.at, agenda.made
        first_day = at(TRAINING_DAYS[0][0])
        cohort_name = f"{story.cohort} {first_day.year}"
        ends = first_day + timedelta(days=COHORT_DAYS)

        def open_cohort():
            made["cohort"] = self.cohort(cohort_name, starts=first_day, ends=ends)

        def enrol():
            made["enrolments"] = [
                enrolment_create(
                    user=person, cohort=made["cohort"], by=self.ada, supervisor=self.sam
                )
                for person in learners
            ]
            if partner is not None:
                enrolment_assign(
                    enrolment=made["enrolments"][0],
                    supervisor=self.sam,
                    review_partner=partner,
                    by=self.ada,
                )

        agenda.add(at(COHORT_OPENED), open_cohort)
        agenda.add(at(ENROLLED), enrol)
        for offset, title in TRAINING_DAYS:
            agenda.add(at(offset), partial(self.take_register, made, title), hour=17)
        modules = list(ModulePage.objects.child_of(self.course).live().order_by("path"))
        for index in range(len(learners)):
            for number, module in enumerate(modules):
                day = at(MODULES_FROM + index + 7 * number)
                step = partial(self.complete_module, made, index, module)
                agenda.add(day, step, hour=20)

        def close_cohort():
            for enrolment in made["enrolments"]:
                enrolment_transition(
                    enrolment=enrolment, to_status=Enrolment.Status.COMPLETED, user=self.ada
                )
            cohort = made["cohort"]
            cohort.status = Cohort.Status.COMPLETED
            cohort.save(update_fields=["status"])
            log(instance=cohort, action="wagtail.edit", user=self.ada)

        if ends < self.today:
            agenda.add(ends, close_cohort, hour=17)

    def review(
        self, agenda: Agenda, story: Story, timeline: Timeline, review_type: ReviewType
    ) -> None:
        """The review, run and written stage by stage, supervised and published."""
        trainee, partner, accredited = self.people(story)
        learners = [trainee] + ([partner] if partner else [])
        leads = learners + ([accredited] if accredited else [])
        at, made = timeline.at, agenda.made

        def create():
            made["review"] = review_create(
                trainee=trainee,
                partner=partner or accredited,
                partner_is_accredited=accredited is not None,
                supervisor=self.sam,
                commissioning_organisation=Organisation.objects.get(name=story.commissioned_by),
                case_reference=story.case_reference,
                review_type=review_type,
                start_date=at(0),
                scheme=self.scheme,
            )

        agenda.add(at(0), create, hour=9)
        self.run_the_review(agenda, story, timeline, review_type, leads=leads)
        self.write_the_review(agenda, story, timeline, writers=leads)
        self.supervise(agenda, timeline, learners)

        def publish():
            # The board agreed the report and published it: the review now counts as led (or
            # co-led) on the register and towards renewal.
            slug = story.case_reference.removesuffix(" (demo)").lower().replace(" ", "-")
            review_details_update(
                review=made["review"],
                user=trainee,
                board_agreed_on=at(BOARD_AGREED),
                published_on=at(PUBLISHED),
                published_report_url=f"https://example.org/reviews/{slug}",
            )

        agenda.add(at(PUBLISHED), publish)

    def accredit(
        self, agenda: Agenda, story: Story, timeline: Timeline, approved: datetime.date
    ) -> None:
        """The supervisor's recommendation, the applications and the assessor's decisions; the
        holders' register profiles."""
        trainee, partner, accredited = self.people(story)
        learners = [trainee] + ([partner] if partner else [])
        made = agenda.made

        def recommend():
            for person in learners:
                recommendation_record(
                    review=made["review"],
                    trainee=person,
                    supervisor=self.sam,
                    ready=True,
                    statement=(
                        f"{person.full_name.split()[0]} held the case group's trust throughout "
                        "and kept hindsight out of the analysis. Ready to lead reviews."
                    ),
                )

        def apply():
            made["applications"] = [
                self.apply(
                    person,
                    made["review"],
                    partner=(partner if person == trainee else trainee) or accredited,
                )
                for person in learners
            ]

        def decide():
            applications = made["applications"]
            made["certificates"] = {
                story.trainee.key: application_approve(
                    application=applications[0],
                    assessor=self.ali,
                    reasons="A careful, well-evidenced review; the statement shows real "
                    "reflection on local rationality.",
                    answers=self.answers(),
                )
            }
            if story.partner is None:
                return
            if story.partner_referred:
                application_refer(
                    application=applications[1],
                    assessor=self.ali,
                    reasons="The portfolio is strong, but the statement does not yet show how "
                    "the findings were prioritised.",
                    answers=self.answers(first_not_met=True),
                    required_actions="Add a paragraph on how you and "
                    f"{trainee.full_name.split()[0]} prioritised the findings, and what the "
                    "board did with the issues you raised.",
                )
            else:
                made["certificates"][story.partner.key] = application_approve(
                    application=applications[1],
                    assessor=self.ali,
                    reasons="A thorough review, well supervised.",
                    answers=self.answers(),
                )

        agenda.add(timeline.after(RECOMMENDED), recommend)
        agenda.add(timeline.after(APPLIED), apply)
        agenda.add(approved, decide, hour=14)
        for holder in (story.trainee, story.partner):
            if holder is not None and holder.regions:
                step = partial(self.list_on_register, holder)
                agenda.add(approved + timedelta(days=3), step, hour=19)

    # Steps -----------------------------------------------------------------------------------

    def cohort(self, name: str, *, starts: datetime.date, ends: datetime.date) -> Cohort:
        """The story's cohort, made as the programme team makes one in the admin."""
        cohort = Cohort.objects.create(
            name=name,
            course=self.course,
            funding_strand="DfE VCS grant",
            start_date=starts,
            end_date=ends,
            capacity=16,
            status=Cohort.Status.IN_PROGRESS,
        )
        cohort.supervisors.add(self.sam)
        for offset, title in TRAINING_DAYS:
            TrainingDay.objects.create(
                cohort=cohort,
                title=title,
                date=starts + timedelta(days=offset - TRAINING_DAYS[0][0]),
                venue="SCIE London",
                starts_at=datetime.time(9, 30),
                ends_at=datetime.time(16, 30),
            )
        log(instance=cohort, action="wagtail.create", user=self.ada)
        return cohort

    def take_register(self, made: dict, title: str) -> None:
        day = TrainingDay.objects.get(cohort=made["cohort"], title=title)
        present = [enrolment.pk for enrolment in made["enrolments"]]
        attendance_record(training_day=day, present_enrolment_ids=present, user=self.ada)

    def complete_module(self, made: dict, index: int, module: ModulePage) -> None:
        complete_module(
            enrolment=made["enrolments"][index],
            module=module,
            reflection="In my own agency, the same pressure shaped how we read a family's "
            "progress: one good week counted for more than it should.",
        )

    def run_the_review(
        self, agenda: Agenda, story: Story, timeline: Timeline, review_type, *, leads
    ) -> None:
        """The review team, the case group and the family; a one-to-one conversation with each
        member of the case group (where the review's type holds them); the meetings its type
        expects."""
        people = PEOPLE[story.safeguarding]
        recorder = leads[0]
        at, made = timeline.at, agenda.made

        def record_people():
            review = made["review"]
            made["team"] = [
                team_member_create(review=review, user=recorder, name="", role=role, agency=agency)
                for role, agency in people["team"]
            ]
            made["group"] = [
                participant_create(
                    review=review, user=recorder, role=role, agency=agency, involvement=involvement
                )
                for role, agency, involvement in people["group"]
            ]
            relationship, how = people["family"]
            family_create(
                review=review,
                user=recorder,
                relationship=relationship,
                status=FamilyInvolvement.Status.TOOK_PART,
                how=how,
            )
            made["conversations"] = []

        agenda.add(at(PEOPLE_RECORDED), record_people)

        def converse(index: int, day: datetime.date):
            lead = leads[index % len(leads)]
            made["conversations"].append(
                conversation_create(
                    review=made["review"],
                    user=lead,
                    date=day,
                    lead_reviewer=lead,
                    participants=[made["group"][index]],
                    status=Conversation.Status.HELD,
                    notes="What they knew at the time, and what made sense to them then.",
                )
            )

        if review_type.has_conversations:
            count = len(people["group"])
            for index, point in enumerate(spread(*CONVERSATIONS_HELD, count)):
                agenda.add(at(point), partial(converse, index, at(point)), hour=11)

        def meet(kind: str, day: datetime.date, with_group: bool):
            meeting_create(
                review=made["review"],
                user=recorder,
                kind=kind,
                date=day,
                status=ReviewMeeting.Status.HELD,
                team_attendees=made["team"],
                group_attendees=made["group"] if with_group else [],
            )

        meetings = [(INTRODUCTORY_MEETING, ReviewMeeting.Kind.INTRODUCTORY, True)]
        meetings += [
            (point, ReviewMeeting.Kind.REVIEW_TEAM, False)
            for point in spread(*TEAM_MEETINGS, review_type.expected_team_meetings)
        ]
        meetings += [
            (point, ReviewMeeting.Kind.JOINT, True)
            for point in spread(*JOINT_MEETINGS, review_type.expected_joint_meetings)
        ]
        for point, kind, with_group in meetings:
            agenda.add(at(point), partial(meet, kind, at(point), with_group), hour=14)

    def write_the_review(
        self, agenda: Agenda, story: Story, timeline: Timeline, *, writers
    ) -> None:
        """Each stage evidenced and its register written, submitted and signed off by Sam."""
        trainee = self.users[story.trainee.key]
        at, made = timeline.at, agenda.made

        def stage(number: int) -> ReviewStage:
            return made["review"].stages.order_by("sort_order", "pk")[number - 1]

        def write(number: int, title: str, note: str):
            evidence_add_note(
                stage=stage(number),
                user=writers[(number - 1) % len(writers)],
                title=title,
                note=note,
            )
            if number == 3:
                made["episode"] = episode_create(
                    stage=stage(number),
                    user=trainee,
                    title=story.episode,
                    what_happened="The decision was taken on the information to hand that "
                    "day, by a practitioner carrying a full caseload.",
                    assessment="problematic",
                    assessment_explanation="Earlier concerns held by other agencies were "
                    "not brought into the decision.",
                    local_rationality="Each earlier concern had been closed as resolved, "
                    "and nothing in the record invited the practitioner to reopen them.",
                    data_sources="Conversations with the case group; agency records.",
                    case_group_view="agreed",
                    conversations=made["conversations"][:2],
                )
            if number == 4:
                finding_create(
                    stage=stage(number),
                    user=trainee,
                    title=story.finding,
                    category=FindingCategory.objects.order_by("sort_order", "pk").first(),
                    in_this_case="Shown in the key practice episode, and echoed in the "
                    "review team's own experience.",
                    how_we_know="Every agency on the review team recognised it in cases "
                    "of its own.",
                    system_reliability="Protection depends on who happens to be reachable, "
                    "not on the needs of the case.",
                    priority=1,
                    episodes=[made["episode"]],
                    issues_for_board=[
                        "How does the partnership know that the right agencies take part "
                        "in each decision?"
                    ],
                )

        def submit(number: int):
            stage_submit(stage=stage(number), user=trainee, comment="Ready for sign-off.")

        def approve(number: int):
            stage_approve(stage=stage(number), user=self.sam, comment="Signed off: well evidenced.")

        for number, (submitted, (title, note)) in enumerate(
            zip(STAGE_SUBMITTED, STAGE_NOTES, strict=True), start=1
        ):
            agenda.add(at(submitted, -5), partial(write, number, title, note))
            agenda.add(at(submitted), partial(submit, number), hour=17)
            agenda.add(at(submitted, 3), partial(approve, number), hour=16)

    def supervise(self, agenda: Agenda, timeline: Timeline, learners: list[User]) -> None:
        at, made = timeline.at, agenda.made

        def record(point: float, kind: str, attendees: list[User]):
            individual = kind == SupervisionSession.Kind.INDIVIDUAL
            session = supervision_session_record(
                supervisor=self.sam,
                kind=kind,
                date=at(point),
                duration_minutes=60 if individual else 120,
                attendees=attendees,
                notes="Structuring the findings chapter."
                if individual
                else f"Group supervision on {made['review'].case_reference}.",
                during_report_writing=individual,
            )
            made.setdefault("sessions", {})[(point, attendees[0].pk)] = session

        def confirm(point: float, person: User, first: User):
            session = made["sessions"][(point, first.pk)]
            supervision_attendance_confirm(session=session, trainee=person)

        for point in GROUP_SUPERVISION:
            group = SupervisionSession.Kind.GROUP
            agenda.add(at(point), partial(record, point, group, learners), hour=13)
            for person in learners:
                agenda.add(at(point, 1), partial(confirm, point, person, learners[0]))
        for person in learners:
            point = INDIVIDUAL_SUPERVISION
            individual = SupervisionSession.Kind.INDIVIDUAL
            agenda.add(at(point), partial(record, point, individual, [person]), hour=15)
            agenda.add(at(point, 1), partial(confirm, point, person, person))

    def list_on_register(self, holder: Holder) -> None:
        register_profile_update(
            person=self.users[holder.key],
            show_organisation=True,
            regions=Region.objects.filter(name__in=holder.regions),
            contact_enabled=True,
            listed=True,
        )

    def apply(self, person: User, review: SupervisedReview, *, partner) -> AccreditationApplication:
        statement = STATEMENT.format(
            case=review.case_reference.removesuffix(" (demo)"),
            partner=partner.full_name.split()[0] if partner else "my partner",
            supervisor=self.sam.full_name.split()[0],
        )
        application = application_save_draft(trainee=person, reflective_statement=statement)
        return application_submit(application=application, trainee=person)

    def answers(self, *, first_not_met: bool = False) -> dict:
        """Every accreditation criterion judged met, or all but the first."""
        criteria = scheme_criteria(
            scheme=self.scheme, purpose=AssessmentCriterion.Purpose.ACCREDITATION
        )
        answers = {c.pk: (True, "Shown clearly in the portfolio.") for c in criteria}
        if first_not_met and criteria:
            answers[criteria[0].pk] = (False, "See the required actions.")
        return answers

    def aftermath(self, agenda: Agenda, story: Story) -> None:
        """What happened to each person after the decision."""
        made = agenda.made
        if story.partner_referred:
            agenda.add(self.day(PARTNER_RESUBMITS), partial(self.resubmit, made, story), hour=21)
        if story.partner and story.partner.key == "rex":
            agenda.add(self.day(REX_REVOKED), partial(self.revoke_rex, made), hour=11)
            for entry in RENE_CPD:
                agenda.add(self.day(entry[0]), partial(self.log_cpd, "rene", *entry), hour=18)
            # The daily sweep warned Rene as her certificate reached the first warning.
            thresholds = settings.CERTIFICATE_EXPIRY_WARNING_DAYS
            if thresholds:
                valid_until = add_years(self.approval_day(story), self.scheme.validity_years)
                warned_on = valid_until - timedelta(days=max(thresholds))
                if warned_on < self.today:
                    agenda.add(warned_on, certificate_expiry_warnings_send, hour=7)
        if story.trainee.key == "sid":
            agenda.add(self.day(SID_SUSPENDED), partial(self.suspend_sid, made), hour=11)

    def resubmit(self, made: dict, story: Story) -> None:
        person, application = self.users[story.partner.key], made["applications"][1]
        trainee = self.users[story.trainee.key].full_name.split()[0]
        application_save_draft(
            trainee=person,
            reflective_statement=application.reflective_statement
            + f"\n\n{trainee} and I prioritised the findings by how widely each reached across "
            "agencies and how much it shaped the family's experience. The board accepted both "
            "issues and asked the health partners to report back in six months.",
        )
        application_resubmit(application=application, trainee=person)

    def revoke_rex(self, made: dict) -> None:
        certificate_revoke(
            certificate=made["certificates"]["rex"],
            by=self.ali,
            reason="Revoked after his employer's conduct finding, which he did not appeal (a "
            "fictional demo record).",
        )

    def suspend_sid(self, made: dict) -> None:
        certificate_suspend(
            certificate=made["certificates"]["sid"],
            by=self.ali,
            reason="Suspended while a complaint about a published review is looked into (a "
            "fictional demo record).",
        )

    def log_cpd(self, key: str, days: int, title: str, hours: int, kind: str, reflection: str):
        # The seeded activity type, or the last one if an administrator renamed it.
        types = {t.name: t for t in CpdActivityType.objects.order_by("sort_order", "pk")}
        cpd_entry_add(
            person=self.users[key],
            date=self.day(days),
            activity_type=types.get(kind) or list(types.values())[-1],
            title=title,
            hours=hours,
            reflection=reflection,
        )


def certificate_table(certificates: list[Certificate]) -> str:
    """Each demo certificate's number, holder's surname, state and verification address, so a
    newcomer can try /verify/ straight away."""
    if not certificates:
        return ""
    today = timezone.localdate()
    rows = [("Number", "Surname", "State", "Verification address")]
    for certificate in certificates:
        standing = certificate_public_status(certificate=certificate, today=today)
        state = standing.label
        if standing == PublicStatus.VALID:
            state += f" until {date_format(certificate.valid_until)}"
            if renewal_window(certificate=certificate, today=today).is_open:
                state += ", renewal open"
        rows.append(
            (
                certificate.number,
                certificate.holder.full_name.split()[-1],
                state,
                verification_url(certificate),
            )
        )
    lines = [
        f"Demo certificates: check one at {settings.SITE_URL.rstrip('/')}/verify/ by its number "
        "and the holder's surname, or open its address",
        "",
        *text_table(rows),
    ]
    return "\n".join(lines)
