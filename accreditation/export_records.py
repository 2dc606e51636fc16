"""How each accreditation record reads in a person's data export: plain values and names, with
the files' paths inside the export's ZIP."""

import posixpath

from .models import (
    AccreditationApplication,
    Certificate,
    Conversation,
    Evidence,
    RenewalApplication,
    SignOff,
    SupervisedReview,
    SupervisionSession,
)


def _name(person) -> str | None:
    return person.full_name if person is not None else None


def evidence_path(evidence: Evidence) -> str:
    stage = evidence.stage
    filename = posixpath.basename(evidence.original_filename or "") or f"evidence-{evidence.pk}"
    return (
        f"files/evidence/review-{stage.review_id}/stage-{stage.sort_order}/{evidence.pk}-{filename}"
    )


def sign_off_record(sign_off: SignOff) -> dict:
    return {
        "decision": sign_off.get_decision_display(),
        "from_status": sign_off.from_status,
        "to_status": sign_off.to_status,
        "comment": sign_off.comment,
        "by": _name(sign_off.by),
        "at": sign_off.created_at,
    }


def review_record(review: SupervisedReview, user) -> dict:
    return {
        "case_reference": review.case_reference,
        "your_role": "lead trainee" if review.trainee_id == user.pk else "review partner",
        "review_type": review.review_type.name,
        "commissioning_organisation": review.commissioning_organisation.name,
        "lead_trainee": _name(review.trainee),
        "partner": _name(review.partner),
        "supervisor": _name(review.supervisor),
        "start_date": review.start_date,
        "target_publication_date": review.target_publication_date,
        "stages": [
            {
                "stage": stage.definition.title,
                "status": stage.get_status_display(),
                "submitted_at": stage.submitted_at,
                "evidence": [
                    {
                        "title": evidence.title,
                        "kind": evidence.get_kind_display(),
                        "note": evidence.note,
                        "file": evidence_path(evidence) if evidence.file else None,
                        "original_filename": evidence.original_filename,
                        "content_type": evidence.content_type,
                        "size": evidence.size,
                        "added_by": _name(evidence.uploaded_by),
                        "added_at": evidence.created_at,
                        "file_deleted_under_retention_policy_at": evidence.purged_at,
                    }
                    for evidence in stage.evidence.all()
                ],
                "sign_offs": [sign_off_record(sign_off) for sign_off in stage.sign_offs.all()],
            }
            for stage in review.stages.all()
        ],
        "key_practice_episodes": [
            {
                "number": episode.label,
                "title": episode.title,
                "what_happened": episode.what_happened,
                "when": episode.when,
                "agencies": episode.agencies,
                "appraisal": episode.get_assessment_display(),
                "why_the_practice_is_appraised_so": episode.assessment_explanation,
                "why_it_made_sense_at_the_time": episode.local_rationality,
                "data_sources": episode.data_sources,
                "case_group_view": episode.get_case_group_view_display(),
                "case_group_note": episode.case_group_note,
                "contributory_factors": [
                    {"category": factor.category.name, "description": factor.description}
                    for factor in episode.contributory_factors.all()
                ],
            }
            for episode in review.key_practice_episodes.all()
        ],
        "findings": [
            {
                "title": finding.title,
                "category": finding.category.name,
                "direction": finding.get_direction_display(),
                "how_it_showed_itself_in_this_case": finding.in_this_case,
                "key_practice_episodes": [episode.label for episode in finding.episodes.all()],
                "how_we_know_it_is_an_underlying_issue": finding.how_we_know,
                "what_it_means_for_the_reliability_of_the_system": finding.system_reliability,
                "finding": finding.statement,
                "issues_for_the_board": [issue.text for issue in finding.issues_for_board.all()],
                "priority": finding.priority,
            }
            for finding in review.findings.all()
        ],
    }


def session_record(session: SupervisionSession) -> dict:
    return {
        "kind": session.get_kind_display(),
        "date": session.date,
        "duration_minutes": session.duration_minutes,
        "during_report_writing": session.during_report_writing,
        "supervisor": _name(session.supervisor),
        "notes": session.notes,
    }


def application_record(application: AccreditationApplication) -> dict:
    return {
        "scheme": application.scheme.name,
        "review": application.review.case_reference,
        "status": application.get_status_display(),
        "reflective_statement": application.reflective_statement,
        "submitted_at": application.submitted_at,
        "decisions": [
            {
                "outcome": decision.get_outcome_display(),
                "reasons": decision.reasons,
                "required_actions": decision.required_actions,
                "assessor": _name(decision.assessor),
                "at": decision.created_at,
                "criteria": judgement_records(decision),
            }
            for decision in application.decisions.all()
        ],
    }


# Criteria, the supervisor's recommendation and training attendance ---------------------------


def judgement_records(decision) -> list[dict]:
    """The judgements against each criterion, with the criterion's title as it was judged."""
    return [
        {"criterion": judgement.criterion_title, "met": judgement.met, "comment": judgement.comment}
        for judgement in decision.judgements.all()
    ]


