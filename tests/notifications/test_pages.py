"""The notifications pages: each person sees and changes only their own notifications, the list
runs a fixed number of queries, and the email preferences save."""

import re
from datetime import timedelta

from django.urls import reverse

import pytest

from accreditation.events import AccreditationEvent
from accreditation.models import SignOff
from accreditation.services.stages import stage_approve
from courses.events import CourseEvent
from notifications.models import Notification, NotificationPreference
from notifications.rendering import render_email
from notifications.services import notify

from .conftest import submit_stage
from .page_helpers import LIST, text

pytestmark = pytest.mark.django_db

PREFERENCES = reverse("notifications:preferences")
MARK_ALL = reverse("notifications:mark_all_read")


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# Who may see what ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "method", "takes_pk"),
    [
        ("notifications:list", "get", False),
        ("notifications:preferences", "get", False),
        ("notifications:open", "get", True),
        ("notifications:mark_read", "post", True),
        ("notifications:mark_all_read", "post", False),
    ],
)
def test_it_sends_anonymous_visitors_to_sign_in(client, tess_notified, name, method, takes_pk):
    _, changes = tess_notified
    url = reverse(name, args=[changes.pk] if takes_pk else [])
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert Notification.objects.get(pk=changes.pk).read_at is None


def test_it_gives_someone_elses_notification_a_404(client, tess_notified, sam, uma):
    _, changes = tess_notified
    for person in (sam, uma):
        client.force_login(person)
        assert client.get(reverse("notifications:open", args=[changes.pk])).status_code == 404
        assert client.post(reverse("notifications:open", args=[changes.pk])).status_code == 404
        response = client.post(reverse("notifications:mark_read", args=[changes.pk]))
        assert response.status_code == 404
        # Marking all of one's own as read leaves Tess's alone.
        client.post(MARK_ALL)
        assert "Sam Supervisor asked for changes" not in text(client.get(LIST))
    assert Notification.objects.get(pk=changes.pk).read_at is None
    assert client.get(reverse("notifications:open", args=[999999])).status_code == 404


# The list --------------------------------------------------------------------------------------


def test_it_lists_unread_first_and_marks_them(client, tess_notified, tess):
    approved, changes = tess_notified
    client.force_login(tess)
    response = client.get(LIST)
    content = text(response)

    assert response.status_code == 200
    assert "You have 1 unread notification." in content
    unread = content.index("Sam Supervisor asked for changes to “Data collection”")
    read = content.index("Sam Supervisor signed off “Preparation”")
    assert unread < read
    assert content.count('<strong class="tag tag--blue">Unread</strong>') == 1
    assert reverse("notifications:open", args=[changes.pk]) in content
    assert reverse("notifications:mark_read", args=[changes.pk]) in content
    assert reverse("notifications:mark_read", args=[approved.pk]) not in content
    assert "Mark all as read" in content
    # Nothing inline for the CSP to refuse: scripts only from files.
    assert "style=" not in content
    assert re.findall(r"<script(?![^>]*\bsrc=)", content) == []


def test_it_orders_newest_first_among_the_unread(client, review, tess, pat, sam):
    stage_approve(stage=submit_stage(review, tess, 1), user=sam)
    stage_approve(stage=submit_stage(review, tess, 2), user=sam)
    client.force_login(tess)
    content = text(client.get(LIST))
    assert content.index("signed off “Data collection”") < content.index("signed off “Preparation”")


def test_it_says_when_there_are_no_notifications(client, uma):
    client.force_login(uma)
    content = text(client.get(LIST))
    assert "You have no notifications yet" in content
    assert "Mark all as read" not in content


def test_it_marks_one_as_read(client, tess_notified, tess):
    _, changes = tess_notified
    client.force_login(tess)

    response = client.post(
        reverse("notifications:mark_read", args=[changes.pk]), {"next": f"{LIST}?page=1"}
    )

    assert response.status_code == 302 and response["Location"] == f"{LIST}?page=1"
    changes.refresh_from_db()
    assert changes.read_at is not None
    page = client.get(LIST)
    assert "Notification marked as read." in _messages(page)
    assert "You have read all your notifications." in text(page)
    # Reading it again keeps the first time it was read.
    first = changes.read_at
    client.post(reverse("notifications:mark_read", args=[changes.pk]))
    changes.refresh_from_db()
    assert changes.read_at == first


