"""Comparing a saved revision of an article (a simple-history record) with the article now."""

from difflib import ndiff

from .html import plain_text


def revision_differences(article, revision):
    """(field label, [(mark, line)]) for each restorable field that differs from now.
    Marks: "-" only in the revision, "+" only in the current article, " " in both."""
    differences = []
    for name in article.RESTORABLE_FIELDS:
        field = article._meta.get_field(name)
        old, new = getattr(revision, field.attname), getattr(article, field.attname)
        if old == new:
            continue
        if name == "body":
            old_lines, new_lines = plain_text(old).split("\n\n"), plain_text(new).split("\n\n")
        else:
            old_lines, new_lines = [_readable(field, old)], [_readable(field, new)]
        lines = [
            (line[0], line[2:])
            for line in ndiff(old_lines, new_lines)
            if line[0] in "-+ " and line[2:].strip()
        ]
        differences.append((field.verbose_name.capitalize(), lines))
    return differences


def _readable(field, value):
    """A field's stored value as an editor would name it: a section by its name, not its id."""
    if value is None or value == "":
        return "—"
    if field.is_relation:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related else f"(a deleted {field.related_model._meta.verbose_name})"
    return str(value)
