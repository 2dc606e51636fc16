from django.urls import path

import learning_platform.converters  # noqa: F401 (registers <id:...>)

from .views import cohorts, invitations, learning

app_name = "courses"

urlpatterns = [
    path("", learning.my_learning, name="my_learning"),
    path(
        "modules/<id:page_id>/reflections/<str:block_id>/",
        learning.reflection_save,
        name="reflection_save",
    ),
    path(
        "modules/<id:page_id>/checks/<str:block_id>/",
        learning.knowledge_check_answer,
        name="knowledge_check_answer",
    ),
    path(
        "enrolments/<id:enrolment_id>/progress/",
        learning.enrolment_progress,
        name="enrolment_progress",
    ),
    # Cohorts, invitations, attendance and supervision
    path("cohorts/", cohorts.cohort_list, name="cohort_list"),
    path("cohorts/<id:pk>/", cohorts.cohort_detail, name="cohort_detail"),
    path(
        "cohorts/<id:pk>/calendar/<str:token>.ics",
        cohorts.cohort_calendar,
        name="cohort_calendar",
    ),
    path(
        "cohorts/<id:pk>/calendar/reset/",
        cohorts.cohort_reset_calendar,
        name="cohort_reset_calendar",
    ),
    path("cohorts/<id:pk>/assignments/", cohorts.cohort_assignments, name="cohort_assignments"),
    path("cohorts/<id:pk>/progress/", cohorts.cohort_grid, name="cohort_grid"),
    path("cohorts/<id:pk>/progress.csv", cohorts.cohort_grid_csv, name="cohort_grid_csv"),
    path("cohorts/<id:pk>/progress.xlsx", cohorts.cohort_grid_xlsx, name="cohort_grid_xlsx"),
    path(
        "cohorts/<id:pk>/days/<id:day_pk>/attendance/",
        cohorts.attendance_register,
        name="attendance_register",
    ),
    path("invitations/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
    path("enrolments/<id:pk>/status/", cohorts.enrolment_status, name="enrolment_status"),
    path("supervision/", cohorts.supervisor_home, name="supervisor_home"),
]
