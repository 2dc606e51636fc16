from .cohorts import Attendance, Cohort, Enrolment, Invitation, TrainingDay
from .pages import CourseIndexPage, CoursePage, ModulePage
from .progress import KnowledgeCheckAttempt, ModuleProgress, ReflectionAnswer

__all__ = [
    "Attendance",
    "Cohort",
    "CourseIndexPage",
    "CoursePage",
    "Enrolment",
    "Invitation",
    "KnowledgeCheckAttempt",
    "ModulePage",
    "ModuleProgress",
    "ReflectionAnswer",
    "TrainingDay",
]
