"""A story's comments page: its threads, a form to comment, reply and resolve. Only staff who
may open the story reach it; it is never linked from or shown on a public page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from articles.admin_pages import admin_page
from articles.models import Article

from ..forms import CommentForm
from ..models import Comment


def _article_or_404(user, pk):
    article = Article.objects.visible_to(user).filter(pk=pk).first()
    if article is None:
        raise Http404("No story you may open has that number.")
    return article


def _back_to(article):
    return redirect(reverse("admin:planning_comment_article", args=[article.pk]))


def article_comments_view(request, pk, *, model_admin):
    article = _article_or_404(request.user, pk)
    form = CommentForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            parent = None
            if data["parent"]:
                parent = get_object_or_404(Comment, pk=data["parent"], article=article)
            try:
                Comment.post(
                    article=article,
                    by=request.user,
                    text=data["text"],
                    anchor=data["anchor"],
                    blocking=data["blocking"],
                    parent=parent,
                )
            except (ValidationError, PermissionDenied) as refusal:
                reason = " ".join(getattr(refusal, "messages", [str(refusal)]))
                model_admin.message_user(request, reason, messages.ERROR)
            else:
                model_admin.message_user(request, "Comment added.", messages.SUCCESS)
                return _back_to(article)
        else:
            model_admin.message_user(request, "The comment was not added.", messages.ERROR)
    threads = list(article.desk_comments.threads())
    return admin_page(
        request,
        model_admin,
        "admin/planning/comments.html",
        title=f"Comments on “{article}”",
        article=article,
        threads=threads,
        open_threads=[thread for thread in threads if not thread.is_resolved],
        resolved_threads=[thread for thread in threads if thread.is_resolved],
        form=form,
        may_block=Comment.may_block(request.user),
    )


def resolve_view(request, pk, *, model_admin):
    """Resolve a thread, or reopen it with `reopen` posted."""
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=pk)
    article = _article_or_404(request.user, comment.article_id)
    try:
        if "reopen" in request.POST:
            comment.reopen(by=request.user)
        else:
            comment.resolve(by=request.user)
    except PermissionDenied as refusal:
        model_admin.message_user(request, str(refusal), messages.ERROR)
    else:
        done = "reopened" if "reopen" in request.POST else "resolved"
        model_admin.message_user(request, f"Comment {done}.", messages.SUCCESS)
    return _back_to(article)
