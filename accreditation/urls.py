from django.urls import path

from .views import applications, assessment, certificates, dashboard, evidence, reviews, supervision

app_name = "accreditation"

urlpatterns = [
    # Supervised review: reviews, stages, evidence and registers
    path("", reviews.my_review, name="my_review"),
    path("reviews/<int:pk>/", reviews.review_detail, name="review_detail"),
    path("stages/<int:pk>/", reviews.stage_detail, name="stage_detail"),
    path("stages/<int:pk>/start/", reviews.stage_start, name="stage_start"),
    path("stages/<int:pk>/submit/", reviews.stage_submit, name="stage_submit"),
    path("stages/<int:pk>/approve/", reviews.stage_approve, name="stage_approve"),
    path(
        "stages/<int:pk>/request-changes/",
        reviews.stage_request_changes,
        name="stage_request_changes",
    ),
    path("stages/<int:pk>/reopen/", reviews.stage_reopen, name="stage_reopen"),
    path("stages/<int:pk>/evidence/note/", evidence.evidence_add_note, name="evidence_add_note"),
    path("stages/<int:pk>/evidence/file/", evidence.evidence_add_file, name="evidence_add_file"),
    path("evidence/<int:pk>/download/", evidence.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/edit/", evidence.evidence_edit_note, name="evidence_edit_note"),
    path("evidence/<int:pk>/remove/", evidence.evidence_remove, name="evidence_remove"),
    path("stages/<int:pk>/episodes/add/", reviews.episode_add, name="episode_add"),
    path("episodes/<int:pk>/edit/", reviews.episode_edit, name="episode_edit"),
    path("episodes/<int:pk>/delete/", reviews.episode_delete, name="episode_delete"),
    path("stages/<int:pk>/patterns/add/", reviews.pattern_add, name="pattern_add"),
    path("patterns/<int:pk>/edit/", reviews.pattern_edit, name="pattern_edit"),
    path("patterns/<int:pk>/delete/", reviews.pattern_delete, name="pattern_delete"),
    # Supervision
    path("supervision/queue/", reviews.supervisor_queue, name="supervisor_queue"),
    path("supervision/log/", supervision.supervision_log, name="supervision_log"),
    path("supervision/mine/", supervision.my_supervision, name="my_supervision"),
    path("supervision/sessions/<int:pk>/", supervision.session_detail, name="session_detail"),
    path(
        "supervision/sessions/<int:pk>/confirm/",
        supervision.session_confirm,
        name="session_confirm",
    ),
    # Applications, assessment, certificates and the programme dashboard
    path("application/", applications.application_page, name="application"),
    path("application/check/", applications.application_check, name="application_check"),
    path("application/withdraw/", applications.application_withdraw, name="application_withdraw"),
    path("assessment/", assessment.assessment_queue, name="assessment_queue"),
    path("assessment/<int:pk>/", assessment.portfolio, name="assessment_portfolio"),
    path("assessment/<int:pk>/decide/", assessment.decide, name="assessment_decide"),
    path("assessment/certificates/", assessment.certificate_list, name="assessment_certificates"),
    path(
        "assessment/certificates/<int:pk>/",
        assessment.certificate_manage,
        name="certificate_manage",
    ),
    path("certificates/", certificates.my_certificates, name="my_certificates"),
    path("certificates/<int:pk>/pdf/", certificates.certificate_pdf, name="certificate_pdf"),
    path(
        "certificates/<int:pk>/register/",
        certificates.certificate_register,
        name="certificate_register",
    ),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/export.csv", dashboard.dashboard_csv, name="dashboard_csv"),
]
