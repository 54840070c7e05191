"""Embargoes and expiry: a story is never published before its embargo, by anyone or anything,
and is taken down once, by the scheduler, when its expiry time comes."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, PreviewLink
from articles.workflow import PublishBlocked, Status
from operations.worker import publish_due_sweep
from tests.conftest import run_tasks

from .conftest import change_form_data, public_url
from .test_admin_workflow import messages_of, workflow_url
from .test_scheduling import time_comes

pytestmark = pytest.mark.django_db

EMBARGOED = "embargoed until"


def embargoed(article, hours=2):
    until = timezone.now() + timedelta(hours=hours)
    Article.objects.filter(pk=article.pk).update(embargo_until=until)
    article.refresh_from_db()
    return until


def test_scheduling_before_the_embargo_is_refused_and_changes_nothing(editor, article_in):
    article = article_in(Status.APPROVED)
    until = embargoed(article)

    with pytest.raises(PublishBlocked, match=EMBARGOED):
        article.schedule(by=editor, publish_at=until - timedelta(minutes=1))

    article.refresh_from_db()
    assert (article.status, article.publish_at) == (Status.APPROVED, None)
    assert article.events.last().action == "approve"


def test_scheduling_at_the_embargo_is_allowed(editor, article_in):
    article = article_in(Status.APPROVED)
    until = embargoed(article)

    article.schedule(by=editor, publish_at=until)

    assert (article.status, article.publish_at) == (Status.SCHEDULED, until)


@pytest.mark.parametrize("state", [Status.APPROVED, Status.SCHEDULED, Status.UNPUBLISHED])
def test_publishing_now_during_the_embargo_is_refused(editor, article_in, state):
    article = article_in(state)
    embargoed(article, hours=24 * 3)

    with pytest.raises(PublishBlocked, match=EMBARGOED):
        article.publish(by=editor)

    article.refresh_from_db()
    assert article.status == state


def test_once_the_embargo_has_passed_the_story_publishes(editor, article_in):
    article = article_in(Status.APPROVED)
    Article.objects.filter(pk=article.pk).update(
        embargo_until=timezone.now() - timedelta(seconds=1)
    )
    article.refresh_from_db()

    article.publish(by=editor)

    assert article.status == Status.PUBLISHED


def test_the_embargo_does_not_hold_back_an_update_of_a_live_story(editor, article_in):
    article = article_in(Status.PUBLISHED)
    embargoed(article)
    article.dek = "A new dek."
    article.save_edit(by=editor)

    article.transition("publish_update", by=editor)

    assert article.dek == "A new dek."


def test_a_forged_admin_post_cannot_publish_an_embargoed_story(client, editor, article_in):
    article = article_in(Status.APPROVED)
    until = embargoed(article)
    client.force_login(editor)

    published = client.post(workflow_url(article), {"workflow-transition": "publish"})
    early = (until - timedelta(hours=1)).astimezone(timezone.get_current_timezone())
    scheduled = client.post(
        workflow_url(article),
        {
            "workflow-transition": "schedule",
            "workflow-publish_at": early.strftime("%Y-%m-%dT%H:%M"),
        },
    )

    for response in (published, scheduled):
        assert response.status_code == 302
        assert any(EMBARGOED in message for message in messages_of(response))
    article.refresh_from_db()
    assert (article.status, article.publish_at) == (Status.APPROVED, None)


def test_the_scheduler_refuses_a_story_whose_embargo_moved_past_its_time(
    editor, article_in, mailoutbox, django_capture_on_commit_callbacks
):
    article = article_in(Status.SCHEDULED)
    time_comes(article)
    embargoed(article)

    with django_capture_on_commit_callbacks(execute=True):
        run_tasks()
    run_tasks()

    article.refresh_from_db()
    assert (article.status, article.first_published_at) == (Status.APPROVED, None)
    failed = article.events.last()
    assert failed.action == "schedule_failed"
    assert EMBARGOED in failed.comment
    assert [message.to for message in mailoutbox] == [[editor.email]]


def test_publish_due_refuses_an_embargoed_story(article_in):
    article = article_in(Status.SCHEDULED)
    Article.objects.filter(pk=article.pk).update(
        publish_at=timezone.now() - timedelta(seconds=1),
        embargo_until=timezone.now() + timedelta(hours=1),
    )
    out, err = StringIO(), StringIO()

    call_command("publish_due", stdout=out, stderr=err)

    assert out.getvalue() == "Published 0 article(s); 1 failed the publish checks.\n"
    assert EMBARGOED in err.getvalue()
    article.refresh_from_db()
    assert (article.status, article.first_published_at) == (Status.APPROVED, None)


def test_the_form_refuses_an_embargo_after_the_scheduled_time(client, editor, article_in):
    article = article_in(Status.SCHEDULED)
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    later = timezone.localtime(article.publish_at + timedelta(hours=1))

    response = client.post(
        url,
        change_form_data(
            client.get(url),
            embargo_until_0=later.strftime("%Y-%m-%d"),
            embargo_until_1=later.strftime("%H:%M:%S"),
        ),
    )

    assert response.status_code == 200
    assert "cancel the schedule first" in response.content.decode()
    article.refresh_from_db()
    assert article.embargo_until is None


@pytest.mark.parametrize(
    ("embargo", "expiry"), [(2, 1), (2, 2)], ids=["expiry-before", "expiry-at-embargo"]
)
def test_an_expiry_no_later_than_the_embargo_is_refused(article_in, embargo, expiry):
    article = article_in(Status.DRAFT)
    now = timezone.now()
    article.embargo_until = now + timedelta(hours=embargo)
    article.expires_at = now + timedelta(hours=expiry)

    with pytest.raises(Exception, match="after the embargo"):
        article.full_clean()


def test_a_shared_preview_shows_the_embargo_prominently(client, editor, article_in):
    article = article_in(Status.APPROVED)
    embargoed(article)
    link = PreviewLink.create_for(article, by=editor)

    page = client.get(link.get_absolute_url()).content.decode()

    assert 'class="preview-banner embargo-banner" role="alert"' in page
    assert "Embargoed until" in page


def test_a_story_past_its_embargo_shows_no_embargo_banner(client, editor, article_in):
    article = article_in(Status.APPROVED)
    Article.objects.filter(pk=article.pk).update(embargo_until=timezone.now() - timedelta(hours=1))
    link = PreviewLink.create_for(article, by=editor)

    assert "Embargoed until" not in client.get(link.get_absolute_url()).content.decode()


# Expiry.


def expire_now(article):
    Article.objects.filter(pk=article.pk).update(expires_at=timezone.now() - timedelta(seconds=1))


def test_the_sweep_takes_down_an_expired_story_exactly_once(
    client, editor, reporter, article_in, mailoutbox, django_capture_on_commit_callbacks
):
    expiring = article_in(Status.PUBLISHED)
    lasting = article_in(Status.PUBLISHED)
    Article.objects.filter(pk=lasting.pk).update(expires_at=timezone.now() + timedelta(days=1))
    expire_now(expiring)

    with django_capture_on_commit_callbacks(execute=True):
        first = publish_due_sweep()
    second = publish_due_sweep()
    run_tasks()

    assert first.endswith("1 expired")
    assert second.endswith("0 expired")
    statuses = dict(Article.objects.values_list("pk", "status"))
    assert statuses == {expiring.pk: Status.UNPUBLISHED, lasting.pk: Status.PUBLISHED}
    expired = expiring.events.get(action="expire")
    assert (expired.actor, expired.from_status, expired.to_status) == (
        None,
        Status.PUBLISHED,
        Status.UNPUBLISHED,
    )
    assert [message.to for message in mailoutbox] == [[reporter.email]]
    assert "expiry" in mailoutbox[0].subject
    assert client.get(public_url(expiring)).status_code == 410


def test_an_expired_story_is_gone_to_readers_before_the_sweep_runs(client, article_in):
    article = article_in(Status.PUBLISHED)
    url = public_url(article)
    assert client.get(url).status_code == 200

    expire_now(article)

    assert client.get(url).status_code == 410
    assert not Article.objects.published().filter(pk=article.pk).exists()
    assert client.get("/").content.decode().count(article.headline) == 0


def test_publish_due_takes_down_expired_stories(article_in):
    article = article_in(Status.PUBLISHED)
    expire_now(article)
    out = StringIO()

    call_command("publish_due", stdout=out)
    again = StringIO()
    call_command("publish_due", stdout=again)

    assert out.getvalue().endswith("Took down 1 expired article(s).\n")
    assert "expired" not in again.getvalue()
    assert article.events.filter(action="expire").count() == 1


def test_nobody_expires_a_story_by_hand(editor, article_in):
    article = article_in(Status.PUBLISHED)
    expire_now(article)

    with pytest.raises(Exception, match="happens automatically"):
        article.transition("expire", by=editor)


def test_the_expiry_rule_waits_for_the_time(article_in):
    article = article_in(Status.PUBLISHED)
    Article.objects.filter(pk=article.pk).update(expires_at=timezone.now() + timedelta(hours=1))

    assert Article.expire_if_due(article.pk) is None
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED


def test_a_story_past_its_expiry_cannot_be_published_again(editor, article_in):
    article = article_in(Status.UNPUBLISHED)
    expire_now(article)
    article.refresh_from_db()

    with pytest.raises(PublishBlocked, match="change or clear the expiry time"):
        article.publish(by=editor)


def test_a_schedule_at_or_after_the_expiry_is_refused(editor, article_in):
    article = article_in(Status.APPROVED)
    expiry = timezone.now() + timedelta(hours=2)
    Article.objects.filter(pk=article.pk).update(expires_at=expiry)
    article.refresh_from_db()

    with pytest.raises(PublishBlocked, match="expires at"):
        article.schedule(by=editor, publish_at=expiry)


def test_the_expiry_sweep_queries_are_bounded(article_in, django_assert_max_num_queries):
    for _ in range(3):
        expire_now(article_in(Status.PUBLISHED))

    # One query finds them; each takedown is a fixed number (lock, save with its history, the
    # event, the queued notification), whatever the number of stories.
    with django_assert_max_num_queries(1 + 3 * 13):
        assert len(Article.expire_all_due()) == 3
