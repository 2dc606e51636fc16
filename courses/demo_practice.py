"""The demo course's practice module: one short fictional case, walked from its key practice
episodes, through their contributory factors, to a finding written in the method's format.

Everything in the case is invented. People appear by role only, and the child by a pseudonym.
"""

from .demo_markup import bullets, check_question, html, numbered

SLUG = "practising-the-analysis"

CASE_EXTRACT = html(
    "<strong>Child M</strong> is eight months old and lives with her mother, who is 19 and left "
    "care a year ago. The mother has a personal adviser from the leaving care team. The health "
    "visitor has seen the family four times and records a warm, attentive relationship between "
    "mother and baby. Child M can roll but cannot yet crawl or pull herself up.",
    "<strong>A Tuesday evening in March.</strong> The mother brings Child M to the emergency "
    "department with a small bruise on her left cheek. She says Child M rolled against the cot "
    "bars during her afternoon sleep. The department is at full stretch: eleven patients are "
    "waiting and two are close to breaching the four-hour standard. The doctor who sees Child M "
    "is in the third week of a placement in the emergency department, after two years in adult "
    "medicine. The mother is calm and clear, Child M is feeding and settled, and there are no "
    "other marks. The doctor records <em>“plausible mechanism, mother appropriate, no "
    "concerns”</em> and discharges Child M home at 21:40.",
    "The hospital's protocol says that any bruise on a baby who is not independently mobile "
    "needs a paediatric review and a referral to children's social care, whatever the "
    "explanation. The protocol is a twelve-page document on the hospital intranet; the "
    "department's induction for new doctors covers sepsis and head injury, not bruising.",
    "<strong>The next morning</strong>, the emergency department's liaison health visitor reads "
    "the overnight list of children seen, as she does every weekday. She notices the age and the "
    "bruise, checks the notes, and by 10:00 has phoned the family's health visitor and children's "
    "social care. A strategy discussion is held that afternoon with children's social care, the "
    "police and health. Nobody at the discussion knows that the mother has a personal adviser, "
    "so the leaving care team is not invited and learns of the enquiry from the mother a week "
    "later.",
)

KPE_APPRAISAL = numbered(
    "<strong>What happened</strong>, in plain words and in order, from the records and the "
    "conversations.",
    "<strong>The appraisal</strong>: was the practice good, problematic or mixed, judged against "
    "what was known and expected <em>then</em>, not against how the case turned out.",
    "<strong>Why it made sense at the time</strong>: the mindset of the people involved, what "
    "they knew and did not know, what they were trying to achieve and what else was competing "
    "for their attention.",
    "<strong>What the account rests on</strong>: which conversations and records, and whether "
    "the case group agrees with it.",
)

FRONTLINE_QUESTIONS = bullets(
    "<em>Family</em>: how did family members present, and how did that shape the worker's "
    "thinking?",
    "<em>Your role</em>: how clear was the worker about what their role required in this episode?",
    "<em>Conditions of work</em>: were staffing levels and the skill mix adequate, and what was "
    "the worker's workload like?",
    "<em>Personal</em>: what knowledge, skills and expertise did the worker bring, and what else "
    "was competing for their attention at that moment?",
)

STRATEGIC_QUESTIONS = bullets(
    "<em>Organisational culture and management</em>: what local policies, procedures, "
    "protocols or tools applied here, and did they help or hinder the work?",
    "How did performance indicators, targets or timescales influence what was done?",
)

NATIONAL_QUESTIONS = bullets(
    "<em>Wider political context</em>: how did inspection regimes or national performance "
    "measures influence local priorities?",
    "Did national funding decisions or workforce shortages affect what was available?",
)

WORKED_FINDING = numbered(
    "<strong>Title and category.</strong> <em>A protocol that is hard to find at the moment it is "
    "needed</em>; category: tools.",
    "<strong>How it showed itself in this case.</strong> A doctor new to the emergency department "
    "did not know the bruising protocol and discharged Child M without a referral (KPE1). The "
    "liaison health visitor's morning check caught it (KPE2).",
    "<strong>How we know it is an underlying issue.</strong> The hospital's own audit found that "
    "five of twelve babies seen with bruising in the last six months were not referred at their "
    "first attendance; each was picked up by the liaison health visitor. Doctors in the case "
    "group said the protocol is “somewhere on the intranet” and that they learn it by word of "
    "mouth. The review team's senior nurse confirmed that induction does not cover it.",
    "<strong>What it means for the reliability of the system.</strong> Whether a bruised baby is "
    "referred depends on which doctor is on shift, and the safety net is one person's daily "
    "check. When she is on leave, nobody reads the overnight list.",
    "<strong>The finding.</strong> In the emergency department, the protocol for bruising in "
    "babies who are not mobile relies on doctors remembering a long document they were never "
    "shown, so referral depends on who is on shift and on a single daily check behind them.",
    "<strong>Issues for the board</strong>, as questions: How confident is the board that each "
    "hospital and urgent care setting in the area prompts staff with the bruising protocol at "
    "the point of care? What would make the morning check by the liaison health visitor a "
    "system rather than one person's habit? How would the board know if bruised babies were "
    "being missed?",
)

