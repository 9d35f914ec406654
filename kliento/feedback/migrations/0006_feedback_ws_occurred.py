"""An index on (workspace, occurred_at): the dashboard's figures that read voices (close
the loop, word of mouth, contacts, unhappy themes) and the feedback list select them by
the day the customer spoke; without it a 30-day figure reads all of a workspace's voices."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0005_feedback_unprocessed_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="feedback",
            index=models.Index(fields=["workspace", "occurred_at"], name="feedback_ws_occurred"),
        ),
    ]
