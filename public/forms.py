from django import forms

from articles.models import Section
from articles.search import search
from people.models import Person


class SearchForm(forms.Form):
    """The public search page's query and filters. A filter that does not validate is left
    out (and says why); the query itself is never refused: search reads any text safely."""

    q = forms.CharField(label="Search for", required=False)
    section = forms.ModelChoiceField(Section.objects.all(), required=False, empty_label="Any")
    author = forms.ModelChoiceField(
        Person.objects.staff(), required=False, empty_label="Anyone", label="By"
    )
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(
        choices=[("relevance", "Best match"), ("newest", "Newest first")],
        required=False,
        label="Sort by",
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "Pick a date on or after the first one.")
        return data

    def value(self, name):
        """The field's cleaned value, or None when it was left empty or is not valid."""
        self.is_valid()
        return self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None

    def results(self, articles):
        """Search `articles` (what readers may see) as the form asks."""
        filters = {
            "section": self.value("section"),
            "bylines__person": self.value("author"),
            "first_published_at__date__gte": self.value("date_from"),
            "first_published_at__date__lte": self.value("date_to"),
        }
        articles = articles.filter(
            **{lookup: value for lookup, value in filters.items() if value is not None}
        )
        return search(
            self.value("q") or "", scope=articles, order=self.value("sort") or "relevance"
        )
