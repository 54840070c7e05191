import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, models, transaction
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery, prefetch_related_objects
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django_prose_editor.fields import ProseEditorField
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from newsroom.fields import SingleLineCharField
from people.models import Person

from .extensions import article_body_changed, article_transitioned
from .html import BODY_EXTENSIONS, sanitize_body
from .publish_gate import approval_problems, publish_problems
from .revisions import working_values
from .tasks import publish_scheduled_article
from .workflow import (
    APPROVE_FACTCHECKED,
    EDIT_ANY,
    REVIEWED_FIELDS,
    TRANSITIONS,
    Action,
    PublishBlocked,
    StaleEdit,
    Status,
    TransitionRefused,
    WorkflowError,
    edit_refusal,
)

logger = logging.getLogger("articles.workflow")

#: Permission lookups go through the model backend (so a user's groups count).
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _who(user):
    """How a log line names who acted: the username, or "system" for the scheduler."""
    return user.get_username() if user is not None else "system"


#: First path segments the site uses for itself, which a section slug may not take.
RESERVED_SECTION_SLUGS = {
    "admin",
    "media",
    "static",
    "preview",
    "policies",
    "feeds",
    "search",
    "healthz",
    "topics",
    "people",
    "authors",
    "archive",
    "corrections",
    "masthead",
}


def validate_section_slug(value):
    if value in RESERVED_SECTION_SLUGS:
        raise ValidationError("“%(slug)s” is used by the site itself.", params={"slug": value})


class Section(models.Model):
    name = SingleLineCharField(max_length=100, unique=True)
    slug = models.SlugField(
        max_length=100,
        unique=True,
        validators=[validate_section_slug],
        help_text="Starts the address of every story in the section, e.g. “entertainment”.",
    )
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Sections are listed in this order (lowest first)."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


STATUS_WRITE_REFUSED = "The status changes only through Article.transition()."


def card_prefetches():
    """What a story card shows beyond its row: the bylines' people, the photo's renditions."""
    return (
        Prefetch("bylines", queryset=Byline.objects.select_related("person")),
        "lead_photo__renditions",
    )


def prefetch_cards(articles):
    """Fetch what the cards of `articles` (any lists of them) show, in one query per relation."""
    prefetch_related_objects(articles, *card_prefetches())


#: The long texts of a story, read only by its own page and the desk.
NOT_ON_CARDS = ("body", "pending_update", "desk_notes")


def detail_prefetches():
    """What a story's page shows beyond its row: a card's, and its tags, people, corrections."""
    return (*card_prefetches(), "tags", "people", "corrections")


def prefetch_detail(articles):
    """Fetch what the pages of `articles` show, for stories read without it (`for_detail()`)."""
    prefetch_related_objects(articles, *detail_prefetches())


class ArticleQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if "status" in kwargs:
            raise WorkflowError(STATUS_WRITE_REFUSED)
        return super().update(**kwargs)

    update.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs):
        if "status" in fields:
            raise WorkflowError(STATUS_WRITE_REFUSED)
        return super().bulk_update(objs, fields, *args, **kwargs)

    bulk_update.alters_data = True

    def published(self, *, since=None, before=None):
        """What readers may see: published, the publication time come and the expiry time not
        yet. Every public read goes through here (docs/architecture.md, "The public read path").

        `since` and `before` narrow it to the stories first published in [since, before): an
        archive's period. A period that has ended is written as its own bounds alone, without
        "published by now" (which it implies): given two upper bounds, SQLite walks the
        stories' index from the first it is given, and from now it passed every story
        published since the period to reach it.
        """
        now = timezone.now()
        period = {"first_published_at__lte": now}
        if before is not None and before <= now:
            period = {"first_published_at__lt": before}
        if since is not None:
            period["first_published_at__gte"] = since
        return self.filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now),
            status=Status.PUBLISHED,
            **period,
        )

    def taken_down(self):
        """Stories readers saw and we removed, or whose expiry time has come (the scheduler is
        about to take them down): their address answers 410 Gone."""
        return self.filter(
            Q(status=Status.UNPUBLISHED)
            | Q(status=Status.PUBLISHED, expires_at__lte=timezone.now()),
            first_published_at__isnull=False,
        )

    def due(self):
        """Scheduled articles whose publication time has come."""
        return self.filter(status=Status.SCHEDULED, publish_at__lte=timezone.now())

    def expired(self):
        """Published articles whose expiry time has come, for the scheduler to take down."""
        return self.filter(status=Status.PUBLISHED, expires_at__lte=timezone.now())

    def for_cards(self):
        """The rows a story card needs, without what `prefetch_cards()` adds (for a page that
        shows several lists of cards and fetches their bylines and photos at once), and without
        the long texts no card shows."""
        return self.select_related("section", "lead_photo").defer(*NOT_ON_CARDS)

    def for_listing(self):
        return self.for_cards().prefetch_related(*card_prefetches())

    def for_page(self):
        """The row of a story's page, without its relations (`prefetch_detail()`)."""
        return self.select_related("section", "lead_photo")

    def for_detail(self):
        return self.for_page().prefetch_related(*detail_prefetches())

    def bylined(self, person):
        """Stories with `person` in any byline, each once, newest first, walked along an index
        in that order (the cost does not grow with how many they have). PostgreSQL's planner
        walks the stories' own order, probing the person's bylines (and for someone with few
        stories, sorts them). SQLite's would collect and sort every one of them, so there the
        bylines' own index leads (`byline_order`: the story's time copied onto them); someone
        may have two bylines on a story (words and photos), hence DISTINCT, which SQLite
        applies as it goes but PostgreSQL only after reading them all."""
        if connections[self.db].vendor == "postgresql":
            return self.filter(pk__in=Byline.objects.filter(person=person).values("article_id"))
        return (
            self.filter(bylines__person=person)
            .order_by("-bylines__first_published_at", "-created_at")
            .distinct()
        )

    def of(self, user):
        """Stories `user` created or has a byline on."""
        mine = self.filter(Q(created_by=user) | Q(bylines__person__user=user)).values("pk")
        return self.filter(pk__in=mine)

    def sent_back(self):
        """Drafts an editor sent back with changes requested (their last step)."""
        last_action = WorkflowEvent.objects.filter(article=OuterRef("pk")).order_by("-pk")
        return (
            self.filter(status=Status.DRAFT)
            .annotate(last_action=Subquery(last_action.values("action")[:1]))
            .filter(last_action=Action.REQUEST_CHANGES)
        )

    def with_pending_update(self):
        """Published stories with edits waiting for "Publish update"."""
        return self.filter(status=Status.PUBLISHED, pending_update__isnull=False)

    def visible_to(self, user):
        """Articles `user` may open in the admin or preview: all of them for editors and
        fact-checkers; for reporters their own, those they have a byline on, and published ones."""
        if user.has_perm(EDIT_ANY) or user.has_perm(APPROVE_FACTCHECKED):
            return self
        mine = self.filter(
            Q(created_by=user) | Q(bylines__person__user=user) | Q(status=Status.PUBLISHED)
        ).values("pk")
        return self.filter(pk__in=mine)


