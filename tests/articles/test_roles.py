"""The four roles (Groups made by a data migration) hold exactly the role matrix written in
docs/architecture.md."""

import pytest

pytestmark = pytest.mark.django_db

#: Every permission the matrix speaks about, by what it lets people do.
MATRIX = {
    "write drafts": "articles.change_article",
    "start stories": "articles.add_article",
    "edit any story": "articles.edit_any_article",
    "review": "articles.review_article",
    "approve from fact-check": "articles.approve_factchecked_article",
    "schedule, publish, unpublish, correct": "articles.publish_article",
    "verify or dispute quotes": "sourcing.verify_quote",
    "approve anonymity": "sourcing.approve_anonymity",
    "see confidential source fields": "sourcing.view_confidential_source",
}

EVERYTHING = set(MATRIX)
EXPECTED = {
    "owner": {"write drafts", "start stories"},
    "editor": EVERYTHING
    - {"approve from fact-check", "verify or dispute quotes", "approve anonymity"},
    "factchecker": {
        "approve from fact-check",
        "verify or dispute quotes",
        "see confidential source fields",
    },
    "standards": EVERYTHING,
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_holds_exactly_its_part_of_the_matrix(users, role):
    user = users[role]

    held = {ability for ability, permission in MATRIX.items() if user.has_perm(permission)}

    assert held == EXPECTED[role]
