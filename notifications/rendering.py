"""Turning a notification into words: its email (subject, plain text and HTML) and its one-line
text in the notifications list.

Each event has three templates in the directory its declaration names (see registry), usually in
the app that raises it: `<event>.subject.txt` (also the line shown in the list), `<event>.txt` and
`<event>.html` (which extends `notifications/email/base.html`; the plain text extends
`notifications/email/base.txt`). Every template gets:

- `notification`, `event`, `recipient`, `actor` (may be None) and `target` (may be None);
- `context`: the notification's stored ids and short values;
- `open_url`: an absolute link that marks the notification read and opens its page;
- `site_url`, `notifications_url`, `preferences_url` (absolute), and `optional` (whether the
  recipient may turn this email off);
- in the body templates only, `subject`: the rendered subject line, without the prefix.

An event that needs more than that declares a `body_context` function, which takes the
notification and returns extra template variables for the plain text and HTML bodies. The
subject does not get them: it is also the line in the notifications list, which renders many
notifications at once and must run a fixed number of queries, so a subject uses only the
variables above (and the related objects the list fetches for each kind of target).

Rendering a notification whose templates are missing raises TemplateDoesNotExist naming the
file, so a mail is never sent half-written.
"""

import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse

from . import registry
from .models import Notification
from .registry import template_names

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def template_context(notification: Notification, *, for_body: bool = True) -> dict:
    event_type = registry.find(notification.event)
    context = {
        "notification": notification,
        "event": notification.event,
        "recipient": notification.recipient,
        "actor": notification.actor,
        "target": notification.target,
        "context": notification.context or {},
        "optional": event_type is not None and event_type.optional,
        "site_url": settings.SITE_URL.rstrip("/"),
        "open_url": absolute_url(reverse("notifications:open", args=[notification.pk])),
        "notifications_url": absolute_url(reverse("notifications:list")),
        "preferences_url": absolute_url(reverse("notifications:preferences")),
    }
    if for_body and event_type is not None and event_type.body_context is not None:
        context.update(event_type.body_context(notification))
    return context


def _render_plain(name: str, context: dict) -> str:
    # Plain text and subjects are not HTML: without autoescaping, "O'Brien" stays "O'Brien".
    return get_template(name).template.render(Context(context, autoescape=False))


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def render_email(notification: Notification) -> RenderedEmail:
    subject_name, text_name, html_name = template_names(notification.event)
    subject = _one_line(_render_plain(subject_name, template_context(notification, for_body=False)))
    if not subject:
        raise ValueError(f"{subject_name} rendered an empty subject.")
    context = {**template_context(notification), "subject": subject}
    return RenderedEmail(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        text=_render_plain(text_name, context).strip() + "\n",
        html=get_template(html_name).render(context),
    )


def render_summary(notification: Notification) -> str:
    """The line shown in the notifications list: the email's subject, without the prefix."""
    subject_name = template_names(notification.event)[0]
    try:
        line = _one_line(
            _render_plain(subject_name, template_context(notification, for_body=False))
        )
    except TemplateDoesNotExist:
        # The list must still open; the missing template is loud in the logs and in sending.
        logger.error("Missing notification template %s", subject_name)
        line = ""
    return line or notification.event_label
