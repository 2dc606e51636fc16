"""Demo data: the analysis in Tess and Pat's review of Child K, part-way through.

The case is fictional. The family appear by pseudonym and relationship only ("Child K", "the
mother"), the professionals by role, and the two local authorities as the first and the second
borough. The narrative and key practice episodes draw on the seven conversations held so far;
the findings are the pair's first draft.
"""

from learning_platform.accounts.models import User

from .demo_conduct import EPISODE_CONVERSATIONS
from .models import (
    ContributoryFactorCategory,
    Conversation,
    Finding,
    FindingCategory,
    KeyPracticeEpisode,
    ReviewStage,
    StageDefinition,
    SupervisedReview,
)
from .services.evidence import evidence_add_note
from .services.registers import episode_create, finding_create, register_stage

Assessment = KeyPracticeEpisode.Assessment
CaseGroupView = KeyPracticeEpisode.CaseGroupView
Direction = Finding.Direction

NARRATIVE_TITLE = "Narrative of multi-agency perspectives"
NARRATIVE = """\
Child K was three when the family moved from the first borough to the second in January. In the \
first borough Child K had been on a child in need plan for eight months because of concerns about \
neglect: missed health appointments, a home that was often cold and without food, and the \
mother's low mood. The mother's partner moved with the family.

Children's social care in the first borough saw the move as the end of its involvement and closed \
the plan with a transfer letter. The health visiting service saw it as a routine transfer of \
records between two trusts. In the second borough, each agency met the family as if for the \
first time: the nursery as a new starter, the GP practice as new patients, the police as a call \
to a flat with no history, and the front door (MASH) as a family unknown to its records.

Between March and June the nursery kept a running log of small concerns: hunger on Mondays, \
clothes unwashed, a tooth left untreated. The police attended a report of shouting in April, and \
the GP practice followed up three missed appointments in May. Each agency held part of the \
picture; none held the first borough's history. In June the nursery's second referral led to a \
strategy discussion at which the manager phoned the first borough, the history and the present \
came together, and a child protection enquiry began. Child K is now on a child protection plan \
in the second borough.

The practitioners we have spoken to describe a move between boroughs as a point at which what \
is known about a child is lost, and the nursery staff describe feeling listened to only once \
their log was read as a whole."""

