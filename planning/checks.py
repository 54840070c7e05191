"""What planning adds to the article workflow, through `articles.extensions`: unresolved
blocking comments hold back approval and publication, and the article page links to its
comments."""

from django.urls import reverse

from articles.extensions import DeskLink, PublishProblem, register_desk_link, register_publish_check

from .models import Comment


def _comments_url(article):
    return reverse("admin:planning_comment_article", args=[article.pk])


def unresolved_blocking_comments(article):
    blocking = Comment.objects.blocking().filter(article=article).select_related("author")
    for comment in blocking:
        yield PublishProblem(
            f"{comment.author} marked a comment as blocking: resolve it first.",
            _comments_url(article),
        )


register_publish_check(unresolved_blocking_comments, at_approval=True)


@register_desk_link
def comments_link(user, article):
    open_count = Comment.objects.open().filter(article=article, parent__isnull=True).count()
    return DeskLink("Comments", _comments_url(article), f"{open_count} open")
