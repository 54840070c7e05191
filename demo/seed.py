"""Import the real story in ../shared/seeds/ as a fully modelled, published article.

The story's text is another outlet's copy: it is read from the file at run time and never
stored in this repository. Everything written here (headline, dek, notes, confidential details)
is the project's own words; no words are put in a real person's mouth.
"""

import datetime
import re

from django.conf import settings
from django.utils import timezone

from articles.html import paragraphs_to_html
from articles.models import Article, Byline, MinorNamingClearance, Section
from articles.storyfile import read_story
from people.models import Person
from sourcing import services
from sourcing.models import Outlet, Source

from .loader import attribute
from .photos import placeholder_photo

DEFAULT_PATH = settings.BASE_DIR.parent / "shared" / "seeds" / "000_7b01bd8a63ffcb3d.txt"
SLUG = "natalie-portman-benjamin-millepied-divorce-final"

PUBLIC_FIGURES = [
    ("Natalie Portman", "natalie-portman", "Actor and producer", "Natalie_Portman"),
    ("Benjamin Millepied", "benjamin-millepied", "Dancer and choreographer", "Benjamin_Millepied"),
    ("Guy Ritchie", "guy-ritchie", "Film director", "Guy_Ritchie"),
]

# The children are named in the story; their names are read from it, never written here.
CHILDREN = re.compile(r"children, (?P<first>[A-Z]\w+), \d+, and (?P<second>[A-Z]\w+), \d+")

FRIEND = {
    "kind": Source.Kind.ANONYMOUS,
    "public_description": "a friend of the couple",
    "real_name": "Not known to us: PEOPLE's source (demo entry)",
    "contact": "Only through PEOPLE's editors (demo entry)",
    "relationship_to_subject": "Described by PEOPLE as a friend of both, later as an insider "
    "(demo entry)",
    "knowledge": Source.Knowledge.FIRST_HAND,
    "knowledge_detail": "PEOPLE presents the friend as close to the family during the "
    "separation (demo entry)",
    "information": Source.Information.FACT,
    "anonymity_reason_internal": "Anonymity was granted by PEOPLE, not by us; we quote the "
    "magazine's report and could not reach the source (demo entry).",
    "anonymity_reason_public": "The friend spoke to PEOPLE on condition of anonymity; we quote "
    "the magazine's report.",
}


#: The demo standards editor's reason for letting the seed story name the children (our own words).
CHILDREN_CLEARANCE = (
    "The first names and ages are already in the report we cite. We add nothing that identifies "
    "the children further (no photo, school or place), they get no profile page, and structured "
    "data never names them. Demo entry."
)


def _people(story_text):
    public = []
    for name, slug, description, wiki in PUBLIC_FIGURES:
        person, _ = Person.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": Person.Kind.PUBLIC_FIGURE,
                "description": description,
                "same_as": f"https://en.wikipedia.org/wiki/{wiki}",
            },
        )
        public.append(person)
    children = []
    if match := CHILDREN.search(story_text):
        for name in (match["first"], match["second"]):
            child, _ = Person.objects.get_or_create(
                slug=f"minor-{name.lower()}-portman-millepied",
                defaults={"name": name, "kind": Person.Kind.PRIVATE_INDIVIDUAL, "is_minor": True},
            )
            children.append(child)
    return public, children


def _attributions(paragraphs, quotes, friend, portman):
    """For each quote: who said it and the lead-in paragraph that attributes it, as printed."""
    people_mag, vanity_fair = (
        Outlet.objects.get(name="PEOPLE"),
        Outlet.objects.get(name="Vanity Fair"),
    )
    result = []
    for quote in quotes:
        index = next(i for i, paragraph in enumerate(paragraphs) if quote.text in paragraph)
        lead_in = paragraphs[index - 1].rstrip(":").strip()
        if "Vanity Fair" in lead_in:
            result.append((portman, lead_in, "other_outlet", vanity_fair))
        else:
            result.append((friend, lead_in, "other_outlet", people_mag))
    return result


def import_seed_story(path, users):
    """Create the seed story, published and fully sourced; None if it is there already."""
    if Article.objects.filter(slug=SLUG).exists():
        return None
    story = read_story(path)
    text = "\n".join(story.paragraphs)
    public, children = _people(text)
    reporter, editor = users["reporter"], users["editor"]
    article = Article.objects.create(
        headline="Natalie Portman and Benjamin Millepied's divorce is final, PEOPLE reports",
        slug=SLUG,
        dek="The divorce was finalized in France, the magazine says, eight months after the "
        "actor filed; a friend describes a hard year.",
        section=Section.objects.get(slug="entertainment"),
        body=paragraphs_to_html(story.paragraphs),
        desk_notes="Follows PEOPLE's report; the quotations are PEOPLE's and Vanity Fair's.",
        created_by=reporter,
        lead_photo=placeholder_photo("a film premiere", seed=0),
    )
    article.tags.set(["Celebrity", "Divorce", "Film"])
    article.people.set([*public, *children])
    Byline.objects.create(article=article, person=Person.objects.get(slug="lena-marsh"))

    friend = Source.objects.create(created_by=reporter, **FRIEND)
    portman = Source.objects.create(
        kind=Source.Kind.NAMED, person=public[0], public_description="actor", created_by=reporter
    )
    quotes = list(article.quotes.in_body().order_by("position"))
    attribute(article, _attributions(story.paragraphs, quotes, friend, portman))
    # The story follows PEOPLE's report of the same day; Vanity Fair's interview is dated only
    # "in February", so its date stays empty rather than invented.
    article.quotes.filter(outlet__name="PEOPLE").update(outlet_date=story.date)

    article.submit(by=reporter)
    article.send_to_factcheck(by=editor)
    services.approve_anonymity(source=friend, by=users["standards"])
    for quote in article.quotes.in_body().select_related("outlet"):
        services.check_quote(
            quote=quote,
            by=users["factchecker"],
            status="verified",
            note=f"Matches the quotation as {quote.outlet} published it.",
        )
    # The story names the couple's two children: the standards editor decides, on the record.
    for child in children:
        MinorNamingClearance.clear(
            article=article, person=child, by=users["standards"], reason=CHILDREN_CLEARANCE
        )
    article.approve(by=users["factchecker"])
    article.publish(by=editor)
    # An archive story keeps the date it was first published on, not the date of this import.
    published = timezone.make_aware(datetime.datetime.combine(story.date, datetime.time(9)))
    Article.objects.filter(pk=article.pk).update(first_published_at=published)
    article.refresh_from_db()
    return article
