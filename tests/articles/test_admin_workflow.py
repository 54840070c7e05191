"""The workflow through the admin: the panel, forged posts, stale saves, who else is editing,
bulk actions, the changelist filters ("my work" among them) and the time zone of times."""

import zoneinfo
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import formats, timezone

from articles import presence
from articles.models import Article, Byline
from articles.workflow import Status
from tests.factories import ArticleFactory, PersonFactory

from .conftest import change_form_data

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def workflow_url(article):
    return reverse("admin:articles_article_workflow", args=[article.pk])


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_panel_offers_an_editor_what_they_may_do_and_why_not_yet(client, editor, article_in):
    article = article_in(Status.APPROVED)
    Byline.objects.filter(article=article).delete()
    client.force_login(editor)

    page = client.get(change_url(article)).content.decode()

    assert 'value="publish"' in page
    assert 'value="schedule"' in page
    assert 'value="request_changes"' in page
    assert 'value="unpublish"' not in page
    assert "Add at least one byline." in page
    assert "Audit trail (2 events)" in page


def test_the_panel_offers_a_reporter_no_editors_buttons(client, reporter, article_in):
    article = article_in(Status.APPROVED)
    client.force_login(reporter)

    page = client.get(change_url(article)).content.decode()

    assert "Workflow" in page
    for name in ("publish", "schedule", "approve", "request_changes", "submit"):
        assert f'value="{name}"' not in page


@pytest.mark.parametrize(
    ("transition", "state"),
    [
        ("publish", Status.APPROVED),
        ("schedule", Status.APPROVED),
        ("approve", Status.FACT_CHECK),
        ("send_to_factcheck", Status.IN_REVIEW),
        ("unpublish", Status.PUBLISHED),
        ("correct", Status.PUBLISHED),
    ],
)
def test_a_reporters_forged_post_changes_nothing(client, reporter, article_in, transition, state):
    article = article_in(state)
    client.force_login(reporter)

    response = client.post(
        workflow_url(article),
        {
            "workflow-transition": transition,
            "workflow-publish_at": "2099-01-01T09:00",
            "workflow-correction_kind": "correction",
            "workflow-correction_text": "Forged.",
        },
    )

    assert response.status_code == 302
    assert any("was not changed" in message for message in messages_of(response))
    fresh = Article.objects.get(pk=article.pk)
    assert (fresh.status, fresh.version) == (state, article.version)
    assert fresh.events.count() == len(article.events.all())
    assert not fresh.corrections.exists()


def test_a_post_about_an_article_the_user_may_not_see_is_404(client, other_reporter, article_in):
    article = article_in(Status.DRAFT)
    client.force_login(other_reporter)

    response = client.post(workflow_url(article), {"workflow-transition": "submit"})

    assert response.status_code == 404
    assert Article.objects.get(pk=article.pk).status == Status.DRAFT


