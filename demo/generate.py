"""Generated content for load and search tests: many clearly fictional stories, fast.

`generate(articles=N, seed=...)` writes sections, staff and other people, tags, N stories in
every workflow state (most published, over five years) with bylines, people, tags, quotations
(`Quote` rows as the quote sync would write them), corrections, pending updates and the
workflow events of the path each story took, then indexes them for search. Rows go in with
`bulk_create`, a batch at a time, so 100,000 stories take minutes. The same seed and size give
the same words every time (the bench's queries rely on it).

Every name is made of made-up parts (“Orla Brightwater”, “Hollowford”); nothing is about a real
person or place. Generated rows are marked: people's slugs and usernames start with `gen-`.
"""

import random
from dataclasses import dataclass
from datetime import timedelta
from itertools import accumulate

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from articles.models import (
    Article,
    Byline,
    Correction,
    PersonInStory,
    Section,
    TaggedArticle,
    WorkflowEvent,
)
from articles.search import engine, index_articles
from articles.workflow import TRANSITIONS, Action, Status
from people.models import Person
from sourcing.models import Quote
from sourcing.quotes import find_quotations

BATCH = 1000
#: Draws of invented words (some repeat) and the syllables they are made of.
LEXICON = 6000
SYLLABLES = "bra del fen gor hal jun kel lom mar nob pel quen ros sal tir ulm ven wil yar zor"

FIRST_NAMES = [
    "Orla",
    "Tobias",
    "Maren",
    "Idris",
    "Fenella",
    "Caspian",
    "Wren",
    "Ottilie",
    "Bram",
    "Sunniva",
    "Leopold",
    "Ines",
    "Rafferty",
    "Elowen",
    "Dashiell",
    "Marisol",
    "Anselm",
    "Briony",
    "Cormac",
    "Delphine",
    "Ezra",
    "Ffion",
    "Gideon",
    "Hester",
    "Ivo",
    "Juno",
    "Kasimir",
    "Linnea",
    "Magnus",
    "Nerys",
    "Osric",
    "Philippa",
    "Quinlan",
    "Rosamund",
    "Silas",
    "Tamsin",
    "Ulric",
    "Verity",
    "Wendell",
    "Xanthe",
    "Yannick",
    "Zelda",
]
SURNAME_STARTS = [
    "Bright",
    "Salt",
    "Hollow",
    "Ash",
    "Thorn",
    "Marsh",
    "Wind",
    "Stone",
    "Fern",
    "Oak",
    "Mill",
    "Frost",
    "Heron",
    "Kestrel",
    "Copper",
    "Amber",
    "Raven",
    "Larch",
    "Briar",
    "Tide",
]
SURNAME_ENDS = [
    "water",
    "marsh",
    "brook",
    "field",
    "well",
    "combe",
    "ridge",
    "wick",
    "ford",
    "hurst",
    "mere",
    "dale",
    "worth",
    "stead",
    "holt",
]
PLACES = [
    "Eastmere",
    "Westmere",
    "Hollowford",
    "Saltcombe",
    "Brackenridge",
    "Thornwick",
    "Copperdale",
    "Fernhurst",
    "Millstead",
    "Ravensholt",
]
SECTIONS = (
    ("Harbour", "harbour"),
    ("Council", "council"),
    ("Markets", "markets"),
    ("Arts", "arts"),
    ("Sport", "sport"),
    ("Schools", "schools"),
    ("Courts", "courts"),
    ("Weather", "weather"),
)
SUBJECTS = [
    "council",
    "ferry",
    "harbour",
    "library",
    "marathon",
    "bakery",
    "orchard",
    "lighthouse",
    "tram",
    "school",
    "museum",
    "allotment",
    "bridge",
    "quarry",
    "theatre",
    "festival",
    "market",
    "hospital",
    "reservoir",
    "railway",
    "brewery",
    "observatory",
    "regatta",
    "carnival",
]
VERBS = [
    "approves",
    "rejects",
    "delays",
    "reopens",
    "celebrates",
    "expands",
    "closes",
    "rebuilds",
    "funds",
    "reviews",
    "announces",
    "postpones",
]
OBJECTS = [
    "new timetable",
    "winter plan",
    "budget cuts",
    "repair works",
    "summer season",
    "safety review",
    "opening hours",
    "ticket prices",
    "housing scheme",
    "cycle lanes",
    "flood defences",
    "night service",
]
NOUNS = [
    "residents",
    "traders",
    "councillors",
    "volunteers",
    "engineers",
    "teachers",
    "fishermen",
    "nurses",
    "commuters",
    "gardeners",
    "musicians",
    "shopkeepers",
]
ADJECTIVES = [
    "busy",
    "quiet",
    "windy",
    "crowded",
    "late",
    "early",
    "narrow",
    "cheerful",
    "tired",
    "hopeful",
]
TAGS = [
    f"{adjective} {subject}" for adjective in ADJECTIVES for subject in SUBJECTS[:12]
] + SUBJECTS