class TypeOfWork(models.TextChoices):
    """What kind of journalism a story is, labelled above its headline (a Trust Project
    indicator); `public/structured_data.py` maps each to its schema.org type."""

    NEWS = "news", "News"
    ANALYSIS = "analysis", "Analysis"
    OPINION = "opinion", "Opinion"
    REVIEW = "review", "Review"
    EXPLAINER = "explainer", "Explainer"
    SPONSORED = "sponsored", "Sponsored"


class TaggedArticle(TaggedItemBase):
    content_object = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="tagged_items"
    )
    #: The story's first publication time, copied (see `copy_first_publication`): a topic's page
    #: walks its stories newest first along this table's own index, however many it has.
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "article tag"
        indexes = [models.Index(fields=["tag", "-first_published_at"], name="tagged_article_order")]

    def save(self, *args, **kwargs):
        if self.first_published_at is None:
            self.first_published_at = self.content_object.first_published_at
        super().save(*args, **kwargs)


class Article(models.Model):
    """A story, from first draft to publication and after.

    `status` changes only through the transition methods (`submit`, `approve`, `publish`, ...),
    each of which checks the user's role and the current state, locks the row, runs the publish
    gate where it applies, and writes a `WorkflowEvent`. Every save raises `version` by one and
    refuses to overwrite a newer version (see `save()`).
    """

    headline = SingleLineCharField(
        max_length=200,
        blank=True,
        help_text="Say what happened, in under 70 characters if you can. Required to publish.",
    )
    slug = models.SlugField(
        max_length=200,
        blank=True,
        help_text="The end of the story's web address. Changing it after publication keeps the "
        "old address working as a redirect.",
    )
    dek = SingleLineCharField(
        "dek",
        max_length=300,
        blank=True,
        help_text="One or two sentences under the headline that add what the headline could not.",
    )
    body = ProseEditorField(extensions=BODY_EXTENSIONS, sanitize=sanitize_body, blank=True)
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, null=True, blank=True, related_name="articles"
    )
    tags = TaggableManager(through=TaggedArticle, blank=True)
    type_of_work = models.CharField(
        "type of work",
        max_length=20,
        choices=TypeOfWork,
        default=TypeOfWork.NEWS,
        help_text="Shown to readers above the headline, so they can tell reporting from "
        "analysis, opinion or paid content.",
    )
    dateline = SingleLineCharField(
        max_length=100, blank=True, help_text="Where the reporting was done, e.g. “PARIS”."
    )
    people = models.ManyToManyField(
        "people.Person",
        through="PersonInStory",
        blank=True,
        related_name="articles",
        help_text="Everyone the story is about. Minors and private individuals are never "
        "linked or named in structured data.",
    )
    lead_photo = models.ForeignKey(
        "photos.Photo", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=Status, default=Status.DRAFT, editable=False, db_index=True
    )
    publish_at = models.DateTimeField(
        "scheduled for", null=True, blank=True, editable=False, db_index=True
    )
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    embargo_until = models.DateTimeField(
        "embargoed until",
        null=True,
        blank=True,
        help_text="Not to be published before this time (e.g. a report released at 06:00). "
        "Publishing or scheduling earlier is refused.",
    )
    expires_at = models.DateTimeField(
        "expires at",
        null=True,
        blank=True,
        db_index=True,
        help_text="Taken down automatically at this time (rights-limited photos, time-bound "
        "notices); its address then answers “gone”.",
    )
    updated_at = models.DateTimeField(
        "updated (shown to readers)",
        null=True,
        blank=True,
        editable=False,
        help_text="Moves only for corrections and for edits marked as meaningful updates.",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    seo_title = SingleLineCharField(
        "SEO title",
        max_length=70,
        blank=True,
        help_text="For search engines; the headline if empty.",
    )
    seo_description = SingleLineCharField(
        "SEO description",
        max_length=160,
        blank=True,
        help_text="For search results and social cards; the dek if empty.",
    )
    desk_notes = models.TextField(
        blank=True, help_text="For the desk only; never shown to readers."
    )
    pending_update = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="A published story's working copy: edits wait here, unseen by readers, until "
        "“Publish update” (or a correction) passes the publish gate and makes them live.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="created_articles",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["modified_at"])

    #: Set by `transition()` around the one save that may change the status.
    _moving = False
    #: Set by `transition()` while the gate checks a schedule: the time it sets.
    _going_live_at = None

    #: Fields whose saved values are remembered, to tell what an edit changed.
    TRACKED_FIELDS = ("headline", "dek", "body", "slug", "status", "pending_update", "expires_at")
    #: What readers see of a story and editors write in its form. Edits to these on a published
    #: story wait in its pending update until they pass the gate.
    CONTENT_FIELDS = (
        "type_of_work",
        "headline",
        "slug",
        "dek",
        "section",
        "dateline",
        "body",
        "lead_photo",
        "seo_title",
        "seo_description",
    )
    #: What restoring a revision brings back: the words and their place (the lead photo only when
    #: asked), never workflow state.
    RESTORABLE_FIELDS = tuple(name for name in CONTENT_FIELDS if name != "lead_photo")

    class Meta:
        ordering = ["-first_published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "-first_published_at"]),
            models.Index(fields=["section", "status", "-first_published_at"]),
            # The default order, with the admin list's tie-break: its pages (and its date
            # drill-down's ranges) walk this index instead of sorting every story.
            models.Index(
                fields=["-first_published_at", "-created_at", "-id"], name="article_order"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"], condition=~Q(slug=""), name="unique_article_slug"
            )
        ]
        permissions = [
            ("edit_any_article", "Can edit any article, in any state"),
            ("review_article", "Can request changes, send to fact-check and approve"),
            ("approve_factchecked_article", "Can approve an article that is in fact-check"),
            ("publish_article", "Can schedule, publish, unpublish and correct articles"),
            ("clear_minor_naming", "Can let a story name a minor, giving the reason"),
        ]

    def __str__(self):
        return self.headline or f"Untitled draft #{self.pk}"

    # Saving.

    def save(self, *args, **kwargs):
        """Save, refusing with `StaleEdit` if the row's version moved since this copy was loaded.

        The version check and increment is one conditional UPDATE, so of two saves made from the
        same version exactly one wins, on SQLite and PostgreSQL alike.
        """
        adding = self._state.adding
        if adding or self.body != getattr(self, "_saved_state", {}).get("body"):
            # Once per save: a body the form's validation already sanitised passes through.
            self.body = str(sanitize_body(self.body))
        if self.pending_update:
            fields = self.pending_update["fields"]
            fields["body"] = str(sanitize_body(fields["body"]))
        changed = set() if adding else self.changed_fields()
        moved = "status" in changed or (adding and self.status != Status.DRAFT)
        if moved and not self._moving:
            raise WorkflowError(STATUS_WRITE_REFUSED)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "version", "modified_at"}
        with transaction.atomic():
            if not adding:
                self._claim_next_version()
            super().save(*args, **kwargs)
            if "slug" in changed:
                self._keep_old_address(self._saved_state["slug"])
            if adding or {"body", "pending_update"} & changed:
                article_body_changed.send(sender=Article, article=self)
        self._remember_saved_state()

    save.alters_data = True

    def get_absolute_url(self):
        """The public address once published; the staff preview before that."""
        if self.first_published_at and self.section_id and self.slug:
            return reverse("public:article", kwargs=self.public_url_kwargs())
        return reverse("public:preview", args=[self.pk])

    def clean(self):
        """The embargo comes before the expiry, and a scheduled time lies between them (to
        move either past it, cancel the schedule first)."""
        if self.embargo_until and self.expires_at and self.expires_at <= self.embargo_until:
            raise ValidationError({"expires_at": "Choose an expiry time after the embargo."})
        if self.status != Status.SCHEDULED or self.publish_at is None:
            return
        if self.embargo_until and self.embargo_until > self.publish_at:
            raise ValidationError(
                {
                    "embargo_until": "The story is scheduled before this embargo: cancel the "
                    "schedule first, or choose an embargo no later than its time."
                }
            )
        if self.expires_at and self.expires_at <= self.publish_at:
            raise ValidationError(
                {
                    "expires_at": "The story is scheduled for this time or later: choose an "
                    "expiry time after it."
                }
            )

    def _claim_next_version(self):
        claimed = Article.objects.filter(pk=self.pk, version=self.version).update(
            version=F("version") + 1
        )
        if not claimed:
            latest = self.history.select_related("history_user").first()
            by = f" by {latest.history_user}" if latest and latest.history_user else ""
            raise StaleEdit(
                f"This article was saved{by} after you opened it, so your changes were not "
                "saved. Your text is still in the form: copy it, reload the article and apply "
                "your changes again."
            )
        self.version += 1

    def _keep_old_address(self, old_slug):
        if old_slug and self.first_published_at:
            ArticleRedirect.objects.update_or_create(old_slug=old_slug, defaults={"article": self})
        # Taking back an old slug ends its redirect; another article's redirect is left alone.
        ArticleRedirect.objects.filter(old_slug=self.slug, article=self).delete()

    def save_edit(self, *, by, meaningful_update=False):
        """Save `by`'s changes to the story, as the admin does.

        Refuses if `by` may not edit the article now. On a published story the changes to its
        content go into its pending update, unseen by readers until published through the gate
        (`meaningful_update` then moves the updated time readers see). An approved or scheduled
        article whose headline, dek or body changed goes back to review (and the scheduled
        publish is off); the "reopen" event saying why is returned, else None.
        """
        if reason := edit_refusal(by, self):
            raise TransitionRefused(reason)
        reviewed_changes = sorted(self.changed_fields() & set(REVIEWED_FIELDS))
        self._history_user = by
        with transaction.atomic():
            if self.status == Status.PUBLISHED:
                self._hold_as_pending_update(by=by, meaningful=meaningful_update)
            elif reviewed_changes and self.status in TRANSITIONS[Action.REOPEN].sources:
                changes = ", ".join(reviewed_changes).capitalize()
                return self.transition(
                    Action.REOPEN,
                    by=by,
                    system=True,
                    keep_edits=True,
                    comment=f"{changes} changed after approval; needs review again.",
                )
            self.save()
        return None

    save_edit.alters_data = True

    def restore_revision(self, revision, *, by, with_lead_photo=False):
        """Bring back the words of `revision` (a history record) as they were being edited then,
        saved as an edit by `by`.

        Like any edit: a published story gets them as its pending update (the live page does
        not change), an approved or scheduled one goes back to review. The lead photo comes back
        only `with_lead_photo`; a related section or photo deleted since, or a slug another
        article has taken since, is left out.
        """
        names = [*self.RESTORABLE_FIELDS, *(["lead_photo"] if with_lead_photo else [])]
        if self.pending_update:
            self.show_pending_update()
        self.assign_content(working_values(revision, names))
        when = timezone.localtime(revision.history_date)
        self._change_reason = f"Restored the version of {when:%Y-%m-%d %H:%M}"
        return self.save_edit(by=by)

    restore_revision.alters_data = True

    # The pending update of a published story.

    @property
    def has_pending_update(self):
        return self.pending_update is not None

    @property
    def working_body(self):
        """The text being worked on: a published story's pending update, else its body."""
        return self.pending_update["fields"]["body"] if self.pending_update else self.body

    def content_values(self):
        """The content fields as stored: by name, related objects by id."""
        return {
            name: getattr(self, self._meta.get_field(name).attname) for name in self.CONTENT_FIELDS
        }

    def assign_content(self, values):
        """Set content fields from `values` (by name, related objects by id), leaving out a
        related object deleted since and a slug another article has taken since."""
        for name, value in values.items():
            field = self._meta.get_field(name)
            gone = field.is_relation and value is not None
            if gone and not field.related_model._default_manager.filter(pk=value).exists():
                continue
            if name == "slug" and value and self._slug_taken(value):
                continue
            setattr(self, field.attname, value)

    def show_pending_update(self):
        """Put the pending update on this copy, in memory only: what the admin form and the
        preview of the update show. Saving it through `save_edit()` keeps it pending."""
        if self.pending_update:
            self.assign_content(self.pending_update["fields"])

    def _hold_as_pending_update(self, *, by, meaningful):
        """Move this copy's content changes into the pending update and put the live values
        back, so saving changes nothing readers see."""
        working = self.content_values()
        live = Article.objects.filter(pk=self.pk).values(
            *(self._meta.get_field(name).attname for name in self.CONTENT_FIELDS)
        )[0]
        for attname, value in live.items():
            setattr(self, attname, value)
        if working == self.content_values():
            self.pending_update = None
            return
        self.pending_update = {
            "fields": working,
            "meaningful": meaningful,
            "by": by.pk,
            "at": timezone.now().isoformat(),
        }

    def make_pending_update_live(self):
        """Copy the pending update onto the live fields (the caller saves, through the gate);
        a meaningful update moves the updated time readers see."""
        pending, self.pending_update = self.pending_update, None
        self.assign_content(pending["fields"])
        if pending["meaningful"]:
            self.updated_at = timezone.now()

    def discard_pending_update(self):
        self.pending_update = None

    def add_creator_byline(self):
        """Give a new story its creator's byline, when the creator has a staff profile and the
        story has no byline yet."""
        person = getattr(self.created_by, "person", None)
        if person is not None and person.kind == Person.Kind.STAFF and not self.bylines.exists():
            self.bylines.create(person=person)

    add_creator_byline.alters_data = True

    def assign_factchecker(self, *, by, checker=None, due_at=None):
        """Give the story's fact-check to `checker` by `due_at` (see FactCheckAssignment.assign)."""
        return FactCheckAssignment.assign(self, by=by, checker=checker, due_at=due_at)

    def _slug_taken(self, slug):
        return Article.objects.filter(slug=slug).exclude(pk=self.pk).exists()

    # Addresses.

    def copy_first_publication(self):
        """Copy the first publication time onto the story's tags, bylines and people, whose own
        indexes list a topic's, an author's and a person's stories newest first (links made
        later copy it themselves)."""
        self.tagged_items.update(first_published_at=self.first_published_at)
        self.bylines.update(first_published_at=self.first_published_at)
        self.person_links.update(first_published_at=self.first_published_at)

    def public_url_kwargs(self):
        published = timezone.localtime(self.first_published_at)
        return {
            "section": self.section.slug,
            "year": f"{published:%Y}",
            "month": f"{published:%m}",
            "day": f"{published:%d}",
            "slug": self.slug,
        }

    @property
    def display_title(self):
        return self.seo_title or self.headline

    @property
    def display_description(self):
        return self.seo_description or self.dek

    @property
    def is_retracted(self):
        return any(c.kind == Correction.Kind.RETRACTION for c in self.corrections.all())

    @property
    def shows_update(self):
        return bool(
            self.updated_at
            and self.first_published_at
            and self.updated_at > self.first_published_at
        )

    # Remembering what was loaded, to know what an edit changes.

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._remember_saved_state()
        return instance

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self._remember_saved_state()

    def _remember_saved_state(self):
        deferred = self.get_deferred_fields()
        self._saved_state = {
            name: getattr(self, name) for name in self.TRACKED_FIELDS if name not in deferred
        }

    def changed_fields(self) -> set[str]:
        """Tracked fields whose value differs from what was loaded from the database."""
        saved = getattr(self, "_saved_state", {})
        return {name for name, value in saved.items() if getattr(self, name) != value}

    # Workflow.

    def is_published(self):
        """Whether readers can see the article now (the instance twin of `published()`)."""
        return self.status == Status.PUBLISHED and self.in_publication_period(
            self.first_published_at, self.expires_at
        )

    @staticmethod
    def in_publication_period(first_published_at, expires_at):
        """Whether now lies between a story's publication time and its expiry time (if any)."""
        now = timezone.now()
        return (
            first_published_at is not None
            and first_published_at <= now
            and (expires_at is None or expires_at > now)
        )

    is_published.boolean = True

    @property
    def is_embargoed(self):
        return self.embargo_until is not None and self.embargo_until > timezone.now()

    def goes_live_at(self):
        """When the step the publish gate is checking puts the story before readers: the time a
        schedule sets (`_take` notes it), else now."""
        return self._going_live_at or timezone.now()

    def can_be_edited_by(self, user):
        return edit_refusal(user, self) is None

    def transition(self, action, *, by, comment="", system=False, keep_edits=False, **inputs):
        """Take workflow `action` as `by`: the only way an article's status ever changes.

        Locks the row, asks the workflow table whether `by` may take the action from the
        article's current state (system actions only with `system=True`, `by` then being None or
        the person whose edit caused it), checks the action's inputs, runs its effect and, for
        gated actions, the publish gate, then saves and records a `WorkflowEvent`. After commit,
        `article_transitioned` is sent. Raises `TransitionRefused` or `PublishBlocked` (nothing
        changed) unless the row names a system transition to take instead when the gate refuses.

        With `keep_edits`, the unsaved changes on this copy are saved with the move (one
        revision), provided nobody saved the article since it was loaded (else `StaleEdit`).
        Returns the event.
        """
        row = TRANSITIONS[action]
        unexpected = set(inputs) - set(row.input_names)
        if unexpected:
            raise TypeError(f"{row.name} takes no input named {', '.join(sorted(unexpected))}")
        with transaction.atomic():
            article = Article.objects.select_for_update().get(pk=self.pk)
            if keep_edits:
                if article.version != self.version:
                    raise StaleEdit("This article was saved by someone else after you opened it.")
                article = self
            event = article._take(row, by=by, comment=comment, system=system, inputs=inputs)
        if not keep_edits:
            self.refresh_from_db()
        return event

    transition.alters_data = True

    def _take(self, row, *, by, comment, system, inputs):
        """Run `row` on this copy of the article, whose row the caller has locked."""
        if reason := row.refusal(by, self, system=system):
            raise TransitionRefused(reason)
        if missing := row.missing_inputs(inputs):
            raise TransitionRefused(*missing)
        gated = row.needs_gate(self)
        try:
            with transaction.atomic():  # a savepoint: a refusal undoes what the effect wrote
                if row.effect:
                    row.effect(self, by=by, **inputs)
                if problems := self._checks_refusing(row, gated=gated):
                    raise PublishBlocked(problems)
                return self._move(row, by=by, comment=comment or self._default_comment(inputs))
        except PublishBlocked as blocked:
            logger.warning(
                "publish gate refused action=%s article=%s by=%s problems=%d",
                row.name,
                self.pk,
                _who(by),
                len(blocked.problems),
            )
            if row.when_blocked is None:
                raise
            self.refresh_from_db()
            fallback = TRANSITIONS[row.when_blocked]
            return self._take(fallback, by=by, comment=str(blocked), system=system, inputs={})

    def _checks_refusing(self, row, *, gated):
        """What the publish gate (when `gated`) or the checks that hold at approval (for a row
        with `approval_checks`) find wrong. The checks see when the story would go live: the
        time a schedule sets, else now."""
        if gated:
            checks = publish_problems
        elif row.approval_checks:
            checks = approval_problems
        else:
            return []
        self._going_live_at = self.publish_at if row.target == Status.SCHEDULED else None
        try:
            return checks(self)
        finally:
            self._going_live_at = None

    @staticmethod
    def _default_comment(inputs):
        kind = inputs.get("correction_kind")
        return Correction.Kind(kind).label if kind else ""

    def _move(self, row, *, by, comment):
        from_status = self.status
        self.status = row.target
        if from_status == Status.SCHEDULED and row.target not in (
            Status.PUBLISHED,
            Status.SCHEDULED,
        ):
            # Off the schedule: no time should show as planned (the queued task then finds
            # the article unscheduled and does nothing).
            self.publish_at = None
        self._history_user = by
        self._moving = True
        try:
            self.save()
        finally:
            self._moving = False
        if row.target == Status.SCHEDULED:
            # The database task queue commits with the transition, so a schedule is never lost
            # and never runs for a transition that rolled back.
            publish_scheduled_article.using(run_after=self.publish_at).enqueue(self.pk)
        event = self.events.create(
            action=row.action,
            from_status=from_status,
            to_status=row.target,
            actor=by,
            comment=comment,
        )
        logger.info(
            "transition action=%s article=%s by=%s from=%s to=%s",
            row.name,
            self.pk,
            _who(by),
            from_status,
            row.target,
        )
        transaction.on_commit(
            lambda: article_transitioned.send(
                sender=Article, article=self, action=row.action, by=by, event=event
            )
        )
        return event

    def submit(self, *, by, comment=""):
        """Send a draft to the editors for review."""
        return self.transition(Action.SUBMIT, by=by, comment=comment)

    def request_changes(self, *, by, comment=""):
        """Send the article back to draft, saying what needs to change in `comment`."""
        return self.transition(Action.REQUEST_CHANGES, by=by, comment=comment)

    def send_to_factcheck(self, *, by, comment="", checker=None, factcheck_due=None):
        """Hand the article to a fact-checker (the least busy one unless `checker` is given),
        due at `factcheck_due` (FACTCHECK_HOURS from now unless given)."""
        return self.transition(
            Action.SEND_TO_FACTCHECK,
            by=by,
            comment=comment,
            checker=checker,
            factcheck_due=factcheck_due,
        )

    def approve(self, *, by, comment=""):
        """Approve the article for publication."""
        return self.transition(Action.APPROVE, by=by, comment=comment)

    def schedule(self, *, by, publish_at, comment=""):
        """Publish automatically at `publish_at` (aware), if the gate still passes then."""
        return self.transition(Action.SCHEDULE, by=by, comment=comment, publish_at=publish_at)

    def unschedule(self, *, by, comment=""):
        """Cancel the scheduled publication; the article stays approved."""
        return self.transition(Action.UNSCHEDULE, by=by, comment=comment)

    def publish(self, *, by, comment=""):
        """Publish now. The first publication time is kept if the article was published before."""
        return self.transition(Action.PUBLISH, by=by, comment=comment)

    def unpublish(self, *, by, comment=""):
        """Take the article down: gone from listings, feeds and sitemaps; its URL answers 410."""
        return self.transition(Action.UNPUBLISH, by=by, comment=comment)

    def correct(self, *, by, kind, text):
        """Append a public correction (or clarification, editor's note, retraction)."""
        return self.transition(Action.CORRECT, by=by, correction_kind=kind, correction_text=text)

    for _method in (
        submit,
        request_changes,
        send_to_factcheck,
        approve,
        schedule,
        unschedule,
        publish,
        unpublish,
        correct,
    ):
        _method.alters_data = True
    del _method

    @classmethod
    def publish_if_due(cls, pk):
        """Publish a scheduled article whose time has come; return the event, or None.

        Run by the task worker and by `manage.py publish_due`; safe to run twice or at once
        (the row lock makes the second caller find the article already published). When the
        gate fails at publication time the article goes back to approved and its editor is told.
        """
        return cls._system_step(pk, Action.PUBLISH_SCHEDULED, "scheduled run")

    @classmethod
    def publish_all_due(cls):
        """`publish_if_due` for every scheduled article whose time has come: the events (a
        "publish_scheduled" or a "schedule_failed" each). Run every minute by the task worker
        and by `manage.py publish_due`."""
        due = cls.objects.due().values_list("pk", flat=True)
        return [event for pk in due if (event := cls.publish_if_due(pk)) is not None]

    @classmethod
    def expire_if_due(cls, pk):
        """Take down a published article whose expiry time has come; return the event, or None.

        Like `publish_if_due`, safe to run twice or at once: the row lock makes the second
        caller find the article already unpublished, so it is taken down exactly once."""
        return cls._system_step(pk, Action.EXPIRE, "expiry run")

    @classmethod
    def _system_step(cls, pk, action, label):
        """Take system `action` on article `pk` if its row allows it now; log the outcome."""
        article = cls.objects.filter(pk=pk).first()
        if article is None:
            return None
        try:
            event = article.transition(action, by=None, system=True)
        except TransitionRefused as refusal:
            logger.info("%s article=%s outcome=skipped reason=%s", label, pk, refusal)
            return None
        logger.info("%s article=%s outcome=%s", label, pk, event.action)
        return event

    @classmethod
    def expire_all_due(cls):
        """`expire_if_due` for every published article whose expiry time has come: the events.
        Run every minute by the task worker and by `manage.py publish_due`."""
        expired = cls.objects.expired().values_list("pk", flat=True)
        return [event for pk in expired if (event := cls.expire_if_due(pk)) is not None]


