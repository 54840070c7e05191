"""The confidentiality boundary, proved with canaries.

Every `Source.CONFIDENTIAL_FIELDS` value of every source is a unique canary string. Then every
public page and every admin page (found from `admin.site._registry`, so a newly registered
model is crawled without anyone remembering to add it) is fetched as users who may not see
identities: no canary may appear in any body, header or log line. With the permission, the
identity shows where it is expected, and every such view is logged for the standards editor.
"""

import itertools
import logging
import secrets

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.urls.resolvers import RegexPattern

from articles.models import Article, PreviewLink
from people.models import Person
from sourcing import services
from sourcing.confidential import can_see_identity, log_identity_views
from sourcing.models import ConfidentialAccess, Quote, QuoteCheck, Source
from tests.crawl import PARAMETER, fill, leaks, listing_fillings, public_urls
from tests.factories import (
    AnonymousSourceFactory,
    OutletFactory,
    PersonFactory,
    SourceFactory,
)

from .conftest import ROLES, attribute, change_form_data, publish, said

pytestmark = pytest.mark.django_db

#: Custom admin URLs whose object is not the admin's own model.
URL_OBJECTS = {"sourcing_quotecheck_evidence": QuoteCheck}
#: Regex admin routes (simple-history's), written as routes with named parameters.
REGEX_ROUTES = {r"^([^/]+)/history/([^/]+)/$": "<object_id>/history/<version_id>/"}


def canaries(n):
    """A unique canary for each confidential field of the n-th source, keyed by field."""
    return {
        name: f"cnry{secrets.token_hex(6)} {name} of source {n}"
        for name in Source.CONFIDENTIAL_FIELDS
    }


def token(value):
    """The unique part of a canary: what a leak would show even truncated or re-cased."""
    return value.split()[0]


