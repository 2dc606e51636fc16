from wagtail import hooks
from wagtail.log_actions import LogFormatter

from .access import modules_with_hidden_body
from .viewsets import ProgrammeViewSetGroup


@hooks.register("register_admin_viewset")
def register_programme_viewsets():
    return ProgrammeViewSetGroup()


class _ReasonFormatter(LogFormatter):
    """Shows the reason given for a change as the history entry's comment."""

    def format_comment(self, log_entry):
        return (log_entry.data or {}).get("reason") or ""


@hooks.register("register_log_actions")
def register_cohort_log_actions(actions):
    for action, label, message in (
        ("courses.enrolment.create", "Enrolment: enrol", "Enrolled"),
        ("courses.enrolment.activate", "Enrolment: activate", "Marked active"),
        ("courses.enrolment.complete", "Enrolment: complete", "Marked completed"),
        ("courses.enrolment.withdraw", "Enrolment: withdraw", "Withdrawn"),
        ("courses.enrolment.defer", "Enrolment: defer", "Deferred"),
        ("courses.enrolment.assign", "Enrolment: assign", "Supervisor or review partner changed"),
        ("courses.attendance.record", "Attendance: record", "Attendance register saved"),
        ("courses.invitation.create", "Invitation: send", "Invitation sent"),
        ("courses.invitation.resend", "Invitation: send a new link", "New invitation link sent"),
        ("courses.invitation.accept", "Invitation: accept", "Invitation accepted"),
        (
            "courses.invitation.close",
            "Invitation: close",
            "Closed: the person was enrolled directly",
        ),
        ("courses.cohort.reset_calendar", "Cohort: new calendar link", "Calendar link changed"),
    ):
        formatter = type(
            "CohortLogFormatter", (_ReasonFormatter,), {"label": label, "message": message}
        )
        actions.register_action(action)(formatter)


@hooks.register("hide_from_site_search")
def hide_module_bodies_from_site_search(user):
    # A module's page is indexed with its body; only those who may read the body find it.
    return modules_with_hidden_body(user=user)
