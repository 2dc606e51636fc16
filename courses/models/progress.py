from django.db import models


class ModuleProgress(models.Model):
    enrolment = models.ForeignKey(
        "courses.Enrolment", on_delete=models.CASCADE, related_name="module_progress"
    )
    module = models.ForeignKey("courses.ModulePage", on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "module"], name="one_progress_per_module")
        ]

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class ReflectionAnswer(models.Model):
    """A trainee's private answer to a reflective question; shown to their supervisor."""

    progress = models.ForeignKey(
        ModuleProgress, on_delete=models.CASCADE, related_name="reflections"
    )
    block_id = models.CharField(max_length=64, help_text="The StreamField block's id.")
    answer = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["progress", "block_id"], name="one_answer_per_question")
        ]


class KnowledgeCheckAttempt(models.Model):
    progress = models.ForeignKey(ModuleProgress, on_delete=models.CASCADE, related_name="attempts")
    block_id = models.CharField(max_length=64)
    answers = models.JSONField(help_text="Question index to chosen option index.")
    score_percent = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
