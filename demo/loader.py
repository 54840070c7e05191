"""Fill an empty site with the demo newsroom, through the same workflow the newsroom uses.

Every step is idempotent: what exists already (matched by username, slug or name) is left alone.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.html import escape

from articles.html import paragraphs_to_html
from articles.models import Article, Byline, Section
from people.models import Person
from planning.models import Assignment, Comment
from public.models import Page
from sourcing import services
from sourcing.models import Outlet, Source

from . import content, policies
from .photos import placeholder_photo


def ensure_sections():
    for name, slug, position in content.SECTIONS:
        Section.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})


def ensure_users():
    """The four demo accounts, one per role, each with a staff profile for bylines."""
    users = {}
    for username, first, last, role, password, description in content.USERS:
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@newsroom.example",
                "is_staff": True,
            },
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
            user.groups.add(Group.objects.get(name=role))
        Person.objects.get_or_create(
            slug=f"{first}-{last}".lower(),
            defaults={
                "name": f"{first} {last}",
                "kind": Person.Kind.STAFF,
                "description": description,
                "user": user,
            },
        )
        users[username] = user
    return users


def ensure_people():
    for name, slug, description in content.PEOPLE:
        Person.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "kind": Person.Kind.PUBLIC_FIGURE, "description": description},
        )
    for name, slug, description in content.STAFF_WRITERS:
        Person.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "kind": Person.Kind.STAFF, "description": description},
        )
    for name, url in content.OUTLETS:
        Outlet.objects.get_or_create(name=name, defaults={"url": url})


def ensure_policy_pages():
    """The standards pages, with default text editors then make their own."""
    for position, (slug, title, trust_property, summary, paragraphs) in enumerate(
        policies.POLICIES
    ):
        body = "".join(
            f"<h2>{escape(text[3:])}</h2>" if text.startswith("## ") else f"<p>{escape(text)}</p>"
            for text in paragraphs
        )
        Page.objects.get_or_create(
            slug=slug,
            defaults={
                "title": title,
                "trust_property": trust_property,
                "summary": summary,
                "body": body,
                "position": position,
            },
        )


def _make_source(key, created_by):
    spec = dict(content.SOURCES[key])
    person_slug = spec.pop("person", None)
    person = Person.objects.get(slug=person_slug) if person_slug else None
    return Source.objects.create(person=person, created_by=created_by, **spec)


def attribute(article, attributions):
    """Attribute the article's quotes in body order: (source, attribution, how, outlet) each,
    or None to leave a quote unattributed."""
    quotes = article.quotes.in_body().order_by("position")
    for quote, attribution in zip(quotes, attributions, strict=True):
        if attribution is None:
            continue
        source, printed, how_obtained, outlet = attribution
        quote.source = source
        quote.attribution = printed
        quote.how_obtained = how_obtained
        quote.outlet = outlet
        quote.save(update_fields=["source", "attribution", "how_obtained", "outlet"])


def verify(article, verdicts, checker):
    for quote, (status, note) in zip(
        article.quotes.in_body().order_by("position"), verdicts, strict=True
    ):
        if status:
            services.check_quote(quote=quote, by=checker, status=status, note=note)


def create_story(spec, users):
    """Write one demo story and walk it to its state. Returns None if it exists already."""
    if Article.objects.filter(slug=spec["slug"]).exists():
        return None
    reporter = users["reporter"]
    article = Article.objects.create(
        headline=spec["headline"],
        slug=spec["slug"],
        dek=spec["dek"],
        section=Section.objects.get(slug=spec["section"]),
        dateline=spec["dateline"],
        body=paragraphs_to_html(spec["body"]),
        created_by=reporter,
        lead_photo=placeholder_photo(spec["photo"], seed=len(spec["slug"])),
    )
    article.tags.set(spec["tags"])
    article.people.set(Person.objects.filter(slug__in=spec["people"]))
    Byline.objects.create(article=article, person=reporter.person)
    quotes = spec["quotes"]
    sources = {key: _make_source(key, reporter) for key in {quote[0] for quote in quotes if quote}}
    attribute(
        article,
        [
            None if quote is None else (sources[quote[0]], quote[1], quote[2], None)
            for quote in quotes
        ],
    )
    walk(article, spec, users)
    return article


def walk(article, spec, users):
    """Take the story through the workflow, as its reporter, editor and fact-checker would."""
    reporter, editor, checker = users["reporter"], users["editor"], users["factchecker"]
    verdicts = [
        (None if quote is None else quote[3], "Confirmed with the speaker.")
        for quote in spec["quotes"]
    ]
    state = spec["state"]
    if state == "draft":
        Comment.post(
            article=article,
            by=editor,
            text=f"@{reporter.username} can you get a second voice for the third paragraph?",
        )
        return
    article.submit(by=reporter, comment="Ready for a read.")
    if state == "scheduled":
        article.approve(by=editor)
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        publish_at = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(7)))
        # The figures it reports are released at 07:00: not a minute earlier.
        article.embargo_until = publish_at
        article.save()
        article.schedule(by=editor, publish_at=publish_at, comment="For the weekend edition.")
        return
    article.send_to_factcheck(
        by=editor, checker=checker, factcheck_due=timezone.now() + datetime.timedelta(hours=6)
    )
    verify(article, verdicts, checker)
    if state == "fact_check":
        Comment.post(
            article=article,
            by=checker,
            text="Waiting for the anonymous source's documents before this can go.",
            blocking=True,
        )
        return
    article.approve(by=checker, comment="Quotes checked.")
    article.publish(by=editor)
    if correction := spec.get("correction"):
        kind, text = correction
        article.correct(by=editor, kind=kind, text=text)


def load():
    """Create the sections, accounts, people and fictional stories. Returns the demo users."""
    ensure_sections()
    users = ensure_users()
    ensure_people()
    ensure_policy_pages()
    for spec in content.STORIES:
        create_story(spec, users)
    ensure_budget(users)
    return users


def ensure_budget(users):
    """A week of planned stories from today, planned by the editor (each once, by its slug)."""
    today = timezone.localdate()
    for days, slug, line, section, reporters, words, due_hour, priority in content.PLANNED_STORIES:
        run_on = today + datetime.timedelta(days=days)
        due_at = timezone.make_aware(datetime.datetime.combine(run_on, datetime.time(due_hour)))
        assignment, created = Assignment.objects.get_or_create(
            working_slug=slug,
            defaults={
                "budget_line": line,
                "section": Section.objects.get(slug=section),
                "run_on": run_on,
                "due_at": due_at,
                "expected_words": words,
                "priority": priority,
                "created_by": users["editor"],
            },
        )
        if created:
            assignment.reporters.set([users[name] for name in reporters])
