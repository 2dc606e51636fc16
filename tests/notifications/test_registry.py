"""The events each app declares: every one can be rendered, reminders name the configured number
of days, an undeclared event is refused, and the notifications app names no other app."""

import ast
from pathlib import Path

from django.apps import apps
from django.template.loader import get_template

import pytest

from accreditation.events import AccreditationEvent
from courses.events import CourseEvent
from notifications import registry
from notifications.models import Notification
from notifications.registry import UnknownEvent
from notifications.services import notify, notify_many

NOTIFICATIONS_DIR = Path(apps.get_app_config("notifications").path)


def test_it_refuses_an_unknown_event(tess):
    with pytest.raises(UnknownEvent, match="'no_such_event'"):
        notify(recipient=tess, event="no_such_event")
    with pytest.raises(ValueError, match="'no_such_event'"):
        notify_many(recipients=[tess], event="no_such_event")
    assert not Notification.objects.exists()


def test_it_knows_every_event_the_apps_raise():
    declared = [event_type.key for event_type in registry.event_types()]
    assert sorted(declared) == sorted([*AccreditationEvent, *CourseEvent])


@pytest.mark.parametrize("event_type", list(registry.event_types()), ids=lambda e: e.key)
def test_each_declared_event_has_its_three_templates_and_a_label(event_type):
    for name in event_type.template_names():
        assert get_template(name)
    assert event_type.label_text


def test_reminder_labels_name_the_configured_number_of_days(settings):
    settings.STAGE_REMINDER_DAYS = 7
    settings.TRAINEE_INACTIVITY_DAYS = 30
    assert "more than 7 days" in registry.label(AccreditationEvent.STAGE_WAITING_REMINDER)
    assert "for 30 days" in registry.label(CourseEvent.TRAINEE_INACTIVITY_REMINDER)

    settings.STAGE_REMINDER_DAYS = 3
    settings.TRAINEE_INACTIVITY_DAYS = 45
    assert "more than 3 days" in registry.label(AccreditationEvent.STAGE_WAITING_REMINDER)
    assert "for 45 days" in registry.label(CourseEvent.TRAINEE_INACTIVITY_REMINDER)


def test_the_preferences_page_lists_the_labels_from_settings(client, tess, settings):
    settings.STAGE_REMINDER_DAYS = 3
    client.force_login(tess)
    content = client.get("/notifications/preferences/").content.decode()
    assert "A reminder when a stage has waited more than 3 days for your sign-off" in content


def test_an_email_that_cannot_be_turned_off_says_why():
    for event_type in registry.event_types():
        assert event_type.optional != bool(event_type.why_always_sent), event_type.key


def _other_first_party_apps() -> set[str]:
    root = NOTIFICATIONS_DIR.parent
    return {
        config.name.split(".")[0]
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(root)
        and "site-packages" not in config.path
        and config.name.split(".")[0] not in {"notifications", "learning_platform"}
    }


def test_the_notifications_app_names_no_other_app():
    others = _other_first_party_apps()
    assert {"accreditation", "courses"} <= others
    for path in NOTIFICATIONS_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                modules = [node.module or ""]
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                # No model label or URL name of another app either.
                prefix = node.value.replace(":", ".").split(".")[0]
                assert not (prefix in others and node.value != prefix), (
                    f"{path.name} names {node.value!r}"
                )
                continue
            else:
                continue
            for module in modules:
                assert module.split(".")[0] not in others, f"{path.name} imports {module}"
