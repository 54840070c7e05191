"""The story budget: who sees and plans it, what it lists by day and desk, its filters, its
print and CSV forms, and starting a planned story."""

import csv
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Byline
from articles.workflow import Status
from planning.models import Assignment
from tests.articles.conftest import ROLES
from tests.factories import SectionFactory, StaffPersonFactory

pytestmark = pytest.mark.django_db

BUDGET = reverse("admin:planning_budget")
CSV = reverse("admin:planning_budget_csv")
PLAN = reverse("admin:planning_assignment_add")

EDITORS = {"editor", "standards"}


def plan_form(desk, writer, **changes):
    return {
        "working_slug": "council-vote",
        "budget_line": "The council votes on the harbour budget.",
        "section": desk.pk,
        "reporters": [writer.pk],
        "expected_words": "600",
        "due_at_0": timezone.localdate().isoformat(),
        "due_at_1": "16:00:00",
        "run_on": timezone.localdate().isoformat(),
        "priority": "2",
        **changes,
    }


@pytest.mark.parametrize("role", ROLES)
def test_everyone_at_the_desk_reads_the_budget(client, users, plan, role):
    plan(working_slug="bridge-reopens")
    client.force_login(users[role])

    page = client.get(BUDGET)

    assert page.status_code == 200
    assert "bridge-reopens" in page.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_only_editors_plan_a_story(client, users, reporter, role):
    section = SectionFactory(name="News", slug="news")
    client.force_login(users[role])

    response = client.post(PLAN, plan_form(section, reporter))

    if role in EDITORS:
        assert response.status_code == 302
        assignment = Assignment.objects.get()
        assert (assignment.created_by, list(assignment.reporters.all())) == (
            users[role],
            [reporter],
        )
        assert assignment.state == Assignment.PLANNED
    else:
        assert response.status_code == 403
        assert not Assignment.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("working_slug", "not a slug!"),
        ("budget_line", ""),
        ("budget_line", "two\nlines"),
        ("run_on", "someday"),
        ("expected_words", "-5"),
        ("priority", "9"),
        ("section", "999999"),
    ],
)
def test_a_bad_plan_is_refused(client, editor, reporter, field, value):
    section = SectionFactory(name="News", slug="news")
    client.force_login(editor)

    response = client.post(PLAN, plan_form(section, reporter, **{field: value}))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field]
    assert not Assignment.objects.exists()


def test_only_writers_can_be_assigned(client, editor, factchecker):
    section = SectionFactory(name="News", slug="news")
    client.force_login(editor)

    response = client.post(PLAN, plan_form(section, factchecker))

    assert "reporters" in response.context["adminform"].form.errors


def test_the_budget_lists_planned_and_in_progress_stories_by_day_and_desk(
    client, editor, plan, article_in
):
    sport = SectionFactory(name="Sport", slug="sport", position=5)
    plan(0, working_slug="bridge-reopens")
    plan(0, working_slug="cup-final", section=sport)
    plan(1, working_slug="tomorrows-story")
    in_review = plan(0, working_slug="in-review-story")
    Assignment.objects.filter(pk=in_review.pk).update(article=article_in(Status.IN_REVIEW))
    out = plan(0, working_slug="already-out")
    Assignment.objects.filter(pk=out.pk).update(article=article_in(Status.PUBLISHED))
    plan(8, working_slug="next-week")
    client.force_login(editor)

    page = client.get(BUDGET).content.decode()

    today, tomorrow = page.index(timezone.localdate().strftime("%A")), page.index("tomorrows-story")
    assert today < page.index("bridge-reopens") < page.index("cup-final") < tomorrow
    assert page.index("<caption>News</caption>") < page.index("<caption>Sport</caption>")
    assert "In review" in page and "in-review-story" in page
    assert "already-out" not in page
    assert "next-week" not in page
    assert page.count("Start writing") == 3


def test_the_budget_filters_by_desk_reporter_and_state(
    client, editor, reporter, other_reporter, plan, article_in
):
    sport = SectionFactory(name="Sport", slug="sport")
    plan(working_slug="mine-planned")
    plan(working_slug="theirs-planned", reporters=[other_reporter])
    plan(working_slug="sport-planned", section=sport, reporters=[other_reporter])
    drafted = plan(working_slug="mine-drafted")
    Assignment.objects.filter(pk=drafted.pk).update(article=article_in(Status.DRAFT))
    client.force_login(editor)

    def shown(**query):
        page = client.get(BUDGET, query).content.decode()
        slugs = ("mine-planned", "theirs-planned", "sport-planned", "mine-drafted")
        return {slug for slug in slugs if slug in page}

    assert shown(section=sport.pk) == {"sport-planned"}
    assert shown(reporter=reporter.pk) == {"mine-planned", "mine-drafted"}
    assert shown(state="planned") == {"mine-planned", "theirs-planned", "sport-planned"}
    assert shown(state="draft") == {"mine-drafted"}
    assert shown(reporter=reporter.pk, state="planned") == {"mine-planned"}
    assert shown(start=(timezone.localdate() + timedelta(days=1)).isoformat()) == set()


