from django.core.management.base import BaseCommand

from articles.models import Article


class Command(BaseCommand):
    help = (
        "Publish every scheduled article whose time has come. For cron, or as a safety net "
        "beside the task worker: running both at once publishes each article exactly once."
    )

    def handle(self, **options):
        published = failed = 0
        for pk in Article.objects.due().values_list("pk", flat=True):
            event = Article.publish_if_due(pk)
            if event is None:
                continue
            if event.action == "publish_scheduled":
                published += 1
            else:
                failed += 1
                self.stderr.write(f"Article #{pk} was not published: {event.comment}")
        self.stdout.write(f"Published {published} article(s); {failed} failed the publish checks.")
