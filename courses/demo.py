"""Demo course content: the lead reviewer programme, with seven modules built from SCIE Guide 24.

`seed_courses` is safe to run again: it finds the pages that exist and adds only what is missing,
so editors' changes to the demo content are kept. A block an earlier demo seeded and this one
replaces (see SUPERSEDED) is swapped only while it is exactly as it was seeded.
"""

import copy
import uuid

from django.db import transaction

from wagtail.models import Page, Site

from learning_platform.accounts.models import User

from .demo_markup import bullets, check_question, html, numbered
from .demo_practice import MODULE as PRACTICE_MODULE
from .models import Cohort, CourseIndexPage, CoursePage, Enrolment, ModulePage, ModuleProgress

COURSE_TITLE = "Learning Together lead reviewer programme"
COURSE_SLUG = "lead-reviewer-programme"
_ID_NAMESPACE = uuid.UUID("0b8a3f8e-4a8e-4f8e-9a53-5c1e7d2b6a10")


def _id(*parts: str) -> str:
    # Stable block ids, so that answers saved against the demo survive a re-seed.
    return str(uuid.uuid5(_ID_NAMESPACE, "/".join(parts)))


COURSE = {
    "overview": html(
        "Learning Together is SCIE's systems model for multi-agency case reviews in "
        "safeguarding. This programme trains experienced practitioners and managers to lead "
        "such reviews: to understand why practice unfolded as it did, not just what went wrong, "
        "and to turn one case into learning about the whole local system.",
        "You learn the theory and the analytic tools on four face-to-face training days, then "
        "carry out a real case review commissioned by a safeguarding partnership or board, in a "
        "pair and under supervision. Accreditation follows a successful supervised review.",
    ),
    "learning_outcomes": bullets(
        "explain the systems approach and why it asks what made sense to people at the time",
        "plan a review: scope it, choose the review team and prepare the case group",
        "hold structured one-to-one conversations with frontline practitioners",
        "identify key practice episodes and analyse their contributory factors",
        "identify and prioritise underlying patterns, and frame findings for the board",
        "write a report that the commissioning board can own, publish and act on",
    ),
    "audience": (
        "Social workers, police officers and health professionals training as lead reviewers "
        "for safeguarding partnerships and boards"
    ),
    "format": "4 days face-to-face in two blocks (2 + 2 days), then a supervised case review",
}

CONTRIBUTORY_FACTORS = [
    "Family",
    "Your role",
    "Conditions of work",
    "Personal",
    "Own team",
    "Inter-agency / inter-professional team",
    "Organisational culture and management",
    "Wider political context",
    "Other",
]


TYPOLOGY_QUESTION = "Which of these is a category in the typology of underlying patterns?"

