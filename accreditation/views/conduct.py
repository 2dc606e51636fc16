"""The review as it is run: its people (review team, case group, family involvement), its
one-to-one conversations and its meetings.

Readers of the review's records (``access.get_review_for_records``) see the lists; its keepers
(the trainee, their partner and the supervisor) add, change and remove entries.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from .. import access
from ..conduct_forms import (
    ConversationForm,
    FamilyForm,
    MeetingForm,
    ParticipantForm,
    TeamMemberForm,
)
from ..exceptions import TransitionError
from ..models import (
    CaseGroupParticipant,
    Conversation,
    FamilyInvolvement,
    ReviewMeeting,
    ReviewTeamMember,
    SupervisedReview,
)
from ..selectors import conduct as selectors
from ..services import conduct

# The lists ------------------------------------------------------------------------------------


def _list_context(request: HttpRequest, review: SupervisedReview) -> dict:
    return {
        "review": review,
        "keeps": access.user_keeps_review_records(request.user, review),
    }


@login_required
def review_people(request: HttpRequest, pk: int) -> HttpResponse:
    review = access.get_review_for_records(request.user, pk)
    context = _list_context(request, review)
    context["people"] = selectors.review_people(review=review)
    return render(request, "accreditation/conduct/people.html", context)


@login_required
def review_conversations(request: HttpRequest, pk: int) -> HttpResponse:
    review = access.get_review_for_records(request.user, pk)
    context = _list_context(request, review)
    conversations = selectors.review_conversations(review=review)
    context.update(
        conversations=conversations,
        planned=[c for c in conversations if c.status == Conversation.Status.PLANNED],
        held=[c for c in conversations if c.status == Conversation.Status.HELD],
        has_case_group=CaseGroupParticipant.objects.filter(review=review).exists(),
    )
    return render(request, "accreditation/conduct/conversations.html", context)


@login_required
def review_meetings(request: HttpRequest, pk: int) -> HttpResponse:
    review = access.get_review_for_records(request.user, pk)
    context = _list_context(request, review)
    meetings = selectors.review_meetings(review=review)
    context["kinds"] = [
        (value, label, [m for m in meetings if m.kind == value])
        for value, label in ReviewMeeting.Kind.choices
    ]
    context["meetings"] = meetings
    return render(request, "accreditation/conduct/meetings.html", context)


# The entries ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConductKind:
    """One kind of record's pages: what differs between adding, changing and removing a
    review-team member, a case-group member, a family member's involvement, a conversation and a
    meeting."""

    name: str  # the entry's keyword in the update and delete services; the URL names' start
    label: str  # "That conversation had already been removed."
    heading: str  # "Add a conversation", "Change a conversation"
    model: type
    form: type
    fields_template: str
    list_url: str  # the URL name of the list the entry is on
    anchor: str  # where on the list
    get_for_record_keeping: Callable[..., Any]
    create: Callable[..., Any]
    update: Callable[..., Any]
    delete: Callable[..., Any]

    @property
    def list_title(self) -> str:
        return _LIST_TITLES[self.list_url]

    def list_link(self, review_id: int) -> str:
        return reverse(f"accreditation:{self.list_url}", args=[review_id]) + f"#{self.anchor}"


_FIELDS = "accreditation/conduct/_fields.html"
_LIST_TITLES = {
    "review_people": "People",
    "review_conversations": "Conversations",
    "review_meetings": "Meetings",
}

TEAM_MEMBERS = ConductKind(
    name="member",
    label="Review-team member",
    heading="a review-team member",
    model=ReviewTeamMember,
    form=TeamMemberForm,
    fields_template=_FIELDS,
    list_url="review_people",
    anchor="team",
    get_for_record_keeping=access.get_team_member_for_record_keeping,
    create=conduct.team_member_create,
    update=conduct.team_member_update,
    delete=conduct.team_member_delete,
)
PARTICIPANTS = ConductKind(
    name="participant",
    label="Case-group member",
    heading="a case-group member",
    model=CaseGroupParticipant,
    form=ParticipantForm,
    fields_template=_FIELDS,
    list_url="review_people",
    anchor="case-group",
    get_for_record_keeping=access.get_participant_for_record_keeping,
    create=conduct.participant_create,
    update=conduct.participant_update,
    delete=conduct.participant_delete,
)
FAMILY = ConductKind(
    name="involvement",
    label="Family involvement",
    heading="a family member's involvement",
    model=FamilyInvolvement,
    form=FamilyForm,
    fields_template=_FIELDS,
    list_url="review_people",
    anchor="family",
    get_for_record_keeping=access.get_family_for_record_keeping,
    create=conduct.family_create,
    update=conduct.family_update,
    delete=conduct.family_delete,
)
CONVERSATIONS = ConductKind(
    name="conversation",
    label="Conversation",
    heading="a conversation",
    model=Conversation,
    form=ConversationForm,
    fields_template="accreditation/conduct/_conversation_fields.html",
    list_url="review_conversations",
    anchor="conversations",
    get_for_record_keeping=access.get_conversation_for_record_keeping,
    create=conduct.conversation_create,
    update=conduct.conversation_update,
    delete=conduct.conversation_delete,
)
MEETINGS = ConductKind(
    name="meeting",
    label="Meeting",
    heading="a meeting",
    model=ReviewMeeting,
    form=MeetingForm,
    fields_template="accreditation/conduct/_meeting_fields.html",
    list_url="review_meetings",
    anchor="meetings",
    get_for_record_keeping=access.get_meeting_for_record_keeping,
    create=conduct.meeting_create,
    update=conduct.meeting_update,
    delete=conduct.meeting_delete,
)


def _form(request: HttpRequest, kind: ConductKind, review: SupervisedReview, entry=None):
    """The add and change pages: the form, and on a valid POST the service."""
    form = kind.form(request.POST or None, review=review, entry=entry, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            if entry is None:
                saved = kind.create(review=review, user=request.user, **form.values())
            else:
                saved = kind.update(**{kind.name: entry}, user=request.user, **form.values())
        except TransitionError as error:
            # Shown on the form, so nothing typed is lost.
            form.add_error(None, str(error))
        else:
            done = "Added" if entry is None else "Saved"
            messages.success(request, f"{done}: {saved}.")
            return redirect(kind.list_link(review.pk))
    context = {
        "review": review,
        "form": form,
        "entry": entry,
        "kind": kind,
        "list_link": kind.list_link(review.pk),
        "title": f"{'Change' if entry else 'Add'} {kind.heading}",
    }
    return render(request, "accreditation/conduct/entry_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def entry_add(request: HttpRequest, pk: int, kind: ConductKind) -> HttpResponse:
    review = access.get_review_for_record_keeping(request.user, pk)
    return _form(request, kind, review)


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, pk: int, kind: ConductKind) -> HttpResponse:
    entry = kind.get_for_record_keeping(request.user, pk)
    return _form(request, kind, entry.review, entry)


def _already_removed(request: HttpRequest, kind: ConductKind, pk: int) -> HttpResponse:
    """A second click on Remove finds the entry gone: say so on the list the form came from.
    Anyone who may not keep that review's records still gets 404."""
    review_pk = request.POST.get("review", "")
    if kind.model.objects.filter(pk=pk).exists() or not review_pk.isdigit():
        raise Http404
    review = access.get_review_for_record_keeping(request.user, int(review_pk))
    messages.info(request, f"That {kind.label.lower()} had already been removed.")
    return redirect(kind.list_link(review.pk))


@login_required
@require_http_methods(["GET", "POST"])
def entry_delete(request: HttpRequest, pk: int, kind: ConductKind) -> HttpResponse:
    """GET asks to confirm; POST removes the entry, or says why it cannot."""
    try:
        entry = kind.get_for_record_keeping(request.user, pk)
    except Http404:
        if request.method == "POST":
            return _already_removed(request, kind, pk)
        raise
    review = entry.review
    if request.method == "POST":
        try:
            kind.delete(**{kind.name: entry}, user=request.user)
        except TransitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Removed: {entry}.")
        return redirect(kind.list_link(review.pk))
    context = {
        "review": review,
        "entry": entry,
        "kind": kind,
        "list_link": kind.list_link(review.pk),
    }
    return render(request, "accreditation/conduct/remove_confirm.html", context)
