"""The lifecycle's reference data: each scheme's default assessment criteria for accreditation
and for renewal, the kinds of CPD activity, and the regions of England a reviewer may work in."""

from django.db import migrations

ACCREDITATION_CRITERIA = [
    (
        "Identifies key practice episodes and appraises them fairly",
        "The key practice episodes are the moments that mattered. Each is appraised with local "
        "rationality: what made sense to the people involved at the time, without hindsight.",
    ),
    (
        "Analyses contributory factors at every level",
        "Factors are traced from frontline practice through team, organisation and "
        "multi-agency working to the wider context, not stopped at individual error.",
    ),
    (
        "Findings are systemic and evidenced beyond the case",
        "Each finding names an underlying pattern, shows evidence that it reaches beyond this "
        "case, and ends in issues for the board to consider.",
    ),
    (
        "Works collaboratively with the case group and review team",
        "The case group is engaged through conversations and meetings, their accounts are "
        "represented fairly, and the review team is used as a co-analyst.",
    ),
    (
        "The report is clear, and owned by the board",
        "The report is readable by its audience, its findings follow from the analysis, and the "
        "safeguarding partnership has taken ownership of it.",
    ),
]

RENEWAL_CRITERIA = [
    (
        "Has led or co-led Learning Together reviews while accredited",
        "The reviews named show the systems method in use, on the platform or with a link to "
        "the published report.",
    ),
    (
        "Has kept up continuing professional development",
        "The CPD log reaches the hours the scheme asks for and covers the method, safeguarding "
        "practice and supervision.",
    ),
    (
        "Reflects on their practice as a lead reviewer",
        "The practice statement shows what the holder has learnt and changed since they were "
        "accredited.",
    ),
]

CPD_ACTIVITY_TYPES = [
    ("Review led or co-led", "Leading or co-leading a Learning Together or other case review."),
    ("Training given", "Delivering training on the method or on safeguarding practice."),
    ("Training received", "Courses, workshops and conferences attended."),
    ("Supervision given", "Supervising trainee reviewers or colleagues."),
    ("Reading", "Research, published reviews and guidance read and reflected on."),
    ("Other", "Any other activity that developed your practice as a reviewer."),
]

REGIONS = [
    "North East",
    "North West",
    "Yorkshire and the Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
    "Wales",
    "Scotland",
    "Northern Ireland",
]


def forwards(apps, schema_editor):
    Scheme = apps.get_model("accreditation", "AccreditationScheme")
    Criterion = apps.get_model("accreditation", "AssessmentCriterion")
    ActivityType = apps.get_model("accreditation", "CpdActivityType")
    Region = apps.get_model("accreditation", "Region")
    for scheme in Scheme.objects.all():
        if Criterion.objects.filter(scheme=scheme).exists():
            continue
        rows = [("accreditation", title, text) for title, text in ACCREDITATION_CRITERIA] + [
            ("renewal", title, text) for title, text in RENEWAL_CRITERIA
        ]
        Criterion.objects.bulk_create(
            Criterion(scheme=scheme, purpose=purpose, title=title, description=text, sort_order=i)
            for i, (purpose, title, text) in enumerate(rows)
        )
    for i, (name, description) in enumerate(CPD_ACTIVITY_TYPES):
        ActivityType.objects.get_or_create(
            name=name, defaults={"description": description, "sort_order": i}
        )
    for i, name in enumerate(REGIONS):
        Region.objects.get_or_create(name=name, defaults={"sort_order": i})


def backwards(apps, schema_editor):
    apps.get_model("accreditation", "AssessmentCriterion").objects.all().delete()
    apps.get_model("accreditation", "CpdActivityType").objects.filter(
        name__in=[name for name, _ in CPD_ACTIVITY_TYPES]
    ).delete()
    apps.get_model("accreditation", "Region").objects.filter(name__in=REGIONS).delete()


class Migration(migrations.Migration):
    dependencies = [("accreditation", "0014_lifecycle")]

    operations = [migrations.RunPython(forwards, backwards)]