MODULES = [
    {
        "slug": "systems-thinking",
        "title": "Systems thinking",
        "minutes": 45,
        "overview": (
            "Why a systems review asks what made sense to people at the time, and how it moves "
            "from one case to learning about the whole safeguarding system."
        ),
        "requires": [],
        "body": [
            (
                "text",
                html(
                    "<h2>From blame to understanding</h2>",
                    "Traditional case reviews often ask who made a mistake. They tend to "
                    "find an individual who should have acted differently and recommend more "
                    "procedures, more training or more checking. The same problems then recur "
                    "in the next review, because the conditions that produced them are "
                    "untouched.",
                    "Learning Together borrows from safety-critical industries such as "
                    "aviation and health care. It treats a poor outcome as the starting point "
                    "of an inquiry, not its conclusion. The question becomes: why did it make "
                    "sense, to competent and well-meaning professionals, to act as they did?",
                ),
            ),
            (
                "callout",
                {
                    "heading": "Local rationality",
                    "text": html(
                        "People act in ways that make sense to them, given what they know, "
                        "what they are trying to achieve and the pressures on them at the "
                        "time. A review that understands that <em>local rationality</em> can "
                        "see which features of the system made poor practice likely, and "
                        "which made good practice possible."
                    ),
                },
            ),
            (
                "text",
                html(
                    "<h2>Hindsight and outcome bias</h2>",
                    "Knowing how a case ended changes how we read it. With hindsight the "
                    "warning signs look obvious and the path to harm looks straight. At the "
                    "time, the same information was mixed with many other signals, most of "
                    "which led nowhere. Outcome bias adds to this: we judge a decision more "
                    "harshly when the outcome was bad, even if the reasoning was sound.",
                    "A systems reviewer deliberately reconstructs the view from inside the "
                    "case: what was known, what was not, and what else was competing for "
                    "attention.",
                    "<h2>Work as imagined and work as done</h2>",
                    "Procedures describe work as it is imagined. Practitioners do the work "
                    "as it has to be done: with caseloads, incomplete information, systems "
                    "that do not talk to each other and families who may not engage. The gap "
                    "between the two is where the most useful learning usually sits.",
                    "<h2>From one case to the system</h2>",
                    "The aim is not to explain one case perfectly. It is to use the case as "
                    "a window on the system, to find the <strong>underlying patterns</strong> "
                    "that support or hinder good practice in other cases too, and to give the "
                    "safeguarding partnership findings it can act on.",
                ),
            ),
            (
                "reflective_question",
                {
                    "question": (
                        "Think of a case you know where, looking back, a decision seemed "
                        "obviously wrong. What did the people involved know at the time, and "
                        "what pressures and priorities shaped what they did?"
                    ),
                    "guidance": (
                        "Do not name or identify anyone. Write about the conditions, not the "
                        "person."
                    ),
                },
            ),
            (
                "knowledge_check",
                {
                    "title": "Check your understanding: systems thinking",
                    "pass_mark": 75,
                    "questions": [
                        check_question(
                            "What does a systems review mean by local rationality?",
                            (
                                "People act in ways that make sense to them given what they "
                                "know and the pressures on them at the time",
                                True,
                                "Yes. Understanding that view from inside the case is the "
                                "heart of the method.",
                            ),
                            (
                                "Local agencies follow their own procedures rather than "
                                "national guidance",
                                False,
                                "No. It is about how things looked to the people involved, "
                                "not about which procedures apply.",
                            ),
                            (
                                "Decisions should be judged against what the reviewer now knows",
                                False,
                                "No. That is hindsight bias, which the method works to avoid.",
                            ),
                        ),
                        check_question(
                            "A review finds that a health visitor did not share a concern. "
                            "What is the systems question to ask next?",
                            (
                                "Who should be held accountable?",
                                False,
                                "Accountability has its own processes. A learning review "
                                "asks a different question.",
                            ),
                            (
                                "What made not sharing it seem reasonable at the time?",
                                True,
                                "Right. The answer points to conditions that may affect "
                                "other practitioners too.",
                            ),
                            (
                                "Which procedure should be rewritten?",
                                False,
                                "Not yet: without understanding why, a new procedure may "
                                "change nothing.",
                            ),
                        ),
                        check_question(
                            "What is hindsight bias?",
                            (
                                "Seeing the path to a known outcome as more obvious than it "
                                "was at the time",
                                True,
                                "Correct. Knowing the ending makes warning signs look "
                                "clearer than they were.",
                            ),
                            (
                                "Relying too much on the most recent information",
                                False,
                                "No, that is a different bias (recency).",
                            ),
                            (
                                "Giving too much weight to what a family says",
                                False,
                                "No. Hindsight bias is about the reviewer's knowledge of the "
                                "outcome.",
                            ),
                        ),
                        check_question(
                            "What does a Learning Together review aim to produce?",
                            (
                                "A complete account of one case and a list of individual errors",
                                False,
                                "No. The case is a window on the system, not the end in itself.",
                            ),
                            (
                                "Findings about underlying patterns that affect practice in "
                                "other cases as well",
                                True,
                                "Yes. That is what lets the partnership improve the system.",
                            ),
                            (
                                "Recommendations that practitioners follow procedures more closely",
                                False,
                                "This is the kind of recommendation a systems review tries "
                                "to move beyond.",
                            ),
                        ),
                    ],
                },
            ),
        ],
    },
    {
        "slug": "the-review-process",
        "title": "The review process and its stages",
        "minutes": 50,
        "overview": (
            "The five stages of a Learning Together review, who takes part, the types of review "
            "and how they fit the statutory frame for child safeguarding practice reviews."
        ),
        "requires": ["systems-thinking"],
        "body": [
            (
                "text",
                html(
                    "<h2>Who takes part</h2>",
                    bullets(
                        "<strong>Lead reviewers</strong> work in pairs: two trainees, or a "
                        "trainee with an accredited reviewer. They run the review and are "
                        "independent of the agencies involved.",
                        "<strong>The review team</strong> is made up of senior local "
                        "managers from the agencies involved. They bring knowledge of how "
                        "their organisations work and share the analysis.",
                        "<strong>The case group</strong> is the frontline practitioners "
                        "involved in the case. It can include family members.",
                        "<strong>The commissioning body</strong>, a safeguarding partnership "
                        "or board, commissions the review and owns its report.",
                    ),
                    "<h2>The five stages (SCIE Guide 24)</h2>",
                    numbered(
                        "<strong>Preparation</strong>: identify the case and the research "
                        "questions that set the scope; select the review team; identify who "
                        "should be involved; prepare participants.",
                        "<strong>Data collection</strong>: select the documentation to read; "
                        "hold one-to-one conversations with the case group.",
                        "<strong>Organising and analysing data</strong>: build a narrative "
                        "of the multi-agency perspectives; identify key practice episodes "
                        "and their contributory factors; review the data and the analysis "
                        "with the review team and case group.",
                        "<strong>Findings</strong>: identify and prioritise the underlying "
                        "patterns, and frame recommendations or issues for the board.",
                        "<strong>Report</strong>: write the final report, which the "
                        "commissioning board agrees and owns.",
                    ),
                ),
            ),
            (
                "callout",
                {
                    "heading": "Research questions set the scope",
                    "text": html(
                        "A review is not an inquiry into everything that happened. A few "
                        "research questions, agreed with the commissioning board, say what "
                        "the partnership most needs to learn. They keep a review focused "
                        "and proportionate."
                    ),
                },
            ),
            (
                "text",
                html(
                    "<h2>Types of review</h2>",
                    "A <strong>full</strong> review takes about six months. It includes "
                    "one-to-one conversations with the whole case group, about five review "
                    "team meetings and two joint meetings of the review team and case group. "
                    "Shorter models keep the same principles with less time and fewer "
                    "meetings: <strong>intensive</strong>, <strong>Speed+</strong>, "
                    "<strong>mid-range</strong> and <strong>focused</strong> reviews. A "
                    "<strong>themed</strong> review looks across several cases at one issue.",
                    "<h2>Today's statutory frame</h2>",
                    "In England, Working Together 2018 and 2023 replaced Local Safeguarding "
                    "Children Boards with safeguarding partners, and serious case reviews "
                    "with local and national child safeguarding practice reviews. A local "
                    "review is expected to be published within six months. The Learning "
                    "Together model fits this frame, and is also used by safeguarding "
                    "adults boards.",
                ),
            ),
            (
                "reflective_question",
                {
                    "question": (
                        "Who would you want on the review team for a case in your area, and "
                        "what might make it hard for them to take part openly?"
                    ),
                    "guidance": "Think about seniority, time, and each agency's culture.",
                },
            ),
            (
                "knowledge_check",
                {
                    "title": "Check your understanding: the review process",
                    "pass_mark": 75,
                    "questions": [
                        check_question(
                            "Which stage comes straight after data collection?",
                            (
                                "Findings",
                                False,
                                "Not yet: the data has to be organised and analysed first.",
                            ),
                            (
                                "Organising and analysing data",
                                True,
                                "Yes. Key practice episodes are identified in this stage.",
                            ),
                            (
                                "Preparation",
                                False,
                                "No. Preparation is the first stage.",
                            ),
                        ),
                        check_question(
                            "Who makes up the case group?",
                            (
                                "Senior managers from the agencies involved",
                                False,
                                "That is the review team.",
                            ),
                            (
                                "The frontline practitioners involved in the case, and can "
                                "include family members",
                                True,
                                "Correct.",
                            ),
                            (
                                "Members of the commissioning board",
                                False,
                                "No. The board commissions the review and owns the report.",
                            ),
                        ),
                        check_question(
                            "Who owns the final report?",
                            (
                                "The lead reviewers",
                                False,
                                "The reviewers write it, but it is not theirs.",
                            ),
                            (
                                "The commissioning board or safeguarding partnership",
                                True,
                                "Yes. The board agrees the report and acts on it.",
                            ),
                            (
                                "SCIE",
                                False,
                                "No. SCIE trains and accredits reviewers; it does not own "
                                "local reviews.",
                            ),
                        ),
                        check_question(
                            "About how long does a full Learning Together review take?",
                            ("Six weeks", False, "That is far too short for a full review."),
                            ("About six months", True, "Yes."),
                            ("About two years", False, "No: that is far longer than intended."),
                        ),
                    ],
                },
            ),
        ],
    },
    {
        "slug": "conversations-with-the-case-group",
        "title": "Conversations with the case group",
        "minutes": 50,
        "overview": (
            "How to hold structured one-to-one conversations that help practitioners explain "
            "how the case looked to them at the time."
        ),
        "requires": ["the-review-process"],
        "body": [
            (
                "text",
                html(
                    "<h2>A conversation, not an interview</h2>",
                    "The one-to-one conversation is the main source of data in a Learning "
                    "Together review. Its purpose is to understand how the case looked from "
                    "where the practitioner stood: what they knew, what they were trying to "
                    "do and what helped or got in the way. People only say this if they "
                    "trust that the review is about learning, not blame.",
                    "<h2>Preparing the case group</h2>",
                    bullets(
                        "explain the systems approach, what the review is for and how the "
                        "conversation will be used",
                        "agree how notes are kept, who sees them and how people will be "
                        "described in the report",
                        "give practitioners time to reread their records beforehand",
                        "explain that they will see and comment on the emerging analysis at "
                        "the joint meetings",
                    ),
                ),
            ),
            (
                "callout",
                {
                    "heading": "The structure of a conversation",
                    "text": numbered(
                        "Introduction and overview of their involvement",
                        "Key practice episodes, in their words",
                        "Mindset and local rationality: what they thought was happening",
                        "Contributory factors: what made it easier or harder",
                        "What went well, and their own queries",
                        "Changes they would suggest",
                    ),
                },
            ),
            (
                "text",
                html(
                    "<h2>Listening for the system</h2>",
                    "Ask open questions and follow the practitioner's account. When they "
                    "describe a decision, ask what else was going on, what information they "
                    "had and how usual this situation was. Notice when they describe "
                    "workarounds: these often reveal where the system does not support the "
                    "work. Record their words carefully; direct quotations are strong "
                    "evidence in the analysis.",
                    "<h2>Family members</h2>",
                    "Where family members take part, their view of how services worked with "
                    "them is data of the same standing as practitioners'. Plan these "
                    "conversations with particular care, with support available, and "
                    "agree in advance how their contribution will be used and reported.",
                ),
            ),
            (
                "reflective_question",
                {
                    "question": (
                        "Recall a time you were asked to explain your own practice after "
                        "something went wrong. What helped you speak openly, and what made "
                        "you guarded?"
                    ),
                    "guidance": "",
                },
            ),
            (
                "knowledge_check",
                {
                    "title": "Check your understanding: conversations",
                    "pass_mark": 75,
                    "questions": [
                        check_question(
                            "What is the main purpose of the one-to-one conversation?",
                            (
                                "To establish whether procedures were followed",
                                False,
                                "Records can show that. The conversation is for what records "
                                "cannot show.",
                            ),
                            (
                                "To understand how the case looked to the practitioner at the time",
                                True,
                                "Yes: their mindset and the conditions they worked in.",
                            ),
                            (
                                "To collect statements for a disciplinary process",
                                False,
                                "No. Mixing the two would stop people speaking openly.",
                            ),
                        ),
                        check_question(
                            "Which of these is part of the conversation structure?",
                            (
                                "Contributory factors",
                                True,
                                "Correct: what made good practice easier or harder.",
                            ),
                            (
                                "A score for each practitioner's performance",
                                False,
                                "No. Reviewers do not grade individuals.",
                            ),
                            (
                                "A reading of the draft findings",
                                False,
                                "Not in the one-to-one: findings come later and are shared "
                                "at joint meetings.",
                            ),
                        ),
                        check_question(
                            "A practitioner describes a regular workaround. Why does it matter?",
                            (
                                "It shows that the practitioner broke the rules",
                                False,
                                "That reading misses the learning.",
                            ),
                            (
                                "It can reveal where the system does not support the work",
                                True,
                                "Yes. Workarounds often point to underlying patterns.",
                            ),
                            (
                                "It does not matter unless it caused the outcome",
                                False,
                                "No. Patterns that affect many cases matter most.",
                            ),
                        ),
                    ],
                },
            ),
        ],
    },
    {
        "slug": "key-practice-episodes",
        "title": "Key practice episodes and contributory factors",
        "minutes": 60,
        "overview": (
            "How to identify the key practice episodes in a case and analyse the factors that "
            "contributed to each, using the nine contributory-factor categories."
        ),
        "requires": ["conversations-with-the-case-group"],
        "body": [
            (
                "text",
                html(
                    "<h2>Key practice episodes</h2>",
                    "A key practice episode (KPE) is a point in the case where practice was "
                    "significant to how the case developed or was handled. It may be a "
                    "decision, an assessment, a meeting or a moment when something was not "
                    "done. KPEs are not a list of errors: good practice can be a KPE too, "
                    "and studying it shows what makes good practice possible.",
                    "For each KPE the review team sets out, from the documents and "
                    "conversations: what happened; what the people involved understood and "
                    "were trying to do (their mindset); and the factors that contributed to "
                    "practice being as it was.",
                ),
            ),
            (
                "callout",
                {
                    "heading": "The nine contributory-factor categories",
                    "text": numbered(*CONTRIBUTORY_FACTORS),
                },
            ),
            (
                "text",
                html(
                    "<h2>Using the categories</h2>",
                    "The categories are prompts, so that the analysis looks beyond the "
                    "individual. A practitioner's decision may be shaped by the family's "
                    "presentation, by how their role is defined, by caseloads and IT "
                    "systems (conditions of work), by their own experience and wellbeing, "
                    "by their team, by how agencies work together, by organisational "
                    "culture and management, and by the wider political context such as "
                    "funding or national policy.",
                    "Contributory factors are evidence-based: each should be traceable to "
                    "what documents or participants said. The review team checks the "
                    "analysis with the case group at the joint meetings before it is used "
                    "to look for patterns.",
                ),
            ),
            (
                "reflective_question",
                {
                    "question": (
                        "Choose one decision from your own recent practice. Which of the nine "
                        "categories of contributory factors shaped it, and how?"
                    ),
                    "guidance": "Try to name at least three categories.",
                },
            ),
            (
                "knowledge_check",
                {
                    "title": "Check your understanding: KPEs and contributory factors",
                    "pass_mark": 75,
                    "questions": [
                        check_question(
                            "Which best describes a key practice episode?",
                            (
                                "A mistake that caused the outcome",
                                False,
                                "No. KPEs are not only errors, and causation is rarely that "
                                "simple.",
                            ),
                            (
                                "A point where practice was significant to how the case "
                                "developed or was handled",
                                True,
                                "Yes. Good practice can be a KPE too.",
                            ),
                            (
                                "Every contact any agency had with the family",
                                False,
                                "That would be a chronology, not an analysis.",
                            ),
                        ),
                        check_question(
                            "How many contributory-factor categories does the model use?",
                            ("Four", False, "No, there are more."),
                            ("Six", False, "Six is the number of types of underlying pattern."),
                            ("Nine", True, "Correct: from family through to other."),
                        ),
                        check_question(
                            "A social worker had 30 cases and an IT system that hid earlier "
                            "referrals. Which category fits best?",
                            (
                                "Conditions of work",
                                True,
                                "Yes: workload and tools are conditions of work.",
                            ),
                            (
                                "Personal",
                                False,
                                "Personal factors are about the individual, such as "
                                "experience or wellbeing.",
                            ),
                            (
                                "Family",
                                False,
                                "No. Family factors are about how the family presented.",
                            ),
                        ),
                        check_question(
                            "Where should each contributory factor come from?",
                            (
                                "The reviewers' professional judgement alone",
                                False,
                                "Judgement matters, but it must rest on the data.",
                            ),
                            (
                                "Evidence in the documents and conversations",
                                True,
                                "Correct, and it is checked with the case group.",
                            ),
                            (
                                "National research on similar cases",
                                False,
                                "Research can help interpret, but factors come from this "
                                "case's data.",
                            ),
                        ),
                    ],
                },
            ),
        ],
    },
    {
        "slug": "underlying-patterns-and-findings",
        "title": "Underlying patterns and findings",
        "minutes": 60,
        "overview": (
            "How to move from one case to findings about the system, using the typology of "
            "underlying patterns, and how to frame findings as issues for the board."
        ),
        "requires": ["key-practice-episodes"],
        "body": [
            (
                "text",
                html(
                    "<h2>From case to system</h2>",
                    "Once the KPEs and their contributory factors are agreed, the review "
                    "team asks which of them reflect something wider than this case. An "
                    "underlying pattern is a feature of the local system that makes good "
                    "practice harder, or easier, across many cases. The review needs "
                    "evidence that a pattern is general: for example, the case group and "
                    "review team recognise it from other work, or data from the agencies "
                    "shows it.",
                ),
            ),
            (
                "typology",
                {
                    "heading": "The typology of underlying patterns",
                    "intro": html(
                        "SCIE's published Learning Together reports sort each finding into one "
                        "of these categories. Guide 24 (Appendix 6) words some of them "
                        "differently: what it calls human–tool operation is <em>tools</em>, and "
                        "human–management system operation is <em>management systems</em>. This "
                        "is the list your review's findings register uses."
                    ),
                },
            ),
            (
                "text",
                html(
                    "<h2>Prioritising findings</h2>",
                    "A review usually finds more patterns than a board can act on. Choose "
                    "the few that matter most: those with the greatest risk to children or "
                    "adults, the widest reach, and the best prospect that the partnership "
                    "can change them.",
                    "<h2>Issues for the board</h2>",
                    "Each finding sets out the pattern, the evidence from the case, why it "
                    "matters beyond the case, and the questions or issues the board needs to "
                    "consider. The model favours issues and questions over prescriptive "
                    "recommendations, because the board and its agencies are best placed to "
                    "design solutions, and a ready-made action plan can close down thinking "
                    "about why the pattern exists.",
                ),
            ),
            (
                "reflective_question",
                {
                    "question": (
                        "Describe an underlying pattern you have seen in your own area. "
                        "Which type in the typology does it fit, and what evidence would "
                        "show it is more than a one-off?"
                    ),
                    "guidance": "",
                },
            ),
            (
                "knowledge_check",
                {
                    "title": "Check your understanding: underlying patterns",
                    "pass_mark": 75,
                    "questions": [
                        check_question(
                            "What makes something an underlying pattern rather than a "
                            "feature of one case?",
                            (
                                "Evidence that it affects practice in other cases too",
                                True,
                                "Yes. A finding is about the system, not the single case.",
                            ),
                            (
                                "It contributed directly to the outcome",
                                False,
                                "Not enough on its own: it must be general as well.",
                            ),
                            (
                                "A senior manager agrees with it",
                                False,
                                "Agreement helps, but evidence is what counts.",
                            ),
                        ),
                        check_question(
                            TYPOLOGY_QUESTION,
                            (
                                "Tools",
                                True,
                                "Correct: how the forms, records, procedures and IT systems "
                                "practitioners use help or hinder them. Guide 24 calls it "
                                "human–tool operation.",
                            ),
                            (
                                "Individual negligence",
                                False,
                                "No. The typology describes the system, not individual blame.",
                            ),
                            (
                                "Budget overspend",
                                False,
                                "Resources may be a contributory factor, but this is not a "
                                "category in the typology.",
                            ),
                        ),
                        check_question(
                            "Why does the model prefer issues for the board over "
                            "prescriptive recommendations?",
                            (
                                "Boards dislike recommendations",
                                False,
                                "No, that is not the reason.",
                            ),
                            (
                                "The board and agencies are best placed to design solutions",
                                True,
                                "Yes, and ready-made actions can stop people thinking about "
                                "why the pattern exists.",
                            ),
                            (
                                "Recommendations are not allowed in published reports",
                                False,
                                "They are allowed; the model simply favours issues.",
                            ),
                        ),
                    ],
                },
            ),
        ],
    },
    PRACTICE_MODULE,
    {
        "slug": "writing-the-report",
        "title": "Writing the report",
        "minutes": 45,
        "overview": (
            "How to structure and write a review report that the commissioning board can own, "
            "publish and act on."
        ),
        "requires": [PRACTICE_MODULE["slug"]],
        "body": [
            (
                "text",
                html(
                    "<h2>Who the report is for</h2>",
                    "The report is agreed and owned by the commissioning board. Its readers "
                    "are board members, practitioners and managers across the partnership, "
                    "the family and the public. Write in plain language, explain any "
                    "professional terms and keep the case detail to what the findings need.",
                    "<h2>A typical structure</h2>",
                    numbered(
                        "Introduction: why the case was reviewed, the research questions "
                        "and the review's scope",
                        "Methodology: the systems approach, who took part and any limitations",
                        "Appraisal of practice: a short narrative of the case and the key "
                        "practice episodes, with what helped and hindered",
                        "Findings: each underlying pattern with its evidence, why it "
                        "matters beyond the case, and the issues or questions for the board",
                        "Appendices: terms of reference, the review team and a glossary",
                    ),
                ),
            ),
            (
                "callout",
                {
                    "heading": "Anonymity",
                    "text": html(
                        "Published reports must not identify the child, the family or "
                        "individual practitioners. Use roles rather than names, and remove "
                        "details that would make the family recognisable locally."
                    ),
                },
            ),
            (
                "text",
                html(
                    "<h2>Getting to publication</h2>",
                    "Share drafts with the review team and the case group so that they can "
                    "check accuracy and tone, and talk with the family about the report "
                    "before it is published. Remember that a child safeguarding practice "
                    "review is expected to be published within six months. Trainees have an "
                    "individual supervision session during report writing: bring a draft of "
                    "your findings to it.",
                ),
            ),
            (
                "reflective_question",
                {
                    "question": (
                        "Read a published review from your area. How easily could a board "
                        "member act on its findings, and what would you change in how they "
                        "are written?"
                    ),
                    "guidance": "",
                },
            ),
            (
                "knowledge_check",
                {
                    "title": "Check your understanding: the report",
                    "pass_mark": 75,
                    "questions": [
                        check_question(
                            "Who agrees and owns the final report?",
                            ("The lead reviewers", False, "They write it but do not own it."),
                            ("The commissioning board", True, "Correct."),
                            ("The case group", False, "They check it but do not own it."),
                        ),
                        check_question(
                            "What should each finding include?",
                            (
                                "The pattern, its evidence, why it matters beyond the case "
                                "and issues for the board",
                                True,
                                "Yes.",
                            ),
                            (
                                "The names of the practitioners involved",
                                False,
                                "No. Reports must not identify practitioners.",
                            ),
                            (
                                "A complete chronology of the case",
                                False,
                                "No. Keep case detail to what the findings need.",
                            ),
                        ),
                        check_question(
                            "When do trainees have an individual supervision session?",
                            (
                                "Before the first training day",
                                False,
                                "No. Group supervision runs through the review.",
                            ),
                            (
                                "During report writing",
                                True,
                                "Yes: bring your draft findings.",
                            ),
                            (
                                "After publication",
                                False,
                                "That would be too late to help with the report.",
                            ),
                        ),
                    ],
                },
            ),
        ],
    },
]


