"""The desk's searches use the index: the admin's article list (any state, what the user may
open) and the fact-check desk's story filter."""

import pytest
from django.urls import reverse

from articles.workflow import Status
from sourcing.models import Quote
from tests.factories import StaffPersonFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


def listed(client, user, term):
    client.force_login(user)
    response = client.get(CHANGELIST, {"q": term})
    assert response.status_code == 200
    return {article.headline for article in response.context["cl"].result_list}


def test_the_article_list_finds_body_words_stems_and_names_in_any_state(client, editor, make_story):
    make_story(status=Status.DRAFT, headline="Draft on tides", body="<p>Spring tides rose.</p>")
    make_story(status=Status.FACT_CHECK, headline="Checking", body="<p>The tide turned.</p>")
    make_story(headline="Live", body="<p>Tidal power plan.</p>")
    assert listed(client, editor, "tides") == {"Draft on tides", "Checking"}
    assert listed(client, editor, '"spring tides"') == {"Draft on tides"}
    assert listed(client, editor, "tide -spring") == {"Checking"}


def test_the_article_list_shows_a_reporter_only_what_they_may_open(
    client, reporter, other_reporter, make_story
):
    theirs = StaffPersonFactory(user=other_reporter)
    make_story(status=Status.DRAFT, headline="Mine about kelp", created_by=reporter)
    make_story(
        status=Status.DRAFT, headline="Theirs about kelp", created_by=other_reporter, byline=theirs
    )
    make_story(headline="Published about kelp", created_by=other_reporter, byline=theirs)
    assert listed(client, reporter, "kelp") == {"Mine about kelp", "Published about kelp"}


def test_the_article_list_finds_a_story_by_its_number(client, editor, make_story):
    story = make_story(status=Status.DRAFT, headline="Numbered")
    assert listed(client, editor, str(story.pk)) == {"Numbered"}
    assert listed(client, editor, "99999999999999999999") == set()


@pytest.mark.parametrize("term", ["' OR 1=1--", "%", "_", "\\", '"', "NEAR(", "*", "^", "a:"])
def test_hostile_terms_in_the_article_list_answer_200(client, editor, make_story, term):
    make_story(status=Status.DRAFT, headline="Anything")
    assert listed(client, editor, term) == set()


def test_the_article_list_search_costs_a_fixed_number_of_queries(
    client, editor, make_story, django_assert_max_num_queries
):
    for n in range(5):
        make_story(status=Status.DRAFT, headline=f"Estuary {n}")
    client.force_login(editor)
    with django_assert_max_num_queries(20):
        response = client.get(CHANGELIST, {"q": "estuary"})
    assert len(response.context["cl"].result_list) == 5


def test_the_fact_check_desk_filters_by_story_text(client, factchecker, make_story):
    quoted = "<p>“We will rebuild the pier by summer,” said the harbour master.</p>"
    pier = make_story(status=Status.DRAFT, headline="Pier repairs", body=quoted)
    make_story(
        status=Status.DRAFT,
        headline="School fete",
        body="<p>“It was the best fete in years,” said the head teacher.</p>",
    )
    client.force_login(factchecker)

    response = client.get(reverse("admin:sourcing_desk"), {"story": "pier", "status": "all"})

    assert response.status_code == 200
    shown = [quote for quote, _ in response.context["first_hand"]]
    assert shown == list(Quote.objects.filter(article=pier))
    assert len(shown) == 1