class FactCheckAssignment(models.Model):
    """Which fact-checker owns a story's checks, and by when. Set when the story is sent to
    fact-check (a checker and a due time, or sensible defaults) and changed in the admin."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, related_name="factcheck_assignment"
    )
    checker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="factcheck_assignments",
        help_text="A fact-checker or standards editor.",
    )
    due_at = models.DateTimeField("due", null=True, blank=True)
    note = models.TextField(blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, editable=False, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_at", "pk"]

    def __str__(self):
        return f"{self.article} → {self.checker}"

    def clean(self):
        if self.checker_id and not self.checker.has_perm(APPROVE_FACTCHECKED):
            raise ValidationError({"checker": "Choose someone who can verify quotes."})

    @staticmethod
    def checkers():
        """Everyone who can take a story's fact-check: fact-checkers and standards editors."""
        return (
            get_user_model()
            .objects.with_perm(APPROVE_FACTCHECKED, backend=MODEL_BACKEND)
            .filter(is_active=True)
        )

    @classmethod
    def least_busy_checker(cls):
        """The checker with the fewest stories in fact-check now (by name on a tie), or None."""
        busy = Count(
            "factcheck_assignments",
            filter=Q(factcheck_assignments__article__status=Status.FACT_CHECK),
        )
        return cls.checkers().annotate(busy=busy).order_by("busy", "username").first()

    @classmethod
    def assign(cls, article, *, by, checker=None, due_at=None):
        """Give `article`'s fact-check to `checker` by `due_at`. Left out, they keep what an
        earlier assignment said, else the least busy checker and FACTCHECK_HOURS from now."""
        if checker is not None and not checker.has_perm(APPROVE_FACTCHECKED):
            raise TransitionRefused(f"{checker} cannot fact-check stories.")
        earlier = cls.objects.filter(article=article).first()
        checker = checker or (earlier and earlier.checker) or cls.least_busy_checker()
        if checker is None:
            return None  # nobody can check yet: the desk lists the story as not assigned
        due_at = due_at or (earlier and earlier.due_at) or timezone.now() + settings.FACTCHECK_TIME
        assignment, _ = cls.objects.update_or_create(
            article=article, defaults={"checker": checker, "due_at": due_at, "assigned_by": by}
        )
        return assignment


