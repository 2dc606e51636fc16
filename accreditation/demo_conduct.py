"""Demo data: how Tess and Pat's review of Child K is being run.

A statutory child safeguarding practice review whose six months, counted from the partners'
decision, run out within the month, so it shows on the supervisor's queue and the programme
dashboard as at risk. The review team, the case group (by role and agency, some by initials),
the family's involvement (by relationship only), the one-to-one conversations held and planned,
and the meetings. Everything is fictional.
"""

from datetime import timedelta

from django.utils import timezone

from .models import CaseGroupParticipant, Conversation, ReviewMeeting, SupervisedReview
from .services.clock import review_details_update
from .services.conduct import (
    conversation_create,
    family_create,
    meeting_create,
    participant_create,
    team_member_create,
)

# Days from today: the decision puts the review on a visible clock.
CLOCK = {"incident_notified_on": -200, "rapid_review_on": -185, "decision_on": -160}

REVIEW_TEAM = [
    ("A. Okafor", "Head of service", "Children's social care (second borough)"),
    ("R. Lindqvist", "Service manager", "Children's social care (first borough)"),
    ("D. Mensah", "Detective inspector", "Police"),
    ("H. Byrne", "Designated nurse for safeguarding", "Integrated care board"),
    ("S. Patel", "Head of early years", "Education (second borough)"),
    ("M. Hughes", "Named GP for safeguarding", "Primary care"),
]

DIRECT = CaseGroupParticipant.Involvement.DIRECT
MANAGER = CaseGroupParticipant.Involvement.MANAGER
# key: (initials or "", role, agency, involvement)
CASE_GROUP = {
    "sw": ("J.T.", "Social worker", "Children's social care (first borough)", DIRECT),
    "tm": ("", "Team manager", "Children's social care (first borough)", MANAGER),
    "hv1": ("L.M.", "Health visitor", "Health visiting (first borough)", DIRECT),
    "hv2": ("", "Health visitor", "Health visiting (second borough)", DIRECT),
    "hvl": ("", "Health visiting team lead", "Health visiting (second borough)", MANAGER),
    "kw": ("K.R.", "Key worker", "Nursery", DIRECT),
    "dsl": ("", "Designated safeguarding lead", "Nursery", MANAGER),
    "pc": ("", "Police constable (attending officer)", "Police", DIRECT),
    "ssw": ("", "Screening social worker", "MASH (second borough)", DIRECT),
    "mash": ("", "MASH manager", "MASH (second borough)", MANAGER),
    "pn": ("", "Practice nurse", "GP practice", DIRECT),
}

HELD = Conversation.Status.HELD
PLANNED = Conversation.Status.PLANNED
# key: (days from today, status, participants, lead reviewer ("tess" or "pat"), notes)
CONVERSATIONS = {
    "c1": (
        -35,
        HELD,
        ["sw"],
        "tess",
        "Closing the plan felt like the right, kind thing to do: "
        "the family wanted a fresh start, and the transfer letter followed the procedure.",
    ),
    "c2": (
        -34,
        HELD,
        ["tm"],
        "pat",
        "The team had 31 open cases each in January; a move out "
        "of area was the usual point of closure.",
    ),
    "c3": (
        -30,
        HELD,
        ["hv1", "hv2"],
        "tess",
        "Both health visitors described the records "
        "transfer as routine; neither knew the other's name until this review.",
    ),
    "c4": (
        -27,
        HELD,
        ["hvl"],
        "pat",
        "Transfers arrive as a task in a shared inbox; nobody "
        "owns a family until the first contact.",
    ),
    "c5": (
        -22,
        HELD,
        ["kw", "dsl"],
        "tess",
        "The log was kept carefully; each entry felt too small to refer on its own.",
    ),
    "c6": (
        -18,
        HELD,
        ["pc"],
        "pat",
        "The call was graded as a domestic with no history: the "
        "systems searched hold nothing from the first borough.",
    ),
    "c7": (
        -12,
        HELD,
        ["ssw", "mash"],
        "tess",
        "Screening is against what is known locally; a "
        "call to the previous borough is made when a worker thinks of it.",
    ),
    "c8": (9, PLANNED, ["pn"], "pat", ""),
}