def recommendation_record(recommendation) -> dict:
    return {
        "case_reference": recommendation.review.case_reference,
        "trainee": _name(recommendation.trainee),
        "supervisor": _name(recommendation.supervisor),
        "ready": recommendation.ready,
        "statement": recommendation.statement,
        "at": recommendation.created_at,
    }


def certificate_record(certificate: Certificate) -> dict:
    return {
        "number": certificate.number,
        "scheme": certificate.scheme.name,
        "status": certificate.get_status_display(),
        "verification_code": certificate.verification_code,
        "awarded_at": certificate.awarded_at,
        "issued_at": certificate.issued_at,
        "valid_until": certificate.valid_until,
        "listed_on_public_register": certificate.listed_on_register,
        "file": f"files/certificates/{certificate.number}.pdf" if certificate.pdf else None,
        "history": [
            {
                "from_status": event.from_status,
                "to_status": event.to_status,
                "reason": event.reason,
                "by": _name(event.by),
                "at": event.created_at,
            }
            for event in certificate.events.all()
        ],
    }


def conversation_record(conversation: Conversation) -> dict:
    return {
        "date": conversation.date,
        "status": conversation.get_status_display(),
        "with": [str(participant) for participant in conversation.participants.all()],
        "lead_reviewer": _name(conversation.lead_reviewer),
        "notes": conversation.notes,
    }


def conduct_record(review: SupervisedReview, user) -> dict:
    """The review as it is run: its people, conversations and meetings."""
    if user.pk == review.supervisor_id:
        role = "supervisor"
    else:
        role = "lead trainee" if review.trainee_id == user.pk else "review partner"
    return {
        "case_reference": review.case_reference,
        "your_role": role,
        "review_team": [
            {"name": member.name, "role": member.role, "agency": member.agency}
            for member in review.team_members.all()
        ],
        "case_group": [
            {
                "name_or_initials": participant.name,
                "role": participant.role,
                "agency": participant.agency,
                "involvement": participant.get_involvement_display(),
            }
            for participant in review.case_group.all()
        ],
        "family_involvement": [
            {
                "family_member": involvement.relationship,
                "status": involvement.get_status_display(),
                "how": involvement.how,
            }
            for involvement in review.family_involvement.all()
        ],
        "conversations": [
            conversation_record(conversation) for conversation in review.conversations.all()
        ],
        "meetings": [
            {
                "kind": meeting.get_kind_display(),
                "date": meeting.date,
                "status": meeting.get_status_display(),
                "review_team_present": [str(member) for member in meeting.team_attendees.all()],
                "case_group_present": [str(person) for person in meeting.group_attendees.all()],
                "notes": meeting.notes,
            }
            for meeting in review.meetings.all()
        ],
    }


# Appeals and the CPD log ----------------------------------------------------------------------


def appeal_record(appeal) -> dict:
    outcome = getattr(appeal, "outcome", None)
    return {
        "kind": appeal.get_kind_display(),
        "status": appeal.get_status_display(),
        "grounds": appeal.grounds,
        "lodged_at": appeal.lodged_at,
        "outcome": (
            {
                "outcome": outcome.get_outcome_display(),
                "reasons": outcome.reasons,
                "assessor": _name(outcome.assessor),
                "at": outcome.created_at,
            }
            if outcome is not None
            else None
        ),
    }


def cpd_evidence_path(entry) -> str:
    filename = posixpath.basename(entry.evidence_filename or "") or "evidence"
    return f"files/cpd/{entry.pk}-{filename}"


def cpd_entry_record(entry) -> dict:
    return {
        "date": entry.date,
        "activity_type": entry.activity_type.name,
        "title": entry.title,
        "hours": str(entry.hours),
        "reflection": entry.reflection,
        "evidence": cpd_evidence_path(entry) if entry.evidence else None,
    }


# Renewal, expiry and supersession -----------------------------------------------------------


def renewal_record(renewal: RenewalApplication) -> dict:
    return {
        "certificate": renewal.certificate.number,
        "scheme": renewal.scheme.name,
        "status": renewal.get_status_display(),
        "practice_statement": renewal.practice_statement,
        "declaration": renewal.declaration,
        "cpd_hours": renewal.cpd_hours,
        "cpd_entries": renewal.cpd_entries,
        "submitted_at": renewal.submitted_at,
        "reviews": [
            {
                "title": review.title,
                "role": review.get_role_display(),
                "completed_on": review.completed_on,
                "published_report_url": review.published_report_url,
                "on_the_platform": review.review_id is not None,
            }
            for review in renewal.reviews.all()
        ],
        "decisions": [
            {
                "outcome": decision.get_outcome_display(),
                "reasons": decision.reasons,
                "required_actions": decision.required_actions,
                "assessor": _name(decision.assessor),
                "at": decision.created_at,
                "judgements": [
                    {
                        "criterion": judgement.criterion_title,
                        "met": judgement.met,
                        "comment": judgement.comment,
                    }
                    for judgement in decision.judgements.all()
                ],
            }
            for decision in renewal.decisions.all()
        ],
    }
