"""The review's People, Conversations and Meetings pages: who sees what, the forms and their
messages, the links from the review page, and constant query counts."""

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from accreditation.models import (
    AccreditationApplication,
    CaseGroupParticipant,
    Conversation,
    FamilyInvolvement,
    KeyPracticeEpisode,
    ReviewMeeting,
    ReviewTeamMember,
    ReviewType,
)
from accreditation.services import conduct

from .award_builders import make_ready, submit
from .conduct_helpers import conversation, meeting, member, participant
from .factories import stage

pytestmark = pytest.mark.django_db


def _url(name, review):
    return reverse(f"accreditation:{name}", args=[review.pk])


def _date(day: date, name="date") -> dict:
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def _page(client, name, review) -> str:
    response = client.get(_url(name, review))
    assert response.status_code == 200
    return response.content.decode()


# Reading ------------------------------------------------------------------------------------


def test_it_shows_empty_lists_with_what_to_do_first(client, review, tess):
    client.force_login(tess)
    people = _page(client, "review_people", review)
    assert "No review-team members recorded yet." in people
    assert "No one in the case group yet. Add its members before planning conversations." in people
    assert "No family involvement recorded yet." in people
    assert "initials (for example 'J.T.') are often better" in people
    assert _url("team_member_add", review) in people
    conversations = _page(client, "review_conversations", review)
    assert "add the case group first" in conversations
    assert _url("participant_add", review) in conversations
    assert _url("conversation_add", review) not in conversations
    meetings = _page(client, "review_meetings", review)
    assert "No meetings recorded yet." in meetings


def test_it_lists_conversations_held_and_planned_and_meetings_by_kind(client, review, tess):
    dee = member(review, tess)
    nurse = participant(review, tess)
    conversation(review, tess, [nurse], notes="Talked through the referral.")
    conversation(review, tess, [nurse], status="planned", on=date(2026, 3, 1))
    meeting(review, tess, kind="introductory", team=[dee], group=[nurse])
    client.force_login(tess)
    page = _page(client, "review_conversations", review)
    assert "1 held, 1 planned" in page
    assert page.index('id="held-heading"') < page.index("Talked through the referral.")
    assert page.index("Talked through the referral.") < page.index('id="planned-heading"')
    assert "J.T., Health visitor (NHS)" in page
    meetings = _page(client, "review_meetings", review)
    assert "Case-group introductory meetings" in meetings
    assert "Dee Director (Head of safeguarding, Police)" in meetings


def test_it_shows_the_assessor_the_records_read_only(client, review, tess, ali):
    nurse = participant(review, tess)
    conversation(review, tess, [nurse])
    make_ready(tess, review)
    submit(tess)
    client.force_login(ali)
    for name in ("review_people", "review_conversations", "review_meetings"):
        page = _page(client, name, review)
        assert "/edit/" not in page and "/add/" not in page and "Remove" not in page
    assert client.get(_url("participant_add", review)).status_code == 404
    edit = reverse("accreditation:participant_edit", args=[nurse.pk])
    assert client.post(edit, {"role": "GP", "agency": "NHS"}).status_code == 404


def test_it_hides_the_records_from_programme_staff_and_outsiders(client, review, ada, uma):
    for person in (ada, uma):
        client.force_login(person)
        for name in ("review_people", "review_conversations", "review_meetings"):
            assert client.get(_url(name, review)).status_code == 404
    client.force_login(ada)
    page = client.get(_url("review_detail", review)).content.decode()
    assert "Running the review" not in page


