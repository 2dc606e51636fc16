from django.db import migrations, models
from django.db.models import F
from django.utils import timezone


def existing_invitations_were_sent(apps, schema_editor):
    # Invitations made before this field existed were sent when they were made; without this the
    # sweeper would send every one of them a new link.
    Invitation = apps.get_model("courses", "Invitation")
    Invitation.objects.filter(emailed_at__isnull=True).update(
        emailed_at=F("created_at"), link_made_at=F("created_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0003_module_prerequisites_parental"),
    ]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="link_made_at",
            field=models.DateTimeField(default=timezone.now),
        ),
        migrations.AddField(
            model_name="invitation",
            name="emailed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="invitation",
            name="automatic_resends",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.RunPython(existing_invitations_were_sent, migrations.RunPython.noop),
    ]
