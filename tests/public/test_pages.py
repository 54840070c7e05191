"""The reader's pages: home, section, topic, author, person, archives, corrections, masthead and
the policy pages, each with what it must show and what it must never show."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from articles.models import Article, Byline, Correction
from articles.workflow import Status
from people.models import Person
from public.views import HomeView
from tests.articles.conftest import drive_to
from tests.factories import PersonFactory, SectionFactory, StaffPersonFactory

from .conftest import local_time, text

pytestmark = pytest.mark.django_db


def test_home_has_a_lead_story_the_latest_and_a_rail_per_section(
    client, publish, sport, monkeypatch
):
    monkeypatch.setattr(HomeView, "paginate_by", 2)
    oldest_sport = publish(headline="Marathon route set", section=sport)
    old_news = publish(headline="Council meets")
    older = publish(headline="Ferry timetable changes", section=sport)
    newest = publish(headline="Harbour bridge reopens")

    response = client.get(reverse("public:home"))
    page = text(response)

    lead = page.index('class="lead-story"')
    assert lead < page.index(newest.headline) < page.index('id="latest-heading"')
    assert page.index('id="latest-heading"') < page.index(older.headline)
    rails = {rail.slug: rail for rail in response.context["rails"]}
    assert list(rails) == ["news", "sport"]
    assert rails["news"].name == old_news.section.name
    assert [story.pk for story in rails["news"].stories] == [old_news.pk]  # the lead not again
    assert [story.pk for story in rails["sport"].stories] == [oldest_sport.pk]
    assert f'href="{reverse("public:section", args=["sport"])}"' in page
    assert client.get(reverse("public:home") + "?page=2").context["rails"] == []


def test_every_page_has_section_navigation_and_the_policy_pages(client, publish, policy_pages):
    SectionFactory(name="Entertainment", slug="entertainment", position=3)
    article = publish()

    for url in [reverse("public:home"), article.get_absolute_url(), reverse("public:masthead")]:
        page = text(client.get(url))
        assert '<nav class="section-nav" aria-label="Sections">' in page
        assert f'href="{reverse("public:section", args=["entertainment"])}"' in page
        for policy in policy_pages.values():
            assert f'href="{policy.get_absolute_url()}"' in page
        assert 'class="skip-link" href="#main"' in page


def test_a_section_lists_its_published_stories_only(client, publish, draft, sport):
    mine = publish(headline="Marathon route set", section=sport)
    publish(headline="Council meets")
    draft(Status.SCHEDULED, headline="Marathon winner", section=sport)

    response = client.get(reverse("public:section", args=["sport"]))

    assert list(response.context["articles"]) == [mine]
    page = text(response)
    assert "<h1>Sport</h1>" in page
    assert 'aria-current="page"' in page


def test_an_empty_section_has_a_page_and_an_unknown_one_is_404(client, sport):
    assert "No stories here yet." in text(client.get(reverse("public:section", args=["sport"])))
    assert client.get("/entertainment/").status_code == 404


def test_a_topic_lists_its_stories_and_needs_a_published_one(client, publish, draft):
    tagged = publish(headline="Library reopens")
    tagged.tags.add("Libraries")
    publish(headline="Unrelated")
    draft(headline="Planned").tags.add("Secret plans")

    response = client.get(reverse("public:tag", args=["libraries"]))

    assert list(response.context["articles"]) == [tagged]
    assert "<h1>Libraries</h1>" in text(response)
    assert client.get(reverse("public:tag", args=["secret-plans"])).status_code == 404


def test_the_author_page_has_every_story_with_them_in_any_byline(client, publish, author):
    colleague = StaffPersonFactory(slug="colleague")
    first = publish(headline="Lead author story")
    second = publish(headline="Second author story", byline=colleague)
    Byline.objects.create(article=second, person=author, position=1)
    photos = publish(headline="Photographed story", byline=colleague)
    Byline.objects.create(article=photos, person=author, role=Byline.Role.PHOTOGRAPHY)
    Byline.objects.create(
        article=photos, person=author, role=Byline.Role.ADDITIONAL_REPORTING, position=2
    )
    publish(headline="Not theirs", byline=colleague)

    response = client.get(reverse("public:author", args=[author.slug]))

    assert list(response.context["articles"]) == [photos, second, first]
    page = text(response)
    assert "<h1>Rita Reporter</h1>" in page
    assert "Covers the harbour." in page
    assert "Staff writer" in page


def test_topic_author_and_person_pages_go_newest_first_by_the_time_their_links_copy(
    client, publish, draft, editor, author
):
    mayor = PersonFactory(name="Ruth Abernathy")
    oldest = publish(headline="Oldest story")
    mayor.articles.add(oldest)  # after publication, from the person's side
    older = publish(headline="Older story")
    older.tags.add("Harbour")  # after publication: the link copies the time when saved
    older.people.add(mayor)
    story = draft(headline="Written before publication")
    story.tags.add("Harbour")
    story.people.add(mayor)
    assert [link.first_published_at for link in story.tagged_items.all()] == [None]
    assert [link.first_published_at for link in story.person_links.all()] == [None]

    drive_to(story, Status.PUBLISHED, by=editor)

    story.refresh_from_db()
    assert story.first_published_at > older.first_published_at > oldest.first_published_at
    for article, links in [
        (story, story.tagged_items.all()),
        (story, story.bylines.all()),
        (story, story.person_links.all()),
        (older, older.tagged_items.all()),
        (older, older.person_links.all()),
        (oldest, oldest.person_links.all()),
    ]:
        assert {link.first_published_at for link in links} == {article.first_published_at}
    topic = client.get(reverse("public:tag", args=["harbour"]))
    assert list(topic.context["articles"]) == [story, older]
    by_author = client.get(reverse("public:author", args=[author.slug]))
    assert list(by_author.context["articles"]) == [story, older, oldest]
    about = client.get(reverse("public:person", args=[mayor.slug]))
    assert list(about.context["articles"]) == [story, older, oldest]


@pytest.mark.parametrize(
    ("kind", "is_minor"),
    [
        (Person.Kind.PUBLIC_FIGURE, False),
        (Person.Kind.PRIVATE_INDIVIDUAL, False),
        (Person.Kind.PUBLIC_FIGURE, True),
    ],
)
def test_only_staff_have_an_author_page(client, kind, is_minor):
    person = PersonFactory(kind=kind, is_minor=is_minor)

    assert client.get(reverse("public:author", args=[person.slug])).status_code == 404


@pytest.mark.parametrize(
    ("kind", "is_minor", "status"),
    [
        (Person.Kind.PUBLIC_FIGURE, False, 200),
        (Person.Kind.STAFF, False, 200),
        (Person.Kind.PRIVATE_INDIVIDUAL, False, 404),
        (Person.Kind.PUBLIC_FIGURE, True, 404),
        (Person.Kind.PRIVATE_INDIVIDUAL, True, 404),
    ],
)
def test_person_pages_are_for_public_figures_and_staff_only(
    client, publish, kind, is_minor, status
):
    person = PersonFactory(kind=kind, is_minor=is_minor, name="Ruth Abernathy")
    publish(headline="Council story").people.add(person)

    response = client.get(reverse("public:person", args=[person.slug]))

    assert response.status_code == status
    if status == 200:
        assert "Council story" in text(response)


def _published_at(article, when):
    Article.objects.filter(pk=article.pk).update(first_published_at=when)


def test_archives_group_stories_by_the_newsroom_s_calendar(client, publish):
    # 23:30 in New York on March 8 is already March 9 in UTC.
    late = publish(headline="Late night vote")
    _published_at(late, local_time(2024, 3, 8, 23, 30))
    other = publish(headline="Spring fair")
    _published_at(other, local_time(2024, 4, 2, 9))
    publish(headline="This year")

    day = client.get(reverse("public:archive_day", args=[2024, 3, 8]))
    next_day = client.get(reverse("public:archive_day", args=[2024, 3, 9]))
    month = client.get(reverse("public:archive_month", args=[2024, 3]))
    year = client.get(reverse("public:archive_year", args=[2024]))

    assert list(day.context["articles"]) == [late]
    assert "<h1>March 8, 2024</h1>" in text(day)
    assert list(next_day.context["articles"]) == []
    assert list(month.context["articles"]) == [late]
    assert list(year.context["articles"]) == [other, late]
    assert [m.month for m in year.context["months"]] == [3, 4]
    assert reverse("public:archive_month", args=[2024, 4]) in text(year)


@pytest.mark.parametrize(
    "url", ["/archive/2024/13/", "/archive/2024/0/", "/archive/2023/2/29/", "/archive/0/"]
)
def test_impossible_dates_are_404(client, url):
    assert client.get(url).status_code == 404


def test_december_ends_the_year(client, publish):
    article = publish()
    _published_at(article, local_time(2024, 12, 31, 22))

    december = client.get(reverse("public:archive_month", args=[2024, 12]))

    assert list(december.context["articles"]) == [article]


def test_the_corrections_log_lists_every_correction_newest_first(
    client, publish, editor, policy_pages
):
    first = publish(headline="Bridge story")
    first.correct(by=editor, kind=Correction.Kind.CORRECTION, text="The bridge opened in 1931.")
    second = publish(headline="Fair story")
    second.correct(by=editor, kind=Correction.Kind.CLARIFICATION, text="The fair is free.")
    first.correct(by=editor, kind=Correction.Kind.RETRACTION, text="We retract this story.")
    gone = publish(headline="Taken down story")
    gone.correct(by=editor, kind=Correction.Kind.CORRECTION, text="Hidden correction text.")
    gone.unpublish(by=editor)

    response = client.get(reverse("public:corrections"))

    assert [c.text for c in response.context["corrections"]] == [
        "We retract this story.",
        "The fair is free.",
        "The bridge opened in 1931.",
    ]
    page = text(response)
    assert f'href="{policy_pages["correctionsPolicy"].get_absolute_url()}"' in page
    assert "Hidden correction text." not in page
    assert f'href="{first.get_absolute_url()}#corrections"' in page
    assert 'id="corrections"' in text(client.get(first.get_absolute_url()))


def test_the_masthead_lists_staff_with_their_roles(client, author):
    PersonFactory(name="Public Figure Person")
    StaffPersonFactory(name="Ed Itor", description="Managing editor")

    page = text(client.get(reverse("public:masthead")))

    assert "Ed Itor" in page
    assert "Managing editor" in page
    assert f'href="{reverse("public:author", args=[author.slug])}"' in page
    assert "Public Figure Person" not in page


def test_policy_pages_show_what_editors_wrote(client, policy_pages):
    policy = policy_pages["correctionsPolicy"]
    policy.body = "<p>We fix mistakes within a day.</p>"
    policy.save()

    page = text(client.get(policy.get_absolute_url()))

    assert f"<h1>{escape(policy.title)}</h1>" in page
    assert "<p>We fix mistakes within a day.</p>" in page
    assert client.get(reverse("public:policy", args=["no-such-policy"])).status_code == 404


def test_policy_bodies_are_sanitised(policy_pages):
    policy = policy_pages["ethicsPolicy"]
    policy.body = '<p onclick="steal()">Fine</p><script>steal()</script>'
    policy.full_clean()
    policy.save()
    policy.refresh_from_db()

    assert "script" not in policy.body
    assert "onclick" not in policy.body


def test_editors_may_edit_policy_pages_and_reporters_may_not(client, editor, reporter):
    assert editor.has_perm("public.change_page")
    assert not reporter.has_perm("public.change_page")
    assert reporter.has_perm("public.view_page")

    client.force_login(editor)
    assert client.get(reverse("admin:public_page_add")).status_code == 200


def test_error_pages_are_in_the_site_design(client, publish, editor):
    article = publish()
    address = article.get_absolute_url()
    article.unpublish(by=editor)

    missing = client.get("/no-such-page/")
    gone = client.get(address)

    assert missing.status_code == 404
    assert gone.status_code == 410
    for response in (missing, gone):
        page = response.content.decode()
        assert '<header class="site-header">' in page
        assert "css/site.css" in page
        assert article.headline not in page


def test_the_500_page_is_in_the_site_design_and_needs_no_database(rf, django_assert_num_queries):
    from newsroom import urls
    from public.views import server_error

    with django_assert_num_queries(0):
        response = server_error(rf.get("/"))

    page = response.content.decode()
    assert response.status_code == 500
    assert urls.handler500 == "public.views.server_error"
    assert "Something went wrong" in page
    assert '<header class="site-header">' in page
    assert "css/site.css" in page
