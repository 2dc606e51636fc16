"""The My learning address, a progress record's address, and a reflection saved on a module."""

import datetime

from django.urls import reverse

from courses.models import ModuleProgress, ReflectionAnswer

MY_LEARNING = reverse("courses:my_learning")


def progress_url(enrolment):
    """The address of an enrolment's progress record."""
    return reverse("courses:enrolment_progress", args=[enrolment.pk])


def reflect(enrolment, module, answer, *, complete=True):
    """Save `answer` to the module's reflective question and, unless told not to, complete it."""
    progress, _ = ModuleProgress.objects.get_or_create(enrolment=enrolment, module=module)
    block_id = next(
        item["id"] for item in module.body.raw_data if item["type"] == "reflective_question"
    )
    ReflectionAnswer.objects.create(progress=progress, block_id=block_id, answer=answer)
    if complete:
        progress.completed_at = datetime.datetime.now(datetime.UTC)
        progress.save()
    return progress
