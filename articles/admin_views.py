"""The article admin's own endpoints: workflow steps, preview links, and comparing or restoring
revisions. `ArticleAdmin` takes them in as a mixin; each checks what the user may see first."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from people.models import Person

from .admin_pages import admin_page
from .extensions import desk_links
from .forms import MinorClearanceForm, WorkflowForm
from .models import Article, Autosave, MinorNamingClearance, PreviewLink
from .presence import note_editor
from .publish_gate import publish_problems
from .revisions import differences, revision_differences, working_values
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
            path(
                "<int:pk>/autosave/",
                self.admin_site.admin_view(require_POST(self.autosave_view)),
                name="articles_article_autosave",
            ),
            path(
                "<int:pk>/autosave/discard/",
                self.admin_site.admin_view(require_POST(self.discard_autosave_view)),
                name="articles_article_discard_autosave",
            ),
            path(
                "<int:pk>/presence/",
                self.admin_site.admin_view(require_POST(self.presence_view)),
                name="articles_article_presence",
            ),
            path(
                "<int:pk>/minors/<int:person_pk>/clear/",
                self.admin_site.admin_view(self.clear_minor_view),
                name="articles_article_clear_minor",
            ),
        ]
        return own + super().get_urls()

    def workflow_context(self, request, article):
        """What the workflow panel on the change form shows: the transitions `request.user` may
        take now (with the inputs each needs), the gate, the audit trail, and preview links."""
        transitions = available_transitions(request.user, article)
        # Someone who may edit the story takes a step with the change form, so that unsaved
        # edits are saved with it; anyone else posts the step alone.
        with_edits = self.has_change_permission(request, article)
        form = WorkflowForm(auto_id="wf_%s", form_id="article_form" if with_edits else None)
        return {
            "article": article,
            "transitions": [t for t in transitions if not t.inputs],
            "transitions_with_inputs": [(t, form.inputs_for(t)) for t in transitions if t.inputs],
            "workflow_form": form,
            "publish_problems": publish_problems(article),
            "desk_links": desk_links(request.user, article),
            "events": article.events.select_related("actor"),
            "other_editors": note_editor(article, request.user),
            "preview_links": article.preview_links.active().select_related("created_by"),
            "can_share_preview": request.user.has_perm(REVIEW),
            "steps_with_edits": with_edits,
            "autosave": self._unsaved_text(request, article),
            "heartbeat_seconds": settings.EDITING_HEARTBEAT_SECONDS,
        }

    @staticmethod
    def _unsaved_text(request, article):
        """The user's autosaved text for the story, when it is not what the form shows."""
        autosave = Autosave.objects.filter(article=article, user=request.user).first()
        if autosave is None or "restore" in request.GET or not autosave.differs_from(article):
            return None
        return autosave

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
            self.message_user(request, workflow_outcome(event), messages.SUCCESS)
        return self._back_to(article)

    def autosave_view(self, request, pk):
        """Keep what the user has typed but not saved (the change form posts it every few
        seconds). Nothing of the story changes."""
        article = self._article_or_404(request, pk)
        if not article.can_be_edited_by(request.user):
            raise PermissionDenied("You may not edit this story.")
        try:
            loaded_version = int(request.POST["loaded_version"])
        except (KeyError, ValueError):
            return JsonResponse({"error": "Say which version the form was opened at."}, status=400)
        autosave = Autosave.keep(
            article, request.user, loaded_version=loaded_version, posted=request.POST
        )
        return JsonResponse({"saved_at": autosave.saved_at.isoformat()})

    def discard_autosave_view(self, request, pk):
        article = self._article_or_404(request, pk)
        Autosave.objects.filter(article=article, user=request.user).delete()
        self.message_user(request, "Your unsaved text is discarded.", messages.SUCCESS)
        return self._back_to(article)

    def presence_view(self, request, pk):
        """The change form's heartbeat: note that the user still has the story open, answer who
        else (who may edit it) has."""
        article = self._article_or_404(request, pk)
        return JsonResponse({"others": note_editor(article, request.user)})

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

    def clear_minor_view(self, request, pk, person_pk):
        """A standards editor lets the story name a minor, recording why."""
        article = self._article_or_404(request, pk)
        person = get_object_or_404(Person.objects.minors(), pk=person_pk)
        if not request.user.has_perm("articles.clear_minor_naming"):
            raise PermissionDenied(
                "Only a standards editor can let a story name a minor. Ask them to open this "
                "page, or take the name out of the story."
            )
        form = MinorClearanceForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            MinorNamingClearance.clear(
                article=article, person=person, by=request.user, reason=form.cleaned_data["reason"]
            )
            self.message_user(request, f"“{article}” may name {person}.", messages.SUCCESS)
            return self._back_to(article)
        return admin_page(
            request,
            self,
            "admin/articles/article/clear_minor.html",
            title=f"Let “{article}” name {person}, a minor?",
            article=article,
            person=person,
            form=form,
        )

    # Revisions: simple-history lists them (readably, with the workflow steps between them);
    # comparing and restoring happens here.

    object_history_list_template = "admin/articles/article/history_list.html"

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """What each save changed in the words (as text, not HTML), against the save before it."""
        records = list(historical_records)
        names = Article.CONTENT_FIELDS
        for record, older in zip(records, [*records[1:], None], strict=True):
            older = older or record.prev_record
            if older is None:
                record.word_changes = []
                continue
            record.word_changes = differences(
                Article, working_values(older, names), working_values(record, names), names
            )
            if record.status != older.status:
                record.word_changes.insert(
                    0,
                    (
                        "Status",
                        [("-", older.get_status_display()), ("+", record.get_status_display())],
                    ),
                )

    def render_history_view(self, request, template, context, **kwargs):
        """Put the workflow events among the revisions they happened between, newest first."""
        records = list(context["page_obj"].object_list)
        if records:
            events = context["object"].events.select_related("actor")
            if context["page_obj"].has_previous():
                events = events.filter(created_at__lte=records[0].history_date)
            if context["page_obj"].has_next():
                events = events.filter(created_at__gte=records[-1].history_date)
            timeline = [(record.history_date, "revision", record) for record in records]
            timeline += [(event.created_at, "event", event) for event in events]
            context["timeline"] = sorted(timeline, key=lambda entry: entry[0], reverse=True)
        return super().render_history_view(request, template, context, **kwargs)

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
            photo_differs=working_values(revision, ["lead_photo"])["lead_photo"]
            != article.lead_photo_id,
            can_restore=article.can_be_edited_by(request.user),
        )


def workflow_outcome(event):
    """What a workflow step did, in one sentence for the person who took it."""
    state = event.get_to_status_display().lower()
    return f"{event.get_action_display()}: “{event.article}” is now {state}."


def _restored_message(article):
    if article.has_pending_update:
        return (
            "The earlier version's words are now the pending update. Readers still see the live "
            "story until the update is published."
        )
    if article.status == Status.IN_REVIEW:
        return "The earlier version's words are back, and the story is back in review."
    return "The earlier version's words are back, saved as a new revision."
