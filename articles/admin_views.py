"""The article admin's own endpoints: workflow steps, preview links, and comparing or restoring
revisions. `ArticleAdmin` takes them in as a mixin; each checks what the user may see first."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from .admin_pages import admin_page
from .forms import WorkflowForm
from .models import Article, PreviewLink
from .presence import note_editor
from .publish_gate import publish_problems
from .revisions import revision_differences
from .workflow import REVIEW, Status, WorkflowError, available_transitions


class ArticleDeskViews:
    """Mixed into `ArticleAdmin` (a simple-history admin)."""

    def get_urls(self):
        own = [
            path(
                "<int:pk>/workflow/",
                self.admin_site.admin_view(require_POST(self.workflow_view)),
                name="articles_article_workflow",
            ),
            path(
                "<int:pk>/preview-links/",
                self.admin_site.admin_view(require_POST(self.create_preview_link_view)),
                name="articles_article_preview_link",
            ),
            path(
                "<int:pk>/preview-links/<int:link_pk>/revoke/",
                self.admin_site.admin_view(require_POST(self.revoke_preview_link_view)),
                name="articles_article_revoke_preview_link",
            ),
        ]
        return own + super().get_urls()

    def workflow_context(self, request, article):
        """What the workflow panel on the change form shows: the transitions `request.user` may
        take now (with the inputs each needs), the gate, the audit trail, and preview links."""
        transitions = available_transitions(request.user, article)
        form = WorkflowForm(auto_id="wf_%s")
        return {
            "article": article,
            "transitions": [t for t in transitions if not t.inputs],
            "transitions_with_inputs": [(t, form.inputs_for(t)) for t in transitions if t.inputs],
            "publish_problems": publish_problems(article),
            "events": article.events.select_related("actor"),
            "other_editors": note_editor(article.pk, request.user),
            "preview_links": article.preview_links.active().select_related("created_by"),
            "can_share_preview": request.user.has_perm(REVIEW),
        }

    def _article_or_404(self, request, pk):
        article = get_object_or_404(Article, pk=pk)
        if not self.has_view_permission(request, article):
            raise Http404
        return article

    def _back_to(self, article):
        return redirect(reverse("admin:articles_article_change", args=[article.pk]))

    def workflow_view(self, request, pk):
        article = self._article_or_404(request, pk)
        form = WorkflowForm(request.POST)
        if not form.is_valid():
            errors = " ".join(error for errors in form.errors.values() for error in errors)
            self.message_user(request, errors, level=messages.ERROR)
            return self._back_to(article)
        try:
            event = form.perform(article, by=request.user)
        except WorkflowError as refusal:
            self.message_user(request, f"“{article}” was not changed: {refusal}", messages.ERROR)
        else:
            state = event.get_to_status_display().lower()
            self.message_user(
                request,
                f"{event.get_action_display()}: “{event.article}” is now {state}.",
                messages.SUCCESS,
            )
        return self._back_to(article)

    @staticmethod
    def _require_share_permission(request):
        if not request.user.has_perm(REVIEW):
            raise PermissionDenied

    def create_preview_link_view(self, request, pk):
        article = self._article_or_404(request, pk)
        self._require_share_permission(request)
        link = PreviewLink.create_for(article, by=request.user)
        self.message_user(
            request,
            format_html(
                "Shareable preview link (valid until {}): <code>{}</code>",
                timezone.localtime(link.expires_at).strftime("%b %-d, %H:%M %Z"),
                request.build_absolute_uri(link.get_absolute_url()),
            ),
            messages.SUCCESS,
        )
        return self._back_to(article)

    def revoke_preview_link_view(self, request, pk, link_pk):
        article = self._article_or_404(request, pk)
        self._require_share_permission(request)
        get_object_or_404(article.preview_links, pk=link_pk).revoke()
        self.message_user(request, "The preview link no longer works.", messages.SUCCESS)
        return self._back_to(article)

    # Revisions: simple-history lists them; comparing and restoring happens here.

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Compare a revision with the story as it is being edited (a published story's pending
        update, if any), and restore it on confirmation: as an edit, so a published story gets
        it as a pending update and readers see nothing until it passes the gate."""
        article = self._article_or_404(request, object_id)
        article.show_pending_update()
        revision = get_object_or_404(article.history, history_id=version_id)
        if request.method == "POST":
            try:
                article.restore_revision(
                    revision, by=request.user, with_lead_photo="with_lead_photo" in request.POST
                )
            except WorkflowError as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
            else:
                self.message_user(request, _restored_message(article), messages.SUCCESS)
            return self._back_to(article)
        when = timezone.localtime(revision.history_date)
        return admin_page(
            request,
            self,
            "admin/articles/article/revision.html",
            title=f"Compare with the version of {when:%Y-%m-%d %H:%M}",
            article=article,
            revision=revision,
            differences=revision_differences(article, revision),
            photo_differs=revision.lead_photo_id != article.lead_photo_id,
            can_restore=article.can_be_edited_by(request.user),
        )


def _restored_message(article):
    if article.has_pending_update:
        return (
            "The earlier version's words are now the pending update. Readers still see the live "
            "story until the update is published."
        )
    if article.status == Status.IN_REVIEW:
        return "The earlier version's words are back, and the story is back in review."
    return "The earlier version's words are back, saved as a new revision."
