"""Who gets a public page: public figures and staff do; private individuals and minors never."""

import pytest

from people.models import Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

Kind = Person.Kind


@pytest.mark.parametrize(
    ("kind", "is_minor", "public"),
    [
        (Kind.PUBLIC_FIGURE, False, True),
        (Kind.STAFF, False, True),
        (Kind.PRIVATE_INDIVIDUAL, False, False),
        (Kind.PUBLIC_FIGURE, True, False),
        (Kind.PRIVATE_INDIVIDUAL, True, False),
    ],
)
def test_public_page_rule(kind, is_minor, public):
    person = PersonFactory(kind=kind, is_minor=is_minor)
    PersonFactory(kind=Kind.PUBLIC_FIGURE)  # someone else, always listed

    assert person.has_public_page is public
    assert Person.objects.with_public_page().filter(pk=person.pk).exists() is public
    assert Person.objects.with_public_page().count() == 1 + public