@pytest.mark.parametrize(
    "query",
    [
        {"start": "not-a-date"},
        {"days": "0"},
        {"days": "99"},
        {"days": "x"},
        {"section": "abc"},
        {"reporter": "999999"},
        {"state": "nonsense"},
    ],
)
def test_bad_filters_show_an_error_and_no_stories(client, editor, plan, query):
    plan(working_slug="bridge-reopens")
    client.force_login(editor)

    page = client.get(BUDGET, query)

    assert page.status_code == 200
    assert "Check the filters" in page.content.decode()
    assert "bridge-reopens" not in page.content.decode()


def test_the_budget_marks_embargoed_stories(client, editor, plan, article_in):
    assignment = plan()
    article = article_in(Status.DRAFT)
    Article.objects.filter(pk=article.pk).update(embargo_until=timezone.now() + timedelta(days=1))
    Assignment.objects.filter(pk=assignment.pk).update(article=article)
    client.force_login(editor)

    assert "Embargoed until" in client.get(BUDGET).content.decode()


def test_the_budget_prints_without_the_desks_controls(client, editor, plan):
    plan()
    client.force_login(editor)

    page = client.get(BUDGET).content.decode()
    css = (settings.BASE_DIR / "static/admin/css/planning.css").read_text()

    assert "admin/css/planning.css" in page
    print_rules = css[css.index("@media print") :]
    for hidden in (".budget-filters", ".budget-tools", ".no-print", "#header"):
        assert hidden in print_rules


def test_the_budget_queries_do_not_grow_with_stories(
    client, editor, plan, other_reporter, django_assert_max_num_queries
):
    for n in range(8):
        plan(n % 3, working_slug=f"story-{n}", reporters=[other_reporter, editor])
    client.force_login(editor)

    with django_assert_max_num_queries(14):
        page = client.get(BUDGET)

    assert page.content.decode().count("story-") >= 8


def test_the_csv_has_the_filtered_budget_and_no_formulas(client, editor, reporter, plan):
    plan(working_slug="bridge-reopens", budget_line='=HYPERLINK("http://evil")')
    plan(working_slug="other-desk", section=SectionFactory(name="Sport", slug="sport"))
    client.force_login(editor)

    response = client.get(CSV, {"section": Assignment.objects.first().section_id})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(StringIO(response.content.decode())))
    assert rows[0][:5] == ["Day", "Desk", "Priority", "Slug", "Budget line"]
    assert len(rows) == 2
    assert rows[1][3] == "bridge-reopens"
    assert rows[1][4] == '\'=HYPERLINK("http://evil")'
    assert rows[1][5] == str(reporter)
    assert rows[1][9] == "Planned"


def test_a_reporter_may_download_the_csv(client, reporter, plan):
    plan()
    client.force_login(reporter)

    assert client.get(CSV).status_code == 200


# Starting a planned story.


def start_url(assignment):
    return reverse("admin:planning_assignment_start", args=[assignment.pk])


def test_its_reporter_starts_the_story_and_owns_the_draft(client, reporter, plan):
    person = StaffPersonFactory(user=reporter)
    assignment = plan()
    client.force_login(reporter)

    response = client.post(start_url(assignment))

    assignment.refresh_from_db()
    article = assignment.article
    assert response.url == reverse("admin:articles_article_change", args=[article.pk])
    assert (article.status, article.created_by, article.section) == (
        Status.DRAFT,
        reporter,
        assignment.section,
    )
    assert list(article.bylines.values_list("person", "role")) == [(person.pk, Byline.Role.AUTHOR)]
    assert article.can_be_edited_by(reporter)


def test_an_editor_starts_it_for_the_reporter_with_the_photographer(
    editor, reporter, other_reporter, plan
):
    StaffPersonFactory(user=reporter)
    StaffPersonFactory(user=other_reporter)
    assignment = plan(photographer=other_reporter)

    article = assignment.start(by=editor)

    assert article.created_by == reporter
    assert sorted(article.bylines.values_list("role", flat=True)) == [
        Byline.Role.AUTHOR,
        Byline.Role.PHOTOGRAPHY,
    ]


@pytest.mark.parametrize("who", ["other_reporter", "factchecker"])
def test_others_may_not_start_it(client, users, plan, who):
    assignment = plan()
    client.force_login(users[who])

    client.post(start_url(assignment))

    assignment.refresh_from_db()
    assert assignment.article is None
    assert not Article.objects.exists()


def test_a_story_is_started_once(client, reporter, editor, plan):
    assignment = plan()
    assignment.start(by=reporter)
    client.force_login(editor)

    response = client.post(start_url(assignment), follow=True)

    assert "already started" in response.content.decode()
    assert Article.objects.count() == 1


