"""Helpers for the editorial workflow tests: users by role, articles driven into any state,
and the data a browser would post back from an admin change form."""

from datetime import timedelta

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from articles.models import Correction
from articles.workflow import TRANSITIONS, Status
from tests.factories import ArticleFactory, StaffPersonFactory

#: Every role, with the reporter who owns the test articles apart from another reporter.
ROLES = ("owner", "other_reporter", "editor", "factchecker", "standards")

#: The transitions that put a fresh draft into each state, all taken by an editor.
PATH_TO = {
    Status.DRAFT: (),
    Status.IN_REVIEW: ("submit",),
    Status.FACT_CHECK: ("submit", "send_to_factcheck"),
    Status.APPROVED: ("submit", "approve"),
    Status.SCHEDULED: ("submit", "approve", "schedule"),
    Status.PUBLISHED: ("submit", "approve", "publish"),
    Status.UNPUBLISHED: ("submit", "approve", "publish", "unpublish"),
}


#: A value for each input a transition may ask for.
INPUTS = {
    "publish_at": lambda: timezone.now() + timedelta(days=1),
    "correction_kind": lambda: Correction.Kind.CORRECTION,
    "correction_text": lambda: "An earlier version misstated the length of the repairs.",
}


def take(article, name, *, by, **kwargs):
    """Take transition `name` as `by` through `Article.transition()`, filling in the inputs its
    row requires (a publication time, a correction); optional ones take their defaults."""
    for item in TRANSITIONS[name].inputs:
        if item.required:
            kwargs.setdefault(item.name, INPUTS[item.name]())
    return article.transition(name, by=by, **kwargs)


def edit(article, *, by, meaningful_update=False, **changes):
    """Change fields as the admin does. A published story's changes wait in its pending update,
    so they then go live through "Publish update", as an editor would take it."""
    for name, value in changes.items():
        setattr(article, name, value)
    article.save_edit(by=by, meaningful_update=meaningful_update)
    if article.has_pending_update:
        article.transition("publish_update", by=by)
    return article


def drive_to(article, status, *, by):
    """Move `article` into `status` through real transitions taken by `by` (an editor)."""
    for name in PATH_TO[status]:
        take(article, name, by=by)
    assert article.status == status
    return article


@pytest.fixture
def reporter_person(reporter):
    """The reporter's staff profile, for their bylines."""
    return StaffPersonFactory(user=reporter, name="Rita Reporter")


@pytest.fixture
def article_in(reporter, reporter_person, editor):
    """Make a reporter's article, bylined to them, and drive it into the given state."""

    def make(status=Status.DRAFT, **factory_kwargs):
        factory_kwargs.setdefault("created_by", reporter)
        factory_kwargs.setdefault("byline", reporter_person)
        return drive_to(ArticleFactory(**factory_kwargs), status, by=editor)

    return make


@pytest.fixture
def users(reporter, other_reporter, editor, factchecker, standards):
    """Role name (see ROLES) -> user."""
    return dict(zip(ROLES, (reporter, other_reporter, editor, factchecker, standards), strict=True))


def public_url(article, when=None):
    """The address the article has, or would have, when published on `when` (default today)."""
    day = timezone.localtime(when or article.first_published_at or timezone.now())
    return reverse(
        "public:article",
        kwargs={
            "section": article.section.slug,
            "year": f"{day:%Y}",
            "month": f"{day:%m}",
            "day": f"{day:%d}",
            "slug": article.slug,
        },
    )


def change_form_data(response, **changes):
    """The POST data of the admin change form in `response`, as a browser would send it
    unchanged, with `changes` applied to the article's own fields."""
    context = response.context
    data = {}
    form = context["adminform"].form
    for name in form.fields:
        data[name] = _posted(form[name])
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[f"{formset.prefix}-{name}"] = management[name].value()
        for subform in formset.forms:
            for name in subform.fields:
                data[subform.add_prefix(name)] = _posted(subform[name])
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def _posted(bound_field):
    """What a browser sends for `bound_field` as rendered (None: the key is left out)."""
    value = bound_field.value()
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(bound_field.field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return [str(item) for item in value or ()]
    if isinstance(value, list | tuple):
        return bound_field.field.widget.format_value(value)
    return "" if value is None else value
