from django.core.management.base import BaseCommand, CommandError

from demo.generate import generate
from newsroom.progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Add N generated, clearly fictional stories (with sections, people, tags, quotations, "
        "corrections and workflow history) for load and search tests, indexed for search. The "
        "same --seed gives the same content. Not for a production database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True, help="how many stories")
        parser.add_argument("--seed", type=int, default=11, help="random seed (default 11)")

    def handle(self, articles, seed, **options):
        if articles < 1:
            raise CommandError("--articles must be at least 1.")
        with ProgressBar(self.stderr, articles, "Generating") as bar:
            ids = generate(articles=articles, seed=seed, progress=bar.advance)
        self.stdout.write(f"Generated {len(ids)} stories.")
