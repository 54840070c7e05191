from django.db import models
from django.db.models import Q
from django.urls import reverse
from django_prose_editor.fields import ProseEditorField

from articles.html import BODY_EXTENSIONS, sanitize_body
from newsroom.fields import SingleLineCharField


class TrustProperty(models.TextChoices):
    """The schema.org properties of a news organisation that point readers and machines at its
    published standards (the Trust Project's indicators). Each is filled by at most one page."""

    PUBLISHING_PRINCIPLES = "publishingPrinciples", "Our standards (publishing principles)"
    ETHICS = "ethicsPolicy", "Ethics policy"
    UNNAMED_SOURCES = "unnamedSourcesPolicy", "Anonymous sources policy"
    CORRECTIONS = "correctionsPolicy", "Corrections policy"
    VERIFICATION = "verificationFactCheckingPolicy", "Verification and fact-checking policy"
    FEEDBACK = "actionableFeedbackPolicy", "Feedback and contact policy"
    OWNERSHIP = "ownershipFundingInfo", "Ownership and funding"


class Page(models.Model):
    """A standards or policy page editors keep up to date in the admin, at /policies/<slug>/."""

    title = SingleLineCharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    summary = SingleLineCharField(
        max_length=300, blank=True, help_text="One sentence for search results and the footer."
    )
    body = ProseEditorField(extensions=BODY_EXTENSIONS, sanitize=sanitize_body, blank=True)
    trust_property = models.CharField(
        "fills the structured-data property",
        max_length=40,
        choices=TrustProperty,
        blank=True,
        help_text="Search engines are told this page is the newsroom's policy of this kind.",
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Pages are listed in the footer in this order (lowest first)."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["trust_property"],
                condition=~Q(trust_property=""),
                name="one_page_per_trust_property",
                violation_error_message="Another page already fills this property.",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("public:policy", args=[self.slug])
