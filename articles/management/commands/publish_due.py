from django.core.management.base import BaseCommand

from articles.models import Article
from articles.workflow import Action


class Command(BaseCommand):
    help = (
        "Publish every scheduled article whose time has come and take down every published one "
        "whose expiry time has come. The task worker does this every minute itself; running "
        "this too (from cron, or by hand) publishes or takes down each article once."
    )

    def handle(self, **options):
        published = failed = 0
        for event in Article.publish_all_due():
            if event.action == Action.PUBLISH_SCHEDULED:
                published += 1
            else:
                failed += 1
                self.stderr.write(f"Article #{event.article_id} was not published: {event.comment}")
        self.stdout.write(f"Published {published} article(s); {failed} failed the publish checks.")
        expired = Article.expire_all_due()
        if expired:
            self.stdout.write(f"Took down {len(expired)} expired article(s).")
