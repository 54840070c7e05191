"""“My work”: what is waiting for the person signed in, by what their role lets them do.

It lives in `sourcing` because it gathers queues from the apps below it: stories from
`articles`, the person's assignments and the comments that mention them from `planning`, grants,
correction tasks and fact-check assignments from here.
"""

from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.template.response import TemplateResponse
from django.utils import timezone

from articles.models import Article, FactCheckAssignment
from articles.workflow import APPROVE_FACTCHECKED, PUBLISH, REVIEW, Status
from planning.models import Assignment, Mention

from ..models import CorrectionTask, Quote, Source

#: How many stories each queue lists; the link under it opens the rest.
QUEUE_LENGTH = 25


def my_work_view(request):
    user = request.user
    stories = Article.objects.visible_to(user).select_related("section")
    sent_back = stories.of(user).sent_back()
    queues = [
        ("Sent back to me", sent_back, "mine"),
        (
            "My drafts",
            stories.of(user).filter(status=Status.DRAFT).exclude(pk__in=sent_back.values("pk")),
            "mine",
        ),
    ]
    if user.has_perm(REVIEW):
        unsettled = Quote.objects.needing_action().filter(article=OuterRef("pk"))
        in_factcheck = stories.filter(status=Status.FACT_CHECK)
        queues += [
            ("Awaiting review", stories.filter(status=Status.IN_REVIEW), "to_review"),
            (
                "Checked, awaiting approval",
                in_factcheck.exclude(Exists(unsettled)),
                "in_factcheck",
            ),
        ]
    if user.has_perm(PUBLISH):
        queues += [
            ("Approved, ready to publish", stories.filter(status=Status.APPROVED), "to_publish"),
            ("Pending updates to publish", stories.with_pending_update(), "updates"),
        ]
    context = {
        **admin.site.each_context(request),
        "title": "My work",
        "queues": [
            (title, list(queryset.order_by("-modified_at")[:QUEUE_LENGTH]), filter_value)
            for title, queryset, filter_value in queues
        ],
        "now": timezone.now(),
        "mentions": Mention.objects.filter(
            user=user,
            comment__resolved_at__isnull=True,
            comment__parent__resolved_at__isnull=True,
            comment__article__in=Article.objects.visible_to(user).values("pk"),
        ).select_related("comment__author", "comment__article")[:QUEUE_LENGTH],
        "assignments_planned": Assignment.objects.of(user)
        .filter(article__isnull=True)
        .select_related("section")
        .order_by("run_on", "due_at")[:QUEUE_LENGTH],
    }
    if user.has_perm(APPROVE_FACTCHECKED) and not user.has_perm(REVIEW):
        context["assignments"] = FactCheckAssignment.objects.filter(
            checker=user, article__status=Status.FACT_CHECK
        ).select_related("article")
    if user.has_perm("sourcing.approve_anonymity"):
        quoted = Quote.objects.in_body().filter(source=OuterRef("pk"))
        context |= {
            "grants": Source.objects.anonymous()
            .filter(anonymity_approved_at__isnull=True)
            .filter(Exists(quoted)),
            "correction_tasks": CorrectionTask.objects.filter(
                resolved_at__isnull=True
            ).select_related("article", "source__person"),
            "discredited": Source.objects.filter(discredited_at__isnull=False)
            .select_related("person")
            .order_by("-discredited_at"),
        }
    return TemplateResponse(request, "admin/my_work.html", context)
