"""Small helpers the apps' access modules share. This module imports no app of ours."""

from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

M = TypeVar("M", bound=Model)


def get_or_404(queryset: QuerySet[M], pk) -> M:
    """The row with this id from the queryset, or Http404.

    An id that is not a number (or is None) is a 404 too, never a 500: the queryset is already
    limited to what this user may see, so asking for anything else looks exactly like asking for
    something that does not exist.
    """
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error
