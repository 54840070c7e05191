"""Reading stories from plain-text files: a first line `date YYYY-MM-DD`, then paragraphs.

Paragraphs are separated by blank lines; text after the date on the first line is the first
paragraph. The text is kept exactly as written (only line breaks inside a paragraph fold).
"""

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

DATE_LINE = re.compile(r"date\s+(?P<date>\S+)(?:\s+(?P<rest>.*))?", re.DOTALL)


class StoryFileError(ValueError):
    """The file is not a story in the expected format; the message says what is wrong."""


@dataclass(frozen=True)
class StoryFile:
    date: datetime.date
    paragraphs: list[str]


def parse_story(text: str) -> StoryFile:
    text = text.lstrip("\ufeff")
    first_line, _, rest = text.lstrip().partition("\n")
    match = DATE_LINE.fullmatch(first_line.strip())
    if match is None:
        raise StoryFileError("the first line must start with 'date YYYY-MM-DD'")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", match["date"]):
        raise StoryFileError(f"'{match['date']}' is not a date in the form YYYY-MM-DD")
    try:
        date = datetime.date.fromisoformat(match["date"])
    except ValueError:
        raise StoryFileError(f"'{match['date']}' is not a real date") from None
    body = (match["rest"] or "") + "\n" + rest
    paragraphs = [" ".join(block.split()) for block in re.split(r"\n\s*\n", body) if block.strip()]
    if not paragraphs:
        raise StoryFileError("there is no story text after the date line")
    return StoryFile(date=date, paragraphs=paragraphs)


def read_story(path) -> StoryFile:
    """Parse the story file at `path`; StoryFileError names the problem, prefixed by the file."""
    path = Path(path)
    try:
        return parse_story(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StoryFileError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise StoryFileError(f"{path}: not a UTF-8 text file") from None
    except IsADirectoryError:
        raise StoryFileError(f"{path}: is a directory, not a story file") from None
    except StoryFileError as error:
        raise StoryFileError(f"{path}: {error}") from None
