"""Sourcing actions that change the record: checking quotes, granting anonymity, discrediting
sources and resolving correction tasks. (Logging who saw a confidential identity belongs to the
boundary: sourcing/confidential.py.)

Each checks the user's permission, runs in one transaction and returns what it created.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from articles.models import Article

from .models import CorrectionTask, Quote, QuoteCheck, Source

VERDICTS = (Quote.Status.VERIFIED, Quote.Status.DISPUTED, Quote.Status.UNVERIFIABLE)


def check_quote(
    *,
    quote: Quote,
    by,
    status: str,
    note: str = "",
    evidence_url: str = "",
    evidence_file=None,
    text: str | None = None,
) -> QuoteCheck:
    """Record a fact-checker's verdict on the exact current text of `quote`.

    Every verdict needs a note (what the quote matches, or why it is disputed or cannot be
    verified); only an attributed quote can be verified. `text` is the wording the checker was
    shown; if the body changed it since, the verdict is refused, because it would be recorded
    against words nobody checked.
    """
    if not by.has_perm("sourcing.verify_quote"):
        raise PermissionDenied("Only fact-checkers and standards editors can check quotes.")
    if status not in VERDICTS:
        raise ValidationError(
            f"“{status}” is not a verdict; use verified, disputed or unverifiable."
        )
    if not note.strip():
        raise ValidationError(
            "Say how you checked the quote (what it matches)."
            if status == Quote.Status.VERIFIED
            else "Say why the quote is disputed or cannot be verified."
        )
    with transaction.atomic():
        quote = Quote.objects.select_for_update().get(pk=quote.pk)
        if quote.removed_at is not None:
            raise ValidationError("This quotation is no longer in the story.")
        if status == Quote.Status.VERIFIED and quote.source_id is None:
            raise ValidationError(
                "Attribute the quote to a source before verifying it: a check says who said it."
            )
        if text is not None and text != quote.text:
            raise ValidationError(
                "The quotation was edited after you loaded it: check its new wording."
            )
        check = QuoteCheck.objects.create(
            quote=quote,
            status=status,
            text=quote.text,
            note=note.strip(),
            evidence_url=evidence_url,
            evidence_file=evidence_file or "",
            checked_by=by,
        )
        quote.status = status
        quote.checked_text = quote.text
        quote.checked_by = by
        quote.checked_at = check.checked_at
        quote.check_note = check.note
        quote.save(
            update_fields=["status", "checked_text", "checked_by", "checked_at", "check_note"]
        )
    return check


#: What a grant of anonymity must say before a standards editor can approve it.
REQUIRED_FOR_APPROVAL = (
    "public_description",
    "real_name",
    "relationship_to_subject",
    "knowledge",
    "information",
    "anonymity_reason_internal",
    "anonymity_reason_public",
)


def approval_refusals(source: Source) -> list[str]:
    """Why this grant of anonymity cannot be approved as it stands (empty when it can)."""
    if not source.is_anonymous:
        return ["Only anonymous sources need their anonymity approved."]
    reasons = [
        f"Fill in “{Source._meta.get_field(name).verbose_name}”."
        for name in REQUIRED_FOR_APPROVAL
        if not getattr(source, name)
    ]
    if source.on_record_possible:
        reasons.append("The information could be had on the record, so anonymity is not justified.")
    if source.information == Source.Information.OPINION:
        reasons.append("Anonymity is granted for information, not for opinion.")
    return reasons


def approve_anonymity(*, source: Source, by) -> Source:
    """A standards editor approves the grant of anonymity as it stands now."""
    if not by.has_perm("sourcing.approve_anonymity"):
        raise PermissionDenied("Only a standards editor can approve anonymity.")
    with transaction.atomic():
        source = Source.objects.select_for_update().get(pk=source.pk)
        if reasons := approval_refusals(source):
            raise ValidationError(reasons)
        source.anonymity_approved_by = by
        source.anonymity_approved_at = timezone.now()
        source.save(update_fields=["anonymity_approved_by", "anonymity_approved_at"])
    return source


def discredit_source(*, source: Source, by, reason: str) -> list[CorrectionTask]:
    """Mark `source` discredited and open a correction task on every published story that
    quotes it. Returns the tasks, one per story.

    Running it again keeps the first record of who discredited the source and when, and opens
    tasks only for stories that never had one for this source.
    """
    if not by.has_perm("sourcing.discredit_source"):
        raise PermissionDenied("Only a standards editor can discredit a source.")
    if not reason.strip():
        raise ValidationError("Say why the source is discredited.")
    with transaction.atomic():
        source = Source.objects.select_for_update().get(pk=source.pk)
        if not source.is_discredited:
            source.discredited_at = timezone.now()
            source.discredited_by = by
            source.discredited_reason = reason.strip()
            source.save(update_fields=["discredited_at", "discredited_by", "discredited_reason"])
        stories = (
            Article.objects.published()
            .filter(quotes__source=source, quotes__removed_at__isnull=True)
            .distinct()
        )
        earlier = {task.article_id: task for task in source.correction_tasks.order_by("pk")}
        return [
            earlier.get(article.pk)
            or CorrectionTask.objects.create(
                article=article, source=source, reason=reason.strip(), created_by=by
            )
            for article in stories
        ]


def resolve_correction_task(*, task: CorrectionTask, by, resolution: str) -> CorrectionTask:
    if not by.has_perm("sourcing.change_correctiontask"):
        raise PermissionDenied("Only editors can resolve correction tasks.")
    if not resolution.strip():
        raise ValidationError("Say what was done: the correction, or why none was needed.")
    task.resolved_at = timezone.now()
    task.resolved_by = by
    task.resolution = resolution.strip()
    task.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    return task
