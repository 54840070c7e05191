"""The four roles and exactly what each may do, written out from the role table in
docs/architecture.md (not read from the migration that creates them)."""

import pytest
from django.contrib.auth.models import Group

from accounts import roles

pytestmark = pytest.mark.django_db

#: Everyone on the desk reads stories, people, photos, sources, quotes and assignments.
READ_THE_DESK = {
    "articles.view_article",
    "articles.view_section",
    "articles.view_byline",
    "articles.view_correction",
    "articles.view_workflowevent",
    "people.view_person",
    "photos.view_photo",
    "sourcing.view_source",
    "sourcing.view_outlet",
    "sourcing.view_quote",
    "articles.view_factcheckassignment",
    "articles.view_minornamingclearance",
    "public.view_page",
}
#: "create/edit own draft, submit", with its bylines, people, photos, sources and attributions.
WRITE_DRAFTS = {
    "articles.add_article",
    "articles.change_article",
    "articles.add_byline",
    "articles.change_byline",
    "articles.delete_byline",
    "people.add_person",
    "people.change_person",
    "photos.add_photo",
    "photos.change_photo",
    "sourcing.add_source",
    "sourcing.change_source",
    "sourcing.add_outlet",
    "sourcing.change_quote",
}
#: "request changes, send to fact-check, approve", on anyone's story, and running the desk:
#: sections, outlets, fact-check assignments, and the corrections a discredited source calls for.
REVIEW = {
    "articles.edit_any_article",
    "articles.review_article",
    "articles.add_section",
    "articles.change_section",
    "sourcing.change_outlet",
    "articles.add_factcheckassignment",
    "articles.change_factcheckassignment",
    "articles.delete_factcheckassignment",
    "sourcing.view_correctiontask",
    "sourcing.change_correctiontask",
}
#: "keep the policy pages" (the standards pages readers and search engines see).
KEEP_POLICY_PAGES = {"public.add_page", "public.change_page"}
#: "schedule, publish, unpublish, correct".
PUBLISH = {"articles.publish_article"}
#: A fact-checker's "approve only from fact_check".
APPROVE_FROM_FACT_CHECK = {"articles.approve_factchecked_article"}
#: "verify / dispute a quote".
VERIFY_QUOTES = {"sourcing.verify_quote"}
#: The record of every check (verdict, note, evidence), for everyone who sees identities.
READ_CHECKS = {"sourcing.view_quotecheck"}
#: "see a source's confidential fields" (reporters see only their own sources' fields, which
#: needs no permission).
SEE_CONFIDENTIAL = {"sourcing.view_confidential_source"}
#: "approve anonymity of a source", and the standards editor's other duties: discrediting a
#: source, exporting the sourcing ledger, auditing who saw a confidential identity, letting a
#: story name a minor.
STANDARDS = {
    "articles.clear_minor_naming",
    "sourcing.approve_anonymity",
    "sourcing.discredit_source",
    "sourcing.export_ledger",
    "sourcing.view_confidentialaccess",
}

EXPECTED = {
    roles.REPORTER: READ_THE_DESK | WRITE_DRAFTS,
    roles.EDITOR: READ_THE_DESK
    | WRITE_DRAFTS
    | REVIEW
    | PUBLISH
    | SEE_CONFIDENTIAL
    | READ_CHECKS
    | KEEP_POLICY_PAGES,
    roles.FACT_CHECKER: READ_THE_DESK
    | APPROVE_FROM_FACT_CHECK
    | VERIFY_QUOTES
    | SEE_CONFIDENTIAL
    | READ_CHECKS,
    roles.STANDARDS_EDITOR: READ_THE_DESK
    | WRITE_DRAFTS
    | REVIEW
    | PUBLISH
    | APPROVE_FROM_FACT_CHECK
    | VERIFY_QUOTES
    | SEE_CONFIDENTIAL
    | READ_CHECKS
    | KEEP_POLICY_PAGES
    | STANDARDS,
}


def test_the_four_roles_exist():
    assert set(Group.objects.values_list("name", flat=True)) == set(EXPECTED)


@pytest.mark.parametrize("role", EXPECTED)
def test_each_role_has_exactly_its_permissions(role):
    permissions = Group.objects.get(name=role).permissions.values_list(
        "content_type__app_label", "codename"
    )

    assert {f"{app}.{codename}" for app, codename in permissions} == EXPECTED[role]