#: (status, share of stories); the rest are published.
STATES = (
    (Status.DRAFT, 0.05),
    (Status.IN_REVIEW, 0.03),
    (Status.FACT_CHECK, 0.02),
    (Status.APPROVED, 0.02),
    (Status.SCHEDULED, 0.01),
    (Status.UNPUBLISHED, 0.02),
)
#: The steps that bring a new draft to each state.
PATHS = {
    Status.DRAFT: (),
    Status.IN_REVIEW: (Action.SUBMIT,),
    Status.FACT_CHECK: (Action.SUBMIT, Action.SEND_TO_FACTCHECK),
    Status.APPROVED: (Action.SUBMIT, Action.APPROVE),
    Status.SCHEDULED: (Action.SUBMIT, Action.APPROVE, Action.SCHEDULE),
    Status.PUBLISHED: (Action.SUBMIT, Action.APPROVE, Action.PUBLISH),
    Status.UNPUBLISHED: (Action.SUBMIT, Action.APPROVE, Action.PUBLISH, Action.UNPUBLISH),
}
CORRECTION_SHARE = 0.03
PENDING_UPDATE_SHARE = 0.01
YEARS = 5


@dataclass
class Cast:
    """The shared records every story draws on."""

    sections: list
    staff: list
    people: list
    tags: list
    editor: object


class Writer:
    """Invents the words: names, and stories about one subject each, in made-up words with the
    long tail of real text (a few common, most rare), so that a search matches a realistic
    share of the stories."""

    def __init__(self, rng):
        self.rng = rng
        words = {
            "".join(rng.choices(SYLLABLES.split(), k=rng.randint(2, 3))) for _ in range(LEXICON)
        }
        self.lexicon = sorted(words)
        rng.shuffle(self.lexicon)
        self.weights = list(accumulate(1 / rank for rank in range(1, len(self.lexicon) + 1)))

    def name(self):
        return (
            f"{self.rng.choice(FIRST_NAMES)} "
            f"{self.rng.choice(SURNAME_STARTS)}{self.rng.choice(SURNAME_ENDS)}"
        )

    def filler(self, count):
        return " ".join(self.rng.choices(self.lexicon, cum_weights=self.weights, k=count))

    def sentence(self, subject):
        rng = self.rng
        return (
            f"{rng.choice(NOUNS).capitalize()} in {rng.choice(PLACES)} said the {subject} "
            f"{self.filler(3)} was {rng.choice(ADJECTIVES)} after the {rng.choice(OBJECTS)} "
            f"{self.filler(4)}."
        )

    def quotation(self, subject, speaker):
        return (
            f"“We want the {subject} to stay {self.rng.choice(ADJECTIVES)} for "
            f"{self.filler(2)},” said {speaker}."
        )

    def story(self, speakers):
        """(headline, dek, body) of a story about one subject; `speakers` are quoted."""
        rng = self.rng
        subject = rng.choice(SUBJECTS)
        headline = f"{rng.choice(PLACES)} {subject} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
        paragraphs = []
        for n in range(rng.randint(4, 8)):
            sentences = [self.sentence(subject) for _ in range(rng.randint(2, 4))]
            if n % 2:
                sentences.append(self.quotation(subject, rng.choice(speakers)))
            paragraphs.append(f"<p>{' '.join(sentences)}</p>")
        return headline, self.sentence(subject), "".join(paragraphs)


def _cast(rng, writer):
    sections = [
        Section.objects.get_or_create(slug=slug, defaults={"name": name, "position": 10 + n})[0]
        for n, (name, slug) in enumerate(SECTIONS)
    ]
    people = []
    for n in range(3000):
        kind = (
            Person.Kind.STAFF
            if n < 60
            else Person.Kind.PRIVATE_INDIVIDUAL
            if n % 7 == 0
            else Person.Kind.PUBLIC_FIGURE
        )
        name = writer.name()
        people.append(
            Person(
                name=name,
                slug=f"gen-{n}-{slugify(name)}",
                kind=kind,
                is_minor=kind == Person.Kind.PRIVATE_INDIVIDUAL and n % 5 == 0,
                description="Staff writer" if kind == Person.Kind.STAFF else "",
            )
        )
    Person.objects.bulk_create(people, ignore_conflicts=True)
    people = list(Person.objects.filter(slug__startswith="gen-").order_by("pk"))
    Tag.objects.bulk_create(
        [Tag(name=name, slug=slugify(name)) for name in TAGS], ignore_conflicts=True
    )
    editor, _ = get_user_model().objects.get_or_create(
        username="gen-editor",
        defaults={"first_name": "Generated", "last_name": "Editor", "is_active": False},
    )
    return Cast(
        sections=sections,
        staff=[person for person in people if person.kind == Person.Kind.STAFF],
        people=[person for person in people if person.kind != Person.Kind.STAFF],
        tags=list(Tag.objects.filter(name__in=TAGS)),
        editor=editor,
    )


