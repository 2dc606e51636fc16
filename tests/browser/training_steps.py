"""What the training journeys share: the course and cohort they use, and its first module."""

COURSE_TITLE = "Lead reviewer programme"
COHORT_NAME = "Leeds boards 2027"
REFLECTION_QUESTION = "What surprised you about local rationality?"
REFLECTION_ANSWER = (
    "How reasonable the closed referral looked from inside the duty team, with 28 open cases."
)


def first_module(course):
    """The course's first module: the one with the reflection and the knowledge check."""
    return course.modules()[0]
