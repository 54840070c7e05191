"""Reading a story file: `date YYYY-MM-DD` first, then paragraphs separated by blank lines."""

import datetime

import pytest

from articles.storyfile import StoryFileError, parse_story

from .conftest import file_paragraphs


def test_date_line_then_paragraphs():
    story = parse_story(
        "date 2025-11-03\n\nThe ferry left late.\n\nPassengers waited on\nthe quay for an hour.\n"
    )

    assert story.date == datetime.date(2025, 11, 3)
    assert story.paragraphs == [
        "The ferry left late.",
        "Passengers waited on the quay for an hour.",  # a line break inside folds to a space
    ]


def test_text_after_the_date_on_the_first_line_is_the_first_paragraph():
    story = parse_story(" date 2025-11-03 The ferry left late.\n\nNobody was hurt.")

    assert story.date == datetime.date(2025, 11, 3)
    assert story.paragraphs == ["The ferry left late.", "Nobody was hurt."]


def test_byte_order_mark_and_windows_line_endings():
    story = parse_story("\ufeffdate 2025-11-03\r\n\r\nFirst.\r\n\r\nSecond,\r\ncontinued.\r\n")

    assert story.paragraphs == ["First.", "Second, continued."]


def test_the_seed_file(seed_text):
    story = parse_story(seed_text)

    assert story.date == datetime.date(2024, 3, 8)
    assert story.paragraphs == file_paragraphs(seed_text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the first line must start with 'date YYYY-MM-DD'"),
        (
            "The ferry left late.\n\nNobody was hurt.",
            "the first line must start with 'date YYYY-MM-DD'",
        ),
        ("2025-11-03\n\nThe ferry left late.", "the first line must start with 'date YYYY-MM-DD'"),
        ("date 3 November 2025\n\nThe ferry left late.", "'3' is not a date in the form"),
        ("date 2025-11-3\n\nThe ferry left late.", "'2025-11-3' is not a date in the form"),
        ("date 2025-02-30\n\nThe ferry left late.", "'2025-02-30' is not a real date"),
        ("date 2025-11-03\n\n  \n\n", "there is no story text after the date line"),
    ],
)
def test_malformed_text_is_refused_with_the_reason(text, message):
    with pytest.raises(StoryFileError, match=message):
        parse_story(text)
