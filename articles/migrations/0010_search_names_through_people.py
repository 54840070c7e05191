from django.db import migrations

#: PostgreSQL: misspelt names are matched against people's names (a short table) rather than
#: against every search entry's names, so the trigram index moves there.
FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "DROP INDEX IF EXISTS articles_searchentry_names_trgm",
    "CREATE INDEX IF NOT EXISTS people_person_name_trgm ON people_person"
    " USING gin (name gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS people_person_name_trgm",
    "CREATE INDEX IF NOT EXISTS articles_searchentry_names_trgm ON articles_searchentry"
    " USING gin (names gin_trgm_ops)",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_search_index"),
        ("people", "0003_history_and_link_permission"),
    ]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
