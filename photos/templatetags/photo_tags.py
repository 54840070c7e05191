from django import template

from ..pictures import absolute_crop, picture

register = template.Library()


@register.inclusion_tag("photos/picture.html", name="picture")
def picture_tag(photo, sizes="100vw", lead=False):
    """`{% picture photo sizes="(min-width: 60rem) 40rem, 100vw" lead=True %}`: a `<picture>`
    with AVIF and WebP sources and an `<img>` with srcset, sizes, width and height (no layout
    shift); lazy, unless it is the page's lead photo, which is fetched first."""
    return {"photo": photo, "sizes": sizes, "lead": lead, **picture(photo)}


@register.simple_tag
def photo_crop(photo, spec="social"):
    """A crop's absolute URL, width and height, for og:image."""
    return absolute_crop(photo, spec)