# Each episode in the register's order (KPE1, KPE2, ...); its factors by category name.
EPISODES = [
    {
        "title": "The first borough closes the child in need plan when the family moves",
        "when": "January",
        "agencies": "Children's social care (first borough)",
        "what_happened": (
            "Two weeks after the family moved, the allocated social worker closed Child K's "
            "child in need plan. She sent the second borough's front door the standard transfer "
            "letter, which summarised eight months of concerns about neglect in two lines and "
            "attached the last plan. There was no conversation between social workers and no "
            "transfer meeting."
        ),
        "assessment": Assessment.PROBLEMATIC,
        "assessment_explanation": (
            "The letter followed the first borough's procedure, but it carried too little of "
            "the history for the second borough to understand the pattern of neglect, and "
            "closing the plan before anyone in the second borough had taken it on left a gap."
        ),
        "local_rationality": (
            "The social worker understood that cases of families who had moved away were to be "
            "closed within ten working days, and her team's open cases were reviewed weekly "
            "against that measure. The transfer letter was the procedure she had been taught. "
            "She believed the second borough could ask for the full file, and the mother had "
            "told her she would register with the new nursery and GP straight away, which "
            "seemed to her a sign of engagement."
        ),
        "data_sources": (
            "Conversations with the social worker and her team manager; the closure record; "
            "the transfer letter; the first borough's case transfer procedure."
        ),
        "case_group_view": CaseGroupView.AGREED,
        "case_group_note": (
            "Agreed at the first joint meeting; the team manager added that closing quickly was "
            "seen as good practice in the service."
        ),
        "factors": {
            "Conditions of work": (
                "The social worker held 24 cases; closing out-of-borough cases quickly freed "
                "time for the families who remained."
            ),
            "Organisational culture and management": (
                "Open cases of families who had moved away were counted weekly as a performance "
                "measure, which sent a clear message that such cases should close fast."
            ),
            "Inter-agency / inter-professional team": (
                "The two boroughs had no agreed process for transferring a child in need plan; "
                "the one for child protection plans, with a transfer-in conference, did not apply."
            ),
            "Wider political context": (
                "National guidance sets out transfers for children on child protection plans but "
                "says little about children in need, so local practice varies widely."
            ),
        },
    },
    {
        "title": "Health visiting records arrive seven weeks after the move",
        "when": "January to March",
        "agencies": "Health visiting (both boroughs)",
        "what_happened": (
            "The first borough's health visitor sent a transfer notice when the family moved. "
            "The full record reached the second borough's health visiting team seven weeks "
            "later, by which time Child K had not been seen. The team offered a routine "
            "transfer-in contact, which the mother did not take up."
        ),
        "assessment": Assessment.PROBLEMATIC,
        "assessment_explanation": (
            "Without the record the receiving team treated Child K as a routine transfer, so "
            "a missed contact did not prompt the follow-up the history called for."
        ),
        "local_rationality": (
            "The receiving team had three vacancies and prioritised new births and children "
            "already flagged to them. The transfer notice did not say that Child K was on a "
            "child in need plan, so nothing marked the family out among some forty transfers "
            "that month."
        ),
        "data_sources": (
            "Conversations with both health visitors and the receiving team's lead; the "
            "transfer notice; the record system's audit trail."
        ),
        "case_group_view": CaseGroupView.AGREED,
        "case_group_note": "",
        "factors": {
            "Conditions of work": (
                "Three health visitor vacancies in the receiving team; transfers were triaged "
                "on the notice alone."
            ),
            "Organisational culture and management": (
                "The two trusts use different record systems, so records move as documents that "
                "must be requested, sent and uploaded by hand."
            ),
            "Your role": (
                "The sending health visitor saw the transfer notice as an administrative step, "
                "not a handover of concerns."
            ),
        },
    },
    {
        "title": "The nursery key worker notices, records and shares small signs of neglect",
        "when": "March",
        "agencies": "Nursery",
        "what_happened": (
            "Child K's key worker noticed that Child K was hungry on Monday mornings and often "
            "came in unwashed clothes. She kept a dated log, spoke warmly with the mother at "
            "drop-off, and took the log to the nursery's designated safeguarding lead, who made "
            "an early help referral that week."
        ),
        "assessment": Assessment.GOOD,
        "assessment_explanation": (
            "The key worker saw a pattern in small things, kept the mother on side and used "
            "the nursery's own lead without delay: the log later became the key evidence."
        ),
        "local_rationality": (
            "Her training on neglect had taught her to look for patterns rather than single "
            "incidents, and the safeguarding lead was in the building every day. She knew Child "
            "K well and felt sure of what she was seeing."
        ),
        "data_sources": (
            "Conversations with the key worker and the designated safeguarding lead; the "
            "nursery's log; the early help referral."
        ),
        "case_group_view": CaseGroupView.AGREED,
        "case_group_note": "",
        "factors": {
            "Personal": (
                "Twelve years in early years and recent training on neglect that stressed "
                "cumulative patterns."
            ),
            "Own team": (
                "The designated safeguarding lead was available daily and expected staff to "
                "bring small concerns to her."
            ),
            "Family": (
                "The mother was friendly at drop-off and accepted information about the local "
                "food bank, which kept the conversation open."
            ),
        },
    },
    {
        "title": "Police attend a report of shouting at the family's flat",
        "when": "April",
        "agencies": "Police",
        "what_happened": (
            "Two officers attended a neighbour's report of shouting late at night. They spoke "
            "to the mother and her partner separately, saw Child K asleep, completed a domestic "
            "abuse risk assessment (standard risk) and sent a notification to the second "
            "borough's MASH. The notification did not mention the state of the flat."
        ),
        "assessment": Assessment.MIXED,
        "assessment_explanation": (
            "The officers followed procedure, saw the child and shared the incident the same "
            "day; what they saw of the home conditions did not reach the notification."
        ),
        "local_rationality": (
            "The risk assessment asks about risk between adults, and the officers' attention "
            "was on that. The flat was dark and they were there for twenty minutes; they had "
            "three more calls waiting. Nothing on the police system linked the address to "
            "concerns about a child."
        ),
        "data_sources": (
            "Conversation with one of the attending officers; the incident log; the MASH "
            "notification."
        ),
        "case_group_view": CaseGroupView.CONTESTED,
        "case_group_note": (
            "The police member of the case group does not accept that the home conditions "
            "were visible at night; the review will say so in the report."
        ),
        "factors": {
            "Your role": (
                "The officers understood their task as assessing risk between the adults; the "
                "child's care was for children's social care to judge."
            ),
            "Conditions of work": (
                "A busy night shift with calls waiting; the notification form has no prompt "
                "about a child's living conditions."
            ),
        },
    },
    {
        "title": "The MASH screens two contacts about Child K as information only",
        "when": "April",
        "agencies": "MASH (second borough)",
        "what_happened": (
            "Within a week the MASH received the nursery's early help referral and the police "
            "notification. Each was screened separately against the second borough's records, "
            "which held nothing, and each was passed to the early help team as information. "
            "Nobody contacted the first borough."
        ),
        "assessment": Assessment.PROBLEMATIC,
        "assessment_explanation": (
            "Two contacts in a week about a pre-school child should have been read together, "
            "and a family new to the borough prompted a check with where they had come from."
        ),
        "local_rationality": (
            "The screening form asks what is known in the borough's own system, and for this "
            "family the answer was nothing. The MASH received about 120 contacts a day, each to "
            "be screened within 24 hours. The two contacts spelled the family's surname "
            "differently, so the system did not link them. Screeners had no access to the "
            "first borough's records, and a phone call to another borough was not part of the "
            "routine."
        ),
        "data_sources": (
            "Conversations with the screening social worker and the MASH manager; both contact "
            "records; the screening form."
        ),
        "case_group_view": CaseGroupView.AGREED,
        "case_group_note": (
            "The MASH manager said the form was written when most families were known locally."
        ),
        "factors": {
            "Conditions of work": (
                "About 120 contacts a day, each to be screened within 24 hours, by a team "
                "with two vacancies."
            ),
            "Organisational culture and management": (
                "The screening form and its guidance ask about local history only; the "
                "24-hour timescale is the MASH's headline measure."
            ),
            "Inter-agency / inter-professional team": (
                "No routine for asking a previous borough what it knows; each contact is read "
                "as it arrives, not alongside others about the same child."
            ),
            "Wider political context": (
                "Local authorities' case records do not connect nationally, so a family's "
                "history can be found only by asking."
            ),
        },
    },
    {
        "title": "The GP practice follows up three missed appointments",
        "when": "May",
        "agencies": "GP practice",
        "what_happened": (
            "Child K was not brought to three appointments for a cough and a dental referral. "
            "Under the practice's 'was not brought' policy the practice nurse phoned the mother, "
            "wrote to her, and sent a message to the health visiting team, which had not yet "
            "allocated a named health visitor."
        ),
        "assessment": Assessment.MIXED,
        "assessment_explanation": (
            "The practice treated missed appointments as a safeguarding signal, as its policy "
            "asks; its message went to a team inbox that nobody was yet responsible for."
        ),
        "local_rationality": (
            "The nurse had done what the policy asked and expected the health visitor to pick "
            "it up. With no named health visitor on the record, she had no one to phone."
        ),
        "data_sources": (
            "The GP record and the practice's policy; the conversation with the practice nurse "
            "is booked."
        ),
        "case_group_view": CaseGroupView.NOT_DISCUSSED,
        "case_group_note": "",
        "factors": {
            "Own team": (
                "The practice's safeguarding lead had introduced the 'was not brought' policy "
                "and reviews missed appointments monthly."
            ),
            "Inter-agency / inter-professional team": (
                "Messages from GP practices go to a shared health visiting inbox until a named "
                "health visitor is allocated."
            ),
        },
    },
    {
        "title": "A strategy discussion brings the agencies' pictures together",
        "when": "June",
        "agencies": "Children's social care, police, health visiting, nursery",
        "what_happened": (
            "After the nursery's second referral, about an untreated tooth and weight loss, the "
            "MASH manager held a strategy discussion the same day. She invited the nursery, "
            "phoned the first borough for its history, and read the nursery's log aloud. A "
            "child protection enquiry followed, and an initial conference two weeks later."
        ),
        "assessment": Assessment.GOOD,
        "assessment_explanation": (
            "The manager looked beyond the borough's records, heard the setting that knew the "
            "child best, and brought history and present together in one place."
        ),
        "local_rationality": (
            "The second referral quoted fourteen entries from the nursery's log, which made a "
            "pattern plain. The manager had worked in the first borough and knew whom to call."
        ),
        "data_sources": (
            "Conversations with the MASH manager and the designated safeguarding lead; the "
            "strategy discussion record."
        ),
        "case_group_view": CaseGroupView.AGREED,
        "case_group_note": "",
        "factors": {
            "Personal": (
                "The manager's own experience in the first borough, and her contacts there, "
                "made the phone call easy."
            ),
            "Inter-agency / inter-professional team": (
                "The nursery was invited and its log was read as evidence, not as background."
            ),
            "Family": (
                "The nursery's relationship with the mother meant she agreed to a meeting the "
                "next day."
            ),
        },
    },
]

