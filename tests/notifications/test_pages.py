"""The notifications pages: each person sees and changes only their own notifications, the list
runs a fixed number of queries, and the email preferences save."""

import re
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

import pytest

from accreditation.events import AccreditationEvent
from accreditation.models import SignOff
from accreditation.services.stages import stage_approve, stage_request_changes
from accreditation.services.supervision import supervision_session_record
from courses.events import CourseEvent
from courses.services.invitations.lifecycle import invitation_create
from notifications.models import Notification, NotificationPreference
from notifications.rendering import render_email
from notifications.services import notify
from tests.courses.factories import CohortFactory, build_course

from .conftest import submit_stage

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")
LIST_QUERIES = 15
OPEN_QUERIES = 16
PREFERENCES = reverse("notifications:preferences")
MARK_ALL = reverse("notifications:mark_all_read")


def _text(response) -> str:
    return response.content.decode()


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def tess_notified(review, tess, sam):
    """Tess has two notifications: the older one (approval) read, the newer (changes) unread."""
    stage_approve(stage=submit_stage(review, tess, 1), user=sam)
    stage_request_changes(stage=submit_stage(review, tess, 2), user=sam, comment="More.")
    approved = Notification.objects.get(recipient=tess, event=AccreditationEvent.STAGE_APPROVED)
    changes = Notification.objects.get(
        recipient=tess, event=AccreditationEvent.STAGE_CHANGES_REQUESTED
    )
    Notification.objects.filter(pk=approved.pk).update(
        created_at=timezone.now() - timedelta(days=2), read_at=timezone.now()
    )
    return approved, changes


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
        assert "Sam Supervisor asked for changes" not in _text(client.get(LIST))
    assert Notification.objects.get(pk=changes.pk).read_at is None
    assert client.get(reverse("notifications:open", args=[999999])).status_code == 404


# The list --------------------------------------------------------------------------------------


def test_it_lists_unread_first_and_marks_them(client, tess_notified, tess):
    approved, changes = tess_notified
    client.force_login(tess)
    response = client.get(LIST)
    content = _text(response)

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
    content = _text(client.get(LIST))
    assert content.index("signed off “Data collection”") < content.index("signed off “Preparation”")


def test_it_says_when_there_are_no_notifications(client, uma):
    client.force_login(uma)
    content = _text(client.get(LIST))
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
    assert "You have read all your notifications." in _text(page)
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

    content = _text(client.get(LIST))

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
    content = _text(response)
    assert "Sam Supervisor asked for changes to “Data collection”" in content
    assert f'<form method="post" action="{reverse("notifications:open", args=[changes.pk])}">' in (
        content
    )
    assert "Continuing marks this notification as read." in content
    # The page's button does what the list's does.
    response = client.post(reverse("notifications:open", args=[changes.pk]))
    assert response.status_code == 302
    assert Notification.objects.get(pk=changes.pk).read_at is not None


def test_it_shows_an_unread_notification_in_a_fixed_number_of_queries(
    client, review, tess_notified, tess, sam, django_assert_num_queries
):
    _, changes = tess_notified
    # The invitation's course puts a page under the site root, as on any real site. Without one
    # the menu costs no query at all (a page with no children is not asked for them), and the
    # count would change with the first page added rather than with the notifications.
    kinds = _kinds(tess, sam, review)
    client.force_login(tess)
    url = reverse("notifications:open", args=[changes.pk])
    client.get(url)  # the first request after a cache clear also fills caches that later ones read

    with django_assert_num_queries(OPEN_QUERIES):
        response = client.get(url)
    assert response.status_code == 200

    _fill(50, tess, sam, kinds)
    with django_assert_num_queries(OPEN_QUERIES):
        assert client.get(url).status_code == 200


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
    nav = _text(client.get(reverse("accounts_profile")))
    assert (
        f'<a href="{LIST}">Notifications <span class="tag">1'
        '<span class="visually-hidden"> unread</span></span></a>'
    ) in nav
    assert f'href="{PREFERENCES}"' in nav
    client.post(MARK_ALL)
    assert f'<a href="{LIST}">Notifications</a>' in _text(client.get(reverse("accounts_profile")))


def _kinds(tess, sam, review):
    """Four kinds of thing a notification can be about."""
    sign_off = SignOff.objects.filter(stage__review=review).first()
    session = supervision_session_record(
        supervisor=sam, kind="group", date=date(2026, 2, 3), duration_minutes=60, attendees=[tess]
    )
    invitation = invitation_create(
        cohort=CohortFactory(course=build_course(modules=1)),
        email="tess@example.org",
        full_name="Tess",
        invited_by=None,
    )
    return [
        (AccreditationEvent.STAGE_APPROVED, sign_off),
        (AccreditationEvent.SUPERVISION_TO_CONFIRM, session),
        (CourseEvent.INVITATION, invitation),
        (AccreditationEvent.APPLICATION_SUBMITTED, None),
    ]


def _fill(count, tess, sam, kinds):
    for number in range(count - Notification.objects.filter(recipient=tess).count()):
        event, target = kinds[number % len(kinds)]
        notify(recipient=tess, event=event, actor=sam, target=target)
    assert Notification.objects.filter(recipient=tess).count() == count


def test_it_runs_the_same_queries_for_5_notifications_as_for_50(
    client, review, tess, sam, django_assert_num_queries
):
    submit_stage(review, tess)
    kinds = _kinds(tess, sam, review)
    client.force_login(tess)
    client.get(LIST)  # the first request after a cache clear also fills caches that later ones read

    _fill(5, tess, sam, kinds)
    with django_assert_num_queries(LIST_QUERIES):
        small = client.get(LIST)
    _fill(50, tess, sam, kinds)
    with django_assert_num_queries(LIST_QUERIES):
        large = client.get(LIST)

    assert _text(small).count('class="notification--unread"') == 5
    assert _text(large).count('class="notification--unread"') == 20
    assert "Page 1 of 3" in _text(large)
    assert "Confirm your attendance at group supervision on 3 February 2026" in _text(large)
    assert "You are invited to join" in _text(large)
    page_3 = client.get(LIST, {"page": 3})
    assert _text(page_3).count('class="notification--unread"') == 10


# Preferences -----------------------------------------------------------------------------------


def test_it_offers_each_optional_email_and_explains_the_others(client, tess):
    client.force_login(tess)
    content = _text(client.get(PREFERENCES))
    for label in (
        "A trainee submits a stage for your sign-off",
        "Your supervisor signs off a stage",
        "Your supervisor records a supervision session for you to confirm",
        "A weekly summary of what waits for you",
    ):
        assert label in content
    assert content.count('type="checkbox"') == 7
    assert content.count("checked") == 7
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
        CourseEvent.TRAINEE_INACTIVITY_REMINDER,
    }
    page = client.get(PREFERENCES)
    assert "Your email preferences have been saved." in _messages(page)
    assert _text(page).count("checked") == 2
    # A mandatory event sent by a crafted form is not turned off.
    client.post(PREFERENCES, {AccreditationEvent.APPLICATION_DECIDED.value: ""})
    assert not NotificationPreference.objects.filter(
        event=AccreditationEvent.APPLICATION_DECIDED
    ).exists()


def test_it_links_both_pages_from_the_profile(client, sam):
    client.force_login(sam)
    content = _text(client.get(reverse("accounts_profile")))
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
        html = _text(client.get(LIST))

    assert "(just now)" in html
    assert "(5\xa0minutes ago)" in html
    assert "0\xa0minutes" not in html