def test_it_names_the_conversations_an_episode_rests_on_only_to_readers_of_the_records(
    client, review, tess, sam, ada
):
    from accreditation.services.registers import episode_create

    nurse = participant(review, tess, role="Health visitor", name="Q.Z.")
    talk = conversation(review, tess, [nurse])
    episode_create(
        stage=stage(review, 3),
        user=tess,
        title="Transfer of records",
        what_happened="x",
        assessment="mixed",
        conversations=[talk],
    )
    for person, sees in ((tess, True), (sam, True), (ada, False)):
        client.force_login(person)
        for number in (3, 4):  # the analysis stage and the findings stage list the episodes
            page = client.get(_url("stage_detail", stage(review, number))).content.decode()
            assert "Transfer of records" in page
            assert ("Q.Z., Health visitor" in page) is sees, (person, number)
            assert ("Conversations it rests on" in page) is sees, (person, number)


def test_it_links_the_records_from_the_review_page_with_their_counts(client, review, tess, sam):
    nurse = participant(review, tess)
    participant(review, tess, role="GP")
    conversation(review, tess, [nurse])
    meeting(review, tess)
    for person in (tess, sam):
        client.force_login(person)
        page = client.get(_url("review_detail", review)).content.decode()
        assert "Running the review" in page
        assert page.index("Stages") < page.index("Running the review")
        assert "1 held, 0 planned · 1 of 2 in the case group spoken with" in page
        assert "Held: 1 review-team, 0 introductory, 0 joint" in page
        assert _url("review_meetings", review) in page


# Adding, changing and removing -----------------------------------------------------------------


