from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class PrivateStorage(LazyObject):
    """The "private" storage as STORAGES configures it now.

    A FileField resolves its storage once, when the model is defined; this proxy follows a later
    change of STORAGES (a settings override in tests, say) as Django's default_storage does."""

    def _setup(self):
        self._wrapped = storages["private"]


private_storage = PrivateStorage()


@receiver(setting_changed)
def _private_storage_follows_settings(*, setting, **kwargs):
    if setting == "STORAGES":
        private_storage._wrapped = empty


class AppendOnlyModel(models.Model):
    """A record that is written once and never changed: sign-offs, decisions, status history."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError(f"{self._meta.verbose_name_plural.capitalize()} are append-only.")
        super().save(*args, **kwargs)