class Autosave(models.Model):
    """What someone typed into a story's form and has not saved yet, kept for them alone.

    The change form sends it every few seconds. It is never applied to the story, never goes
    through the gate and never reaches readers; reopening the story offers it back, carrying the
    version it was typed against so the version check still decides what a save may overwrite.
    """

    #: The form fields kept: the story's content and the desk's notes.
    FIELDS = (*Article.CONTENT_FIELDS, "desk_notes")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="autosaves")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    loaded_version = models.PositiveIntegerField()
    fields = models.JSONField(help_text="Form field name to the text typed, as posted.")
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="one_autosave_per_person")
        ]

    def __str__(self):
        return f"Unsaved text of {self.user} for “{self.article}”"

    @classmethod
    def keep(cls, article, user, *, loaded_version, posted):
        """Keep `user`'s unsaved form fields (`posted`, a QueryDict) for `article`."""
        fields = {name: posted.get(name, "") for name in cls.FIELDS if name in posted}
        autosave, _ = cls.objects.update_or_create(
            article=article,
            user=user,
            defaults={"loaded_version": loaded_version, "fields": fields},
        )
        return autosave

    def differs_from(self, article):
        """Whether the kept text is other than what the story's form shows now."""
        shown = {name: _as_posted(value) for name, value in article.content_values().items()}
        shown["desk_notes"] = article.desk_notes
        return any(shown.get(name) != value for name, value in self.fields.items())

    def restore_onto(self, article):
        """Put the kept text on `article`'s form copy (in memory), with the version it was typed
        against, so that saving it over a newer version is refused and shows what changed."""
        for name, value in self.fields.items():
            field = article._meta.get_field(name)
            if field.is_relation:
                value = int(value) if str(value).isdigit() else None
            setattr(article, field.attname, value)
        article.version = self.loaded_version


