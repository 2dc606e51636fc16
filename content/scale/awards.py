"""After the reviews: the supervisors' recommendations, the applications with the assessors'
decisions and judgements, the certificates (numbered from the year's sequence, as issuing them
one by one would number them), their status history, the renewals that superseded some, and the
register profiles of the holders who chose to be listed."""

import datetime
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from accreditation.demo_world import STATEMENT
from accreditation.models import (
    AccreditationApplication,
    AccreditationScheme,
    AssessmentCriterion,
    Certificate,
    CertificateEvent,
    CertificateNumberSequence,
    CriterionJudgement,
    Decision,
    Region,
    RegisterProfile,
    RenewalApplication,
    RenewalDecision,
    RenewalReview,
    SupervisorRecommendation,
)
from accreditation.services.certificates import add_years
from learning_platform.accounts.models import User

from .base import World, insert
from .plan import REVOKED, SUPERSEDED, SUSPENDED, VALID
from .timeline import Outcome, ReviewPlan

AppStatus = AccreditationApplication.Status
CertStatus = Certificate.Status
Purpose = AssessmentCriterion.Purpose
LISTED = 0.7
REASONS = {
    Decision.Outcome.APPROVED: "The portfolio meets every criterion; the reflective statement "
    "shows a clear grasp of the systems approach.",
    Decision.Outcome.REFERRED: "Strong work overall, but one criterion is not yet met.",
    Decision.Outcome.DECLINED: "The portfolio does not yet show the analysis the scheme asks for.",
}
REQUIRED_ACTIONS = "Show how the findings rest on evidence from beyond the case."
STATUS_REASONS = {
    CertStatus.SUSPENDED: "Suspended while a complaint about a published review is looked into.",
    CertStatus.REVOKED: "Revoked after a conduct finding by the holder's employer.",
}
WITHDRAWAL_REASONS = (
    "I have changed role and cannot lead reviews for now.",
    "I will apply again after my next review.",
)


@dataclass
class Made:
    """What the awards part made, for the notifications after it."""

    recommendations: list[SupervisorRecommendation] = field(default_factory=list)
    applications: list[AccreditationApplication] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    certificates: list[Certificate] = field(default_factory=list)
    events: list[CertificateEvent] = field(default_factory=list)
    renewals: list[RenewalApplication] = field(default_factory=list)
    renewal_decisions: list[RenewalDecision] = field(default_factory=list)


def awards_create(
    world: World,
    *,
    plans: list[ReviewPlan],
    scheme: AccreditationScheme,
    assessors: list[User],
) -> Made:
    made = Made()
    criteria = {
        purpose: list(
            AssessmentCriterion.objects.filter(scheme=scheme, purpose=purpose).order_by(
                "sort_order", "pk"
            )
        )
        for purpose in Purpose.values
    }
    judgements: list[CriterionJudgement] = []
    certified: list[tuple[AccreditationApplication, Outcome, Decision]] = []
    for plan in plans:
        if not plan.complete:
            continue
        people = ((plan.lead, plan.partner), (plan.partner, plan.lead))
        for (person, partner), outcome in zip(people, plan.outcomes, strict=True):
            made.recommendations += _recommendation(world, plan, person)
            if not outcome.status:
                continue
            application, decisions = _application(world, plan, person, partner, outcome, assessors)
            made.applications.append(application)
            made.decisions += decisions
            if outcome.status == AppStatus.APPROVED:
                certified.append((application, outcome, decisions[-1]))
    insert(SupervisorRecommendation, made.recommendations)
    insert(AccreditationApplication, made.applications)
    insert(Decision, made.decisions)
    for decision in made.decisions:
        judgements += _judgements(criteria[Purpose.ACCREDITATION], decision, decision.outcome)
    _certificates_create(world, made, certified, scheme=scheme, assessors=assessors)
    for decision in made.renewal_decisions:
        judgements += _judgements(criteria[Purpose.RENEWAL], decision, decision.outcome)
    insert(CriterionJudgement, judgements)
    _register_profiles_create(world, made.certificates)
    return made


def _recommendation(world: World, plan: ReviewPlan, person) -> list:
    day = plan.finish + timedelta(days=5)
    if day > world.days_ago(1):
        return []
    return [
        SupervisorRecommendation(
            review=plan.review,
            trainee=person,
            supervisor=plan.supervisor_user,
            ready=True,
            statement="Ready: led the analysis with care and owned the findings with the board.",
            created_at=world.moment(day, 16),
        )
    ]