def _body(module_slug: str, blocks: list[tuple[str, object]]) -> list[dict]:
    return [
        {"type": block_type, "value": value, "id": _id(module_slug, str(i), block_type)}
        for i, (block_type, value) in enumerate(blocks)
    ]


def _course_index(stdout) -> CourseIndexPage:
    index = CourseIndexPage.objects.first()
    if index is not None:
        return index
    site = Site.objects.filter(is_default_site=True).first()
    root = site.root_page if site else Page.get_first_root_node()
    index = CourseIndexPage(
        title="Training",
        slug="training",
        show_in_menus=True,
        intro=html(
            "SCIE trains lead reviewers in the Learning Together systems model for "
            "multi-agency case reviews."
        ),
    )
    root.add_child(instance=index)
    index.save_revision().publish()
    stdout.write("Created the Training page")
    return index


def _course(index: CourseIndexPage, stdout) -> CoursePage:
    course = CoursePage.objects.child_of(index).filter(slug=COURSE_SLUG).first()
    if course is not None:
        return course
    course = CoursePage(title=COURSE_TITLE, slug=COURSE_SLUG, **COURSE)
    index.add_child(instance=course)
    course.save_revision().publish()
    stdout.write(f"Created course {COURSE_TITLE}")
    return course


# Blocks that an earlier version of the demo seeded, as it seeded them, and that the block at the
# same place in MODULES now replaces: (module slug, place in the body, block type) -> value.
_FINDINGS = "underlying-patterns-and-findings"
_FIRST_TYPOLOGY_QUESTION = check_question(
    "Which of these is a type in the typology of underlying patterns?",
    (
        "Human–tool operation",
        True,
        "Correct: how people work with tools such as forms and IT systems.",
    ),
    (
        "Individual negligence",
        False,
        "No. The typology describes the system, not individual blame.",
    ),
    (
        "Budget overspend",
        False,
        "Resources may be a contributory factor, but this is not a type of pattern.",
    ),
)
_FIRST_TYPOLOGY_CALLOUT = {
    "heading": "The typology of underlying patterns (Guide 24, Appendix 6)",
    "text": numbered(
        "Human–tool operation",
        "Human–management system operation",
        "Communication and collaboration in multi-agency working in response to incidents and "
        "crises",
        "Communication and collaboration in multi-agency working in assessment and longer-term "
        "work",
        "Family–professional interaction",
        "Human judgement and reasoning",
    ),
}


