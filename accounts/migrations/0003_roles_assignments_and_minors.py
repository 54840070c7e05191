"""Roles after fact-check assignments moved to `articles` and stories naming a minor needed a
standards editor's clearance: the same rights as before on the moved model, and the new one."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Reporter": ["articles.view_factcheckassignment", "articles.view_minornamingclearance"],
    "Fact-checker": ["articles.view_factcheckassignment", "articles.view_minornamingclearance"],
    "Editor": [
        "articles.view_factcheckassignment",
        "articles.add_factcheckassignment",
        "articles.change_factcheckassignment",
        "articles.delete_factcheckassignment",
        "articles.view_minornamingclearance",
    ],
    "Standards editor": [
        "articles.view_factcheckassignment",
        "articles.add_factcheckassignment",
        "articles.change_factcheckassignment",
        "articles.delete_factcheckassignment",
        "articles.view_minornamingclearance",
        "articles.clear_minor_naming",
    ],
}


#: The rights on the model's old place, taken back (the model is gone from `sourcing`).
RETIRED = {
    "Reporter": ["sourcing.view_factcheckassignment"],
    "Fact-checker": ["sourcing.view_factcheckassignment"],
    "Editor": [
        "sourcing.view_factcheckassignment",
        "sourcing.add_factcheckassignment",
        "sourcing.change_factcheckassignment",
        "sourcing.delete_factcheckassignment",
    ],
}
RETIRED["Standards editor"] = RETIRED["Editor"]


def _permissions(apps, names):
    Permission = apps.get_model("auth", "Permission")
    for dotted in names:
        app_label, codename = dotted.split(".")
        yield Permission.objects.get(content_type__app_label=app_label, codename=codename)


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; these need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    _move(apps, take=RETIRED, give=GRANTS)


def revoke(apps, schema_editor):
    _move(apps, take=GRANTS, give=RETIRED)


def _move(apps, *, take, give):
    Group = apps.get_model("auth", "Group")
    for name in GRANTS:
        group = Group.objects.get(name=name)
        group.permissions.remove(*_permissions(apps, take[name]))
        group.permissions.add(*_permissions(apps, give[name]))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles"),
        ("articles", "0004_factcheckassignment"),
        ("sourcing", "0004_factcheckassignment_moved_to_articles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
