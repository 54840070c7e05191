from django import forms
from django.conf import settings

from .models import Article, Correction
from .workflow import TRANSITIONS


class ArticleAdminForm(forms.ModelForm):
    """The article form, carrying the version it was loaded at so a stale save is refused."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    meaningful_update = forms.BooleanField(
        label="Show readers this story was updated",
        required=False,
        help_text="Tick for a change readers should know about (new facts, a changed "
        "conclusion): when the update is published, the story shows the time it was updated. "
        "Typos and style fixes do not move it.",
    )

    class Meta:
        model = Article
        fields = [
            "headline",
            "slug",
            "dek",
            "section",
            "dateline",
            "body",
            "people",
            "tags",
            "lead_photo",
            "seo_title",
            "seo_description",
            "desk_notes",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loaded_version"].initial = self.instance.version
        if pending := self.instance.pending_update:
            self.fields["meaningful_update"].initial = pending["meaningful"]

    def clean(self):
        cleaned = super().clean()
        loaded = cleaned.get("loaded_version")
        if self.instance.pk and loaded is None:
            # Without the version it was loaded at, a save could overwrite anyone's work.
            raise forms.ValidationError(
                "This form did not say which version of the article it was opened at, so it "
                "was not saved. Copy your changes, reload the article and apply them again.",
                code="stale",
            )
        if self.instance.pk:
            current = Article.objects.filter(pk=self.instance.pk).values_list("version", flat=True)
            if current.first() != loaded:
                raise forms.ValidationError(
                    "Someone saved this article after you opened it, so your changes were not "
                    "saved. Your text is still in the form below: copy what you changed, reload "
                    "the article, and apply your changes again.",
                    code="stale",
                )
        return cleaned


class WorkflowForm(forms.Form):
    """One workflow step as posted from the article page or sent by a script.

    The fields after `comment` are the inputs some transitions take; which ones a transition
    needs is on its row in the workflow table (`Transition.inputs`).
    """

    transition = forms.ChoiceField(
        choices=[(t.name, t.label) for t in TRANSITIONS.values() if not t.system]
    )
    comment = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Say what needs to change, or anything the next person should know.",
    )
    publish_at = forms.DateTimeField(
        label=f"Publish at ({settings.TIME_ZONE})",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    correction_kind = forms.ChoiceField(
        label="Kind", choices=Correction.Kind.choices, required=False
    )
    correction_text = forms.CharField(
        label="Text for readers",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=Correction._meta.get_field("text").help_text,
    )

    @property
    def row(self):
        return TRANSITIONS[self.cleaned_data["transition"]]

    def clean(self):
        cleaned = super().clean()
        if "transition" in cleaned:
            for item in self.row.inputs:
                if not cleaned.get(item.name) or not str(cleaned[item.name]).strip():
                    self.add_error(item.name, item.missing)
        return cleaned

    def inputs_for(self, transition):
        """The bound fields `transition` asks for, for the workflow panel."""
        return [self[name] for name in transition.input_names]

    def perform(self, article, *, by):
        """Run the chosen transition on `article` as `by`; raises WorkflowError if refused."""
        data = self.cleaned_data
        inputs = {name: data[name] for name in self.row.input_names}
        return article.transition(self.row.action, by=by, comment=data["comment"], **inputs)
