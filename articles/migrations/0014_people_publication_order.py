import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_first_publication(apps, schema_editor):
    """Each published story's first publication time, onto the links to its people."""
    article = apps.get_model("articles", "Article")
    published = article.objects.filter(pk=OuterRef("article_id")).values("first_published_at")
    apps.get_model("articles", "PersonInStory").objects.update(
        first_published_at=Subquery(published[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_link_publication_order"),
        ("people", "0003_history_and_link_permission"),
    ]

    operations = [
        # The table Django made for `Article.people` becomes the model's: same table, columns and
        # unique pair, so only the project's state changes here.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PersonInStory",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "article",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="person_links",
                                to="articles.article",
                            ),
                        ),
                        (
                            "person",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="article_links",
                                to="people.person",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "articles_article_people",
                        "unique_together": {("article", "person")},
                    },
                ),
                migrations.AlterField(
                    model_name="article",
                    name="people",
                    field=models.ManyToManyField(
                        blank=True,
                        help_text="Everyone the story is about. Minors and private individuals "
                        "are never linked or named in structured data.",
                        related_name="articles",
                        through="articles.PersonInStory",
                        to="people.person",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="personinstory",
            name="first_published_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(copy_first_publication, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="personinstory",
            index=models.Index(
                fields=["person", "-first_published_at"], name="person_in_story_order"
            ),
        ),
    ]
