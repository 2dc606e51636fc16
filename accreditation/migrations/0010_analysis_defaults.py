"""The analysis's reference data: the typology of findings as SCIE's published reports word it,
the levels and prompting questions of the contributory-factor categories, the draft report's
introduction and methodology, and the findings register's new name. Existing key practice
episodes are numbered 1, 2, 3 in their review's order."""

from django.db import migrations

# (old name, if the earlier list had one) -> (name, description), in the published order.
FINDING_CATEGORIES = [
    (
        "Communication and collaboration in multi-agency working in response to incidents/crises",
        "Multi-agency working in response to incidents and crises",
        "How agencies recognise, share and act on information together when something happens: "
        "referrals, strategy discussions and the first response.",
    ),
    (
        "Communication and collaboration in multi-agency working in assessment and longer-term work",
        "Multi-agency working in longer-term work",
        "How agencies assess, plan and review together over months: core groups, child "
        "protection plans, step-down and the shared picture of the family.",
    ),
    (
        "Human judgement/reasoning",
        "Human reasoning: cognitive and emotional biases",
        "Tendencies in how all people think and feel, such as fixing on a first view or "
        "rule-of-optimism, that the system makes more or less likely to go unchecked.",
    ),
    (
        "Family–professional interaction",
        "Family–professional interaction",
        "How families and professionals engage with each other: disguised compliance, the "
        "voice of the child, and how parents' responses shape what professionals see.",
    ),
    (
        "Human–tool operation",
        "Tools",
        "How the forms, records, procedures and systems that practitioners use help or hinder "
        "them in seeing and sharing what matters.",
    ),
    (
        "Human–management system operation",
        "Management systems",
        "How supervision, workload, performance measures and organisational priorities shape "
        "what frontline practitioners can do.",
    ),
]

# Guide 24: contributory factors arise at three levels, "reflecting where in the child welfare
# system they originate" (Key concepts: contributory factors). The prompting questions follow
# Appendix 5's framework for contributory factors as questions a lead reviewer asks.
FACTOR_LEVELS = [
    (
        "Frontline",
        "Factors that originate in direct work with the child and family: the family itself, the "
        "individual worker, their role and working conditions, their own team and the inter-agency "
        "or inter-professional team around the case.",
    ),
    (
        "Local strategic",
        "Factors that originate in local organisations and multi-agency arrangements: "
        "organisational culture and management, local policies, procedures and protocols, tools, "
        "resources and the overt and covert messages that shape practice.",
    ),
    (
        "National/government",
        "Factors that originate in the wider political context: national policy, legislation, "
        "statutory guidance, inspection and performance regimes, funding and the public and media "
        "climate in which safeguarding work is done.",
    ),
]

# category name -> (level, prompting questions)
FACTOR_CATEGORIES = {
    "Family": (
        "Frontline",
        [
            "How complex or serious were the family's problems, and were suitable services "
            "available to meet them?",
            "How long had the problems gone on, and was the family already well known to services?",
            "Did the family see these as problems themselves, or were they named as problems "
            "by others?",
            "How did family members present: seeking help, reluctant or hostile, and how "
            "willing were they to engage and be available to meet?",
            "What was the relationship between the professional and family members like, and "
            "did language or communication issues affect it?",
            "How did the size and make-up of the family, the number of children and adults "
            "involved, and the family's dynamics, history, age, gender, sexuality or "
            "ethnicity shape the worker's thinking?",
        ],
    ),
    "Your role": (
        "Frontline",
        [
            "How often was the worker in contact with the family at this point?",
            "Where did contact take place, for example did the worker go into the family "
            "home or see the family elsewhere?",
            "What was the focus of the worker's concerns, given what their role asked "
            "them to look for?",
            "How clear was the worker about what their role required, and where it ended, "
            "in this episode?",
        ],
    ),
    "Conditions of work": (
        "Frontline",
        [
            "What was the general atmosphere surrounding the case at the time?",
            "Were staffing levels and the skill mix adequate, and what was the "
            "worker's workload like?",
            "Did timing play a part, such as shift patterns or a busy time of year?",
            "What administrative and managerial support was available to the worker?",
            "Did IT systems or computers help or hinder the work?",
        ],
    ),
    "Personal": (
        "Frontline",
        [
            "What knowledge, skills and expertise did the worker bring to this episode?",
            "What mindset or way of reasoning about the case was the worker using at the time?",
            "What else was competing for the worker's attention at that moment?",
            "Was illness, tiredness or burnout affecting the worker's ability to work at "
            "their best?",
            "How did the worker's motivation, personality, history or interactional style "
            "shape how they approached the family?",
        ],
    ),
    "Own team": (
        "Frontline",
        [
            "How easy was it for the worker to get help, advice or supervision from within "
            "their own team?",
            "Were concerns about the case discussed and challenged within the team, or was "
            "a shared view taken for granted?",
            "How clear were roles, responsibilities and lines of communication within the team?",
            "What team norms or habits influenced how the case was handled?",
        ],
    ),
    "Inter-agency / inter-professional team": (
        "Frontline",
        [
            "Did the professionals involved share the same "
            "understanding of the task and of the risks to "
            "the child?",
            "How clear were roles and responsibilities "
            "between agencies, including who was responsible "
            "for pulling the picture together?",
            "What information was shared, how and when, and did referrals receive feedback?",
            "Did the professionals know and trust one "
            "another, and how did that affect communication?",
            "Were disagreements between agencies or "
            "professions raised and resolved, or left "
            "unspoken?",
        ],
    ),
    "Organisational culture and management": (
        "Local strategic",
        [
            "What local policies, procedures, protocols or "
            "tools applied here, and did they help or hinder "
            "the work?",
            "Did the resources available match the demand, "
            "for example access to specialist assessments or "
            "services?",
            "What priorities were being traded off, and what "
            "overt and covert messages did the organisation "
            "send about what mattered most?",
            "How did performance indicators, targets or timescales influence what was done?",
            "How well did supervision and management oversight support thinking about this case?",
        ],
    ),
    "Wider political context": (
        "National/government",
        [
            "Did national legislation, statutory guidance or policy shape "
            "how professionals approached this episode?",
            "How did inspection regimes or national performance measures "
            "influence local priorities?",
            "Did national funding decisions or service reorganisations affect what was available?",
            "How did the public and media climate around child protection "
            "affect the professionals' decisions at the time?",
        ],
    ),
    "Other": (
        None,
        [
            "Was anything else influencing how professionals thought and acted at this point "
            "that the other categories do not capture?",
            "Were there one-off events or circumstances, inside or outside the agencies, that "
            "made a difference?",
            "Is there an influence here that might recur in other cases and so deserves "
            "attention in its own right?",
        ],
    ),
}

