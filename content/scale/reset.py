"""Finding a scale world in the database, and removing exactly what it holds.

The world is everything that belongs to its people (an address at the world's domain) and the
cohorts and organisations named with its prefix that nobody else is part of. Rows go leaves
first, because most of them are protected from a person's deletion (a sign-off, a decision, a
certificate). Each kind goes in a statement or two with a subquery: Django's deletion would
first read every id and then send them back in long IN lists, which takes minutes at this size.
Rows that something listens for the deletion of (a certificate, which drops the cached public
pages) are deleted through Django, so the listeners run. The Wagtail site and course are shared
with the demo and stay.
"""

from django.db import connection, models
from django.db.models import Exists, OuterRef, ProtectedError, Q, QuerySet
from django.db.models.signals import post_delete, pre_delete

from accreditation.models import (
    AccreditationApplication,
    Appeal,
    AppealDecision,
    CaseGroupParticipant,
    Certificate,
    CertificateEvent,
    ContributoryFactor,
    Conversation,
    CriterionJudgement,
    Decision,
    Evidence,
    FamilyInvolvement,
    Finding,
    IssuedCredential,
    IssueForBoard,
    KeyPracticeEpisode,
    RegisterProfile,
    RenewalApplication,
    RenewalDecision,
    ReviewCase,
    ReviewMeeting,
    ReviewStage,
    ReviewTeamMember,
    SignOff,
    SupervisedReview,
    SupervisionAttendance,
    SupervisionSession,
    SupervisorRecommendation,
)
from courses.models import (
    Attendance,
    Cohort,
    Enrolment,
    Invitation,
    KnowledgeCheckAttempt,
    ModuleProgress,
    ReflectionAnswer,
    TrainingDay,
)
from learning_platform.accounts.models import Organisation, User, UserSession
from notifications.models import Notification

from .base import PREFIX, in_world


def _cohorts() -> QuerySet[Cohort]:
    """The world's cohorts: named with its prefix, with its people enrolled and nobody else."""
    enrolled = Enrolment.objects.filter(cohort=OuterRef("pk"))
    return (
        Cohort.objects.filter(name__startswith=PREFIX)
        .filter(Exists(enrolled.filter(in_world("user"))))
        .exclude(Exists(enrolled.exclude(in_world("user"))))
    )


def scale_world_exists() -> bool:
    return User.objects.filter(in_world()).exists() or _cohorts().exists()


