"""Where a photo is used: the stories and people that point at it.

`photos` sits below the apps that use photos and cannot import them, so the uses are found from
the foreign keys other models point at `Photo` (history records, renditions and tags aside).
"""

from .models import Photo, Rendition, TaggedPhoto


def _pointing_relations():
    for relation in Photo._meta.get_fields(include_hidden=True):
        model = relation.related_model
        if not (relation.auto_created and not relation.concrete and relation.is_relation):
            continue
        is_history_copy = hasattr(model, "instance_type")  # simple-history's records
        if model in (Rendition, TaggedPhoto) or is_history_copy:
            continue
        yield model, relation.field.name


def where_used(photo) -> list:
    """Every record that shows the photo, stories first, each type in its own order."""
    return [
        record
        for model, field in sorted(_pointing_relations(), key=lambda item: item[0]._meta.label)
        for record in model._default_manager.filter(**{field: photo})
    ]
