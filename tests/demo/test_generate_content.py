"""`manage.py generate_content`: many fictional stories, repeatable, in every state, indexed."""

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, SearchEntry, WorkflowEvent
from articles.search import search
from articles.workflow import Status
from demo.generate import generate
from people.models import Person
from sourcing.models import Quote

pytestmark = pytest.mark.django_db


def test_generates_stories_with_everything_around_them(capsys):
    call_command("generate_content", articles=300)

    captured = capsys.readouterr()
    assert "Generated 300 stories." in captured.out
    assert "100% 300/300" in captured.err
    assert Article.objects.count() == 300
    statuses = set(Article.objects.values_list("status", flat=True))
    assert {Status.PUBLISHED, Status.DRAFT, Status.UNPUBLISHED} <= statuses
    assert Article.objects.published().count() > 200
    assert not Article.objects.filter(bylines__isnull=True).exists()
    assert Quote.objects.count() > 300
    assert Person.objects.filter(kind=Person.Kind.PRIVATE_INDIVIDUAL, is_minor=True).exists()
    published = Article.objects.filter(status=Status.PUBLISHED)
    assert not published.exclude(events__action="publish").exists()
    event = WorkflowEvent.objects.filter(action="publish").select_related("article").first()
    assert event.created_at > event.article.created_at
    assert SearchEntry.objects.count() == 300
    assert search("harbour", scope=Article.objects.published()).count() > 0


def test_the_same_seed_gives_the_same_words():
    first = [Article.objects.get(pk=pk).headline for pk in generate(articles=20, seed=5)]
    second = [Article.objects.get(pk=pk).headline for pk in generate(articles=20, seed=5)]
    assert first == second
    assert Article.objects.values("slug").distinct().count() == 40


def test_a_pending_update_is_not_what_search_shows(monkeypatch):
    monkeypatch.setattr("demo.generate.PENDING_UPDATE_SHARE", 1.0)
    generate(articles=30)
    pending = Article.objects.with_pending_update().first()
    assert pending is not None
    entry = SearchEntry.objects.get(pk=pending.pk)
    assert entry.headline == pending.headline
    assert "(updated)" not in entry.headline


def test_at_least_one_story():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("generate_content", articles=0)


def test_stories_are_dated_in_the_order_of_their_ids():
    ids = generate(articles=50)
    created = list(Article.objects.filter(pk__in=ids).order_by("pk").values_list("created_at"))
    assert created == sorted(created)