REPORT_INTRODUCTION = (
    "This review was carried out using the Learning Together systems model for multi-agency "
    "case reviews. The model looks beyond the actions of individuals to the local multi-agency "
    "system: what in it made good practice more or less likely in this case, and is likely to "
    "do so in others.\n\n"
    "The report does not repeat the detail of the case, and it does not apportion blame. It "
    "sets out the key practice episodes the review identified, why the practice made sense to "
    "the people involved at the time, and the findings about the system that follow, each with "
    "issues for the safeguarding partnership to consider. The board owns the report and its "
    "response."
)

REPORT_METHODOLOGY = (
    "The review was led by two lead reviewers, supervised under SCIE's Learning Together "
    "accreditation programme. A review team of senior managers from the agencies involved "
    "steered the review and helped analyse the data.\n\n"
    "The case group, the practitioners and line managers who worked with the family, each had "
    "a one-to-one conversation with the lead reviewers, and met the review team in an "
    "introductory meeting and two follow-on meetings to check the account of practice and the "
    "emerging analysis. Records from each agency were read alongside the conversations.\n\n"
    "The lead reviewers identified key practice episodes, appraised the practice in each with "
    "hindsight held back, and explored the contributory factors that explain it. From these "
    "they identified underlying patterns in the local system, tested with the case group and "
    "the review team how widespread each pattern is, and framed the findings below."
)


def forwards(apps, schema_editor):
    FindingCategory = apps.get_model("accreditation", "FindingCategory")
    for order, (old_name, name, description) in enumerate(FINDING_CATEGORIES, start=1):
        category = FindingCategory.objects.filter(name__in=[old_name, name]).first()
        if category is None:
            category = FindingCategory(name=name)
        category.name, category.description, category.sort_order = name, description, order
        category.save()

    FactorLevel = apps.get_model("accreditation", "FactorLevel")
    Category = apps.get_model("accreditation", "ContributoryFactorCategory")
    levels = {}
    for order, (name, description) in enumerate(FACTOR_LEVELS, start=1):
        levels[name], _ = FactorLevel.objects.get_or_create(
            name=name, defaults={"description": description, "sort_order": order}
        )
    for name, (level, questions) in FACTOR_CATEGORIES.items():
        Category.objects.filter(name=name, level=None, prompting_questions="").update(
            level=levels.get(level), prompting_questions="\n".join(questions)
        )

    StageDefinition = apps.get_model("accreditation", "StageDefinition")
    StageDefinition.objects.filter(register="patterns").update(register="findings")
    StageDefinition.objects.filter(
        register="findings",
        expected_evidence="The register of underlying patterns linked to their key practice "
        "episodes; the issues for the board.",
    ).update(
        expected_evidence="The findings register: each finding in the method's format, linked "
        "to the key practice episodes behind it, with its issues for the board."
    )

    Scheme = apps.get_model("accreditation", "AccreditationScheme")
    Scheme.objects.filter(report_introduction="").update(report_introduction=REPORT_INTRODUCTION)
    Scheme.objects.filter(report_methodology="").update(report_methodology=REPORT_METHODOLOGY)

    Episode = apps.get_model("accreditation", "KeyPracticeEpisode")
    review_ids = Episode.objects.values_list("review_id", flat=True).distinct()
    for review_id in review_ids.iterator():
        episodes = list(Episode.objects.filter(review_id=review_id).order_by("sort_order", "pk"))
        for number, episode in enumerate(episodes, start=1):
            episode.sort_order = number
        Episode.objects.bulk_update(episodes, ["sort_order"])


def backwards(apps, schema_editor):
    StageDefinition = apps.get_model("accreditation", "StageDefinition")
    StageDefinition.objects.filter(register="findings").update(register="patterns")
    FindingCategory = apps.get_model("accreditation", "FindingCategory")
    for old_name, name, _description in FINDING_CATEGORIES:
        if not FindingCategory.objects.filter(name=old_name).exists():
            FindingCategory.objects.filter(name=name).update(name=old_name)


class Migration(migrations.Migration):
    dependencies = [("accreditation", "0009_analysis_fields")]

    operations = [migrations.RunPython(forwards, backwards)]
