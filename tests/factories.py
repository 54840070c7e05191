"""Factories for every model the tests need, in one place."""

from io import BytesIO

import factory
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils.text import slugify
from PIL import Image

from accounts.models import User
from articles.models import Article, Byline, Section
from people.models import Person
from photos.models import Photo
from sourcing.models import Outlet, Source


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@newsroom.test")
    is_staff = True
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        if create and extracted:
            user.groups.add(Group.objects.get(name=extracted))


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.LazyAttribute(lambda section: slugify(section.name))


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Faker("name")
    slug = factory.Sequence(lambda n: f"person-{n}")
    kind = Person.Kind.PUBLIC_FIGURE


class StaffPersonFactory(PersonFactory):
    kind = Person.Kind.STAFF
    description = "Staff writer"


def image_bytes(size=(64, 48), image_format="JPEG", **save_options):
    buffer = BytesIO()
    Image.new("RGB", size, (120, 80, 40)).save(buffer, format=image_format, **save_options)
    return buffer.getvalue()


class PhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Photo

    image = factory.LazyFunction(lambda: ContentFile(image_bytes(), name="photo.jpg"))
    alt_text = "A brown rectangle"
    caption = "A test photo."
    credit = "Test Desk"


class ArticleFactory(factory.django.DjangoModelFactory):
    """A draft that passes every built-in publish check (headline, slug, section, body, byline)."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    headline = factory.Sequence(lambda n: f"Harbour bridge reopens after repairs, part {n}")
    slug = factory.LazyAttribute(lambda article: slugify(article.headline))
    dek = "Traffic returns to the east bank after eight months."
    body = "<p>The bridge reopened on Monday morning after eight months of repairs.</p>"
    section = factory.SubFactory(SectionFactory, name="News", slug="news")
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def byline(article, create, extracted, **kwargs):
        if create and extracted is not False:
            person = extracted or StaffPersonFactory(user=article.created_by)
            Byline.objects.create(article=article, person=person)


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outlet
        django_get_or_create = ["name"]

    name = "The Harbour Gazette"
    url = "https://gazette.example"


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    kind = Source.Kind.NAMED
    name = factory.Faker("name")
    public_description = "harbour master"


class AnonymousSourceFactory(SourceFactory):
    kind = Source.Kind.ANONYMOUS
    name = ""
    public_description = "a person familiar with the repairs"
    real_name = factory.Faker("name")
    contact = "+1 555 0100"
    relationship_to_subject = "works on the bridge crew"
    knowledge = Source.Knowledge.FIRST_HAND
    knowledge_detail = "was on site every day"
    information = Source.Information.FACT
    anonymity_reason_internal = "would lose their job"
    anonymity_reason_public = "The worker asked not to be named because they fear losing their job."
