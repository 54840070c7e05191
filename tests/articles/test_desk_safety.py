"""No lost work and a desk that fits each role: steps taken with the change form, unsaved text
kept, stale saves explained, who else is editing, search, history, and refusals that say why."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Autosave, Byline, FactCheckAssignment
from articles.workflow import Status, TransitionRefused
from tests.factories import ArticleFactory, StaffPersonFactory, UserFactory

from .conftest import change_form_data, edit

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# A workflow step taken from the change form saves the form with it, or neither happens.


def test_a_step_posted_with_the_form_saves_the_edits_and_takes_the_step(
    client, reporter, article_in
):
    article = article_in(Status.DRAFT)
    client.force_login(reporter)
    data = change_form_data(client.get(change_url(article)), dek="Typed before submitting.")

    response = client.post(change_url(article), {**data, "workflow-transition": "submit"})

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.status, article.dek) == (Status.IN_REVIEW, "Typed before submitting.")
    assert article.events.last().action == "submit"
    assert any(message.startswith("Saved. Submit for review") for message in messages_of(response))


def test_a_refused_step_saves_nothing_and_gives_back_the_typed_text(client, editor, article_in):
    article = article_in(Status.APPROVED)
    version = article.version
    client.force_login(editor)
    data = change_form_data(client.get(change_url(article)), headline="A new headline typed")

    response = client.post(change_url(article), {**data, "workflow-transition": "publish"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "nothing was saved" in page
    assert "is not possible while the article is in review" in page  # the edit reopened it
    assert 'value="A new headline typed"' in page
    article.refresh_from_db()
    assert (article.status, article.version) == (Status.APPROVED, version)
    assert article.headline != "A new headline typed"


def test_a_step_missing_its_inputs_saves_nothing(client, editor, article_in):
    article = article_in(Status.APPROVED)
    client.force_login(editor)
    data = change_form_data(client.get(change_url(article)), dateline="EASTMERE")

    response = client.post(change_url(article), {**data, "workflow-transition": "schedule"})

    assert response.status_code == 200
    assert "Say when the article should be published." in response.content.decode()
    assert Article.objects.get(pk=article.pk).dateline == ""


# Unsaved text.


def autosave_url(article):
    return reverse("admin:articles_article_autosave", args=[article.pk])


def test_unsaved_text_is_kept_for_its_author_only_and_never_applied(client, reporter, article_in):
    article = article_in(Status.DRAFT)
    client.force_login(reporter)

    response = client.post(
        autosave_url(article),
        {"loaded_version": article.version, "dek": "Half a thought", "status": "published"},
    )

    assert response.status_code == 200
    kept = Autosave.objects.get(article=article, user=reporter)
    assert kept.fields == {"dek": "Half a thought"}
    assert kept.loaded_version == article.version
    article.refresh_from_db()
    assert (article.dek, article.status) != ("Half a thought", "published")


def test_reopening_offers_the_unsaved_text_back_with_its_version(client, reporter, article_in):
    article = article_in(Status.DRAFT)
    client.force_login(reporter)
    client.post(autosave_url(article), {"loaded_version": article.version, "dek": "Kept text"})

    offer = client.get(change_url(article)).content.decode()
    restored = client.get(change_url(article) + "?restore=autosave")

    assert "Put it back into the form" in offer
    form = restored.context["adminform"].form
    assert form["dek"].value() == "Kept text"
    assert form["loaded_version"].value() == article.version


def test_saving_clears_the_unsaved_text(client, reporter, article_in):
    article = article_in(Status.DRAFT)
    client.force_login(reporter)
    client.post(autosave_url(article), {"loaded_version": article.version, "dek": "Kept text"})

    client.post(change_url(article), change_form_data(client.get(change_url(article))))

    assert not Autosave.objects.filter(article=article).exists()


@pytest.mark.parametrize("who", ["other_reporter", "factchecker"])
def test_only_people_who_may_edit_keep_unsaved_text(client, users, article_in, who):
    article = article_in(Status.DRAFT)
    client.force_login(users[who])

    response = client.post(autosave_url(article), {"loaded_version": 1, "dek": "x"})

    assert response.status_code in (403, 404)
    assert not Autosave.objects.exists()


def test_unsaved_text_without_its_version_is_refused(client, reporter, article_in):
    article = article_in(Status.DRAFT)
    client.force_login(reporter)

    response = client.post(autosave_url(article), {"dek": "x"})

    assert response.status_code == 400
    assert not Autosave.objects.exists()


# A stale save shows what changed since the version it started from.


def test_a_stale_save_shows_what_others_changed_and_the_next_save_merges(
    client, editor, standards, article_in
):
    article = article_in(Status.IN_REVIEW)
    client.force_login(editor)
    opened = change_form_data(client.get(change_url(article)), dek="The editor's dek.")
    edit(Article.objects.get(pk=article.pk), by=standards, headline="The standards headline")

    stale = client.post(change_url(article), opened)

    page = stale.content.decode()
    assert stale.status_code == 200
    assert "What changed since you opened the story" in page
    assert "The standards headline" in page
    assert 'value="The editor&#x27;s dek."' in page
    merged = change_form_data(stale, headline="The standards headline")
    assert client.post(change_url(article), merged).status_code == 302
    article.refresh_from_db()
    assert (article.headline, article.dek) == ("The standards headline", "The editor's dek.")


# Who else has the story open.


def presence_url(article):
    return reverse("admin:articles_article_presence", args=[article.pk])


def test_the_heartbeat_lists_only_others_who_may_edit(
    client, editor, standards, factchecker, article_in
):
    article = article_in(Status.IN_REVIEW)
    for user in (editor, factchecker):
        client.force_login(user)
        client.post(presence_url(article))
    client.force_login(standards)

    response = client.post(presence_url(article))

    assert response.json() == {"others": [str(editor)]}


def test_someone_who_left_drops_off_within_a_minute(
    client, editor, standards, article_in, settings
):
    article = article_in(Status.IN_REVIEW)
    client.force_login(editor)
    client.post(presence_url(article))
    assert timedelta(minutes=1) >= settings.EDITING_PRESENCE_WINDOW
    later = timezone.now() + settings.EDITING_PRESENCE_WINDOW + timedelta(seconds=1)

    client.force_login(standards)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("articles.presence.timezone.now", lambda: later)
        response = client.post(presence_url(article))

    assert response.json() == {"others": []}


# A new story, sending to fact-check, search.


def test_a_new_story_gets_its_creators_byline(client, reporter):
    StaffPersonFactory(user=reporter, name="Rita Reporter")
    client.force_login(reporter)
    add = reverse("admin:articles_article_add")
    data = change_form_data(client.get(add), headline="Ferry timetable changes", slug="ferry")
    data.pop("loaded_version", None)

    assert client.post(add, data).status_code == 302

    article = Article.objects.get(slug="ferry")
    assert [byline.person.name for byline in article.bylines.all()] == ["Rita Reporter"]


def test_a_new_story_by_someone_without_a_profile_gets_no_byline(client, editor):
    client.force_login(editor)
    add = reverse("admin:articles_article_add")
    data = change_form_data(client.get(add), headline="Ferry timetable changes", slug="ferry")
    data.pop("loaded_version", None)

    client.post(add, data)

    assert not Byline.objects.filter(article__slug="ferry").exists()


def test_sending_to_fact_check_takes_the_checker_and_due_time_chosen(
    editor, factchecker, article_in
):
    article = article_in(Status.IN_REVIEW)
    due = timezone.now() + timedelta(hours=3)

    article.send_to_factcheck(by=editor, checker=factchecker, factcheck_due=due)

    assignment = FactCheckAssignment.objects.get(article=article)
    assert (assignment.checker, assignment.due_at, assignment.assigned_by) == (
        factchecker,
        due,
        editor,
    )


def test_sending_to_fact_check_refuses_someone_who_cannot_check(editor, reporter, article_in):
    article = article_in(Status.IN_REVIEW)

    with pytest.raises(TransitionRefused, match="cannot fact-check"):
        article.send_to_factcheck(by=editor, checker=reporter)

    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW
    assert not FactCheckAssignment.objects.exists()


@pytest.mark.parametrize(
    ("term", "found"),
    [("eight months", True), ("Quayside", True), ("timetable", False)],
)
def test_the_article_list_searches_the_body_and_byline_names(
    client, editor, term, found, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the index is written after commit
        article = ArticleFactory(byline=StaffPersonFactory(name="Ada Quayside"))
    client.force_login(editor)

    response = client.get(reverse("admin:articles_article_changelist"), {"q": term})

    assert (article in response.context["cl"].result_list) is found


# The history list and refusals.


def test_the_history_list_reads_as_text_with_the_workflow_steps(client, editor, article_in):
    article = article_in(Status.DRAFT)
    edit(article, by=editor, body="<p>The bridge opened a <em>week</em> early.</p>")
    article.submit(by=editor)
    client.force_login(editor)

    page = client.get(reverse("admin:articles_article_history", args=[article.pk]))

    content = page.content.decode()
    assert page.status_code == 200
    assert "The bridge opened a week early." in content
    assert "&lt;p&gt;" not in content and "<em>week</em>" not in content
    assert "Submit for review" in content
    assert "None" not in content
    assert "pk=None" not in content
    assert 'style="' not in content.split('id="change-history"')[1]


def test_a_refusal_inside_the_admin_says_what_to_do(client, reporter, article_in):
    article = article_in(Status.IN_REVIEW)
    client.force_login(reporter)

    response = client.post(reverse("admin:articles_article_preview_link", args=[article.pk]))

    assert response.status_code == 403
    page = response.content.decode()
    assert "Your role does not allow this" in page
    assert "ask an editor" in page
    assert 'id="site-name"' in page  # the admin's design


def test_a_story_you_may_not_open_is_not_called_deleted(client, other_reporter, article_in):
    article = article_in(Status.DRAFT)
    client.force_login(other_reporter)

    response = client.get(change_url(article), follow=True)

    shown = " ".join(messages_of(response))
    assert "Perhaps it was deleted" not in shown
    assert f"There is no story #{article.pk} that you may open" in shown


def test_a_new_login_can_be_used_on_the_desk(client):
    """The factory's default staff user with no role sees the refusal, not a crash."""
    client.force_login(UserFactory())

    assert client.get(reverse("my_work")).status_code == 200
