"""Grants of anonymity: only a standards editor approves them, incomplete or unjustified grants
are refused, and any change to what was approved withdraws the approval."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models
from django.urls import reverse

from sourcing import services
from sourcing.models import Source
from tests.factories import AnonymousSourceFactory, SourceFactory

from .conftest import ROLES, change_form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_only_a_standards_editor_may_approve_anonymity(request, role):
    user = request.getfixturevalue(role)
    source = AnonymousSourceFactory()

    if role == "standards":
        services.approve_anonymity(source=source, by=user)
    else:
        with pytest.raises(PermissionDenied):
            services.approve_anonymity(source=source, by=user)

    source.refresh_from_db()
    assert source.anonymity_approved is (role == "standards")
    assert source.anonymity_approved_by == (user if role == "standards" else None)


@pytest.mark.parametrize("field", services.REQUIRED_FOR_APPROVAL)
def test_a_grant_missing_a_required_field_is_refused(field):
    source = AnonymousSourceFactory.build(**{field: ""})

    refusals = services.approval_refusals(source)

    label = Source._meta.get_field(field).verbose_name
    assert refusals == [f"Fill in “{label}”."]


@pytest.mark.parametrize(
    ("fields", "refusal"),
    [
        ({"on_record_possible": True}, "could be had on the record"),
        ({"information": Source.Information.OPINION}, "not for opinion"),
        ({"anonymity_reason_public": ""}, "why anonymity was granted (for readers)"),
    ],
)
def test_the_standards_editor_is_told_why_a_grant_cannot_be_approved(standards, fields, refusal):
    source = AnonymousSourceFactory(**fields)

    with pytest.raises(ValidationError) as refused:
        services.approve_anonymity(source=source, by=standards)

    assert any(refusal in message for message in refused.value.messages)
    source.refresh_from_db()
    assert not source.anonymity_approved


def test_a_named_source_has_no_anonymity_to_approve(standards):
    with pytest.raises(ValidationError, match="Only anonymous sources"):
        services.approve_anonymity(source=SourceFactory(), by=standards)


def test_an_anonymous_source_must_be_described_as_printed():
    with pytest.raises(IntegrityError):
        AnonymousSourceFactory(public_description="")


def changed(source, name):
    """A different valid value for field `name` of `source`."""
    field = Source._meta.get_field(name)
    value = getattr(source, name)
    if field.choices:
        return next(choice for choice, _ in field.choices if choice != value)
    if isinstance(field, models.BooleanField):
        return not value
    return f"{value} (changed)".strip()


@pytest.fixture
def approved(standards):
    return services.approve_anonymity(source=AnonymousSourceFactory(), by=standards)


@pytest.mark.parametrize("field", Source.GRANT_FIELDS)
def test_changing_any_part_of_the_grant_withdraws_the_approval(approved, field):
    setattr(approved, field, changed(approved, field))
    if field == "kind":
        approved.name = "Now on the record"

    approved.save()

    approved.refresh_from_db()
    assert not approved.anonymity_approved
    assert approved.anonymity_approved_by is None


@pytest.mark.parametrize("field", ["name", "notes"])
def test_changing_anything_else_keeps_the_approval(approved, field):
    setattr(approved, field, changed(approved, field))

    approved.save()

    approved.refresh_from_db()
    assert approved.anonymity_approved


def test_adding_a_corroborating_source_keeps_the_approval(approved):
    approved.corroborating_sources.add(SourceFactory())

    approved.refresh_from_db()
    assert approved.anonymity_approved


def test_a_saved_copy_refreshed_after_an_approved_change_keeps_the_approval(approved, standards):
    stale_copy = Source.objects.get(pk=approved.pk)
    approved.anonymity_reason_public = "The friend fears for the family's privacy."
    approved.save()
    services.approve_anonymity(source=approved, by=standards)

    stale_copy.refresh_from_db()
    stale_copy.notes = "Spoke again on Tuesday."
    stale_copy.save()

    stale_copy.refresh_from_db()
    assert stale_copy.anonymity_approved


@pytest.mark.parametrize(
    ("field", "withdrawn"), [("anonymity_reason_public", True), ("notes", False)]
)
def test_an_edit_in_the_admin_withdraws_the_approval_only_for_the_grant(
    client, approved, editor, field, withdrawn
):
    client.force_login(editor)
    url = reverse("admin:sourcing_source_change", args=[approved.pk])
    data = change_form_data(client.get(url), **{field: changed(approved, field)})

    response = client.post(url, data)

    assert response.status_code == 302
    approved.refresh_from_db()
    assert getattr(approved, field) == data[field]
    assert approved.anonymity_approved is not withdrawn
