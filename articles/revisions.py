"""Comparing versions of an article: a saved revision (a simple-history record) with the article
as it is being edited, or two revisions with each other for the history list."""

from difflib import ndiff

from .html import plain_text


def working_values(version, names):
    """The content fields `names` of `version` (an article or a history record) as it was being
    edited: a published story's pending update over its live fields. Related objects by id."""
    values = {name: getattr(version, version._meta.get_field(name).attname) for name in names}
    if version.pending_update:
        values.update(
            (name, value)
            for name, value in version.pending_update["fields"].items()
            if name in names
        )
    return values


def differences(model, old, new, names):
    """(field label, [(mark, line)]) for each of `names` whose value differs between the
    `old` and `new` values. Marks: "-" only in old, "+" only in new, " " in both."""
    result = []
    for name in names:
        field = model._meta.get_field(name)
        if old[name] == new[name]:
            continue
        if name == "body":
            old_lines = plain_text(old[name]).split("\n\n")
            new_lines = plain_text(new[name]).split("\n\n")
        else:
            old_lines, new_lines = [_readable(field, old[name])], [_readable(field, new[name])]
        lines = [
            (line[0], line[2:])
            for line in ndiff(old_lines, new_lines)
            if line[0] in "-+ " and line[2:].strip()
        ]
        result.append((field.verbose_name.capitalize(), lines))
    return result


def revision_differences(article, revision):
    """What restoring `revision` would change in `article` as it is being edited."""
    names = article.RESTORABLE_FIELDS
    return differences(
        type(article), working_values(revision, names), working_values(article, names), names
    )


def _readable(field, value):
    """A field's stored value as an editor would name it: a section by its name, not its id."""
    if value is None or value == "":
        return "—"
    if field.is_relation:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related else f"(a deleted {field.related_model._meta.verbose_name})"
    return str(value)
