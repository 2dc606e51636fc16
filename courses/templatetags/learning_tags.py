from django import template

from ..selectors.progress import ModuleStatus, user_has_learning

register = template.Library()

# The colour of each module status's tag on the task list.
STATUS_TAG_CLASSES = {
    ModuleStatus.CANNOT_START: "tag--grey",
    ModuleStatus.NOT_STARTED: "tag--blue",
    ModuleStatus.IN_PROGRESS: "tag--yellow",
    ModuleStatus.COMPLETED: "tag--green",
}


@register.filter
def has_learning(user) -> bool:
    """`{% if user|has_learning %}`: the user has an active or completed enrolment."""
    return user_has_learning(user=user)


@register.filter
def module_status_tag(status: str) -> str:
    """`{{ row.status|module_status_tag }}`: the tag class for a module's status."""
    return STATUS_TAG_CLASSES[status]