def test_an_editor_publishes_from_the_panel(client, editor, article_in):
    article = article_in(Status.APPROVED)
    client.force_login(editor)

    response = client.post(
        workflow_url(article), {"workflow-transition": "publish", "workflow-comment": "Go."}
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.events.last().comment == "Go."


def test_the_schedule_is_entered_and_labelled_in_the_newsroom_time_zone(client, editor, article_in):
    article = article_in(Status.APPROVED)
    client.force_login(editor)

    page = client.get(change_url(article)).content.decode()
    client.post(
        workflow_url(article),
        {"workflow-transition": "schedule", "workflow-publish_at": "2099-01-15T09:30"},
    )

    assert f"Publish at ({settings.TIME_ZONE})" in page
    article.refresh_from_db()
    assert article.status == Status.SCHEDULED
    newsroom_zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    assert article.publish_at == datetime(2099, 1, 15, 9, 30, tzinfo=newsroom_zone)


def test_an_editor_picks_the_people_a_published_story_is_about(client, editor, article_in):
    article = article_in(Status.PUBLISHED)
    mayor, harbour_master = PersonFactory(name="Ruth Abernathy"), PersonFactory()
    article.people.add(harbour_master)
    client.force_login(editor)
    form = client.get(change_url(article))
    assert 'name="people"' in form.content.decode()
    assert "admin-autocomplete" in str(form.context["adminform"].form["people"])

    saved = client.post(change_url(article), change_form_data(form, people=[mayor.pk]))

    assert saved.status_code == 302
    assert list(article.people.all()) == [mayor]
    assert [link.first_published_at for link in article.person_links.all()] == [
        article.first_published_at
    ]


def test_a_stale_save_keeps_the_users_text_and_says_why(client, editor, standards, article_in):
    article = article_in(Status.DRAFT)
    client.force_login(editor)
    editors_form = client.get(change_url(article))
    client.force_login(standards)
    standards_form = client.get(change_url(article))

    first = client.post(
        change_url(article), change_form_data(standards_form, headline="Standards' headline")
    )
    client.force_login(editor)
    second = client.post(
        change_url(article), change_form_data(editors_form, headline="Editor's own headline")
    )

    assert first.status_code == 302
    assert second.status_code == 200
    page = second.content.decode()
    assert "Someone saved this article after you opened it" in page
    assert 'value="Editor&#x27;s own headline"' in page
    article_now = Article.objects.get(pk=article.pk)
    assert article_now.headline == "Standards' headline"
    assert article_now.version == article.version + 1


def test_a_meaningful_update_is_ticked_in_the_form(client, editor, article_in):
    article = article_in(Status.PUBLISHED)
    client.force_login(editor)
    form = client.get(change_url(article))

    response = client.post(
        change_url(article), change_form_data(form, dek="New facts.", meaningful_update="on")
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.dek != "New facts."  # readers see the live version until it is published
    assert article.pending_update["fields"]["dek"] == "New facts."
    assert article.pending_update["meaningful"] is True
    article.transition("publish_update", by=editor)
    assert article.dek == "New facts."
    assert article.updated_at > article.first_published_at


def test_being_edited_by_someone_else_is_shown(client, editor, standards, article_in):
    article = article_in(Status.IN_REVIEW)
    client.force_login(editor)
    first_look = client.get(change_url(article)).content.decode()
    client.force_login(standards)
    second_look = client.get(change_url(article)).content.decode()

    assert "Also open for editing" not in first_look
    assert f"Also open for editing by {editor}" in second_look


def test_the_editing_notice_forgets_visits_older_than_the_window(
    client, monkeypatch, editor, standards, article_in
):
    article = article_in(Status.IN_REVIEW)
    client.force_login(editor)
    client.get(change_url(article))
    later = timezone.now() + settings.EDITING_PRESENCE_WINDOW + timedelta(seconds=1)
    monkeypatch.setattr(presence, "timezone", SimpleNamespace(now=lambda: later))
    client.force_login(standards)

    assert "Also open for editing" not in client.get(change_url(article)).content.decode()


def test_a_bulk_publish_runs_every_check(client, editor, reporter, reporter_person, article_in):
    ready = article_in(Status.APPROVED)
    no_byline = article_in(Status.APPROVED)
    Byline.objects.filter(article=no_byline).delete()
    draft = article_in(Status.DRAFT)
    client.force_login(editor)

    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "bulk_publish", "_selected_action": [ready.pk, no_byline.pk, draft.pk]},
    )

    assert response.status_code == 302
    statuses = dict(Article.objects.values_list("pk", "status"))
    assert statuses == {
        ready.pk: Status.PUBLISHED,
        no_byline.pk: Status.APPROVED,
        draft.pk: Status.DRAFT,
    }
    notes = messages_of(response)
    assert any("Add at least one byline." in note for note in notes)
    assert any(str(draft) in note and "not possible while" in note for note in notes)
    assert "Publish now: 1 article(s)." in notes


