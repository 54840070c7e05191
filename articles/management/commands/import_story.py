from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from articles.html import paragraphs_to_html
from articles.models import Article, Section
from articles.storyfile import StoryFileError, read_story


class Command(BaseCommand):
    help = (
        "Create a draft article from a text file whose first line is 'date YYYY-MM-DD' "
        "followed by paragraphs separated by blank lines."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the story file")
        parser.add_argument("--headline", default="", help="headline (an editor can add it later)")
        parser.add_argument("--section", help="slug of the section to file it under")
        parser.add_argument("--by", help="username of the reporter who owns the draft")

    def handle(self, path, headline, section, by, **options):
        try:
            story = read_story(path)
        except StoryFileError as error:
            raise CommandError(str(error)) from None
        owner = None
        if by:
            owner = get_user_model().objects.filter(username=by).first()
            if owner is None:
                raise CommandError(f"there is no user '{by}'")
        chosen_section = None
        if section:
            chosen_section = Section.objects.filter(slug=section).first()
            if chosen_section is None:
                raise CommandError(f"there is no section '{section}'")
        article = Article.objects.create(
            headline=headline,
            section=chosen_section,
            body=paragraphs_to_html(story.paragraphs),
            desk_notes=f"Imported from {path}; the story is dated {story.date:%Y-%m-%d}.",
            created_by=owner,
        )
        self.stdout.write(
            f"Created draft #{article.pk} “{article}” ({len(story.paragraphs)} paragraphs, "
            f"dated {story.date:%Y-%m-%d}): "
            f"{reverse('admin:articles_article_change', args=[article.pk])}"
        )