def scale_world_remove() -> int:
    """Remove the world; returns the number of rows removed."""
    people = User.objects.filter(in_world()).values("pk")
    reviews = SupervisedReview.objects.filter(
        Q(trainee__in=people) | Q(partner__in=people) | Q(supervisor__in=people)
    ).values("pk")
    certificates = Certificate.objects.filter(holder__in=people)
    cohorts = list(_cohorts().values_list("pk", flat=True))
    certificates.update(supersedes=None)
    steps = [
        Notification.objects.filter(recipient__in=people),
        IssuedCredential.objects.filter(certificate__holder__in=people),
        CertificateEvent.objects.filter(certificate__holder__in=people),
        AppealDecision.objects.filter(appeal__appellant__in=people),
        Appeal.objects.filter(appellant__in=people),
        # A renewed certificate points at its renewal, and the renewal at the old certificate.
        certificates.filter(renewal__isnull=False),
        CriterionJudgement.objects.filter(renewal_decision__renewal__holder__in=people),
        RenewalDecision.objects.filter(renewal__holder__in=people),
        RenewalApplication.objects.filter(holder__in=people),
        certificates,
        CriterionJudgement.objects.filter(decision__application__trainee__in=people),
        Decision.objects.filter(application__trainee__in=people),
        SupervisorRecommendation.objects.filter(trainee__in=people),
        AccreditationApplication.objects.filter(trainee__in=people),
        SignOff.objects.filter(stage__review__in=reviews),
        Evidence.objects.filter(stage__review__in=reviews),
        ContributoryFactor.objects.filter(episode__review__in=reviews),
        Finding.episodes.through.objects.filter(finding__review__in=reviews),
        IssueForBoard.objects.filter(finding__review__in=reviews),
        Finding.objects.filter(review__in=reviews),
        KeyPracticeEpisode.conversations.through.objects.filter(
            keypracticeepisode__review__in=reviews
        ),
        KeyPracticeEpisode.objects.filter(review__in=reviews),
        ReviewMeeting.team_attendees.through.objects.filter(reviewmeeting__review__in=reviews),
        ReviewMeeting.group_attendees.through.objects.filter(reviewmeeting__review__in=reviews),
        ReviewMeeting.objects.filter(review__in=reviews),
        Conversation.participants.through.objects.filter(conversation__review__in=reviews),
        Conversation.objects.filter(review__in=reviews),
        CaseGroupParticipant.objects.filter(review__in=reviews),
        ReviewTeamMember.objects.filter(review__in=reviews),
        FamilyInvolvement.objects.filter(review__in=reviews),
        ReviewCase.objects.filter(review__in=reviews),
        ReviewStage.objects.filter(review__in=reviews),
        SupervisedReview.objects.filter(pk__in=reviews),
        SupervisionAttendance.objects.filter(
            Q(trainee__in=people) | Q(session__supervisor__in=people)
        ),
        SupervisionSession.objects.filter(supervisor__in=people),
        Attendance.objects.filter(enrolment__user__in=people),
        KnowledgeCheckAttempt.objects.filter(progress__enrolment__user__in=people),
        ReflectionAnswer.objects.filter(progress__enrolment__user__in=people),
        ModuleProgress.objects.filter(enrolment__user__in=people),
        Invitation.objects.filter(cohort__in=cohorts),
        Enrolment.objects.filter(user__in=people),
        Cohort.supervisors.through.objects.filter(cohort__in=cohorts),
        TrainingDay.objects.filter(cohort__in=cohorts),
        Cohort.objects.filter(pk__in=cohorts),
        RegisterProfile.regions.through.objects.filter(registerprofile__person__in=people),
        RegisterProfile.objects.filter(person__in=people),
        # Sessions keep their person's id without a foreign key.
        UserSession.objects.filter(user_id__in=people),
        # What is left hangs off the people themselves (addresses, authenticators, groups).
        User.objects.filter(in_world()),
    ]
    removed = sum(_remove(step) for step in steps)
    organisations = Organisation.objects.filter(name__startswith=PREFIX).exclude(
        Q(Exists(User.objects.filter(organisation=OuterRef("pk"))))
        | Q(Exists(SupervisedReview.objects.filter(commissioning_organisation=OuterRef("pk"))))
    )
    return removed + organisations.delete()[0]


def _remove(rows: QuerySet) -> int:
    """Delete ``rows`` and what depends on them: each dependent kind is deleted (or its link to
    them emptied, as its field says) by a subquery on ``rows``, before ``rows`` themselves."""
    model = rows.model
    if pre_delete.has_listeners(model) or post_delete.has_listeners(model):
        return rows.delete()[0]
    ids = rows.values("pk")
    removed = 0
    for relation in model._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete and relation.is_relation):
            continue
        if relation.many_to_many:
            continue  # the through table's own foreign key is met as a one-to-many
        field = relation.field
        dependents = relation.related_model._base_manager.filter(**{f"{field.name}__in": ids})
        on_delete = field.remote_field.on_delete
        if on_delete is models.CASCADE:
            removed += _remove(dependents)
        elif on_delete is models.SET_NULL:
            dependents.update(**{field.name: None})
        elif on_delete is not models.DO_NOTHING and dependents.exists():
            raise ProtectedError(
                f"{relation.related_model.__name__} rows still point at the world's "
                f"{model.__name__} rows.",
                set(),
            )
    select, params = ids.query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    key = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        # Quoted names from the model, and the query Django compiled with its parameters apart.
        cursor.execute(f"DELETE FROM {table} WHERE {key} IN ({select})", params)  # noqa: S608
        return removed + cursor.rowcount
