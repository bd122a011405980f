from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0015_home_figure_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                models.F("applicant"),
                models.OrderBy(models.F("created_at"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                name="case_applicant_newest",
            ),
        ),
    ]