# Each key practice episode, by number, with the conversations it rests on.
EPISODE_CONVERSATIONS = {
    1: ["c1", "c2"],
    2: ["c3", "c4"],
    3: ["c5"],
    4: ["c6"],
    5: ["c7"],
    7: ["c7", "c5"],
}

TEAM = ReviewMeeting.Kind.REVIEW_TEAM
INTRODUCTORY = ReviewMeeting.Kind.INTRODUCTORY
JOINT = ReviewMeeting.Kind.JOINT
# (days from today, kind, held?, team present (indexes), case group present (keys), notes)
MEETINGS = [
    (
        -40,
        TEAM,
        True,
        [0, 1, 2, 3, 4, 5],
        [],
        "Agreed the scope, the research question and who is in the case group.",
    ),
    (
        -31,
        INTRODUCTORY,
        True,
        [0, 2, 3, 4],
        ["sw", "tm", "hv1", "hv2", "kw", "dsl", "pc", "ssw", "mash"],
        "The method explained; practitioners' worries about blame heard and answered.",
    ),
    (-20, TEAM, True, [0, 1, 3, 4, 5], [], "First look at the key practice episodes."),
    (
        -6,
        TEAM,
        True,
        [0, 1, 2, 3, 4],
        [],
        "The draft findings discussed; the link to the "
        "practice nurse's conversation still to come.",
    ),
    (7, JOINT, False, [], [], ""),
    (14, TEAM, False, [], [], ""),
]

FAMILY = [
    ("Mother", "took_part", "A home visit by both lead reviewers, with her advocate present."),
    ("Mother's partner", "declined", "Invited by letter and by phone; declined."),
]


def seed_review_conduct(*, stdout, review: SupervisedReview) -> dict[str, Conversation]:
    """The clock, the people, the conversations and the meetings, added once, to a review with
    no case group yet. Returns the conversations by key, for the episodes that rest on them."""
    if review.case_group.exists():
        stdout.write(f"The review team and case group of {review} are already recorded")
        return {}
    today = timezone.localdate()
    tess, pat = review.trainee, review.partner or review.trainee
    leads = {"tess": tess, "pat": pat}
    review_details_update(
        review=review,
        user=tess,
        is_statutory=True,
        **{name: today + timedelta(days=days) for name, days in CLOCK.items()},
    )
    team = [
        team_member_create(review=review, user=pat, name=name, role=role, agency=agency)
        for name, role, agency in REVIEW_TEAM
    ]
    group = {
        key: participant_create(
            review=review, user=tess, name=name, role=role, agency=agency, involvement=involvement
        )
        for key, (name, role, agency, involvement) in CASE_GROUP.items()
    }
    for relationship, status, how in FAMILY:
        family_create(review=review, user=pat, relationship=relationship, status=status, how=how)
    conversations = {
        key: conversation_create(
            review=review,
            user=leads[lead],
            date=today + timedelta(days=days),
            status=status,
            participants=[group[name] for name in who],
            lead_reviewer=leads[lead],
            notes=notes,
        )
        for key, (days, status, who, lead, notes) in CONVERSATIONS.items()
    }
    for days, kind, held, team_present, group_present, notes in MEETINGS:
        meeting_create(
            review=review,
            user=tess,
            kind=kind,
            date=today + timedelta(days=days),
            status=ReviewMeeting.Status.HELD if held else ReviewMeeting.Status.PLANNED,
            team_attendees=[team[index] for index in team_present],
            group_attendees=[group[key] for key in group_present],
            notes=notes,
        )
    review.refresh_from_db()
    stdout.write(
        f"Recorded how {review} is run: {len(team)} in the review team, {len(group)} in the "
        f"case group, {len(conversations)} conversations and {len(MEETINGS)} meetings; "
        f"publication due {review.target_publication_date:%d %B %Y}"
    )
    return conversations