def test_it_adds_a_case_group_member_and_a_conversation(client, review, tess, pat):
    client.force_login(tess)
    response = client.post(
        _url("participant_add", review),
        {"name": " J.T. ", "role": "Health visitor", "agency": "NHS", "involvement": "direct"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(_url("review_people", review) + "#case-group")
    nurse = CaseGroupParticipant.objects.get()
    assert nurse.name == "J.T."
    form = client.get(_url("conversation_add", review)).content.decode()
    assert "Who from the case group" in form and "J.T., Health visitor (NHS)" in form
    assert "Pat Partner" in form or pat.full_name in form
    response = client.post(
        _url("conversation_add", review),
        {
            "status": "held",
            **_date(date(2026, 2, 3)),
            "participants": [nurse.pk],
            "lead_reviewer": pat.pk,
            "notes": "Walked through the timeline.",
        },
        follow=True,
    )
    talk = Conversation.objects.get()
    assert (talk.status, talk.lead_reviewer, talk.date) == ("held", pat, date(2026, 2, 3))
    assert "Added: Conversation on" in response.content.decode()


def test_it_keeps_what_was_typed_when_the_form_is_wrong(client, review, tess):
    participant(review, tess)
    client.force_login(tess)
    response = client.post(
        _url("conversation_add", review),
        {
            "status": "planned",
            "date_day": "31",
            "date_month": "2",
            "date_year": "2026",
            "notes": "Keep this note.",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "The date of the conversation must be a real date." in page
    assert "Choose at least one member of the case group." in page
    assert "Keep this note." in page
    assert not Conversation.objects.exists()


def test_it_shows_a_refusal_on_the_form_with_the_typing_kept(client, review, tess):
    review.decision_on = date(2026, 2, 1)
    review.save()
    nurse = participant(review, tess)
    client.force_login(tess)
    response = client.post(
        _url("conversation_add", review),
        {
            "status": "held",
            **_date(date(2026, 1, 5)),
            "participants": [nurse.pk],
            "lead_reviewer": tess.pk,
            "notes": "Typed with care.",
        },
    )
    page = response.content.decode()
    assert (
        "A conversation cannot be before the partners decided to hold the review on "
        "1 February 2026." in page
    )
    assert "Typed with care." in page
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        _url("meeting_add", review),
        {"kind": "joint", "status": "held", **_date(tomorrow), "notes": "Soon."},
    )
    assert "A meeting recorded as held cannot be in the future." in response.content.decode()
    assert not Conversation.objects.exists() and not ReviewMeeting.objects.exists()


def test_it_refuses_another_reviews_case_group_on_the_form(client, review, other_review, tess, uma):
    theirs = participant(other_review, uma)
    client.force_login(tess)
    response = client.post(
        _url("conversation_add", review),
        {
            "status": "planned",
            **_date(date(2026, 3, 2)),
            "participants": [theirs.pk],
            "lead_reviewer": tess.pk,
        },
    )
    assert "Choose members of this review&#x27;s case group only" in response.content.decode()
    assert not Conversation.objects.exists()


def test_it_says_a_focused_review_has_no_conversations(client, review, tess):
    review.review_type = ReviewType.objects.get(code="focused")
    review.save()
    nurse = participant(review, tess)
    client.force_login(tess)
    page = _page(client, "review_conversations", review)
    assert "review has no one-to-one conversations" in page
    assert _url("conversation_add", review) not in page
    response = client.post(
        _url("conversation_add", review),
        {
            "status": "planned",
            **_date(date(2026, 3, 2)),
            "participants": [nurse.pk],
            "lead_reviewer": tess.pk,
        },
    )
    assert "record its meetings with the case group instead" in response.content.decode()


def test_it_edits_and_removes_entries_after_asking(client, review, tess, sam):
    dee = member(review, tess)
    client.force_login(sam)
    edit = reverse("accreditation:team_member_edit", args=[dee.pk])
    assert 'value="Dee Director"' in client.get(edit).content.decode()
    client.post(edit, {"name": "Dee D.", "role": "Head", "agency": "Police"})
    assert ReviewTeamMember.objects.get().name == "Dee D."
    delete = reverse("accreditation:team_member_delete", args=[dee.pk])
    confirm = client.get(delete).content.decode()
    assert "Remove Dee D. (Head, Police)?" in confirm
    response = client.post(delete, {"review": review.pk}, follow=True)
    assert "Removed: Dee D. (Head, Police)." in response.content.decode()
    assert not ReviewTeamMember.objects.exists()
    again = client.post(delete, {"review": review.pk}, follow=True)
    assert "That review-team member had already been removed." in again.content.decode()


def test_it_says_on_the_list_why_an_entry_cannot_be_removed(client, review, tess):
    nurse = participant(review, tess)
    talk = conversation(review, tess, [nurse])
    client.force_login(tess)
    delete = reverse("accreditation:participant_delete", args=[nurse.pk])
    page = client.post(delete, {"review": review.pk}, follow=True).content.decode()
    assert "is in the conversation on" in page
    from accreditation.services.registers import episode_create

    episode_create(
        stage=stage(review, 3),
        user=tess,
        title="T",
        what_happened="x",
        assessment="good",
        conversations=[talk],
    )
    delete = reverse("accreditation:conversation_delete", args=[talk.pk])
    page = client.post(delete, {"review": review.pk}, follow=True).content.decode()
    assert "KPE1 rests on it; unlink it first." in page
    assert Conversation.objects.exists() and CaseGroupParticipant.objects.exists()


def test_it_says_the_portfolio_lock_holds_on_the_form(client, review, tess):
    make_ready(tess, review)
    submit(tess)
    client.force_login(tess)
    response = client.post(
        _url("family_add", review), {"relationship": "Mother", "status": "invited"}
    )
    page = response.content.decode()
    assert "the portfolio is locked" in page and 'value="Mother"' in page
    assert not FamilyInvolvement.objects.exists()


# The episode form's link to conversations ------------------------------------------------------


def test_it_links_an_episode_to_the_conversations_it_rests_on(client, review, tess):
    nurse = participant(review, tess)
    talk = conversation(review, tess, [nurse])
    client.force_login(tess)
    url = reverse("accreditation:episode_add", args=[stage(review, 3).pk])
    form = client.get(url).content.decode()
    assert "Conversations it rests on" in form
    assert "2 February 2026: J.T., Health visitor (NHS)" in form
    response = client.post(
        url,
        {
            "title": "Strategy",
            "what_happened": "x",
            "assessment": "good",
            "conversations": [talk.pk],
        },
    )
    assert response.status_code == 302
    episode = KeyPracticeEpisode.objects.get()
    assert list(episode.conversations.all()) == [talk]
    page = client.get(reverse("accreditation:stage_detail", args=[stage(review, 3).pk]))
    assert "Conversations it rests on" in page.content.decode()
    edit = client.get(reverse("accreditation:episode_edit", args=[episode.pk])).content.decode()
    assert f'value="{talk.pk}"' in edit and "checked" in edit


def test_it_refuses_to_rest_an_episode_on_another_reviews_conversation(
    client, review, other_review, tess, uma
):
    theirs = conversation(other_review, uma, [participant(other_review, uma)])
    client.force_login(tess)
    response = client.post(
        reverse("accreditation:episode_add", args=[stage(review, 3).pk]),
        {
            "title": "Strategy",
            "what_happened": "x",
            "assessment": "good",
            "conversations": [theirs.pk],
        },
    )
    assert "Choose conversations of this review only" in response.content.decode()
    assert not KeyPracticeEpisode.objects.exists()
    from accreditation.exceptions import TransitionError
    from accreditation.services.registers import episode_create

    with pytest.raises(TransitionError, match="only rest on this review's conversations"):
        episode_create(
            stage=stage(review, 3),
            user=tess,
            title="T",
            what_happened="x",
            assessment="good",
            conversations=[theirs],
        )


# Query counts ---------------------------------------------------------------------------------


def _more(review, user, n, start=0):
    for i in range(start, start + n):
        dee = member(review, user, name=f"Member {i}")
        nurse = participant(review, user, role=f"Role {i}")
        conduct.family_create(review=review, user=user, relationship=f"Relative {i}")
        conversation(review, user, [nurse])
        meeting(review, user, team=[dee], group=[nurse])


@pytest.mark.parametrize(
    "name, queries",
    [("review_people", 12), ("review_conversations", 12), ("review_meetings", 12)],
)
def test_it_shows_each_list_in_constant_queries(
    client, review, tess, name, queries, django_assert_num_queries
):
    client.force_login(tess)
    _more(review, tess, 1)
    client.get(_url(name, review))
    with django_assert_num_queries(queries):
        assert client.get(_url(name, review)).status_code == 200
    _more(review, tess, 10, start=1)
    with django_assert_num_queries(queries):
        assert client.get(_url(name, review)).status_code == 200


def _more_while_referred(application, review, user, n, start):
    """More records, added while the application is referred back (the portfolio lock lifted)."""
    AccreditationApplication.objects.filter(pk=application.pk).update(status="referred")
    _more(review, user, n, start=start)
    AccreditationApplication.objects.filter(pk=application.pk).update(status="submitted")


def test_it_shows_the_records_in_the_portfolio_in_constant_queries(
    client, review, tess, ali, django_assert_num_queries
):
    _more(review, tess, 1)
    make_ready(tess, review)
    application = submit(tess)
    client.force_login(ali)
    url = reverse("accreditation:assessment_portfolio", args=[application.pk])
    client.get(url)  # the first request after signing in also touches the session
    with CaptureQueriesContext(connection) as few:
        page = client.get(url).content.decode()
    assert "Running the review: people, conversations and meetings" in page
    assert "Member 0" in page and "Relative 0" in page
    _more_while_referred(application, review, tess, 10, start=1)
    with django_assert_num_queries(len(few.captured_queries)):
        assert "Member 10" in client.get(url).content.decode()


def test_it_refuses_a_meeting_attendee_from_another_review_on_the_form(
    client, review, other_review, tess, uma
):
    theirs = member(other_review, uma, name="Other Person")
    client.force_login(tess)
    response = client.post(
        _url("meeting_add", review),
        {
            "kind": "review_team",
            "status": "planned",
            **_date(date(2026, 3, 2)),
            "team_attendees": [theirs.pk],
            "notes": "Keep me.",
        },
    )
    page = response.content.decode()
    assert "Choose members of this review&#x27;s team only" in page
    assert "Keep me." in page
    assert not ReviewMeeting.objects.exists()
