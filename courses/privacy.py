"""The training part of a person's data: enrolments, attendance, module progress, reflections,
knowledge-check answers and invitations.

Erasure decisions, field by field:

- Reflections (``ReflectionAnswer``): deleted. They are the person's own private free text.
- Module progress (started, completed) and knowledge-check attempts (chosen option numbers,
  score, pass): kept, attached to the anonymised account, so cohort completion figures stay
  true. They hold no free text.
- Enrolments and training-day attendance: kept for the same reason; they hold no free text.
- Invitations addressed to any of the person's verified addresses or accepted by them: the name and
  address the administrator typed are replaced ("Erased user #<id>", ``erased-<id>@invalid``),
  the job title and organisation cleared. The token hash is useless without the e-mailed link.
- Cohorts the person supervised: the link stays, now to the anonymised account.
"""

from django.db.models import Q

from learning_platform.accounts.personal_data.redaction import (
    erased_email,
    erased_label,
    user_emails,
)

from .models import (
    Attendance,
    Enrolment,
    Invitation,
    KnowledgeCheckAttempt,
    ModuleProgress,
    ReflectionAnswer,
)


def _block_value(module, block_id: str) -> dict:
    # The raw stream, so reading a question's wording never loads a chooser's document.
    for item in module.body.raw_data:
        if item.get("id") == block_id:
            return item.get("value") or {}
    return {}


def _invitations_for(user):
    # Any address the person verified here: an invitation may have gone to one they later
    # changed. An address they merely typed in proves nothing and may be a stranger's.
    addressed = Q()
    for email in user_emails(user):
        addressed |= Q(email__iexact=email)
    return Invitation.objects.filter(addressed | Q(accepted_by=user))


def user_data(user) -> dict:
    enrolments = list(
        Enrolment.objects.filter(user=user)
        .select_related("cohort__course", "supervisor", "review_partner")
        .order_by("created_at")
    )
    attendance = (
        Attendance.objects.filter(enrolment__user=user)
        .select_related("training_day")
        .order_by("training_day__date")
    )
    attendance_by_enrolment: dict[int, list] = {}
    for row in attendance:
        attendance_by_enrolment.setdefault(row.enrolment_id, []).append(
            {
                "training_day": row.training_day.title,
                "date": row.training_day.date,
                "present": row.present,
            }
        )
    progress_rows = list(
        ModuleProgress.objects.filter(enrolment__user=user)
        .select_related("module", "enrolment__cohort")
        .order_by("started_at")
    )
    reflections: dict[int, list] = {}
    for answer in ReflectionAnswer.objects.filter(progress__enrolment__user=user).order_by("pk"):
        reflections.setdefault(answer.progress_id, []).append(answer)
    attempts: dict[int, list] = {}
    for attempt in KnowledgeCheckAttempt.objects.filter(progress__enrolment__user=user).order_by(
        "created_at", "pk"
    ):
        attempts.setdefault(attempt.progress_id, []).append(attempt)

    return {
        "enrolments": [
            {
                "cohort": enrolment.cohort.name,
                "course": enrolment.cohort.course.title,
                "status": enrolment.get_status_display(),
                "supervisor": enrolment.supervisor.full_name if enrolment.supervisor else None,
                "review_partner": (
                    enrolment.review_partner.full_name if enrolment.review_partner else None
                ),
                "enrolled_at": enrolment.created_at,
                "attendance": attendance_by_enrolment.get(enrolment.pk, []),
            }
            for enrolment in enrolments
        ],
        "module_progress": [
            {
                "module": progress.module.title,
                "cohort": progress.enrolment.cohort.name,
                "started_at": progress.started_at,
                "completed_at": progress.completed_at,
                "reflections": [
                    {
                        "question": _block_value(progress.module, answer.block_id).get(
                            "question", ""
                        ),
                        "answer": answer.answer,
                        "written_at": answer.created_at,
                        "updated_at": answer.updated_at,
                    }
                    for answer in reflections.get(progress.pk, [])
                ],
                "knowledge_check_attempts": [
                    {
                        "check": _block_value(progress.module, attempt.block_id).get("title", ""),
                        "answers": attempt.answers,
                        "score_percent": attempt.score_percent,
                        "passed": attempt.passed,
                        "at": attempt.created_at,
                    }
                    for attempt in attempts.get(progress.pk, [])
                ],
            }
            for progress in progress_rows
        ],
        "invitations": [
            {
                "cohort": invitation.cohort.name,
                "email": invitation.email,
                "full_name": invitation.full_name,
                "job_title": invitation.job_title,
                "sent_at": invitation.created_at,
                "expires_at": invitation.expires_at,
                "accepted_at": invitation.accepted_at,
            }
            for invitation in _invitations_for(user).select_related("cohort").order_by("pk")
        ],
        "cohorts_supervised": sorted(user.supervised_cohorts.values_list("name", flat=True)),
    }


def user_files(user) -> list:
    return []


def erasure_counts(user) -> dict[str, int]:
    return {
        "reflections": ReflectionAnswer.objects.filter(progress__enrolment__user=user).count(),
    }


def erase_user(user) -> None:
    ReflectionAnswer.objects.filter(progress__enrolment__user=user).delete()
    _invitations_for(user).update(
        email=erased_email(user),
        full_name=erased_label(user),
        job_title="",
        organisation=None,
    )
