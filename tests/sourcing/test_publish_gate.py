"""The sourcing checks of the publish gate: the seed story waits for its anonymous quotes to be
verified and its source's anonymity approved; unattributed, disputed and discredited-source
quotes block with their reasons; the admin shows each reason with a link to fix it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from articles.models import Article, Byline
from articles.publish_gate import publish_problems
from articles.storyfile import read_story
from articles.workflow import PublishBlocked, Status
from sourcing import services
from sourcing.models import Quote
from tests.factories import (
    AnonymousSourceFactory,
    OutletFactory,
    PersonFactory,
    SectionFactory,
    SourceFactory,
)

from .conftest import attribute, import_seed, publish, said

pytestmark = pytest.mark.django_db


def quote_link(quote):
    return reverse("admin:sourcing_quote_change", args=[quote.pk])


def source_link(source):
    return reverse("admin:sourcing_source_change", args=[source.pk])


def reasons(article):
    return {(problem.message, problem.fix_url) for problem in publish_problems(article)}


def publish_refusal(article, *, by):
    """The problems named when `by` tries to publish `article` (which must be refused)."""
    with pytest.raises(PublishBlocked) as refusal:
        article.publish(by=by)
    article.refresh_from_db()
    assert article.status == Status.APPROVED
    return {(problem.message, problem.fix_url) for problem in refusal.value.problems}


@pytest.fixture
def seed_story(seed_path, reporter, reporter_person):
    """The seed story as imported, then given a slug and a byline and its quotes attributed as
    printed: the first two to an anonymous friend via one outlet, the last to a named public
    figure via another."""
    article = import_seed(seed_path, by=reporter, section=SectionFactory(name="Culture"))
    article.slug = "seed-story"
    article.save_edit(by=reporter)
    Byline.objects.create(article=article, person=reporter_person)
    story_date = read_story(seed_path).date
    friend = AnonymousSourceFactory(
        public_description="a friend of the couple", created_by=reporter
    )
    named = SourceFactory(name="", person=PersonFactory(), public_description="")
    via_people, via_vanity_fair = OutletFactory(name="PEOPLE"), OutletFactory(name="Vanity Fair")
    first, second, third = article.quotes.all()
    for quote, source, outlet in [
        (first, friend, via_people),
        (second, friend, via_people),
        (third, named, via_vanity_fair),
    ]:
        attribute(
            quote,
            source,
            how_obtained=Quote.HowObtained.OTHER_OUTLET,
            outlet=outlet,
            outlet_url=f"{outlet.url}/story",
            outlet_date=story_date,
        )
    return article


@pytest.mark.parametrize("approve_first", [True, False], ids=["approve-first", "verify-first"])
def test_the_seed_story_waits_for_its_anonymous_quotes_and_their_approval(
    seed_story, reporter, editor, factchecker, standards, approve_first
):
    first, second, third = seed_story.quotes.all()
    friend = first.source
    seed_story.submit(by=reporter)
    seed_story.send_to_factcheck(by=editor)
    seed_story.approve(by=factchecker)
    must_verify = "The quote {} is from an anonymous source and must be verified."
    must_approve = (
        f"A standards editor must approve anonymity for “{friend}”.",
        source_link(friend),
    )
    assert publish_refusal(seed_story, by=editor) == {
        (must_verify.format(first), quote_link(first)),
        (must_verify.format(second), quote_link(second)),
        must_approve,
    }

    steps = [
        lambda: services.approve_anonymity(source=friend, by=standards),
        lambda: services.check_quote(
            quote=first, by=factchecker, status="verified", note="Matches the notes."
        ),
        lambda: services.check_quote(
            quote=second, by=factchecker, status="verified", note="Matches the notes."
        ),
    ]
    if not approve_first:
        steps.append(steps.pop(0))
    for step in steps[:-1]:
        step()
        assert publish_refusal(seed_story, by=editor)
    steps[-1]()

    seed_story.publish(by=editor)

    seed_story.refresh_from_db()
    assert seed_story.status == Status.PUBLISHED
    assert seed_story.is_published()
    # The named public figure's quote never needed a verdict to publish.
    third.refresh_from_db()
    assert third.status == Quote.Status.UNVERIFIED


def _unattributed(quote, **users):
    return (f"Attribute the quote {quote} to a source.", quote_link(quote))


def _disputed(quote, *, factchecker, **users):
    attribute(quote, SourceFactory())
    services.check_quote(quote=quote, by=factchecker, status="disputed", note="Not on the tape.")
    return (f"The quote {quote} is disputed: resolve it or take it out.", quote_link(quote))


def _discredited(quote, *, standards, **users):
    source = attribute(quote, SourceFactory()).source
    services.discredit_source(source=source, by=standards, reason="Invented a meeting.")
    return (f"The quote {quote} comes from a discredited source ({source}).", quote_link(quote))


def _anonymous_unverified(quote, *, standards, **users):
    source = attribute(quote, AnonymousSourceFactory()).source
    services.approve_anonymity(source=source, by=standards)
    return (
        f"The quote {quote} is from an anonymous source and must be verified.",
        quote_link(quote),
    )


def _anonymity_unapproved(quote, *, factchecker, **users):
    source = attribute(quote, AnonymousSourceFactory()).source
    services.check_quote(quote=quote, by=factchecker, status="verified", note="Matches the notes.")
    return (f"A standards editor must approve anonymity for “{source}”.", source_link(source))


@pytest.mark.parametrize(
    "spoil",
    [_unattributed, _disputed, _discredited, _anonymous_unverified, _anonymity_unapproved],
    ids=lambda spoil: spoil.__name__.strip("_"),
)
def test_each_sourcing_problem_blocks_publishing_with_its_reason_and_link(
    story, editor, factchecker, standards, spoil
):
    article = story(said("bridge"))
    expected = spoil(article.quotes.get(), factchecker=factchecker, standards=standards)
    article.submit(by=editor)
    article.approve(by=editor)

    assert publish_refusal(article, by=editor) == {expected}
    with pytest.raises(PublishBlocked):
        article.schedule(by=editor, publish_at=timezone.now() + timedelta(hours=1))


@pytest.mark.parametrize("verdict", [None, "unverifiable"])
def test_a_named_sources_quote_publishes_without_a_verification(
    story, editor, factchecker, verdict
):
    article = story(said("bridge"))
    quote = attribute(article.quotes.get(), SourceFactory())
    if verdict:
        services.check_quote(quote=quote, by=factchecker, status=verdict, note="No recording.")

    publish(article, by=editor)

    assert article.is_published()


def test_a_quote_disputed_after_scheduling_stops_the_scheduled_publication(
    story, editor, factchecker
):
    article = story(said("bridge"))
    quote = attribute(article.quotes.get(), SourceFactory())
    article.submit(by=editor)
    article.approve(by=editor)
    article.schedule(by=editor, publish_at=timezone.now() + timedelta(hours=1))
    services.check_quote(quote=quote, by=factchecker, status="disputed", note="Denied saying it.")
    Article.objects.filter(pk=article.pk).update(publish_at=timezone.now() - timedelta(minutes=1))

    event = Article.publish_if_due(article.pk)

    article.refresh_from_db()
    assert article.status == Status.APPROVED
    assert event.action == "schedule_failed"
    assert "is disputed" in event.comment


def test_the_article_admin_shows_each_failing_reason_with_a_link_to_fix_it(
    client, editor, seed_story
):
    expected = reasons(seed_story)
    assert len(expected) == 3
    client.force_login(editor)

    response = client.get(reverse("admin:articles_article_change", args=[seed_story.pk]))

    content = response.content.decode()
    for message, fix_url in expected:
        assert f'{escape(message)} <a href="{fix_url}">Fix this</a>' in content
    assert "Every publish check passes" not in content


def test_the_admin_names_every_reason_when_publishing_is_refused(client, editor, seed_story):
    seed_story.submit(by=editor)
    seed_story.approve(by=editor)
    client.force_login(editor)

    response = client.post(
        reverse("admin:articles_article_workflow", args=[seed_story.pk]),
        {"workflow-transition": "publish"},
        follow=True,
    )

    messages = " ".join(str(message) for message in response.context["messages"])
    for message, _ in reasons(seed_story):
        assert message in messages
    seed_story.refresh_from_db()
    assert seed_story.status == Status.APPROVED


def test_an_article_whose_sourcing_is_in_order_passes_the_gate(
    story, standards, factchecker, client, editor
):
    article = story(said("bridge"), said("ferry"))
    anonymous = AnonymousSourceFactory()
    services.approve_anonymity(source=anonymous, by=standards)
    named_quote, anonymous_quote = article.quotes.all()
    attribute(named_quote, SourceFactory())
    attribute(anonymous_quote, anonymous)
    services.check_quote(
        quote=anonymous_quote, by=factchecker, status="verified", note="Matches the notes."
    )
    client.force_login(editor)

    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))

    assert reasons(article) == set()
    assert "Every publish check passes" in response.content.decode()