def _status(rng):
    roll = rng.random()
    for status, share in STATES:
        if roll < share:
            return status
        roll -= share
    return Status.PUBLISHED


def _article(rng, writer, cast, number, now, total):
    status = _status(rng)
    # Spread over YEARS, in the order of the ids (as a newsroom's stories are).
    span = YEARS * 365 * 86400
    created = now - timedelta(seconds=span * (total - number) / total + rng.randint(0, 3600))
    bylines = rng.sample(cast.staff, rng.choice((1, 1, 1, 2)))
    people = rng.sample(cast.people, rng.randint(0, 3))
    headline, dek, body = writer.story([person.name for person in people] or [bylines[0].name])
    article = Article(
        headline=headline,
        slug=f"{slugify(headline)}-{number}",
        dek=dek,
        body=body,
        section=rng.choice(cast.sections),
        dateline=rng.choice(PLACES).upper(),
        status=status,
        created_at=created,
    )
    if status in (Status.PUBLISHED, Status.UNPUBLISHED):
        article.first_published_at = created + timedelta(hours=rng.randint(1, 48))
    if status == Status.SCHEDULED:
        article.publish_at = now + timedelta(days=rng.randint(1, 30))
    if status == Status.PUBLISHED and rng.random() < PENDING_UPDATE_SHARE:
        article.pending_update = {
            "fields": {**article.content_values(), "headline": f"{headline} (updated)"},
            "meaningful": False,
            "by": cast.editor.pk,
            "at": now.isoformat(),
        }
    return article, bylines, people, rng.sample(cast.tags, rng.randint(1, 4))


def _write_batch(rng, writer, cast, first_number, count, now, total):
    made = [_article(rng, writer, cast, first_number + n, now, total) for n in range(count)]
    created = [article.created_at for article, *_ in made]
    articles = Article.objects.bulk_create([article for article, *_ in made])
    # bulk_create stamps auto_now_add fields with now: put the invented times back.
    for article, when in zip(articles, created, strict=True):
        article.created_at = when
    Article.objects.bulk_update(articles, ["created_at"])
    rows = {"bylines": [], "people": [], "tags": [], "quotes": [], "corrections": [], "events": []}
    for article, (_, bylines, people, tags) in zip(articles, made, strict=True):
        # Bulk inserts save no model: the first publication time is copied as saves would.
        published = article.first_published_at
        rows["bylines"] += [
            Byline(article=article, person=person, position=n, first_published_at=published)
            for n, person in enumerate(bylines)
        ]
        rows["people"] += [
            PersonInStory(article=article, person=person, first_published_at=published)
            for person in people
        ]
        rows["tags"] += [
            TaggedArticle(content_object=article, tag=tag, first_published_at=published)
            for tag in tags
        ]
        rows["quotes"] += [
            Quote(article=article, text=found.text, position=found.position, in_live_text=True)
            for found in find_quotations(article.body)
        ]
        status = Status(article.status)
        if status == Status.PUBLISHED and rng.random() < CORRECTION_SHARE:
            rows["corrections"].append(
                Correction(
                    article=article,
                    text="An earlier version of this story gave the wrong day for the meeting.",
                    created_at=article.first_published_at + timedelta(days=1),
                )
            )
        before, when = Status.DRAFT, article.created_at
        for action in PATHS[status]:
            after = TRANSITIONS[action].target
            rows["events"].append(
                WorkflowEvent(
                    article=article,
                    action=action,
                    from_status=before,
                    to_status=after,
                    actor=cast.editor,
                    created_at=when,
                )
            )
            before, when = after, when + timedelta(minutes=rng.randint(5, 600))
    Byline.objects.bulk_create(rows["bylines"])
    PersonInStory.objects.bulk_create(rows["people"])
    TaggedArticle.objects.bulk_create(rows["tags"])
    Quote.objects.bulk_create(rows["quotes"])
    Correction.objects.bulk_create(rows["corrections"])
    wanted = [event.created_at for event in rows["events"]]
    events = WorkflowEvent.objects.bulk_create(rows["events"])
    for event, when in zip(events, wanted, strict=True):
        event.created_at = when
    WorkflowEvent.objects.bulk_update(events, ["created_at"], batch_size=500)
    return [article.pk for article in articles]


def generate(*, articles, seed=11, progress=None):
    """Write `articles` generated stories and everything around them; `progress(n)` is called
    after each batch of n. Returns the new stories' ids."""
    rng = random.Random(seed)  # noqa: S311 (repeatable invented words, not secrets)
    writer = Writer(rng)
    now = timezone.now()
    with transaction.atomic():
        cast = _cast(rng, writer)
    first_number = Article.objects.count()
    ids = []
    for start in range(0, articles, BATCH):
        count = min(BATCH, articles - start)
        with transaction.atomic():
            batch = _write_batch(
                rng, writer, cast, first_number + start, count, now, first_number + articles
            )
            index_articles(batch)
        ids += batch
        if progress:
            progress(count)
    engine().optimize()
    return ids
