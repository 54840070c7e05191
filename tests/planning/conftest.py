"""Helpers for the planning tests: stories in any state (the workflow tests' own helper), a
planned story on the budget, and comments."""

from datetime import timedelta

import pytest
from django.utils import timezone

from planning.models import Assignment
from tests.articles.conftest import article_in, reporter_person, users  # noqa: F401 (fixtures)
from tests.factories import SectionFactory


@pytest.fixture
def plan(editor, reporter):
    """Make a planned story (an assignment) for the reporter, running `days` from today."""

    def make(days=0, *, reporters=None, **fields):
        fields.setdefault("section", SectionFactory(name="News", slug="news"))
        assignment = Assignment.objects.create(
            working_slug=fields.pop("working_slug", "bridge-reopens"),
            budget_line=fields.pop("budget_line", "The harbour bridge reopens after repairs."),
            run_on=timezone.localdate() + timedelta(days=days),
            due_at=fields.pop("due_at", timezone.now() + timedelta(days=days, hours=4)),
            created_by=editor,
            **fields,
        )
        assignment.reporters.set(reporters if reporters is not None else [reporter])
        return assignment

    return make