def test_a_reporters_bulk_publish_is_refused(client, reporter, article_in):
    article = article_in(Status.APPROVED)
    client.force_login(reporter)

    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "bulk_publish", "_selected_action": [article.pk]},
    )

    assert Article.objects.get(pk=article.pk).status == Status.APPROVED


@pytest.fixture
def desk(article_in, reporter, other_reporter, editor):
    """One article in each place on the desk, keyed by what it is."""
    returned = article_in(Status.IN_REVIEW)
    returned.request_changes(by=editor, comment="Needs a second source.")
    others = ArticleFactory(created_by=other_reporter)
    updated = article_in(Status.PUBLISHED)
    updated.dek = "A change waiting to go live."
    updated.save_edit(by=editor)
    return {
        "my draft": article_in(Status.DRAFT),
        "returned": returned,
        "in review": article_in(Status.IN_REVIEW),
        "in fact-check": article_in(Status.FACT_CHECK),
        "approved": article_in(Status.APPROVED),
        "published": article_in(Status.PUBLISHED),
        "updated": updated,
        "other's draft": others,
    }


@pytest.mark.parametrize(
    ("role", "choice", "expected"),
    [
        ("owner", "mine", {"my draft", "returned"}),
        ("other_reporter", "mine", {"other's draft"}),
        ("editor", "to_review", {"in review"}),
        ("editor", "in_factcheck", {"in fact-check"}),
        ("editor", "to_publish", {"approved"}),
        ("editor", "updates", {"updated"}),
        ("factchecker", "in_factcheck", {"in fact-check"}),
    ],
)
def test_my_work_per_role(client, users, desk, role, choice, expected):
    client.force_login(users[role])

    response = client.get(reverse("admin:articles_article_changelist"), {"my_work": choice})

    assert response.status_code == 200
    listed = set(response.context["cl"].result_list)
    assert listed == {desk[name] for name in expected}


@pytest.mark.parametrize(
    ("role", "choices"),
    [
        ("owner", ["mine"]),
        ("editor", ["mine", "to_review", "in_factcheck", "to_publish", "updates"]),
        ("factchecker", ["mine", "in_factcheck"]),
    ],
)
def test_my_work_offers_each_role_its_own_queues(client, users, role, choices):
    client.force_login(users[role])

    response = client.get(reverse("admin:articles_article_changelist"))

    my_work = next(f for f in response.context["cl"].filter_specs if f.parameter_name == "my_work")
    assert [value for value, _ in my_work.lookup_choices] == choices


def test_status_cannot_be_posted_in_the_change_form(client, editor, article_in):
    article = article_in(Status.APPROVED)
    client.force_login(editor)
    form = client.get(change_url(article))

    response = client.post(change_url(article), change_form_data(form, status="published"))

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.APPROVED


def test_a_reporter_cannot_save_their_story_once_it_left_draft(client, reporter, article_in):
    article = article_in(Status.IN_REVIEW)
    client.force_login(reporter)
    form = client.get(change_url(article))

    response = client.post(change_url(article), change_form_data(form, headline="Sneaky"))

    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).headline == article.headline


def test_an_edit_that_reopens_the_story_tells_the_editor_why(client, editor, article_in):
    article = article_in(Status.APPROVED)
    client.force_login(editor)
    form = client.get(change_url(article))

    response = client.post(change_url(article), change_form_data(form, headline="New headline"))

    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW
    notes = messages_of(response)
    assert any(
        "back in review" in note and "Headline changed after approval" in note for note in notes
    ), notes


def test_an_edit_of_other_fields_keeps_the_approval(client, editor, article_in):
    article = article_in(Status.APPROVED)
    client.force_login(editor)
    form = client.get(change_url(article))

    client.post(change_url(article), change_form_data(form, dateline="EASTMERE"))

    article.refresh_from_db()
    assert (article.status, article.dateline) == (Status.APPROVED, "EASTMERE")


