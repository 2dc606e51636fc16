import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accreditation", "0012_review_types")]

    operations = [
        # A default first, so that undoing the removal can add the label back to existing rows
        # (the previous migration then writes each review's label).
        migrations.AlterField(
            model_name="supervisedreview",
            name="review_type",
            field=models.CharField(max_length=20, default="full"),
        ),
        migrations.RemoveField(model_name="supervisedreview", name="review_type"),
        migrations.RenameField(
            model_name="supervisedreview", old_name="review_type_ref", new_name="review_type"
        ),
        migrations.AlterField(
            model_name="supervisedreview",
            name="review_type",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reviews",
                to="accreditation.reviewtype",
                verbose_name="type of review",
            ),
        ),
    ]
