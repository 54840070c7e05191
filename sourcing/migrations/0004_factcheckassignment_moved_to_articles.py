"""Fact-check assignments belong to the workflow: they move to `articles`, rows kept as they are."""

from django.db import migrations

FIELDS = ("id", "article_id", "checker_id", "due_at", "note", "assigned_by_id", "assigned_at")


def copy(source, target):
    def run(apps, schema_editor):
        old = apps.get_model(*source)
        new = apps.get_model(*target)
        new.objects.bulk_create(
            new(**dict(zip(FIELDS, values, strict=True)))
            for values in old.objects.values_list(*FIELDS)
        )

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("sourcing", "0003_quote_in_live_text"),
        ("articles", "0004_factcheckassignment"),
        # The roles were made with rights on the model's old place; they move with it after.
        ("accounts", "0002_roles"),
    ]

    operations = [
        migrations.RunPython(
            copy(("sourcing", "FactCheckAssignment"), ("articles", "FactCheckAssignment")),
            copy(("articles", "FactCheckAssignment"), ("sourcing", "FactCheckAssignment")),
        ),
        migrations.DeleteModel(name="FactCheckAssignment"),
    ]