def test_times_in_the_admin_are_labelled_with_the_newsroom_time_zone(client, editor, article_in):
    article = article_in(Status.SCHEDULED)
    client.force_login(editor)

    form = client.get(change_url(article)).content.decode()
    listing = client.get(reverse("admin:articles_article_changelist")).content.decode()

    zone = settings.TIME_ZONE
    for label in ("Scheduled for", "First published", "Updated for readers"):
        assert f"{label} ({zone})" in form
    for label in ("Scheduled for", "First published"):
        assert f"{label} ({zone})" in listing
    shown = formats.localize(timezone.localtime(article.publish_at))
    assert f'<div class="readonly">{shown}</div>' in form
    assert f'<td class="field-scheduled_for">{shown}</td>' in listing
    assert '<div class="readonly">None</div>' not in form


def test_the_changelist_filters_by_schedule_and_author(client, editor, other_reporter, article_in):
    today = article_in(Status.SCHEDULED)
    tomorrow = article_in(Status.SCHEDULED)
    midnight = timezone.localtime().replace(hour=0, minute=0, second=1, microsecond=0)
    Article.objects.filter(pk=today.pk).update(publish_at=midnight)
    Article.objects.filter(pk=tomorrow.pk).update(publish_at=midnight + timedelta(days=1))
    theirs = ArticleFactory(created_by=other_reporter)
    client.force_login(editor)
    changelist = reverse("admin:articles_article_changelist")

    scheduled_today = client.get(changelist, {"scheduled": "today"})
    all_scheduled = client.get(changelist, {"scheduled": "all"})
    by_author = client.get(changelist, {"author": theirs.bylines.get().person_id})

    assert list(scheduled_today.context["cl"].result_list) == [today]
    assert set(all_scheduled.context["cl"].result_list) == {today, tomorrow}
    assert list(by_author.context["cl"].result_list) == [theirs]
    assert '<span class="status-badge status-scheduled">Scheduled</span>' in (
        scheduled_today.content.decode()
    )


def test_a_change_posted_without_its_loaded_version_is_refused(client, editor, article_in):
    article = article_in(Status.DRAFT)
    client.force_login(editor)
    data = change_form_data(client.get(change_url(article)), headline="Blind overwrite")
    del data["loaded_version"]

    response = client.post(change_url(article), data)

    assert response.status_code == 200
    assert "reload the article" in response.content.decode()
    assert Article.objects.get(pk=article.pk).version == article.version


def test_a_pending_update_that_fails_the_checks_says_so_before_it_goes_live(
    client, editor, article_in
):
    article = article_in(Status.PUBLISHED)
    article.body += "<p>“We will reopen the east bank by spring at the latest,” a worker said.</p>"
    article.save_edit(by=editor)
    client.force_login(editor)

    page = client.get(change_url(article)).content.decode()

    assert "Before this update can be published" in page
    assert "Attribute the quote" in page
    assert "We will reopen the east bank" in page  # the form shows the pending update


def test_a_published_story_that_no_longer_passes_the_checks_says_so(client, editor, article_in):
    article = article_in(Status.PUBLISHED)
    Byline.objects.filter(article=article).delete()
    client.force_login(editor)

    page = client.get(change_url(article)).content.decode()

    assert "This published story no longer passes the publish checks" in page
    assert "Add at least one byline." in page


@pytest.mark.parametrize("role", ["owner", "editor", "factchecker", "standards"])
def test_every_role_has_a_my_work_link(client, users, role):
    client.force_login(users[role])

    page = client.get(reverse("admin:index")).content.decode()

    assert f'href="{reverse("my_work")}"' in page


def test_the_changelist_counts_facets_for_every_filter(client, editor, other_reporter):
    theirs = ArticleFactory(created_by=other_reporter)
    author = theirs.bylines.get().person
    client.force_login(editor)

    response = client.get(reverse("admin:articles_article_changelist"), {"_facets": "True"})

    assert response.status_code == 200
    assert f"{author.name} (1)" in response.content.decode()
