import secrets

import django.db.models.deletion
import modelcluster.fields
from django.db import migrations, models

import courses.models.cohorts


def fill_calendar_tokens(apps, schema_editor):
    Cohort = apps.get_model("courses", "Cohort")
    for cohort in Cohort.objects.filter(calendar_token=""):
        cohort.calendar_token = secrets.token_urlsafe(32)
        cohort.save(update_fields=["calendar_token"])


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
    ]

    operations = [
        # Added blank, filled row by row, then made unique: a callable default is evaluated
        # once per migration, which would give every existing cohort the same token.
        migrations.AddField(
            model_name="cohort",
            name="calendar_token",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(fill_calendar_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="cohort",
            name="calendar_token",
            field=models.CharField(
                default=courses.models.cohorts.new_calendar_token,
                editable=False,
                max_length=64,
                unique=True,
            ),
        ),
        migrations.AlterField(
            model_name="trainingday",
            name="cohort",
            field=modelcluster.fields.ParentalKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="training_days",
                to="courses.cohort",
            ),
        ),
    ]
