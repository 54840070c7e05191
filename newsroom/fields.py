"""Model fields shared by every app."""

import unicodedata

from django.core.exceptions import ValidationError
from django.db import models

#: Line and paragraph separators end a line as surely as CR and LF do.
_LINE_BREAKS = {"\u2028", "\u2029"}


def reject_control_characters(value):
    """Refuse text with control characters (CR, LF, tab, NUL, ...): one line of plain text
    only. A line break in a headline would, for one, end an email header early."""
    bad = sorted(
        {char for char in value if unicodedata.category(char) == "Cc" or char in _LINE_BREAKS}
    )
    if bad:
        raise ValidationError(
            "Use one line of plain text: remove the line breaks or other invisible control "
            "characters (%(found)s).",
            code="control_characters",
            params={"found": ", ".join(f"U+{ord(char):04X}" for char in bad)},
        )


class SingleLineCharField(models.CharField):
    """A CharField for one line of text: control characters are refused on validation."""

    default_validators = [reject_control_characters]

    def deconstruct(self):
        # The validator changes nothing in the database: migrations see a plain CharField.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs
