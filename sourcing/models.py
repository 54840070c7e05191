from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils import timezone

from newsroom.fields import SingleLineCharField

from .confidential import CONFIDENTIAL_FIELDS


def private_storage():
    """Where fact-check evidence lives: outside MEDIA_ROOT, never served directly."""
    return storages["private"]


class Outlet(models.Model):
    """Another publication the newsroom cites (“told PEOPLE”, “an interview with Vanity Fair”)."""

    name = SingleLineCharField(max_length=200, unique=True)
    url = models.URLField("website", blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class SourceQuerySet(models.QuerySet):
    def anonymous(self):
        return self.filter(kind=Source.Kind.ANONYMOUS)

    def approved(self):
        return self.filter(anonymity_approved_at__isnull=False)

    def reasons_for_readers(self, article):
        """Why the anonymous sources quoted in the text readers see of `article` were not named,
        as printed for readers (public fields only), each reason once."""
        return (
            self.anonymous()
            .filter(quotes__article=article, quotes__in_live_text=True)
            .exclude(anonymity_reason_public="")
            .values_list("anonymity_reason_public", flat=True)
            .distinct()
            .order_by("anonymity_reason_public")
        )


class Source(models.Model):
    """Someone the newsroom quotes. Anonymous sources follow the AP and New York Times rules:
    the identity is recorded but confidential, the grant of anonymity is justified and approved
    by a standards editor, and readers are told why the source is not named.

    `str(source)` never contains a confidential value, so it is safe in every list and log.
    """

    class Kind(models.TextChoices):
        NAMED = "named", "Named"
        ANONYMOUS = "anonymous", "Anonymous"

    class Knowledge(models.TextChoices):
        FIRST_HAND = "first_hand", "First-hand: saw, heard or did it"
        SECOND_HAND = "second_hand", "Second-hand: was told by someone else"

    class Information(models.TextChoices):
        FACT = "fact", "Fact"
        OPINION = "opinion", "Opinion"

    #: The fields that identify an anonymous source (the boundary: sourcing/confidential.py).
    CONFIDENTIAL_FIELDS = CONFIDENTIAL_FIELDS
    #: Changing any of these after approval withdraws the approval of anonymity.
    GRANT_FIELDS = (
        "kind",
        "public_description",
        "real_name",
        "contact",
        "relationship_to_subject",
        "knowledge",
        "knowledge_detail",
        "information",
        "on_record_possible",
        "anonymity_reason_internal",
        "anonymity_reason_public",
    )

    kind = models.CharField(max_length=10, choices=Kind, default=Kind.NAMED)
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sources",
        help_text="For a named source who has a profile.",
    )
    name = SingleLineCharField(
        "name (named sources)",
        max_length=200,
        blank=True,
        help_text="For a named source without a profile. Leave empty for anonymous sources.",
    )
    public_description = SingleLineCharField(
        max_length=200,
        blank=True,
        help_text="How the story describes the source, as printed. For an anonymous source, "
        "as specific as safety allows, e.g. “a friend of the couple”, never just “a source”.",
    )
    # Confidential identity.
    real_name = SingleLineCharField(max_length=200, blank=True)
    contact = SingleLineCharField(
        max_length=300, blank=True, help_text="Phone, email or how to reach them."
    )
    relationship_to_subject = SingleLineCharField(
        max_length=300, blank=True, help_text="E.g. “has known her since drama school”."
    )
    knowledge = models.CharField(
        "how the source knows",
        max_length=20,
        choices=Knowledge,
        blank=True,
        help_text="Anonymous sources must have first-hand knowledge unless the standards editor "
        "decides otherwise.",
    )
    knowledge_detail = models.TextField(
        "how exactly they know", blank=True, help_text="Confidential."
    )
    information = models.CharField(
        "information given",
        max_length=10,
        choices=Information,
        blank=True,
        help_text="Anonymity is for information, not for opinion or personal attacks.",
    )
    on_record_possible = models.BooleanField(
        "could be had on the record",
        default=False,
        help_text="Tick if the same information could be had from a named source. "
        "If so, anonymity should not be granted.",
    )
    anonymity_reason_internal = models.TextField(
        "why anonymity was granted (internal)",
        blank=True,
        help_text="Confidential. The risk the source runs if named, e.g. losing their job.",
    )
    anonymity_reason_public = SingleLineCharField(
        "why anonymity was granted (for readers)",
        max_length=300,
        blank=True,
        help_text="Printed with the story, e.g. “The friend asked not to be named to protect "
        "the family's privacy.”",
    )
    corroborating_sources = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="corroborates",
        help_text="Other sources who confirmed the same information.",
    )
    notes = models.TextField(blank=True, help_text="Confidential.")
    anonymity_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    anonymity_approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    discredited_at = models.DateTimeField(null=True, blank=True, editable=False)
    discredited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    discredited_reason = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="created_sources",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name", "public_description", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="named", person__isnull=False)
                | Q(kind="named", name__gt="")
                | Q(kind="anonymous", public_description__gt=""),
                name="source_is_identified_in_print",
                violation_error_message="A named source needs a person or a name; an anonymous "
                "source needs the description printed in the story.",
            ),
        ]
        permissions = [
            ("view_confidential_source", "Can see the identity of confidential sources"),
            ("approve_anonymity", "Can approve a grant of anonymity"),
            ("discredit_source", "Can mark a source discredited"),
        ]

    def __str__(self):
        if self.kind == self.Kind.ANONYMOUS:
            return f"{self.public_description} (anonymous #{self.pk})"
        named = str(self.person) if self.person_id else self.name
        return f"{named}, {self.public_description}" if self.public_description else named

    def save(self, *args, **kwargs):
        """Save; a change to the grant of anonymity withdraws its approval."""
        saved = getattr(self, "_saved_grant", None)
        if self.anonymity_approved_at and saved is not None and saved != self._grant():
            self.anonymity_approved_at = None
            self.anonymity_approved_by = None
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {
                    *kwargs["update_fields"],
                    "anonymity_approved_at",
                    "anonymity_approved_by",
                }
        super().save(*args, **kwargs)
        self._saved_grant = self._grant()

    save.alters_data = True

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._saved_grant = instance._grant()
        return instance

    def refresh_from_db(self, *args, **kwargs):
        # What is in the database now is what a later save compares against: without this, a
        # refreshed copy would take a grant changed (and approved again) elsewhere for its own
        # change, and withdraw the approval.
        super().refresh_from_db(*args, **kwargs)
        self._saved_grant = self._grant()

    def _grant(self):
        deferred = self.get_deferred_fields()
        return {name: getattr(self, name) for name in self.GRANT_FIELDS if name not in deferred}

    @property
    def is_anonymous(self):
        return self.kind == self.Kind.ANONYMOUS

    @property
    def anonymity_approved(self):
        return self.anonymity_approved_at is not None

    @property
    def is_discredited(self):
        return self.discredited_at is not None


