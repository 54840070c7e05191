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
        help_text="For a published story: tick for a change readers should know about "
        "(new facts, a changed conclusion). Typos and style fixes do not move the updated time.",
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
    """One workflow step as posted from the article page or sent by a script."""

    transition = forms.ChoiceField(choices=[(name, t.label) for name, t in TRANSITIONS.items()])
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

    def clean(self):
        cleaned = super().clean()
        transition = cleaned.get("transition")
        if transition == "schedule" and not cleaned.get("publish_at"):
            self.add_error("publish_at", "Say when the article should be published.")
        if transition == "correct":
            if not cleaned.get("correction_kind"):
                self.add_error("correction_kind", "Choose the kind of correction.")
            if not cleaned.get("correction_text", "").strip():
                self.add_error("correction_text", "Write the correction readers will see.")
        return cleaned

    def perform(self, article, *, by):
        """Run the chosen transition on `article` as `by`; raises WorkflowError if refused."""
        data = self.cleaned_data
        name = data["transition"]
        if name == "schedule":
            return article.schedule(by=by, publish_at=data["publish_at"], comment=data["comment"])
        if name == "correct":
            return article.correct(
                by=by, kind=data["correction_kind"], text=data["correction_text"]
            )
        return getattr(article, name)(by=by, comment=data["comment"])