def _as_posted(value):
    return "" if value is None else str(value)


class MinorNamingClearance(models.Model):
    """A standards editor's decision, with its reason, that a story may name a minor."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="minor_clearances")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(
        help_text="Why naming the child serves readers and does them no harm, e.g. “The name "
        "is in the court ruling the story is about, and the family made it public.”"
    )
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    cleared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-cleared_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "person"], name="one_minor_clearance_per_article_and_person"
            )
        ]

    def __str__(self):
        return f"“{self.article}” may name {self.person}"

    @classmethod
    def clear(cls, *, article, person, by, reason):
        """Let `article` name `person` (a minor) as `by`, a standards editor, saying why."""
        if not by.has_perm("articles.clear_minor_naming"):
            raise PermissionDenied("Only a standards editor can let a story name a minor.")
        if not person.is_minor:
            raise ValidationError(f"{person} is not marked as a minor.")
        if not reason.strip():
            raise ValidationError("Say why the story may name the child.")
        clearance, _ = cls.objects.update_or_create(
            article=article,
            person=person,
            defaults={"reason": reason.strip(), "cleared_by": by, "cleared_at": timezone.now()},
        )
        return clearance


class Byline(models.Model):
    class Role(models.TextChoices):
        AUTHOR = "author", "By"
        ADDITIONAL_REPORTING = "additional_reporting", "Additional reporting by"
        PHOTOGRAPHY = "photography", "Photos by"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="bylines",
        limit_choices_to={"kind": "staff"},
        help_text="Staff only. Add staff under People first.",
    )
    role = models.CharField(max_length=30, choices=Role, default=Role.AUTHOR)
    position = models.PositiveSmallIntegerField(default=0)
    #: The story's first publication time, copied (see `copy_first_publication`): an author's
    #: page walks their stories newest first along this table's own index.
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "person", "role"], name="one_byline_per_person_and_role"
            )
        ]
        indexes = [models.Index(fields=["person", "-first_published_at"], name="byline_order")]

    def __str__(self):
        return f"{self.get_role_display()} {self.person}"

    def save(self, *args, **kwargs):
        if self.first_published_at is None:
            self.first_published_at = self.article.first_published_at
        super().save(*args, **kwargs)


class PersonInStory(models.Model):
    """A person a story is about (`Article.people`)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="person_links")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="article_links"
    )
    #: The story's first publication time, copied (see `copy_first_publication`): a person's
    #: page walks their stories newest first along this table's own index.
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        # The table Django made for the many-to-many field before it had this model.
        db_table = "articles_article_people"
        unique_together = [("article", "person")]
        indexes = [
            models.Index(fields=["person", "-first_published_at"], name="person_in_story_order")
        ]

    def __str__(self):
        return f"{self.person} in {self.article}"

    @classmethod
    def copy_first_publication(cls, links):
        """Give `links`, made by `article.people.add()` and the like (which save no model), their
        story's first publication time."""
        story = Article.objects.filter(pk=OuterRef("article_id")).values("first_published_at")
        links.update(first_published_at=Subquery(story))


