from django.core.management.base import BaseCommand

from articles.models import Article
from articles.search import INDEX_BATCH, engine, index_articles
from newsroom.progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Write the search index entry of every article again, from what the articles hold now. "
        "Search keeps working meanwhile. Run it after changing SEARCH_CONFIG, or if the index "
        "was written by something other than the app (a restore, bulk SQL)."
    )

    def handle(self, **options):
        ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
        with ProgressBar(self.stderr, len(ids), "Indexing") as bar:
            for start in range(0, len(ids), INDEX_BATCH):
                batch = ids[start : start + INDEX_BATCH]
                index_articles(batch)
                bar.advance(len(batch))
        engine().optimize()
        self.stdout.write(f"Indexed {len(ids)} article(s).")
