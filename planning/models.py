"""The planning desk: the story budget (assignments), comments on drafts, and calendar feeds.

A planned story is an `Assignment`: the budget's line for it, which becomes an article when its
reporter starts writing (docs/architecture.md, "The planning desk", says why it is not a state of
`Article`). Comments belong to an article and are seen only by staff who may open it.
"""

import re
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from articles.html import plain_text
from articles.models import MODEL_BACKEND, Article, Byline, Section
from articles.workflow import APPROVE_FACTCHECKED, EDIT_ANY, REVIEW, Status
from newsroom.fields import SingleLineCharField
from people.models import Person

from .notifications import send_mention_emails

#: Planning, assigning and moving stories: the editors' desk (editors and standards editors).
PLAN = EDIT_ANY

#: The states in which a story is still being made: the budget lists these.
IN_PROGRESS = (
    Status.DRAFT,
    Status.IN_REVIEW,
    Status.FACT_CHECK,
    Status.APPROVED,
    Status.SCHEDULED,
)


def staff_writers():
    """Everyone who may be assigned a story: active staff who can write articles."""
    return (
        get_user_model()
        .objects.with_perm("articles.add_article", backend=MODEL_BACKEND)
        .filter(is_active=True, is_staff=True)
    )


class AssignmentQuerySet(models.QuerySet):
    def on_budget(self):
        """What the budget lists: planned stories and stories being made, not what is out."""
        return self.filter(Q(article__isnull=True) | Q(article__status__in=IN_PROGRESS))

    def for_budget(self):
        return self.select_related("section", "photographer", "article").prefetch_related(
            "reporters"
        )

    def of(self, user):
        """Assignments `user` has as a reporter or as the photographer."""
        return self.filter(Q(reporters=user) | Q(photographer=user)).distinct()

    def in_state(self, state):
        """ "planned" (no article yet) or an article status."""
        if state == Assignment.PLANNED:
            return self.filter(article__isnull=True)
        return self.filter(article__status=state)


class Assignment(models.Model):
    """A line of the story budget: what story is coming, who has it, when it runs."""

    PLANNED = "planned"

    class Priority(models.IntegerChoices):
        TOP = 1, "Top"
        HIGH = 2, "High"
        NORMAL = 3, "Normal"
        LOW = 4, "Low"

    working_slug = models.SlugField(
        max_length=60,
        help_text="The desk's short name for the story, e.g. “bridge-reopens”. Not its web "
        "address.",
    )
    budget_line = SingleLineCharField(
        max_length=200, help_text="One line: what the story is and why it matters."
    )
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="assignments")
    reporters = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="assignments", blank=True
    )
    photographer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="photo_assignments",
    )
    expected_words = models.PositiveIntegerField("expected length (words)", null=True, blank=True)
    due_at = models.DateTimeField("copy due", null=True, blank=True)
    run_on = models.DateField("target publication date", db_index=True)
    priority = models.PositiveSmallIntegerField(choices=Priority, default=Priority.NORMAL)
    article = models.OneToOneField(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="assignment",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["run_on", "section__position", "priority", "due_at", "pk"]

    def __str__(self):
        return f"{self.working_slug}: {self.budget_line}"

    @property
    def state(self):
        return self.article.status if self.article_id else self.PLANNED

    @property
    def state_label(self):
        return self.article.get_status_display() if self.article_id else "Planned"

    @classmethod
    def put_on_budget(cls, article, *, by):
        """Plan a story that is already being written: its slug, headline and section, the day
        it is scheduled for (else today), its authors as reporters and its photographer."""
        if not by.has_perm(PLAN):
            raise PermissionDenied("Only editors put stories on the budget.")
        if cls.objects.filter(article=article).exists():
            raise PermissionDenied("This story is on the budget already.")
        if article.section_id is None:
            raise PermissionDenied("Choose the story's section first.")
        bylines = article.bylines.select_related("person__user")
        writers = {b.person.user for b in bylines if b.role != Byline.Role.PHOTOGRAPHY}
        photographers = [b.person.user for b in bylines if b.role == Byline.Role.PHOTOGRAPHY]
        run_on = article.publish_at if article.status == Status.SCHEDULED else timezone.now()
        assignment = cls.objects.create(
            working_slug=(article.slug or f"story-{article.pk}")[:60],
            budget_line=article.headline or str(article),
            section_id=article.section_id,
            photographer=next((user for user in photographers if user is not None), None),
            run_on=timezone.localdate(run_on),
            created_by=by,
            article=article,
        )
        assignment.reporters.set(
            [user for user in writers if user is not None] or [article.created_by]
        )
        return assignment

    def start_refusal(self, user):
        """Why `user` may not start writing this story now, or None if they may."""
        if self.article_id:
            return "Writing has already started on this story."
        if not user.has_perm("articles.add_article"):
            return "You do not have permission to write stories."
        if not user.has_perm(PLAN) and not self.reporters.filter(pk=user.pk).exists():
            return "Only its reporters or an editor can start a planned story."
        if not self.reporters.exists():
            return "Assign a reporter first."
        return None

    def start(self, *, by):
        """Make the planned story a draft for its lead reporter to write: the section, a
        byline for each reporter (and the photographer) with a staff profile, the budget line
        in the desk notes. Its creator is `by` when a reporter starts it, else the first
        reporter by name, so that a reporter owns the draft as if they had created it."""
        if reason := self.start_refusal(by):
            raise PermissionDenied(reason)
        reporters = list(self.reporters.order_by("last_name", "first_name", "username"))
        owner = by if by in reporters else reporters[0]
        with transaction.atomic():
            assignment = Assignment.objects.select_for_update().get(pk=self.pk)
            if assignment.article_id:
                raise PermissionDenied("Writing has already started on this story.")
            article = Article(
                section=self.section,
                desk_notes=f"Budget: {self.budget_line}",
                created_by=owner,
            )
            article._history_user = by
            article.save()
            self._add_bylines(article, reporters)
            self.article = article
            self.save(update_fields=["article"])
        return article

    start.alters_data = True

    def _add_bylines(self, article, reporters):
        people = [(user, Byline.Role.AUTHOR) for user in reporters]
        if self.photographer is not None:
            people.append((self.photographer, Byline.Role.PHOTOGRAPHY))
        for position, (user, role) in enumerate(people):
            person = getattr(user, "person", None)
            if person is not None and person.kind == Person.Kind.STAFF:
                Byline.objects.get_or_create(
                    article=article, person=person, role=role, defaults={"position": position}
                )


#: "@username": a mention, in a comment, of the member of staff of that name.
MENTION = re.compile(r"(?<![\w@.])@([\w.+-]+)")


class CommentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)

    def threads(self):
        """Top-level comments, with their replies and people, oldest first."""
        return (
            self.filter(parent__isnull=True)
            .select_related("author", "resolved_by")
            .prefetch_related(
                models.Prefetch(
                    "replies", queryset=Comment.objects.select_related("author").order_by("pk")
                )
            )
            .order_by("pk")
        )

    def blocking(self):
        return self.open().filter(blocking=True, parent__isnull=True)