def _application(world: World, plan: ReviewPlan, person, partner, outcome: Outcome, assessors):
    """The application and the decisions on it, with the days each step happened."""
    rng, day = world.rng, outcome.day
    status = outcome.status
    decided = (
        day if status in (AppStatus.APPROVED, AppStatus.REFERRED, AppStatus.DECLINED) else None
    )
    submissions: list[datetime.date] = []
    decisions: list[Decision] = []
    if outcome.referred_first:
        first = plan.finish + timedelta(days=10)
        referred = first + timedelta(days=12)
        submissions += [first, referred + timedelta(days=10)]
        decisions.append(_decision(world, Decision.Outcome.REFERRED, referred, assessors))
    elif status == AppStatus.SUBMITTED:
        submissions.append(day)
    elif decided is not None:
        earliest = plan.finish + timedelta(days=10)
        submissions.append(max(earliest, day - timedelta(days=rng.randint(14, 35))))
    elif status == AppStatus.WITHDRAWN and rng.random() < 0.6:
        submissions.append(day - timedelta(days=rng.randint(5, 20)))
    if outcome.referred_first and status == AppStatus.SUBMITTED:
        submissions[-1] = day
    if decided is not None:
        decisions.append(_decision(world, status, decided, assessors))
    started = min([*submissions, day]) - timedelta(days=2)
    application = AccreditationApplication(
        trainee=person,
        review=plan.review,
        scheme=plan.review.scheme,
        status=status,
        reflective_statement=STATEMENT.format(
            case=plan.review.case_reference,
            partner=partner.full_name.split()[0],
            supervisor=plan.supervisor_user.full_name.split()[0],
        ),
        submitted_at=world.moment(submissions[-1], 20) if submissions else None,
        created_at=world.moment(started, 19),
        updated_at=world.moment(day, 20),
    )
    if status == AppStatus.WITHDRAWN:
        application.withdrawn_at = world.moment(day, 12)
        application.withdrawal_reason = rng.choice(WITHDRAWAL_REASONS)
    application.submissions = [world.moment(d, 20) for d in submissions]
    for decision in decisions:
        decision.application = application
    return application, decisions


def _decision(world: World, outcome: str, day: datetime.date, assessors) -> Decision:
    return Decision(
        assessor=world.rng.choice(assessors),
        outcome=outcome,
        reasons=REASONS[outcome],
        required_actions=REQUIRED_ACTIONS if outcome != Decision.Outcome.APPROVED else "",
        created_at=world.moment(day, 15),
    )


def _judgements(criteria, decision, outcome: str) -> list[CriterionJudgement]:
    """Every criterion met on an approval; the first not yet met otherwise."""
    renewal = isinstance(decision, RenewalDecision)
    return [
        CriterionJudgement(
            decision=None if renewal else decision,
            renewal_decision=decision if renewal else None,
            criterion=criterion,
            criterion_title=criterion.title,
            sort_order=order,
            met=outcome == Decision.Outcome.APPROVED or order > 0,
            comment="" if outcome == Decision.Outcome.APPROVED or order else REQUIRED_ACTIONS,
        )
        for order, criterion in enumerate(criteria)
    ]


def _certificates_create(world, made: Made, certified, *, scheme, assessors) -> None:
    rng, years = world.rng, scheme.validity_years
    first = []
    for application, outcome, decision in certified:
        status = {SUSPENDED: CertStatus.SUSPENDED, REVOKED: CertStatus.REVOKED}.get(
            outcome.standing, CertStatus.ISSUED
        )
        certificate = Certificate(
            application=application,
            holder=application.trainee,
            scheme=scheme,
            verification_code=secrets.token_urlsafe(15),
            status=status,
            awarded_at=outcome.day,
            issued_at=outcome.day,
            valid_until=add_years(outcome.day, years),
            listed_on_register=outcome.standing == VALID and rng.random() < LISTED,
            created_at=world.moment(outcome.day, 15),
        )
        certificate.issued_by, certificate.standing = decision.assessor, outcome.standing
        first.append(certificate)
    _number(first)
    insert(Certificate, first)

    superseded = [c for c in first if c.standing == SUPERSEDED]
    for certificate in superseded:
        made.renewals.append(_renewal(world, certificate, scheme))
    insert(RenewalApplication, made.renewals)
    insert(
        RenewalReview,
        (
            RenewalReview(
                renewal=renewal,
                title=f"A review for {renewal.holder.organisation or 'a partnership'}",
                role=RenewalReview.Role.LED,
                completed_on=renewal.submitted_at.date() - timedelta(days=rng.randint(60, 400)),
            )
            for renewal in made.renewals
        ),
    )
    made.renewal_decisions = [
        RenewalDecision(
            renewal=renewal,
            assessor=rng.choice(assessors),
            outcome=RenewalDecision.Outcome.APPROVED,
            reasons="Active practice and CPD well beyond the scheme's hours.",
            created_at=world.moment(renewal.approved_on, 15),
        )
        for renewal in made.renewals
    ]
    insert(RenewalDecision, made.renewal_decisions)
    renewed = []
    for renewal, decision, old in zip(
        made.renewals, made.renewal_decisions, superseded, strict=True
    ):
        approved = renewal.approved_on
        certificate = Certificate(
            renewal=renewal,
            holder=old.holder,
            scheme=scheme,
            verification_code=secrets.token_urlsafe(15),
            status=CertStatus.ISSUED,
            awarded_at=old.awarded_at,
            issued_at=approved,
            valid_until=add_years(max(old.valid_until, approved), years),
            listed_on_register=rng.random() < LISTED,
            supersedes=old,
            created_at=world.moment(approved, 15),
        )
        certificate.issued_by, certificate.standing = decision.assessor, VALID
        renewed.append(certificate)
    _number(renewed)
    insert(Certificate, renewed)
    made.certificates = first + renewed
    made.events = _events(world, made.certificates)
    insert(CertificateEvent, made.events)


