"""The system check that keeps confidential source fields out of every admin's searches, columns
and filters, and out of `str(source)`."""

import pytest
from django.contrib import admin
from django.core import checks

from articles import search
from sourcing import confidential
from sourcing.models import Quote, Source

pytestmark = pytest.mark.django_db


def errors_for(model, **options):
    site = admin.AdminSite(name="check-test")
    site.register(model, type("TestAdmin", (admin.ModelAdmin,), options))
    return confidential.admin_exposures(site)


def test_the_real_admins_pass():
    assert confidential.check_confidential_fields_stay_hidden(None) == []
    assert not [message for message in checks.run_checks() if message.id.startswith("sourcing.")]


@pytest.mark.parametrize(
    ("model", "options", "path"),
    [
        (Source, {"search_fields": ["name", "real_name"]}, "real_name"),
        (Source, {"search_fields": ["^contact"]}, "^contact"),
        (Source, {"list_display": ["__str__", "notes"]}, "notes"),
        (Source, {"list_filter": ["relationship_to_subject"]}, "relationship_to_subject"),
        (
            Source,
            {"list_filter": [("knowledge_detail", admin.AllValuesFieldListFilter)]},
            "knowledge_detail",
        ),
        (Quote, {"search_fields": ["text", "source__real_name__icontains"]}, "source__real_name"),
        (Quote, {"list_display": ["source__anonymity_reason_internal"]}, "source__anonymity"),
    ],
)
def test_an_admin_that_would_expose_a_confidential_field_fails(model, options, path):
    errors = errors_for(model, **options)

    assert [error.id for error in errors] == ["sourcing.E001"]
    assert path in errors[0].msg


def test_public_fields_and_other_models_names_pass():
    assert errors_for(Source, search_fields=["name", "public_description", "person__name"]) == []
    assert errors_for(Quote, search_fields=["text", "source__public_description"]) == []


def test_the_search_index_definition_passes():
    assert confidential.index_exposures() == []


@pytest.mark.parametrize(
    "path",
    ["quotes__source__real_name", "quotes__source__notes__icontains", "quotes__source__contact"],
)
def test_a_search_index_that_would_take_a_confidential_field_fails(monkeypatch, path):
    monkeypatch.setattr(search, "INDEXED_PATHS", {**search.INDEXED_PATHS, "summary": ("dek", path)})

    errors = confidential.index_exposures()

    assert [error.id for error in errors] == ["sourcing.E003"]
    assert path in errors[0].msg


def test_a_str_that_shows_a_confidential_field_fails(monkeypatch):
    monkeypatch.setattr(Source, "__str__", lambda source: f"{source.real_name} (anonymous)")

    errors = confidential.string_exposures()

    assert {error.id for error in errors} == {"sourcing.E002"}
    assert len(errors) == len(Source.Kind)
