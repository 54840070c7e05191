"""Which shared records published stories show: `newsroom.shared_records` asks through these."""

from django.db.models import Q

from newsroom.shared_records import register_live_use
from people.models import Person
from photos.models import Photo

from .models import Article, Section


def _live():
    return Article.objects.published()


def person_used_live(person):
    return _live().filter(Q(people=person) | Q(bylines__person=person)).exists()


def photo_used_live(photo):
    if _live().filter(lead_photo=photo).exists():
        return True
    shown_people = Person.objects.filter(Q(articles__in=_live()) | Q(bylines__article__in=_live()))
    return shown_people.filter(photo=photo).exists()


def section_used_live(section):
    return _live().filter(section=section).exists()


def register():
    register_live_use(Person, person_used_live)
    register_live_use(Photo, photo_used_live)
    register_live_use(Section, section_used_live)
