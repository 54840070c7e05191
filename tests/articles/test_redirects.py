"""Old addresses of published stories keep working, whatever holds their slug now."""

import pytest

from articles.models import ArticleRedirect
from articles.workflow import Status
from tests.factories import ArticleFactory

from .conftest import edit, public_url

pytestmark = pytest.mark.django_db


def rename(article, slug, *, by):
    edit(article, by=by, slug=slug)


def test_a_draft_taking_an_old_slug_does_not_break_the_redirect(client, editor, article_in):
    published = article_in(Status.PUBLISHED, slug="bridge-reopens")
    old_address = published.get_absolute_url()
    rename(published, "bridge-reopens-to-traffic", by=editor)
    ArticleFactory(slug="bridge-reopens")

    response = client.get(old_address)

    assert response.status_code == 301
    assert response["Location"] == published.get_absolute_url()


def test_taking_another_articles_old_slug_leaves_its_redirect_alone(editor, article_in):
    other = article_in(Status.PUBLISHED, slug="shared-old")
    rename(other, "other-new", by=editor)
    first = article_in(Status.PUBLISHED, slug="first-name")

    rename(first, "shared-old", by=editor)

    assert set(ArticleRedirect.objects.values_list("old_slug", "article")) == {
        ("shared-old", other.pk),
        ("first-name", first.pk),
    }


def test_taking_back_its_own_old_slug_ends_that_redirect(editor, article_in):
    article = article_in(Status.PUBLISHED, slug="first-name")
    rename(article, "second-name", by=editor)

    rename(article, "first-name", by=editor)

    assert list(ArticleRedirect.objects.values_list("old_slug", "article")) == [
        ("second-name", article.pk)
    ]


def test_a_wrong_date_in_the_address_redirects_to_the_right_one(client, article_in):
    article = article_in(Status.PUBLISHED)
    wrong_day = article.first_published_at.replace(year=2001)

    response = client.get(public_url(article, when=wrong_day))

    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()
