"""What drops the cached public site pages (learning_platform.public_cache).

A page's menu, listings and links show other pages, so any publish, unpublish, move or deletion
of a page, a live page saved in place, a change to a page's view restrictions, or a change to
the site, its documents or its images moves the ``pages`` generation on; every anonymous page is
then drawn afresh on its next request. Saving a draft changes nothing the public sees and drops
nothing.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from wagtail.models import Page, PageViewRestriction, Site, get_page_models
from wagtail.signals import page_published, page_unpublished, post_page_move

from learning_platform import public_cache


def _pages_changed(sender, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    public_cache.invalidate(public_cache.PAGES)


# What saving a draft, or locking a page for editing, writes to a live page's row.
_DRAFT_FIELDS = frozenset(
    {
        "draft_title",
        "has_unpublished_changes",
        "latest_revision",
        "latest_revision_created_at",
        "locked",
        "locked_at",
        "locked_by",
    }
)


def _page_saved(sender, instance, update_fields=None, raw=False, **kwargs) -> None:
    # A live page saved in place (created live, or edited in code) changes what the public sees
    # as publishing does; a draft saved beside it does not.
    if raw or not instance.live:
        return
    if update_fields is not None and set(update_fields) <= _DRAFT_FIELDS:
        return
    public_cache.invalidate(public_cache.PAGES)


def _page_deleted(sender, instance, **kwargs) -> None:
    if instance.live:
        public_cache.invalidate(public_cache.PAGES)


def connect() -> None:
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    page_published.connect(_pages_changed, dispatch_uid="public_cache_page_published")
    page_unpublished.connect(_pages_changed, dispatch_uid="public_cache_page_unpublished")
    post_page_move.connect(_pages_changed, dispatch_uid="public_cache_page_moved")
    # Each page type by name: a receiver for every sender would stop Django deleting any
    # model's rows in bulk. The base Page is left out, as a deletion also sends for its type.
    for model in get_page_models():
        if model is not Page:
            label = model._meta.label_lower
            post_save.connect(_page_saved, sender=model, dispatch_uid=f"public_cache_saved_{label}")
            post_delete.connect(
                _page_deleted, sender=model, dispatch_uid=f"public_cache_deleted_{label}"
            )
    # A page made private, or public again: served from the cache, a page skips Wagtail's own
    # check of its restrictions, so its copy must go the moment they change.
    m2m_changed.connect(
        _pages_changed,
        sender=PageViewRestriction.groups.through,
        dispatch_uid="public_cache_restriction_groups",
    )
    # Pages link to documents and show images by their titles and files.
    for model in (Site, PageViewRestriction, get_document_model(), get_image_model()):
        for signal in (post_save, post_delete):
            signal.connect(
                _pages_changed,
                sender=model,
                dispatch_uid=f"public_cache_{model._meta.label_lower}_{signal is post_save}",
            )
