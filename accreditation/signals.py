"""What drops the cached verification pages and public register (learning_platform.public_cache).

Those pages show a certificate's status and dates, its scheme, and the holder's name,
organisation and register choices. Any save of those rows moves the ``certificates`` generation
on once its transaction commits, so the next request, in any process, draws them afresh. Bulk
``update()`` calls send no signal: the code that makes one calls ``public_cache.invalidate``.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from learning_platform import public_cache

# A holder's fields the public pages show; a save that names only others (a sign-in's
# last_login, say) changes nothing there.
_SHOWN_USER_FIELDS = frozenset({"full_name", "email", "organisation", "erased_at", "is_active"})


def _certificates_changed(sender, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    public_cache.invalidate(public_cache.CERTIFICATES)


def _holder_saved(sender, instance, update_fields=None, raw=False, **kwargs) -> None:
    from .models import Certificate

    if raw or (update_fields is not None and not _SHOWN_USER_FIELDS & set(update_fields)):
        return
    if Certificate.objects.filter(holder_id=instance.pk).exists():
        public_cache.invalidate(public_cache.CERTIFICATES)


def _organisation_saved(sender, instance, raw=False, **kwargs) -> None:
    from .models import Certificate

    if raw:
        return
    if Certificate.objects.filter(holder__organisation_id=instance.pk).exists():
        public_cache.invalidate(public_cache.CERTIFICATES)


def connect() -> None:
    from learning_platform.accounts.models import Organisation, User

    from .models import (
        AccreditationScheme,
        Certificate,
        CertificateSettings,
        Region,
        RegisterProfile,
        ReviewType,
    )

    # The register lists each holder's review types by name.
    for model in (
        Certificate,
        RegisterProfile,
        Region,
        ReviewType,
        AccreditationScheme,
        CertificateSettings,
    ):
        for signal in (post_save, post_delete):
            signal.connect(
                _certificates_changed,
                sender=model,
                dispatch_uid=f"public_cache_{model._meta.label_lower}_{signal is post_save}",
            )
    m2m_changed.connect(
        _certificates_changed,
        sender=RegisterProfile.regions.through,
        dispatch_uid="public_cache_register_regions",
    )
    post_save.connect(_holder_saved, sender=User, dispatch_uid="public_cache_holder")
    post_save.connect(
        _organisation_saved, sender=Organisation, dispatch_uid="public_cache_organisation"
    )
    # Deleting an organisation clears its members' field in bulk, which sends no signal of its own.
    post_delete.connect(
        _certificates_changed, sender=Organisation, dispatch_uid="public_cache_organisation_gone"
    )
