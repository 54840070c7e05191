"""Access control (items 1-5): profile links, shared records on live pages, what lists show,
preview links after publication, restoring revisions of approved stories."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, FactCheckAssignment, PreviewLink
from articles.workflow import Status
from people.models import Person
from photos.models import Photo
from tests.articles.conftest import change_form_data, drive_to
from tests.factories import (
    ArticleFactory,
    PersonFactory,
    PhotoFactory,
    SectionFactory,
    StaffPersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def person_url(person):
    return reverse("admin:people_person_change", args=[person.pk])


def photo_url(photo):
    return reverse("admin:photos_photo_change", args=[photo.pk])


# 1. Linking a staff profile to a login.


@pytest.fixture
def colleagues_draft(other_reporter):
    """Another reporter's draft, bylined to that reporter's staff profile."""
    profile = StaffPersonFactory(user=other_reporter, name="Colleague")
    return ArticleFactory(created_by=other_reporter, byline=profile), profile


def test_a_reporter_cannot_take_over_a_colleagues_profile(client, reporter, colleagues_draft):
    draft, profile = colleagues_draft
    client.force_login(reporter)

    page = client.get(person_url(profile))
    client.post(person_url(profile), change_form_data(page, user=reporter.pk))

    profile.refresh_from_db()
    assert 'name="user"' not in page.text  # shown, not editable
    assert profile.user_id != reporter.pk
    assert not Article.objects.visible_to(reporter).filter(pk=draft.pk).exists()
    assert client.get(reverse("public:preview", args=[draft.pk])).status_code == 404


def test_a_reporter_cannot_move_their_own_link(client, reporter):
    own = StaffPersonFactory(user=reporter, name="Me")
    other = StaffPersonFactory(name="Someone else")
    client.force_login(reporter)

    page = client.get(person_url(own))
    client.post(person_url(own), change_form_data(page, user=""))
    page = client.get(person_url(other))
    client.post(person_url(other), change_form_data(page, user=reporter.pk))

    own.refresh_from_db()
    other.refresh_from_db()
    assert (own.user_id, other.user_id) == (reporter.pk, None)


def test_no_newsroom_role_may_link_profiles_but_an_administrator_can(client):
    for group in Group.objects.all():
        assert not group.permissions.filter(codename="link_staff_account").exists(), group
    admin_user = UserFactory(username="admin", is_superuser=True)
    staff = UserFactory(username="newcomer")
    profile = StaffPersonFactory(name="Newcomer")
    client.force_login(admin_user)

    page = client.get(person_url(profile))
    response = client.post(person_url(profile), change_form_data(page, user=staff.pk))

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.user == staff


# 2. Shared records shown to readers.


@pytest.fixture
def live_story(editor):
    """A published story with a lead photo and a public figure in it."""
    photo = PhotoFactory()
    figure = PersonFactory(name="Mira Castell", description="Harbour master")
    article = ArticleFactory(created_by=editor, lead_photo=photo)
    article.people.add(figure)
    drive_to(article, Status.PUBLISHED, by=editor)
    return article, photo, figure


def test_a_reporter_cannot_change_a_photo_or_person_a_live_story_shows(
    client, reporter, live_story
):
    article, photo, figure = live_story
    client.force_login(reporter)

    photo_page = client.get(photo_url(photo))
    photo_post = client.post(photo_url(photo), {"alt_text": "Something else", "caption": "x"})
    person_page = client.get(person_url(figure))
    person_post = client.post(person_url(figure), change_form_data(person_page, description="Liar"))

    assert photo_page.status_code == person_page.status_code == 200  # read-only
    assert 'name="alt_text"' not in photo_page.text
    assert photo_post.status_code == person_post.status_code == 403
    photo.refresh_from_db()
    figure.refresh_from_db()
    assert (photo.alt_text, figure.description) == ("A brown rectangle", "Harbour master")
    assert "Harbour master" in client.get(article.get_absolute_url()).text


def test_an_editor_changes_a_live_record_and_the_change_is_kept_in_its_history(
    client, editor, live_story
):
    _, _, figure = live_story
    client.force_login(editor)

    page = client.get(person_url(figure))
    response = client.post(person_url(figure), change_form_data(page, description="Port captain"))

    assert response.status_code == 302
    latest, *earlier = figure.history.order_by("-history_date")
    assert (latest.description, latest.history_user) == ("Port captain", editor)
    assert earlier[0].description == "Harbour master"
    history = client.get(reverse("admin:people_person_history", args=[figure.pk]))
    assert history.status_code == 200


def test_a_reporter_edits_their_own_record_until_a_live_story_uses_it(client, reporter, editor):
    client.force_login(reporter)
    add = client.get(reverse("admin:people_person_add"))
    client.post(
        reverse("admin:people_person_add"),
        change_form_data(add, name="Ola Brenning", slug="ola-brenning", kind="public_figure"),
    )
    person = Person.objects.get(slug="ola-brenning")
    page = client.get(person_url(person))

    before = client.post(person_url(person), change_form_data(page, description="Ferry pilot"))
    article = ArticleFactory(created_by=editor)
    article.people.add(person)
    drive_to(article, Status.PUBLISHED, by=editor)
    after = client.post(person_url(person), change_form_data(page, description="Changed live"))

    assert before.status_code == 302
    assert after.status_code == 403
    person.refresh_from_db()
    assert person.description == "Ferry pilot"


def test_a_reporter_cannot_change_what_a_colleague_created(client, reporter):
    photo = PhotoFactory()  # uploaded outside this reporter's session: not theirs
    client.force_login(reporter)

    response = client.post(photo_url(photo), {"alt_text": "Changed", "caption": ""})

    assert response.status_code == 403


def test_photos_and_sections_keep_a_history(editor):
    photo = PhotoFactory()
    section = SectionFactory(name="Weather", slug="weather")
    photo.caption = "Storm over the quay."
    photo.save()
    section.description = "Forecasts and storms."
    section.save()

    assert photo.history.count() == section.history.count() == 2
    assert isinstance(photo.history.first().instance, Photo)


# 3. Lists and pages show only what the user may open.


def test_fact_check_assignments_list_only_stories_the_user_may_open(
    client, reporter, editor, factchecker, colleagues_draft
):
    draft, _ = colleagues_draft
    own = ArticleFactory(created_by=reporter, headline="My own story about the ferry")
    for article in (draft, own):
        FactCheckAssignment.objects.create(article=article, checker=factchecker, assigned_by=editor)
    client.force_login(reporter)

    listing = client.get(reverse("admin:articles_factcheckassignment_changelist"))
    theirs = FactCheckAssignment.objects.get(article=draft)
    page = client.get(reverse("admin:articles_factcheckassignment_change", args=[theirs.pk]))

    assert own.headline in listing.text
    assert draft.headline not in listing.text
    assert page.status_code == 302  # "does not exist", as for any unknown id
    assert draft.headline not in client.get(page.url, follow=True).text


def test_the_history_of_a_story_you_may_not_open_is_a_404_like_a_missing_one(
    client, reporter, colleagues_draft
):
    draft, _ = colleagues_draft
    client.force_login(reporter)

    hidden = client.get(reverse("admin:articles_article_history", args=[draft.pk]))
    missing = client.get(reverse("admin:articles_article_history", args=[draft.pk + 1000]))

    assert hidden.status_code == missing.status_code == 404


# 4. Shareable preview links end with publication.


@pytest.mark.parametrize("then", ["publish", "unpublish"])
def test_a_preview_link_stops_working_once_the_story_is_published_or_taken_down(
    client, editor, then, django_capture_on_commit_callbacks
):
    article = drive_to(ArticleFactory(created_by=editor), Status.APPROVED, by=editor)
    if then == "unpublish":
        article.publish(by=editor)
    link = PreviewLink.create_for(article, by=editor)
    url = link.get_absolute_url()
    assert client.get(url).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        getattr(article, then)(by=editor)

    assert client.get(url).status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert link.revoked_at <= timezone.now()


# 5. Restoring a revision of an approved story.


@pytest.mark.parametrize("state", [Status.APPROVED, Status.SCHEDULED])
def test_restoring_the_words_of_an_approved_story_sends_it_back_to_review(
    client, editor, reporter, state
):
    article = ArticleFactory(created_by=reporter, headline="Ferry fares rise")
    original = article.history.first()
    article.headline = "Ferry fares rise by a tenth"
    article.save_edit(by=reporter)
    drive_to(article, state, by=editor)
    client.force_login(editor)

    response = client.post(
        reverse("admin:articles_article_simple_history", args=[article.pk, original.pk]),
        follow=True,
    )

    article.refresh_from_db()
    assert article.headline == "Ferry fares rise"
    assert article.status == Status.IN_REVIEW
    assert article.events.last().action == "reopen"
    assert "back in review" in response.text