# Each finding in priority order; its episodes by KPE number.
FINDINGS = [
    {
        "title": "A family's history does not travel with them between boroughs",
        "category": "Multi-agency working in longer-term work",
        "direction": Direction.POOR_PRACTICE_MORE_LIKELY,
        "episodes": [1, 2, 5],
        "in_this_case": (
            "When the family moved, the first borough closed Child K's plan with a brief letter "
            "(KPE1), the health visiting record arrived seven weeks late (KPE2), and the second "
            "borough's front door screened two contacts without asking the first borough (KPE5). "
            "For five months no one in the second borough knew the history of neglect."
        ),
        "how_we_know": (
            "The second borough's front door received 212 transfer letters for children in need "
            "last year; in a sample of twenty, fourteen were screened without contact with the "
            "sending borough. Practitioners from both boroughs in the case group recognised the "
            "pattern at once, and the review team's heads of service said the same happens with "
            "their other neighbours."
        ),
        "system_reliability": (
            "Whether a child's history follows them depends on chance: on a worker who happens "
            "to phone, or a manager who happens to have worked next door. Children who move "
            "often, who are among the most at risk of neglect, are the least likely to be known."
        ),
        "statement": (
            "When a family moves between boroughs, what agencies know about a child in need is "
            "not handed over, so the receiving borough meets the family as new and the pattern "
            "of concern starts again from nothing."
        ),
        "issues": [
            "How does the partnership know what happens to children in need whose families "
            "move into or out of the area?",
            "Should the partnership agree with its neighbours a transfer process for children "
            "in need, like the one for children on child protection plans?",
            "What would help social workers and health visitors on both sides of a move to "
            "speak to each other before a plan or a caseload closes?",
        ],
    },
    {
        "title": "The front door's screening form looks only at local records",
        "category": "Tools",
        "direction": Direction.POOR_PRACTICE_MORE_LIKELY,
        "episodes": [4, 5],
        "in_this_case": (
            "The police notification left out what officers saw of the home (KPE4), and the "
            "MASH screened it and the nursery's referral separately against the second "
            "borough's records alone (KPE5). The form prompted neither a question about where "
            "the family had lived before nor a look at other contacts about the same child."
        ),
        "how_we_know": (
            "The form and its guidance were written when most families were known locally; the "
            "MASH manager estimates that a fifth of contacts now concern families who have moved "
            "in within two years. Screeners in the case group said they would not think to "
            "phone another borough unless the contact itself mentioned one."
        ),
        "system_reliability": (
            "The form makes a family without local history look like a family without concerns, "
            "and leaves linking contacts to a screener's memory in a team handling 120 a day."
        ),
        "statement": (
            "The front door's screening form asks only what is known locally and reads each "
            "contact on its own, so concerns about children new to the borough are under-read."
        ),
        "issues": [
            "How confident is the board that the screening form prompts screeners to ask where a "
            "family lived before?",
            "How are several low-level contacts about one child, from different agencies, "
            "brought together at the front door?",
        ],
    },
    {
        "title": "Early years settings' records of small concerns are heard when they are invited",
        "category": "Multi-agency working in response to incidents and crises",
        "direction": Direction.SUPPORTS_SAFE_PRACTICE,
        "episodes": [3, 7],
        "in_this_case": (
            "The nursery's dated log of small concerns (KPE3) was read aloud at the strategy "
            "discussion, where the nursery had a seat (KPE7). It turned a set of minor contacts "
            "into a clear pattern and brought about the child protection enquiry."
        ),
        "how_we_know": (
            "The review team's early years adviser says that about half of the borough's "
            "nurseries keep such logs. MASH records show that early years settings were invited "
            "to a third of strategy discussions about pre-school children last year, and the "
            "case group thought this manager's practice unusual."
        ),
        "system_reliability": (
            "When a setting keeps a log and is invited, the system sees neglect early; both "
            "depend on local habit, not on anything the partnership asks for, and so they are "
            "easily lost."
        ),
        "statement": (
            "Early years settings that keep a running log of small concerns, and are invited to "
            "strategy discussions, help agencies recognise neglect; neither is yet routine."
        ),
        "issues": [
            "How could the partnership help every early years setting keep the kind of running "
            "log this nursery kept?",
            "Are early years settings routinely invited to strategy discussions about the "
            "children they care for, and how would the board know?",
        ],
    },
]


