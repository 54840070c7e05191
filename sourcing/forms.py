from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from articles.models import Article, Section
from articles.search import matching
from articles.workflow import Status

from .models import Quote, QuoteCheck

YES_NO = [("", "Any"), ("yes", "Yes"), ("no", "No")]


class DeskFilterForm(forms.Form):
    """The fact-check desk's filters (all optional; the default is everything needing action)."""

    story = forms.CharField(
        label="Story text",
        required=False,
        help_text="Words from the stories' text, headlines or bylines (the search index).",
    )
    status = forms.ChoiceField(
        choices=[("", "Needs action"), ("all", "Any"), *Quote.Status.choices], required=False
    )
    anonymous = forms.ChoiceField(label="Anonymous source", choices=YES_NO, required=False)
    second_hand = forms.ChoiceField(label="Via another outlet", choices=YES_NO, required=False)
    section = forms.ModelChoiceField(Section.objects.all(), required=False, empty_label="Any")
    article_state = forms.ChoiceField(
        label="Story state", choices=[("", "Any"), *Status.choices], required=False
    )
    checker = forms.ModelChoiceField(
        get_user_model().objects.none(), label="Assigned to", required=False, empty_label="Anyone"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checker"].queryset = (
            get_user_model().objects.filter(factcheck_assignments__isnull=False).distinct()
        )

    def filter(self, quotes):
        """Narrow the `quotes` queryset to what the form asks for."""
        if not self.is_valid():
            return quotes.needing_action()
        data = self.cleaned_data
        match data["status"]:
            case "":
                quotes = quotes.needing_action()
            case "all":
                quotes = quotes.in_body()
            case status:
                quotes = quotes.in_body().filter(status=status)
        if data["anonymous"]:
            anonymous = Q(source__kind="anonymous")
            quotes = quotes.filter(anonymous if data["anonymous"] == "yes" else ~anonymous)
        if data["second_hand"] == "yes":
            quotes = quotes.second_hand()
        elif data["second_hand"] == "no":
            quotes = quotes.first_hand()
        if data["story"]:
            stories = Article.objects.all()
            quotes = quotes.filter(article__in=stories.filter(matching(data["story"], stories)))
        if data["section"]:
            quotes = quotes.filter(article__section=data["section"])
        if data["article_state"]:
            quotes = quotes.filter(article__status=data["article_state"])
        if data["checker"]:
            quotes = quotes.filter(article__factcheck_assignment__checker=data["checker"])
        return quotes


class QuoteCheckForm(forms.ModelForm):
    """A verdict from the desk: which one comes from the button pressed; `text` is the wording
    the desk showed, so a verdict never lands on words edited since."""

    status = forms.ChoiceField(
        choices=[choice for choice in Quote.Status.choices if choice[0] != Quote.Status.UNVERIFIED]
    )
    note = forms.CharField(
        error_messages={"required": "Write a note: what the quote matches, or why not."}
    )

    class Meta:
        model = QuoteCheck
        fields = ["status", "text", "note", "evidence_url", "evidence_file"]
        widgets = {"text": forms.HiddenInput}


class DiscreditForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the source got wrong, and how we found out. Editors see this on each "
        "correction task.",
    )


class LedgerExportForm(forms.Form):
    start = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["start"] > cleaned["end"]:
            raise forms.ValidationError("The start date must come before the end date.")
        return cleaned
