from django.db import models


class AppendOnlyModel(models.Model):
    """A record that is written once and never changed: sign-offs, decisions, status history."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError(f"{self._meta.verbose_name_plural.capitalize()} are append-only.")
        super().save(*args, **kwargs)
