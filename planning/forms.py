from datetime import timedelta

from django import forms
from django.utils import timezone

from articles.models import Section

from .models import IN_PROGRESS, Assignment, Comment, staff_writers

STATES = [
    ("", "Planned or in progress"),
    (Assignment.PLANNED, "Planned"),
    *((status.value, status.label) for status in IN_PROGRESS),
]


class BudgetFilterForm(forms.Form):
    """The budget's filters: which days, which desk, whose stories, which state."""

    start = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    days = forms.IntegerField(label="Days", min_value=1, max_value=31, required=False)
    section = forms.ModelChoiceField(
        Section.objects.all(), label="Desk", required=False, empty_label="All desks"
    )
    reporter = forms.ModelChoiceField(
        staff_writers().none(), label="Reporter", required=False, empty_label="Anyone"
    )
    state = forms.ChoiceField(label="State", choices=STATES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reporter"].queryset = staff_writers().order_by("last_name", "username")

    def period(self):
        """The first and last day shown (a week from today unless asked otherwise)."""
        data = self.cleaned_data if self.is_valid() else {}
        start = data.get("start") or timezone.localdate()
        return start, start + timedelta(days=(data.get("days") or 7) - 1)

    def filter_unplanned(self, articles):
        """Stories in progress with no assignment, narrowed by desk, reporter and state."""
        data = self.cleaned_data if self.is_valid() else None
        if data is None or data["state"] == Assignment.PLANNED:
            return articles.none()
        if data["section"]:
            articles = articles.filter(section=data["section"])
        if data["reporter"]:
            articles = articles.of(data["reporter"])
        if data["state"]:
            articles = articles.filter(status=data["state"])
        return articles

    def filter(self, assignments):
        if not self.is_valid():
            return assignments.none()
        start, end = self.period()
        assignments = assignments.filter(run_on__range=(start, end))
        data = self.cleaned_data
        if data["section"]:
            assignments = assignments.filter(section=data["section"])
        if data["reporter"]:
            assignments = assignments.of(data["reporter"])
        if data["state"]:
            assignments = assignments.in_state(data["state"])
        return assignments


class CommentForm(forms.Form):
    text = forms.CharField(
        label="Comment",
        max_length=Comment._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Type @ and a username to tell someone, e.g. @editor.",
    )
    anchor = forms.CharField(
        label="On the passage (optional)",
        required=False,
        max_length=Comment._meta.get_field("anchor").max_length,
        help_text="Paste a quote or sentence from the story.",
    )
    blocking = forms.BooleanField(
        label="Blocking: the story cannot be approved or published until this is resolved",
        required=False,
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class MoveForm(forms.Form):
    day = forms.DateField(label="Move to", widget=forms.DateInput(attrs={"type": "date"}))