def test_it_never_sends_the_reader_to_another_site(client, tess_notified, tess):
    _, changes = tess_notified
    client.force_login(tess)
    response = client.post(
        reverse("notifications:mark_read", args=[changes.pk]),
        {"next": "https://evil.example/phish"},
    )
    assert response["Location"] == LIST


def test_it_refuses_to_mark_as_read_with_a_get(client, tess_notified, tess):
    _, changes = tess_notified
    client.force_login(tess)
    assert client.get(reverse("notifications:mark_read", args=[changes.pk])).status_code == 405
    assert client.get(MARK_ALL).status_code == 405
    assert Notification.objects.get(pk=changes.pk).read_at is None


def test_it_marks_all_as_read(client, review, tess, pat, sam):
    stage_approve(stage=submit_stage(review, tess, 1), user=sam)
    stage_approve(stage=submit_stage(review, tess, 2), user=sam)
    client.force_login(tess)

    response = client.post(MARK_ALL, follow=True)

    assert "2 notifications marked as read." in _messages(response)
    assert not Notification.objects.filter(recipient=tess, read_at__isnull=True).exists()
    # Pat's own notifications about the same stages stay unread.
    assert Notification.objects.filter(recipient=pat, read_at__isnull=True).count() == 2
    again = client.post(MARK_ALL, follow=True)
    assert "You have no unread notifications." in _messages(again)


def test_it_marks_a_notification_read_when_opened_and_goes_to_its_page(
    client, tess_notified, tess, review
):
    _, changes = tess_notified
    client.force_login(tess)

    response = client.post(reverse("notifications:open", args=[changes.pk]))

    stage_pk = SignOff.objects.get(decision="changes_requested").stage_id
    assert response.status_code == 302
    assert response["Location"] == reverse("accreditation:stage_detail", args=[stage_pk])
    assert Notification.objects.get(pk=changes.pk).read_at is not None
    assert client.get(response["Location"]).status_code == 200


def test_it_opens_an_unread_notification_from_the_list_with_a_form(client, tess_notified, tess):
    approved, changes = tess_notified
    client.force_login(tess)

    content = text(client.get(LIST))

    open_changes = reverse("notifications:open", args=[changes.pk])
    open_approved = reverse("notifications:open", args=[approved.pk])
    assert re.search(
        rf'<form class="notification__open" method="post" action="{open_changes}">.*?'
        r'<button class="link-button" type="submit">Sam Supervisor asked for changes',
        content,
        re.S,
    )
    # A read one has nothing left to change: a plain link.
    assert f'<a href="{open_approved}">Sam Supervisor signed off' in content


def test_it_changes_nothing_when_an_emailed_link_is_followed(client, tess_notified, tess):
    # Mail scanners and link previews fetch an email's link before the person reads it.
    _, changes = tess_notified
    client.force_login(tess)
    open_url = reverse("notifications:open", args=[changes.pk])
    emailed_link = re.search(rf"http://testserver{open_url}", render_email(changes).text)[0]

    response = client.get(emailed_link)

    assert response.status_code == 200
    assert Notification.objects.get(pk=changes.pk).read_at is None
    content = text(response)
    assert "Sam Supervisor asked for changes to “Data collection”" in content
    assert f'<form method="post" action="{reverse("notifications:open", args=[changes.pk])}">' in (
        content
    )
    assert "Continuing marks this notification as read." in content
    # The page's button does what the list's does.
    response = client.post(reverse("notifications:open", args=[changes.pk]))
    assert response.status_code == 302
    assert Notification.objects.get(pk=changes.pk).read_at is not None


