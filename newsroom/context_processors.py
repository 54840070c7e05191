from django.conf import settings


def newsroom(request):
    """The publication's name, canonical address and time zone, for templates."""
    return {
        "NEWSROOM_NAME": settings.NEWSROOM_NAME,
        "SITE_URL": settings.SITE_URL,
        "TIME_ZONE": settings.TIME_ZONE,
    }
