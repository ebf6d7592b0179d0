from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cyber", "0003_cycle_is_demo"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="returned_reason",
            field=models.TextField(blank=True, default=""),
        ),
    ]
