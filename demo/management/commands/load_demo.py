from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.storyfile import StoryFileError
from demo import content, loader, seed


class Command(BaseCommand):
    help = (
        "Fill the site with a demo newsroom: sections, staff, one account per role, fictional "
        "stories in every workflow state and, when the seed file is there, the seed story. "
        "Safe to run again: what exists is left as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed",
            dest="seed_path",
            type=Path,
            help=f"story file to import as the seed story (default: {seed.DEFAULT_PATH}, "
            "if it exists)",
        )

    def handle(self, seed_path, **options):
        if not settings.DEBUG:
            raise CommandError(
                "load_demo creates accounts whose passwords it prints, "
                "so it runs only with DEBUG on."
            )
        try:
            with transaction.atomic():
                users = loader.load()
                seeded = self._seed(seed_path, users)
        except StoryFileError as error:
            raise CommandError(str(error)) from None
        if seeded:
            self.stdout.write(f"Imported the seed story: {seeded.get_absolute_url()}")
        self.stdout.write("Demo newsroom ready. Log in at /admin/ as:")
        for username, _, _, role, password, _ in content.USERS:
            self.stdout.write(f"  {username:<12} {password:<24} {role}")

    def _seed(self, seed_path, users):
        """Import the seed story from `seed_path`; without one, from the default place if the
        file is there. A path given on the command line must exist (read_story says if not)."""
        if seed_path is None:
            seed_path = seed.DEFAULT_PATH
            if not seed_path.exists():
                self.stdout.write("No seed story beside this checkout; skipping it.")
                return None
        return seed.import_seed_story(seed_path, users)
