from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.views.generic import ListView

from .models import Article, ArticleRedirect, PreviewLink
from .workflow import Status


class HomeView(ListView):
    template_name = "articles/home.html"
    context_object_name = "articles"
    paginate_by = 20

    def get_queryset(self):
        return Article.objects.published().for_listing()


def article_detail(request, section, year, month, day, slug):
    """A published article. Old slugs and wrong dates or sections redirect (301) to the
    current address; an unpublished article answers 410 Gone; anything else unseen is a 404."""
    article = Article.objects.for_detail().filter(slug=slug).first()
    if article is None or article.first_published_at is None:
        # The slug may be one a published article used to have (a draft can hold it now).
        moved = ArticleRedirect.objects.select_related("article__section").filter(old_slug=slug)
        moved = moved.first()
        if moved is None or moved.article.first_published_at is None:
            raise Http404("No such article.")
        return redirect(moved.article, permanent=True)
    if article.status == Status.UNPUBLISHED and article.first_published_at:
        return render(request, "articles/article_gone.html", {"article": article}, status=410)
    if not article.is_published():
        raise Http404("No such article.")
    if request.path != article.get_absolute_url():
        return redirect(article, permanent=True)
    return render(request, "articles/article_detail.html", {"article": article})


def _render_preview(request, article, **context):
    response = render(
        request, "articles/article_detail.html", {"article": article, "preview": True, **context}
    )
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def preview(request, pk):
    """Any article as readers would see it, for staff allowed to open it."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.is_staff:
        raise Http404("No such article.")
    queryset = Article.objects.for_detail().visible_to(request.user)
    return _render_preview(request, get_object_or_404(queryset, pk=pk))


def shared_preview(request, pk, token):
    """An unpublished article shown through a signed, expiring, revocable link."""
    link = PreviewLink.resolve(pk, token)
    if link is None:
        raise Http404("This preview link is not valid.")
    article = get_object_or_404(Article.objects.for_detail(), pk=pk)
    return _render_preview(request, article, preview_link=link)
