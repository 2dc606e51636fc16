"""The events people are notified about, each declared by the app that raises it.

An app that notifies people has an ``events`` module with a tuple ``NOTIFICATION_EVENTS`` of
``EventType``. The notifications app finds those modules when it starts (``discover``, called
from its AppConfig) and learns everything it needs about an event from its declaration: the label
on the preferences page, whether its email may be turned off, the page it leads to, what the
notifications list fetches for its target, and its email templates. So this app names no other
app, and a new event needs no change here.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet
from django.utils.module_loading import autodiscover_modules

if TYPE_CHECKING:
    from .models import Notification

MODULE_NAME = "events"
# Where an event's templates are unless its declaration says otherwise; base.html and base.txt
# are here too.
DEFAULT_TEMPLATE_DIR = "notifications/email"
# The width of the event columns on Notification and NotificationPreference.
MAX_KEY_LENGTH = 40


class UnknownEvent(ValueError):
    """No app declares an event with this key."""


@dataclass(frozen=True)
class EventType:
    """One kind of notification, as the app that raises it declares it.

    - ``key``: stored on each notification (at most 40 characters, unique across apps).
    - ``label``: what the preferences page calls it; a callable (or lazy string) when it names a
      number that comes from settings.
    - ``optional``: whether a person may turn its email off (the in-app notification still
      appears); if not, ``why_always_sent`` says why, in words for the preferences page.
    - ``emailed_elsewhere``: another part of the platform sends its email, so the notification
      is in-app only.
    - ``link``: the path of the page about a target (empty when it has none for that target);
      ``page`` is the URL name used otherwise, and with no target. Without either, the
      notification leads to the notifications list.
    - ``targets``: the querysets that fetch its targets for the notifications list, one per model;
      events about the same model should share one.
    - ``template_dir``: holds ``<key>.subject.txt``, ``<key>.txt`` and ``<key>.html``.
    - ``body_context``: extra template variables for the email's plain text and HTML bodies.
    - ``reply_to``: the addresses a reply to the email goes to (for an email that relays a
      message from someone else); none when it returns an empty list.
    """

    key: str
    label: str | Callable[[], str]
    optional: bool
    why_always_sent: str = ""
    emailed_elsewhere: bool = False
    link: Callable[[Model], str] | None = None
    page: str = ""
    targets: tuple[QuerySet, ...] = ()
    template_dir: str = DEFAULT_TEMPLATE_DIR
    body_context: Callable[[Notification], dict] | None = None
    reply_to: Callable[[Notification], list[str]] | None = None

    def __post_init__(self) -> None:
        # A StrEnum member works as a key; a plain str keeps comparisons and reprs simple.
        object.__setattr__(self, "key", str(self.key))
        if not self.key or len(self.key) > MAX_KEY_LENGTH:
            raise ImproperlyConfigured(
                f"Notification event key {self.key!r} must be 1 to {MAX_KEY_LENGTH} characters."
            )
        if self.optional == bool(self.why_always_sent):
            raise ImproperlyConfigured(
                f"Notification event {self.key!r}: an email that cannot be turned off says why "
                "(why_always_sent), and only such an email does."
            )

    @property
    def label_text(self) -> str:
        return str(self.label()) if callable(self.label) else str(self.label)

    def template_names(self) -> tuple[str, str, str]:
        return template_names_in(self.template_dir, self.key)


_events: dict[str, EventType] = {}


def discover() -> None:
    """Read every installed app's events module, in INSTALLED_APPS order (the order the
    preferences page lists them in)."""
    autodiscover_modules(MODULE_NAME)
    found: dict[str, EventType] = {}
    for config in apps.get_app_configs():
        module = sys.modules.get(f"{config.name}.{MODULE_NAME}")
        for event_type in getattr(module, "NOTIFICATION_EVENTS", ()):
            if event_type.key in found:
                raise ImproperlyConfigured(
                    f"Notification event {event_type.key!r} is declared twice "
                    f"(again in {config.name}.{MODULE_NAME})."
                )
            found[event_type.key] = event_type
    _events.clear()
    _events.update(found)


def event_types() -> Iterator[EventType]:
    return iter(_events.values())


def find(key: str) -> EventType | None:
    return _events.get(str(key))


def get(key: str) -> EventType:
    event_type = find(key)
    if event_type is None:
        raise UnknownEvent(
            f"No app declares the notification event {str(key)!r}: add it to NOTIFICATION_EVENTS "
            f"in the {MODULE_NAME} module of the app that raises it."
        )
    return event_type


def optional_keys() -> list[str]:
    """The events whose email a person may turn off, in declaration order."""
    return [event_type.key for event_type in event_types() if event_type.optional]


def label(key: str) -> str:
    """The event's label; the key itself for an event no app declares any more."""
    event_type = find(key)
    return event_type.label_text if event_type is not None else str(key)


def template_names_in(template_dir: str, key: str) -> tuple[str, str, str]:
    base = f"{template_dir}/{key}"
    return f"{base}.subject.txt", f"{base}.txt", f"{base}.html"


def template_names(key: str) -> tuple[str, str, str]:
    """The subject, plain text and HTML templates of an event. One no app declares any more is
    looked for in the default directory, so its missing template is named when it fails."""
    event_type = find(key)
    template_dir = event_type.template_dir if event_type is not None else DEFAULT_TEMPLATE_DIR
    return template_names_in(template_dir, str(key))


def target_querysets() -> list[QuerySet]:
    """One queryset per kind of target, for the GenericPrefetch of the notifications list: the
    first one declared for a model is used."""
    by_model: dict[type[Model], QuerySet] = {}
    for event_type in event_types():
        for queryset in event_type.targets:
            by_model.setdefault(queryset.model, queryset)
    # Copies: a prefetch must never fill (or change) the declared queryset.
    return [queryset.all() for queryset in by_model.values()]