def _editable(stage: ReviewStage) -> bool:
    return stage.status not in (ReviewStage.Status.SUBMITTED, ReviewStage.Status.APPROVED)


def seed_review_analysis(
    *, stdout, review: SupervisedReview, conversations: dict[str, Conversation] | None = None
) -> None:
    """The narrative, key practice episodes and draft findings, added once and only to a review
    with none, while their stages can still be changed. Each episode rests on the
    ``conversations`` (by key, from ``demo_conduct``) it draws on, where they were recorded."""
    if review.key_practice_episodes.exists() or review.findings.exists():
        stdout.write(f"The analysis of {review} already has entries")
        return
    Register = StageDefinition.Register
    analysis = register_stage(review_id=review.pk, register=Register.KEY_PRACTICE_EPISODES)
    findings = register_stage(review_id=review.pk, register=Register.FINDINGS)
    if not (_editable(analysis) and _editable(findings)):
        stdout.write(f"The analysis stages of {review} are signed off or waiting; left alone")
        return

    tess, pat = review.trainee, review.partner
    authors: list[User] = [tess, pat] if pat else [tess]
    evidence_add_note(stage=analysis, user=tess, title=NARRATIVE_TITLE, note=NARRATIVE)
    factor_categories = ContributoryFactorCategory.objects.in_bulk(field_name="name")
    episodes = []
    for number, spec in enumerate(EPISODES):
        fields = {k: v for k, v in spec.items() if k != "factors"}
        factors = {
            factor_categories[name]: text
            for name, text in spec["factors"].items()
            if name in factor_categories
        }
        author = authors[number % len(authors)]
        rests_on = [
            conversations[key]
            for key in EPISODE_CONVERSATIONS.get(number + 1, ())
            if key in (conversations or {})
        ]
        episodes.append(
            episode_create(
                stage=analysis, user=author, **fields, factors=factors, conversations=rests_on
            )
        )

    typology = list(FindingCategory.objects.order_by("sort_order", "name"))
    by_name = {category.name: category for category in typology}
    for priority, spec in enumerate(FINDINGS, start=1):
        # An administrator may have renamed a category: fall back to one not used yet.
        used = {finding.category_id for finding in review.findings.all()}
        category = by_name.get(spec["category"]) or next(
            (c for c in typology if c.pk not in used), typology[0]
        )
        finding_create(
            stage=findings,
            user=tess,
            title=spec["title"],
            category=category,
            direction=spec["direction"],
            in_this_case=spec["in_this_case"],
            how_we_know=spec["how_we_know"],
            system_reliability=spec["system_reliability"],
            statement=spec["statement"],
            priority=priority,
            episodes=[episodes[number - 1] for number in spec["episodes"]],
            issues_for_board=spec["issues"],
        )
    stdout.write(
        f"Added the analysis of {review}: {len(episodes)} key practice episodes and "
        f"{len(FINDINGS)} draft findings"
    )
