"""Pieces the apps' Wagtail admin viewsets share."""

from wagtail.admin.views import generic


class SelectRelatedIndexView(generic.IndexView):
    """A listing that loads what each row shows of its related objects in the one listing
    query. Wagtail 8's ModelViewSet never calls a viewset's ``get_queryset``: the index view's
    ``get_base_queryset`` is where the listing's queryset is made."""

    select_related: tuple[str, ...] = ()

    def get_base_queryset(self):
        return super().get_base_queryset().select_related(*self.select_related)


def with_add_handler(viewset, get_kwargs, **kwargs):
    """The create form differs from the edit form: use the viewset's ``add_handler`` for it."""
    panel = viewset.add_handler.bind_to_model(viewset.model)
    return get_kwargs(panel=panel, form_class=panel.get_form_class(), **kwargs)
