import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from simple_history.models import HistoricalRecords

from newsroom.fields import SingleLineCharField

#: No newsroom role has it; administrators (superusers) do.
LINK_STAFF_ACCOUNT = "people.link_staff_account"


def validate_url_lines(value):
    """Each non-empty line must be an http(s) URL."""
    check = URLValidator(schemes=["https", "http"])
    for line in value.splitlines():
        if line.strip():
            try:
                check(line.strip())
            except ValidationError:
                raise ValidationError(
                    "“%(line)s” is not a web address; put one full URL per line.",
                    params={"line": line.strip()},
                ) from None


class PersonQuerySet(models.QuerySet):
    def with_public_page(self):
        """People readers may see a page for: public figures and staff, never minors."""
        return self.filter(kind__in=[Person.Kind.PUBLIC_FIGURE, Person.Kind.STAFF], is_minor=False)

    def staff(self):
        return self.filter(kind=Person.Kind.STAFF)

    def minors(self):
        return self.filter(is_minor=True)

    def named_in(self, text):
        """The people here whose name stands in `text` as whole words, in any case."""
        folded = text.casefold()
        return [
            person
            for person in self
            if re.search(rf"(?<!\w){re.escape(person.name.casefold())}(?!\w)", folded)
        ]


class Person(models.Model):
    """Someone who appears in or writes the news: a public figure, a private individual or staff."""

    class Kind(models.TextChoices):
        PUBLIC_FIGURE = "public_figure", "Public figure"
        PRIVATE_INDIVIDUAL = "private_individual", "Private individual"
        STAFF = "staff", "Staff"

    name = SingleLineCharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(
        max_length=20,
        choices=Kind,
        default=Kind.PRIVATE_INDIVIDUAL,
        help_text="Only public figures and staff get a public page. "
        "Private individuals are never named in structured data.",
    )
    is_minor = models.BooleanField(
        "minor",
        default=False,
        help_text="Under 18. A minor never gets a public page and is never named in "
        "structured data, whatever the kind above.",
    )
    description = SingleLineCharField(
        "short description",
        max_length=200,
        blank=True,
        help_text="One line that says who they are, e.g. “Actor and producer”.",
    )
    bio = models.TextField(blank=True)
    photo = models.ForeignKey(
        "photos.Photo", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    same_as = models.TextField(
        "same as",
        blank=True,
        validators=[validate_url_lines],
        help_text="Pages about this person elsewhere (Wikidata, Wikipedia, official site), "
        "one URL per line. Used in structured data for public figures only.",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        help_text="For staff: the account whose bylines and author page this is. Only an "
        "administrator can set or change it.",
    )

    objects = PersonQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        permissions = [("link_staff_account", "Can link a staff profile to a login account")]
        indexes = [models.Index(fields=["kind", "is_minor"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="staff", is_minor=True),
                name="staff_are_not_minors",
                violation_error_message="Staff are adults: a person marked as a minor cannot "
                "be staff.",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def has_public_page(self):
        """Whether readers may see a page for this person (see PersonQuerySet.with_public_page)."""
        return self.kind in (self.Kind.PUBLIC_FIGURE, self.Kind.STAFF) and not self.is_minor

    def same_as_urls(self):
        return [line.strip() for line in self.same_as.splitlines() if line.strip()]
