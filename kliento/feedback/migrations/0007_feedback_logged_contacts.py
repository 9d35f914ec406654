"""A partial index on (workspace, occurred_at) of the contacts agents logged (interactions
with an agent): the insights contacts panel counts them per channel, team and agent over a
period reading only those rows, not every voice of the period."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('feedback', '0006_feedback_ws_occurred'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='feedback',
            index=models.Index(condition=models.Q(('agent__isnull', False), ('source', 'interaction')), fields=['workspace', 'occurred_at'], name='feedback_ws_logged'),
        ),
    ]
