"""The page a notification leads to, worked out when it is created and stored as a path (ids
only). The event's declaration knows its pages, so this module names no other app."""

from django.db import models
from django.urls import reverse

from . import registry


def link_for(*, event: str, target: models.Model | None) -> str:
    event_type = registry.get(event)
    if target is not None and event_type.link is not None:
        path = event_type.link(target)
        if path:
            return path
    return reverse(event_type.page or "notifications:list")
