from django.db import migrations


class Migration(migrations.Migration):
    """The underlying-pattern register becomes the findings register: one model, renamed, so
    every pattern already written is kept as a finding."""

    dependencies = [("accreditation", "0007_stage_definition_needs")]

    operations = [
        migrations.RenameModel("PatternType", "FindingCategory"),
        migrations.RenameModel("UnderlyingPattern", "Finding"),
        migrations.RenameField("Finding", "pattern_type", "category"),
        migrations.RenameField("Finding", "description", "in_this_case"),
    ]
