"""`manage.py load_demo`: a working newsroom from an empty database, the same one however often
it runs, one account per role, and only ever with DEBUG on."""

import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils import timezone

from accounts import roles
from articles.models import Article
from articles.workflow import PublishBlocked, Status
from planning.models import Assignment
from sourcing.models import Quote, Source

pytestmark = pytest.mark.django_db

DEMO_ROLES = {
    "reporter": roles.REPORTER,
    "editor": roles.EDITOR,
    "factchecker": roles.FACT_CHECKER,
    "standards": roles.STANDARDS_EDITOR,
}


def row_counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def test_fills_an_empty_site_without_the_seed_file(load_demo, no_default_seed):
    assert not Article.objects.exists()

    printed = load_demo()

    assert "No seed story beside this checkout" in printed
    assert Article.objects.count() == 4
    assert Article.objects.published().count() == 1


@pytest.mark.usefixtures("seed_path")  # the seed file is in its default place, so it loads too
def test_running_it_again_changes_no_row_count(load_demo):
    load_demo()
    first = row_counts()

    load_demo()

    assert row_counts() == first
    assert first["articles.Article"] == 5  # four fictional stories and the seed story


def test_creates_one_account_per_role_and_prints_the_passwords(load_demo, no_default_seed):
    printed = load_demo()

    for username, role in DEMO_ROLES.items():
        user = get_user_model().objects.get(username=username)
        password = re.search(rf"^\s*{username}\s+(\S+)", printed, re.MULTILINE)[1]
        assert user.check_password(password), username
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert user.is_staff
        assert user.person.kind == "staff"


def test_refuses_to_run_with_debug_off(load_demo, settings):
    settings.DEBUG = False  # after load_demo turned it on

    with pytest.raises(CommandError, match="only with DEBUG on"):
        load_demo()

    assert not get_user_model().objects.exists()


def test_a_seed_file_that_is_not_there_fails_the_whole_load(load_demo, tmp_path):
    missing = tmp_path / "missing.txt"

    with pytest.raises(CommandError) as failure:
        load_demo("--seed", str(missing))

    assert str(failure.value) == f"{missing}: no such file"
    assert not Article.objects.exists()
    assert not get_user_model().objects.exists()


def test_the_fictional_stories_are_in_their_promised_states(load_demo, no_default_seed):
    load_demo()

    stories = {article.status: article for article in Article.objects.all()}

    assert set(stories) == {
        Status.PUBLISHED,
        Status.DRAFT,
        Status.FACT_CHECK,
        Status.SCHEDULED,
    }
    for article in stories.values():
        assert article.bylines.exists(), article
        assert article.tags.exists(), article
        assert article.quotes.in_body().exists(), article
        assert article.quotes.in_body().filter(source__isnull=False).exists(), article
    published = stories[Status.PUBLISHED]
    assert published.is_published()
    assert published.corrections.exists()
    assert Quote.objects.filter(
        article=stories[Status.FACT_CHECK],
        source__kind=Source.Kind.ANONYMOUS,
        status=Quote.Status.UNVERIFIED,
    ).exists()
    assert stories[Status.SCHEDULED].publish_at > timezone.now()


def test_the_demo_plans_a_week_of_stories(load_demo, no_default_seed):
    load_demo()

    planned = Assignment.objects.filter(article__isnull=True)
    today = timezone.localdate()
    assert {(day - today).days for day in planned.values_list("run_on", flat=True)} == set(range(7))
    assert all(assignment.reporters.exists() for assignment in planned)
    assert planned.filter(priority=Assignment.Priority.TOP).exists()


def test_the_demo_shows_an_embargo_a_blocking_comment_and_a_mention(load_demo, no_default_seed):
    load_demo()

    scheduled = Article.objects.get(status=Status.SCHEDULED)
    assert scheduled.embargo_until == scheduled.publish_at
    in_factcheck = Article.objects.get(status=Status.FACT_CHECK)
    assert in_factcheck.desk_comments.blocking().exists()
    with pytest.raises(PublishBlocked, match="blocking"):
        in_factcheck.approve(by=get_user_model().objects.get(username="editor"))
    draft = Article.objects.get(status=Status.DRAFT)
    assert draft.desk_comments.get().mentions.get().user.username == "reporter"
