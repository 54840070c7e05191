"""The reader-facing pages. Every read of articles goes through `Article.objects.published()`
(or `taken_down()`, for the 410 of a story we removed); previews are the one way to see anything
else, and are never indexed or cached."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.views.generic import ListView

from articles.models import Article, ArticleRedirect, PreviewLink
from articles.search import matching_people
from people.models import Person

from .forms import SearchForm


class PublishedArticlesMixin:
    """Owns `get_queryset()` for every public list of articles, so no list can show more than
    readers may see."""

    paginate_by = 20
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().for_listing()


class HomeView(PublishedArticlesMixin, ListView):
    template_name = "public/home.html"


class SearchView(PublishedArticlesMixin, ListView):
    """Ranked search of published stories (their live version), with the people readers may
    see whose names match."""

    template_name = "public/search.html"
    context_object_name = "hits"
    #: At most this many people are shown above the stories.
    people_shown = 5

    def get_queryset(self):
        self.form = SearchForm(self.request.GET)
        return self.form.results(super().get_queryset())

    def get_context_data(self, **kwargs):
        query = self.form.value("q") or ""
        people = matching_people(query, Person.objects.with_public_page())
        context = super().get_context_data(
            form=self.form, query=query, people=people[: self.people_shown], **kwargs
        )
        # Known once the results are counted (by the paginator, above).
        context["near_matches"] = self.object_list.loose
        context["capped"] = self.object_list.capped
        return context


def article_detail(request, section, year, month, day, slug):
    """A published article. Old slugs and wrong dates or sections redirect (301) to the
    current address; a story taken down answers 410 Gone; anything else is a 404."""
    article = Article.objects.published().for_detail().filter(slug=slug).first()
    if article is None:
        if Article.objects.taken_down().filter(slug=slug).exists():
            return render(request, "public/article_gone.html", status=410)
        # The slug may be one a story used to have (a draft can hold it now).
        on_record = Article.objects.published() | Article.objects.taken_down()
        moved = ArticleRedirect.objects.filter(old_slug=slug, article__in=on_record)
        moved = moved.select_related("article__section").first()
        if moved is None:
            raise Http404("No such article.")
        return redirect(moved.article, permanent=True)
    if request.path != article.get_absolute_url():
        return redirect(article, permanent=True)
    return render(request, "public/article_detail.html", {"article": article})


def _render_preview(request, article, **context):
    response = render(
        request, "public/article_detail.html", {"article": article, "preview": True, **context}
    )
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def preview(request, pk):
    """Any article as readers would see it, for staff allowed to open it: a published story
    with its pending update on (`?live` shows what readers see now)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.is_staff:
        raise Http404("No such article.")
    queryset = Article.objects.for_detail().visible_to(request.user)
    article = get_object_or_404(queryset, pk=pk)
    showing_update = article.has_pending_update and "live" not in request.GET
    if showing_update:
        article.show_pending_update()
    return _render_preview(request, article, showing_update=showing_update)


def shared_preview(request, pk, token):
    """An unpublished article shown through a signed, expiring, revocable link."""
    link = PreviewLink.resolve(pk, token)
    if link is None:
        raise Http404("This preview link is not valid.")
    article = get_object_or_404(Article.objects.for_detail(), pk=pk)
    article.show_pending_update()
    return _render_preview(request, article, preview_link=link)
