from django.conf import settings
from django.db import migrations

#: PostgreSQL: each entry also holds the pairs of neighbouring words of its text, as lexemes
#: such as `eastmer~1~harbour` (the second word's distance from the first, so that stop words
#: between them count), in their own GIN-indexed column. A phrase query asks that index for its
#: pairs first; without them, every story holding all of a phrase's words had its document read
#: again to check their positions. The document itself stays as it was, so ranking and
#: single-word queries read no more than before.
PAIRS_FUNCTION = """
CREATE OR REPLACE FUNCTION search_word_pairs(document tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(
        array_to_tsvector(array_agg(DISTINCT word || '~' || (next_at - at) || '~' || next_word)),
        ''::tsvector
    )
    FROM (
        SELECT word, at,
            lead(word) OVER (ORDER BY at, word) AS next_word,
            lead(at) OVER (ORDER BY at, word) AS next_at
        FROM (SELECT lexeme AS word, unnest(positions) AS at FROM unnest(document)) occurrences
    ) neighbours
    WHERE next_at > at
$$
"""
PAIRS = " || ".join(
    f"search_word_pairs(to_tsvector(%(config)s::regconfig, {column}))"
    for column in ("headline", "summary", "body")
)
FORWARD = [
    PAIRS_FUNCTION,
    "ALTER TABLE articles_searchentry ADD COLUMN pairs tsvector NOT NULL DEFAULT ''::tsvector",
    f"UPDATE articles_searchentry SET pairs = {PAIRS}",  # noqa: S608 (constants)
    "CREATE INDEX articles_searchentry_pairs ON articles_searchentry USING gin (pairs)",
]
BACKWARD = [
    "ALTER TABLE articles_searchentry DROP COLUMN IF EXISTS pairs",
    "DROP FUNCTION IF EXISTS search_word_pairs(tsvector)",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                params = {"config": settings.SEARCH_CONFIG} if "%(config)s" in statement else None
                schema_editor.execute(statement, params)

    return operation


class Migration(migrations.Migration):
    dependencies = [("articles", "0010_search_names_through_people")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