def test_a_story_without_a_reporter_cannot_start(editor, plan):
    assignment = plan(reporters=[])

    with pytest.raises(Exception, match="Assign a reporter first"):
        assignment.start(by=editor)


def test_starting_needs_a_post(client, reporter, plan):
    client.force_login(reporter)

    assert client.get(start_url(plan())).status_code == 405


@pytest.mark.parametrize("role", ROLES)
def test_only_editors_change_or_delete_a_plan(client, users, plan, role):
    assignment = plan(working_slug="bridge-reopens")
    client.force_login(users[role])
    change = reverse("admin:planning_assignment_change", args=[assignment.pk])
    delete = reverse("admin:planning_assignment_delete", args=[assignment.pk])
    form = plan_form(assignment.section, users["owner"], working_slug="bridge-reopens-early")

    changed = client.post(change, form)
    assignment.refresh_from_db()
    changed_slug = assignment.working_slug
    deleted = client.post(delete, {"post": "yes"})

    if role in EDITORS:
        assert changed.status_code == 302
        assert changed_slug == "bridge-reopens-early"
        assert deleted.status_code == 302
        assert not Assignment.objects.exists()
    else:
        assert changed.status_code == 403
        assert changed_slug == "bridge-reopens"
        assert deleted.status_code == 403
        assert Assignment.objects.exists()


def test_a_started_story_cannot_be_deleted_from_the_budget(client, editor, reporter, plan):
    assignment = plan()
    assignment.start(by=reporter)
    client.force_login(editor)

    response = client.post(
        reverse("admin:planning_assignment_delete", args=[assignment.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Assignment.objects.filter(pk=assignment.pk, article__isnull=False).exists()


def test_my_work_lists_my_planned_stories(client, reporter, other_reporter, plan):
    plan(1, working_slug="mine-to-write")
    plan(1, working_slug="someone-elses", reporters=[other_reporter])
    client.force_login(reporter)

    page = client.get(reverse("my_work")).content.decode()

    assert "mine-to-write" in page
    assert "someone-elses" not in page


@pytest.mark.parametrize("role", ROLES)
def test_everyone_at_the_desk_may_open_a_plan(client, users, plan, role):
    assignment = plan(working_slug="bridge-reopens")
    client.force_login(users[role])

    page = client.get(reverse("admin:planning_assignment_change", args=[assignment.pk]))

    assert page.status_code == 200
    assert "bridge-reopens" in page.content.decode()


def test_stories_in_progress_without_a_plan_are_listed_under_the_budget(
    client, editor, reporter, other_reporter, article_in
):
    in_review = article_in(Status.IN_REVIEW, headline="Ferry fares rise")
    theirs = article_in(Status.DRAFT, headline="Theirs to write", created_by=other_reporter)
    published = article_in(Status.PUBLISHED, headline="Already out there")
    client.force_login(editor)

    everything = client.get(BUDGET).content.decode()
    mine = client.get(BUDGET, {"reporter": reporter.pk}).content.decode()
    planned_only = client.get(BUDGET, {"state": "planned"}).content.decode()

    assert "In progress, not on the budget" in everything
    assert in_review.headline in everything and theirs.headline in everything
    assert published.headline not in everything
    assert in_review.headline in mine
    assert "In progress, not on the budget" not in planned_only


def put_url(article):
    return reverse("admin:planning_put_on_budget", args=[article.pk])


@pytest.mark.parametrize("role", ROLES)
def test_only_editors_put_a_story_in_progress_on_the_budget(
    client, users, reporter, editor, article_in, role
):
    article = article_in(Status.SCHEDULED)
    client.force_login(users[role])

    response = client.post(put_url(article))

    if role in EDITORS:
        assignment = Assignment.objects.get()
        assert response.url == reverse("admin:planning_assignment_change", args=[assignment.pk])
        assert (assignment.article, assignment.working_slug, assignment.section) == (
            article,
            article.slug,
            article.section,
        )
        assert assignment.run_on == timezone.localdate(article.publish_at)
        assert list(assignment.reporters.all()) == [reporter]
        assert "Harbour bridge" in client.get(BUDGET).content.decode()
    else:
        assert not Assignment.objects.exists()


def test_a_story_goes_on_the_budget_once(client, editor, article_in):
    article = article_in(Status.DRAFT)
    client.force_login(editor)

    client.post(put_url(article))
    again = client.post(put_url(article), follow=True)

    assert "on the budget already" in again.content.decode()
    assert Assignment.objects.count() == 1


def test_a_story_without_a_section_cannot_go_on_the_budget(client, editor, article_in):
    article = article_in(Status.DRAFT, section=None)
    client.force_login(editor)

    response = client.post(put_url(article), follow=True)

    assert "section first" in response.content.decode()
    assert not Assignment.objects.exists()
