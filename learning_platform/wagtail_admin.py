"""Pieces the apps' Wagtail admin viewsets share."""

from django.contrib import messages
from django.db import router
from django.db.models.deletion import Collector, ProtectedError
from django.shortcuts import redirect
from django.utils.functional import cached_property

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


class RefuseDeleteInUseView(generic.DeleteView):
    """A delete page that refuses, and says why, when other records still use the object
    through a protected foreign key: the page explains instead of offering the button, and a
    POST sent anyway changes nothing and says the same."""

    template_name = "wagtail_admin/confirm_delete_in_use.html"

    @cached_property
    def in_use(self) -> str | None:
        collector = Collector(using=router.db_for_write(self.model))
        try:
            collector.collect([self.object])
        except ProtectedError as error:
            protected = error.protected_objects
            counts: dict[str, int] = {}
            for obj in protected:
                counts[obj._meta.verbose_name_plural] = (
                    counts.get(obj._meta.verbose_name_plural, 0) + 1
                )
            uses = ", ".join(f"{count} {name}" for name, count in counts.items())
            return (
                f"“{self.object}” cannot be deleted because {uses} use it. Change them to "
                "use something else first, or keep it."
            )
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["in_use"] = self.in_use
        return context

    def form_valid(self, form):
        if self.in_use:
            messages.error(self.request, self.in_use)
            return redirect(self.request.path)
        return super().form_valid(form)
