# Placeholder so this branch migrates on its own: the rollups branch brings the real
# 0001_initial, which replaces this file at merge time.
from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies: list[tuple[str, str]] = []
    operations: list[migrations.operations.base.Operation] = []
