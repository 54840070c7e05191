import unicodedata

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from taggit.models import Tag

from newsroom.fields import reject_control_characters

from .html import validate_body
from .models import Article, Correction, FactCheckAssignment, MinorNamingClearance
from .revisions import differences, working_values
from .workflow import TRANSITIONS, WorkflowError


def clean_tag(name):
    """A tag as stored: NFC, spaces folded; refused if too long, unprintable or unsluggable."""
    name = " ".join(unicodedata.normalize("NFC", name).split())
    reject_control_characters(name)
    limit = Tag._meta.get_field("name").max_length
    if len(name) > limit:
        raise forms.ValidationError(
            "The tag “%(start)s…” is %(length)s characters long; a tag may have %(limit)s.",
            code="tag_too_long",
            params={"start": name[:20], "length": len(name), "limit": limit},
        )
    if not Tag().slugify(name):
        raise forms.ValidationError(
            "The tag “%(name)s” has no letters or digits to make its web address from.",
            code="tag_without_slug",
            params={"name": name},
        )
    return name


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
            "type_of_work",
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
            "embargo_until",
            "expires_at",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loaded_version"].initial = self.instance.version
        if pending := self.instance.pending_update:
            self.fields["meaningful_update"].initial = pending["meaningful"]

    #: A workflow step taken with this save that was refused: the form shows why, saves nothing.
    workflow_refusal = None
    #: After a stale save: what others changed since the version this form was opened at.
    changes_since_loaded = ()

    def clean_tags(self):
        return [clean_tag(name) for name in self.cleaned_data["tags"]]

    def clean_body(self):
        body = self.cleaned_data["body"]
        validate_body(body)
        return body

    def clean(self):
        cleaned = super().clean()
        if self.workflow_refusal is not None:
            raise forms.ValidationError(
                [
                    "The step was refused, so nothing was saved; your text is still in the form.",
                    *self.workflow_refusal.reasons,
                ],
                code="workflow",
            )
        loaded = cleaned.get("loaded_version")
        if self.instance.pk and loaded is None:
            # Without the version it was loaded at, a save could overwrite anyone's work.
            raise forms.ValidationError(
                "This form did not say which version of the article it was opened at, so it "
                "was not saved. Copy your changes, reload the article and apply them again.",
                code="stale",
            )
        if self.instance.pk:
            current = Article.objects.get(pk=self.instance.pk)
            if current.version != loaded:
                self.changes_since_loaded = self._changes_since(current, loaded)
                # Having seen what changed, the next save of this form is a deliberate merge.
                self.data = self.data.copy()
                self.data[self.add_prefix("loaded_version")] = current.version
                raise forms.ValidationError(
                    "Someone saved this article after you opened it, so your changes were not "
                    "saved yet. What they changed since the version you started from is shown "
                    "above; your text is still in the form. Merge the two by hand, then save "
                    "again: that save replaces their version with what the form holds.",
                    code="stale",
                )
        return cleaned

    @staticmethod
    def _changes_since(current, loaded_version):
        started = current.history.filter(version=loaded_version).first()
        if started is None:
            return ()
        names = Article.CONTENT_FIELDS
        return differences(
            Article, working_values(started, names), working_values(current, names), names
        )


class WorkflowForm(forms.Form):
    """One workflow step as posted from the article page or sent by a script.

    The fields after `comment` are the inputs some transitions take; which ones a transition
    needs is on its row in the workflow table (`Transition.inputs`). Its fields are prefixed
    ("workflow-transition", ...) so that the article's change form can carry them too: a step
    taken from there saves the form and takes the step together.
    """

    prefix = "workflow"

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
    checker = forms.ModelChoiceField(
        get_user_model().objects.none(),
        label="Fact-checker",
        required=False,
        empty_label="The least busy checker",
    )
    factcheck_due = forms.DateTimeField(
        label=f"Checks due ({settings.TIME_ZONE})",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=f"Empty: {settings.FACTCHECK_TIME.total_seconds() / 3600:g} hours from now.",
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

    def __init__(self, *args, form_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checker"].queryset = FactCheckAssignment.checkers()
        if form_id:
            # The inputs sit in the workflow panel, outside the form they are posted with.
            for field in self.fields.values():
                field.widget.attrs["form"] = form_id

    @property
    def refusal(self):
        """The form's errors as a refused step, for the change form to show."""
        return WorkflowError(*(error for errors in self.errors.values() for error in errors))

    @property
    def row(self):
        return TRANSITIONS[self.cleaned_data["transition"]]

    def clean(self):
        cleaned = super().clean()
        if "transition" in cleaned:
            for item in self.row.inputs:
                if item.required and not str(cleaned.get(item.name) or "").strip():
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


class MinorClearanceForm(forms.ModelForm):
    class Meta:
        model = MinorNamingClearance
        fields = ["reason"]
