from django.urls import path

import learning_platform.converters  # noqa: F401 (registers <id:...>)

from .views import (
    applications,
    assessment,
    certificates,
    clock,
    conduct,
    dashboard,
    evidence,
    recommendations,
    register,
    report,
    reviews,
    supervision,
)

app_name = "accreditation"

urlpatterns = [
    # Supervised review: reviews, stages, evidence and registers
    path("", reviews.my_review, name="my_review"),
    path("reviews/<id:pk>/", reviews.review_detail, name="review_detail"),
    path("reviews/<id:pk>/report.docx", report.review_report_docx, name="review_report_docx"),
    path("reviews/<id:pk>/report.pdf", report.review_report_pdf, name="review_report_pdf"),
    path("reviews/<id:pk>/details/", clock.review_details_edit, name="review_details_edit"),
    path("stages/<id:pk>/", reviews.stage_detail, name="stage_detail"),
    path("stages/<id:pk>/start/", reviews.stage_start, name="stage_start"),
    path("stages/<id:pk>/submit/", reviews.stage_submit, name="stage_submit"),
    path("stages/<id:pk>/approve/", reviews.stage_approve, name="stage_approve"),
    path(
        "stages/<id:pk>/request-changes/",
        reviews.stage_request_changes,
        name="stage_request_changes",
    ),
    path("stages/<id:pk>/reopen/", reviews.stage_reopen, name="stage_reopen"),
    path(
        "stages/<id:pk>/evidence/note/",
        evidence.evidence_add,
        {"kind": evidence.NOTE},
        name="evidence_add_note",
    ),
    path(
        "stages/<id:pk>/evidence/file/",
        evidence.evidence_add,
        {"kind": evidence.FILE},
        name="evidence_add_file",
    ),
    path("evidence/<id:pk>/download/", evidence.evidence_download, name="evidence_download"),
    path("evidence/<id:pk>/edit/", evidence.evidence_edit_note, name="evidence_edit_note"),
    path("evidence/<id:pk>/remove/", evidence.evidence_remove, name="evidence_remove"),
    path(
        "stages/<id:pk>/episodes/add/",
        reviews.register_entry_add,
        {"kind": reviews.EPISODES},
        name="episode_add",
    ),
    path(
        "episodes/<id:pk>/edit/",
        reviews.register_entry_edit,
        {"kind": reviews.EPISODES},
        name="episode_edit",
    ),
    path(
        "episodes/<id:pk>/delete/",
        reviews.register_entry_delete,
        {"kind": reviews.EPISODES},
        name="episode_delete",
    ),
    path("episodes/<id:pk>/move/", reviews.episode_move, name="episode_move"),
    path(
        "stages/<id:pk>/findings/add/",
        reviews.register_entry_add,
        {"kind": reviews.FINDINGS},
        name="finding_add",
    ),
    path(
        "findings/<id:pk>/edit/",
        reviews.register_entry_edit,
        {"kind": reviews.FINDINGS},
        name="finding_edit",
    ),
    path(
        "findings/<id:pk>/delete/",
        reviews.register_entry_delete,
        {"kind": reviews.FINDINGS},
        name="finding_delete",
    ),
    # The review as it is run: its people, conversations and meetings
    path("reviews/<id:pk>/people/", conduct.review_people, name="review_people"),
    path(
        "reviews/<id:pk>/conversations/",
        conduct.review_conversations,
        name="review_conversations",
    ),
    path("reviews/<id:pk>/meetings/", conduct.review_meetings, name="review_meetings"),
    path(
        "reviews/<id:pk>/people/team/add/",
        conduct.entry_add,
        {"kind": conduct.TEAM_MEMBERS},
        name="team_member_add",
    ),
    path(
        "team-members/<id:pk>/edit/",
        conduct.entry_edit,
        {"kind": conduct.TEAM_MEMBERS},
        name="team_member_edit",
    ),
    path(
        "team-members/<id:pk>/delete/",
        conduct.entry_delete,
        {"kind": conduct.TEAM_MEMBERS},
        name="team_member_delete",
    ),
    path(
        "reviews/<id:pk>/people/case-group/add/",
        conduct.entry_add,
        {"kind": conduct.PARTICIPANTS},
        name="participant_add",
    ),
    path(
        "case-group/<id:pk>/edit/",
        conduct.entry_edit,
        {"kind": conduct.PARTICIPANTS},
        name="participant_edit",
    ),
    path(
        "case-group/<id:pk>/delete/",
        conduct.entry_delete,
        {"kind": conduct.PARTICIPANTS},
        name="participant_delete",
    ),
    path(
        "reviews/<id:pk>/people/family/add/",
        conduct.entry_add,
        {"kind": conduct.FAMILY},
        name="family_add",
    ),
    path(
        "family-involvement/<id:pk>/edit/",
        conduct.entry_edit,
        {"kind": conduct.FAMILY},
        name="family_edit",
    ),
    path(
        "family-involvement/<id:pk>/delete/",
        conduct.entry_delete,
        {"kind": conduct.FAMILY},
        name="family_delete",
    ),
    path(
        "reviews/<id:pk>/conversations/add/",
        conduct.entry_add,
        {"kind": conduct.CONVERSATIONS},
        name="conversation_add",
    ),
    path(
        "conversations/<id:pk>/edit/",
        conduct.entry_edit,
        {"kind": conduct.CONVERSATIONS},
        name="conversation_edit",
    ),
    path(
        "conversations/<id:pk>/delete/",
        conduct.entry_delete,
        {"kind": conduct.CONVERSATIONS},
        name="conversation_delete",
    ),
    path(
        "reviews/<id:pk>/meetings/add/",
        conduct.entry_add,
        {"kind": conduct.MEETINGS},
        name="meeting_add",
    ),
    path(
        "meetings/<id:pk>/edit/",
        conduct.entry_edit,
        {"kind": conduct.MEETINGS},
        name="meeting_edit",
    ),
    path(
        "meetings/<id:pk>/delete/",
        conduct.entry_delete,
        {"kind": conduct.MEETINGS},
        name="meeting_delete",
    ),
    # Supervision
    path("supervision/queue/", reviews.supervisor_queue, name="supervisor_queue"),
    path("supervision/log/", supervision.supervision_log, name="supervision_log"),
    path("supervision/mine/", supervision.my_supervision, name="my_supervision"),
    path("supervision/sessions/<id:pk>/", supervision.session_detail, name="session_detail"),
    path(
        "supervision/sessions/<id:pk>/confirm/",
        supervision.session_confirm,
        name="session_confirm",
    ),
    # Applications, assessment, certificates and the programme dashboard
    path("application/", applications.application_page, name="application"),
    path("application/check/", applications.application_check, name="application_check"),
    path("application/withdraw/", applications.application_withdraw, name="application_withdraw"),
    path("assessment/", assessment.assessment_queue, name="assessment_queue"),
    path("assessment/<id:pk>/", assessment.portfolio, name="assessment_portfolio"),
    path("assessment/<id:pk>/decide/", assessment.decide, name="assessment_decide"),
    path("assessment/certificates/", assessment.certificate_list, name="assessment_certificates"),
    path(
        "assessment/certificates/<id:pk>/",
        assessment.certificate_manage,
        name="certificate_manage",
    ),
    path("certificates/", certificates.my_certificates, name="my_certificates"),
    path("certificates/<id:pk>/pdf/", certificates.certificate_pdf, name="certificate_pdf"),
    path(
        "certificates/<id:pk>/register/",
        certificates.certificate_register,
        name="certificate_register",
    ),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/export.csv", dashboard.dashboard_csv, name="dashboard_csv"),
    # The supervisor's recommendation (criteria, recommendation and training attendance)
    path(
        "reviews/<id:pk>/recommendation/",
        recommendations.recommendation,
        name="recommendation",
    ),
    # The public register: the holder's register profile
    path("certificates/register-profile/", register.register_profile, name="register_profile"),
]