def _renewal(world: World, old: Certificate, scheme) -> RenewalApplication:
    rng = world.rng
    submitted = old.valid_until - timedelta(days=rng.randint(20, 80))
    renewal = RenewalApplication(
        holder=old.holder,
        certificate=old,
        application=old.application,
        scheme=scheme,
        status=RenewalApplication.Status.APPROVED,
        practice_statement="Since I was accredited I have led two reviews and co-led a third, "
        "and supervised a trainee pair through their first.",
        declaration=True,
        cpd_hours=Decimal(rng.randint(32, 60)),
        cpd_entries=rng.randint(6, 14),
        submitted_at=world.moment(submitted, 19),
        created_at=world.moment(submitted - timedelta(days=3), 19),
        updated_at=world.moment(submitted + timedelta(days=14), 15),
    )
    renewal.approved_on = submitted + timedelta(days=rng.randint(8, 20))
    return renewal


def _number(certificates: list[Certificate]) -> None:
    """Numbers in order of issue, each year's taken from its sequence (locked, then moved on by
    the whole batch), so a certificate issued later through the services takes the next one."""
    by_year = defaultdict(list)
    for certificate in sorted(certificates, key=lambda c: (c.issued_at, c.created_at)):
        by_year[certificate.issued_at.year].append(certificate)
    for year, batch in sorted(by_year.items()):
        CertificateNumberSequence.objects.get_or_create(year=year)
        sequence = CertificateNumberSequence.objects.select_for_update().get(year=year)
        for offset, certificate in enumerate(batch, start=1):
            certificate.number = f"LT-{year}-{sequence.last_number + offset:05d}"
        sequence.last_number += len(batch)
        sequence.save(update_fields=["last_number"])


def _events(world: World, certificates: list[Certificate]) -> list[CertificateEvent]:
    """Each certificate's issue, and the suspension or revocation since, with its reason."""
    rng, yesterday = world.rng, world.days_ago(1)
    events = []
    for certificate in certificates:
        renewed = certificate.renewal_id is not None
        events.append(
            CertificateEvent(
                certificate=certificate,
                by=certificate.issued_by,
                from_status="",
                to_status=CertStatus.ISSUED,
                reason="Renewed" if renewed else "Approved",
                created_at=certificate.created_at,
            )
        )
        if certificate.status in STATUS_REASONS:
            earliest = certificate.issued_at + timedelta(days=20)
            day = earliest + (yesterday - earliest) * rng.random()
            events.append(
                CertificateEvent(
                    certificate=certificate,
                    by=certificate.issued_by,
                    from_status=CertStatus.ISSUED,
                    to_status=certificate.status,
                    reason=STATUS_REASONS[certificate.status],
                    created_at=world.moment(day, 11),
                )
            )
    return events


def _register_profiles_create(world: World, certificates: list[Certificate]) -> None:
    """The holders listed on the register chose how they appear there: their organisation
    shown or not, a region or two, and whether the public may message them."""
    rng = world.rng
    regions = list(Region.objects.order_by("sort_order", "name"))
    listed = [c for c in certificates if c.listed_on_register]
    profiles = insert(
        RegisterProfile,
        (
            RegisterProfile(
                person=certificate.holder,
                show_organisation=rng.random() < 0.8,
                contact_enabled=rng.random() < 0.75,
                updated_at=certificate.created_at + timedelta(days=2),
            )
            for certificate in listed
        ),
    )
    Link = RegisterProfile.regions.through
    insert(
        Link,
        (
            Link(registerprofile_id=profile.pk, region_id=region.pk)
            for profile in profiles
            for region in rng.sample(regions, k=min(len(regions), rng.randint(1, 2)))
        ),
    )