@pytest.fixture
def newsroom(client, caplog, reporter, editor, factchecker, standards, published_story, story):
    """Sources of every kind, each confidential field a canary, quoted in published, unpublished,
    draft and in-fact-check stories, with checks, evidence, a discredit, assignments, a shared
    preview link, identity views, and admin log entries. Returns {source: its tokens}.

    Everything logged from here on, at every level, is kept for `logged()`."""
    caplog.set_level(logging.DEBUG)
    values = [canaries(n) for n in range(5)]
    # The reporter records the first source through the admin, so the log has an entry for it.
    client.force_login(reporter)
    add_url = reverse("admin:sourcing_source_add")
    response = client.post(
        add_url,
        change_form_data(
            client.get(add_url),
            kind=Source.Kind.ANONYMOUS,
            public_description="a friend of the couple",
            knowledge=Source.Knowledge.FIRST_HAND,
            information=Source.Information.FACT,
            anonymity_reason_public="The friend asked not to be named to protect the family.",
            **values[0],
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    friend = Source.objects.get(public_description="a friend of the couple")
    services.approve_anonymity(source=friend, by=standards)
    unapproved = AnonymousSourceFactory(created_by=editor, **values[1])
    with_profile = SourceFactory(name="", person=PersonFactory(), created_by=editor, **values[2])
    by_name = SourceFactory(name="Rex Fabulist", created_by=reporter, **values[3])
    corroborating = AnonymousSourceFactory(created_by=standards, **values[4])
    friend.corroborating_sources.add(corroborating)
    # An editor changes a confidential field in the admin: the log names the field, never its value.
    client.force_login(editor)
    change_url = reverse("admin:sourcing_source_change", args=[unapproved.pk])
    values[1]["notes"] += " again"
    response = client.post(
        change_url, change_form_data(client.get(change_url), notes=values[1]["notes"])
    )
    assert response.status_code == 302

    first = published_story(friend, said("bridge"))
    services.check_quote(
        quote=first.quotes.get(),
        by=factchecker,
        status="verified",
        note="Matches the reporter's notes.",
        evidence_file=SimpleUploadedFile("notes.txt", b"notebook page"),
    )
    second = story(said("ferry"), said("tunnel"))
    ferry, tunnel = second.quotes.all()
    attribute(ferry, with_profile)
    attribute(
        tunnel,
        by_name,
        how_obtained=Quote.HowObtained.OTHER_OUTLET,
        outlet=OutletFactory(),
        outlet_url="https://gazette.example/story",
    )
    publish(second, by=editor)
    services.discredit_source(source=by_name, by=standards, reason="Invented a meeting.")
    gone = published_story(friend, said("harbour"))
    gone.unpublish(by=editor)
    draft = story(said("draft"), said("unattributed"))
    attribute(draft.quotes.get(text=said("draft")), unapproved)
    PreviewLink.create_for(draft, by=editor)
    checking = story(said("checking"))
    attribute(checking.quotes.get(), with_profile)
    checking.submit(by=reporter)
    checking.send_to_factcheck(by=editor)
    assignment = checking.factcheck_assignment
    response = client.post(
        reverse("admin:articles_factcheckassignment_change", args=[assignment.pk]),
        {"article": checking.pk, "checker": factchecker.pk, "due_at_0": "", "due_at_1": ""},
    )
    assert response.status_code == 302
    log_identity_views(user=editor, sources=[friend], place="source page")
    client.logout()

    sources = [friend, unapproved, with_profile, by_name, corroborating]
    for source, fields in zip(sources, values, strict=True):
        source.refresh_from_db()
        assert {name: getattr(source, name) for name in fields} == fields
    assert first.is_published()
    return {
        source: {token(value) for value in fields.values()}
        for source, fields in zip(sources, values, strict=True)
    }


def logged(caplog):
    """Every log line since the newsroom was built (setting up and testing), lower-cased."""
    formatter = logging.Formatter()
    records = [*caplog.get_records("setup"), *caplog.records]
    return "\n".join(formatter.format(record) for record in records).lower()


def every_token(newsroom):
    return set().union(*newsroom.values())


def every_public_url():
    """Every public URL, each parametrised one for every object that fills it (and one that
    does not exist)."""
    articles = Article.objects.all()
    dated = [a.public_url_kwargs() for a in articles.filter(first_published_at__isnull=False)]
    return public_urls(
        {
            ("section", "year", "month", "day", "slug"): [
                *dated,
                {**dated[0], "slug": "no-such-story"},
            ],
            ("pk",): [{"pk": article.pk} for article in articles],
            ("pk", "token"): [
                {"pk": link.article_id, "token": link.token} for link in PreviewLink.objects.all()
            ],
            ("path",): [{"path": "no-such-file.jpg"}],
            **listing_fillings(dated),
        }
    )


def test_no_public_page_shows_a_confidential_value(client, newsroom, caplog):
    tokens = every_token(newsroom)
    term = sorted(tokens)[0]

    found, statuses = crawl(client, [url.format(term=term) for url in every_public_url()], tokens)

    assert found == {}
    log = logged(caplog)
    assert not {t for t in tokens if t in log}
    assert {200, 302, 404, 410} <= set(statuses.values())
    for article in Article.objects.published():
        assert statuses[article.get_absolute_url()] == 200


def admin_routes(model_admin):
    """(url name, route with named parameters) of every URL the admin class serves."""
    for pattern in model_admin.urls:
        route = str(pattern.pattern)
        if isinstance(pattern.pattern, RegexPattern):
            route = REGEX_ROUTES[route]  # a KeyError here: teach the crawl the new route
        yield pattern.name, route


def filled(route, obj):
    """`route` with its parameters filled for `obj`, one URL path per combination."""
    parameters = PARAMETER.findall(route)
    choices = []
    for parameter in parameters:
        match parameter:
            case "pk" | "id" | "object_id":
                choices.append([obj.pk])
            case "version_id":
                choices.append([record.pk for record in obj.history.all()])
            case "link_pk":
                choices.append([link.pk for link in obj.preview_links.all()])
            case "person_pk":
                choices.append([person.pk for person in Person.objects.minors()] or [0])
            case _:
                raise AssertionError(f"teach the crawl to fill <{parameter}> in {route}")
    for combination in itertools.product(*choices):
        yield fill(route, dict(zip(parameters, combination, strict=True)))


def admin_urls(search_terms):
    """Every admin page: the index and app pages, and for every registered model admin every
    URL it serves, for every object, plus searches for each of `search_terms`."""
    urls = [reverse("admin:index"), reverse("admin:password_change"), reverse("admin:jsi18n")]
    registry = admin.site._registry
    urls += [reverse("admin:app_list", args=[app]) for app in {m._meta.app_label for m in registry}]
    for model, model_admin in registry.items():
        base = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for name, route in admin_routes(model_admin):
            if not PARAMETER.search(route):
                urls.append(base + route)
                continue
            objects = URL_OBJECTS.get(name, model)._default_manager.all()
            urls += [base + path for obj in objects for path in filled(route, obj)]
        if model_admin.search_fields:
            urls += [f"{base}?q={term}" for term in search_terms]
    desk = reverse("admin:sourcing_desk")
    urls += [f"{desk}?status=all", f"{desk}?anonymous=yes&status=all"]
    urls.append(f"{reverse('admin:sourcing_ledger_export')}?start=2000-01-01&end=2100-12-31")
    return urls


def autocomplete_urls(search_terms):
    """The autocomplete endpoint for every relation of every registered model to another."""
    registry = admin.site._registry
    urls = []
    for model in registry:
        for field in model._meta.get_fields():
            if field.concrete and field.is_relation and field.related_model in registry:
                query = (
                    f"app_label={model._meta.app_label}&model_name={model._meta.model_name}"
                    f"&field_name={field.name}"
                )
                base = f"{reverse('admin:autocomplete')}?{query}"
                urls += [f"{base}&term={term}" for term in ["", *search_terms]]
    return urls


def crawl(client, urls, tokens):
    """Fetch every URL (posting instead when only POST is allowed) and return the leaks."""
    found, statuses = {}, {}
    for url in urls:
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url)
        statuses[url] = response.status_code
        # A search repeats the term searched for (in the search box); a match is the leak.
        searched = {term for term in tokens if f"q={term}" in url or f"term={term}" in url}
        leaked = leaks(response, tokens - searched)
        if searched and response.status_code == 200 and matches(response):
            leaked.add("search matched")
        if leaked:
            found[url] = leaked
    return found, statuses


def matches(response):
    """Whether an admin search or autocomplete found anything (public pages ignore `q`)."""
    if response.context is not None and "cl" in response.context:
        return response.context["cl"].result_count > 0
    if response["Content-Type"] == "application/json":
        return bool(response.json()["results"])
    return False


@pytest.mark.parametrize("viewer", ["other_reporter", "reporter"])
def test_no_admin_page_shows_an_identity_to_someone_who_may_not_see_it(
    request, client, newsroom, caplog, viewer
):
    """The other reporter may see no identity; the reporter who recorded two of the sources
    sees theirs, and nothing of anyone else's."""
    user = request.getfixturevalue(viewer)
    own = [source for source in newsroom if can_see_identity(user, source)]
    assert len(own) == (2 if viewer == "reporter" else 0)
    forbidden = every_token(newsroom).difference(*(newsroom[source] for source in own))
    search_terms = sorted(newsroom[next(iter(newsroom))])
    client.force_login(user)

    found, statuses = crawl(
        client, admin_urls(search_terms) + autocomplete_urls(search_terms), forbidden
    )

    assert found == {}
    log = logged(caplog)
    assert "forbidden (permission denied)" in log  # the log was listened to
    assert not {t for t in forbidden if t in log}
    assert 500 not in statuses.values()
    # The crawl reached the pages that matter, not only refusals.
    for source in newsroom:
        assert statuses[reverse("admin:sourcing_source_change", args=[source.pk])] == 200
        assert statuses[reverse("admin:sourcing_source_ledger", args=[source.pk])] == 200
    assert sum(status == 200 for status in statuses.values()) > 100


def test_no_admin_log_entry_records_a_confidential_value(newsroom):
    tokens = every_token(newsroom)
    entries = LogEntry.objects.values_list("object_repr", "change_message")

    assert entries.filter(content_type__model="source").count() >= 2
    assert not {t for entry in entries for t in tokens if t in " ".join(entry).lower()}


def relations_to_source():
    """(model, lookup prefix) for Source itself and every registered model one hop from it."""
    yield Source, ""
    for model in admin.site._registry:
        for field in model._meta.get_fields():
            if field.is_relation and field.related_model is Source:
                yield model, f"{field.name}__"


def test_no_changelist_can_be_filtered_by_a_confidential_field_without_the_permission(
    client, newsroom, reporter
):
    """A filter would tell anyone reading the result count what the field holds, one letter at
    a time. Refused even to the reporter who recorded the source: the filter spans them all."""
    source = next(iter(newsroom))
    assert can_see_identity(reporter, source)
    client.force_login(reporter)

    answers = {}
    for model, prefix in relations_to_source():
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        for field in Source.CONFIDENTIAL_FIELDS:
            lookup = f"{prefix}{field}__startswith"
            response = client.get(changelist, {lookup: getattr(source, field)[:6]})
            answers[f"{opts.model_name}?{lookup}"] = response.status_code

    assert len(answers) >= 5 * len(Source.CONFIDENTIAL_FIELDS)
    assert set(answers.values()) <= {400, 403}, answers


def test_someone_allowed_to_see_identities_may_filter_sources_by_them(client, newsroom, editor):
    source = next(iter(newsroom))
    client.force_login(editor)
    changelist = reverse("admin:sourcing_source_changelist")

    for field in Source.CONFIDENTIAL_FIELDS:
        response = client.get(changelist, {field: getattr(source, field)})

        assert list(response.context["cl"].result_list) == [source]


@pytest.mark.parametrize("viewer", ["editor", "factchecker", "standards", "reporter"])
def test_with_the_permission_the_identity_shows_and_every_view_is_logged(
    request, client, newsroom, caplog, viewer
):
    user = request.getfixturevalue(viewer)
    visible = [source for source in newsroom if can_see_identity(user, source)]
    assert len(visible) == (2 if viewer == "reporter" else len(newsroom))
    earlier = list(ConfidentialAccess.objects.values_list("pk", flat=True))
    client.force_login(user)

    for source in visible:
        for url in (
            reverse("admin:sourcing_source_change", args=[source.pk]),
            reverse("admin:sourcing_source_ledger", args=[source.pk]),
        ):
            response = client.get(url)
            assert response.status_code == 200
            assert leaks(response, newsroom[source]) == newsroom[source], url

    views = ConfidentialAccess.objects.exclude(pk__in=earlier)
    assert sorted(views.values_list("user", "source", "place")) == sorted(
        (user.pk, source.pk, place) for source in visible for place in ("source page", "ledger")
    )
    log = logged(caplog)
    assert not {t for t in every_token(newsroom) if t in log}


@pytest.mark.parametrize("role", ROLES)
def test_only_the_standards_editor_reads_the_log_of_identity_views(request, client, newsroom, role):
    client.force_login(request.getfixturevalue(role))

    response = client.get(reverse("admin:sourcing_confidentialaccess_changelist"))

    if role == "standards":
        assert response.status_code == 200
        shown = {
            (view.user_id, view.source_id, view.place)
            for view in response.context["cl"].result_list
        }
        assert shown == set(ConfidentialAccess.objects.values_list("user_id", "source_id", "place"))
        assert shown
    else:
        assert response.status_code == 403


def test_the_crawl_covers_every_object_of_every_registered_model(newsroom):
    urls = set(admin_urls([]))

    for model in admin.site._registry:
        opts = model._meta
        for obj in model._default_manager.all():
            assert (
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]) in urls
            )
