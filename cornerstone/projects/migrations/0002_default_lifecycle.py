"""Seed the default five stages and thirteen steps."""

from django.db import migrations

from cornerstone.projects.defaults import seed_lifecycle


def forwards(apps, schema_editor):
    seed_lifecycle(apps.get_model("projects", "Stage"), apps.get_model("projects", "StepDefinition"))


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