#: Article fields a quote list never needs, whose size has no bound worth loading per row.
ARTICLE_LONG_TEXT = ("body", "desk_notes", "dek", "seo_description")


class QuoteQuerySet(models.QuerySet):
    def in_body(self):
        """Quotations still in their article's body (removed ones are kept for the record)."""
        return self.filter(removed_at__isnull=True)

    def second_hand(self):
        return self.filter(how_obtained=Quote.HowObtained.OTHER_OUTLET)

    def first_hand(self):
        return self.exclude(how_obtained=Quote.HowObtained.OTHER_OUTLET)

    def needing_action(self):
        """In the body and not settled: unattributed, or not verified."""
        return self.in_body().filter(Q(source__isnull=True) | ~Q(status=Quote.Status.VERIFIED))

    def for_desk(self):
        """Quotes with what a list of them shows, and never their stories' long texts: a row
        per quote must not carry a copy of its article's body."""
        return self.select_related(
            "article__section",
            "source__person",
            "outlet",
            "checked_by",
            "article__factcheck_assignment__checker",
        ).defer(*(f"article__{name}" for name in ARTICLE_LONG_TEXT))


class Quote(models.Model):
    """A quotation found in an article's body, with who said it, how we know, and its check."""

    class HowObtained(models.TextChoices):
        INTERVIEW = "interview", "Own interview, in person"
        PHONE = "phone", "Own interview, by phone or video"
        EMAIL = "email", "Email or message"
        DOCUMENT = "document", "Document"
        OTHER_OUTLET = "other_outlet", "Another outlet"

    class Status(models.TextChoices):
        UNVERIFIED = "unverified", "Unverified"
        VERIFIED = "verified", "Verified"
        DISPUTED = "disputed", "Disputed"
        UNVERIFIABLE = "unverifiable", "Unverifiable"

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="quotes")
    text = models.TextField(editable=False, help_text="As it stands in the body.")
    previous_text = models.TextField(
        blank=True, editable=False, help_text="The text before its last edit in the body."
    )
    position = models.PositiveIntegerField(default=0, editable=False)
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="quotes"
    )
    attribution = SingleLineCharField(
        "attribution as printed",
        max_length=500,
        blank=True,
        help_text="The words that attribute the quote in the story, e.g. "
        "“a friend of the couple … told PEOPLE”.",
    )
    how_obtained = models.CharField(max_length=20, choices=HowObtained, blank=True)
    outlet = models.ForeignKey(
        Outlet,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quotes",
        help_text="For quotes taken from another outlet.",
    )
    outlet_url = models.URLField("outlet's story URL", blank=True, max_length=500)
    outlet_date = models.DateField("outlet's story date", null=True, blank=True)
    status = models.CharField(
        "verification", max_length=20, choices=Status, default=Status.UNVERIFIED, editable=False
    )
    checked_text = models.TextField(
        blank=True, editable=False, help_text="The exact text the last check applies to."
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    check_note = models.TextField(blank=True, editable=False)
    removed_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the quotation left the text being worked on (for a published story with "
        "a pending update, that update's text).",
    )
    in_live_text = models.BooleanField(
        "in the text readers see",
        default=False,
        editable=False,
        help_text="Whether the quotation (or the wording it replaces in a pending update) stands "
        "in the article's live text.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = QuoteQuerySet.as_manager()

    #: Who said it and how we know, as the reporter records it on the article page.
    ATTRIBUTION_FIELDS = (
        "source_id",
        "attribution",
        "how_obtained",
        "outlet_id",
        "outlet_url",
        "outlet_date",
    )

    class Meta:
        # Quotes in the body first, in body order, then removed ones (NULLs sort first only on
        # some databases, so it is spelled out).
        ordering = [
            "article",
            models.F("removed_at").asc(nulls_first=True),
            "position",
            "pk",
        ]
        indexes = [
            models.Index(fields=["status", "removed_at"]),
            models.Index(fields=["article", "removed_at", "position"]),
        ]
        permissions = [
            ("verify_quote", "Can verify, dispute or mark quotes unverifiable"),
            ("export_ledger", "Can export the quote ledger"),
        ]

    def __str__(self):
        words = self.text.split()
        short = " ".join(words[:12]) + (" …" if len(words) > 12 else "")
        return f"“{short}”"

    @property
    def is_second_hand(self):
        return self.how_obtained == self.HowObtained.OTHER_OUTLET

    def reworded(self, text, *, position):
        """A new, unsaved, unverified quote for `text` that replaces this one's wording, with the
        same attribution."""
        return Quote(
            article_id=self.article_id,
            text=text,
            previous_text=self.text,
            position=position,
            **{name: getattr(self, name) for name in self.ATTRIBUTION_FIELDS},
        )

    @property
    def in_body(self):
        return self.removed_at is None


class QuoteCheck(models.Model):
    """One verdict on a quote by a fact-checker, kept for the record."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="checks")
    status = models.CharField(max_length=20, choices=Quote.Status)
    text = models.TextField(help_text="The exact quote text that was checked.")
    note = models.TextField(blank=True)
    evidence_url = models.URLField(blank=True, max_length=500)
    evidence_file = models.FileField(
        upload_to="evidence/%Y/%m/", storage=private_storage, blank=True
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-checked_at", "-pk"]

    def __str__(self):
        return f"{self.get_status_display()} by {self.checked_by}"


class ConfidentialAccess(models.Model):
    """A record that someone was shown a confidential source's identity."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    viewed_at = models.DateTimeField(default=timezone.now, db_index=True)
    place = models.CharField(max_length=100, help_text="Where it was shown.")

    class Meta:
        ordering = ["-viewed_at", "-pk"]
        verbose_name = "confidential identity view"
        verbose_name_plural = "confidential identity views"

    def __str__(self):
        return f"{self.user} saw {self.source} ({self.place})"


class CorrectionTask(models.Model):
    """A published story that may need a correction because a source was discredited."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="correction_tasks"
    )
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="correction_tasks")
    reason = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution = models.TextField(
        blank=True, help_text="What was done: a correction, a retraction, or why nothing was."
    )

    class Meta:
        ordering = ["resolved_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "source"],
                condition=Q(resolved_at__isnull=True),
                name="one_open_correction_task_per_article_and_source",
            )
        ]

    def __str__(self):
        return f"Review “{self.article}” (source discredited)"