def _first_findings_check() -> dict:
    spec = next(module for module in MODULES if module["slug"] == _FINDINGS)
    check = copy.deepcopy(spec["body"][4][1])
    check["questions"][1] = _FIRST_TYPOLOGY_QUESTION
    return check


SUPERSEDED = {
    (_FINDINGS, 1, "callout"): _FIRST_TYPOLOGY_CALLOUT,
    (_FINDINGS, 4, "knowledge_check"): _first_findings_check(),
}
# Prerequisites an earlier demo seeded, by module: a module still requiring exactly these is given
# the ones MODULES now lists.
SUPERSEDED_REQUIRES = {"writing-the-report": [_FINDINGS]}


def _as_seeded(block) -> object:
    """A body block's value in the plain form MODULES writes it in, to compare with a spec."""
    value = block.value
    if block.block_type == "callout":
        return {"heading": value["heading"], "text": value["text"].source}
    if block.block_type == "knowledge_check":
        return {
            "title": value["title"],
            "pass_mark": value["pass_mark"],
            "questions": [
                check_question(
                    question["question"],
                    *((c["text"], bool(c["correct"]), c["feedback"]) for c in question["choices"]),
                )
                for question in value["questions"]
            ],
        }
    return None


def _bring_up_to_date(module: ModulePage, spec: dict, stdout) -> None:
    """Swap in this version's block for each block an earlier demo seeded here and nobody has
    changed since; a module with a draft waiting is left alone, so no one's draft is lost."""
    if not module.live or module.has_unpublished_changes:
        return
    slug = spec["slug"]
    wanted = _body(slug, spec["body"])
    raw = list(module.body.raw_data)
    changed = False
    for index, item in enumerate(raw):
        for (old_slug, place, old_type), old_value in SUPERSEDED.items():
            if (
                old_slug != slug
                or item["type"] != old_type
                or item["id"] != _id(slug, str(place), old_type)
            ):
                continue
            if _as_seeded(module.body[index]) == old_value:
                raw[index] = wanted[place]
                changed = True
    if changed:
        module.body = [dict(item) for item in raw]
        module.save_revision().publish()
        stdout.write(f"Brought module {module.title} up to date")


