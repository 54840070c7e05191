"""Create the four newsroom roles with exactly the permissions of the role matrix
(docs/architecture.md).

The lists are frozen here on purpose: a later change to a role is a new migration.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

_READ_DESK = [
    "articles.view_article",
    "articles.view_section",
    "articles.view_byline",
    "articles.view_correction",
    "articles.view_workflowevent",
    "people.view_person",
    "photos.view_photo",
    "sourcing.view_source",
    "sourcing.view_outlet",
    "sourcing.view_quote",
    "sourcing.view_factcheckassignment",
]
REPORTER = _READ_DESK + [
    "articles.add_article",
    "articles.change_article",
    "articles.add_byline",
    "articles.change_byline",
    "articles.delete_byline",
    "people.add_person",
    "people.change_person",
    "photos.add_photo",
    "photos.change_photo",
    "sourcing.add_source",
    "sourcing.change_source",
    "sourcing.add_outlet",
    "sourcing.change_quote",
]
EDITOR = REPORTER + [
    "articles.edit_any_article",
    "articles.review_article",
    "articles.publish_article",
    "articles.add_section",
    "articles.change_section",
    "sourcing.change_outlet",
    "sourcing.view_confidential_source",
    "sourcing.view_quotecheck",
    "sourcing.add_factcheckassignment",
    "sourcing.change_factcheckassignment",
    "sourcing.delete_factcheckassignment",
    "sourcing.view_correctiontask",
    "sourcing.change_correctiontask",
]
FACT_CHECKER = _READ_DESK + [
    "articles.approve_factchecked_article",
    "sourcing.verify_quote",
    "sourcing.view_confidential_source",
    "sourcing.view_quotecheck",
]
STANDARDS_EDITOR = sorted(
    set(EDITOR)
    | set(FACT_CHECKER)
    | {
        "sourcing.approve_anonymity",
        "sourcing.discredit_source",
        "sourcing.export_ledger",
        "sourcing.view_confidentialaccess",
    }
)
ROLES = {
    "Reporter": REPORTER,
    "Editor": EDITOR,
    "Fact-checker": FACT_CHECKER,
    "Standards editor": STANDARDS_EDITOR,
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; these need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for dotted in permissions:
            app_label, codename = dotted.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def delete_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("articles", "0001_initial"),
        ("people", "0001_initial"),
        ("photos", "0001_initial"),
        ("sourcing", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, delete_roles)]
