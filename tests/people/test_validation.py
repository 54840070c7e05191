"""What a person's record may hold: no staff minors, and one web address per line in same_as."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from people.models import Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_staff_cannot_be_minors():
    person = PersonFactory.build(kind=Person.Kind.STAFF, is_minor=True)

    with pytest.raises(ValidationError, match="a person marked as a minor cannot be staff"):
        person.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        person.save()


def test_same_as_takes_one_url_per_line():
    person = PersonFactory.build(
        same_as="https://www.wikidata.org/wiki/Q37876\n\n  https://en.wikipedia.org/wiki/X  \n"
    )

    person.full_clean()

    assert person.same_as_urls() == [
        "https://www.wikidata.org/wiki/Q37876",
        "https://en.wikipedia.org/wiki/X",
    ]


@pytest.mark.parametrize(
    "bad_line",
    [
        "en.wikipedia.org/wiki/X",  # no scheme
        "ftp://files.example.org/bio.txt",  # not the web
        "https://a.example https://b.example",  # two on one line
        "javascript:alert(1)",
    ],
)
def test_same_as_refuses_a_line_that_is_not_a_web_address(bad_line):
    person = PersonFactory.build(same_as=f"https://www.wikidata.org/wiki/Q37876\n{bad_line}")

    with pytest.raises(ValidationError) as refused:
        person.full_clean()

    assert refused.value.message_dict["same_as"] == [
        f"“{bad_line}” is not a web address; put one full URL per line."
    ]
