"""Demo data for accreditation: Tess and Pat's supervised review, part-way through: preparation
signed off, data collection under way, and a first analysis with its draft findings."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from learning_platform.accounts.models import Organisation, User

from .demo_analysis import seed_review_analysis
from .demo_certificate import seed_certificate_settings
from .demo_conduct import seed_review_conduct
from .demo_world import seed_accredited_world
from .models import ReviewStage, SupervisedReview, SupervisionSession
from .services.evidence import evidence_add_note
from .services.reviews import default_scheme, review_create
from .services.stages import stage_approve, stage_submit
from .services.supervision import supervision_attendance_confirm, supervision_session_record

CASE_REFERENCE = "Child K (demo)"


@transaction.atomic
def seed_accreditation(*, stdout, users: dict[str, User]) -> SupervisedReview:
    """Safe to run again: the review is created once, with its first stage signed off, and its
    analysis is added to a review that has none (so a review seeded before it gets it too)."""
    tess = users["tess"]
    review = SupervisedReview.objects.filter(trainee=tess, case_reference=CASE_REFERENCE).first()
    if review is not None:
        stdout.write(f"Supervised review {review} already exists")
    else:
        review = _review(stdout=stdout, users=users)
    conversations = seed_review_conduct(stdout=stdout, review=review)
    seed_review_analysis(stdout=stdout, review=review, conversations=conversations)
    # The certificate's programme mark, signature and signatory (issue #14, the certificate).
    seed_certificate_settings(stdout=stdout)
    seed_register_profiles(stdout=stdout)
    seed_accredited_world(stdout=stdout, users=users)
    return review


def _review(*, stdout, users: dict[str, User]) -> SupervisedReview:
    tess, pat, sam = users["tess"], users["pat"], users["sam"]
    scheme = default_scheme()
    if scheme is not None and scheme.course_id is None:
        from courses.models import CoursePage

        scheme.course = CoursePage.objects.order_by("pk").first()
        scheme.save(update_fields=["course"])
    partnership = Organisation.objects.filter(
        kind=Organisation.Kind.SAFEGUARDING_PARTNERSHIP
    ).first()
    today = timezone.localdate()
    review = review_create(
        trainee=tess,
        partner=pat,
        supervisor=sam,
        commissioning_organisation=partnership,
        case_reference=CASE_REFERENCE,
        review_type="full",
        start_date=today - timedelta(days=42),
    )
    preparation, data_collection = list(review.stages.order_by("sort_order")[:2])

    evidence_add_note(
        stage=preparation,
        user=tess,
        title="Scope and research questions",
        note=(
            "Agreed with the partnership's case review group: how did agencies understand and "
            "respond to the risks of neglect during the family's move between boroughs?"
        ),
    )
    evidence_add_note(
        stage=preparation,
        user=pat,
        title="Review team and case group",
        note="Review team: six local managers from children's social care, police, health and "
        "education. Case group: eleven practitioners, invited by letter and briefed in person.",
    )
    stage_submit(stage=preparation, user=tess, comment="Ready for sign-off.")
    stage_approve(stage=preparation, user=sam, comment="Clear scope, and a well-balanced team.")

    evidence_add_note(
        stage=data_collection,
        user=tess,
        title="Conversation log",
        note="Seven of eleven one-to-one conversations held; the remaining four are booked.",
    )

    session = supervision_session_record(
        supervisor=sam,
        kind=SupervisionSession.Kind.GROUP,
        date=today - timedelta(days=14),
        duration_minutes=120,
        attendees=[tess, pat],
        notes="Preparing the case group; the structure of the one-to-one conversations.",
    )
    supervision_attendance_confirm(session=session, trainee=tess)

    stage_status = dict(review.stages.values_list("definition__title", "status"))
    approved = sum(1 for status in stage_status.values() if status == ReviewStage.Status.APPROVED)
    stdout.write(
        f"Created supervised review {review}: {approved} of {len(stage_status)} stages signed off"
    )
    return review


# The public register ------------------------------------------------------------------------


def seed_register_profiles(*, stdout) -> None:
    """Every demo holder of a valid certificate is listed on the register, showing their
    organisation, with a region or two (their organisation's, if it names one) and messages on,
    as the holder would set it on their register profile page. Safe to run again: a holder who
    already has a profile keeps their own choices."""
    from .models import Certificate, Region
    from .services.register import register_profile_update

    regions = list(Region.objects.order_by("sort_order", "name"))
    if not regions:
        return
    made = 0
    for certificate in (
        Certificate.objects.valid()
        .filter(holder__register_profile__isnull=True, superseded_by__isnull=True)
        .select_related("holder__organisation", "scheme")
        .order_by("pk")
    ):
        holder = certificate.holder
        own = holder.organisation.region if holder.organisation else ""
        chosen = [r for r in regions if r.name == own] or [regions[holder.pk % len(regions)]]
        chosen.append(regions[(holder.pk + 3) % len(regions)])
        register_profile_update(
            person=holder,
            show_organisation=True,
            regions=chosen,
            contact_enabled=True,
            # A scheme without a public register leaves the listing as it is.
            listed=True if certificate.scheme.public_register_enabled else None,
        )
        made += 1
    if made:
        stdout.write(f"Gave {made} demo holder(s) a register profile and listed them")