class Comment(models.Model):
    """A remark on an article for the desk: threaded (a reply answers a top-level comment),
    optionally anchored to a passage of the story, resolvable, and possibly blocking approval
    and publication until resolved. Never shown to readers."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="desk_comments")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=5000)
    anchor = models.TextField(
        "on the passage",
        max_length=1000,
        blank=True,
        help_text="A quote or sentence of the story this comment is about.",
    )
    blocking = models.BooleanField(
        default=False, help_text="The story cannot be approved or published until resolved."
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["article", "resolved_at"])]

    def __str__(self):
        return f"Comment by {self.author} on “{self.article}”"

    @property
    def is_resolved(self):
        return self.resolved_at is not None

    @property
    def anchor_found(self):
        """Whether the passage it is anchored to is still in the story's working text."""
        return _folded(self.anchor) in _folded(plain_text(self.article.working_body))

    @staticmethod
    def may_comment(user, article):
        return Article.objects.visible_to(user).filter(pk=article.pk).exists()

    @staticmethod
    def may_block(user):
        return user.has_perm(REVIEW) or user.has_perm(APPROVE_FACTCHECKED)

    def may_resolve(self, user):
        return self.parent_id is None and (self.author_id == user.pk or user.has_perm(REVIEW))

    @classmethod
    def post(cls, *, article, by, text, anchor="", blocking=False, parent=None):
        """Add `by`'s comment (a reply when `parent` is given) and note the people it mentions;
        they are emailed once the comment is saved for good. Returns the comment."""
        if not cls.may_comment(by, article):
            raise PermissionDenied("You may not comment on a story you cannot open.")
        text, anchor = text.strip(), " ".join(anchor.split())
        if not text:
            raise ValidationError("Write a comment.")
        if parent is not None:
            if parent.article_id != article.pk:
                raise ValidationError("That comment is on another story.")
            parent = parent.parent or parent
            anchor, blocking = "", False
        if blocking and not cls.may_block(by):
            raise PermissionDenied("Only editors, fact-checkers and standards editors block.")
        if anchor and _folded(anchor) not in _folded(plain_text(article.working_body)):
            raise ValidationError("The passage is not in the story: copy it from the text.")
        with transaction.atomic():
            comment = cls.objects.create(
                article=article,
                parent=parent,
                author=by,
                text=text,
                anchor=anchor,
                blocking=blocking,
            )
            comment._note_mentions()
        return comment

    def _note_mentions(self):
        names = {name.rstrip(".") for name in MENTION.findall(self.text)}
        if not names:
            return
        people = get_user_model().objects.filter(username__in=names, is_active=True, is_staff=True)
        mentioned = [
            user for user in people if user != self.author and self.may_comment(user, self.article)
        ]
        Mention.objects.bulk_create([Mention(comment=self, user=user) for user in mentioned])
        if mentioned:
            transaction.on_commit(lambda: send_mention_emails.enqueue(self.pk))

    def resolve(self, *, by):
        if not self.may_resolve(by):
            raise PermissionDenied("Only its author or an editor can resolve a comment.")
        Comment.objects.filter(pk=self.pk, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by=by
        )
        self.refresh_from_db()

    resolve.alters_data = True

    def reopen(self, *, by):
        if not self.may_resolve(by):
            raise PermissionDenied("Only its author or an editor can reopen a comment.")
        Comment.objects.filter(pk=self.pk).update(resolved_at=None, resolved_by=None)
        self.refresh_from_db()

    reopen.alters_data = True


def _folded(text):
    return " ".join(text.split()).casefold()


class Mention(models.Model):
    """Someone named with @ in a comment; emailed once (`emailed_at`) and listed in My work."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentions"
    )
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="one_mention_per_person")
        ]

    def __str__(self):
        return f"{self.user} mentioned in {self.comment}"


class CalendarFeed(models.Model):
    """A person's private iCal address of their due stories. The token is the only key (calendar
    apps cannot sign in), so it can be replaced, which revokes the old address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Calendar feed of {self.user}"

    def get_absolute_url(self):
        return reverse("planning_ical", args=[self.token])

    @classmethod
    def renew_for(cls, user):
        """Give `user` a new address, ending the old one."""
        feed, _ = cls.objects.update_or_create(
            user=user, defaults={"token": secrets.token_urlsafe(32)}
        )
        return feed

    @classmethod
    def revoke_for(cls, user):
        cls.objects.filter(user=user).delete()
