from django.db import migrations

CATEGORIES = [
    ("Family", "Characteristics of the family and their interaction with professionals."),
    ("Your role", "The practitioner's role, responsibilities and how they understood them."),
    ("Conditions of work", "Workload, resources, tools, time and the working environment."),
    ("Personal", "The practitioner's own experience, knowledge, skills and circumstances."),
    ("Own team", "How the practitioner's own team worked together and supported them."),
    (
        "Inter-agency / inter-professional team",
        "How the agencies and professions worked together on the case.",
    ),
    (
        "Organisational culture and management",
        "Priorities, policies, supervision and the culture of the organisation.",
    ),
    ("Wider political context", "National policy, funding, inspection and public pressures."),
    ("Other", "Anything that fits none of the categories above."),
]

PATTERN_TYPES = [
    ("Human–tool operation", "How people interact with the tools and procedures they use."),
    (
        "Human–management system operation",
        "How management systems shape and constrain frontline work.",
    ),
    (
        "Communication and collaboration in multi-agency working in response to incidents/crises",
        "Responding together to incidents and crises.",
    ),
    (
        "Communication and collaboration in multi-agency working in assessment and longer-term work",
        "Assessment, planning and longer-term work across agencies.",
    ),
    ("Family–professional interaction", "Patterns in how families and professionals interact."),
    (
        "Human judgement/reasoning",
        "Tendencies in human reasoning that make some errors more likely.",
    ),
]

STAGES = [
    (
        "Preparation",
        "Identify the case and the research questions (scope); select the review team; identify "
        "who should be involved; prepare participants.",
        "Agreed scope and research questions; review team membership; list of case group "
        "members and how they were prepared.",
        "",
    ),
    (
        "Data collection",
        "Select documentation and hold one-to-one conversations with the case group. Each "
        "conversation runs from introduction and overview, through key practice episodes, "
        "mindset and local rationality, contributory factors, what went well and queries, to "
        "suggested changes.",
        "Documentation selected; a log of conversations held (pseudonymous); conversation notes.",
        "",
    ),
    (
        "Organising and analysing data",
        "Build a narrative of multi-agency perspectives; identify key practice episodes and their "
        "contributory factors; review the data and the analysis with the review team.",
        "The narrative; the key practice episode register with contributory factors.",
        "kpe",
    ),
    (
        "Findings",
        "Identify and prioritise the underlying patterns (systems findings); make recommendations "
        "or issues for the board.",
        "The register of underlying patterns linked to their key practice episodes; the issues "
        "for the board.",
        "patterns",
    ),
    (
        "Report",
        "Write the final report, agreed and owned by the commissioning board.",
        "The final report as agreed with the board.",
        "",
    ),
]


def create_defaults(apps, schema_editor):
    Category = apps.get_model("accreditation", "ContributoryFactorCategory")
    PatternType = apps.get_model("accreditation", "PatternType")
    Scheme = apps.get_model("accreditation", "AccreditationScheme")
    StageDefinition = apps.get_model("accreditation", "StageDefinition")
    for order, (name, description) in enumerate(CATEGORIES):
        Category.objects.get_or_create(
            name=name, defaults={"description": description, "sort_order": order}
        )
    for order, (name, description) in enumerate(PATTERN_TYPES):
        PatternType.objects.get_or_create(
            name=name, defaults={"description": description, "sort_order": order}
        )
    scheme, created = Scheme.objects.get_or_create(
        name="Learning Together lead reviewer accreditation",
        defaults={
            "reflective_statement_guidance": (
                "Reflect on what you learned about the systems approach through your supervised "
                "review, what you would do differently, and how you will use the model."
            ),
            "renewal_evidence": (
                "Evidence of continuing professional development in the systems approach and of "
                "at least one review led or co-led using the model during the validity period."
            ),
        },
    )
    if created:
        for order, (title, guidance, expected, register) in enumerate(STAGES):
            StageDefinition.objects.create(
                scheme=scheme,
                sort_order=order,
                title=title,
                guidance=guidance,
                expected_evidence=expected,
                register=register,
            )


class Migration(migrations.Migration):
    dependencies = [("accreditation", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
