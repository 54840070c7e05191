"""Fact-check evidence never goes where photos go: a system check on STORAGES."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register


@register()
def evidence_stays_private(app_configs, **kwargs):
    public, private = settings.STORAGES["default"], settings.STORAGES["private"]
    public_options, private_options = public.get("OPTIONS", {}), private.get("OPTIONS", {})
    bucket = public_options.get("bucket_name")
    if bucket and private_options.get("bucket_name") == bucket:
        return [
            Error(
                f"Private evidence is configured to go into the public media bucket {bucket!r}.",
                hint="Keep STORAGES['private'] on the local disk or in a bucket of its own.",
                id="photos.E001",
            )
        ]
    location = private_options.get("location")
    if (
        not bucket
        and location
        and Path(location).resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    ):
        return [
            Error(
                "Private evidence is stored under MEDIA_ROOT, which is served to anyone.",
                hint="Set PRIVATE_MEDIA_ROOT outside MEDIA_ROOT.",
                id="photos.E002",
            )
        ]
    return []