def test_it_goes_straight_on_from_a_read_notifications_link(client, tess_notified, tess):
    approved, _ = tess_notified
    client.force_login(tess)
    read_at = Notification.objects.get(pk=approved.pk).read_at

    response = client.get(reverse("notifications:open", args=[approved.pk]))

    stage_pk = SignOff.objects.get(decision="approved").stage_id
    assert response.status_code == 302
    assert response["Location"] == reverse("accreditation:stage_detail", args=[stage_pk])
    assert Notification.objects.get(pk=approved.pk).read_at == read_at


def test_it_shows_the_unread_count_in_the_navigation(client, tess_notified, tess):
    client.force_login(tess)
    nav = text(client.get(reverse("accounts_profile")))
    assert (
        f'<a href="{LIST}">Notifications <span class="tag">1'
        '<span class="visually-hidden"> unread</span></span></a>'
    ) in nav
    assert f'href="{PREFERENCES}"' in nav
    client.post(MARK_ALL)
    assert f'<a href="{LIST}">Notifications</a>' in text(client.get(reverse("accounts_profile")))


# Preferences -----------------------------------------------------------------------------------


def test_it_offers_each_optional_email_and_explains_the_others(client, tess):
    client.force_login(tess)
    content = text(client.get(PREFERENCES))
    for label in (
        "A trainee submits a stage for your sign-off",
        "Your supervisor signs off a stage",
        "Your supervisor records a supervision session for you to confirm",
        "A weekly summary of what waits for you",
    ):
        assert label in content
    # Seven, and the appeals and renewals an assessor may decide (offered to everyone, sent to
    # assessors).
    assert content.count('type="checkbox"') == 9
    assert content.count("checked") == 9
    assert "Emails you always get" in content
    assert "Decisions on your accreditation are always sent." in content
    assert "style=" not in content


def test_it_saves_the_choices(client, tess):
    client.force_login(tess)
    response = client.post(
        PREFERENCES,
        {
            AccreditationEvent.STAGE_SUBMITTED.value: "on",
            AccreditationEvent.SUPERVISOR_DIGEST.value: "on",
        },
    )
    assert response.status_code == 302
    off = set(
        NotificationPreference.objects.filter(user=tess, email=False).values_list(
            "event", flat=True
        )
    )
    assert off == {
        AccreditationEvent.STAGE_APPROVED,
        AccreditationEvent.SUPERVISION_TO_CONFIRM,
        AccreditationEvent.APPLICATION_SUBMITTED,
        AccreditationEvent.STAGE_WAITING_REMINDER,
        AccreditationEvent.APPEAL_LODGED,
        AccreditationEvent.RENEWAL_SUBMITTED,
        CourseEvent.TRAINEE_INACTIVITY_REMINDER,
    }
    page = client.get(PREFERENCES)
    assert "Your email preferences have been saved." in _messages(page)
    assert text(page).count("checked") == 2
    # A mandatory event sent by a crafted form is not turned off.
    client.post(PREFERENCES, {AccreditationEvent.APPLICATION_DECIDED.value: ""})
    assert not NotificationPreference.objects.filter(
        event=AccreditationEvent.APPLICATION_DECIDED
    ).exists()


def test_it_links_both_pages_from_the_profile(client, sam):
    client.force_login(sam)
    content = text(client.get(reverse("accounts_profile")))
    assert f'<a href="{LIST}">Your notifications</a>' in content
    assert f'<a href="{PREFERENCES}">Choose which emails you get</a>' in content


def test_it_says_just_now_for_a_notification_under_a_minute_old(client, tess, sam):
    import time_machine

    fresh = notify(recipient=tess, event=AccreditationEvent.STAGE_REOPENED, actor=sam)
    older = notify(recipient=tess, event=AccreditationEvent.STAGE_APPROVED, actor=sam)
    Notification.objects.filter(pk=older.pk).update(
        created_at=fresh.created_at - timedelta(minutes=5)
    )
    client.force_login(tess)

    with time_machine.travel(fresh.created_at + timedelta(seconds=40), tick=False):
        html = text(client.get(LIST))

    assert "(just now)" in html
    assert "(5\xa0minutes ago)" in html
    assert "0\xa0minutes" not in html