@receiver(m2m_changed, sender=PersonInStory, dispatch_uid="articles.people_copy_publication")
def copy_first_publication_to_new_people(sender, instance, action, reverse, pk_set, **kwargs):
    if action != "post_add" or not pk_set:
        return
    if reverse:  # person.articles.add(...)
        links = PersonInStory.objects.filter(person=instance, article__in=pk_set)
    elif instance.first_published_at is not None:  # a draft's links get it on publication
        links = PersonInStory.objects.filter(article=instance, person__in=pk_set)
    else:
        return
    PersonInStory.copy_first_publication(links)


class Correction(models.Model):
    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"
        EDITORS_NOTE = "editors_note", "Editor's note"
        RETRACTION = "retraction", "Retraction"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.CORRECTION)
    text = models.TextField(
        help_text="Shown to readers as written. Say what was wrong and what is right, e.g. "
        "“An earlier version of this story misstated the year the bridge opened. It was 1931.”"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} to “{self.article}”"


class WorkflowEvent(models.Model):
    """One step in an article's life: who moved it, when, from which state to which."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30, choices=Action)
    from_status = models.CharField(max_length=20, choices=Status)
    to_status = models.CharField(max_length=20, choices=Status)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the scheduler acted.",
    )
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["article", "created_at"])]

    def __str__(self):
        who = self.actor or "scheduler"
        return f"{self.get_action_display()} by {who}"


class ArticleRedirect(models.Model):
    """An address a published article used to have, kept so old links still work (301)."""

    old_slug = models.SlugField(max_length=200, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_slug"]

    def __str__(self):
        return f"{self.old_slug} → {self.article.slug}"


class PreviewLinkQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class PreviewLink(models.Model):
    """A signed, expiring, revocable link that shows one unpublished article to anyone."""

    SALT = "articles.preview-link"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="preview_links")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Preview link for “{self.article}” (until {self.expires_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self):
        return reverse("public:shared_preview", args=[self.article_id, self.token])

    @classmethod
    def create_for(cls, article, *, by, lifetime=None):
        lifetime = lifetime or settings.PREVIEW_LINK_LIFETIME
        return cls.objects.create(
            article=article, created_by=by, expires_at=timezone.now() + lifetime
        )

    @property
    def token(self):
        """The link's signature: the same every time (its expiry is kept in the database)."""
        return signing.Signer(salt=self.SALT).sign_object(
            {"article": self.article_id, "link": self.pk}
        )

    @classmethod
    def resolve(cls, article_id, token):
        """The active link `token` stands for, if it is genuine and for this article; else None."""
        try:
            payload = signing.Signer(salt=cls.SALT).unsign_object(token)
        except signing.BadSignature:
            return None
        if not isinstance(payload, dict) or payload.get("article") != article_id:
            return None
        return cls.objects.active().filter(pk=payload.get("link"), article_id=article_id).first()

    def revoke(self):
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])

    revoke.alters_data = True


class SearchEntry(models.Model):
    """An article's text as search reads it, kept in step by `articles/search.py`: the live
    version of a published story (never its pending update), the working text of any other.

    The engines' own structures are made by migrations 0009 and 0010 on their database only:
    on PostgreSQL a weighted `document` tsvector with a GIN index (and a trigram index on
    people's names, for misspelt names); on SQLite the FTS5 table `articles_searchfts`, which
    triggers on this table keep in step.
    """

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    headline = models.TextField(blank=True)
    summary = models.TextField(blank=True, help_text="The dek, tags and the names of people.")
    body = models.TextField(blank=True, help_text="The body as plain text.")
    names = models.TextField(blank=True, help_text="Names of people, for misspelt-name matches.")
    dated = models.DateTimeField(help_text="First publication, else creation: for recency.")

    class Meta:
        verbose_name_plural = "search entries"

    def __str__(self):
        return f"Search entry of article #{self.article_id}"
