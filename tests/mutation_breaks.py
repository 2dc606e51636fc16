"""The breaks the mutation check applies (tests/mutations.py), one guarantee each: an exact snippet
of application code, its broken replacement, and the tests that must catch it."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Edit:
    path: str
    find: str
    replace: str


@dataclass(frozen=True)
class Break:
    name: str
    guarantee: str
    tier: str  # "sqlite", "postgres" or "celery"
    edits: tuple[Edit, ...]
    tests: tuple[str, ...]  # files or node ids, all of which must exist


BREAKS = (
    Break(
        name="stage-reviewer-check",
        guarantee="only the trainee and their partner may start, submit or change a stage",
        tier="sqlite",
        edits=(
            Edit(
                "accreditation/services/stages.py",
                "def _require_reviewer(stage: ReviewStage, user: User, doing: str) -> None:\n",
                "def _require_reviewer(stage: ReviewStage, user: User, doing: str) -> None:\n"
                "    return\n",
            ),
        ),
        tests=("tests/accreditation/test_access_outcomes.py",),
    ),
    Break(
        name="certificate-number-lock",
        guarantee="parallel approvals take distinct, gapless certificate numbers",
        tier="postgres",
        edits=(
            Edit(
                "accreditation/services/certificates.py",
                "CertificateNumberSequence.objects.select_for_update().get(year=year)",
                "CertificateNumberSequence.objects.get(year=year)",
            ),
        ),
        tests=("tests/accreditation/test_locks.py",),
    ),
    Break(
        name="render-late-ack",
        guarantee="a certificate render whose worker dies is redelivered and completes once",
        tier="celery",
        edits=(
            Edit(
                "learning_platform/settings/base.py",
                "CELERY_TASK_ACKS_LATE = True",
                "CELERY_TASK_ACKS_LATE = False",
            ),
        ),
        tests=("tests/accreditation/test_redelivery_worker.py",),
    ),
    Break(
        name="reject-on-worker-lost",
        guarantee="a task whose worker child is killed is put back on the queue, not dropped",
        tier="celery",
        edits=(
            Edit(
                "learning_platform/settings/base.py",
                "CELERY_TASK_REJECT_ON_WORKER_LOST = True",
                "CELERY_TASK_REJECT_ON_WORKER_LOST = False",
            ),
        ),
        tests=(
            "tests/platform/test_task_acknowledgement.py",
            "tests/accreditation/test_redelivery_worker.py",
        ),
    ),
    Break(
        name="application-lock",
        guarantee="two assessors deciding one application at once leave exactly one decision",
        tier="postgres",
        edits=(
            Edit(
                "accreditation/services/applications.py",
                "AccreditationApplication.objects.select_for_update()\n"
                '        .select_related("review", "scheme", "trainee")',
                "AccreditationApplication.objects.all()\n"
                '        .select_related("review", "scheme", "trainee")',
            ),
        ),
        tests=("tests/accreditation/test_locks.py",),
    ),
    Break(
        name="stage-lock",
        guarantee="two people acting on one stage at once cannot both pass its state check",
        tier="postgres",
        edits=(
            Edit(
                "accreditation/services/stages.py",
                "ReviewStage.objects.select_for_update()\n        .select_related",
                "ReviewStage.objects.all()\n        .select_related",
            ),
        ),
        tests=("tests/accreditation/test_locks.py",),
    ),
    Break(
        name="decision-state-check",
        guarantee="only a submitted application can be approved, referred or declined",
        tier="sqlite",
        edits=(
            Edit(
                "accreditation/services/applications.py",
                "    if application.status != Status.SUBMITTED:\n"
                "        raise TransitionError(\n"
                '            "Only a submitted application can be decided',
                "    if False:\n"
                "        raise TransitionError(\n"
                '            "Only a submitted application can be decided',
            ),
        ),
        tests=("tests/accreditation/test_applications_transitions.py",),
    ),
    Break(
        name="revoked-verifies-valid",
        guarantee="anyone checking a revoked certificate is told it is revoked",
        tier="sqlite",
        edits=(
            Edit(
                "accreditation/selectors/certificates.py",
                "    if certificate.status == Certificate.Status.REVOKED:\n"
                "        return PublicStatus.REVOKED\n",
                "",
            ),
        ),
        tests=("tests/accreditation/test_verification_pages.py",),
    ),
    Break(
        name="render-claim-once",
        guarantee="a certificate's PDF is rendered by one task however often the task runs",
        tier="sqlite",
        edits=(
            Edit(
                "accreditation/services/pdf.py",
                "        .filter(\n"
                "            Q(rendering_started_at__isnull=True)\n"
                "            | Q(rendering_started_at__lt=now - STALE_CLAIM_AFTER)\n"
                "        )\n"
                "        .update(rendering_started_at=now)\n",
                "        .update(rendering_started_at=now)\n",
            ),
        ),
        tests=("tests/accreditation/test_pdf_render.py",),
    ),
    Break(
        name="cohort-membership",
        guarantee="trainees and supervisors open only the cohorts they belong to",
        tier="sqlite",
        edits=(
            Edit(
                "courses/access.py",
                "    return Cohort.objects.filter(\n"
                "        Q(supervisors=user) | Q(pk__in=member_of) | Q(pk__in=supervises)\n"
                "    ).distinct()\n",
                "    return Cohort.objects.all()\n",
            ),
        ),
        tests=("tests/courses/test_access_personas.py",),
    ),
    Break(
        name="assignments-staff-only",
        guarantee="only programme staff set a cohort's supervisors and review partners",
        tier="sqlite",
        edits=(
            Edit(
                "courses/views/cohorts.py",
                "    cohort = access.get_cohort_for_staff(request.user, pk)\n"
                "    if not user_is_programme_staff(request.user):\n"
                "        raise Http404\n",
                "    cohort = access.get_cohort_for_user(request.user, pk)\n",
            ),
        ),
        tests=("tests/courses/test_cohorts_assignments.py",),
    ),
    Break(
        name="staff-mfa",
        guarantee="superusers and staff accounts must set up two-factor before anything else",
        tier="sqlite",
        edits=(
            Edit(
                "learning_platform/accounts/selectors.py",
                "    if user.is_superuser or user.is_staff:\n        return True\n",
                "",
            ),
        ),
        tests=("tests/accounts/test_mfa.py",),
    ),
    Break(
        name="erasure-reflections",
        guarantee="erasing a person deletes the reflections they wrote in their modules",
        tier="sqlite",
        edits=(
            Edit(
                "courses/privacy.py",
                "    ReflectionAnswer.objects.filter(progress__enrolment__user=user).delete()\n",
                "",
            ),
        ),
        tests=(
            "tests/accounts/test_privacy_erasure.py"
            "::test_it_leaves_none_of_tess_personal_data_in_any_table",
        ),
    ),
    Break(
        name="notification-recipient",
        guarantee="a notification opens only for its recipient",
        tier="sqlite",
        edits=(
            Edit(
                "notifications/access.py",
                "Notification.objects.filter(recipient=user)",
                "Notification.objects.all()",
            ),
        ),
        tests=("tests/notifications/test_pages.py",),
    ),
)