def _modules(course: CoursePage, stdout) -> dict[str, ModulePage]:
    existing = {m.slug: m for m in ModulePage.objects.child_of(course)}
    for spec in MODULES:
        if spec["slug"] in existing:
            _bring_up_to_date(existing[spec["slug"]], spec, stdout)
    for position, spec in enumerate(MODULES):
        if spec["slug"] in existing:
            continue
        module = ModulePage(
            title=spec["title"],
            slug=spec["slug"],
            overview=spec["overview"],
            estimated_minutes=spec["minutes"],
            body=_body(spec["slug"], spec["body"]),
        )
        # A module added to a course seeded before it existed takes its place in the sequence.
        later = next(
            (existing[s["slug"]] for s in MODULES[position + 1 :] if s["slug"] in existing), None
        )
        if later is None:
            course.add_child(instance=module)
        else:
            # Read afresh: an earlier insertion may have moved it.
            later = ModulePage.objects.get(pk=later.pk)
            later.add_sibling(pos="left", instance=module)
        module.prerequisites.set([existing[slug] for slug in spec["requires"] if slug in existing])
        module.save_revision().publish()
        existing[spec["slug"]] = module
        stdout.write(f"Created module {spec['title']}")
    # Adding a module before another moves the later ones in the tree: read them again.
    existing = {m.slug: m for m in ModulePage.objects.child_of(course)}
    for spec in MODULES:
        module = existing[spec["slug"]]
        old_requires = SUPERSEDED_REQUIRES.get(spec["slug"])
        if old_requires is None or module.has_unpublished_changes:
            continue
        if sorted(module.prerequisites.values_list("slug", flat=True)) == sorted(old_requires):
            module.prerequisites.set([existing[slug] for slug in spec["requires"]])
            module.save_revision().publish()
            stdout.write(f"Module {module.title} now follows {', '.join(spec['requires'])}")
    return existing