MODULE = {
    "slug": SLUG,
    "title": "Practising the analysis: a fictional case",
    "minutes": 75,
    "overview": (
        "A short fictional case, analysed step by step as a review would: naming and appraising "
        "key practice episodes, finding their contributory factors at each level, and writing "
        "a finding with issues for the board."
    ),
    "requires": ["underlying-patterns-and-findings"],
    "body": [
        (
            "text",
            html(
                "<h2>How this module works</h2>",
                "This module takes one short case through the analysis you will do on your "
                "supervised review. The case is fictional: Child M and her family do not exist, "
                "and the professionals appear by role only. There are three steps, each with a "
                "worked example, a reflection and a short check:",
                numbered(
                    "reading the case and naming the key practice episodes, then appraising "
                    "one with hindsight held back;",
                    "finding the contributory factors at frontline, local strategic and "
                    "national levels;",
                    "moving from the episodes to a finding, written in the method's format.",
                ),
                "<h2>Step 1: the case, and its key practice episodes</h2>",
                "Read the extract below as you would read a chronology and a set of "
                "conversation notes. Do not look for errors. Look for the points where practice "
                "was significant to how the case unfolded.",
            ),
        ),
        (
            "callout",
            {"heading": "The case of Child M (fictional)", "text": CASE_EXTRACT},
        ),
        (
            "text",
            html(
                "<h3>Naming the episodes</h3>",
                "A review of this extract might name three key practice episodes:",
                bullets(
                    "<strong>KPE1</strong>: the emergency department doctor discharges Child M "
                    "without a paediatric review or a referral (Tuesday evening).",
                    "<strong>KPE2</strong>: the liaison health visitor reads the overnight list, "
                    "sees the bruise and refers the next morning.",
                    "<strong>KPE3</strong>: the strategy discussion is held the same day, without "
                    "the leaving care team.",
                ),
                "Notice that KPE2 is good practice. Studying what made it possible matters as "
                "much as studying KPE1: it shows what the system already does well, and what it "
                "depends on.",
                "<h3>Appraising KPE1 with hindsight held back</h3>",
                "Each episode is written up the same way:",
                KPE_APPRAISAL,
                "For KPE1 the appraisal is <em>problematic</em>: the protocol asked for a "
                "referral whatever the explanation, and none was made. But the question that "
                "produces learning is why the discharge made sense to a competent doctor at "
                "21:40 on a busy Tuesday. She had not been shown the protocol. Her experience "
                "was in adult medicine, where an explained minor bruise is not a concern. The "
                "mother was calm and the explanation fitted a baby who can roll. Two other "
                "patients were about to breach the four-hour standard. From inside that evening, "
                "“plausible mechanism, no concerns” was a reasonable reading.",
            ),
        ),
        (
            "reflective_question",
            {
                "question": (
                    "Take KPE3, the strategy discussion held without the leaving care team. "
                    "Appraise it as good, problematic or mixed, and write two or three sentences "
                    "on why inviting only social care, police and health made sense to the "
                    "people arranging it at the time."
                ),
                "guidance": (
                    "Write from inside the case: what did they know about the mother's support, "
                    "and where would they have looked? Leave out what you know happened later."
                ),
            },
        ),
        (
            "knowledge_check",
            {
                "title": "Check your understanding: episodes and their appraisal",
                "pass_mark": 66,
                "questions": [
                    check_question(
                        "Which of these is a key practice episode in Child M's case?",
                        (
                            "The liaison health visitor's referral the next morning",
                            True,
                            "Yes. It was significant to how the case unfolded, and good practice "
                            "is a key practice episode as much as poor practice is.",
                        ),
                        (
                            "Child M's age and her mother's history of being in care",
                            False,
                            "No. These are facts about the family that help explain practice; "
                            "an episode is a point where professionals acted, or did not.",
                        ),
                        (
                            "Every contact any agency had with the family",
                            False,
                            "No. That is a chronology. Episodes are the few points where "
                            "practice mattered to how the case developed.",
                        ),
                    ),
                    check_question(
                        "What does it mean to appraise KPE1 with hindsight held back?",
                        (
                            "To judge the discharge against what was known and expected that "
                            "evening, not against what was found the next day",
                            True,
                            "Right. Knowing the outcome makes the bruise look more significant "
                            "than it seemed among eleven waiting patients.",
                        ),
                        (
                            "To leave out the appraisal until the review team has met",
                            False,
                            "No. The appraisal is made; holding back hindsight is about what it "
                            "is judged against, not when it is written.",
                        ),
                        (
                            "To appraise only the episodes that went well",
                            False,
                            "No. Every episode is appraised, good or problematic, with the same "
                            "care about hindsight.",
                        ),
                    ),
                    check_question(
                        "Which sentence best describes the doctor's local rationality in KPE1?",
                        (
                            "The doctor should have known the protocol",
                            False,
                            "That is a judgement made with hindsight. It says what should have "
                            "happened, not why what happened made sense.",
                        ),
                        (
                            "New to paediatrics and never shown the protocol, the doctor read a "
                            "calm mother and a fitting explanation as reassuring on a stretched "
                            "shift",
                            True,
                            "Yes. It describes what the doctor knew, was trying to do and was "
                            "up against, which points to conditions other doctors share.",
                        ),
                        (
                            "The mother misled the doctor",
                            False,
                            "Nothing in the case says so, and local rationality is about the "
                            "professional's view of the situation, not the family's motives.",
                        ),
                    ),
                ],
            },
        ),
        (
            "text",
            html(
                "<h2>Step 2: contributory factors, level by level</h2>",
                "Contributory factors explain why the practice in an episode was as it was. "
                "Guide 24 sorts them into nine categories, which arise at three levels of the "
                "system. For each category it gives prompting questions: ask them of every "
                "episode, and write down only what the documents and conversations support.",
                "<h3>Frontline</h3>",
                FRONTLINE_QUESTIONS,
                "For KPE1: the mother's calm, clear account and a settled baby were reassuring "
                "(family). The doctor had been in the department three weeks after two years in "
                "adult medicine (personal). Eleven patients were waiting, two close to the "
                "four-hour standard (conditions of work).",
                "<h3>Local strategic</h3>",
                STRATEGIC_QUESTIONS,
                "For KPE1: the protocol was a twelve-page intranet document; induction covered "
                "sepsis and head injury but not bruising; the department's performance was "
                "reported daily against the four-hour standard (organisational culture and "
                "management).",
                "<h3>National</h3>",
                NATIONAL_QUESTIONS,
                "For KPE1: the four-hour standard is a national measure that the department is "
                "inspected against, and a national shortage of paediatric emergency doctors "
                "means many shifts are covered by doctors on rotation (wider political "
                "context).",
            ),
        ),
        (
            "callout",
            {
                "heading": "Factors explain; they do not excuse",
                "text": html(
                    "Naming the workload or the missing induction does not say the discharge "
                    "was right. It says why a competent doctor could make it, and so what would "
                    "have to change for the next doctor to act differently."
                ),
            },
        ),
        (
            "reflective_question",
            {
                "question": (
                    "Find the contributory factors for KPE2, the liaison health visitor's "
                    "referral. What made this good practice possible, at each level, and which "
                    "of those factors would be easy to lose?"
                ),
                "guidance": (
                    "Use the prompting questions above. Try for at least one factor at the "
                    "frontline and one at the local strategic level."
                ),
            },
        ),
        (
            "knowledge_check",
            {
                "title": "Check your understanding: contributory factors",
                "pass_mark": 66,
                "questions": [
                    check_question(
                        "The bruising protocol was a long intranet document that induction did "
                        "not cover. At which level does that factor arise?",
                        (
                            "Frontline",
                            False,
                            "Not quite. The doctor felt its effect at the frontline, but the "
                            "protocol and the induction are the hospital's own arrangements.",
                        ),
                        (
                            "Local strategic",
                            True,
                            "Yes. Local policies, procedures, tools and induction arise at the "
                            "local strategic level, in organisational culture and management.",
                        ),
                        (
                            "National",
                            False,
                            "No. Nothing national decided how this hospital wrote or taught its "
                            "protocol.",
                        ),
                    ),
                    check_question(
                        "Eleven patients were waiting and two were close to the four-hour "
                        "standard. Which category fits best?",
                        (
                            "Personal",
                            False,
                            "No. Personal factors are about the individual, such as their "
                            "experience or wellbeing; the queue would face any doctor.",
                        ),
                        (
                            "Family",
                            False,
                            "No. Family factors are about how the family presented and "
                            "engaged with professionals.",
                        ),
                        (
                            "Conditions of work",
                            True,
                            "Right. Workload, staffing and the pressure of the moment are "
                            "conditions of work at the frontline.",
                        ),
                    ),
                    check_question(
                        "What are Guide 24's prompting questions for?",
                        (
                            "To make the analysis look beyond the individual, category by "
                            "category, so that no kind of factor is missed",
                            True,
                            "Yes. They are prompts; each factor you write still has to rest on "
                            "the documents and the conversations.",
                        ),
                        (
                            "To score each practitioner's performance in the episode",
                            False,
                            "No. A systems review does not grade individuals; the questions "
                            "explore the conditions they worked in.",
                        ),
                        (
                            "To be read out to practitioners in the one-to-one conversation",
                            False,
                            "No. They guide the reviewer's thinking; the conversation follows "
                            "the practitioner's own account.",
                        ),
                    ),
                ],
            },
        ),
        (
            "text",
            html(
                "<h2>Step 3: from the episodes to a finding</h2>",
                "A finding is not a summary of the case. It is a pattern in the local system "
                "that makes good practice more or less likely in other cases too. Look across "
                "the episodes and their factors for what recurs and what reaches beyond Child M: "
                "here, a protocol that depends on being remembered, and a single safety net "
                "behind it. Then test it: is there evidence beyond this case?",
                "SCIE's reports write each finding in the same six parts. Here is a worked "
                "finding from Child M's case:",
                WORKED_FINDING,
                "The category comes from the typology below, the same list the findings "
                "register on your supervised review uses.",
            ),
        ),
        (
            "typology",
            {
                "heading": "Choosing the finding's category",
                "intro": html(
                    "Choose the category that names the part of the system the pattern lives "
                    "in. A finding may touch several; pick the one that best explains it."
                ),
            },
        ),
        (
            "reflective_question",
            {
                "question": (
                    "Draft a second finding from Child M's case, about KPE3 and the leaving "
                    "care team. Give its title and category, say how it showed itself in this "
                    "case, what evidence beyond the case you would look for, and write two "
                    "issues for the board as questions."
                ),
                "guidance": (
                    "A finding can also be about what supports safe practice. If you think "
                    "the liaison health visitor's check is the stronger finding, write that "
                    "one instead."
                ),
            },
        ),
        (
            "knowledge_check",
            {
                "title": "Check your understanding: writing a finding",
                "pass_mark": 66,
                "questions": [
                    check_question(
                        "What shows that the bruising finding is an underlying issue and not "
                        "peculiar to Child M's case?",
                        (
                            "The doctor in this case agreed she had made a mistake",
                            False,
                            "No. That is about one person in one case; it says nothing about "
                            "how widespread the pattern is.",
                        ),
                        (
                            "The audit of twelve other babies, and the case group and review "
                            "team recognising the pattern",
                            True,
                            "Yes. Data beyond the case and the views of the case group and "
                            "review team show that the pattern reaches other cases.",
                        ),
                        (
                            "The harm to Child M could have been serious",
                            False,
                            "Seriousness helps decide priority, but it does not show that a "
                            "pattern is general.",
                        ),
                    ),
                    check_question(
                        "Which of these is written as an issue for the board?",
                        (
                            "The hospital must rewrite its bruising protocol within three months.",
                            False,
                            "That is a prescriptive recommendation. The method asks questions, "
                            "so the board and its agencies design the response themselves.",
                        ),
                        (
                            "The doctor should attend safeguarding training.",
                            False,
                            "No. It is aimed at one person and prescribes a fix; a finding is "
                            "about the system.",
                        ),
                        (
                            "How would the board know if bruised babies were being missed?",
                            True,
                            "Yes. It is a question for the partnership, about the system, and "
                            "it leaves the answer to the board.",
                        ),
                    ),
                    check_question(
                        "What does the part on the reliability of the system say?",
                        (
                            "How far the system can be relied on to produce good practice, "
                            "and what it depends on",
                            True,
                            "Right. Here, referral depends on who is on shift and on one "
                            "person's daily check.",
                        ),
                        (
                            "Whether the records in this case were accurate",
                            False,
                            "No. Accurate records matter to the analysis, but this part is "
                            "about the system, not the case file.",
                        ),
                        (
                            "How reliable the lead reviewers' conclusions are",
                            False,
                            "No. It is about the multi-agency safeguarding system, not the "
                            "review itself.",
                        ),
                    ),
                ],
            },
        ),
    ],
}
