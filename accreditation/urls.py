from django.urls import path

import learning_platform.converters  # noqa: F401 (registers <id:...>)

from .views import (
    applications,
    assessment,
    certificates,
    clock,
    dashboard,
    evidence,
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
]