def _cohort(*, stdout, users: dict[str, User], course: CoursePage) -> Cohort:
    from .demo_cohorts import seed_cohorts

    return seed_cohorts(stdout=stdout, users=users, course=course)


def _tess_has_started(*, cohort: Cohort, users: dict[str, User], modules) -> None:
    """Give Tess one finished module, so My learning shows progress straight away."""
    enrolment = Enrolment.objects.filter(user=users["tess"], cohort=cohort).first()
    first = modules.get(MODULES[0]["slug"])
    if enrolment is None or first is None:
        return
    if ModuleProgress.objects.filter(enrolment=enrolment).exists():
        return
    complete_module(
        enrolment=enrolment,
        module=first,
        reflection=(
            "A duty social worker closed a referral after a home visit where the house was "
            "tidy and the parent was calm. At the time she had 28 open cases and no access "
            "to the health visitor's notes, so a single good visit carried great weight."
        ),
    )


def complete_module(*, enrolment: Enrolment, module: ModulePage, reflection: str) -> None:
    """A trainee works through a module as the page lets them: open it, pass each knowledge
    check and answer each reflective question."""
    from .services.progress import (
        knowledge_check_submit,
        module_progress_start,
        reflection_answer_save,
    )

    module_progress_start(enrolment=enrolment, module=module)
    for item in module.body.raw_data:
        if item["type"] == "knowledge_check":
            check = module.find_block(block_id=item["id"], block_type=item["type"])
            correct = {
                q: next(i for i, choice in enumerate(question["choices"]) if choice["correct"])
                for q, question in enumerate(check.value["questions"])
            }
            knowledge_check_submit(
                enrolment=enrolment, module=module, block_id=item["id"], answers=correct
            )
        elif item["type"] == "reflective_question":
            reflection_answer_save(
                enrolment=enrolment, module=module, block_id=item["id"], answer=reflection
            )


@transaction.atomic
def seed_courses(*, stdout, users: dict[str, User]) -> CoursePage:
    """The Training section, the lead reviewer course with its modules, and its demo cohort."""
    index = _course_index(stdout)
    course = _course(index, stdout)
    modules = _modules(course, stdout)
    cohort = _cohort(stdout=stdout, users=users, course=course)
    _tess_has_started(cohort=cohort, users=users, modules=modules)
    return course
