"""Domain errors for courses. Each message is written for the person who caused it."""


class CourseError(Exception):
    """Something the course rules do not allow; views show the message to the user."""


class NotEnrolledError(CourseError):
    """The user has no active or completed enrolment on the module's course."""


class PrerequisitesNotMetError(CourseError):
    """The module needs earlier modules to be completed first."""


class InvalidAnswerError(CourseError):
    """An answer that cannot be saved: empty, incomplete or naming an unknown option."""
